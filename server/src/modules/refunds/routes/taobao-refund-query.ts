import { defineRoute } from '../../../platform/http/route.js';
import { Type } from '../../../platform/http/schema.js';
import { ownRefund } from '../actions.js';
import { loadRefundAggregate } from '../refunds.repo.js';
import { RefundId, taobaoRefundData } from '../refunds.schemas.js';
import { RefundAggregateData } from '../taobao-view.js';

export default defineRoute({
  method: 'GET',
  url: '/open/order/refund/query',
  operationId: 'taobaoGetRefund',
  summary: 'Query one reverse order',
  description:
    'The reverse order as Ponte last heard of it from the marketplace (each change also comes as a message): ' +
    'status, amounts, reason, deadline, the seller’s refusal, the return’s address and parcel, and its line.',
  tags: ['Taobao after-sales'],
  auth: 'signed',
  errors: [40401],
  query: Type.Object({ refundId: RefundId('Reverse order id') }),
  data: RefundAggregateData,
  handler: async ({ deps, auth, query, lang }) => {
    const refund = await ownRefund(deps, auth, 'taobao', query.refundId);
    return taobaoRefundData(deps, await loadRefundAggregate(deps.database.db, refund), lang);
  },
});
