import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/platform/clock.js';
import { upstreamApiError } from '../../src/platform/http/upstream-errors.js';
import { MarketRejection, UpstreamError, UpstreamTimeoutError } from '../../src/providers/errors.js';
import { guardProvider } from '../../src/providers/guard.js';
import { DEFAULT_POLICY } from '../../src/providers/sandbox/market/policy.js';
import { SandboxMarket } from '../../src/providers/sandbox/sandbox.js';
import type { Platform, UpstreamEvent } from '../../src/providers/types.js';
import { WAREHOUSE_ADDRESS } from './fixtures.js';

let real: ManualClock;
let market: SandboxMarket;
let events: UpstreamEvent[];

beforeEach(() => {
  real = new ManualClock(Date.UTC(2026, 0, 5, 8));
  market = new SandboxMarket({
    file: ':memory:',
    realNow: () => real.now(),
    baseUrl: () => 'http://market.test',
    catalog: { seed: 11, goodsPerPlatform: 200 },
  });
  market.ensureSeeded();
  // Deterministic sellers unless a test says otherwise.
  market.policy.update({ priceModifyRate: 0, refundDecision: 'agree' });
  events = [];
  const sink = async (e: UpstreamEvent) => {
    events.push(e);
  };
  market.taobao.onUpstreamEvent(sink);
  market.alibaba.onUpstreamEvent(sink);
});

afterEach(() => market.close());

/** A listed product with a SKU that has `quantity` in stock (and a minimum order quantity of 1 on 1688). */
function orderable(platform: Platform, quantity = 3) {
  const row = market.store.db
    .prepare(
      `select g.id as productId, s.sku_id as skuId, s.stock as stock, g.min_order_quantity as moq from goods g
       join skus s on s.platform = g.platform and s.good_id = g.id
       where g.platform = ? and g.status = 'active' and s.stock >= ? order by g.idx, s.sku_id limit 1`,
    )
    .get(platform, quantity * 60) as { productId: string; skuId: string; stock: number; moq: number };
  return row;
}

function stockOf(platform: Platform, skuId: string): number {
  return (
    market.store.db.prepare('select stock from skus where platform = ? and sku_id = ?').get(platform, skuId) as {
      stock: number;
    }
  ).stock;
}

async function paidTaobaoOrder(quantity = 2) {
  const p = orderable('taobao', quantity);
  const [order] = await market.taobao.createOrder({
    lines: [{ productId: p.productId, skuId: p.skuId, quantity }],
    address: WAREHOUSE_ADDRESS,
    buyerId: 'buyer-1',
    clientRef: `ref-${Math.random()}`,
  });
  if (!order) throw new Error('no order');
  await market.taobao.payOrder(order.orderId, 'buyer-1', order.totalFen);
  return { order, product: p };
}

