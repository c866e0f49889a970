import { createRoute, lazyRouteComponent } from '@tanstack/react-router';
import { developerRoute as parent } from '../../routes/layouts';
import {
  type AlibabaStatus,
  type CheckoutSearch,
  dayOf,
  definedOnly,
  idsOf,
  numberOf,
  ORDER_STATUSES,
  type OrdersSearch,
  pageOf,
  platformOf,
  type TaobaoStatus,
} from './search';

export const cartRoute = createRoute({
  getParentRoute: () => parent,
  path: 'cart',
  component: lazyRouteComponent(() => import('./CartPage'), 'CartPage'),
});

export const checkoutRoute = createRoute({
  getParentRoute: () => parent,
  path: 'checkout',
  validateSearch: (search: Record<string, unknown>): CheckoutSearch =>
    definedOnly({ taobao: idsOf('taobao', search.taobao), alibaba: idsOf('alibaba', search.alibaba) }),
  component: lazyRouteComponent(() => import('./CheckoutPage'), 'CheckoutPage'),
});

export const addressesRoute = createRoute({
  getParentRoute: () => parent,
  path: 'addresses',
  component: lazyRouteComponent(() => import('./AddressesPage'), 'AddressesPage'),
});

export const ordersRoute = createRoute({
  getParentRoute: () => parent,
  path: 'orders',
  validateSearch: (search: Record<string, unknown>): OrdersSearch => {
    const platform = platformOf(search.platform);
    const statuses: readonly string[] = ORDER_STATUSES[platform ?? 'taobao'];
    const status =
      typeof search.status === 'string' && statuses.includes(search.status)
        ? (search.status as TaobaoStatus | AlibabaStatus)
        : undefined;
    return definedOnly({
      platform,
      status,
      from: dayOf(search.from),
      to: dayOf(search.to),
      number: platform === '1688' ? undefined : numberOf(search.number),
      page: pageOf(search.page),
    });
  },
  component: lazyRouteComponent(() => import('./OrdersPage'), 'OrdersPage'),
});

export const orderRoute = createRoute({
  getParentRoute: () => parent,
  path: 'orders/$platform/$orderId',
  component: lazyRouteComponent(() => import('./OrderPage'), 'OrderPage'),
});

export const buyingRoutes = [cartRoute, checkoutRoute, addressesRoute, ordersRoute, orderRoute] as const;
