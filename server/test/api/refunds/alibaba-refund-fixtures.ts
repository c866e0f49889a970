import sharp from 'sharp';
import { expect } from 'vitest';
import type { Credentials, Reply } from '../../harness.js';
import { ADDRESS, type Detail, type Offer, type OrdersServer, startOrdersServer } from '../orders/alibaba-fixtures.js';

/**
 * 1688 after-sales (A20–A25) over HTTP, on top of the 1688 orders fixtures: paid, shipped and finished orders,
 * refunds made and read through the contract, the sellers' side through the sandbox control API, and the AM3
 * messages each change writes.
 */

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;

/**
 * How the sandbox's sellers behave in these tests. They never decide by themselves (the decision is far later
 * than every deadline): a test makes them agree, refuse or receive a parcel through the control API, or lets a
 * deadline pass. Orders ship an hour after payment and finish an hour after receipt is confirmed.
 */
export const POLICY = {
  shipAfterMs: HOUR,
  finishAfterMs: HOUR,
  priceModifyRate: 0,
  refundDecision: 'agree',
  refundDecisionAfterMs: 300 * DAY,
  returnReceiveAfterMs: 300 * DAY,
  sellerAgreeTimeoutMs: 2 * DAY,
  buyerModifyTimeoutMs: 7 * DAY,
  buyerReturnTimeoutMs: 7 * DAY,
  sellerReceiveTimeoutMs: 10 * DAY,
} as const;

export const IN_SALES = 'ORDER_BUYER_VIEW_ORDER_BUYER_REFUND_IN_SALES';
export const AFTER_SALES = 'ORDER_BUYER_VIEW_ORDER_REFUND_AFTER_SALES';

/** A20's answer (the fields the tests read). */
export interface RefundDetail {
  id: string;
  refundId: string;
  refundOuterId: string | null;
  orderId: string;
  orderEntryIdList: string;
  orderEntryCountMap: string;
  status: string;
  taskStatus: string;
  disputeRequest: number;
  disputeType: number;
  onlyRefund: boolean;
  refundGoods: boolean;
  goodsStatus: number;
  goodsStatusCode: string | null;
  goodsReceived: boolean;
  applyPayment: number;
  applyCarriage: number;
  applyExpect: number;
  refundPayment: number | null;
  refundCarriage: number | null;
  applyReason: string | null;
  applyReasonTrans: string | null;
  applyReasonId: string | null;
  description: string | null;
  vouchers: string[];
  rejectReason: string | null;
  rejectTimes: number;
  freightBill: string | null;
  buyerLogisticsName: string | null;
  buyerSendGoods: boolean;
  sellerReceiveAddress: string | null;
  sellerRealName: string | null;
  sellerMobile: string | null;
  buyerUserId: string;
  gmtCreate: number;
  gmtModified: number;
  gmtTimeOut: number | null;
  timeOutOperateType: string | null;
  gmtCompleted: number | null;
  refundOperationList: string;
  version: number;
}

/** One step of `refundOperationList`. */
export interface Operation {
  operateType: string;
  operator: string;
  from: string | null;
  to: string;
  gmtCreate: number;
  remark: string | null;
}

/** An AM3 message about a refund, as `/open/message/list` answers it. */
export interface RefundMessage {
  messageId: string;
  messageType: string;
  messagePlatform: number;
  objectId: string;
  version: number;
  messageBody: {
    refundId: string;
    orderId: string;
    refundAction: string;
    operator: string;
    currentStatus: string;
    msgSendTime: number;
    refund: RefundDetail;
  };
}

/** A21's answer. */
export interface Reasons {
  reasons: { id: string; name: string; nameTrans: string; needVoucher: boolean; noRefundCarriage: boolean }[];
  orderEntryId: string;
  goodsStatusList: string[];
  disputeRequestList: string[];
  maxApplyPayment: number;
  refundable: boolean;
}

