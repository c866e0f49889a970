import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UpstreamUnsupportedError } from '../../../src/providers/errors.js';
import { SandboxMarket } from '../../../src/providers/sandbox/sandbox.js';
import { IopClient } from '../../../src/providers/taobao-global/gateway.js';
import { chinaTime } from '../../../src/providers/taobao-global/orders.js';
import {
  GOODS_STATUSES,
  REFUND_CAPABILITIES,
  REFUND_STATUSES,
  TaobaoGlobalRefunds,
  type TaobaoRefundOperation,
} from '../../../src/providers/taobao-global/refunds.js';
import type { RefundRequest, UpstreamOrder, UpstreamRefund } from '../../../src/providers/types.js';
import { buildIopFake, type IopFake } from '../../../src/upstream-fakes/taobao-global/fake.js';
import { goodsHandlers } from '../../../src/upstream-fakes/taobao-global/goods-handlers.js';
import { orderHandlers } from '../../../src/upstream-fakes/taobao-global/order-handlers.js';
import { refundHandlers } from '../../../src/upstream-fakes/taobao-global/refund-handlers.js';
import { quiet, WAREHOUSE } from '../fixtures.js';

const APP_KEY = '500779';
const APP_SECRET = 'refunds-secret-for-tests';
const BUYER = 'dev-refunds';
const OTHER = 'dev-refunds-other';

let market: SandboxMarket;
let fake: IopFake;
let refunds: TaobaoGlobalRefunds;
let refs = 0;
let shops = 0;

/** A paid sandbox order of one distributable SKU (each call from another shop), bought by BUYER. */
async function paidOrder(): Promise<UpstreamOrder> {
  const [pick] = market.store.db
    .prepare(
      `select g.id as productId, min(s.sku_id) as skuId from goods g
       join skus s on s.platform = g.platform and s.good_id = g.id
       where g.platform = 'taobao' and g.status = 'active' and g.mp_id is not null and s.mp_sku_id is not null
         and s.stock >= 20 group by g.shop_id order by g.shop_id limit 1 offset ?`,
    )
    .all(shops++) as { productId: string; skuId: string }[];
  if (!pick) throw new Error('no orderable SKU left');
  const [order] = await market.taobao.createOrder({
    lines: [{ productId: pick.productId, skuId: pick.skuId, quantity: 2 }],
    address: WAREHOUSE,
    buyerId: BUYER,
    buyerMessage: '',
    clientRef: `taobao:${BUYER}:order-${++refs}`,
  });
  if (!order) throw new Error('no order created');
  return market.taobao.payOrder(order.orderId, BUYER, order.totalFen);
}

/** A refund opened in the market itself (the platform documents no API for opening one). */
async function openRefund(order: UpstreamOrder, over: Partial<RefundRequest> = {}): Promise<UpstreamRefund> {
  const line = order.lines[0];
  if (!line) throw new Error('order without lines');
  const options = await market.taobao.refundOptions(order.orderId, line.lineId, BUYER);
  return market.taobao.createRefund({
    orderId: order.orderId,
    lineId: line.lineId,
    buyerId: BUYER,
    refundType: 'refund',
    goodsStatus: options.goodsStatuses[0] ?? 'not_shipped',
    reasonId: options.reasons[0]?.reasonId ?? '',
    amountFen: options.maxRefundFen,
    description: '不想要了',
    clientRef: `refund-${++refs}`,
    ...over,
  });
}

/** The fields the refund query carries, as the sandbox has them. */
function expectSameRefund(actual: UpstreamRefund | null, expected: UpstreamRefund) {
  expect(actual).not.toBeNull();
  if (!actual) return;
  expect(actual.platform).toBe('taobao');
  expect(actual.refundId).toBe(expected.refundId);
  expect(actual.orderId).toBe(expected.orderId);
  expect(actual.lineId).toBe(expected.lineId);
  expect(actual.buyerId).toBe(expected.buyerId);
  expect(actual.refundType).toBe(expected.refundType);
  expect(actual.goodsStatus).toBe(expected.goodsStatus === 'at_warehouse' ? 'received' : expected.goodsStatus);
  expect(actual.status).toBe(expected.status);
  expect(actual.reason.reasonId).toBe(expected.reason.reasonId);
  expect(actual.reason.text.zh).toBe(expected.reason.text.zh);
  expect(actual.amountFen).toBe(expected.amountFen);
  expect(actual.description).toBe(expected.description);
  // The deadline travels as China-time text, to the second.
  expect(actual.deadline).toBe(expected.deadline === null ? null : Math.floor(expected.deadline / 1000) * 1000);
  expect(actual.timeoutAction).toBe(expected.timeoutAction);
  expect(actual.refuseReason).toBe(expected.refuseReason);
  expect(actual.returnShipment?.trackingNo).toBe(expected.returnShipment?.trackingNo);
  expect(actual.returnShipment?.carrierCode).toBe(expected.returnShipment?.carrierCode);
  expect(actual.returnAddress?.receiver).toBe(expected.returnAddress?.receiver);
  expect(actual.returnAddress?.phone).toBe(expected.returnAddress?.phone);
  // Not carried by the query.
  expect(actual.clientRef).toBe('');
  expect(actual.images).toEqual([]);
}

