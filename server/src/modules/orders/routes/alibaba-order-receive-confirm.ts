import { defineRoute } from '../../../platform/http/route.js';
import { Type } from '../../../platform/http/schema.js';
import { OrderIdField, WebSite } from '../alibaba.schemas.js';
import { confirmReceipt } from '../orders.service.js';

export default defineRoute({
  method: 'POST',
  url: '/alibaba/order/receive/confirm',
  operationId: 'alibabaOrderReceiveConfirm',
  summary: 'Confirm receipt of a 1688 order',
  description:
    'The buyer confirms the goods arrived: a shipped order (`waitbuyerreceive`) becomes `confirm_goods`, ' +
    'upstream and here, and the answer is `true`. Before the seller ships, or after confirmation, 40901. The ' +
    'marketplace confirms by itself ten days after delivery. Writes `ORDER_BUYER_VIEW_ORDER_COMFIRM_RECEIVEGOODS`.',
  tags: ['1688 orders'],
  auth: 'signed',
  mutation: true,
  ownTransactions: true,
  errors: [40401, 40901, 50201, 50401, 50402],
  body: Type.Object({ orderId: OrderIdField, webSite: Type.Optional(WebSite) }, { additionalProperties: false }),
  data: Type.Boolean({ description: 'True: receipt is confirmed' }),
  handler: async ({ deps, auth, body }) => {
    await confirmReceipt(deps, auth, '1688', body.orderId);
    return true;
  },
});