/** A22's answer. */
export interface Upload {
  imageDomain: string;
  imageRelativeUrl: string;
  url: string;
  expiresAt: number;
  contentType: string;
  size: number;
}

/** `/alibaba/order/detail` with what it says of refunds. */
export interface RefundedDetail extends Detail {
  baseInfo: Detail['baseInfo'] & { refund: number };
  productItems: (Detail['productItems'][number] & { refund: number; status: string })[];
}

/** A paid order of one line (or more), as the tests use it. */
export interface PaidOrder {
  orderId: string;
  /** `subItemID` of each line, in the order's order. */
  entries: string[];
  detail: RefundedDetail;
}

export type SellerAction = 'agree' | 'refuse' | 'receive-return';

export interface RefundsServer extends OrdersServer {
  /** Two sub-accounts of `dev`, and another developer (with its own balance). */
  sub: Credentials;
  sibling: Credentials;
  other: Credentials;
  /** An offer that has two specifications in stock (for orders of two lines). */
  twoSpecs: { offer: Offer; specIds: [string, string] };
  /** A paid order: of the first offer by default, or of two lines of one offer (`lines: 2`). */
  paidOrder(who: Credentials, options?: { lines?: 1 | 2; offer?: Offer }): Promise<PaidOrder>;
  /** A paid order the seller has shipped (the clock moved past the sellers' `shipAfterMs`). */
  shippedOrder(who: Credentials, options?: { lines?: 1 | 2 }): Promise<PaidOrder>;
  /** A shipped order whose receipt is confirmed (A18) and which finished (`success`) an hour later. */
  finishedOrder(who: Credentials, options?: { lines?: 1 | 2 }): Promise<PaidOrder>;
  detail(who: Credentials, orderId: string): Promise<RefundedDetail>;
  balance(who: Credentials): Promise<number>;
  /** A21. */
  reasons(who: Credentials, body: Record<string, unknown>): Promise<Reply<Reasons>>;
  /** A23. */
  apply(
    who: Credentials,
    body: Record<string, unknown>,
    headers?: Record<string, string>,
  ): Promise<Reply<{ refundId: string; status: string }>>;
  /** A23 that must succeed: the refund's id. */
  applyOk(who: Credentials, body: Record<string, unknown>, headers?: Record<string, string>): Promise<string>;
  /** A20 (the id in the query). */
  info(who: Credentials, refundId: string | undefined, query?: string): Promise<Reply<RefundDetail>>;
  /** A20 that must succeed. */
  detailOf(who: Credentials, refundId: string): Promise<RefundDetail>;
  /** A24. */
  sendBack(
    who: Credentials,
    body: Record<string, unknown>,
  ): Promise<Reply<{ success: boolean | null; errorCode: string | null; errorInfo: string | null }>>;
  /** The marketplace's id of a refund: A20's `refundOuterId`, read by `who` (the main account by default). */
  outerId(refundId: string, who?: Credentials): Promise<string>;
  /**
   * The seller acts on a refund now (sandbox control API), and the marketplace's events reach Ponte. `who` reads
   * the refund's marketplace id (the main account by default).
   */
  seller(refundId: string, action: SellerAction, body?: Record<string, unknown>, who?: Credentials): Promise<Reply>;
  /** The AM3 messages written about a refund, oldest first. */
  messages(who: Credentials, refundId: string): Promise<RefundMessage[]>;
  /** A22 with a picture drawn by the image library. */
  upload(who: Credentials, format: 'png' | 'jpeg', shade: number): Promise<Upload>;
  /** Changes the sellers' policy. */
  policy(change: Record<string, unknown>): Promise<void>;
  /** The carrier codes of A25. */
  carriers(who: Credentials): Promise<string[]>;
}

/** The steps of a refund, from A20's `refundOperationList`. */
export function operations(detail: Pick<RefundDetail, 'refundOperationList'>): Operation[] {
  return JSON.parse(detail.refundOperationList) as Operation[];
}

