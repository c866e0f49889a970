import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { expectCode, startTaobaoServer, type TaobaoOrder, type TaobaoServer } from './taobao-fixtures.js';

describe('POST /open/order/pay (T12)', () => {
  let t: TaobaoServer;
  beforeAll(async () => {
    t = await startTaobaoServer();
  });
  afterEach(async () => {
    await t.server.admin('DELETE', '/sandbox/faults');
  });
  afterAll(() => t.close());

  const pay = (orderId: string, who = t.dev) =>
    t.post<{ payStatus: string; order: TaobaoOrder }>(who, '/open/order/pay', { orderId });
  const newOrder = () => t.order(t.dev, [t.skus[0] as NonNullable<(typeof t.skus)[0]>]);

  it('answers 42201 when the balance does not cover the order, and changes nothing', async () => {
    const order = await newOrder();
    const before = await t.balance(t.dev);
    expect(before).toBeLessThan(order.totalPrice);
    expectCode(await pay(order.orderId), 42201);
    expect(await t.balance(t.dev)).toBe(before);
    expect(await t.detail(t.dev, order.orderId)).toMatchObject({ payStatus: 'UNPAID', status: 'WAIT_BUYER_PAY' });
  });

  it('answers 42203 and gives the debit back when the seller changed the price meanwhile', async () => {
    const order = await newOrder();
    await t.topUp(t.dev.developId, order.totalPrice);
    const before = await t.balance(t.dev);
    const part = order.subPurchaseOrders[0];
    // The seller changes the price; the order has not heard of it yet.
    const changed = await t.server.admin('POST', `/sandbox/taobao/orders/${part?.purchaseOrderOuterId}/price`, {
      totalFen: order.totalPrice + 100,
    });
    expect(changed.body.code, changed.text).toBe(200);
    expectCode(await pay(order.orderId), 42203);
    expect(await t.balance(t.dev)).toBe(before);
    await t.server.drainOutbox();
    const fresh = await t.detail(t.dev, order.orderId);
    expect(fresh).toMatchObject({ totalPrice: order.totalPrice + 100, payStatus: 'UNPAID' });
    await t.topUp(t.dev.developId, 100);
    const paid = await pay(order.orderId);
    expect(paid.body.code, paid.text).toBe(200);
    expect(await t.balance(t.dev)).toBe(before + 100 - fresh.totalPrice);
  });

  it('answers 40901 for a cancelled order', async () => {
    const order = await newOrder();
    const cancelled = await t.post(t.dev, '/open/order/cancel', { orderId: order.orderId });
    expect(cancelled.body.code, cancelled.text).toBe(200);
    await t.topUp(t.dev.developId, order.totalPrice);
    expectCode(await pay(order.orderId), 40901);
  });

  it('answers 50201 when the marketplace fails, and the debit is not kept', async () => {
    const order = await newOrder();
    await t.topUp(t.dev.developId, order.totalPrice);
    const before = await t.balance(t.dev);
    await t.server.admin('PUT', '/sandbox/faults/payOrder', { errorRate: 1 });
    expectCode(await pay(order.orderId), 50201);
    await t.server.admin('DELETE', '/sandbox/faults');
    // A failed payment is settled in the background: paid after all, or given back.
    t.clock.advance(3_600_000);
    await t.server.drainOutbox();
    const after = await t.detail(t.dev, order.orderId);
    expect(await t.balance(t.dev)).toBe(after.payStatus === 'PAID' ? before - order.totalPrice : before);
  });

  it('answers 50401 when the marketplace does not answer: the order stays PAYING until the worker settles it', async () => {
    const order = await newOrder();
    await t.topUp(t.dev.developId, order.totalPrice);
    const before = await t.balance(t.dev);
    await t.server.admin('PUT', '/sandbox/faults/payOrder', { timeoutRate: 1 });
    expectCode(await pay(order.orderId), 50401);
    expect((await t.detail(t.dev, order.orderId)).payStatus).toBe('PAYING');
    await t.server.admin('DELETE', '/sandbox/faults');
    t.clock.advance(3_600_000);
    await t.server.drainOutbox();
    const after = await t.detail(t.dev, order.orderId);
    expect(['PAID', 'UNPAID']).toContain(after.payStatus);
    expect(await t.balance(t.dev)).toBe(after.payStatus === 'PAID' ? before - order.totalPrice : before);
  });

  it('answers 40401 for an unknown order, and 40001 for a malformed id', async () => {
    expectCode(await pay('1795432287562383360'), 40401);
    expectCode(await pay('abc'), 40001, 'orderId');
    expectCode(await t.post(t.dev, '/open/order/pay', {}), 40001, 'orderId');
  });
});
