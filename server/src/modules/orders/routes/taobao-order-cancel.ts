import { defineRoute } from '../../../platform/http/route.js';
import { LanguageField, Type } from '../../../platform/http/schema.js';
import { cancelOrder } from '../orders.service.js';
import { OrderIdField, ReasonField, TaobaoOrder, toTaobaoOrder } from '../taobao.schemas.js';

export default defineRoute({
  method: 'POST',
  url: '/open/order/cancel',
  operationId: 'taobaoCancelOrder',
  summary: 'Cancel a Taobao order',
  description:
    'Cancels an order that is not paid: every sub purchase order is cancelled with the marketplace and the order ' +
    'becomes `TRADE_CLOSED`. Once a payment has begun the answer is 40901 (ask for a refund instead).',
  tags: ['Taobao orders'],
  auth: 'signed',
  mutation: true,
  ownTransactions: true,
  errors: [40401, 40901, 50201, 50401, 50402],
  body: Type.Object(
    { orderId: OrderIdField, reason: Type.Optional(ReasonField), language: LanguageField },
    { additionalProperties: false },
  ),
  data: TaobaoOrder,
  handler: async ({ deps, auth, body, lang }) =>
    toTaobaoOrder(await cancelOrder(deps, auth, 'taobao', body.orderId, body.reason ?? ''), lang),
});
