import { MarketRejection, type RejectionReason, UpstreamError, UpstreamUnsupportedError } from '../errors.js';
import type { CallOptions } from '../market.js';
import type {
  GoodsStatus,
  RefundMessage,
  RefundOptions,
  RefundReason,
  RefundRequest,
  RefundType,
  ReturnShipment,
  ShippingAddress,
  UpstreamOrder,
  UpstreamRefund,
  UpstreamRefundStatus,
} from '../types.js';
import type { AopGateway, AopParamValue } from './gateway.js';
import { parseAopDate } from './gateway.js';
import { AopOrders, type AopOrdersOptions } from './orders.js';
import { idText } from './values.js';
import { type Json, list, obj, same, text, truthy } from './wire.js';

/**
 * The after-sales operations of the 1688 provider over the open platform's refund APIs (ADR 0016): the reasons
 * for a line, the buyer's refund application (amounts in fen), the return parcel, and the buyer's refund list, which
 * is also how a refund is read (1688 documents no lookup of one refund by its id). 1688 keeps no buyer reference on
 * a refund, and a line has at most one open refund: a retried creation finds the open refund of the order's line.
 * Modifying and cancelling an application and the refund's conversation have no documented API and are refused as
 * unsupported.
 */

export type RefundOperation =
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

/** The APIs the after-sales operations call, as `namespace:name`. */
export const AOP_REFUND_APIS = {
  reasons: 'com.alibaba.trade:alibaba.trade.getRefundReasonList',
  create: 'com.alibaba.trade:alibaba.trade.createRefund',
  returnGoods: 'com.alibaba.trade:alibaba.trade.refund.returnGoods',
  list: 'com.alibaba.trade:alibaba.trade.refund.buyer.queryOrderRefundList',
} as const;

const ORDER_VIEW_API = 'com.alibaba.trade:alibaba.trade.get.buyerView';
const UPSTREAM = 'aop';

/** Which API answers each after-sales operation, or why none does. */
export const REFUND_CAPABILITIES: Record<RefundOperation, { api: string } | { unsupported: string }> = {
  refundOptions: { api: `${ORDER_VIEW_API} + ${AOP_REFUND_APIS.reasons} + ${AOP_REFUND_APIS.list}` },
  createRefund: { api: `${ORDER_VIEW_API} + ${AOP_REFUND_APIS.list} + ${AOP_REFUND_APIS.create}` },
  modifyRefund: { unsupported: 'no documented API changes a refund application' },
  cancelRefund: { unsupported: 'no documented API withdraws a refund application' },
  submitReturnShipment: { api: `${AOP_REFUND_APIS.returnGoods} + ${AOP_REFUND_APIS.list}` },
  getRefund: { api: AOP_REFUND_APIS.list },
  refundByClientRef: {
    unsupported: '1688 keeps no buyer reference on a refund; a retried creation finds the open refund of its line',
  },
  addRefundMessage: { unsupported: 'no documented API writes to a refund’s conversation' },
  refundMessages: { unsupported: 'no documented API reads a refund’s conversation' },
  orderRefunds: { api: AOP_REFUND_APIS.list },
};

/** 1688's refund status words and the neutral ones (`waitbuyermodify`: the seller refused, the buyer may change). */
export const AOP_REFUND_STATUSES: Record<string, UpstreamRefundStatus> = {
  waitselleragree: 'wait_seller_agree',
  waitbuyermodify: 'seller_refused',
  waitbuyersend: 'wait_buyer_return',
  waitsellerreceive: 'wait_seller_receive',
  refundsuccess: 'success',
  refundclose: 'closed',
};

/** The neutral refund types as `disputeRequest` writes them. */
export const AOP_DISPUTE_REQUESTS: Record<RefundType, string> = { refund: 'refund', return_refund: 'returnRefund' };

/**
 * The neutral goods states as `goodsStatus` writes them. 1688's buyer is the account that received the goods, so
 * goods at Ponte's warehouse are goods the buyer received: read back, they are `received`.
 */
