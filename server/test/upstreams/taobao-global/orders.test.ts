import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MarketRejection, UpstreamError, UpstreamUnsupportedError } from '../../../src/providers/errors.js';
import { DEFAULT_POLICY } from '../../../src/providers/sandbox/market/policy.js';
import { SandboxMarket } from '../../../src/providers/sandbox/sandbox.js';
import { IopClient } from '../../../src/providers/taobao-global/gateway.js';
import { TaobaoGlobalGoods } from '../../../src/providers/taobao-global/goods.js';
import {
  chinaTime,
  ORDER_CAPABILITIES,
  PURCHASE_STATUSES,
  TaobaoGlobalOrders,
  type TaobaoOrderOperation,
  time,
} from '../../../src/providers/taobao-global/orders.js';
import type { OrderRequest, UpstreamOrder } from '../../../src/providers/types.js';
import { buildIopFake, type IopFake } from '../../../src/upstream-fakes/taobao-global/fake.js';
import { goodsHandlers } from '../../../src/upstream-fakes/taobao-global/goods-handlers.js';
import { orderHandlers } from '../../../src/upstream-fakes/taobao-global/order-handlers.js';
import { quiet, WAREHOUSE } from '../fixtures.js';

const APP_KEY = '500778';
const APP_SECRET = 'orders-secret-for-tests';
const BUYER = 'dev-orders';
const OTHER = 'dev-other';

let market: SandboxMarket;
let fake: IopFake;
let orders: TaobaoGlobalOrders;
const balance = { value: Number.MAX_SAFE_INTEGER };
let refs = 0;

/** Distributable SKUs with stock, each from another shop. */
function orderable(count: number, minStock = 50): { productId: string; skuId: string; shopId: string }[] {
  return market.store.db
    .prepare(
      `select g.id as productId, min(s.sku_id) as skuId, g.shop_id as shopId from goods g
       join skus s on s.platform = g.platform and s.good_id = g.id
       where g.platform = 'taobao' and g.status = 'active' and g.mp_id is not null and s.mp_sku_id is not null
         and s.stock >= ? group by g.shop_id order by g.shop_id limit ?`,
    )
    .all(minStock, count) as { productId: string; skuId: string; shopId: string }[];
}

function request(lines: OrderRequest['lines'], clientRef = `taobao:${BUYER}:ref-${++refs}`): OrderRequest {
  return { lines, address: WAREHOUSE, buyerId: BUYER, buyerMessage: '请尽快发货', clientRef };
}

/** The fields the order query carries, as the sandbox has them. */
function expectSameOrder(actual: UpstreamOrder, expected: UpstreamOrder) {
  expect(actual.orderId).toBe(expected.orderId);
  expect(actual.clientRef).toBe(expected.clientRef);
  expect(actual.buyerId).toBe(expected.buyerId);
  expect(actual.shopId).toBe(expected.shopId);
  expect(actual.shopName.zh).toBe(expected.shopName.zh);
  expect(actual.goodsFen).toBe(expected.goodsFen);
  expect(actual.shippingFen).toBe(expected.shippingFen);
  expect(actual.adjustFen).toBe(expected.adjustFen);
  expect(actual.totalFen).toBe(expected.totalFen);
  expect(actual.address).toEqual(expected.address);
  expect(actual.buyerMessage).toBe(expected.buyerMessage);
  expect(actual.createdAt).toBe(expected.createdAt);
  expect(actual.paidAt).toBe(expected.paidAt);
  expect(actual.lines).toHaveLength(expected.lines.length);
  actual.lines.forEach((line, i) => {
    const e = expected.lines[i];
    if (!e) throw new Error('line missing');
    expect(line.lineId).toBe(e.lineId);
    expect(line.productId).toBe(e.productId);
    expect(line.skuId).toBe(e.skuId);
    expect(line.title.zh).toBe(e.title.zh);
    expect(line.imageUrl).toBe(e.imageUrl);
    expect(line.quantity).toBe(e.quantity);
    expect(line.unitPriceFen).toBe(e.unitPriceFen);
    expect(line.amountFen).toBe(e.amountFen);
    expect(line.shipment).toEqual(e.shipment);
    expect(line.skuProperties.map((p) => [p.propId, p.propName.zh, p.valueId, p.valueName.zh])).toEqual(
      e.skuProperties.map((p) => [p.propId, p.propName.zh, p.valueId, p.valueName.zh]),
    );
    expect(line.skuProperties.map((p) => p.valueName.en)).toEqual(e.skuProperties.map((p) => p.valueName.en));
  });
}

