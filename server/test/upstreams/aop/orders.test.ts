import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/platform/clock.js';
import { AopGateway } from '../../../src/providers/aop/gateway.js';
import {
  AOP_ORDER_APIS,
  AopOrders,
  ORDER_CAPABILITIES,
  type OrderOperation,
} from '../../../src/providers/aop/orders.js';
import { MarketRejection } from '../../../src/providers/errors.js';
import { PROVIDER_OPERATIONS } from '../../../src/providers/market.js';
import { DEFAULT_POLICY } from '../../../src/providers/sandbox/market/policy.js';
import { SandboxMarket } from '../../../src/providers/sandbox/sandbox.js';
import type { OrderRequest, UpstreamOrder } from '../../../src/providers/types.js';
import type { AopFake } from '../../../src/upstream-fakes/aop/fake.js';
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
  // Sellers that keep their prices unless a test changes one.
  market.policy.update({ priceModifyRate: 0 });
  let baseUrl: string;
  ({ fake, calls, baseUrl } = await aopFakeOver(market, { appKey: APP_KEY, appSecret: APP_SECRET }, MEMBER));
  const { accessToken } = fake.issueToken(MEMBER);
  const gateway = new AopGateway({ baseUrl, appKey: APP_KEY, appSecret: APP_SECRET, now: Date.now, log: quiet });
  orders = new AopOrders(gateway, async () => accessToken, { language: 'en' });
});
afterAll(async () => {
  await fake.close();
  await market.close();
});

interface Orderable {
  productId: string;
  skuId: string;
  moq: number;
  shopId: string;
}

const ORDERABLE = `select g.id as productId, s.sku_id as skuId, g.min_order_quantity as moq, g.shop_id as shopId,
    row_number() over (partition by g.shop_id order by g.idx, s.sku_id) as inShop,
    row_number() over (partition by g.id order by s.sku_id) as inGood, g.idx as idx
  from goods g join skus s on s.platform = g.platform and s.good_id = g.id
  where g.platform = '1688' and g.status = 'active' and s.stock >= 100 and g.min_order_quantity <= 5`;

/** Listed products with a SKU well in stock, one of each of `count` different suppliers. */
function fromShops(count: number, skip = 0): Orderable[] {
  return market.store.db
    .prepare(`select * from (${ORDERABLE}) where inShop = 1 order by shopId limit ? offset ?`)
    .all(count, skip) as Orderable[];
}

/** The `index`-th listed product with a SKU well in stock. */
function product(index: number): Orderable[] {
  return market.store.db
    .prepare(`select * from (${ORDERABLE}) where inGood = 1 order by idx limit 1 offset ?`)
    .all(index) as Orderable[];
}

let refs = 0;
function request(items: Orderable[], clientRef = `ref-${++refs}`): OrderRequest {
  return {
    lines: items.map((p) => ({ productId: p.productId, skuId: p.skuId, quantity: Math.max(p.moq, 2) })),
    address: { ...WAREHOUSE_ADDRESS, postcode: '523000' },
    buyerId: BUYER,
    buyerMessage: '请用纸箱',
    clientRef,
  };
}

/** What 1688's buyer view carries of an order, the shop named by its `sellerOpenId` as the catalogue names it. */
function carried(o: UpstreamOrder) {
  return {
    orderId: o.orderId,
    clientRef: o.clientRef,
    shopId: o.sellerOpenId,
    sellerOpenId: o.sellerOpenId,
    shopName: o.shopName.zh,
    status: o.status,
    goodsFen: o.goodsFen,
    shippingFen: o.shippingFen,
    adjustFen: o.adjustFen,
    totalFen: o.totalFen,
    address: o.address,
    buyerMessage: o.buyerMessage,
    createdAt: o.createdAt,
    paidAt: o.paidAt,
    shippedAt: o.shippedAt,
    receivedAt: o.receivedAt,
    closedAt: o.closedAt,
    lines: o.lines.map((l) => ({
      lineId: l.lineId,
      productId: l.productId,
      skuId: l.skuId,
      title: l.title.zh,
      skuProperties: l.skuProperties.map((p) => [p.propName.zh, p.valueName.zh]),
      imageUrl: l.imageUrl,
      quantity: l.quantity,
      unitPriceFen: l.unitPriceFen,
      amountFen: l.amountFen,
      status: l.status,
      shipment: l.shipment,
      refundedFen: l.refundedFen,
    })),
  };
}

async function sandboxOrder(orderId: string): Promise<UpstreamOrder> {
  const order = await market.alibaba.getOrder(orderId, MEMBER);
  if (!order) throw new Error(`no order ${orderId}`);
  return order;
}

async function created(items: Orderable[]): Promise<UpstreamOrder> {
  const [order] = await orders.createOrder(request(items));
  if (!order) throw new Error('no order');
  return order;
}

