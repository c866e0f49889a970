import sharp from 'sharp';
import { expect } from 'vitest';
import type { Credentials, Reply } from '../../harness.js';
import {
  type Message,
  type Sku,
  startTaobaoServer,
  type TaobaoOrder,
  type TaobaoServer,
} from '../orders/taobao-fixtures.js';

/** Helpers of the Taobao after-sales tests (T16–T25), on top of the orders' `startTaobaoServer`. */

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;
/** Long enough that a simulated seller never decides on its own during a test. */
export const NEVER = 3650 * DAY;
/** What the orders' fixtures set: a paid order ships this long after payment. */
export const SHIP_AFTER_MS = HOUR;

export const TM3 = 'ORDER_BUYER_VIEW_ORDER_BUYER_REFUND';

export interface RefundOrder {
  refundId: string;
  refundOuterId: string | null;
  refundStatus: string;
  refundType: number;
  goodsStatus: number;
  refundFee: number;
  refundedFee: number;
  reasonId: string;
  reasonDesc: string;
  reasonDescTrans: string;
  refundDesc: string;
  refundImages: string[];
  payOrderId: string;
  canEditFee: boolean;
  feeTips: string;
  timeoutType: string | null;
  timeoutDate: string | null;
  remainingTime: string | null;
  sellerRefuseReason: string | null;
  sellerRefuseReasonDescribe: string | null;
  refuseTimes: number;
  version: number;
  createTime: number;
  updateTime: number;
  finishTime: number | null;
}

export interface RefundAggregate {
  refundOrder: RefundOrder;
  purchaseOrderLine: {
    salesOrderId: string;
    purchaseOrderId: string;
    purchaseOrderLineId: string;
    supplierId: string;
    quantity: number;
    totalPrice: number;
  };
  logistics: {
    receiverAddress: { receiver: string; phone: string; detailAddress: string } | null;
    sellerAgreeReturnDescribe: string | null;
    logisticsCompany: { logisticCompanyCode: string; logisticsCompanyName: string } | null;
    logisticsNo: string | null;
    buyerPhone: string | null;
    returnGoodsDesc: string | null;
    returnTime: number | null;
  } | null;
  subUserId: string;
}

/** T19, T20, T22, T24, T25's answer. */
export interface RefundData {
  distributorId: string;
  currency: string;
  refundOrderAggregate: RefundAggregate;
  cancelSuccess?: boolean;
}

export interface RenderData {
  refundOrderTemplate: {
    refundReasons: { reasonId: string; reasonDesc: string; reasonDescTrans: string; needProof: boolean }[];
    goodsStatusList: number[];
    refundTypeList: number[];
    refundOrder: { payOrderId: string; refundType: number; goodsStatus: number; refundFee: number };
    maxRefundFee: { minRefundFee: number; refundFee: number; canEditRefundFee: boolean };
  };
  distributorId: string;
  currency: string;
  saleFlag: boolean;
}

export interface ReturnRender {
  refundId: string;
  refundStatus: string;
  receiverAddress: {
    receiver: string;
    phone: string;
    province: string;
    city: string;
    district: string;
    address: string;
    detailAddress: string;
  };
  sellerAgreeReturnDescribe: string;
  timeoutDate: number | null;
  logisticsCompanies: {
    logisticCompanyCode: string;
    logisticsCompanyName: string;
    logisticsCompanyNameTrans: string;
  }[];
  distributorId: string;
  currency: string;
}

export interface RefundList {
  total: number;
  pageNo: number;
  pageSize: number;
  distributorId: string;
  currency: string;
  refundOrderAggregates: RefundAggregate[];
}

/** One message of a reverse order's conversation (T21, T23). */
export interface Note {
  messageId: string;
  refundId: string;
  senderType: 'buyer' | 'seller' | 'system';
  content: string;
  images: string[];
  createTime: number;
}

export interface NoteList {
  total: number;
  pageNo: number;
  pageSize: number;
  messages: Note[];
}

