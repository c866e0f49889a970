import { MarketRejection, type RejectionReason, UpstreamError, UpstreamUnsupportedError } from '../errors.js';
import type { CallOptions, MarketProvider } from '../market.js';
import type {
  GoodsStatus,
  RefundMessage,
  RefundOptions,
  RefundType,
  ShippingAddress,
  UpstreamRefund,
  UpstreamRefundStatus,
} from '../types.js';
import { businessError, type IopClient, type IopParam } from './gateway.js';
import { localized, UPSTREAM } from './goods.js';
import { ORDER_REFUSALS, time } from './orders.js';
import { count, type Json, list, record, text } from './wire.js';

/**
 * The after-sales side of the Taobao provider over Taobao Global's distributor APIs (see
 * docs/adr/0016-real-upstreams.md). The platform documents one refund API, `/order/refund/query`, which reads
 * a refund (a "reverse order") by its id; `/purchase/orders/query` names the refund of each sub-order. The
 * APIs that would open, change, cancel or message a refund, or send a return parcel, are not documented, so
 * those operations answer `UpstreamUnsupportedError` rather than a guess: a refund opened with a wrongly read
 * parameter (an amount in yuan taken as fen, a goods state off by one) moves money.
 */

export type TaobaoRefundOperation =
  | 'refundOptions'
  | 'createRefund'
  | 'modifyRefund'
  | 'cancelRefund'
  | 'submitReturnShipment'
  | 'getRefund'
  | 'refundByClientRef'
  | 'addRefundMessage'
  | 'refundMessages'
  | 'orderRefunds';

export type RefundCapability = { api: string } | { unsupported: string };

const UNDOCUMENTED_WRITE = 'the platform documents no API for it';

/** Which API answers each after-sales operation, or why none does. */
export const REFUND_CAPABILITIES: Record<TaobaoRefundOperation, RefundCapability> = {
  // `/order/refund/render` and `/order/refund/submit` are named only by a demo that answers from its own
  // code and never reaches the platform: neither their parameters nor their answers are known.
  refundOptions: { unsupported: '/order/refund/render is undocumented (its only trace is an offline demo)' },
  createRefund: { unsupported: '/order/refund/submit is undocumented (its only trace is an offline demo)' },
  modifyRefund: { unsupported: UNDOCUMENTED_WRITE },
  cancelRefund: { unsupported: UNDOCUMENTED_WRITE },
  submitReturnShipment: { unsupported: UNDOCUMENTED_WRITE },
  getRefund: { api: '/order/refund/query' },
  refundByClientRef: { unsupported: 'the platform keeps no client reference on a refund' },
  addRefundMessage: { unsupported: UNDOCUMENTED_WRITE },
  refundMessages: { unsupported: 'the platform documents no API listing the messages of a refund' },
  orderRefunds: { api: '/purchase/orders/query + /order/refund/query' },
};

/** Business error codes of the refund query and the refusal each stands for, beside the order ones. */
export const REFUND_REFUSALS: Readonly<Record<string, RejectionReason>> = {
  ...ORDER_REFUSALS,
  REFUND_NOT_FOUND: 'not_found',
  REFUND_ORDER_NOT_FOUND: 'not_found',
};

/** The platform's integer `refund_status` and Ponte's word for each (0 means the line has no refund). */
export const REFUND_STATUSES: Readonly<Record<string, UpstreamRefundStatus>> = {
  '10': 'wait_seller_agree',
  '20': 'wait_buyer_return',
  '30': 'wait_seller_receive',
  '100': 'success',
  '-10': 'seller_refused',
  '-20': 'closed',
};

/** `refund_type`: 1 money only, 2 return and refund. */
export const REFUND_TYPES: Readonly<Record<string, RefundType>> = { '1': 'refund', '2': 'return_refund' };

/**
 * `goods_status` (1 not shipped, 2 shipped, 3 not received, 4 received, 5 sent back, 6 seller received) read
 * as where the goods are. Ponte's buyer is its warehouse, so "received" is the warehouse holding them; the
 * two states after a return started describe the parcel going back, which the buyer did hold.
 */
export const GOODS_STATUSES: Readonly<Record<string, GoodsStatus>> = {
  '1': 'not_shipped',
  '2': 'in_transit',
  '3': 'in_transit',
  '4': 'received',
  '5': 'received',
  '6': 'received',
};

