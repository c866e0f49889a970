import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/platform/clock.js';
import { AopGateway } from '../../../src/providers/aop/gateway.js';
import { AopOrders } from '../../../src/providers/aop/orders.js';
import {
  AOP_REFUND_APIS,
  AopRefunds,
  REFUND_CAPABILITIES,
  type RefundOperation,
} from '../../../src/providers/aop/refunds.js';
import { UpstreamUnsupportedError } from '../../../src/providers/errors.js';
import { PROVIDER_OPERATIONS } from '../../../src/providers/market.js';
import { SandboxMarket } from '../../../src/providers/sandbox/sandbox.js';
import type { RefundRequest, UpstreamOrder, UpstreamRefund } from '../../../src/providers/types.js';
import { type AopFake, aopDate } from '../../../src/upstream-fakes/aop/fake.js';
import { WAREHOUSE_ADDRESS } from '../../sandbox/fixtures.js';
import { aopFakeOver, quiet } from '../fixtures.js';

const APP_KEY = '8123456';
const APP_SECRET = 'fake-secret-Qw9';
const MEMBER = 'b2b-2207000001';
const BUYER = 'dev-buyer-1';

let real: ManualClock;
let market: SandboxMarket;
let fake: AopFake;
let orders: AopOrders;
let refunds: AopRefunds;
let gateway: AopGateway;
let token: string;
let calls: readonly string[];

beforeAll(async () => {
  real = new ManualClock(Date.UTC(2026, 0, 5, 8));
  market = new SandboxMarket({
    file: ':memory:',
    realNow: () => real.now(),
    baseUrl: () => 'http://market.test',
    catalog: { seed: 17, goodsPerPlatform: 200 },
  });
  market.ensureSeeded();
  // Sellers that keep their prices and decide refunds only when a test tells them to.
  market.policy.update({ priceModifyRate: 0 });
  let baseUrl: string;
  ({ fake, calls, baseUrl } = await aopFakeOver(market, { appKey: APP_KEY, appSecret: APP_SECRET }, MEMBER));
  const { accessToken } = fake.issueToken(MEMBER);
  token = accessToken;
  gateway = new AopGateway({ baseUrl, appKey: APP_KEY, appSecret: APP_SECRET, now: Date.now, log: quiet });
  const now = () => market.clock.now();
  orders = new AopOrders(gateway, async () => accessToken, { language: 'en' });
  refunds = new AopRefunds(gateway, async () => accessToken, { language: 'en', now });
});
afterAll(async () => {
  await fake.close();
  await market.close();
});

const ORDERABLE = `select g.id as productId, s.sku_id as skuId, g.min_order_quantity as moq
  from goods g join skus s on s.platform = g.platform and s.good_id = g.id
  where g.platform = '1688' and g.status = 'active' and s.stock >= 100 and g.min_order_quantity <= 5
  group by g.id order by g.idx limit 1 offset ?`;

let refs = 0;
/** A paid order of the `index`-th orderable product, shipped when asked. */
async function paidOrder(index: number, ship = false): Promise<UpstreamOrder> {
  const item = market.store.db.prepare(ORDERABLE).get(index) as { productId: string; skuId: string; moq: number };
  const [order] = await orders.createOrder({
    lines: [{ productId: item.productId, skuId: item.skuId, quantity: Math.max(item.moq, 2) }],
    address: { ...WAREHOUSE_ADDRESS, postcode: '523000' },
    buyerId: BUYER,
    clientRef: `refund-order-${++refs}`,
  });
  if (!order) throw new Error('no order');
  await orders.payOrder(order.orderId, BUYER, order.totalFen);
  if (ship) market.ordersOf('1688').ship(order.orderId, { carrierCode: 'ZTO' });
  return order;
}

/** What 1688's refund list carries: all but the buyer's reference, reason texts in Chinese. */
function carried(r: UpstreamRefund) {
  const { clientRef: _ref, buyerId: _buyer, reason, ...rest } = r;
  return { ...rest, reason: { reasonId: reason.reasonId, text: reason.text.zh, needsProof: reason.needsProof } };
}

async function sandboxRefund(refundId: string): Promise<UpstreamRefund> {
  const refund = await market.alibaba.getRefund(refundId, MEMBER);
  if (!refund) throw new Error(`no refund ${refundId}`);
  return refund;
}

function lineOf(order: UpstreamOrder): string {
  const line = order.lines[0];
  if (!line) throw new Error('no line');
  return line.lineId;
}

