import { ApiError } from '../../../platform/http/errors.js';
import { defineRoute } from '../../../platform/http/route.js';
import { OrderParams, OrderView, sandboxOf, toOrderView } from '../sandbox.schemas.js';

export default defineRoute({
  method: 'GET',
  url: '/sandbox/:platform/orders/:orderId',
  operationId: 'sandboxGetOrder',
  summary: 'An upstream order, as the seller sees it',
  tags: ['Sandbox'],
  auth: 'admin',
  errors: [40401],
  params: OrderParams,
  data: OrderView,
  handler: async ({ deps, params }) => {
    const orders = sandboxOf(deps).ordersOf(params.platform);
    const row = orders.row(params.orderId);
    if (!row) throw new ApiError(40401, { what: `order ${params.orderId}` });
    return toOrderView(orders.load(params.orderId));
  },
});