export class TaobaoGlobalRefunds implements Pick<MarketProvider, TaobaoRefundOperation> {
  constructor(
    private readonly client: IopClient,
    /** The access token acting for a buyer (each distributor sub-account holds its own). */
    private readonly token: (buyerId: string) => Promise<string>,
  ) {}

  async refundOptions(): Promise<RefundOptions> {
    throw new UpstreamUnsupportedError('refundOptions', UPSTREAM);
  }

  async createRefund(): Promise<UpstreamRefund> {
    throw new UpstreamUnsupportedError('createRefund', UPSTREAM);
  }

  async modifyRefund(): Promise<UpstreamRefund> {
    throw new UpstreamUnsupportedError('modifyRefund', UPSTREAM);
  }

  async cancelRefund(): Promise<UpstreamRefund> {
    throw new UpstreamUnsupportedError('cancelRefund', UPSTREAM);
  }

  async submitReturnShipment(): Promise<UpstreamRefund> {
    throw new UpstreamUnsupportedError('submitReturnShipment', UPSTREAM);
  }

  async refundByClientRef(): Promise<UpstreamRefund | null> {
    throw new UpstreamUnsupportedError('refundByClientRef', UPSTREAM);
  }

  async addRefundMessage(): Promise<RefundMessage> {
    throw new UpstreamUnsupportedError('addRefundMessage', UPSTREAM);
  }

  async refundMessages(): Promise<RefundMessage[]> {
    throw new UpstreamUnsupportedError('refundMessages', UPSTREAM);
  }

  async getRefund(refundId: string, buyerId: string, opts?: CallOptions): Promise<UpstreamRefund | null> {
    if (!/^\d{1,30}$/.test(refundId)) return null;
    const body = await this.call(buyerId, '/order/refund/query', { refundId }, opts);
    const failure = businessError(body);
    if (failure) {
      const reason = REFUND_REFUSALS[failure.code.toUpperCase()];
      if (reason === 'not_found') return null;
      throw reason
        ? new MarketRejection(reason, failure.message)
        : new UpstreamError('getRefund', `${failure.code}: ${failure.message}`);
    }
    const data = record(record(body.result)?.data) ?? record(body.data);
    if (!data) throw new UpstreamError('getRefund', 'the answer carries no data');
    // One client sees the aggregate's parts directly under `data`: both layouts are read.
    const aggregate = record(data.refund_order_aggregate) ?? data;
    const refund = toRefund(aggregate, buyerId);
    return refund && refund.refundId === refundId ? refund : null;
  }

  /**
   * The refunds the order query names: one per sub-order, its latest (the platform names no earlier ones),
   * newest first. Refund ids grow with time, so the larger id is the newer refund.
   */
  async orderRefunds(orderId: string, buyerId: string, opts?: CallOptions): Promise<UpstreamRefund[]> {
    if (!/^\d{1,30}$/.test(orderId)) throw new MarketRejection('not_found', `order ${orderId}`);
    const body = await this.call(buyerId, '/purchase/orders/query', { purchase_ids: [BigInt(orderId)] }, opts);
    const failure = businessError(body);
    if (failure) {
      const reason = REFUND_REFUSALS[failure.code.toUpperCase()];
      throw reason
        ? new MarketRejection(reason, failure.message)
        : new UpstreamError('orderRefunds', `${failure.code}: ${failure.message}`);
    }
    const data = record(body.data) ?? record(record(body.result)?.data) ?? {};
    const order = list(data.purchase_orders).find((o) => text(o.purchase_id) === orderId);
    if (!order) throw new MarketRejection('not_found', `order ${orderId}`);
    const ids = list(order.sub_purchase_orders)
      .map((s) => text(s.refund_id))
      .filter((id): id is string => id !== null && /^\d+$/.test(id) && !/^0+$/.test(id));
    const refunds: UpstreamRefund[] = [];
    for (const id of [...new Set(ids)]) {
      const refund = await this.getRefund(id, buyerId, opts);
      if (refund) refunds.push(refund);
    }
    return refunds.sort((a, b) => compareIds(b.refundId, a.refundId));
  }

  private async call(
    buyerId: string,
    api: string,
    params: Record<string, IopParam>,
    opts: CallOptions | undefined,
  ): Promise<Json> {
    opts?.signal?.throwIfAborted();
    const accessToken = await this.token(buyerId);
    const { body } = await this.client.call(api, params, { accessToken, signal: opts?.signal });
    return body;
  }
}

