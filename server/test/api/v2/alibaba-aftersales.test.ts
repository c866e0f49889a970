import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OpaqueKind } from '../../../src/platform/crypto/opaque-ids.js';
import type { Credentials, Reply } from '../../harness.js';
import {
  expectCode,
  type Operation,
  operations,
  POLICY,
  picture,
  type Reasons,
  type RefundDetail,
  type RefundsServer,
  startRefundsServer,
  type Upload,
} from '../refunds/alibaba-refund-fixtures.js';

/**
 * The 1688 after-sales endpoints on v2 (A20–A25 under `/v2/alibaba/...`): the v1 lifecycles through the v2 paths,
 * with the order and its sub-orders named by opaque ids (or by their v1 ids), the details answering the order's
 * opaque id where v1 answers its own, and opaque ids that are not this deployment's answering 40401. Orders are
 * bought through v1; the sellers act through the sandbox, as in the v1 tests.
 */
let s: RefundsServer;
let buyer: Credentials;
beforeAll(async () => {
  s = await startRefundsServer();
  buyer = s.sub;
}, 120_000);
afterAll(() => s?.close());

const OPAQUE = /^[A-Za-z0-9_-]{22,}$/;
const opaque = (kind: OpaqueKind, id: string) => s.server.deps.opaqueIds.encode(kind, id);
/** The same opaque id with one character changed: no longer one this deployment made. */
const tampered = (id: string) => `${id.slice(0, 5)}${id[5] === 'A' ? 'B' : 'A'}${id.slice(6)}`;

const reasons = (body: Record<string, unknown>) => s.post<Reasons>(buyer, '/v2/alibaba/refund/reason/list', body);
const create = (body: Record<string, unknown>) =>
  s.post<{ refundId: string; status: string }>(buyer, '/v2/alibaba/refund/detail/create', body);
const info = (refundId: string) =>
  s.post<RefundDetail>(buyer, `/v2/alibaba/refund/info?refundId=${refundId}`, undefined);
const goodsReturn = (body: Record<string, unknown>) =>
  s.post<{ success: boolean | null; errorCode: string | null; errorInfo: string | null }>(
    buyer,
    '/v2/alibaba/refund/goods/return',
    body,
  );
async function detailOf(refundId: string): Promise<RefundDetail> {
  const r = await info(refundId);
  expect(r.body.code, r.text).toBe(200);
  return r.body.data;
}

/** A21 on v2 that must succeed. */
async function reasonsOk(body: Record<string, unknown>): Promise<Reasons> {
  const r = await reasons(body);
  expect(r.body.code, r.text).toBe(200);
  return r.body.data;
}

/** A23 on v2 that must succeed: the refund's id. */
async function createOk(body: Record<string, unknown>): Promise<string> {
  const r = await create(body);
  expect(r.body.code, r.text).toBe(200);
  expect(r.body.data).toMatchObject({ refundId: expect.stringMatching(/^TQ[0-9]+$/), status: 'waitselleragree' });
  return r.body.data.refundId;
}

/** A20 on v2 is v1's answer with the order's opaque id; the sub-order ids in its JSON strings stay v1's. */
async function expectOpaqueOrder(d: RefundDetail, orderId: string, entry: string) {
  expect(d.orderId).toMatch(OPAQUE);
  expect(d.orderId).toBe(opaque('order', orderId));
  expect(JSON.parse(d.orderEntryIdList)).toEqual([entry]);
  const v1 = await s.detailOf(buyer, d.refundId);
  expect(v1.orderId).toBe(orderId);
  expect({ ...d, orderId }).toEqual(v1);
}

const step = (o: Operation) => [o.operateType, o.operator, o.from, o.to];

