import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { expectCode, type Sku, startTaobaoServer, type TaobaoOrder, type TaobaoServer } from './taobao-fixtures.js';

interface Logistics {
  purchaseOrderOuterId: string;
  pnmLogisticsDetails: {
    mailNo: string;
    logisticsTraces: { status: string; statusDesc: string; standerdDesc: string; time: number; nextCity: string }[];
    logisticsGoods: { title: string; titleTrans: string; property: string; quantity: number }[];
  }[];
}

describe('GET /open/order/logistics/detail/get (T15)', () => {
  let t: TaobaoServer;
  let order: TaobaoOrder;
  beforeAll(async () => {
    t = await startTaobaoServer();
    const [a, b] = t.skus as [Sku, Sku];
    order = await t.order(t.sub, [a, b]);
    await t.topUp(t.dev.developId, order.totalPrice);
    const paid = await t.post(t.sub, '/open/order/pay', { orderId: order.orderId });
    expect(paid.body.code, paid.text).toBe(200);
  });
  afterEach(async () => {
    await t.server.admin('DELETE', '/sandbox/faults');
  });
  afterAll(() => t.close());

  const logistics = (id: string | undefined, who = t.sub, language = 'es') =>
    t.get<Logistics>(who, `/open/order/logistics/detail/get?subPurchaseOrderId=${id}&language=${language}`);

  it('follows each parcel through its steps, oldest first, in the request language beside the Chinese', async () => {
    const [first, second] = order.subPurchaseOrders;
    await t.advance(3_600_000 + 30 * 3_600_000);
    for (const part of [first, second]) {
      const r = await logistics(part?.subPurchaseOrderId);
      expect(r.body.code, r.text).toBe(200);
      expect(r.body.data.purchaseOrderOuterId).toBe(part?.purchaseOrderOuterId);
      const parcel = r.body.data.pnmLogisticsDetails[0];
      if (!parcel) throw new Error(r.text);
      const times = parcel.logisticsTraces.map((s) => s.time);
      expect([...times].sort((x, y) => x - y)).toEqual(times);
      expect(parcel.logisticsTraces.length).toBeGreaterThanOrEqual(3);
      expect(parcel.logisticsTraces[0]?.standerdDesc).not.toBe(parcel.logisticsTraces[0]?.statusDesc);
      expect(parcel.logisticsTraces.at(-1)?.nextCity).toBe('');
      expect(parcel.logisticsGoods[0]?.titleTrans).not.toBe(parcel.logisticsGoods[0]?.title);
      expect(parcel.logisticsGoods[0]?.property).toMatch(/:/);
    }
    // The main account reads its sub-account's parcels too.
    expect((await logistics(first?.subPurchaseOrderId, t.dev)).body.code).toBe(200);
  });

  it('answers 50201 and 50401 when the marketplace fails or does not answer', async () => {
    const id = order.subPurchaseOrders[0]?.subPurchaseOrderId;
    await t.server.admin('PUT', '/sandbox/faults/logisticsTrace', { errorRate: 1 });
    expectCode(await logistics(id), 50201);
    await t.server.admin('PUT', '/sandbox/faults/logisticsTrace', { timeoutRate: 1 });
    expectCode(await logistics(id), 50401);
  });

  it('answers 40401 for an unknown, another developer’s or a sibling’s sub purchase order, and an order id', async () => {
    const id = order.subPurchaseOrders[0]?.subPurchaseOrderId;
    expectCode(await logistics(id, t.sibling), 40401);
    expectCode(await logistics(id, t.other), 40401);
    expectCode(await logistics('1795432287562383360'), 40401);
    expectCode(await logistics(order.orderId), 40401);
    expectCode(
      await t.get(t.sub, '/open/order/logistics/detail/get?subPurchaseOrderId=abc'),
      40001,
      'subPurchaseOrderId',
    );
    expectCode(await t.get(t.sub, '/open/order/logistics/detail/get'), 40001, 'subPurchaseOrderId');
  });
});
