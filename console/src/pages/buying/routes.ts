import { createRoute, lazyRouteComponent } from '@tanstack/react-router';
import { developerRoute as parent } from '../../routes/layouts';

export const cartRoute = createRoute({
  getParentRoute: () => parent,
  path: 'cart',
  component: lazyRouteComponent(() => import('./CartPage'), 'CartPage'),
});

export const checkoutRoute = createRoute({
  getParentRoute: () => parent,
  path: 'checkout',
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
  component: lazyRouteComponent(() => import('./OrdersPage'), 'OrdersPage'),
});

export const orderRoute = createRoute({
  getParentRoute: () => parent,
  path: 'orders/$platform/$orderId',
  component: lazyRouteComponent(() => import('./OrderPage'), 'OrderPage'),
});

export const buyingRoutes = [cartRoute, checkoutRoute, addressesRoute, ordersRoute, orderRoute] as const;