describe('orders on the provider interface', () => {
  it('creates one order per seller, takes the stock, and a retry with the same clientRef buys nothing more', async () => {
    const p = orderable('taobao');
    const before = stockOf('taobao', p.skuId);
    const request = {
      lines: [{ productId: p.productId, skuId: p.skuId, quantity: 3 }],
      address: WAREHOUSE_ADDRESS,
      buyerId: 'buyer-1',
      clientRef: 'cart-42',
    };
    const first = await market.taobao.createOrder(request);
    expect(first).toHaveLength(1);
    expect(first[0]?.status).toBe('wait_buyer_pay');
    expect(first[0]?.lines[0]?.quantity).toBe(3);
    expect(first[0]?.totalFen).toBe((first[0]?.goodsFen ?? 0) + (first[0]?.shippingFen ?? 0));
    expect(stockOf('taobao', p.skuId)).toBe(before - 3);

    const again = await market.taobao.createOrder(request);
    expect(again.map((o) => o.orderId)).toEqual(first.map((o) => o.orderId));
    expect(stockOf('taobao', p.skuId)).toBe(before - 3);
    // Another buyer cannot see it.
    expect(await market.taobao.getOrder(first[0]?.orderId ?? '', 'someone-else')).toBeNull();
  });

  it('refuses lines it cannot sell, and creates nothing when one line fails', async () => {
    const p = orderable('taobao');
    const count = () => (market.store.db.prepare('select count(*) as n from orders').get() as { n: number }).n;
    await expect(
      market.taobao.createOrder({
        lines: [
          { productId: p.productId, skuId: p.skuId, quantity: 1 },
          { productId: p.productId, skuId: p.skuId, quantity: 10_000_000 },
        ],
        address: WAREHOUSE_ADDRESS,
        buyerId: 'b',
        clientRef: 'x',
      }),
    ).rejects.toMatchObject({ reason: 'out_of_stock' });
    await expect(
      market.taobao.createOrder({
        lines: [{ productId: '1', quantity: 1 }],
        address: WAREHOUSE_ADDRESS,
        buyerId: 'b',
        clientRef: 'y',
      }),
    ).rejects.toMatchObject({ reason: 'not_found' });
    market.setListed('taobao', p.productId, false);
    const preview = await market.taobao.previewOrder({
      lines: [{ productId: p.productId, skuId: p.skuId, quantity: 1 }],
      address: WAREHOUSE_ADDRESS,
      buyerId: 'b',
    });
    expect(preview.groups[0]?.lines[0]).toMatchObject({ available: false, problem: 'delisted' });
    expect(count()).toBe(0);
  });

  it('charges 1688 tier prices and enforces the minimum order quantity', async () => {
    const row = market.store.db
      .prepare(
        `select g.id as productId, s.sku_id as skuId, g.min_order_quantity as moq, g.tier_prices as tiers from goods g
         join skus s on s.platform = g.platform and s.good_id = g.id
         where g.platform = '1688' and g.min_order_quantity > 1 and s.stock > 1000 order by g.idx limit 1`,
      )
      .get() as { productId: string; skuId: string; moq: number; tiers: string };
    const tiers = JSON.parse(row.tiers) as { minQuantity: number }[];
    const preview = await market.alibaba.previewOrder({
      lines: [
        { productId: row.productId, skuId: row.skuId, quantity: row.moq - 1 },
        { productId: row.productId, skuId: row.skuId, quantity: row.moq },
        { productId: row.productId, skuId: row.skuId, quantity: tiers[2]?.minQuantity ?? row.moq * 20 },
      ],
      address: WAREHOUSE_ADDRESS,
      buyerId: 'b',
    });
    const [below, atMoq, bulk] = preview.groups[0]?.lines ?? [];
    expect(below?.problem).toBe('below_min_quantity');
    expect(atMoq?.available).toBe(true);
    expect(bulk?.unitPriceFen).toBeLessThan(atMoq?.unitPriceFen ?? 0);
  });

  it('ships a paid order after the delay, and the trace reaches SIGN as the clock advances', async () => {
    const { order } = await paidTaobaoOrder();
    await market.advance(DEFAULT_POLICY.shipAfterMs - 1000);
    expect((await market.taobao.getOrder(order.orderId, 'buyer-1'))?.status).toBe('wait_seller_send');
    expect(events.filter((e) => e.type === 'order.shipped')).toHaveLength(0);

    await market.advance(1000);
    const shipped = await market.taobao.getOrder(order.orderId, 'buyer-1');
    expect(shipped?.status).toBe('wait_buyer_receive');
    const shipEvent = events.find((e) => e.type === 'order.shipped' && e.orderId === order.orderId);
    expect(shipEvent?.data.trackingNo).toBe(shipped?.lines[0]?.shipment?.trackingNo);
    expect(shipEvent?.data.carrierCode).toMatch(/^[A-Z]+$/);
    let [trace] = (await market.taobao.logisticsTrace(order.orderId, 'buyer-1')) ?? [];
    expect(trace?.steps.map((s) => s.status)).toEqual(['CONSIGN']);

    await market.advance(4 * DEFAULT_POLICY.traceStepMs);
    [trace] = (await market.taobao.logisticsTrace(order.orderId, 'buyer-1')) ?? [];
    expect(trace?.steps.map((s) => s.status)).toEqual(['CONSIGN', 'ACCEPT', 'TRANSPORT', 'DELIVERING', 'SIGN']);
    const times = trace?.steps.map((s) => s.time) ?? [];
    expect([...times].sort((a, b) => a - b)).toEqual(times);
    expect(trace?.steps[4]?.description.en).toMatch(/signed for/);
    expect(events.filter((e) => e.type === 'logistics.updated').map((e) => e.data.status)).toEqual([
      'ACCEPT',
      'TRANSPORT',
      'DELIVERING',
      'SIGN',
    ]);

    await market.taobao.confirmReceipt(order.orderId, 'buyer-1');
    await market.advance(DEFAULT_POLICY.finishAfterMs);
    expect((await market.taobao.getOrder(order.orderId, 'buyer-1'))?.status).toBe('finished');
    expect(events.some((e) => e.type === 'order.finished' && e.orderId === order.orderId)).toBe(true);
  });

  it('confirms receipt on its own long after signing', async () => {
    const { order } = await paidTaobaoOrder();
    await market.advance(
      DEFAULT_POLICY.shipAfterMs + 4 * DEFAULT_POLICY.traceStepMs + DEFAULT_POLICY.autoConfirmAfterMs,
    );
    expect((await market.taobao.getOrder(order.orderId, 'buyer-1'))?.status).toBe('finished');
    expect(events.find((e) => e.type === 'order.finished')?.data.automatic).toBe(true);
  });

  it('closes an unpaid order when payment times out and puts the stock back', async () => {
    const p = orderable('taobao');
    const before = stockOf('taobao', p.skuId);
    const [order] = await market.taobao.createOrder({
      lines: [{ productId: p.productId, skuId: p.skuId, quantity: 2 }],
      address: WAREHOUSE_ADDRESS,
      buyerId: 'b',
      clientRef: 'late',
    });
    await market.advance(DEFAULT_POLICY.unpaidCloseAfterMs);
    const closed = await market.taobao.getOrder(order?.orderId ?? '', 'b');
    expect(closed?.status).toBe('closed');
    expect(closed?.closeReason).toMatch(/timeout/);
    expect(stockOf('taobao', p.skuId)).toBe(before);
    await expect(market.taobao.payOrder(order?.orderId ?? '', 'b', order?.totalFen ?? 0)).rejects.toBeInstanceOf(
      MarketRejection,
    );
  });

  it('on 1688, refuses to cancel in the first 10 seconds, then cancels', async () => {
    const p = orderable('1688');
    const [order] = await market.alibaba.createOrder({
      lines: [{ productId: p.productId, skuId: p.skuId, quantity: Math.max(p.moq, 1) }],
      address: WAREHOUSE_ADDRESS,
      buyerId: 'b',
      clientRef: 'c1',
    });
    const cancel = { orderId: order?.orderId ?? '', buyerId: 'b', reason: 'changed my mind' };
    await expect(market.alibaba.cancelOrder(cancel)).rejects.toMatchObject({ reason: 'invalid_state' });
    real.advance(11_000);
    expect((await market.alibaba.cancelOrder(cancel)).status).toBe('closed');
  });
});