export const AOP_GOODS_STATUSES: Record<GoodsStatus, string> = {
  not_shipped: 'refundWaitSellerSend',
  in_transit: 'refundWaitBuyerReceive',
  received: 'refundBuyerReceived',
  at_warehouse: 'refundBuyerReceived',
};

/** 1688's goods states read back, the after-sale ones (after the order finished) included. */
const GOODS_FROM_WIRE: Record<string, GoodsStatus> = {
  refundWaitSellerSend: 'not_shipped',
  refundWaitBuyerReceive: 'in_transit',
  refundBuyerReceived: 'received',
  aftersaleBuyerNotReceived: 'in_transit',
  aftersaleBuyerReceived: 'received',
};

/**
 * The refusal codes of the refund APIs and the rejection each is. The documentation numbers them (`4xxx`, `5001`…)
 * without saying what each means: those are not guessed at and stay upstream errors. The named codes are the trade
 * APIs' own and the ones the fake answers for the same cases.
 */
export const AOP_REFUND_REFUSALS: Record<string, RejectionReason> = {
  ORDER_NOT_EXIST: 'not_found',
  REFUND_NOT_EXIST: 'not_found',
  ORDER_STATUS_ERROR: 'invalid_state',
  REFUND_STATUS_ERROR: 'invalid_state',
  REFUND_PARAM_ERROR: 'invalid_value',
};

/** The refund statuses during which a line cannot have another refund. */
const OPEN: UpstreamRefundStatus[] = [
  'wait_seller_agree',
  'wait_buyer_return',
  'wait_seller_receive',
  'seller_refused',
];

/** How far back the refund list reaches (`APPLY_TIME_ERROR` beyond 730 days). */
const LIST_WINDOW_MS = 730 * 86_400_000;
const PAGE_SIZE = 50;

/** The length 1688 allows a refund application's description. */
export const DESCRIPTION_MIN = 2;
export const DESCRIPTION_MAX = 150;

function fen(value: unknown, what: string): number {
  if (value === undefined || value === null || value === '') return 0;
  if (typeof value === 'number' && Number.isSafeInteger(value)) return value;
  if (typeof value === 'string' && /^-?\d+$/.test(value)) return Number(value);
  throw new TypeError(`${what}: not a whole number of fen (${String(value)})`);
}

function date(value: unknown): number | null {
  const t = text(value);
  return t ? parseAopDate(t) : null;
}

/** Epoch ms in the gateway's date form (`20180614101942000+0800`, China's time). */
function aopDateText(ms: number): string {
  const d = new Date(ms + 8 * 3_600_000);
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return (
    `${d.getUTCFullYear()}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}` +
    `${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}${p(d.getUTCMilliseconds(), 3)}+0800`
  );
}

/**
 * The refusal an answer carries: Env C's `{success, code, message}` or the flat `{success, errorCode, errorInfo |
 * errorMsg}` of the return and list APIs.
 */
function refusalOf(api: string, envelope: Json): Error | undefined {
  if (!('success' in envelope) || truthy(envelope.success)) return undefined;
  const code = text(envelope.errorCode ?? envelope.code);
  const message = text(envelope.errorInfo ?? envelope.errorMsg ?? envelope.errorMessage ?? envelope.message) || code;
  const reason = AOP_REFUND_REFUSALS[code];
  return reason ? new MarketRejection(reason, message) : new UpstreamError(api, `${code || 'refused'}: ${message}`);
}

export type AopRefundsOptions = AopOrdersOptions;

export class AopRefunds {
  private readonly orders: AopOrders;
  private readonly now: () => number;

  constructor(
    private readonly gateway: AopGateway,
    private readonly token: () => Promise<string>,
    options: AopRefundsOptions = {},
  ) {
    this.orders = new AopOrders(gateway, token, options);
    this.now = options.now ?? Date.now;
  }

