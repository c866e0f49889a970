import { createRouter, parseSearchWith, stringifySearchWith } from '@tanstack/react-router';
import { accountRoutes } from './pages/account/routes';
import { aftersalesRoutes } from './pages/aftersales/routes';
import { buyingRoutes } from './pages/buying/routes';
import { explorerRoutes } from './pages/explorer/routes';
import { goodsRoutes } from './pages/goods/routes';
import { operationsRoutes } from './pages/operations/routes';
import { operatorRoutes } from './pages/operator/routes';
import { developerRoute, developerSignInRoute, operatorRoute, operatorSignInRoute } from './routes/layouts';
import { homeRoute, rootRoute } from './routes/root';

/** Every page of the console; each part of it declares its own routes (pages/<part>/routes.ts). */
const routeTree = rootRoute.addChildren([
  homeRoute,
  developerSignInRoute,
  operatorSignInRoute,
  developerRoute.addChildren([
    ...accountRoutes,
    ...goodsRoutes,
    ...buyingRoutes,
    ...aftersalesRoutes,
    ...explorerRoutes,
  ]),
  operatorRoute.addChildren([...operatorRoutes, ...operationsRoutes]),
]);

/**
 * Search values are JSON where they parse as JSON, as the router's default reads them, except ids: a run of 16 or more
 * digits stays text (a number would lose its last digits), and is written without quotes.
 */
const parseValue = (value: string): unknown => (/^\d{16,}$/.test(value) ? value : JSON.parse(value));

export const router = createRouter({
  routeTree,
  basepath: '/console',
  parseSearch: parseSearchWith(parseValue),
  stringifySearch: stringifySearchWith(JSON.stringify, parseValue),
  defaultPreload: 'intent',
  scrollRestoration: true,
});

declare module '@tanstack/react-router' {
  interface Register {
    router: typeof router;
  }
}