export type OrderLine = TaobaoOrder['subPurchaseOrders'][number]['orderLines'][number] & {
  refundedFee: number;
  status: string;
};

export interface OpenRefund {
  refundType?: number;
  goodsStatus?: number;
  /** Default: the render's maximum. */
  refundFee?: number;
  refundDesc?: string;
  refundImages?: string | string[];
}

export type SellerAction = 'agree' | 'refuse' | 'receive-return';

export interface RefundServer extends TaobaoServer {
  /** `PUT /sandbox/policy` with these fields. */
  policy(change: Record<string, unknown>): Promise<void>;
  /** An order of these SKUs (one unit each) placed and paid by `who`, as T14 answers it after payment. */
  paidOrder(who: Credentials, skus?: Sku[]): Promise<TaobaoOrder>;
  /** A paid order the seller has shipped (the clock moved past `shipAfterMs`): its lines have a tracking number. */
  shippedOrder(who: Credentials, skus?: Sku[]): Promise<TaobaoOrder>;
  /** Two SKUs of one shop (two SKUs of one item), for orders of two lines in one sub purchase order. */
  twoSkusOfOneShop(): Promise<[Sku, Sku]>;
  /** The line of an order, as T14 answers it now. */
  line(who: Credentials, orderId: string, lineId: string): Promise<OrderLine>;
  render(who: Credentials, subOrderId: string, refundType: number, goodsStatus: number): Promise<Reply<RenderData>>;
  submit(who: Credentials, body: Record<string, unknown>, headers?: Record<string, string>): Promise<Reply<RefundData>>;
  /** Render and submit that must succeed: a reverse order of the line waiting for the seller (`100`). */
  open(who: Credentials, line: { purchaseOrderLineId: string }, options?: OpenRefund): Promise<RefundOrder>;
  query(who: Credentials, refundId: string): Promise<Reply<RefundData>>;
  /** T25 that must succeed. */
  refund(who: Credentials, refundId: string): Promise<RefundAggregate>;
  /** The marketplace's id of a reverse order (`refundOuterId`, as the developer's main account reads it). */
  outerId(refundId: string): Promise<string>;
  /** The seller's action through the sandbox's control API, then the events handed to Ponte. */
  seller(action: SellerAction, refundId: string, reason?: string): Promise<Reply>;
  list(who: Credentials, filters?: Record<string, unknown>): Promise<Reply<RefundList>>;
  /** T23 that must succeed: the conversation, oldest first. */
  conversation(who: Credentials, refundId: string): Promise<Note[]>;
  /** The TM3 messages written about a reverse order, in the order written (by version). */
  refundMessages(who: Credentials, refundId: string): Promise<Message[]>;
  /**
   * Asserts the TM3 messages of a reverse order: one per status given, of TM3's type, versions increasing, each
   * body's `refundOrder.refundStatus` as given (and its version the message's). Answers them.
   */
  expectMessages(who: Credentials, refundId: string, statuses: string[]): Promise<Message[]>;
}

