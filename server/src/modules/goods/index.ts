import type { AppModule } from '../../app.js';
import { productCache } from './goods.cache.js';
import taobaoProductGet from './routes/taobao-product-get.js';

/** Goods and marketing endpoints of Taobao and 1688, over the provider interfaces. */
export const goodsModule: AppModule = {
  name: 'goods',
  routes: [taobaoProductGet],
  async onUpstreamEvent(deps, event) {
    if (event.type === 'product.changed' && event.productId)
      productCache(deps).invalidate(event.platform, event.productId);
  },
};