  /**
   * What the line allows: 1688's reasons for the goods' state, and from the buyer's view of the order the amount
   * left to refund and whether the line is refundable now (paid, not closed, no refund open on it).
   */
  async refundOptions(orderId: string, lineId: string, buyerId: string, opts?: CallOptions): Promise<RefundOptions> {
    const order = await this.mustOrder(orderId, buyerId, opts);
    const line = order.lines.find((l) => l.lineId === lineId);
    if (!line) throw new MarketRejection('not_found', `order line ${lineId}`);
    const shipped = line.shipment !== null;
    const goodsStatuses: GoodsStatus[] = shipped ? ['in_transit', 'received', 'at_warehouse'] : ['not_shipped'];
    const reasons = await this.reasons(orderId, lineId, goodsStatuses[0] ?? 'not_shipped', opts);
    const open = (await this.orderRefunds(orderId, buyerId, opts)).some(
      (r) => r.lineId === lineId && OPEN.includes(r.status),
    );
    const max = Math.max(0, line.amountFen - line.refundedFen);
    return {
      reasons,
      goodsStatuses,
      refundTypes: shipped ? ['refund', 'return_refund'] : ['refund'],
      maxRefundFen: max,
      allowed:
        max > 0 && !open && order.status !== 'wait_buyer_pay' && order.status !== 'closed' && line.status !== 'closed',
    };
  }

  /**
   * Applies for a refund of one line. 1688 takes no reference of the buyer's, so the open refund of the same line
   * (there is at most one) is answered instead when there is one: a retry does not apply twice.
   */
  async createRefund(request: RefundRequest, opts?: CallOptions): Promise<UpstreamRefund> {
    const order = await this.mustOrder(request.orderId, request.buyerId, opts);
    if (!order.lines.some((l) => l.lineId === request.lineId)) {
      throw new MarketRejection('not_found', `order line ${request.lineId}`);
    }
    const before = await this.orderRefunds(request.orderId, request.buyerId, opts);
    const existing = before.find((r) => r.lineId === request.lineId && OPEN.includes(r.status));
    if (existing) return { ...existing, clientRef: request.clientRef };
    const description = await this.description(request, opts);
    const body = await this.call(
      AOP_REFUND_APIS.create,
      {
        orderId: BigInt(request.orderId),
        orderEntryIds: [BigInt(request.lineId)],
        disputeRequest: AOP_DISPUTE_REQUESTS[request.refundType],
        applyPayment: request.amountFen,
        applyCarriage: 0,
        applyReasonId: /^\d+$/.test(request.reasonId) ? Number(request.reasonId) : request.reasonId,
        description,
        goodsStatus: AOP_GOODS_STATUSES[request.goodsStatus],
        ...(request.images && request.images.length > 0 ? { vouchers: request.images } : {}),
      },
      opts,
    );
    const result = obj(body.result);
    const failure = refusalOf(AOP_REFUND_APIS.create, result);
    if (failure) throw failure;
    const refundId = text(obj(result.result).refundId);
    if (!refundId) throw new UpstreamError(AOP_REFUND_APIS.create, 'the answer carries no refundId');
    const made = (await this.orderRefunds(request.orderId, request.buyerId, opts)).find((r) => r.refundId === refundId);
    if (!made) throw new UpstreamError(AOP_REFUND_APIS.list, `refund ${refundId} is not listed after its creation`);
    return { ...made, clientRef: request.clientRef };
  }

  async modifyRefund(): Promise<UpstreamRefund> {
    throw new UpstreamUnsupportedError('modifyRefund', UPSTREAM);
  }

  async cancelRefund(): Promise<UpstreamRefund> {
    throw new UpstreamUnsupportedError('cancelRefund', UPSTREAM);
  }

