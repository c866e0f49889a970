import type { AppDeps } from '../../platform/deps.js';
import { ApiError } from '../../platform/http/errors.js';
import { EpochMs, Int, Text, Type } from '../../platform/http/schema.js';
import type { SandboxMarket } from '../../providers/sandbox/sandbox.js';
import type { UpstreamOrder, UpstreamRefund } from '../../providers/types.js';

declare module '../../platform/deps.js' {
  interface AppDeps {
    /**
     * The built-in sandbox market when it is the upstream (its control API needs it), else null. Only
     * this module and the composition root (app.ts) use it; the platform does not know it exists.
     */
    sandbox: SandboxMarket | null;
  }
}

/** The sandbox market, or 40401 when this server's upstream is another marketplace. */
export function sandboxOf(deps: AppDeps): SandboxMarket {
  if (!deps.sandbox) throw new ApiError(40401, { what: 'the sandbox market (this server uses another upstream)' });
  return deps.sandbox;
}

/**
 * The sandbox market for a change (a seller action, the clock, the policy, a fault): 40901 while a reset
 * is seeding a new catalog, whose store is then written by the seeding thread alone.
 */
export function sandboxForChange(deps: AppDeps): SandboxMarket {
  const sandbox = sandboxOf(deps);
  const reset = sandbox.resets.running();
  if (reset)
    throw new ApiError(40901, { reason: `the sandbox market is being reset (job ${reset.id}); retry when it is done` });
  return sandbox;
}

export const PlatformName = Type.Union([Type.Literal('taobao'), Type.Literal('1688')], {
  description: 'Which marketplace: `taobao` or `1688`',
});

export const PlatformParams = Type.Object({ platform: PlatformName });
export const OrderParams = Type.Object({
  platform: PlatformName,
  orderId: Text('Upstream order id', 40, '3580000000000000001', 1),
});
export const RefundParams = Type.Object({
  platform: PlatformName,
  refundId: Text('Upstream refund id', 40, '110000000001', 1),
});
export const ProductParams = Type.Object({
  platform: PlatformName,
  productId: Text('Taobao itemId or 1688 offerId', 40, '600010000003', 1),
});

export const ClockView = Type.Object({
  now: EpochMs('Market time'),
  speed: Type.Number({ description: 'Market milliseconds per real millisecond' }),
});

export const OrderView = Type.Object({
  platform: PlatformName,
  orderId: Type.String(),
  buyerId: Type.String({ description: 'The user-id the order was placed for' }),
  status: Type.String({
    description: 'wait_buyer_pay, wait_seller_send, wait_buyer_receive, confirmed, finished or closed',
  }),
  totalFen: Int('Total, fen', 0, Number.MAX_SAFE_INTEGER),
  adjustFen: Int('The seller’s price change, fen', -Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER),
  lines: Type.Array(
    Type.Object({
      lineId: Type.String(),
      productId: Type.String(),
      skuId: Type.Union([Type.String(), Type.Null()]),
      quantity: Int('Quantity', 1, 1_000_000),
      status: Type.String(),
      carrierCode: Type.Union([Type.String(), Type.Null()]),
      trackingNo: Type.Union([Type.String(), Type.Null()]),
    }),
  ),
  closeReason: Type.Union([Type.String(), Type.Null()]),
});

export function toOrderView(o: UpstreamOrder) {
  return {
    platform: o.platform,
    orderId: o.orderId,
    buyerId: o.buyerId,
    status: o.status,
    totalFen: o.totalFen,
    adjustFen: o.adjustFen,
    lines: o.lines.map((l) => ({
      lineId: l.lineId,
      productId: l.productId,
      skuId: l.skuId,
      quantity: l.quantity,
      status: l.status,
      carrierCode: l.shipment?.carrierCode ?? null,
      trackingNo: l.shipment?.trackingNo ?? null,
    })),
    closeReason: o.closeReason,
  };
}

export const RefundView = Type.Object({
  platform: PlatformName,
  refundId: Type.String(),
  orderId: Type.String(),
  lineId: Type.String(),
  status: Type.String({
    description: 'wait_seller_agree, wait_buyer_return, wait_seller_receive, success, seller_refused or closed',
  }),
  refundType: Type.String({ description: '`refund` (money only) or `return_refund`' }),
  amountFen: Int('Amount, fen', 0, Number.MAX_SAFE_INTEGER),
  refuseReason: Type.Union([Type.String(), Type.Null()]),
  deadline: Type.Union([EpochMs('When the current step times out'), Type.Null()]),
});

export function toRefundView(r: UpstreamRefund) {
  return {
    platform: r.platform,
    refundId: r.refundId,
    orderId: r.orderId,
    lineId: r.lineId,
    status: r.status,
    refundType: r.refundType,
    amountFen: r.amountFen,
    refuseReason: r.refuseReason,
    deadline: r.deadline,
  };
}

export const FaultView = Type.Object({
  operation: Type.String({ description: 'A provider operation (for example `getProduct`), or `*` for all' }),
  errorRate: Type.Number({ minimum: 0, maximum: 1, description: 'Share of calls failing with 50201' }),
  timeoutRate: Type.Number({ minimum: 0, maximum: 1, description: 'Share of calls never answering (50401)' }),
  lostReplyRate: Type.Number({
    minimum: 0,
    maximum: 1,
    description: 'Share of calls that take effect but never answer (a write the caller must reconcile)',
  }),
  latencyMs: Int('Latency added to every call, ms', 0, 600_000),
});

const Delay = (description: string) => Int(`${description} (market ms)`, 0, 10 * 365 * 86_400_000);
const Rate = (description: string) => Type.Number({ minimum: 0, maximum: 1, description });

export const SellerPolicyView = Type.Object(
  {
    shipAfterMs: Delay('A paid order ships this long after payment'),
    traceStepMs: Delay('Time between two tracking steps'),
    unpaidCloseAfterMs: Delay('An unpaid order closes this long after creation'),
    autoConfirmAfterMs: Delay('Receipt is confirmed automatically this long after signing'),
    finishAfterMs: Delay('A confirmed order finishes this long after confirmation'),
    priceModifyRate: Rate('Share of new orders whose seller changes the price before payment'),
    priceModifyAfterMs: Delay('When the seller changes the price'),
    priceModifyPercent: Type.Array(Type.Number({ minimum: -90, maximum: 100 }), {
      minItems: 2,
      maxItems: 2,
      description: 'The change as a percentage range [low, high] of the goods amount (negative = discount)',
      examples: [[-10, 5]],
    }),
    refundDecision: Type.Union([Type.Literal('agree'), Type.Literal('refuse'), Type.Literal('random')], {
      description: 'How sellers decide refund requests',
    }),
    refundAgreeRate: Rate('With `random`, the share of requests agreed'),
    refundDecisionAfterMs: Delay('Sellers decide this long after a request'),
    sellerAgreeTimeoutMs: Delay('An undecided request is agreed automatically after this'),
    buyerModifyTimeoutMs: Delay('After a refusal, the request closes unless modified within this'),
    buyerReturnTimeoutMs: Delay('After a return is agreed, it closes unless the parcel is sent within this'),
    returnReceiveAfterMs: Delay('The seller confirms a returned parcel this long after it is sent'),
    sellerReceiveTimeoutMs: Delay('A returned parcel the seller does not confirm is refunded after this'),
    refundReplyAfterMs: Delay('The seller answers a buyer’s message about a refund this long after it'),
  },
  { additionalProperties: false },
);
