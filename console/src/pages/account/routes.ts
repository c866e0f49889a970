import { createRoute, lazyRouteComponent } from '@tanstack/react-router';
import { developerRoute as parent } from '../../routes/layouts';

export const overviewRoute = createRoute({
  getParentRoute: () => parent,
  path: '/',
  component: lazyRouteComponent(() => import('./OverviewPage'), 'OverviewPage'),
});

export const balanceRoute = createRoute({
  getParentRoute: () => parent,
  path: 'balance',
  component: lazyRouteComponent(() => import('./BalancePage'), 'BalancePage'),
});

export const callbacksRoute = createRoute({
  getParentRoute: () => parent,
  path: 'callbacks',
  component: lazyRouteComponent(() => import('./CallbacksPage'), 'CallbacksPage'),
});

export const messagesRoute = createRoute({
  getParentRoute: () => parent,
  path: 'messages',
  component: lazyRouteComponent(() => import('./MessagesPage'), 'MessagesPage'),
});

export const usersRoute = createRoute({
  getParentRoute: () => parent,
  path: 'users',
  component: lazyRouteComponent(() => import('./UsersPage'), 'UsersPage'),
});

export const accountRoutes = [overviewRoute, balanceRoute, callbacksRoute, messagesRoute, usersRoute] as const;