  /** The return parcel: the carrier by its company number (`logisticsCompanyNo`) and the waybill (`freightBill`). */
  async submitReturnShipment(
    refundId: string,
    buyerId: string,
    shipment: ReturnShipment,
    opts?: CallOptions,
  ): Promise<UpstreamRefund> {
    const body = await this.call(
      AOP_REFUND_APIS.returnGoods,
      {
        refundId,
        logisticsCompanyNo: shipment.carrierCode,
        freightBill: shipment.trackingNo,
        ...(shipment.description ? { description: shipment.description } : {}),
      },
      opts,
    );
    const failure = refusalOf(AOP_REFUND_APIS.returnGoods, obj(body.result));
    if (failure) throw failure;
    const refund = await this.getRefund(refundId, buyerId, opts);
    if (!refund) throw new MarketRejection('not_found', `refund ${refundId}`);
    return refund;
  }

  /**
   * A refund by its id, from the buyer's refund list over the window the list allows (no order given): 1688
   * documents no lookup of one refund. The buyer is the account of the token, answered as the caller names it.
   */
  async getRefund(refundId: string, buyerId: string, opts?: CallOptions): Promise<UpstreamRefund | null> {
    if (!refundId) return null;
    // The window ends a day ahead, so that a refund stamped by a clock ahead of this one is not missed.
    const end = this.now() + 86_400_000;
    for (let page = 1; ; page++) {
      const { models, total } = await this.listPage(
        { applyStartTime: aopDateText(end - LIST_WINDOW_MS), applyEndTime: aopDateText(end) },
        page,
        opts,
      );
      const found = models.find((m) => text(m.refundId) === refundId);
      if (found) return refundOf(found, buyerId);
      if (models.length === 0 || page * PAGE_SIZE >= total) return null;
    }
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

  /** The refunds of one order, newest first. */
  async orderRefunds(orderId: string, buyerId: string, opts?: CallOptions): Promise<UpstreamRefund[]> {
    if (!/^\d+$/.test(orderId)) throw new MarketRejection('not_found', `order ${orderId}`);
    const found: UpstreamRefund[] = [];
    for (let page = 1; ; page++) {
      const { models, total } = await this.listPage({ orderId: BigInt(orderId) }, page, opts);
      found.push(...models.map((m) => refundOf(m, buyerId)));
      if (models.length === 0 || page * PAGE_SIZE >= total) break;
    }
    return found.sort((a, b) => b.createdAt - a.createdAt || (a.refundId < b.refundId ? 1 : -1));
  }

  // -- helpers -------------------------------------------------------------------------------------

  private async call(api: string, params: Record<string, AopParamValue>, opts?: CallOptions): Promise<Json> {
    const accessToken = await this.token();
    return obj(await this.gateway.call(api, params, { accessToken, signal: opts?.signal }));
  }

  private async mustOrder(orderId: string, buyerId: string, opts?: CallOptions): Promise<UpstreamOrder> {
    const order = await this.orders.getOrder(orderId, buyerId, opts);
    if (!order) throw new MarketRejection('not_found', `order ${orderId}`);
    return order;
  }

  /**
   * The description 1688 requires (2 to 150 characters). Ponte's is optional: without one (or with a single
   * character) the reason's own name is sent, which the seller sees anyway; a longer one is refused.
   */
  private async description(request: RefundRequest, opts?: CallOptions): Promise<string> {
    const given = (request.description ?? '').trim();
    if ([...given].length > DESCRIPTION_MAX) {
      throw new MarketRejection('invalid_value', `at most ${DESCRIPTION_MAX} characters`, 'description');
    }
    if ([...given].length >= DESCRIPTION_MIN) return given;
    const reasons = await this.reasons(request.orderId, request.lineId, request.goodsStatus, opts);
    const name = reasons.find((r) => r.reasonId === request.reasonId)?.text.zh ?? '';
    // An unknown reason is refused by the application itself, as the marketplace refuses it.
    return [...name].length >= DESCRIPTION_MIN ? name : `${name}${given}`.padEnd(DESCRIPTION_MIN, '。');
  }

  /** 1688's reasons for a line in a goods state: the Chinese name in every language. */
  private async reasons(
    orderId: string,
    lineId: string,
    goods: GoodsStatus,
    opts?: CallOptions,
  ): Promise<RefundReason[]> {
    const body = await this.call(
      AOP_REFUND_APIS.reasons,
      { orderId: BigInt(orderId), orderEntryIds: [BigInt(lineId)], goodsStatus: AOP_GOODS_STATUSES[goods] },
      opts,
    );
    const result = obj(body.result);
    const failure = refusalOf(AOP_REFUND_APIS.reasons, result);
    if (failure) throw failure;
    return list(obj(result.result).reasons).map((x) => {
      const reason = obj(x);
      return { reasonId: text(reason.id), text: same(text(reason.name)), needsProof: truthy(reason.needVoucher) };
    });
  }

  private async listPage(
    filter: Record<string, AopParamValue>,
    page: number,
    opts?: CallOptions,
  ): Promise<{ models: Json[]; total: number }> {
    const body = await this.call(AOP_REFUND_APIS.list, { ...filter, currentPageNum: page, pageSize: PAGE_SIZE }, opts);
    const failure = refusalOf(AOP_REFUND_APIS.list, body);
    if (failure) throw failure;
    const result = obj(body.result);
    return { models: list(result.opOrderRefundModels).map(obj), total: Number(result.totalCount) || 0 };
  }
}

function statusOf(word: string): UpstreamRefundStatus {
  const status = AOP_REFUND_STATUSES[word];
  if (!status) throw new UpstreamError(AOP_REFUND_APIS.list, `unknown refund status ${word}`);
  return status;
}

/**
 * A refund of the buyer's list. The list's model carries more than the documentation's table names (the line,
 * the reason, the deadline, the seller's refusal, the return address and parcel): those fields are read by the
 * names 1688's refund model uses, and absent ones are left empty. The buyer's reference is not among them.
 */
function refundOf(model: Json, buyerId: string): UpstreamRefund {
  const api = AOP_REFUND_APIS.list;
  const goods = GOODS_FROM_WIRE[text(model.goodsStatus)];
  if (!goods) throw new UpstreamError(api, `unknown goods status ${text(model.goodsStatus)}`);
  const refundType: RefundType = text(model.disputeRequest) === 'returnRefund' ? 'return_refund' : 'refund';
  const timeout = text(model.timeOutOperateType);
  const deadline = date(model.gmtTimeOut);
  const address = obj(model.sellerReceiveAddress);
  const parcel = obj(model.buyerSendGoods);
  const shippedAt = date(parcel.gmtSend);
  return {
    platform: '1688',
    refundId: text(model.refundId),
    orderId: idText(model.orderId, api, 'orderId'),
    lineId: idText(model.orderEntryId, api, 'orderEntryId'),
    buyerId,
    clientRef: '',
    refundType,
    goodsStatus: goods,
    status: statusOf(text(model.status)),
    reason: {
      reasonId: text(model.applyReasonId),
      text: same(text(model.applyReason)),
      needsProof: truthy(model.needVoucher),
    },
    amountFen: fen(model.applyPayment, 'applyPayment'),
    description: text(model.description),
    images: list(model.vouchers).map(text),
    deadline,
    timeoutAction: deadline === null ? null : timeout === 'agree' ? 'agree' : timeout === 'close' ? 'close' : null,
    returnAddress: text(address.address) ? addressOf(address) : null,
    returnShipment:
      text(parcel.freightBill) && shippedAt !== null
        ? {
            carrierCode: text(parcel.logisticsCompanyNo),
            trackingNo: text(parcel.freightBill),
            description: text(parcel.description),
            shippedAt,
          }
        : null,
    refuseReason: text(model.rejectReason) || null,
    refuseCount: fen(model.rejectTimes, 'rejectTimes'),
    createdAt: date(model.gmtApply) ?? 0,
    updatedAt: date(model.gmtModified) ?? 0,
  };
}

function addressOf(a: Json): ShippingAddress {
  const postcode = text(a.post);
  return {
    receiver: text(a.name),
    phone: text(a.mobile),
    province: text(a.province),
    city: text(a.city),
    district: text(a.area),
    address: text(a.address),
    ...(postcode ? { postcode } : {}),
  };
}