/** An error answer with `code`, naming `field` for a 40001; `data` is null. */
export function expectCode(r: Reply, code: number, field?: string): void {
  expect(r.body.code, r.text).toBe(code);
  expect(r.status, r.text).toBe(Math.floor(code / 100));
  expect(r.body.data, r.text).toBeNull();
  if (field) expect(r.body.msg, r.text).toContain(`parameter ${field}:`);
}

/** A picture of a few pixels, different for each shade, so that each upload is a file of its own. */
export function picture(format: 'png' | 'jpeg', shade: number): Promise<Buffer> {
  return sharp({ create: { width: 16, height: 12, channels: 3, background: { r: shade % 256, g: 90, b: 30 } } })
    .toFormat(format)
    .toBuffer();
}

/** An offer of the catalog with two specifications in stock, found through A1. */
async function findTwoSpecs(s: OrdersServer): Promise<RefundsServer['twoSpecs']> {
  for (const offer of s.offers) {
    const d = await s.post<{ productSkuInfos: { specId: string; amountOnSale: number }[] }>(
      s.dev,
      '/alibaba/product/detail/get',
      { offerId: offer.offerId },
    );
    expect(d.body.code, d.text).toBe(200);
    const specs = d.body.data.productSkuInfos.filter((x) => x.amountOnSale >= offer.minOrderQuantity * 20);
    if (specs.length >= 2) {
      return { offer, specIds: [specs[0]?.specId as string, specs[1]?.specId as string] };
    }
  }
  throw new Error('no offer with two specifications in stock');
}

