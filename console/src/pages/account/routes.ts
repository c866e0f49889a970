import { createRoute, lazyRouteComponent, type SearchSchemaInput } from '@tanstack/react-router';
import { developerRoute as parent } from '../../routes/layouts';
import {
  DELIVERY_STATUSES,
  dateText,
  dateTimeText,
  LEDGER_KINDS,
  type LedgerSearch,
  type MessagesSearch,
  oneOf,
  pageNumber,
  platformNumber,
  text,
  type UsersSearch,
} from './search';

export const overviewRoute = createRoute({
  getParentRoute: () => parent,
  path: '/',
  component: lazyRouteComponent(() => import('./OverviewPage'), 'OverviewPage'),
});

export const balanceRoute = createRoute({
  getParentRoute: () => parent,
  path: 'balance',
  validateSearch: (search: Partial<LedgerSearch> & SearchSchemaInput): LedgerSearch => ({
    kind: oneOf(search.kind, LEDGER_KINDS),
    from: dateText(search.from),
    to: dateText(search.to),
  }),
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
  validateSearch: (search: Partial<MessagesSearch> & SearchSchemaInput): MessagesSearch => ({
    page: pageNumber(search.page),
    status: oneOf(search.status, DELIVERY_STATUSES),
    type: text(search.type),
    platform: platformNumber(search.platform),
    objectId: text(search.objectId),
    from: dateTimeText(search.from),
    to: dateTimeText(search.to),
    message: text(search.message),
  }),
  component: lazyRouteComponent(() => import('./MessagesPage'), 'MessagesPage'),
});

export const usersRoute = createRoute({
  getParentRoute: () => parent,
  path: 'users',
  validateSearch: (search: Partial<UsersSearch> & SearchSchemaInput): UsersSearch => ({
    page: pageNumber(search.page),
  }),
  component: lazyRouteComponent(() => import('./UsersPage'), 'UsersPage'),
});

export const accountRoutes = [overviewRoute, balanceRoute, callbacksRoute, messagesRoute, usersRoute] as const;