describe('the 1688 order operations through the fake gateway', () => {
  it('previews as the marketplace does, one group per supplier, a problem line unpriced', async () => {
    const items = fromShops(2);
    const req = request(items);
    req.lines.push({ productId: '999999999999', quantity: 1 });
    const ours = await orders.previewOrder(req);
    const theirs = await market.alibaba.previewOrder({ ...req, buyerId: MEMBER });
    const groupsOf = (p: typeof ours) =>
      p.groups
        .filter((g) => g.lines.some((l) => l.available))
        .map((g) => ({
          // The preview's supplier is the catalogue's, named by its company (1688 gives no shop name there).
          sellerOpenId: g.sellerOpenId,
          goodsFen: g.goodsFen,
          shippingFen: g.shippingFen,
          totalFen: g.totalFen,
          lines: g.lines.map((l) => ({
            productId: l.productId,
            skuId: l.skuId,
            quantity: l.quantity,
            title: l.title.zh,
            skuProperties: l.skuProperties.map((p) => [p.propName.zh, p.valueName.zh]),
            unitPriceFen: l.unitPriceFen,
            amountFen: l.amountFen,
            stock: l.stock,
            available: l.available,
            problem: l.problem,
          })),
        }));
    expect(ours.groups.filter((g) => g.lines.some((l) => l.available))).toHaveLength(2);
    expect(groupsOf(ours)).toEqual(groupsOf(theirs));
    expect(ours.groups.every((g) => g.lines.every((l) => !l.available) || g.shopId === g.sellerOpenId)).toBe(true);
    const missing = ours.groups.flatMap((g) => g.lines).find((l) => l.productId === '999999999999');
    expect(missing).toMatchObject({ available: false, problem: 'not_found', amountFen: 0 });
    expect(ours.totalFen).toBe(theirs.totalFen);
  });

  it('creates one order for one supplier with clientRef as outOrderId; the same clientRef answers the same order', async () => {
    const [item] = product(3);
    if (!item) throw new Error('nothing to order');
    const req = request([item], 'ponte:1688:dev-1:key-42');
    const first = await orders.createOrder(req);
    expect(first).toHaveLength(1);
    const order = first[0] as UpstreamOrder;
    expect(order).toMatchObject({
      platform: '1688',
      buyerId: BUYER,
      clientRef: req.clientRef,
      status: 'wait_buyer_pay',
    });
    expect(carried(order)).toEqual(carried(await sandboxOrder(order.orderId)));
    const before = calls.filter((c) => c === AOP_ORDER_APIS.create).length;
    const again = await orders.createOrder(req);
    expect(again.map((o) => o.orderId)).toEqual([order.orderId]);
    // The retry found the order by its outOrderId and created nothing.
    expect(calls.filter((c) => c === AOP_ORDER_APIS.create).length).toBe(before);
    expect(await market.alibaba.ordersByClientRef(req.clientRef, MEMBER)).toHaveLength(1);
  });

  it('refuses lines of several suppliers and lines that cannot be ordered, creating nothing', async () => {
    const req = request(fromShops(2, 6), 'multi-seller');
    await expect(orders.createOrder(req)).rejects.toMatchObject({ reason: 'invalid_value', field: 'lines' });
    const [item] = product(8);
    if (!item) throw new Error('nothing to order');
    const tooMany = request([item], 'too-many');
    (tooMany.lines[0] as { quantity: number }).quantity = 10_000_000;
    await expect(orders.createOrder(tooMany)).rejects.toMatchObject({ reason: 'out_of_stock', field: 'lines[0]' });
    expect(await market.alibaba.ordersByClientRef('multi-seller', MEMBER)).toEqual([]);
    expect(await market.alibaba.ordersByClientRef('too-many', MEMBER)).toEqual([]);
  });

  it('pays at the total, answers the paid order on a retry, and refuses a stale total with price_changed', async () => {
    const order = await created(product(10));
    const paid = await orders.payOrder(order.orderId, BUYER, order.totalFen);
    expect(paid).toMatchObject({ orderId: order.orderId, status: 'wait_seller_send', totalFen: order.totalFen });
    expect(paid.paidAt).toEqual(expect.any(Number));
    expect(carried(paid)).toEqual(carried(await sandboxOrder(order.orderId)));
    expect(await orders.payOrder(order.orderId, BUYER, order.totalFen)).toEqual(paid);
    await expect(orders.payOrder(order.orderId, BUYER, order.totalFen + 1)).rejects.toMatchObject({
      reason: 'price_changed',
    });

    const changed = await created(product(12));
    const newTotal = changed.totalFen - 150;
    market.ordersOf('1688').modifyPrice(changed.orderId, newTotal);
    const err = await orders.payOrder(changed.orderId, BUYER, changed.totalFen).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MarketRejection);
    expect(err).toMatchObject({ reason: 'price_changed', field: 'expectedTotalFen' });
    const unpaid = await orders.getOrder(changed.orderId, BUYER);
    expect(unpaid).toMatchObject({ status: 'wait_buyer_pay', paidAt: null, totalFen: newTotal, adjustFen: -150 });
    expect((await orders.payOrder(changed.orderId, BUYER, newTotal)).status).toBe('wait_seller_send');
  });

  it('cancels an unpaid order after its first 10 seconds, and refuses to cancel a paid one', async () => {
    const order = await created(product(14));
    const cancel = { orderId: order.orderId, buyerId: BUYER, reason: 'changed my mind' };
    await expect(orders.cancelOrder(cancel)).rejects.toMatchObject({ reason: 'invalid_state' });
    real.advance(11_000);
    const closed = await orders.cancelOrder(cancel);
    expect(closed).toMatchObject({ status: 'closed', closeReason: 'buyerCancel: changed my mind' });
    expect(carried(closed)).toEqual(carried(await sandboxOrder(order.orderId)));
    await expect(orders.payOrder(order.orderId, BUYER, order.totalFen)).rejects.toMatchObject({
      reason: 'invalid_state',
    });

    const paid = await created(product(16));
    await orders.payOrder(paid.orderId, BUYER, paid.totalFen);
    real.advance(11_000);
    await expect(orders.cancelOrder({ ...cancel, orderId: paid.orderId })).rejects.toMatchObject({
      reason: 'invalid_state',
    });
    await expect(orders.cancelOrder({ ...cancel, orderId: '2400000000099999999' })).rejects.toMatchObject({
      reason: 'not_found',
    });
  });

  it('shows the seller’s shipment and its trace, confirms receipt, and finds the order by clientRef', async () => {
    const order = await created(product(18));
    await orders.payOrder(order.orderId, BUYER, order.totalFen);
    expect(await orders.logisticsTrace(order.orderId, BUYER)).toEqual([]);
    await expect(orders.confirmReceipt(order.orderId, BUYER)).rejects.toMatchObject({ reason: 'invalid_state' });

    market.ordersOf('1688').ship(order.orderId, { carrierCode: 'ZTO' });
    const shipped = await orders.getOrder(order.orderId, BUYER);
    const theirs = await sandboxOrder(order.orderId);
    expect(shipped?.status).toBe('wait_buyer_receive');
    const trackingNo = theirs.lines[0]?.shipment?.trackingNo;
    expect(trackingNo).toEqual(expect.any(String));
    expect(shipped?.lines[0]?.shipment).toMatchObject({ carrierCode: 'ZTO', carrierName: '中通快递', trackingNo });
    expect(carried(shipped as UpstreamOrder)).toEqual(carried(theirs));

    await market.advance(2 * DEFAULT_POLICY.traceStepMs);
    const ours = await orders.logisticsTrace(order.orderId, BUYER);
    const sandbox = (await market.alibaba.logisticsTrace(order.orderId, MEMBER)) ?? [];
    expect(sandbox[0]?.steps.length).toBe(3);
    expect(
      ours?.map((t) => ({
        ...t,
        steps: t.steps.map((s) => ({ status: s.status, time: s.time, description: s.description.zh })),
      })),
    ).toEqual(
      sandbox.map((t) => ({
        ...t,
        // 1688 writes trace times to the second.
        steps: t.steps.map((s) => ({
          status: s.status,
          time: Math.floor(s.time / 1000) * 1000,
          description: s.description.zh,
        })),
      })),
    );

    const confirmed = await orders.confirmReceipt(order.orderId, BUYER);
    expect(confirmed.status).toBe('confirmed');
    expect(carried(confirmed)).toEqual(carried(await sandboxOrder(order.orderId)));

    await market.advance(DEFAULT_POLICY.finishAfterMs);
    const finished = await orders.getOrder(order.orderId, BUYER);
    expect(finished?.status).toBe('finished');
    expect(finished?.lines.map((l) => l.status)).toEqual(['finished']);

    const found = await orders.ordersByClientRef(order.clientRef, BUYER);
    expect(found.map(carried)).toEqual([carried(finished as UpstreamOrder)]);
    expect(await orders.ordersByClientRef('never-used', BUYER)).toEqual([]);
  });

  it('answers null for an unknown order, and lists the carriers', async () => {
    expect(await orders.getOrder('2400000000099999999', BUYER)).toBeNull();
    expect(await orders.getOrder('not-an-id', BUYER)).toBeNull();
    expect(await orders.logisticsTrace('2400000000099999999', BUYER)).toBeNull();
    const carriers = await orders.carriers();
    const theirs = await market.alibaba.carriers();
    expect(carriers.map((c) => [c.code, c.name.zh])).toEqual(theirs.map((c) => [c.code, c.name.zh]));
  });

  it('has a capability table that covers every order operation, each answered through the fake', () => {
    const operations = Object.keys(ORDER_CAPABILITIES) as OrderOperation[];
    const expected = [
      'previewOrder',
      'createOrder',
      'payOrder',
      'cancelOrder',
      'confirmReceipt',
      'getOrder',
      'ordersByClientRef',
      'logisticsTrace',
      'carriers',
    ];
    expect(operations.sort()).toEqual(expected.sort());
    for (const op of operations) expect(op in PROVIDER_OPERATIONS).toBe(true);
    for (const [op, capability] of Object.entries(ORDER_CAPABILITIES)) {
      expect('api' in capability, op).toBe(true);
      if (!('api' in capability)) continue;
      for (const api of capability.api.split(' + ')) expect(calls, `${op} through ${api}`).toContain(api);
      expect(typeof (orders as unknown as Record<string, unknown>)[op]).toBe('function');
    }
  });
});
