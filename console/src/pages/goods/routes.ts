import { createRoute, lazyRouteComponent } from '@tanstack/react-router';
import { developerRoute as parent } from '../../routes/layouts';
import { validateGoodsSearch } from './search';

/** `/dev/goods`: keyword and picture search; the platform, filters, sort, page and picture are in the URL. */
export const goodsSearchRoute = createRoute({
  getParentRoute: () => parent,
  path: 'goods',
  validateSearch: validateGoodsSearch,
  component: lazyRouteComponent(() => import('./GoodsSearchPage'), 'GoodsSearchPage'),
});

/** `/dev/goods/taobao/<itemId>` or `/dev/goods/1688/<offerId>`: a product, its options and the cart. */
export const productRoute = createRoute({
  getParentRoute: () => parent,
  path: 'goods/$platform/$itemId',
  component: lazyRouteComponent(() => import('./ProductPage'), 'ProductPage'),
});

export const goodsRoutes = [goodsSearchRoute, productRoute] as const;