export async function startRefundsServer(): Promise<RefundsServer> {
  const s = await startOrdersServer();
  const { server } = s;
  const setPolicy = async (change: Record<string, unknown>) => {
    const r = await server.admin('PUT', '/sandbox/policy', change);
    expect(r.body.code, r.text).toBe(200);
  };
  await setPolicy(POLICY);
  const subAccount = async (name: string): Promise<Credentials> => {
    const r = await s.post<{ userId: string }>(s.dev, '/open/user/create', { name });
    expect(r.body.code, r.text).toBe(200);
    return { ...s.dev, userId: r.body.data.userId };
  };
  const sub = await subAccount('Refund store 1');
  const sibling = await subAccount('Refund store 2');
  const other = await server.createDeveloper('Another 1688 buyer');
  await s.topUp(s.dev.developId, 100_000_000);
  await s.topUp(other.developId, 100_000_000);
  const twoSpecs = await findTwoSpecs(s);

  const orderDetail = async (who: Credentials, orderId: string) => (await s.detail(who, orderId)) as RefundedDetail;
  const detailOf = async (who: Credentials, refundId: string) => {
    const r = await s.post<RefundDetail>(who, `/alibaba/refund/info?refundId=${refundId}`, undefined);
    expect(r.body.code, r.text).toBe(200);
    return r.body.data;
  };
  const outerId = async (refundId: string, who: Credentials = s.dev) => {
    const outer = (await detailOf(who, refundId)).refundOuterId;
    expect(outer).toMatch(/^TQ[0-9]+$/);
    return outer as string;
  };
  const paidOrder: RefundsServer['paidOrder'] = async (who, options = {}) => {
    let orderId: string;
    if (options.lines === 2) {
      const { offer, specIds } = twoSpecs;
      const r = await s.post<{ orderId: string }>(who, '/alibaba/order/create', {
        flow: 'general',
        addressParam: ADDRESS,
        cargoParamList: specIds.map((specId) => ({ offerId: offer.offerId, specId, quantity: offer.minOrderQuantity })),
      });
      expect(r.body.code, r.text).toBe(200);
      orderId = r.body.data.orderId;
    } else {
      orderId = await s.create(who, [options.offer ?? (s.offers[0] as Offer)]);
    }
    const pay = await s.get<{ protocolPaySuccess: boolean }>(who, `/alibaba/order/pay/url?orderId=${orderId}`);
    expect(pay.body.code, pay.text).toBe(200);
    expect(pay.body.data.protocolPaySuccess).toBe(true);
    const detail = await orderDetail(who, orderId);
    expect(detail.baseInfo).toMatchObject({ status: 'waitsellersend', payState: 'paid' });
    expect(detail.productItems).toHaveLength(options.lines ?? 1);
    return { orderId, entries: detail.productItems.map((i) => i.subItemID), detail };
  };
  const shippedOrder: RefundsServer['shippedOrder'] = async (who, options = {}) => {
    const paid = await paidOrder(who, options);
    await s.advance(POLICY.shipAfterMs + 60_000);
    const detail = await orderDetail(who, paid.orderId);
    expect(detail.baseInfo.status).toBe('waitbuyerreceive');
    return { ...paid, detail };
  };
  return {
    ...s,
    sub,
    sibling,
    other,
    twoSpecs,
    detail: orderDetail,
    paidOrder,
    shippedOrder,
    async finishedOrder(who, options = {}) {
      const shipped = await shippedOrder(who, options);
      const confirm = await s.post(who, '/alibaba/order/receive/confirm', { orderId: shipped.orderId });
      expect(confirm.body, confirm.text).toMatchObject({ code: 200, data: true });
      expect((await s.detail(who, shipped.orderId)).baseInfo.status).toBe('confirm_goods');
      await s.advance(POLICY.finishAfterMs + 60_000);
      const detail = await orderDetail(who, shipped.orderId);
      expect(detail.baseInfo.status).toBe('success');
      return { ...shipped, detail };
    },
    async balance(who) {
      const r = await s.get<{ balance: number }>(who, '/open/account/balance');
      expect(r.body.code, r.text).toBe(200);
      return r.body.data.balance;
    },
    reasons: (who, body) => s.post<Reasons>(who, '/alibaba/refund/reason/list', body),
    apply: (who, body, headers = {}) =>
      s.post<{ refundId: string; status: string }>(who, '/alibaba/refund/detail/create', body, headers),
    async applyOk(who, body, headers = {}) {
      const r = await s.post<{ refundId: string; status: string }>(who, '/alibaba/refund/detail/create', body, headers);
      expect(r.body.code, r.text).toBe(200);
      expect(r.body.data.refundId).toMatch(/^TQ[0-9]+$/);
      return r.body.data.refundId;
    },
    info: (who, refundId, query) =>
      s.post<RefundDetail>(
        who,
        `/alibaba/refund/info${query ?? (refundId === undefined ? '' : `?refundId=${refundId}`)}`,
        undefined,
      ),
    detailOf,
    sendBack: (who, body) => s.post(who, '/alibaba/refund/goods/return', body),
    outerId,
    async seller(refundId, action, body, who = s.dev) {
      const r = await server.admin(
        'POST',
        `/sandbox/1688/refunds/${await outerId(refundId, who)}/${action}`,
        body ?? {},
      );
      await server.drainOutbox();
      return r;
    },
    async messages(who, refundId) {
      const r = await s.get<{ messages: RefundMessage[] }>(who, `/open/message/list?objectId=${refundId}&pageSize=50`);
      expect(r.body.code, r.text).toBe(200);
      return r.body.data.messages.reverse();
    },
    async upload(who, format, shade) {
      const bytes = await picture(format, shade);
      const r = await s.post<Upload>(who, '/alibaba/refund/voucher/upload', { imageBase64: bytes.toString('base64') });
      expect(r.body.code, r.text).toBe(200);
      return r.body.data;
    },
    policy: setPolicy,
    async carriers(who) {
      const r = await s.get<{ companyNo: string }[]>(who, '/alibaba/logistics/company/list');
      expect(r.body.code, r.text).toBe(200);
      return r.body.data.map((c) => c.companyNo);
    },
  };
}
