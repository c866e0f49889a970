import { defineRoute } from '../../../platform/http/route.js';
import { Strict, Text, Type } from '../../../platform/http/schema.js';
import { RefundParams, RefundView, sandboxForChange, toRefundView } from '../sandbox.schemas.js';

const ACTIONS = {
  agree: 'Emits `refund.agreed`; a refund-only case then succeeds (`refund.succeeded`), a return waits for the parcel.',
  refuse: 'Emits `refund.refused`; the buyer may modify the request before it times out.',
  'receive-return': 'The returned parcel arrived: emits `refund.goods_received` and `refund.succeeded`.',
} as const;

function route(action: keyof typeof ACTIONS) {
  return defineRoute({
    method: 'POST',
    url: `/sandbox/:platform/refunds/:refundId/${action}`,
    operationId:
      action === 'agree' ? 'sandboxAgreeRefund' : action === 'refuse' ? 'sandboxRefuseRefund' : 'sandboxReceiveReturn',
    summary:
      action === 'agree'
        ? 'Make the seller agree to a refund now'
        : action === 'refuse'
          ? 'Make the seller refuse a refund now'
          : 'Make the seller confirm a returned parcel',
    description: ACTIONS[action],
    tags: ['Sandbox'],
    auth: 'admin',
    errors: [40401, 40901],
    params: RefundParams,
    body: Type.Optional(
      Strict({ reason: Type.Optional(Text('Why the seller refuses (refuse only)', 200, undefined, 1)) }),
    ),
    data: RefundView,
    handler: async ({ deps, params, body }) => {
      const sandbox = sandboxForChange(deps);
      const refunds = sandbox.refundsOf(params.platform);
      const refund =
        action === 'agree'
          ? refunds.agree(params.refundId)
          : action === 'refuse'
            ? refunds.refuse(params.refundId, body?.reason)
            : refunds.confirmReturn(params.refundId);
      await sandbox.events.dispatch();
      return toRefundView(refund);
    },
  });
}

export const agreeRefund = route('agree');
export const refuseRefund = route('refuse');
export const receiveReturn = route('receive-return');