beforeAll(async () => {
  market = new SandboxMarket({
    file: ':memory:',
    baseUrl: () => 'http://market.test',
    catalog: { seed: 29, goodsPerPlatform: 160 },
  });
  market.ensureSeeded();
  // Sellers decide only when the test makes them.
  market.policy.update({ priceModifyRate: 0, refundDecision: 'agree' });
  fake = buildIopFake({
    appKey: APP_KEY,
    appSecret: APP_SECRET,
    now: () => Date.now(),
    accounts: [
      { account: BUYER, userId: '2200000000021' },
      { account: OTHER, userId: '2200000000022' },
    ],
    handlers: {
      ...goodsHandlers({ market: market.taobao }),
      ...orderHandlers({ market: market.taobao }),
      ...refundHandlers({ market: market.taobao }),
    },
  });
  const client = new IopClient({
    baseUrl: await fake.listen(),
    appKey: APP_KEY,
    appSecret: APP_SECRET,
    now: () => Date.now(),
    log: quiet,
  });
  const tokens = new Map<string, string>();
  for (const account of [BUYER, OTHER]) {
    tokens.set(account, (await client.createToken(fake.issueCode(account))).accessToken);
  }
  refunds = new TaobaoGlobalRefunds(client, async (buyerId) => tokens.get(buyerId) ?? 'unknown-token');
});

afterAll(async () => {
  await fake.close();
  market.close();
});

describe('Taobao Global refund capabilities', () => {
  it('names the query APIs and leaves every undocumented operation unsupported', () => {
    const supported = Object.entries(REFUND_CAPABILITIES)
      .filter(([, c]) => 'api' in c)
      .map(([op]) => op)
      .sort();
    expect(supported).toEqual(['getRefund', 'orderRefunds']);
    expect(REFUND_CAPABILITIES.getRefund).toEqual({ api: '/order/refund/query' });
  });

  it('throws UpstreamUnsupportedError for each unsupported operation', async () => {
    const calls: Record<Exclude<TaobaoRefundOperation, 'getRefund' | 'orderRefunds'>, () => Promise<unknown>> = {
      refundOptions: () => refunds.refundOptions(),
      createRefund: () => refunds.createRefund(),
      modifyRefund: () => refunds.modifyRefund(),
      cancelRefund: () => refunds.cancelRefund(),
      submitReturnShipment: () => refunds.submitReturnShipment(),
      refundByClientRef: () => refunds.refundByClientRef(),
      addRefundMessage: () => refunds.addRefundMessage(),
      refundMessages: () => refunds.refundMessages(),
    };
    for (const [operation, call] of Object.entries(calls)) {
      expect('unsupported' in REFUND_CAPABILITIES[operation as TaobaoRefundOperation]).toBe(true);
      await expect(call()).rejects.toBeInstanceOf(UpstreamUnsupportedError);
      await expect(call()).rejects.toMatchObject({ operation, upstream: 'taobao-global' });
    }
  });

  it('reads every documented refund status, type and goods status', () => {
    expect(Object.keys(REFUND_STATUSES).sort()).toEqual(['-10', '-20', '10', '100', '20', '30'].sort());
    expect(Object.keys(GOODS_STATUSES)).toEqual(['1', '2', '3', '4', '5', '6']);
  });
});

