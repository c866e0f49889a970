import { createRoute, lazyRouteComponent } from '@tanstack/react-router';
import { operatorRoute as parent } from '../../routes/layouts';
import {
  CALLBACK_STATES,
  DAY_CHOICES,
  idOf,
  LEDGER_KINDS,
  MESSAGE_STATUSES,
  ORDER_STATUSES,
  oneOf,
  PLATFORMS,
  pageOf,
  REFUND_STATUSES,
  searchOf,
  VOUCHER_STATUSES,
} from './search';

export const dashboardRoute = createRoute({
  getParentRoute: () => parent,
  path: '/',
  validateSearch: searchOf((s) => ({ days: oneOf(s.days, DAY_CHOICES) ?? 14 })),
  component: lazyRouteComponent(() => import('./DashboardPage'), 'DashboardPage'),
});

export const developersRoute = createRoute({
  getParentRoute: () => parent,
  path: 'developers',
  validateSearch: searchOf((s) => ({ page: pageOf(s.page) })),
  component: lazyRouteComponent(() => import('./DevelopersPage'), 'DevelopersPage'),
});

export const opDeveloperRoute = createRoute({
  getParentRoute: () => parent,
  path: 'developers/$developId',
  validateSearch: searchOf((s) => ({
    ledgerPage: pageOf(s.ledgerPage),
    kind: oneOf(s.kind, LEDGER_KINDS),
    usersPage: pageOf(s.usersPage),
  })),
  component: lazyRouteComponent(() => import('./DeveloperPage'), 'DeveloperPage'),
});

export const opDeveloperMessagesRoute = createRoute({
  getParentRoute: () => parent,
  path: 'developers/$developId/messages',
  validateSearch: searchOf((s) => ({
    page: pageOf(s.page),
    status: oneOf(s.status, MESSAGE_STATUSES),
    objectId: typeof s.objectId === 'string' && /^[0-9A-Za-z]{1,32}$/.test(s.objectId) ? s.objectId : idOf(s.objectId),
  })),
  component: lazyRouteComponent(() => import('./DeveloperMessagesPage'), 'DeveloperMessagesPage'),
});

export const vouchersRoute = createRoute({
  getParentRoute: () => parent,
  path: 'vouchers',
  validateSearch: searchOf((s) => ({
    status: oneOf(s.status, VOUCHER_STATUSES) ?? 'pending',
    developId: idOf(s.developId),
    page: pageOf(s.page),
  })),
  component: lazyRouteComponent(() => import('./VouchersPage'), 'VouchersPage'),
});

export const opOrdersRoute = createRoute({
  getParentRoute: () => parent,
  path: 'orders',
  validateSearch: searchOf((s) => ({
    page: pageOf(s.page),
    platform: oneOf(s.platform, PLATFORMS),
    status: oneOf(s.status, ORDER_STATUSES),
    developId: idOf(s.developId),
    userId: idOf(s.userId),
  })),
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
  validateSearch: searchOf((s) => ({
    page: pageOf(s.page),
    platform: oneOf(s.platform, PLATFORMS),
    status: oneOf(s.status, REFUND_STATUSES),
    developId: idOf(s.developId),
    orderId: idOf(s.orderId),
  })),
  component: lazyRouteComponent(() => import('./OpRefundsPage'), 'OpRefundsPage'),
});

export const opRefundRoute = createRoute({
  getParentRoute: () => parent,
  path: 'refunds/$refundId',
  component: lazyRouteComponent(() => import('./OpRefundPage'), 'OpRefundPage'),
});

export const deliveriesRoute = createRoute({
  getParentRoute: () => parent,
  path: 'callbacks',
  validateSearch: searchOf((s) => ({
    state: oneOf(s.state, CALLBACK_STATES),
    page: pageOf(s.page),
    deadPage: pageOf(s.deadPage),
  })),
  component: lazyRouteComponent(() => import('./DeliveriesPage'), 'DeliveriesPage'),
});

export const operatorRoutes = [
  dashboardRoute,
  developersRoute,
  opDeveloperRoute,
  opDeveloperMessagesRoute,
  vouchersRoute,
  opOrdersRoute,
  opOrderRoute,
  opRefundsRoute,
  opRefundRoute,
  deliveriesRoute,
] as const;