/** A Taobao server whose sellers never decide on their own: the tests decide for them. */
export async function startRefundServer(policy: Record<string, unknown> = {}): Promise<RefundServer> {
  const t = await startTaobaoServer();
  const setPolicy = async (change: Record<string, unknown>) => {
    const r = await t.server.admin('PUT', '/sandbox/policy', change);
    expect(r.body.code, r.text).toBe(200);
  };
  await setPolicy({ refundDecision: 'agree', refundDecisionAfterMs: NEVER, ...policy });
  // Enough money for every order of a test file.
  await t.topUp(t.dev.developId, 50_000_000);

  const outerIds = new Map<string, string>();
  const query = (who: Credentials, refundId: string) =>
    t.get<RefundData>(who, `/open/order/refund/query?refundId=${refundId}`);
  const render = (who: Credentials, subOrderId: string, refundType: number, goodsStatus: number) =>
    t.post<RenderData>(who, '/open/order/refund/render', { subOrderId, refundType, goodsStatus });
  const submit = (who: Credentials, body: Record<string, unknown>, headers: Record<string, string> = {}) =>
    t.post<RefundData>(who, '/open/order/refund/submit', body, headers);
  const refundMessages = async (who: Credentials, refundId: string) => {
    const all = await t.messages(who, refundId);
    return [...all].sort((a, b) => a.version - b.version);
  };
  const paidOrder = async (who: Credentials, skus: Sku[] = [t.skus[0] as Sku]) => {
    const order = await t.order(who, skus);
    const paid = await t.post(who, '/open/order/pay', { orderId: order.orderId });
    expect(paid.body.code, paid.text).toBe(200);
    const detail = await t.detail(who, order.orderId);
    expect(detail.status).toBe('WAIT_SELLER_SEND_GOODS');
    return detail;
  };
  const outerId = async (refundId: string) => {
    const known = outerIds.get(refundId);
    if (known) return known;
    const r = await query(t.dev, refundId);
    expect(r.body.code, r.text).toBe(200);
    const id = r.body.data.refundOrderAggregate.refundOrder.refundOuterId;
    expect(id).toMatch(/^[0-9]+$/);
    outerIds.set(refundId, id as string);
    return id as string;
  };
  let sameShop: [Sku, Sku] | null = null;

  return {
    ...t,
    policy: setPolicy,
    paidOrder,
    async shippedOrder(who, skus) {
      const order = await paidOrder(who, skus);
      await t.advance(SHIP_AFTER_MS + MINUTE);
      const detail = await t.detail(who, order.orderId);
      expect(detail.status).toBe('WAIT_BUYER_CONFIRM_GOODS');
      for (const line of detail.subPurchaseOrders.flatMap((p) => p.orderLines)) expect(line.mailNo).not.toBeNull();
      return detail;
    },
    async twoSkusOfOneShop() {
      if (sameShop) return sameShop;
      for (const sku of t.skus) {
        const p = await t.get<{
          skuList: { skuId: string; mpSkuId: string | null; quantity: number; promotionPrice: number }[];
        }>(t.dev, `/open/product/get?itemId=${sku.itemId}`);
        expect(p.body.code, p.text).toBe(200);
        const second = p.body.data.skuList.find((s) => s.skuId !== sku.skuId && s.mpSkuId && s.quantity >= 20);
        if (!second?.mpSkuId) continue;
        sameShop = [sku, { ...sku, skuId: second.skuId, mpSkuId: second.mpSkuId, priceFen: second.promotionPrice }];
        return sameShop;
      }
      throw new Error('no item with two SKUs in stock');
    },
    async line(who, orderId, lineId) {
      const detail = await t.detail(who, orderId);
      const line = detail.subPurchaseOrders.flatMap((p) => p.orderLines).find((l) => l.purchaseOrderLineId === lineId);
      if (!line) throw new Error(`line ${lineId} not in order ${orderId}`);
      return line as OrderLine;
    },
    render,
    submit,
    async open(who, line, options = {}) {
      const refundType = options.refundType ?? 1;
      const goodsStatus = options.goodsStatus ?? 1;
      const r = await render(who, line.purchaseOrderLineId, refundType, goodsStatus);
      expect(r.body.code, r.text).toBe(200);
      expect(r.body.data.saleFlag, r.text).toBe(true);
      const template = r.body.data.refundOrderTemplate;
      const reason = template.refundReasons[0];
      if (!reason) throw new Error(`no reason offered: ${r.text}`);
      const s = await submit(who, {
        subOrderId: line.purchaseOrderLineId,
        refundType,
        goodsStatus,
        reasonId: reason.reasonId,
        refundFee: options.refundFee ?? template.maxRefundFee.refundFee,
        ...(options.refundDesc !== undefined ? { refundDesc: options.refundDesc } : {}),
        ...(options.refundImages !== undefined ? { refundImages: options.refundImages } : {}),
      });
      expect(s.body.code, s.text).toBe(200);
      const refund = s.body.data.refundOrderAggregate.refundOrder;
      expect(refund.refundStatus).toBe('100');
      expect(refund.refundType).toBe(refundType);
      expect(refund.goodsStatus).toBe(goodsStatus);
      expect(refund.refundedFee).toBe(0);
      if (refund.refundOuterId) outerIds.set(refund.refundId, refund.refundOuterId);
      return refund;
    },
    query,
    async refund(who, refundId) {
      const r = await query(who, refundId);
      expect(r.body.code, r.text).toBe(200);
      return r.body.data.refundOrderAggregate;
    },
    outerId,
    async seller(action, refundId, reason) {
      const id = await outerId(refundId);
      const r = await t.server.admin(
        'POST',
        `/sandbox/taobao/refunds/${id}/${action}`,
        reason === undefined ? {} : { reason },
      );
      await t.server.drainOutbox();
      return r;
    },
    list: (who, filters = {}) => t.post<RefundList>(who, '/open/order/refund/queryList', filters),
    async conversation(who, refundId) {
      const r = await t.post<NoteList>(who, '/open/order/refund/message/queryList', { refundId });
      expect(r.body.code, r.text).toBe(200);
      return r.body.data.messages;
    },
    refundMessages,
    async expectMessages(who, refundId, statuses) {
      const messages = await refundMessages(who, refundId);
      expect(
        messages.map(
          (m) =>
            (m.messageBody as { refundOrderAggregate: RefundAggregate }).refundOrderAggregate.refundOrder.refundStatus,
        ),
      ).toEqual(statuses);
      for (const [i, m] of messages.entries()) {
        expect(m.messageType).toBe(TM3);
        expect(m.messagePlatform).toBe(0);
        expect(m.objectId).toBe(refundId);
        const body = m.messageBody as {
          distributorId: string;
          currency: string;
          refundOrderAggregate: RefundAggregate;
        };
        expect(body.distributorId).toBe(t.dev.developId);
        expect(body.currency).toBe('CNY');
        expect(body.refundOrderAggregate.refundOrder.refundId).toBe(refundId);
        expect(body.refundOrderAggregate.refundOrder.version).toBe(m.version);
        if (i > 0) expect(m.version).toBeGreaterThan((messages[i - 1] as Message).version);
      }
      return messages;
    },
  };
}

