import { defineRoute } from '../../../platform/http/route.js';
import { Int, Strict } from '../../../platform/http/schema.js';
import { OrderParams, OrderView, sandboxForChange, toOrderView } from '../sandbox.schemas.js';

export default defineRoute({
  method: 'POST',
  url: '/sandbox/:platform/orders/:orderId/price',
  operationId: 'sandboxModifyOrderPrice',
  summary: 'Make the seller change an unpaid order’s price',
  description: 'Sets the order’s new total (goods and shipping, fen). Emits `order.price_modified`.',
  tags: ['Sandbox'],
  auth: 'admin',
  errors: [40401, 40901],
  params: OrderParams,
  body: Strict({ totalFen: Int('The new total, fen', 1, 1_000_000_000_00, 9900) }),
  data: OrderView,
  handler: async ({ deps, params, body }) => {
    const sandbox = sandboxForChange(deps);
    const order = sandbox.ordersOf(params.platform).modifyPrice(params.orderId, body.totalFen);
    await sandbox.events.dispatch();
    return toOrderView(order);
  },
});
