import { defineRoute } from '../../../platform/http/route.js';
import { Int, LanguageField, PageNo, Strict, Type } from '../../../platform/http/schema.js';
import { ownRefund, refundMessages } from '../actions.js';
import { RefundMessageView, toRefundMessageView } from '../message-view.js';
import { RefundId } from '../refunds.schemas.js';

export default defineRoute({
  method: 'POST',
  url: '/open/order/refund/message/queryList',
  operationId: 'taobaoListRefundMessages',
  summary: 'List the messages of a reverse order',
  description:
    'The conversation about a reverse order, oldest first: yours, the seller’s replies, and the marketplace’s own ' +
    'notes (submitted, agreed, refused, timed out, parcel sent). Read from the marketplace on each call.',
  tags: ['Taobao after-sales'],
  auth: 'signed',
  errors: [40401, 50201, 50401],
  body: Strict({
    refundId: RefundId('Reverse order id'),
    pageNo: PageNo,
    pageSize: Type.Optional(Int('Page size, at most 100', 1, 100, 50)),
    language: LanguageField,
  }),
  data: Type.Object({
    total: Int('Messages in all', 0, 1_000_000, 3),
    pageNo: Int('This page', 1, 100_000, 1),
    pageSize: Int('Page size', 1, 100, 50),
    messages: Type.Array(RefundMessageView),
  }),
  handler: async ({ deps, auth, body }) => {
    const refund = await ownRefund(deps, auth, 'taobao', body.refundId);
    const all = await refundMessages(deps, refund);
    const pageNo = body.pageNo ?? 1;
    const pageSize = body.pageSize ?? 50;
    return {
      total: all.length,
      pageNo,
      pageSize,
      messages: all
        .slice((pageNo - 1) * pageSize, pageNo * pageSize)
        .map((m) => toRefundMessageView(deps, refund.id, m)),
    };
  },
});