describe('the 1688 after-sales operations through the fake gateway', () => {
  it('answers the refund options of a line as the marketplace holds them', async () => {
    const order = await paidOrder(2);
    const lineId = lineOf(order);
    const ours = await refunds.refundOptions(order.orderId, lineId, BUYER);
    const theirs = await market.alibaba.refundOptions(order.orderId, lineId, MEMBER);
    const plain = (o: typeof ours) => ({ ...o, reasons: o.reasons.map((r) => ({ ...r, text: r.text.zh })) });
    expect(plain(ours)).toEqual(plain(theirs));
    expect(ours).toMatchObject({ allowed: true, goodsStatuses: ['not_shipped'], refundTypes: ['refund'] });
    await expect(refunds.refundOptions('2400000000099999999', lineId, BUYER)).rejects.toMatchObject({
      reason: 'not_found',
    });
  });

  it('creates a refund in fen, and a retry with the same clientRef finds the same refund', async () => {
    const order = await paidOrder(4);
    const lineId = lineOf(order);
    const options = await refunds.refundOptions(order.orderId, lineId, BUYER);
    const reason = options.reasons[0];
    if (!reason) throw new Error('no reason');
    const request: RefundRequest = {
      orderId: order.orderId,
      lineId,
      buyerId: BUYER,
      refundType: 'refund',
      goodsStatus: 'not_shipped',
      reasonId: reason.reasonId,
      amountFen: options.maxRefundFen - 1,
      description: '不想要了，请退款',
      images: ['https://cbu01.alicdn.com/img/ibank/proof-1.jpg'],
      clientRef: 'ponte:1688:refund-1',
    };
    const made = await refunds.createRefund(request);
    expect(made).toMatchObject({
      platform: '1688',
      orderId: order.orderId,
      lineId,
      buyerId: BUYER,
      clientRef: request.clientRef,
      status: 'wait_seller_agree',
      amountFen: request.amountFen,
      images: request.images,
      timeoutAction: 'agree',
    });
    expect(made.refundId).toMatch(/^TQ\d+$/);
    expect(carried(made)).toEqual(carried(await sandboxRefund(made.refundId)));

    const before = calls.filter((c) => c === AOP_REFUND_APIS.create).length;
    const again = await refunds.createRefund(request);
    expect(again.refundId).toBe(made.refundId);
    expect(calls.filter((c) => c === AOP_REFUND_APIS.create).length).toBe(before);
    expect(await market.alibaba.orderRefunds(order.orderId, MEMBER)).toHaveLength(1);

    expect((await refunds.refundOptions(order.orderId, lineId, BUYER)).allowed).toBe(false);
    const listed = await refunds.orderRefunds(order.orderId, BUYER);
    expect(listed.map(carried)).toEqual((await market.alibaba.orderRefunds(order.orderId, MEMBER)).map(carried));
  });

  it('refuses an amount above the line and an unknown reason as the marketplace does', async () => {
    const order = await paidOrder(6);
    const lineId = lineOf(order);
    const options = await refunds.refundOptions(order.orderId, lineId, BUYER);
    const base: RefundRequest = {
      orderId: order.orderId,
      lineId,
      buyerId: BUYER,
      refundType: 'refund',
      goodsStatus: 'not_shipped',
      reasonId: options.reasons[0]?.reasonId ?? '',
      amountFen: options.maxRefundFen + 1,
      description: '金额太多',
      clientRef: 'ponte:1688:refund-too-much',
    };
    await expect(refunds.createRefund(base)).rejects.toMatchObject({ reason: 'invalid_value' });
    await expect(
      refunds.createRefund({ ...base, amountFen: 100, reasonId: '999999', clientRef: 'ponte:1688:bad-reason' }),
    ).rejects.toMatchObject({ reason: 'invalid_value' });
    await expect(refunds.createRefund({ ...base, orderId: '2400000000099999999' })).rejects.toMatchObject({
      reason: 'not_found',
    });
    expect(await market.alibaba.orderRefunds(order.orderId, MEMBER)).toEqual([]);
  });

  it('shows the seller’s refusal, and its agreement to a refund paid back', async () => {
    const order = await paidOrder(8);
    const lineId = lineOf(order);
    const options = await refunds.refundOptions(order.orderId, lineId, BUYER);
    const made = await refunds.createRefund({
      orderId: order.orderId,
      lineId,
      buyerId: BUYER,
      refundType: 'refund',
      goodsStatus: 'not_shipped',
      reasonId: options.reasons[1]?.reasonId ?? '',
      amountFen: options.maxRefundFen,
      description: '拍错了',
      clientRef: 'ponte:1688:refund-refused',
    });
    market.refundsOf('1688').refuse(made.refundId, '请提供商品问题照片');
    const refused = await refunds.getRefund(made.refundId, BUYER);
    expect(refused).toMatchObject({
      status: 'seller_refused',
      refuseReason: '请提供商品问题照片',
      refuseCount: 1,
      timeoutAction: 'close',
    });
    expect(carried(refused as UpstreamRefund)).toEqual(carried(await sandboxRefund(made.refundId)));

    const other = await paidOrder(10);
    const otherLine = lineOf(other);
    const second = await refunds.createRefund({
      orderId: other.orderId,
      lineId: otherLine,
      buyerId: BUYER,
      refundType: 'refund',
      goodsStatus: 'not_shipped',
      reasonId: options.reasons[0]?.reasonId ?? '',
      amountFen: 100,
      clientRef: 'ponte:1688:refund-agreed',
    });
    // 1688 requires a description: without one, the reason's name is sent.
    expect(second.description).toBe(options.reasons[0]?.text.zh);
    market.refundsOf('1688').agree(second.refundId);
    const agreed = await refunds.getRefund(second.refundId, BUYER);
    expect(agreed).toMatchObject({ status: 'success', deadline: null, timeoutAction: null });
    expect(carried(agreed as UpstreamRefund)).toEqual(carried(await sandboxRefund(second.refundId)));
    expect((await orders.getOrder(other.orderId, BUYER))?.lines[0]?.refundedFen).toBe(100);
  });

  it('returns the goods of a shipped line: agreement, return address, parcel, receipt', async () => {
    const order = await paidOrder(12, true);
    const lineId = lineOf(order);
    const options = await refunds.refundOptions(order.orderId, lineId, BUYER);
    const theirs = await market.alibaba.refundOptions(order.orderId, lineId, MEMBER);
    expect(options.reasons.map((r) => [r.reasonId, r.text.zh, r.needsProof])).toEqual(
      theirs.reasons.map((r) => [r.reasonId, r.text.zh, r.needsProof]),
    );
    expect(options).toMatchObject({ refundTypes: ['refund', 'return_refund'], allowed: true });
    const proof = options.reasons.find((r) => r.needsProof);
    if (!proof) throw new Error('no reason needing proof');
    const made = await refunds.createRefund({
      orderId: order.orderId,
      lineId,
      buyerId: BUYER,
      refundType: 'return_refund',
      goodsStatus: 'received',
      reasonId: proof.reasonId,
      amountFen: options.maxRefundFen,
      description: '质量问题，退货退款',
      images: ['https://cbu01.alicdn.com/img/ibank/proof-2.jpg'],
      clientRef: 'ponte:1688:return-1',
    });
    expect(made).toMatchObject({ refundType: 'return_refund', goodsStatus: 'received', reason: { needsProof: true } });

    await expect(
      refunds.submitReturnShipment(made.refundId, BUYER, { carrierCode: 'ZTO', trackingNo: 'ZT0001' }),
    ).rejects.toMatchObject({ reason: 'invalid_state' });
    market.refundsOf('1688').agree(made.refundId);
    const agreed = await refunds.getRefund(made.refundId, BUYER);
    expect(agreed?.status).toBe('wait_buyer_return');
    expect(agreed?.returnAddress).toEqual((await sandboxRefund(made.refundId)).returnAddress);
    expect(agreed?.returnAddress).not.toBeNull();

    const sent = await refunds.submitReturnShipment(made.refundId, BUYER, {
      carrierCode: 'ZTO',
      trackingNo: 'ZT7788990011',
      description: '已寄回',
    });
    expect(sent).toMatchObject({
      status: 'wait_seller_receive',
      returnShipment: { carrierCode: 'ZTO', trackingNo: 'ZT7788990011', description: '已寄回' },
    });
    expect(carried(sent)).toEqual(carried(await sandboxRefund(made.refundId)));

    market.refundsOf('1688').confirmReturn(made.refundId);
    const done = await refunds.getRefund(made.refundId, BUYER);
    expect(done?.status).toBe('success');
    expect(carried(done as UpstreamRefund)).toEqual(carried(await sandboxRefund(made.refundId)));
  });

  it('answers the documented wire shapes: the refund envelope, flat refusals, fen', async () => {
    const order = await paidOrder(14);
    const lineId = lineOf(order);
    const reasons = (await gateway.call(
      AOP_REFUND_APIS.reasons,
      { orderId: BigInt(order.orderId), orderEntryIds: [BigInt(lineId)], goodsStatus: 'refundWaitSellerSend' },
      { accessToken: token },
    )) as { result: { success: boolean; code: string; result: { reasons: Record<string, unknown>[] } } };
    expect(reasons.result).toMatchObject({ success: true, code: '200' });
    expect(reasons.result.result.reasons[0]).toEqual({
      id: expect.any(Number),
      name: expect.any(String),
      needVoucher: false,
      noRefundCarriage: true,
      tip: '',
    });
    const params = {
      orderId: BigInt(order.orderId),
      orderEntryIds: [BigInt(lineId)],
      disputeRequest: 'refund',
      applyPayment: 100,
      applyCarriage: 0,
      applyReasonId: Number(reasons.result.result.reasons[0]?.id),
      description: '不要了',
      goodsStatus: 'refundWaitSellerSend',
    };
    const refused = await gateway.call(
      AOP_REFUND_APIS.create,
      { ...params, applyPayment: 10_000_000 },
      {
        accessToken: token,
      },
    );
    expect(refused).toEqual({ result: { success: false, code: 'REFUND_PARAM_ERROR', message: expect.any(String) } });
    const created = (await gateway.call(AOP_REFUND_APIS.create, params, { accessToken: token })) as {
      result: { success: boolean; result: { refundId: string } };
    };
    expect(created.result).toMatchObject({ success: true, result: { refundId: expect.stringMatching(/^TQ\d+$/) } });
    const listed = (await gateway.call(
      AOP_REFUND_APIS.list,
      { orderId: BigInt(order.orderId), currentPageNum: 1, pageSize: 20 },
      { accessToken: token },
    )) as Record<string, unknown>;
    expect(listed).toMatchObject({
      success: true,
      errorMsg: '',
      result: {
        totalCount: 1,
        currentPageNum: 1,
        opOrderRefundModels: [
          {
            refundId: created.result.result.refundId,
            status: 'waitselleragree',
            disputeRequest: 'refund',
            goodsStatus: 'refundWaitSellerSend',
            applyPayment: 100,
          },
        ],
      },
    });
    const now = market.clock.now();
    const tooLong = await gateway.call(
      AOP_REFUND_APIS.list,
      { applyStartTime: aopDate(now - 731 * 86_400_000), applyEndTime: aopDate(now), currentPageNum: 1, pageSize: 20 },
      { accessToken: token },
    );
    expect(tooLong).toMatchObject({ success: false, errorCode: 'APPLY_TIME_ERROR' });
    const returned = await gateway.call(
      AOP_REFUND_APIS.returnGoods,
      { refundId: created.result.result.refundId, logisticsCompanyNo: 'ZTO', freightBill: 'ZT1' },
      { accessToken: token },
    );
    expect(returned).toEqual({
      result: { success: false, errorCode: 'REFUND_STATUS_ERROR', errorInfo: expect.any(String) },
    });
  });

  it('answers null for an unknown refund and refuses the operations 1688 has no API for', async () => {
    expect(await refunds.getRefund('TQ9999999999999999', BUYER)).toBeNull();
    const unsupported = [
      () => refunds.modifyRefund(),
      () => refunds.cancelRefund(),
      () => refunds.refundByClientRef(),
      () => refunds.addRefundMessage(),
      () => refunds.refundMessages(),
    ];
    for (const op of unsupported) await expect(op()).rejects.toBeInstanceOf(UpstreamUnsupportedError);
  });

  it('has a capability table that covers every after-sales operation', () => {
    const operations = Object.keys(REFUND_CAPABILITIES) as RefundOperation[];
    expect(operations.sort()).toEqual(
      [
        'refundOptions',
        'createRefund',
        'modifyRefund',
        'cancelRefund',
        'submitReturnShipment',
        'getRefund',
        'refundByClientRef',
        'addRefundMessage',
        'refundMessages',
        'orderRefunds',
      ].sort(),
    );
    for (const op of operations) {
      expect(op in PROVIDER_OPERATIONS).toBe(true);
      expect(typeof (refunds as unknown as Record<string, unknown>)[op]).toBe('function');
    }
    const supported = Object.entries(REFUND_CAPABILITIES).filter(([, c]) => 'api' in c);
    expect(supported.map(([op]) => op).sort()).toEqual(
      ['createRefund', 'getRefund', 'orderRefunds', 'refundOptions', 'submitReturnShipment'].sort(),
    );
    for (const [op, capability] of supported) {
      if (!('api' in capability)) continue;
      for (const api of capability.api.split(' + ')) expect(calls, `${op} through ${api}`).toContain(api);
    }
  });
});