describe('paying at the amount the buyer agreed to', () => {
  async function unpaidOrder(clientRef: string) {
    const p = orderable('taobao');
    const [order] = await market.taobao.createOrder({
      lines: [{ productId: p.productId, skuId: p.skuId, quantity: 1 }],
      address: WAREHOUSE_ADDRESS,
      buyerId: 'b',
      clientRef,
    });
    if (!order) throw new Error('no order');
    return { order, product: p };
  }
  const salesOf = (productId: string) =>
    market.store.db.prepare("select sales from goods where platform = 'taobao' and id = ?").pluck().get(productId);

  it('pays at the order’s total', async () => {
    const { order } = await unpaidOrder('pay-1');
    const paid = await market.taobao.payOrder(order.orderId, 'b', order.totalFen);
    expect(paid).toMatchObject({ orderId: order.orderId, status: 'wait_seller_send', totalFen: order.totalFen });
    expect(paid.paidAt).toEqual(expect.any(Number));
  });

  it('refuses the old amount after the seller changed the price (42203), and pays the new one', async () => {
    const { order } = await unpaidOrder('pay-2');
    const newTotal = order.totalFen - 150;
    market.ordersOf('taobao').modifyPrice(order.orderId, newTotal);
    const err = await market.taobao.payOrder(order.orderId, 'b', order.totalFen).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MarketRejection);
    expect(err).toMatchObject({ reason: 'price_changed' });
    expect((err as Error).message).toContain(`${newTotal} fen`);
    expect((err as Error).message).toContain(`${order.totalFen} fen`);
    expect(upstreamApiError(err)).toMatchObject({ code: 42203 });
    expect(await market.taobao.getOrder(order.orderId, 'b')).toMatchObject({ status: 'wait_buyer_pay', paidAt: null });
    expect((await market.taobao.payOrder(order.orderId, 'b', newTotal)).status).toBe('wait_seller_send');
  });

  it('a second payment at the same amount answers the same order and changes nothing', async () => {
    const { order, product } = await unpaidOrder('pay-3');
    const sales = salesOf(product.productId);
    const first = await market.taobao.payOrder(order.orderId, 'b', order.totalFen);
    real.advance(5_000);
    const second = await market.taobao.payOrder(order.orderId, 'b', order.totalFen);
    expect(second).toEqual(first);
    expect(salesOf(product.productId)).toBe(Number(sales) + 1);
    // A paid order at another amount is still refused: Ponte never pays what it did not debit.
    const other = market.taobao.payOrder(order.orderId, 'b', order.totalFen + 1);
    await expect(other).rejects.toMatchObject({ reason: 'price_changed' });
  });

  it('refuses to pay a closed order, whatever the amount', async () => {
    const { order } = await unpaidOrder('pay-4');
    await market.taobao.cancelOrder({ orderId: order.orderId, buyerId: 'b', reason: 'no' });
    await expect(market.taobao.payOrder(order.orderId, 'b', order.totalFen)).rejects.toMatchObject({
      reason: 'invalid_state',
    });
    await expect(market.taobao.payOrder(order.orderId, 'someone-else', order.totalFen)).rejects.toMatchObject({
      reason: 'not_found',
    });
  });
});

