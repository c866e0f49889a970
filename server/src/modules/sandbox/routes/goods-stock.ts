import { defineRoute } from '../../../platform/http/route.js';
import { Int, Strict, Text, Type } from '../../../platform/http/schema.js';
import { ProductParams, sandboxForChange } from '../sandbox.schemas.js';

export default defineRoute({
  method: 'PUT',
  url: '/sandbox/:platform/goods/:productId/stock',
  operationId: 'sandboxSetStock',
  summary: 'Change a product’s stock',
  description: 'Sets the stock of one SKU, or of every SKU when `skuId` is omitted. Emits `product.changed`.',
  tags: ['Sandbox'],
  auth: 'admin',
  errors: [40401, 40901],
  params: ProductParams,
  body: Strict({
    stock: Int('New stock', 0, 10_000_000, 0),
    skuId: Type.Optional(Text('SKU id (1688 specId)', 40, undefined, 1)),
  }),
  data: Type.Object({ productId: Type.String(), totalStock: Int('Stock over all SKUs', 0, Number.MAX_SAFE_INTEGER) }),
  handler: async ({ deps, params, body }) => {
    const sandbox = sandboxForChange(deps);
    sandbox.setStock(params.platform, params.productId, body.stock, body.skuId);
    await sandbox.events.dispatch();
    const skus = sandbox.catalog.skuRows(params.platform, params.productId);
    return { productId: params.productId, totalStock: skus.reduce((n, s) => n + s.stock, 0) };
  },
});