/** The reverse order of a TM3 message's body. */
export function refundOfMessage(m: Message | undefined): RefundOrder {
  if (!m) throw new Error('no such message');
  return (m.messageBody as { refundOrderAggregate: RefundAggregate }).refundOrderAggregate.refundOrder;
}

/** A small real picture drawn by the image library, as a `data:` URL. */
export async function pictureDataUrl(format: 'png' | 'jpeg' | 'gif' | 'webp' = 'png', red = 200): Promise<string> {
  const bytes = await sharp({ create: { width: 24, height: 16, channels: 3, background: { r: red, g: 60, b: 90 } } })
    .toFormat(format)
    .toBuffer();
  return `data:image/${format};base64,${bytes.toString('base64')}`;
}

/** A real PNG a little over 1 MB (random pixels do not compress), as a `data:` URL. */
export async function oversizePictureDataUrl(): Promise<string> {
  const width = 600;
  const height = 590;
  const raw = Buffer.alloc(width * height * 3);
  for (let i = 0; i < raw.length; i++) raw[i] = Math.floor(Math.random() * 256);
  const bytes = await sharp(raw, { raw: { width, height, channels: 3 } })
    .png({ compressionLevel: 0 })
    .toBuffer();
  expect(bytes.length).toBeGreaterThan(1_048_576);
  expect(bytes.length).toBeLessThan(1_100_000);
  return `data:image/png;base64,${bytes.toString('base64')}`;
}