describe('v2 reasons (A21), create (A23), info (A20): refund only, agreed', () => {
  it('names the order and sub-order by opaque ids, credits applyPayment + applyCarriage once', async () => {
    const order = await s.paidOrder(buyer);
    const [entry] = order.entries as [string];
    const orderId = opaque('order', order.orderId);
    const entryId = opaque('order-line', entry);

    const r21 = await reasonsOk({ orderId, orderEntryIds: [entryId], goodsStatus: 'refundWaitSellerSend' });
    expect(r21).toMatchObject({
      orderEntryId: entryId,
      goodsStatusList: ['refundWaitSellerSend'],
      disputeRequestList: ['refund'],
      maxApplyPayment: order.detail.productItems[0]?.itemAmount,
      refundable: true,
    });
    expect(r21.reasons.length).toBeGreaterThan(0);
    // v1 answers the same with the v1 sub-order id.
    const v1 = await s.reasons(buyer, { orderId: order.orderId, goodsStatus: 'refundWaitSellerSend' });
    expect(v1.body.data).toEqual({ ...r21, orderEntryId: entry });
    // The order alone names its only line, as on v1.
    expect(await reasonsOk({ orderId, goodsStatus: 'refundWaitSellerSend' })).toEqual(r21);

    const before = await s.balance(s.dev);
    const applyPayment = r21.maxApplyPayment - 300;
    const createdAt = s.clock.now();
    const refundId = await createOk({
      orderId,
      orderEntryIds: [r21.orderEntryId],
      disputeRequest: 'refund',
      applyPayment,
      applyCarriage: 100,
      applyReasonId: r21.reasons[0]?.id,
      description: '不想要了，请退款',
      goodsStatus: 'refundWaitSellerSend',
    });
    let d = await detailOf(refundId);
    expect(d).toMatchObject({
      refundId,
      id: refundId,
      status: 'waitselleragree',
      disputeRequest: 1,
      onlyRefund: true,
      goodsStatusCode: 'refundWaitSellerSend',
      applyPayment,
      applyCarriage: 100,
      applyExpect: applyPayment + 100,
      refundPayment: null,
      applyReasonId: r21.reasons[0]?.id,
      buyerUserId: buyer.userId,
      gmtTimeOut: createdAt + POLICY.sellerAgreeTimeoutMs,
      timeOutOperateType: 'AUTO_AGREE',
      version: 1,
    });
    await expectOpaqueOrder(d, order.orderId, entry);
    // The line is busy now.
    expect(await reasonsOk({ orderId, goodsStatus: 'refundWaitSellerSend' })).toMatchObject({
      refundable: false,
      maxApplyPayment: 0,
      reasons: [],
    });

    expect((await s.seller(refundId, 'agree')).body.code).toBe(200);
    d = await detailOf(refundId);
    expect(d).toMatchObject({ status: 'refundsuccess', refundPayment: applyPayment + 100, refundCarriage: 100 });
    expect(operations(d).map(step)).toEqual([
      ['BUYER_APPLY_REFUND', 'buyer', null, 'waitselleragree'],
      ['SELLER_AGREE_REFUND', 'seller', 'waitselleragree', 'refundsuccess'],
    ]);
    await expectOpaqueOrder(d, order.orderId, entry);
    expect(await s.balance(s.dev)).toBe(before + applyPayment + 100);
    await s.advance(60_000);
    expect(await s.balance(s.dev)).toBe(before + applyPayment + 100);
    const messages = await s.messages(buyer, refundId);
    expect(messages.map((m) => m.messageBody.currentStatus)).toEqual(['waitselleragree', 'refundsuccess']);

    // The rest of the line is still refundable; the order stays open.
    const after = await s.detail(buyer, order.orderId);
    expect(after.baseInfo.status).toBe('waitsellersend');
    expect(after.productItems[0]).toMatchObject({ refund: applyPayment + 100 });
    expect(await reasonsOk({ orderId, goodsStatus: 'refundWaitSellerSend' })).toMatchObject({
      refundable: true,
      maxApplyPayment: 200,
    });
  });
});

describe('v2 voucher upload (A22), create with v1 ids', () => {
  it('uploaded pictures go with a refund made with the order’s v1 ids, and come back as links', async () => {
    const order = await s.shippedOrder(buyer);
    const [entry] = order.entries as [string];
    const upload = async (format: 'png' | 'jpeg', shade: number) => {
      const bytes = await picture(format, shade);
      const r = await s.post<Upload>(buyer, '/v2/alibaba/refund/voucher/upload', {
        imageBase64: bytes.toString('base64'),
      });
      expect(r.body.code, r.text).toBe(200);
      expect(r.body.data).toMatchObject({ contentType: `image/${format}`, size: bytes.length });
      expect(r.body.data.imageRelativeUrl).toMatch(new RegExp(`^evidence/${s.dev.developId}/[0-9a-f]{64}\\.`));
      return { upload: r.body.data, bytes };
    };
    const png = await upload('png', 41);
    const jpeg = await upload('jpeg', 42);

    // v2 takes the v1 ids of the order and sub-order too.
    const r21 = await reasonsOk({
      orderId: order.orderId,
      orderEntryIds: [entry],
      goodsStatus: 'refundWaitBuyerReceive',
    });
    expect(r21.orderEntryId).toBe(opaque('order-line', entry));
    const reason = r21.reasons.find((x) => x.needVoucher);
    expect(reason).toBeDefined();
    const refundId = await createOk({
      orderId: order.orderId,
      orderEntryIds: [entry],
      disputeRequest: 'refund',
      applyPayment: 300,
      applyCarriage: 0,
      applyReasonId: reason?.id,
      description: '质量问题，见图',
      goodsStatus: 'refundWaitBuyerReceive',
      vouchers: [png.upload.imageRelativeUrl, `${jpeg.upload.imageDomain}${jpeg.upload.imageRelativeUrl}`],
    });
    const d = await detailOf(refundId);
    await expectOpaqueOrder(d, order.orderId, entry);
    expect(d.vouchers).toHaveLength(2);
    for (const [i, { upload: u, bytes }] of [png, jpeg].entries()) {
      const url = d.vouchers[i] as string;
      expect(url.startsWith(`${u.imageDomain}${u.imageRelativeUrl}?`)).toBe(true);
      const res = await fetch(url);
      expect(res.status, url).toBe(200);
      expect(Buffer.from(await res.arrayBuffer()).equals(bytes)).toBe(true);
    }
    // Leaves nothing open: the seller refunds it.
    const before = await s.balance(s.dev);
    expect((await s.seller(refundId, 'agree')).body.code).toBe(200);
    expect((await detailOf(refundId)).refundPayment).toBe(300);
    expect(await s.balance(s.dev)).toBe(before + 300);
  });
});

