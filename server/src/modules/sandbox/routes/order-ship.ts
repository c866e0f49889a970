import { defineRoute } from '../../../platform/http/route.js';
import { Strict, Text, Type } from '../../../platform/http/schema.js';
import { OrderParams, OrderView, sandboxForChange, toOrderView } from '../sandbox.schemas.js';

export default defineRoute({
  method: 'POST',
  url: '/sandbox/:platform/orders/:orderId/ship',
  operationId: 'sandboxShipOrder',
  summary: 'Make the seller ship a paid order now',
  description:
    'Ships the given lines (by default every line not yet shipped) in one parcel, with the given carrier and ' +
    'tracking number or the seller’s own choice. Emits `order.shipped`; the parcel then moves through ' +
    'CONSIGN → ACCEPT → TRANSPORT → DELIVERING → SIGN on the market clock.',
  tags: ['Sandbox'],
  auth: 'admin',
  errors: [40401, 40901],
  params: OrderParams,
  body: Type.Optional(
    Strict({
      lineIds: Type.Optional(Type.Array(Text('Order line id', 40, undefined, 1), { minItems: 1, maxItems: 200 })),
      carrierCode: Type.Optional(Text('Carrier code (see the carriers list), e.g. ZTO', 16, 'ZTO', 1)),
      trackingNo: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9-]{6,40}$', description: 'Tracking number' })),
    }),
  ),
  data: OrderView,
  handler: async ({ deps, params, body }) => {
    const sandbox = sandboxForChange(deps);
    const order = sandbox.ordersOf(params.platform).ship(params.orderId, body ?? {});
    await sandbox.events.dispatch();
    return toOrderView(order);
  },
});
