import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RefundsServer, startRefundsServer } from '../refunds/alibaba-refund-fixtures.js';
import { developer, expectCode, type Item, operator, photo, typesOf, warehouseMessages } from './warehouse-fixtures.js';

/**
 * The warehouse on 1688 orders (docs/adr/0015): items expected when the sandbox seller ships, received, inspected as
 * the wrong goods with a refund through the 1688 after-sales flow, W3 for a 1688 order, every message checked against
 * its schema.
 */

let s: RefundsServer;
let op: ReturnType<typeof operator>;
let dv: ReturnType<typeof developer>;

beforeAll(async () => {
  s = await startRefundsServer();
  op = operator(s.server);
  dv = developer(s.server);
}, 120_000);

afterAll(async () => {
  await s?.close();
});

async function itemsOfOrder(orderId: string): Promise<Item[]> {
  const r = await dv.items(s.dev, `?orderId=${orderId}`);
  expect(r.body.code, r.text).toBe(200);
  return [...r.body.data.list].sort((a, b) => (a.lineId ?? '').localeCompare(b.lineId ?? ''));
}

describe('the warehouse on 1688 orders', () => {
  it('expects every shipped line, receives the parcel, and refunds wrong goods through the 1688 flow', async () => {
    const order = await s.shippedOrder(s.dev, { lines: 2 });
    const items = await itemsOfOrder(order.orderId);
    expect(items).toHaveLength(2);
    const bill = order.detail.nativeLogistics.logisticsItems[0]?.logisticsBillNo as string;
    for (const line of order.detail.productItems) {
      expect(items.find((i) => i.lineId === line.subItemID)).toMatchObject({
        status: 'expected',
        source: 'order',
        platform: '1688',
        orderId: order.orderId,
        productId: String(line.productID),
        skuId: line.specId,
        quantity: line.quantity,
        trackingNo: bill,
        version: 1,
      });
    }
    // One parcel for both lines: one receipt receives both.
    const r = await op.receive({ trackingNo: bill });
    expect(r.body.code, r.text).toBe(200);
    expect(r.body.data.outcome).toBe('received');
    expect(r.body.data.items.map((i) => i.itemId).sort()).toEqual(items.map((i) => i.itemId).sort());
    expect((await op.receive({ trackingNo: bill })).body.data.outcome).toBe('already_received');

    const [wrong, fine] = items as [Item, Item];
    const p = await photo(60);
    const inspected = await op.inspect(wrong.itemId, {
      quantityReceived: wrong.quantity,
      condition: 'wrong_item',
      photos: [p.base64],
      refund: { description: '卖家发错了颜色' },
    });
    expect(inspected.body.code, inspected.text).toBe(200);
    expect(inspected.body.data).toMatchObject({ status: 'exception', condition: 'wrong_item' });
    const refundId = inspected.body.data.refundId as string;
    expect(refundId).toMatch(/^TQ[0-9]+$/);
    const refund = await s.detailOf(s.dev, refundId);
    expect(refund).toMatchObject({
      orderId: order.orderId,
      orderEntryIdList: expect.stringContaining(wrong.lineId as string),
      applyReasonId: '403773',
      goodsStatus: 4,
      refundGoods: true,
      description: '卖家发错了颜色',
    });
    const line = order.detail.productItems.find((l) => l.subItemID === wrong.lineId);
    expect(refund.applyPayment + refund.applyCarriage).toBe(line?.itemAmount);
    const types = (await s.messages(s.dev, refundId)).map((m) => m.messageType);
    expect(types).toHaveLength(1);

    const ok = await op.inspect(fine.itemId, { quantityReceived: fine.quantity, condition: 'ok', weightG: 1200 });
    expect(ok.body.data).toMatchObject({ status: 'stored', weightG: 1200, refundId: null });

    const messages = await warehouseMessages(s.server, s.dev);
    expect(typesOf(messages, wrong.itemId)).toEqual([
      'WAREHOUSE_ITEM_EXPECTED',
      'WAREHOUSE_ITEM_RECEIVED',
      'WAREHOUSE_ITEM_EXCEPTION',
    ]);
    expect(typesOf(messages, fine.itemId)).toEqual([
      'WAREHOUSE_ITEM_EXPECTED',
      'WAREHOUSE_ITEM_RECEIVED',
      'WAREHOUSE_ITEM_INSPECTED',
    ]);
    // Sent back to the seller.
    const back = await op.returnItem(wrong.itemId, {});
    expect(back.body.data.status).toBe('returned');
  });

  it('W3 matches the lines of a 1688 order by offer and specification', async () => {
    const order = await s.paidOrder(s.dev);
    const line = order.detail.productItems[0];
    const body = {
      orderId: order.orderId,
      tmallOrderId: null,
      logisticInfos: [
        {
          lineItem: { itemId: String(line?.productID), skuId: line?.specId, quantity: 1 },
          logisticNumer: 'FARJP2408000099YQ',
          domesticLogisticInfo: [{ logisticNumer: 'ZTO7310000000001', logisticCompanyName: '中通' }],
        },
      ],
    };
    const r = await dv.w3(s.dev, body);
    expect(r.body.code, r.text).toBe(200);
    expect(r.body.data).toMatchObject({ orderId: order.orderId, created: 1 });
    expect(r.body.data.items[0]).toMatchObject({
      source: 'order',
      platform: '1688',
      lineId: line?.subItemID,
      quantity: 1,
      trackingNo: 'ZTO7310000000001',
    });
    expect((await dv.w3(s.dev, body)).body.data.created).toBe(0);
    // Another developer's view: nothing; a sub-account that did not place the order: nothing.
    expect((await dv.items(s.other)).body.data.total).toBe(0);
    expectCode(await dv.item(s.sub, r.body.data.items[0]?.itemId as string), 40401);
    // The order is the main account's: a sub-account naming it declares goods of its own.
    const sub = await dv.w3(s.sub, body);
    expect(sub.body.data).toMatchObject({
      orderId: null,
      items: [{ source: 'developer', externalOrderId: order.orderId }],
    });
  });

  it('every warehouse message written validates against its schema', async () => {
    for (const who of [s.dev, s.sub, s.other]) await warehouseMessages(s.server, who);
    expect((await warehouseMessages(s.server, s.dev)).length).toBeGreaterThanOrEqual(7);
  });
});