describe('Taobao Global refunds through the gateway', () => {
  it('reads a refund as the sandbox holds it, money in fen and the reason with its text', async () => {
    const order = await paidOrder();
    const refund = await openRefund(order);
    expect(refund.status).toBe('wait_seller_agree');
    const read = await refunds.getRefund(refund.refundId, BUYER);
    expectSameRefund(read, refund);
    expect(read?.createdAt).toBe(Math.floor(order.createdAt / 1000) * 1000);
    expect(chinaTime(read?.deadline ?? 0)).toBe(chinaTime(refund.deadline ?? 0));
  });

  it('answers null for an unknown refund, a malformed id and another buyer’s refund', async () => {
    const refund = await openRefund(await paidOrder());
    expect(await refunds.getRefund('119999999999', BUYER)).toBeNull();
    expect(await refunds.getRefund('not-a-refund', BUYER)).toBeNull();
    expect(await refunds.getRefund(refund.refundId, OTHER)).toBeNull();
  });

  it('shows the seller’s refusal and then the buyer’s cancellation', async () => {
    const refund = await openRefund(await paidOrder());
    const refused = market.refundsOf('taobao').refuse(refund.refundId, '请提供商品问题照片');
    const read = await refunds.getRefund(refund.refundId, BUYER);
    expectSameRefund(read, refused);
    expect(read?.status).toBe('seller_refused');
    expect(read?.refuseReason).toBe('请提供商品问题照片');
    expect(read?.refuseCount).toBe(1);
    const closed = await market.taobao.cancelRefund(refund.refundId, BUYER);
    expectSameRefund(await refunds.getRefund(refund.refundId, BUYER), closed);
    expect(closed.status).toBe('closed');
  });

  it('follows a return: agreed with a return address, parcel sent, received, refunded', async () => {
    const order = await paidOrder();
    market.ordersOf('taobao').ship(order.orderId);
    const refund = await openRefund(order, {
      refundType: 'return_refund',
      goodsStatus: 'at_warehouse',
      reasonId: '403770',
      images: ['https://img.example/seam.jpg'],
    });
    expectSameRefund(await refunds.getRefund(refund.refundId, BUYER), refund);

    const agreed = market.refundsOf('taobao').agree(refund.refundId);
    const readAgreed = await refunds.getRefund(refund.refundId, BUYER);
    expectSameRefund(readAgreed, agreed);
    expect(readAgreed?.status).toBe('wait_buyer_return');
    expect(readAgreed?.returnAddress?.address).toContain(agreed.returnAddress?.address ?? '-');

    const sent = await market.taobao.submitReturnShipment(refund.refundId, BUYER, {
      carrierCode: 'SF',
      trackingNo: 'SF1234567890',
      description: '原包装寄回',
    });
    const readSent = await refunds.getRefund(refund.refundId, BUYER);
    expectSameRefund(readSent, sent);
    expect(readSent?.status).toBe('wait_seller_receive');
    expect(readSent?.returnShipment).toMatchObject({ carrierCode: 'SF', trackingNo: 'SF1234567890' });
    expect(readSent?.returnShipment?.description).toBe('原包装寄回');

    const done = market.refundsOf('taobao').confirmReturn(refund.refundId);
    const readDone = await refunds.getRefund(refund.refundId, BUYER);
    expectSameRefund(readDone, done);
    expect(readDone?.status).toBe('success');
    expect(readDone?.deadline).toBeNull();
    expect(readDone?.timeoutAction).toBeNull();
  });

  it('lists an order’s refunds, newest first, as the sandbox does', async () => {
    const [pick] = market.store.db
      .prepare(
        `select g.id as productId, s.sku_id as skuId from goods g
         join skus s on s.platform = g.platform and s.good_id = g.id
         where g.platform = 'taobao' and g.status = 'active' and g.mp_id is not null and s.mp_sku_id is not null
           and s.stock >= 20 and g.id in (select good_id from skus where platform = 'taobao' group by good_id
             having count(*) >= 2) limit 1`,
      )
      .all() as { productId: string; skuId: string }[];
    if (!pick) throw new Error('no product with two SKUs');
    const skus = market.store.db
      .prepare(`select sku_id as skuId from skus where platform = 'taobao' and good_id = ? and stock >= 5 limit 2`)
      .all(pick.productId) as { skuId: string }[];
    const [created] = await market.taobao.createOrder({
      lines: skus.map((s) => ({ productId: pick.productId, skuId: s.skuId, quantity: 1 })),
      address: WAREHOUSE,
      buyerId: BUYER,
      buyerMessage: '',
      clientRef: `taobao:${BUYER}:order-${++refs}`,
    });
    if (!created) throw new Error('no order created');
    const order = await market.taobao.payOrder(created.orderId, BUYER, created.totalFen);
    expect(await refunds.orderRefunds(order.orderId, BUYER)).toEqual([]);
    for (const line of order.lines) {
      await openRefund({ ...order, lines: [line] });
    }
    const expected = await market.taobao.orderRefunds(order.orderId, BUYER);
    const read = await refunds.orderRefunds(order.orderId, BUYER);
    expect(read.map((r) => r.refundId)).toEqual(expected.map((r) => r.refundId));
    read.forEach((r, i) => {
      expectSameRefund(r, expected[i] as UpstreamRefund);
    });
  });

  it('refuses the refunds of an order that is unknown or not the buyer’s', async () => {
    const order = await paidOrder();
    await expect(refunds.orderRefunds('999999999999999', BUYER)).rejects.toMatchObject({ reason: 'not_found' });
    await expect(refunds.orderRefunds(order.orderId, OTHER)).rejects.toMatchObject({ reason: 'not_found' });
    await expect(refunds.orderRefunds('x1', BUYER)).rejects.toMatchObject({ reason: 'not_found' });
  });

  it('honours an aborted signal before calling', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(refunds.getRefund('110000000001', BUYER, { signal: controller.signal })).rejects.toThrow();
  });
});