describe('v2 goods return (A24) and logistics companies (A25): return and refund', () => {
  it('waitbuyersend → A24 → waitsellerreceive → received → refundsuccess, credited; the order closes', async () => {
    const order = await s.shippedOrder(buyer);
    const [entry] = order.entries as [string];
    const orderId = opaque('order', order.orderId);
    const r21 = await reasonsOk({ orderId, goodsStatus: 'refundBuyerReceived' });
    expect(r21.disputeRequestList).toEqual(['refund', 'returnRefund']);
    const amount = r21.maxApplyPayment;
    const before = await s.balance(s.dev);
    const refundId = await createOk({
      orderId,
      orderEntryIds: [r21.orderEntryId],
      disputeRequest: 'returnRefund',
      applyPayment: amount - 50,
      applyCarriage: 50,
      applyReasonId: r21.reasons.find((x) => !x.needVoucher)?.id,
      description: '不想要了，退货',
      goodsStatus: 'refundBuyerReceived',
      orderEntryCountList: [{ id: r21.orderEntryId, count: 1 }],
    });
    let d = await detailOf(refundId);
    expect(d).toMatchObject({ status: 'waitselleragree', disputeRequest: 2, refundGoods: true, goodsStatus: 3 });
    // The counts are keyed by the v1 sub-order id, as the list beside them.
    expect(JSON.parse(d.orderEntryCountMap)).toEqual({ [entry]: 1 });
    await expectOpaqueOrder(d, order.orderId, entry);

    const early = await goodsReturn({ refundId, logisticsCompanyNo: 'SF', freightBill: 'SF1234567890' });
    expectCode(early, 40901);

    expect((await s.seller(refundId, 'agree')).body.code).toBe(200);
    d = await detailOf(refundId);
    expect(d).toMatchObject({ status: 'waitbuyersend', freightBill: null, buyerSendGoods: false });
    expect(d.sellerReceiveAddress).toMatch(/售后仓$/);

    const companies = await s.get<{ id: string; companyName: string; companyNo: string }[]>(
      buyer,
      '/v2/alibaba/logistics/company/list?language=en',
    );
    expect(companies.body.code, companies.text).toBe(200);
    const v1Companies = await s.get(buyer, '/alibaba/logistics/company/list?language=en');
    expect(companies.body.data).toEqual(v1Companies.body.data);
    const codes = companies.body.data.map((c) => c.companyNo);
    expect(codes).toContain('ZTO');

    await s.advance(POLICY.shipAfterMs);
    const sentAt = s.clock.now();
    const sent = await goodsReturn({
      refundId,
      logisticsCompanyNo: 'ZTO',
      freightBill: 'ZT-7788990022',
      description: '已寄回，请查收',
    });
    expect(sent.body.code, sent.text).toBe(200);
    expect(sent.body.data).toEqual({ success: true, errorCode: null, errorInfo: null });
    d = await detailOf(refundId);
    expect(d).toMatchObject({
      status: 'waitsellerreceive',
      freightBill: 'ZT-7788990022',
      buyerSendGoods: true,
      gmtTimeOut: sentAt + POLICY.sellerReceiveTimeoutMs,
      refundPayment: null,
    });
    expectCode(await goodsReturn({ refundId, logisticsCompanyNo: 'ZTO', freightBill: 'ZT-7788990022' }), 40901);
    expect(await s.balance(s.dev)).toBe(before);

    expect((await s.seller(refundId, 'receive-return')).body.code).toBe(200);
    d = await detailOf(refundId);
    expect(d).toMatchObject({ status: 'refundsuccess', refundPayment: amount, refundCarriage: 50 });
    expect(operations(d).map(step)).toEqual([
      ['BUYER_APPLY_REFUND', 'buyer', null, 'waitselleragree'],
      ['SELLER_AGREE_REFUND', 'seller', 'waitselleragree', 'waitbuyersend'],
      ['BUYER_SEND_GOODS', 'buyer', 'waitbuyersend', 'waitsellerreceive'],
      ['SELLER_RECEIVE_GOODS', 'seller', 'waitsellerreceive', 'refundsuccess'],
    ]);
    await expectOpaqueOrder(d, order.orderId, entry);
    expect(await s.balance(s.dev)).toBe(before + amount);
    const after = await s.detail(buyer, order.orderId);
    expect(after.baseInfo.status).toBe('cancel');
    expect(after.productItems[0]?.refund).toBe(amount);
  });
});

