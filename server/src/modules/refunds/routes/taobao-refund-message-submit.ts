import { defineRoute } from '../../../platform/http/route.js';
import { LanguageField, Strict, Text } from '../../../platform/http/schema.js';
import { addRefundMessage, ownRefund } from '../actions.js';
import { RefundMessageView, toRefundMessageView } from '../message-view.js';
import { picturesOf, REFUND_WRITE, RefundId, TaobaoPictures } from '../refunds.schemas.js';

export default defineRoute({
  method: 'POST',
  url: '/open/order/refund/submit/message',
  operationId: 'taobaoSubmitRefundMessage',
  summary: 'Leave a message on a reverse order',
  description:
    'Writes to the seller about a reverse order, with pictures if you like; the seller’s replies appear in ' +
    '`/open/order/refund/message/queryList`. Any state, closed ones included.',
  tags: ['Taobao after-sales'],
  ...REFUND_WRITE,
  body: Strict({
    refundId: RefundId('Reverse order id', '110000235001'),
    refundMessage: Text('The message', 500, '请尽快处理', 1),
    refundImages: TaobaoPictures('Pictures'),
    language: LanguageField,
  }),
  data: RefundMessageView,
  handler: async ({ deps, auth, body }) => {
    const refund = await ownRefund(deps, auth, 'taobao', body.refundId);
    const imageKeys = await picturesOf(deps, auth, body.refundImages, 'refundImages');
    const message = await addRefundMessage(deps, refund, body.refundMessage, imageKeys);
    return toRefundMessageView(deps, refund.id, message);
  },
});
