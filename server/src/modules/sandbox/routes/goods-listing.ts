import { defineRoute } from '../../../platform/http/route.js';
import { Type } from '../../../platform/http/schema.js';
import { ProductParams, sandboxForChange } from '../sandbox.schemas.js';

function route(listed: boolean) {
  return defineRoute({
    method: 'POST',
    url: `/sandbox/:platform/goods/:productId/${listed ? 'relist' : 'delist'}`,
    operationId: listed ? 'sandboxRelistProduct' : 'sandboxDelistProduct',
    summary: listed ? 'Put a delisted product back on sale' : 'Delist a product',
    description: listed
      ? 'The product can be found and ordered again. Emits `product.changed`.'
      : 'The product disappears from searches and cannot be ordered; lookups show it `delisted`. Emits `product.changed`.',
    tags: ['Sandbox'],
    auth: 'admin',
    errors: [40401, 40901],
    params: ProductParams,
    data: Type.Object({
      productId: Type.String(),
      status: Type.Union([Type.Literal('active'), Type.Literal('delisted')]),
    }),
    handler: async ({ deps, params }) => {
      const sandbox = sandboxForChange(deps);
      sandbox.setListed(params.platform, params.productId, listed);
      await sandbox.events.dispatch();
      return { productId: params.productId, status: listed ? ('active' as const) : ('delisted' as const) };
    },
  });
}

export const delistProduct = route(false);
export const relistProduct = route(true);
