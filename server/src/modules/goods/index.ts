import type { AppModule } from '../../platform/module.js';
import { alibabaRoutes } from './alibaba-routes.js';
import { PRODUCT_CHANGED } from './goods.cache.js';
import taobaoBatchCheck from './routes/taobao-batch-check.js';
import taobaoImageSearch from './routes/taobao-image-search.js';
import taobaoProductGet from './routes/taobao-product-get.js';
import taobaoQueryProduct from './routes/taobao-query-product.js';
import taobaoSearch from './routes/taobao-search.js';
import taobaoSourceGet from './routes/taobao-source-get.js';

/** Goods and marketing endpoints of Taobao and 1688, over the provider interfaces. */
export const goodsModule: AppModule = {
  name: 'goods',
  // In the order of the contract's route table (T1–T6, then A1–A8 and A32–A34).
  routes: [
    taobaoImageSearch,
    taobaoSearch,
    taobaoBatchCheck,
    taobaoProductGet,
    taobaoQueryProduct,
    taobaoSourceGet,
    ...alibabaRoutes,
  ],
  async onUpstreamEvent(db, deps, event) {
    // Every process drops its cached copy once this commits (this one at once).
    if (event.type === 'product.changed' && event.productId) {
      await deps.changes.publish(db, PRODUCT_CHANGED, `${event.platform}:${event.productId}`);
    }
  },
};