describe('simulated sellers emit upstream events', () => {
  it('a seller changing the price of an unpaid order emits order.price_modified', async () => {
    const p = orderable('taobao');
    const [order] = await market.taobao.createOrder({
      lines: [{ productId: p.productId, skuId: p.skuId, quantity: 1 }],
      address: WAREHOUSE_ADDRESS,
      buyerId: 'b',
      clientRef: 'p1',
    });
    const id = order?.orderId ?? '';
    market.ordersOf('taobao').modifyPrice(id, (order?.totalFen ?? 0) - 100);
    await market.events.dispatch();
    const e = events.find((x) => x.type === 'order.price_modified');
    expect(e).toMatchObject({ orderId: id, platform: 'taobao' });
    expect(e?.data).toMatchObject({
      oldTotalFen: order?.totalFen,
      newTotalFen: (order?.totalFen ?? 0) - 100,
      adjustFen: -100,
    });
    expect((await market.taobao.getOrder(id, 'b'))?.totalFen).toBe((order?.totalFen ?? 0) - 100);
  });

  it('with a price-change rate of 1, every new order has its price changed after the delay', async () => {
    market.policy.update({ priceModifyRate: 1, priceModifyPercent: [-10, -10] });
    const p = orderable('taobao');
    const [order] = await market.taobao.createOrder({
      lines: [{ productId: p.productId, skuId: p.skuId, quantity: 1 }],
      address: WAREHOUSE_ADDRESS,
      buyerId: 'b',
      clientRef: 'p2',
    });
    await market.advance(DEFAULT_POLICY.priceModifyAfterMs);
    const e = events.find((x) => x.type === 'order.price_modified');
    expect(e?.orderId).toBe(order?.orderId);
    expect(Number(e?.data.newTotalFen)).toBeLessThan(order?.totalFen ?? 0);
  });

  it('a refund before shipping is agreed by the policy: refund.agreed, refund.succeeded, the order closes', async () => {
    const { order, product } = await paidTaobaoOrder(2);
    const stock = stockOf('taobao', product.skuId);
    const line = order.lines[0];
    const options = await market.taobao.refundOptions(order.orderId, line?.lineId ?? '', 'buyer-1');
    expect(options).toMatchObject({ allowed: true, refundTypes: ['refund'], goodsStatuses: ['not_shipped'] });
    expect(options.maxRefundFen).toBe(line?.amountFen);
    const refund = await market.taobao.createRefund({
      orderId: order.orderId,
      lineId: line?.lineId ?? '',
      buyerId: 'buyer-1',
      refundType: 'refund',
      goodsStatus: 'not_shipped',
      reasonId: options.reasons[0]?.reasonId ?? '',
      amountFen: options.maxRefundFen,
      clientRef: 'refund-1',
    });
    expect(refund.status).toBe('wait_seller_agree');
    expect(refund.deadline).toBeGreaterThan(refund.createdAt);

    await market.advance(DEFAULT_POLICY.refundDecisionAfterMs);
    expect((await market.taobao.getRefund(refund.refundId, 'buyer-1'))?.status).toBe('success');
    expect(events.map((e) => e.type)).toEqual(
      expect.arrayContaining(['refund.agreed', 'refund.succeeded', 'order.closed']),
    );
    const closed = await market.taobao.getOrder(order.orderId, 'buyer-1');
    expect(closed?.status).toBe('closed');
    expect(closed?.lines[0]?.refundedFen).toBe(line?.amountFen);
    expect(stockOf('taobao', product.skuId)).toBe(stock + 2);
    // Nothing ships once refunded.
    await market.advance(DEFAULT_POLICY.shipAfterMs);
    expect(events.some((e) => e.type === 'order.shipped')).toBe(false);
  });

  it('a refused refund can be modified, asked again and cancelled', async () => {
    market.policy.update({ refundDecision: 'refuse' });
    const { order } = await paidTaobaoOrder();
    const lineId = order.lines[0]?.lineId ?? '';
    const refund = await market.taobao.createRefund({
      orderId: order.orderId,
      lineId,
      buyerId: 'buyer-1',
      refundType: 'refund',
      goodsStatus: 'not_shipped',
      reasonId: '150013',
      amountFen: 100,
      clientRef: 'r',
    });
    await market.advance(DEFAULT_POLICY.refundDecisionAfterMs);
    const refused = await market.taobao.getRefund(refund.refundId, 'buyer-1');
    expect(refused?.status).toBe('seller_refused');
    expect(refused?.refuseReason).toBeTruthy();
    expect(events.find((e) => e.type === 'refund.refused')?.data.refuseReason).toBe(refused?.refuseReason);

    const modified = await market.taobao.modifyRefund({ refundId: refund.refundId, buyerId: 'buyer-1', amountFen: 50 });
    expect(modified).toMatchObject({ status: 'wait_seller_agree', amountFen: 50 });
    await expect(
      market.taobao.modifyRefund({ refundId: refund.refundId, buyerId: 'buyer-1', amountFen: 10_000_000 }),
    ).rejects.toMatchObject({ reason: 'invalid_value', field: 'refundFee' });
    expect((await market.taobao.cancelRefund(refund.refundId, 'buyer-1')).status).toBe('closed');
    const messages = await market.taobao.refundMessages(refund.refundId, 'buyer-1');
    expect(messages.map((m) => m.from)).toEqual(expect.arrayContaining(['system', 'seller']));
  });

  it('a return goes agree → parcel sent → received → refunded', async () => {
    const { order } = await paidTaobaoOrder();
    await market.advance(DEFAULT_POLICY.shipAfterMs);
    const lineId = order.lines[0]?.lineId ?? '';
    const options = await market.taobao.refundOptions(order.orderId, lineId, 'buyer-1');
    expect(options.refundTypes).toEqual(['refund', 'return_refund']);
    const refund = await market.taobao.createRefund({
      orderId: order.orderId,
      lineId,
      buyerId: 'buyer-1',
      refundType: 'return_refund',
      goodsStatus: 'at_warehouse',
      reasonId: '403770',
      amountFen: options.maxRefundFen,
      description: 'Torn seam',
      images: ['https://img.example/seam.jpg'],
      clientRef: 'ret',
    });
    market.refundsOf('taobao').agree(refund.refundId);
    const agreed = await market.taobao.getRefund(refund.refundId, 'buyer-1');
    expect(agreed?.status).toBe('wait_buyer_return');
    expect(agreed?.returnAddress?.receiver).toBeTruthy();
    await market.taobao.submitReturnShipment(refund.refundId, 'buyer-1', {
      carrierCode: 'SF',
      trackingNo: 'SF1234567890',
    });
    await market.advance(DEFAULT_POLICY.returnReceiveAfterMs);
    expect((await market.taobao.getRefund(refund.refundId, 'buyer-1'))?.status).toBe('success');
    expect(events.filter((e) => e.refundId === refund.refundId).map((e) => e.type)).toEqual([
      'refund.agreed',
      'refund.goods_received',
      'refund.succeeded',
    ]);
  });

  it('delivers every event once, in order, and lists them', async () => {
    await paidTaobaoOrder();
    await market.advance(DEFAULT_POLICY.shipAfterMs + 4 * DEFAULT_POLICY.traceStepMs);
    const listed = market.events.list({ limit: 100 });
    // Payment, shipment and four trace steps: the list cannot be empty for "every one delivered" to hold.
    expect(listed.length).toBeGreaterThanOrEqual(4);
    expect(listed.map((e) => e.eventId)).toEqual(events.map((e) => e.eventId));
    expect(listed.every((e) => e.delivered)).toBe(true);
    expect(await market.events.dispatch()).toBe(0);
  });

  it('retries an event whose delivery failed', async () => {
    let fail = true;
    const seen: string[] = [];
    market.taobao.onUpstreamEvent(async (e) => {
      if (fail) throw new Error('receiver down');
      seen.push(e.type);
    });
    await paidTaobaoOrder();
    await expect(market.advance(DEFAULT_POLICY.shipAfterMs)).rejects.toThrow('receiver down');
    fail = false;
    await market.tick();
    expect(seen).toEqual(['order.shipped']);
  });
});