beforeAll(async () => {
  market = new SandboxMarket({
    file: ':memory:',
    baseUrl: () => 'http://market.test',
    catalog: { seed: 23, goodsPerPlatform: 160 },
  });
  market.ensureSeeded();
  // Sellers do not change prices on their own here: the test changes one when it wants to.
  market.policy.update({ priceModifyRate: 0 });
  fake = buildIopFake({
    appKey: APP_KEY,
    appSecret: APP_SECRET,
    now: () => Date.now(),
    accounts: [
      { account: BUYER, userId: '2200000000011' },
      { account: OTHER, userId: '2200000000012' },
    ],
    handlers: {
      ...goodsHandlers({ market: market.taobao }),
      ...orderHandlers({ market: market.taobao, balanceFen: balance }),
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
  const token = async (buyerId: string) => tokens.get(buyerId) ?? 'unknown-token';
  const goods = new TaobaoGlobalGoods(client, async () => tokens.get(BUYER) as string, {
    language: 'en',
    now: () => Date.now(),
  });
  orders = new TaobaoGlobalOrders(client, token, goods);
});

afterAll(async () => {
  await fake.close();
  market.close();
});

describe('Taobao Global times', () => {
  it('reads epoch milliseconds and China-time text', () => {
    expect(time(1_700_000_000_123)).toBe(1_700_000_000_123);
    expect(time('1700000000123')).toBe(1_700_000_000_123);
    expect(time('2026-01-05 16:00:00')).toBe(Date.UTC(2026, 0, 5, 8));
    expect(time(0)).toBeNull();
    expect(time('')).toBeNull();
    expect(chinaTime(Date.UTC(2026, 0, 5, 8))).toBe('2026-01-05 16:00:00');
  });

  it('reads the purchase statuses in the platform’s own spelling', () => {
    expect(PURCHASE_STATUSES.BULIDING).toBe('wait_buyer_pay');
    expect(PURCHASE_STATUSES.WAIT_BUYER_P).toBe('wait_buyer_pay');
    expect(PURCHASE_STATUSES.WAIT_SELLER_SEND_GOODS).toBe('wait_seller_send');
    expect(PURCHASE_STATUSES.WAIT_BUYER_CONFIRM_GOODS).toBe('wait_buyer_receive');
    expect(PURCHASE_STATUSES.TRADE_CLOSED).toBe('closed');
  });
});

describe('Taobao Global orders over the fake gateway', () => {
  it('previews as the sandbox does, one group per seller, with distribution ids on the wire', async () => {
    const [a, b] = orderable(2);
    if (!a || !b) throw new Error('no goods');
    const lines = [
      { productId: a.productId, skuId: a.skuId, quantity: 2 },
      { productId: b.productId, skuId: b.skuId, quantity: 1 },
      { productId: '1', quantity: 1 },
    ];
    const from = fake.calls.length;
    const [actual, expected] = await Promise.all([
      orders.previewOrder({ lines, address: WAREHOUSE, buyerId: BUYER }),
      market.taobao.previewOrder({ lines, address: WAREHOUSE, buyerId: BUYER }),
    ]);
    expect(actual.totalFen).toBe(expected.totalFen);
    expect(actual.groups.map((g) => [g.shopId, g.goodsFen, g.shippingFen, g.totalFen])).toEqual(
      expected.groups.map((g) => [g.shopId, g.goodsFen, g.shippingFen, g.totalFen]),
    );
    for (const [i, group] of actual.groups.entries()) {
      const e = expected.groups[i];
      if (!e) throw new Error('group missing');
      expect(group.shopName.zh).toBe(e.shopName.zh);
      expect(group.lines.map((l) => [l.productId, l.unitPriceFen, l.amountFen, l.available, l.problem])).toEqual(
        e.lines.map((l) => [l.productId, l.unitPriceFen, l.amountFen, l.available, l.problem]),
      );
      expect(group.lines.map((l) => [l.title.zh, l.title.en])).toEqual(e.lines.map((l) => [l.title.zh, l.title.en]));
    }
    const render = fake.calls.slice(from).find((c) => c.api === '/purchase/order/render');
    const product = await market.taobao.getProduct(a.productId);
    const sent = JSON.parse(render?.params.render_item_List ?? '[]') as { item_id: string; sku_id: string }[];
    expect(sent[0]?.item_id).toBe(product?.mpId);
    expect(sent[0]?.sku_id).toBe(product?.skus.find((s) => s.skuId === a.skuId)?.mpSkuId);
    expect(sent).toHaveLength(2);
  });

  it('creates one order per seller, the same clientRef twice answering the same orders', async () => {
    const [a, b] = orderable(2);
    if (!a || !b) throw new Error('no goods');
    const req = request([
      { productId: a.productId, skuId: a.skuId, quantity: 2 },
      { productId: b.productId, skuId: b.skuId, quantity: 1 },
    ]);
    const first = await orders.createOrder(req);
    expect(first).toHaveLength(2);
    expect(new Set(first.map((o) => o.shopId)).size).toBe(2);
    expect(first.every((o) => o.status === 'wait_buyer_pay' && o.clientRef === req.clientRef)).toBe(true);
    const create = fake.calls.filter((c) => c.api === '/purchase/order/create').at(-1);
    expect(create?.params.outer_purchase_id).toBe(req.clientRef);
    const sandbox = await market.taobao.ordersByClientRef(req.clientRef, BUYER);
    expect(Number(create?.params.purchase_amount)).toBe(sandbox.reduce((sum, o) => sum + o.totalFen, 0));
    for (const order of first) {
      const expected = sandbox.find((o) => o.orderId === order.orderId);
      if (!expected) throw new Error(`not in the sandbox: ${order.orderId}`);
      expectSameOrder(order, expected);
      expect(order.status).toBe('wait_buyer_pay');
    }
    const again = await orders.createOrder(req);
    expect(again.map((o) => o.orderId)).toEqual(first.map((o) => o.orderId));
    expect(await market.taobao.ordersByClientRef(req.clientRef, BUYER)).toHaveLength(2);
    const byRef = await orders.ordersByClientRef(req.clientRef, BUYER);
    expect(byRef.map((o) => o.orderId)).toEqual(sandbox.map((o) => o.orderId));
    expect(await orders.ordersByClientRef('taobao:nobody:none', BUYER)).toEqual([]);
  });

  it('refuses lines it cannot sell, as the sandbox does, and creates nothing', async () => {
    const [a] = orderable(1);
    if (!a) throw new Error('no goods');
    const ref = `taobao:${BUYER}:refused`;
    await expect(
      orders.createOrder(request([{ productId: a.productId, skuId: a.skuId, quantity: 10_000_000 }], ref)),
    ).rejects.toMatchObject({ reason: 'out_of_stock', field: 'lines[0]' });
    await expect(orders.createOrder(request([{ productId: '1', quantity: 1 }], ref))).rejects.toMatchObject({
      reason: 'not_found',
    });
    expect(await market.taobao.ordersByClientRef(ref, BUYER)).toEqual([]);
  });

  it('answers the orders made when a retry finds the stock its first call took', async () => {
    const [a] = orderable(1);
    if (!a) throw new Error('no goods');
    const product = await market.taobao.getProduct(a.productId);
    const stock = product?.skus.find((s) => s.skuId === a.skuId)?.stock ?? 0;
    const req = request([{ productId: a.productId, skuId: a.skuId, quantity: stock }]);
    const first = await orders.createOrder(req);
    expect((await market.taobao.getProduct(a.productId))?.skus.find((s) => s.skuId === a.skuId)?.stock).toBe(0);
    const again = await orders.createOrder(req);
    expect(again.map((o) => o.orderId)).toEqual(first.map((o) => o.orderId));
    // Another reference is refused: nothing is left.
    await expect(orders.createOrder(request(req.lines))).rejects.toMatchObject({ reason: 'out_of_stock' });
    await orders.cancelOrder({ orderId: first[0]?.orderId ?? '', buyerId: BUYER, reason: 'stock back' });
  });

  it('maps a refusal of the create API itself (the stock went between render and create)', async () => {
    const [a] = orderable(1);
    if (!a) throw new Error('no goods');
    const racing = Object.create(market.taobao) as typeof market.taobao;
    racing.createOrder = async () => {
      throw new MarketRejection('out_of_stock', 'sold out meanwhile');
    };
    const other = buildIopFake({
      appKey: APP_KEY,
      appSecret: APP_SECRET,
      now: () => Date.now(),
      accounts: [{ account: BUYER, userId: '2200000000011' }],
      handlers: { ...goodsHandlers({ market: racing }), ...orderHandlers({ market: racing }) },
    });
    try {
      const client = new IopClient({
        baseUrl: await other.listen(),
        appKey: APP_KEY,
        appSecret: APP_SECRET,
        now: () => Date.now(),
        log: quiet,
      });
      const token = (await client.createToken(other.issueCode(BUYER))).accessToken;
      const goods = new TaobaoGlobalGoods(client, async () => token, { language: 'en', now: () => Date.now() });
      const raced = new TaobaoGlobalOrders(client, async () => token, goods);
      const err = await raced
        .createOrder(request([{ productId: a.productId, skuId: a.skuId, quantity: 1 }]))
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(MarketRejection);
      expect(err).toMatchObject({ reason: 'out_of_stock', message: 'sold out meanwhile' });
      await expect(raced.cancelOrder({ orderId: 'x1', buyerId: BUYER, reason: 'r' })).rejects.toMatchObject({
        reason: 'not_found',
      });
    } finally {
      await other.close();
    }
  });

  it('pays at the total, converges on a repeated payment, and refuses a stale total with price_changed', async () => {
    const [a] = orderable(1);
    if (!a) throw new Error('no goods');
    const [order] = await orders.createOrder(request([{ productId: a.productId, skuId: a.skuId, quantity: 1 }]));
    if (!order) throw new Error('no order');
    const paid = await orders.payOrder(order.orderId, BUYER, order.totalFen);
    expect(paid.status).toBe('wait_seller_send');
    expect(paid.paidAt).not.toBeNull();
    // Purchase ids are beyond 2^53: they travel as exact JSON numbers.
    expect(BigInt(order.orderId) > 2n ** 53n).toBe(true);
    const pay = fake.calls.filter((c) => c.api === '/purchase/order/batch/pay').at(-1);
    expect(pay?.params.purchaseOrderIdList).toBe(`[${order.orderId}]`);
    const again = await orders.payOrder(order.orderId, BUYER, order.totalFen);
    expect(again.paidAt).toBe(paid.paidAt);
    await expect(orders.payOrder(order.orderId, BUYER, order.totalFen + 1)).rejects.toMatchObject({
      reason: 'price_changed',
    });

    const [changed] = await orders.createOrder(request([{ productId: a.productId, skuId: a.skuId, quantity: 1 }]));
    if (!changed) throw new Error('no order');
    market.ordersOf('taobao').modifyPrice(changed.orderId, changed.totalFen - 100);
    const err = await orders.payOrder(changed.orderId, BUYER, changed.totalFen).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MarketRejection);
    expect(err).toMatchObject({ reason: 'price_changed', field: 'expectedTotalFen' });
    const reread = await orders.getOrder(changed.orderId, BUYER);
    expect(reread?.status).toBe('wait_buyer_pay');
    expect(reread?.adjustFen).toBe(-100);
    expect(reread?.totalFen).toBe(changed.totalFen - 100);
    expect((await orders.payOrder(changed.orderId, BUYER, changed.totalFen - 100)).status).toBe('wait_seller_send');
  });

  it('answers a payment the balance cannot cover as an upstream failure', async () => {
    const [a] = orderable(1);
    if (!a) throw new Error('no goods');
    const [order] = await orders.createOrder(request([{ productId: a.productId, skuId: a.skuId, quantity: 1 }]));
    if (!order) throw new Error('no order');
    balance.value = 0;
    try {
      const err = await orders.payOrder(order.orderId, BUYER, order.totalFen).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(UpstreamError);
      expect(String((err as Error).message)).toMatch(/INSUFFICIENT_BALANCE_FOR_PAYMENT/);
    } finally {
      balance.value = Number.MAX_SAFE_INTEGER;
    }
    expect((await orders.getOrder(order.orderId, BUYER))?.status).toBe('wait_buyer_pay');
  });

  it('cancels before payment and refuses after it; another buyer sees nothing', async () => {
    const [a] = orderable(1);
    if (!a) throw new Error('no goods');
    const [order] = await orders.createOrder(request([{ productId: a.productId, skuId: a.skuId, quantity: 1 }]));
    if (!order) throw new Error('no order');
    expect(await orders.getOrder(order.orderId, OTHER)).toBeNull();
    await expect(orders.cancelOrder({ orderId: order.orderId, buyerId: OTHER, reason: 'x' })).rejects.toMatchObject({
      reason: 'not_found',
    });
    const cancelled = await orders.cancelOrder({ orderId: order.orderId, buyerId: BUYER, reason: 'changed my mind' });
    expect(cancelled.status).toBe('closed');
    expect(cancelled.closeReason).toBe('buyer: changed my mind');
    expect(cancelled.closedAt).not.toBeNull();

    const [paid] = await orders.createOrder(request([{ productId: a.productId, skuId: a.skuId, quantity: 1 }]));
    if (!paid) throw new Error('no order');
    await orders.payOrder(paid.orderId, BUYER, paid.totalFen);
    await expect(orders.cancelOrder({ orderId: paid.orderId, buyerId: BUYER, reason: 'late' })).rejects.toMatchObject({
      reason: 'invalid_state',
    });
    await expect(orders.payOrder(order.orderId, BUYER, order.totalFen)).rejects.toMatchObject({
      reason: 'invalid_state',
    });
    expect(await orders.getOrder('999999', BUYER)).toBeNull();
    expect(await orders.getOrder('not-an-id', BUYER)).toBeNull();
  });

  it('shows the seller’s shipment, its trace steps, and the receipt confirmed', async () => {
    const [a] = orderable(1);
    if (!a) throw new Error('no goods');
    const [order] = await orders.createOrder(request([{ productId: a.productId, skuId: a.skuId, quantity: 1 }]));
    if (!order) throw new Error('no order');
    await orders.payOrder(order.orderId, BUYER, order.totalFen);
    expect(await orders.logisticsTrace(order.orderId, BUYER)).toEqual([]);
    market.ordersOf('taobao').ship(order.orderId);
    const shipped = await orders.getOrder(order.orderId, BUYER);
    const expected = await market.taobao.getOrder(order.orderId, BUYER);
    if (!shipped || !expected) throw new Error('missing');
    expectSameOrder(shipped, expected);
    expect(shipped.status).toBe('wait_buyer_receive');
    expect(shipped.lines[0]?.shipment?.trackingNo).toBe(expected.lines[0]?.shipment?.trackingNo);
    expect(shipped.lines[0]?.shipment?.carrierCode).toBe(expected.lines[0]?.shipment?.carrierCode);
    expect(shipped.shippedAt).toBe(expected.shippedAt);

    await market.advance(3 * DEFAULT_POLICY.traceStepMs);
    const [trace] = (await orders.logisticsTrace(order.orderId, BUYER)) ?? [];
    const [sandboxTrace] = (await market.taobao.logisticsTrace(order.orderId, BUYER)) ?? [];
    if (!trace || !sandboxTrace) throw new Error('no trace');
    expect(trace.trackingNo).toBe(sandboxTrace.trackingNo);
    expect(trace.carrierCode).toBe(sandboxTrace.carrierCode);
    expect(trace.carrierName).toBe(sandboxTrace.carrierName);
    expect(trace.lineIds).toEqual(sandboxTrace.lineIds);
    expect(trace.steps.length).toBeGreaterThan(1);
    expect(trace.steps.map((s) => [s.status, s.description.zh, s.city.zh, s.province.zh, s.facility])).toEqual(
      sandboxTrace.steps.map((s) => [s.status, s.description.zh, s.city.zh, s.province.zh, s.facility]),
    );
    // The platform writes node times to the second.
    expect(trace.steps.map((s) => s.time)).toEqual(sandboxTrace.steps.map((s) => Math.floor(s.time / 1000) * 1000));
    expect(await orders.logisticsTrace('999999', BUYER)).toBeNull();

    const received = await orders.confirmReceipt(order.orderId, BUYER);
    expect((await market.taobao.getOrder(order.orderId, BUYER))?.status).toBe('confirmed');
    // Taobao has no confirmed step of its own: a confirmed trade is finished.
    expect(received.status).toBe('finished');
    expect(received.receivedAt).not.toBeNull();
    await expect(orders.confirmReceipt(order.orderId, BUYER)).rejects.toMatchObject({ reason: 'invalid_state' });
  });

  it('answers each operation through its API or refuses it as unsupported, as the table says', async () => {
    const [a] = orderable(1);
    if (!a) throw new Error('no goods');
    const line = { productId: a.productId, skuId: a.skuId, quantity: 1 };
    const [order] = await orders.createOrder(request([line]));
    const [toCancel] = await orders.createOrder(request([line]));
    const [toShip] = await orders.createOrder(request([line]));
    if (!order || !toCancel || !toShip) throw new Error('no order');
    await orders.payOrder(toShip.orderId, BUYER, toShip.totalFen);
    market.ordersOf('taobao').ship(toShip.orderId);
    const calls: Record<TaobaoOrderOperation, () => Promise<unknown>> = {
      previewOrder: () => orders.previewOrder({ lines: [line], address: WAREHOUSE, buyerId: BUYER }),
      createOrder: () => orders.createOrder(request([line])),
      payOrder: () => orders.payOrder(order.orderId, BUYER, order.totalFen),
      cancelOrder: () => orders.cancelOrder({ orderId: toCancel.orderId, buyerId: BUYER, reason: 'test' }),
      confirmReceipt: () => orders.confirmReceipt(toShip.orderId, BUYER),
      getOrder: () => orders.getOrder(order.orderId, BUYER),
      ordersByClientRef: () => orders.ordersByClientRef(order.clientRef, BUYER),
      logisticsTrace: () => orders.logisticsTrace(toShip.orderId, BUYER),
      carriers: () => orders.carriers(),
    };
    // The trace comes before the receipt is confirmed.
    const sequence: TaobaoOrderOperation[] = [
      'previewOrder',
      'createOrder',
      'payOrder',
      'cancelOrder',
      'getOrder',
      'ordersByClientRef',
      'logisticsTrace',
      'confirmReceipt',
      'carriers',
    ];
    expect(Object.keys(ORDER_CAPABILITIES).sort()).toEqual([...sequence].sort());
    for (const operation of sequence) {
      const capability = ORDER_CAPABILITIES[operation];
      const from = fake.calls.length;
      if ('unsupported' in capability) {
        const err = await calls[operation]().catch((e: unknown) => e);
        expect(err, operation).toBeInstanceOf(UpstreamUnsupportedError);
        expect(err).toMatchObject({ operation, upstream: 'taobao-global' });
        expect(fake.calls.length).toBe(from);
      } else {
        await expect(calls[operation](), operation).resolves.toBeTruthy();
        const apis = capability.api.match(/\/[\w/.-]+/g) ?? [];
        expect(apis.length, operation).toBeGreaterThan(0);
        expect([...new Set(fake.calls.slice(from).map((c) => c.api))].sort(), operation).toEqual([...apis].sort());
      }
    }
  });
});
