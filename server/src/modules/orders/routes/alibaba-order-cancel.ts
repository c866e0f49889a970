import { invalidParameter } from '../../../platform/http/errors.js';
import { defineRoute } from '../../../platform/http/route.js';
import { Type } from '../../../platform/http/schema.js';
import { OrderIdField, WebSite } from '../alibaba.schemas.js';
import { cancelOrder } from '../orders.service.js';

export default defineRoute({
  method: 'POST',
  url: '/alibaba/order/cancel',
  operationId: 'alibabaOrderCancel',
  summary: 'Cancel a 1688 order before payment',
  description:
    'Closes an order that is not paid (`cancel`), upstream and here, and answers `true`. As on 1688, an order ' +
    'cannot be cancelled in its first 10 seconds (40901: retry a little later), nor once a payment has begun ' +
    '(40901). `cancelReason` is required and kept as the order’s `closeReason`. Writes ' +
    '`ORDER_BUYER_VIEW_ORDER_BUYER_CLOSE`.',
  tags: ['1688 orders'],
  auth: 'signed',
  mutation: true,
  ownTransactions: true,
  errors: [40401, 40901, 50201, 50401, 50402],
  body: Type.Object(
    {
      webSite: WebSite,
      orderId: OrderIdField,
      cancelReason: Type.String({
        minLength: 1,
        maxLength: 200,
        description: 'Why (1688 suggests `buyerCancel`, `sellerGoodsLack`, `other`; any text is kept)',
        examples: ['不想要了'],
      }),
      remark: Type.Optional(
        Type.Union([Type.String({ maxLength: 500 }), Type.Null()], {
          description: 'More words on why; kept with the reason',
          examples: ['买错了'],
        }),
      ),
    },
    { additionalProperties: false },
  ),
  data: Type.Boolean({ description: 'True: the order is cancelled' }),
  handler: async ({ deps, auth, body }) => {
    const reason = body.cancelReason.trim();
    if (!reason) throw invalidParameter('cancelReason', 'required');
    const remark = body.remark?.trim();
    await cancelOrder(deps, auth, '1688', body.orderId, remark ? `${reason}: ${remark}` : reason);
    return true;
  },
});