describe('fault injection', () => {
  const guarded = () => guardProvider(market.taobao, { timeoutMs: 80 });

  it('an error rate of 1 fails the operation with 50201, others work', async () => {
    market.faults.set({ operation: 'getProduct', errorRate: 1, timeoutRate: 0, lostReplyRate: 0, latencyMs: 0 });
    const p = orderable('taobao');
    const err = await guarded()
      .getProduct(p.productId)
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UpstreamError);
    expect(upstreamApiError(err)).toMatchObject({ code: 50201 });
    expect(await guarded().getShop('nope')).toBeNull();
  });

  it('a timeout rate of 1 makes the guarded call fail with 50401 at its deadline', async () => {
    market.faults.set({ operation: '*', errorRate: 0, timeoutRate: 1, lostReplyRate: 0, latencyMs: 0 });
    const started = Date.now();
    const err = await guarded()
      .search({ keyword: 'x', page: 1, pageSize: 10 })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UpstreamTimeoutError);
    expect(upstreamApiError(err)).toMatchObject({ code: 50401 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(75);
  });

  it("an operation's own fault wins over the one for every operation", () => {
    market.faults.set({ operation: '*', errorRate: 1, timeoutRate: 0, lostReplyRate: 0, latencyMs: 0 });
    market.faults.set({ operation: 'payOrder', errorRate: 0, timeoutRate: 0, lostReplyRate: 0, latencyMs: 7 });
    expect(market.faults.get('payOrder')).toMatchObject({ operation: 'payOrder', errorRate: 0, latencyMs: 7 });
    expect(market.faults.get('getOrder')).toMatchObject({ operation: '*', errorRate: 1 });
    market.faults.clear('*');
    expect(market.faults.get('getOrder')).toBeNull();
    expect(market.faults.get('payOrder')?.latencyMs).toBe(7);
    market.faults.clear();
  });

  it('latency delays the answer; clearing the fault restores it', async () => {
    market.faults.set({ operation: 'carriers', errorRate: 0, timeoutRate: 0, lostReplyRate: 0, latencyMs: 40 });
    const started = Date.now();
    expect((await guarded().carriers()).length).toBeGreaterThan(3);
    expect(Date.now() - started).toBeGreaterThanOrEqual(35);
    // Cleared, even a latency far past the guard's 80 ms deadline no longer applies: the call answers
    // instead of failing with 50401, which tells "restored" from "still delayed" without a stopwatch.
    market.faults.set({ operation: 'carriers', errorRate: 0, timeoutRate: 0, lostReplyRate: 0, latencyMs: 60_000 });
    market.faults.clear('carriers');
    expect(market.faults.get('carriers')).toBeNull();
    expect((await guarded().carriers()).length).toBeGreaterThan(3);
  });
});
