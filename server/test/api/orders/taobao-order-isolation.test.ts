import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Credentials, Reply } from '../../harness.js';
import { expectCode, type Sku, startTaobaoServer, type TaobaoOrder, type TaobaoServer } from './taobao-fixtures.js';

/**
 * docs/architecture.md §6: another developer's order and a sibling sub-account's answer the same 40401 as
 * an unknown id, on every Taobao order route, and change nothing; the main account sees its sub-accounts'.
 */
describe('Taobao orders are visible to their sub-account and the main account only', () => {
  let t: TaobaoServer;
  let mine: TaobaoOrder;
  let sibling: TaobaoOrder;
  let foreign: TaobaoOrder;

  beforeAll(async () => {
    t = await startTaobaoServer();
    const [a] = t.skus as [Sku];
    mine = await t.order(t.sub, [a]);
    sibling = await t.order(t.sibling, [a]);
    foreign = await t.order(t.other, [a]);
    await t.topUp(t.dev.developId, 10 * mine.totalPrice);
    await t.topUp(t.other.developId, 10 * foreign.totalPrice);
  });
  afterAll(() => t.close());

  /** Every route that names an order, as `who` asking about `order`. */
  const routes: [string, (who: Credentials, order: TaobaoOrder) => Promise<Reply>][] = [
    ['T14', (who, o) => t.get(who, `/open/order/get?orderId=${o.orderId}`)],
    [
      'T15',
      (who, o) =>
        t.get(who, `/open/order/logistics/detail/get?subPurchaseOrderId=${o.subPurchaseOrders[0]?.subPurchaseOrderId}`),
    ],
    ['T13 order', (who, o) => t.post(who, '/open/order/page/link/get', { sourceType: 'order', bizId: o.orderId })],
    [
      'T13 part',
      (who, o) =>
        t.post(who, '/open/order/page/link/get', {
          sourceType: 'order',
          bizId: o.subPurchaseOrders[0]?.subPurchaseOrderId,
        }),
    ],
    [
      'T11',
      (who, o) =>
        t.post(who, '/open/order/updateWarehouse', { orderId: o.orderId, warehouseName: 'W', warehouseAddress: 'A' }),
    ],
    ['T12', (who, o) => t.post(who, '/open/order/pay', { orderId: o.orderId })],
    ['T10', (who, o) => t.post(who, '/open/order/cancel', { orderId: o.orderId })],
  ];

  it('answers 40401 for another developer’s and a sibling’s order on every route, and changes nothing', async () => {
    for (const [name, call] of routes) {
      for (const [who, order] of [
        [t.sub, sibling],
        [t.sub, foreign],
        [t.dev, foreign],
        [t.other, mine],
        [t.other, sibling],
      ] as [Credentials, TaobaoOrder][]) {
        const r = await call(who, order);
        expectCode(r, 40401);
        expect(r.text, name).not.toContain(order.subPurchaseOrders[0]?.purchaseOrderOuterId);
      }
    }
    for (const [who, order] of [
      [t.sibling, sibling],
      [t.other, foreign],
      [t.sub, mine],
    ] as [Credentials, TaobaoOrder][]) {
      expect(await t.detail(who, order.orderId)).toMatchObject({
        status: 'WAIT_BUYER_PAY',
        payStatus: 'UNPAID',
        warehouseName: null,
        version: order.version,
      });
    }
    const list = await t.get<{ list: TaobaoOrder[] }>(t.sub, '/open/order/page');
    expect(list.body.data.list.map((o) => o.orderId)).toEqual([mine.orderId]);
  });

  it('lets the main account act on its sub-accounts’ orders on every route', async () => {
    // The routes run in the table's order: once paid, the order can no longer be cancelled (40901, not 40401).
    for (const [name, call] of routes) {
      const r = await call(t.dev, sibling);
      expect(r.body.code, `${name}: ${r.text}`).toBe(name === 'T10' ? 40901 : 200);
    }
    const after = await t.detail(t.sibling, sibling.orderId);
    expect(after).toMatchObject({ warehouseName: 'W', payStatus: 'PAID', userId: t.sibling.userId });
  });
});
