import { createRoute, lazyRouteComponent } from '@tanstack/react-router';
import { developerRoute as parent } from '../../routes/layouts';

export const explorerRoute = createRoute({
  getParentRoute: () => parent,
  path: 'explorer',
  component: lazyRouteComponent(() => import('./ExplorerPage'), 'ExplorerPage'),
});

export const explorerRoutes = [explorerRoute] as const;