// -- mapping ---------------------------------------------------------------------------------------------

/**
 * A refund from the query's aggregate (`refund_order`, `purchase_order_line`, `logistics`). The query carries
 * no client reference, evidence pictures, refusal count or times of the refund itself: those read as empty,
 * except that a refusal reason means at least one refusal, and the refund's times fall back to the order
 * line's creation.
 */
function toRefund(aggregate: Json, buyerId: string): UpstreamRefund | null {
  const order = record(aggregate.refund_order);
  if (!order) return null;
  const line = record(aggregate.purchase_order_line) ?? {};
  const logistics = record(aggregate.logistics);
  const refundId = text(order.refund_id);
  if (!refundId) return null;
  const status = REFUND_STATUSES[text(order.refund_status) ?? ''];
  if (!status) throw new UpstreamError('getRefund', `unknown refund status ${text(order.refund_status) ?? '(none)'}`);
  const refundType = REFUND_TYPES[text(order.refund_type) ?? ''];
  if (!refundType) throw new UpstreamError('getRefund', `unknown refund type ${text(order.refund_type) ?? '(none)'}`);
  const goodsStatus = GOODS_STATUSES[text(order.goods_status) ?? ''];
  if (!goodsStatus) {
    throw new UpstreamError('getRefund', `unknown goods status ${text(order.goods_status) ?? '(none)'}`);
  }
  const refuseReason = text(order.seller_refuse_reason)?.trim() || null;
  const deadline = time(order.timeout_date);
  const created = time(line.create_time) ?? 0;
  return {
    platform: 'taobao',
    refundId,
    orderId: text(line.purchase_order_id) ?? '',
    lineId: text(line.purchase_order_line_id) ?? '',
    buyerId,
    clientRef: '',
    refundType,
    goodsStatus,
    status,
    // The platform words its reasons in Chinese only and does not say which need a picture.
    reason: {
      reasonId: text(order.reason_id) ?? '',
      text: localized(text(order.reason_desc) ?? '', null),
      needsProof: false,
    },
    amountFen: count(order.refund_fee) ?? 0,
    description: text(order.refund_desc) ?? '',
    images: [],
    deadline,
    timeoutAction: deadline === null ? null : timeoutAction(order.timeout_type, status),
    returnAddress: returnAddress(logistics),
    returnShipment: returnShipment(logistics),
    refuseReason,
    refuseCount: refuseReason ? 1 : 0,
    createdAt: created,
    updatedAt: created,
  };
}

/**
 * What happens when the step times out. The platform's `timeout_type` values are not documented: a word
 * naming agreement or closing is read as such; otherwise the step's usual outcome stands (the seller's silence
 * agrees, the buyer's closes).
 */
function timeoutAction(value: unknown, status: UpstreamRefundStatus): 'agree' | 'close' {
  const word = (text(value) ?? '').toLowerCase();
  if (word.includes('close') || word.includes('cancel')) return 'close';
  if (word.includes('agree') || word.includes('success') || word.includes('confirm')) return 'agree';
  return status === 'wait_buyer_return' || status === 'seller_refused' ? 'close' : 'agree';
}

/** The seller's return address, as one detailed line with its receiver and phone. */
function returnAddress(logistics: Json | null): ShippingAddress | null {
  const a = record(logistics?.receiver_address);
  if (!a) return null;
  const receiver = text(a.receiver) ?? '';
  const address = text(a.detail_address) ?? '';
  if (!receiver && !address) return null;
  return { receiver, phone: text(a.phone) ?? '', province: '', city: '', district: '', address };
}

/** The buyer's return parcel; the query carries no dispatch time, so it reads as 0. */
function returnShipment(logistics: Json | null): UpstreamRefund['returnShipment'] {
  const trackingNo = text(logistics?.logistics_no);
  if (!logistics || !trackingNo) return null;
  const company = record(logistics.logistics_company) ?? {};
  return {
    carrierCode: text(company.logistics_company_code) ?? text(company.logistics_company_name) ?? '',
    trackingNo,
    description: text(logistics.return_goods_desc) ?? '',
    shippedAt: 0,
  };
}

function compareIds(a: string, b: string): number {
  return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
}
