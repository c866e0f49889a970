import { createRoute, lazyRouteComponent } from '@tanstack/react-router';
import { developerRoute as parent } from '../../routes/layouts';

export const refundsRoute = createRoute({
  getParentRoute: () => parent,
  path: 'refunds',
  component: lazyRouteComponent(() => import('./RefundsPage'), 'RefundsPage'),
});

export const refundRoute = createRoute({
  getParentRoute: () => parent,
  path: 'refunds/$platform/$refundId',
  component: lazyRouteComponent(() => import('./RefundPage'), 'RefundPage'),
});

export const warehouseRoute = createRoute({
  getParentRoute: () => parent,
  path: 'warehouse',
  component: lazyRouteComponent(() => import('./WarehousePage'), 'WarehousePage'),
});

export const parcelsRoute = createRoute({
  getParentRoute: () => parent,
  path: 'parcels',
  component: lazyRouteComponent(() => import('./ParcelsPage'), 'ParcelsPage'),
});

export const parcelRoute = createRoute({
  getParentRoute: () => parent,
  path: 'parcels/$parcelId',
  component: lazyRouteComponent(() => import('./ParcelPage'), 'ParcelPage'),
});

export const aftersalesRoutes = [refundsRoute, refundRoute, warehouseRoute, parcelsRoute, parcelRoute] as const;
