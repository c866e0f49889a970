import { defineRoute } from '../../../platform/http/route.js';
import { Type } from '../../../platform/http/schema.js';
import { cancelRefund, ownRefund } from '../actions.js';
import { loadRefundAggregate } from '../refunds.repo.js';
import { RefundId, taobaoRefundData } from '../refunds.schemas.js';
import { TAOBAO_REFUND_STATUS } from '../refunds.states.js';
import { RefundEnvelope, RefundOrderAggregate } from '../taobao-view.js';

export default defineRoute({
  method: 'GET',
  url: '/open/order/refund/cancel/:refundId',
  operationId: 'taobaoCancelRefund',
  summary: 'Cancel a reverse order',
  description:
    'Withdraws a reverse order the seller has not refunded and has no returned parcel of yet (`100`, `-10` or ' +
    '`200`): it closes (`-20`). A reverse order already closed answers `cancelSuccess: false` with its state; one ' +
    'refunded or whose parcel is on its way answers 40901.',
  tags: ['Taobao after-sales'],
  auth: 'signed',
  mutation: true,
  ownTransactions: true,
  errors: [40401, 40901, 50201, 50401, 50402],
  params: Type.Object({ refundId: RefundId('Reverse order id', '110000235001') }),
  data: Type.Object({
    cancelSuccess: Type.Boolean({ description: 'Whether this request cancelled it' }),
    ...RefundEnvelope,
    refundOrderAggregate: RefundOrderAggregate,
  }),
  handler: async ({ deps, auth, params, lang }) => {
    const refund = await ownRefund(deps, auth, 'taobao', params.refundId);
    if (refund.status === 'closed') {
      const agg = await loadRefundAggregate(deps.database.db, refund);
      return { cancelSuccess: false, ...taobaoRefundData(deps, agg, lang) };
    }
    const agg = await cancelRefund(deps, refund, TAOBAO_REFUND_STATUS[refund.status]);
    return { cancelSuccess: agg.refund.status === 'closed', ...taobaoRefundData(deps, agg, lang) };
  },
});