describe('v2 ids that are not this deployment’s', () => {
  it('a tampered or foreign opaque id answers 40401, nothing is created', async () => {
    const order = await s.paidOrder(buyer, { lines: 2 });
    const [first, second] = order.entries as [string, string];
    const orderId = opaque('order', order.orderId);
    const entryId = opaque('order-line', first);
    const r21 = await reasonsOk({ orderId, orderEntryIds: [entryId], goodsStatus: 'refundWaitSellerSend' });
    expect(r21.orderEntryId).toBe(entryId);
    const body = {
      orderId,
      orderEntryIds: [entryId],
      disputeRequest: 'refund',
      applyPayment: 10,
      applyCarriage: 0,
      applyReasonId: r21.reasons[0]?.id,
      description: '多拍了',
      goodsStatus: 'refundWaitSellerSend',
    };
    const all: Reply[] = [
      await reasons({ orderId: tampered(orderId), goodsStatus: 'refundWaitSellerSend' }),
      await reasons({ orderId, orderEntryIds: [tampered(entryId)], goodsStatus: 'refundWaitSellerSend' }),
      await create({ ...body, orderId: tampered(orderId) }),
      await create({ ...body, orderEntryIds: [tampered(entryId)] }),
      await create({ ...body, orderEntryCountList: [{ id: tampered(entryId), count: 1 }] }),
      // An opaque id of another kind is not one of this kind, even of the same order.
      await create({ ...body, orderId: opaque('order-line', order.orderId) }),
      await create({ ...body, orderEntryIds: [opaque('order', first)] }),
    ];
    for (const r of all) expectCode(r, 40401);
    // Nothing was created: both lines are still refundable in full.
    for (const entry of [first, second]) {
      const r = await reasonsOk({
        orderId,
        orderEntryIds: [opaque('order-line', entry)],
        goodsStatus: 'refundWaitSellerSend',
      });
      expect(r.refundable).toBe(true);
    }
    // The counts name the sub-order refunded, by its opaque or its v1 id.
    const refundId = await createOk({ ...body, orderEntryCountList: [{ id: first, count: 1 }] });
    expect(JSON.parse((await detailOf(refundId)).orderEntryCountMap)).toEqual({ [first]: 1 });
    const closed = await s.seller(refundId, 'refuse', { reason: '不同意' });
    expect(closed.body.code, closed.text).toBe(200);
  });

  it('PandaPon’s v2 examples: an unknown order answers 40401; the goods return example as published', async () => {
    expectCode(
      await create({
        orderId: '1795432287562383360',
        orderEntryIds: ['1795432287562383362'],
        disputeRequest: 'refund',
        applyPayment: 100,
        applyCarriage: 0,
        applyReasonId: 150013,
        description: '不想要了，请退款',
        goodsStatus: 'refundWaitSellerSend',
      }),
      40401,
    );
    expectCode(await info('TQ1796214365581049856'), 40401);
    const published = {
      refundId: 'string',
      logisticsCompanyNo: 'string',
      freightBill: 'string',
      description: 'string',
      vouchers: ['string'],
    };
    // Every field of the example is taken: a refund of the documented form that is not one is 40401.
    expectCode(await goodsReturn({ ...published, refundId: 'TQ1796214365581049856' }), 40401);
    // The placeholder itself is not of a refund id's form (`TQ` and digits): on v2 it is an unknown refund, as
    // published; v1 answers 40001 naming refundId (its own tests require it).
    const unknown = await goodsReturn(published);
    expectCode(unknown, 40401);
    expect(unknown.body.msg).toContain('refund string');
    const v1 = await s.post(buyer, '/alibaba/refund/goods/return', published);
    expectCode(v1, 40001, 'refundId');
  });
});
