import { createRoute, lazyRouteComponent } from '@tanstack/react-router';
import { operatorRoute as parent } from '../../routes/layouts';

export const dashboardRoute = createRoute({
  getParentRoute: () => parent,
  path: '/',
  component: lazyRouteComponent(() => import('./DashboardPage'), 'DashboardPage'),
});

export const developersRoute = createRoute({
  getParentRoute: () => parent,
  path: 'developers',
  component: lazyRouteComponent(() => import('./DevelopersPage'), 'DevelopersPage'),
});

export const opDeveloperRoute = createRoute({
  getParentRoute: () => parent,
  path: 'developers/$developId',
  component: lazyRouteComponent(() => import('./DeveloperPage'), 'DeveloperPage'),
});

export const vouchersRoute = createRoute({
  getParentRoute: () => parent,
  path: 'vouchers',
  component: lazyRouteComponent(() => import('./VouchersPage'), 'VouchersPage'),
});

export const opOrdersRoute = createRoute({
  getParentRoute: () => parent,
  path: 'orders',
  component: lazyRouteComponent(() => import('./OpOrdersPage'), 'OpOrdersPage'),
});

export const opOrderRoute = createRoute({
  getParentRoute: () => parent,
  path: 'orders/$orderId',
  component: lazyRouteComponent(() => import('./OpOrderPage'), 'OpOrderPage'),
});

export const opRefundsRoute = createRoute({
  getParentRoute: () => parent,
  path: 'refunds',
  component: lazyRouteComponent(() => import('./OpRefundsPage'), 'OpRefundsPage'),
});

export const deliveriesRoute = createRoute({
  getParentRoute: () => parent,
  path: 'callbacks',
  component: lazyRouteComponent(() => import('./DeliveriesPage'), 'DeliveriesPage'),
});

export const operatorRoutes = [
  dashboardRoute,
  developersRoute,
  opDeveloperRoute,
  vouchersRoute,
  opOrdersRoute,
  opOrderRoute,
  opRefundsRoute,
  deliveriesRoute,
] as const;
