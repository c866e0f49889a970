import { UpstreamUnsupportedError } from './errors.js';
import type { CallOptions, MarketProvider } from './market.js';
import type { CancelOrder, OrderRequest, RefundRequest, UpstreamOrder, UpstreamRefund } from './types.js';

/**
 * What a write whose answer never came did upstream, found by asking the upstream with reads: the
 * write's result when it happened, `NOT_DONE` when it certainly did not. A write with no reconciler
 * here has an unknown outcome when it times out. Each write carries what identifies its effect: a
 * `clientRef` for creations, the target's id and the state the write leads to otherwise.
 */
export const NOT_DONE = Symbol('not done');
export type Reconciled = unknown | typeof NOT_DONE;

type Reconciler = (provider: MarketProvider, args: unknown[], opts: CallOptions) => Promise<Reconciled>;

/**
 * Paid: moved on from `wait_buyer_pay` with a payment time (an order closed unpaid has none; one paid
 * then refunded in full and closed keeps it).
 */
function isPaid(order: UpstreamOrder): boolean {
  return order.status !== 'wait_buyer_pay' && order.paidAt !== null;
}

const RECEIVED: UpstreamOrder['status'][] = ['confirmed', 'finished'];

async function orderIn(
  provider: MarketProvider,
  orderId: string,
  buyerId: string,
  statuses: UpstreamOrder['status'][],
  opts: CallOptions,
): Promise<Reconciled> {
  const order = await provider.getOrder(orderId, buyerId, opts);
  return order && statuses.includes(order.status) ? order : NOT_DONE;
}

async function refundIn(
  provider: MarketProvider,
  refundId: string,
  buyerId: string,
  statuses: UpstreamRefund['status'][],
  opts: CallOptions,
): Promise<Reconciled> {
  const refund = await provider.getRefund(refundId, buyerId, opts);
  return refund && statuses.includes(refund.status) ? refund : NOT_DONE;
}

/** What identifies the refund a create made: its reference, and the order line it is about. */
export interface RefundCreate {
  clientRef: string;
  orderId: string;
  lineId: string;
  buyerId: string;
  /** When the create was first sent (epoch ms): an older refund of the line is not this one. */
  since?: number;
}

/** How far a marketplace's creation time may precede Ponte's record of sending the create (clocks differ). */
const CLOCK_SLACK_MS = 5 * 60_000;

/**
 * The refund a create made, or null when it made none. By its reference where the marketplace keeps one; where it
 * does not (1688, docs/adr/0016), the line's refund still open that was made since the create was sent: a
 * marketplace allows one open refund per line, so it can only be this create's.
 */
export async function refundMadeBy(
  provider: MarketProvider,
  create: RefundCreate,
  opts: CallOptions = {},
): Promise<UpstreamRefund | null> {
  try {
    return await provider.refundByClientRef(create.clientRef, create.buyerId, opts);
  } catch (err) {
    if (!(err instanceof UpstreamUnsupportedError)) throw err;
  }
  const refunds = await provider.orderRefunds(create.orderId, create.buyerId, opts);
  const since = (create.since ?? 0) - CLOCK_SLACK_MS;
  return refunds.find((r) => r.lineId === create.lineId && r.status !== 'closed' && r.createdAt >= since) ?? null;
}

export const RECONCILERS: Partial<Record<string, Reconciler>> = {
  async createOrder(p, [request], opts) {
    const r = request as OrderRequest;
    const orders = await p.ordersByClientRef(r.clientRef, r.buyerId, opts);
    return orders.length > 0 ? orders : NOT_DONE;
  },
  async payOrder(p, [orderId, buyerId, expectedTotalFen], opts) {
    const order = await p.getOrder(orderId as string, buyerId as string, opts);
    // Paid at another total: another payment did it, since the marketplace refuses this one's mismatch.
    return order && isPaid(order) && order.totalFen === expectedTotalFen ? order : NOT_DONE;
  },
  async cancelOrder(p, [request], opts) {
    const r = request as CancelOrder;
    return orderIn(p, r.orderId, r.buyerId, ['closed'], opts);
  },
  confirmReceipt: (p, [orderId, buyerId], opts) => orderIn(p, orderId as string, buyerId as string, RECEIVED, opts),
  async createRefund(p, [request], opts) {
    const r = request as RefundRequest;
    return (await refundMadeBy(p, r, opts)) ?? NOT_DONE;
  },
  cancelRefund: (p, [refundId, buyerId], opts) => refundIn(p, refundId as string, buyerId as string, ['closed'], opts),
};
