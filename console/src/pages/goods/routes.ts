import { createRoute, lazyRouteComponent } from '@tanstack/react-router';
import { developerRoute as parent } from '../../routes/layouts';

export const goodsSearchRoute = createRoute({
  getParentRoute: () => parent,
  path: 'goods',
  component: lazyRouteComponent(() => import('./GoodsSearchPage'), 'GoodsSearchPage'),
});

export const productRoute = createRoute({
  getParentRoute: () => parent,
  path: 'goods/$platform/$itemId',
  component: lazyRouteComponent(() => import('./ProductPage'), 'ProductPage'),
});

export const goodsRoutes = [goodsSearchRoute, productRoute] as const;
