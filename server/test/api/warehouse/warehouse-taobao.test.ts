import { createHash, randomBytes } from 'node:crypto';
import { computeSignature } from '@ponte/sdk/signing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { itemsByIds, packItems, shipItems } from '../../../src/modules/warehouse/index.js';
import { expectLedgerBalanced } from '../../ledger.js';
import type { TaobaoOrder } from '../orders/taobao-fixtures.js';
import { type RefundServer, startRefundServer } from '../refunds/taobao-refund-fixtures.js';
import {
  type AdminItem,
  DAY,
  developer,
  expectCode,
  type Item,
  operator,
  photo,
  typesOf,
  W3_EXAMPLE,
  warehouseMessages,
} from './warehouse-fixtures.js';

/**
 * The warehouse on Taobao orders (docs/adr/0015): items expected when the sandbox seller ships, received by tracking
 * number (or through the exception queue), inspected with photos, refunded when damaged, returned; W3; storage days
 * and the fee charged once at packing; isolation between developers and sub-accounts; every message checked against
 * its schema.
 */

let t: RefundServer;
let op: ReturnType<typeof operator>;
let dv: ReturnType<typeof developer>;
let shipped: TaobaoOrder;
/** The items of `shipped`'s two lines. */
let first: Item;
let second: Item;
/** A declared item of the other developer, stored before the clock moves (its storage is not covered). */
let othersStored: string;

const linesOf = (o: TaobaoOrder) => o.subPurchaseOrders.flatMap((p) => p.orderLines);

async function itemsOfOrder(orderId: string): Promise<Item[]> {
  const r = await dv.items(t.dev, `?orderId=${orderId}`);
  expect(r.body.code, r.text).toBe(200);
  return [...r.body.data.list].sort((a, b) => (a.lineId ?? '').localeCompare(b.lineId ?? ''));
}

/** An item received and inspected ok: `stored`. */
async function store(itemId: string, trackingNo: string): Promise<AdminItem> {
  const r = await op.receive({ trackingNo });
  expect(r.body.code, r.text).toBe(200);
  const i = await op.inspect(itemId, { quantityReceived: 1, condition: 'ok' });
  expect(i.body.code, i.text).toBe(200);
  expect(i.body.data.status).toBe('stored');
  return i.body.data;
}

beforeAll(async () => {
  t = await startRefundServer();
  op = operator(t.server);
  dv = developer(t.server);
}, 120_000);

afterAll(async () => {
  await t?.close();
});

describe('expected items', () => {
  it('are created when the seller ships: one per line and tracking number, with a message each', async () => {
    shipped = await t.shippedOrder(t.dev, [t.skus[0], t.skus[1]] as never);
    const lines = linesOf(shipped);
    expect(lines).toHaveLength(2);
    const items = await itemsOfOrder(shipped.orderId);
    expect(items).toHaveLength(2);
    for (const line of lines) {
      const item = items.find((i) => i.lineId === line.purchaseOrderLineId) as Item;
      expect(item).toMatchObject({
        status: 'expected',
        source: 'order',
        platform: 'taobao',
        orderId: shipped.orderId,
        externalOrderId: null,
        productId: line.itemId,
        skuId: line.skuId,
        title: line.itemTitle,
        titleTrans: line.itemTitleTrans,
        quantity: line.quantity,
        quantityReceived: null,
        condition: null,
        trackingNo: line.mailNo,
        carrier: line.logisticsCompanyName,
        photos: [],
        weightG: null,
        size: null,
        attributes: null,
        refundId: null,
        parcelId: null,
        version: 1,
        receiveTime: null,
        storage: { days: 0, freeDays: 30, feePerDay: 50, chargeableDays: 0, feeSoFar: 0, charged: false },
      });
      expect(item.itemId).toMatch(/^WI[0-9]+$/);
    }
    [first, second] = items as [Item, Item];
    expect(first.trackingNo).not.toBe(second.trackingNo);
    const messages = await warehouseMessages(t.server, t.dev);
    expect(typesOf(messages, first.itemId)).toEqual(['WAREHOUSE_ITEM_EXPECTED']);
    expect(typesOf(messages, second.itemId)).toEqual(['WAREHOUSE_ITEM_EXPECTED']);
    const detail = await dv.item(t.dev, first.itemId);
    expect(detail.body.data.history).toEqual([
      {
        from: null,
        to: 'expected',
        cause: 'upstream:order.shipped',
        detail: expect.any(String),
        time: expect.any(Number),
      },
    ]);
  });
});

describe('receipts', () => {
  it('receive every expected item of the tracking number; a second receipt changes nothing', async () => {
    const r = await op.receive({ trackingNo: first.trackingNo, carrier: '中通快递', note: 'box fine' });
    expect(r.body.code, r.text).toBe(200);
    expect(r.body.data.outcome).toBe('received');
    expect(r.body.data.exception).toBeNull();
    expect(r.body.data.items.map((i) => i.itemId)).toEqual([first.itemId]);
    expect(r.body.data.items[0]).toMatchObject({
      status: 'received',
      carrier: '中通快递',
      receiveTime: t.clock.now(),
      version: 2,
      developId: t.dev.developId,
      userId: t.dev.userId,
    });
    const again = await op.receive({ trackingNo: first.trackingNo });
    expect(again.body.code, again.text).toBe(200);
    expect(again.body.data.outcome).toBe('already_received');
    expect(again.body.data.items).toEqual(r.body.data.items);
    const detail = await dv.item(t.dev, first.itemId);
    expect(detail.body.data.version).toBe(2);
    expect(detail.body.data.history.map((h) => [h.from, h.to, h.cause])).toEqual([
      [null, 'expected', 'upstream:order.shipped'],
      ['expected', 'received', 'admin:receipt'],
    ]);
    const messages = await warehouseMessages(t.server, t.dev);
    expect(typesOf(messages, first.itemId)).toEqual(['WAREHOUSE_ITEM_EXPECTED', 'WAREHOUSE_ITEM_RECEIVED']);
    // The other line's parcel was not received.
    expect((await dv.item(t.dev, second.itemId)).body.data.status).toBe('expected');
  });

  it('open an exception for a parcel that matches nothing, resolved by matching expected items', async () => {
    const r = await op.receive({ trackingNo: 'ZZ0000000001', carrier: '韵达', note: 'label torn' });
    expect(r.body.code, r.text).toBe(200);
    expect(r.body.data.outcome).toBe('exception');
    expect(r.body.data.items).toEqual([]);
    const x = r.body.data.exception;
    expect(x).toMatchObject({
      trackingNo: 'ZZ0000000001',
      carrier: '韵达',
      status: 'open',
      note: 'label torn',
      resolution: null,
      itemIds: [],
      resolveTime: null,
    });
    const again = await op.receive({ trackingNo: 'ZZ0000000001' });
    expect(again.body.data.exception?.exceptionId).toBe(x?.exceptionId);
    const open = await op.exceptions('?status=open');
    expect(open.body.data.list.map((e) => e.exceptionId)).toEqual([x?.exceptionId]);

    const resolved = await op.resolve(x?.exceptionId as string, { action: 'match', itemIds: [second.itemId] });
    expect(resolved.body.code, resolved.text).toBe(200);
    expect(resolved.body.data.exception).toMatchObject({
      status: 'matched',
      resolution: 'match',
      itemIds: [second.itemId],
      resolveTime: t.clock.now(),
    });
    expect(resolved.body.data.items).toMatchObject([{ itemId: second.itemId, status: 'received', carrier: '韵达' }]);
    const history = (await op.item(second.itemId)).body.data.history;
    expect(history.at(-1)).toMatchObject({ from: 'expected', to: 'received', cause: 'admin:match' });
    expect(history.at(-1)?.detail).toContain(x?.exceptionId as string);
    expectCode(await op.resolve(x?.exceptionId as string, { action: 'return' }), 40901);
    expect((await op.exceptions('?status=open')).body.data.total).toBe(0);
    expect(typesOf(await warehouseMessages(t.server, t.dev), second.itemId)).toEqual([
      'WAREHOUSE_ITEM_EXPECTED',
      'WAREHOUSE_ITEM_RECEIVED',
    ]);
  });

  it('resolve an exception as returned; a match of items that are not expected changes nothing', async () => {
    const r = await op.receive({ trackingNo: 'ZZ0000000002' });
    const id = r.body.data.exception?.exceptionId as string;
    // Already received: 40901, and the exception stays open.
    expectCode(await op.resolve(id, { action: 'match', itemIds: [first.itemId] }), 40901);
    expectCode(await op.resolve(id, { action: 'match', itemIds: ['WI1'] }), 40001, 'itemIds[0]');
    expectCode(await op.resolve(id, { action: 'match' }), 40001, 'itemIds');
    expect((await op.exceptions('?status=open')).body.data.list.map((e) => e.exceptionId)).toEqual([id]);
    const returned = await op.resolve(id, { action: 'return', note: 'refused at the gate' });
    expect(returned.body.code, returned.text).toBe(200);
    expect(returned.body.data).toMatchObject({
      exception: { status: 'returned', resolution: 'return: refused at the gate', itemIds: [] },
      items: [],
    });
    const all = await op.exceptions();
    expect(all.body.data.list.map((e) => e.status)).toEqual(['matched', 'returned']);
  });
});

describe('concurrent receipts', () => {
  it('of one parcel receive its items once, and of an unknown parcel open one exception', async () => {
    const declared = await dv.w3(t.dev, {
      orderId: 'concurrent-1',
      logisticInfos: [{ lineItem: { itemId: '1001' }, domesticLogisticInfo: [{ logisticNumer: 'CC0000000001' }] }],
    });
    expect(declared.body.code, declared.text).toBe(200);
    const itemId = declared.body.data.items[0]?.itemId as string;
    const receipts = await Promise.all([1, 2, 3, 4].map(() => op.receive({ trackingNo: 'CC0000000001' })));
    expect(receipts.map((r) => r.body.code)).toEqual([200, 200, 200, 200]);
    expect(receipts.map((r) => r.body.data.outcome).sort()).toEqual([
      'already_received',
      'already_received',
      'already_received',
      'received',
    ]);
    const item = (await op.item(itemId)).body.data;
    expect(item).toMatchObject({ status: 'received', version: 2 });
    expect(item.history.map((h) => h.to)).toEqual(['expected', 'received']);
    expect(typesOf(await warehouseMessages(t.server, t.dev), itemId)).toEqual([
      'WAREHOUSE_ITEM_EXPECTED',
      'WAREHOUSE_ITEM_RECEIVED',
    ]);

    const unknown = await Promise.all([1, 2, 3, 4].map(() => op.receive({ trackingNo: 'ZZ0000000009' })));
    const ids = new Set(unknown.map((r) => r.body.data.exception?.exceptionId));
    expect(ids.size).toBe(1);
    const open = (await op.exceptions('?status=open')).body.data.list.filter((x) => x.trackingNo === 'ZZ0000000009');
    expect(open).toHaveLength(1);
    const returned = await op.resolve(open[0]?.exceptionId as string, { action: 'return' });
    expect(returned.body.code, returned.text).toBe(200);
  });
});

describe('inspection', () => {
  it('ok: the item is stored, its photos readable through their signed links', async () => {
    const [p1, p2] = await Promise.all([photo(10), photo(20)]);
    const r = await op.inspect(first.itemId, {
      quantityReceived: 1,
      condition: 'ok',
      photos: [p1.base64, `data:image/png;base64,${p2.base64}`, p1.base64],
      weightG: 640,
      lengthCm: 22,
      widthCm: 12,
      heightCm: 6,
      attributes: ['battery', 'battery'],
      note: 'wrapped twice',
    });
    expect(r.body.code, r.text).toBe(200);
    expect(r.body.data).toMatchObject({
      status: 'stored',
      quantityReceived: 1,
      condition: 'ok',
      weightG: 640,
      size: { lengthCm: 22, widthCm: 12, heightCm: 6 },
      attributes: ['battery'],
      note: 'wrapped twice',
      inspectTime: t.clock.now(),
      version: 4,
    });
    expect(r.body.data.history.slice(-2).map((h) => [h.from, h.to, h.cause])).toEqual([
      ['received', 'inspected', 'admin:inspect'],
      ['inspected', 'stored', 'admin:inspect'],
    ]);
    // Stored by content: the same picture twice is one file.
    expect(r.body.data.photos).toHaveLength(2);
    const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
    expect(r.body.data.photos[0]).toContain(`/files/warehouse/${t.dev.developId}/${sha(p1.bytes)}.png?`);
    expect(r.body.data.photos[1]).toContain(`/files/warehouse/${t.dev.developId}/${sha(p2.bytes)}.png?`);
    const read = await dv.item(t.dev, first.itemId);
    for (const [i, url] of read.body.data.photos.entries()) {
      const res = await fetch(url);
      expect(res.status).toBe(200);
      expect(Buffer.from(await res.arrayBuffer()).equals((i === 0 ? p1 : p2).bytes)).toBe(true);
    }
    // Without the signature the file is not served.
    expect((await fetch((read.body.data.photos[0] as string).split('?')[0] as string)).status).not.toBe(200);
    const messages = (await warehouseMessages(t.server, t.dev)).filter((m) => m.objectId === first.itemId);
    expect(messages.map((m) => m.messageType)).toEqual([
      'WAREHOUSE_ITEM_EXPECTED',
      'WAREHOUSE_ITEM_RECEIVED',
      'WAREHOUSE_ITEM_INSPECTED',
    ]);
    const body = messages[2]?.messageBody as unknown as Item;
    expect(body).toMatchObject({ status: 'stored', condition: 'ok', weightG: 640, attributes: ['battery'] });
    expect(body.photos).toHaveLength(2);
    expect((await fetch(body.photos[1] as string)).status).toBe(200);
    // Inspected once.
    expectCode(await op.inspect(first.itemId, { quantityReceived: 1, condition: 'ok' }), 40901);
  });

  it('with an Idempotency-Key, a retry replays the answer stored with the inspection', async () => {
    const order = await t.shippedOrder(t.dev, [t.skus[2]] as never);
    const [item] = await itemsOfOrder(order.orderId);
    expect((await op.receive({ trackingNo: item?.trackingNo })).body.code).toBe(200);
    const send = () =>
      t.server.request<AdminItem>('POST', `/admin/warehouse/items/${item?.itemId}/inspect`, {
        body: JSON.stringify({ quantityReceived: 1, condition: 'ok' }),
        headers: {
          authorization: `Bearer ${t.server.deps.adminToken}`,
          'content-type': 'application/json',
          'idempotency-key': `inspect-${item?.itemId}`,
        },
      });
    const once = await send();
    expect(once.body.code, once.text).toBe(200);
    const again = await send();
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.text).toBe(once.text);
  });

  it('damaged with a refund: an exception, and a refund of the line with the goods at the warehouse', async () => {
    const order = await t.shippedOrder(t.dev, [t.skus[2]] as never);
    const line = linesOf(order)[0] as TaobaoOrder['subPurchaseOrders'][number]['orderLines'][number];
    const [item] = await itemsOfOrder(order.orderId);
    await op.receive({ trackingNo: item?.trackingNo as string });
    const p = await photo(30);
    const r = await op.inspect(item?.itemId as string, {
      quantityReceived: 1,
      condition: 'damaged',
      photos: [p.base64],
      note: 'crushed',
      refund: {},
    });
    expect(r.body.code, r.text).toBe(200);
    expect(r.body.data).toMatchObject({ status: 'exception', condition: 'damaged', note: 'crushed' });
    const refundId = r.body.data.refundId as string;
    expect(refundId).toMatch(/^[0-9]+$/);
    expect(r.body.data.history.at(-1)).toMatchObject({ from: 'received', to: 'exception', cause: 'admin:inspect' });
    expect(r.body.data.history.at(-1)?.detail).toContain(refundId);
    // The refund is the developer's, as if it asked: return and refund (2), goods at the warehouse (4), the reason
    // of the marketplace that fits (quality problem), what the line cost, the photo as evidence.
    const refund = await t.refund(t.dev, refundId);
    expect(refund.refundOrder).toMatchObject({
      refundStatus: '100',
      refundType: 2,
      goodsStatus: 4,
      reasonId: '403770',
      refundFee: line.totalPrice,
    });
    expect(refund.refundOrder.refundImages).toHaveLength(1);
    expect(refund.purchaseOrderLine.purchaseOrderLineId).toBe(line.purchaseOrderLineId);
    await t.expectMessages(t.dev, refundId, ['100']);
    const messages = await warehouseMessages(t.server, t.dev);
    expect(typesOf(messages, item?.itemId as string)).toEqual([
      'WAREHOUSE_ITEM_EXPECTED',
      'WAREHOUSE_ITEM_RECEIVED',
      'WAREHOUSE_ITEM_EXCEPTION',
    ]);
    expect(messages.at(-1)?.messageBody).toMatchObject({ event: 'exception', refundId, condition: 'damaged' });

    // Sent back to the seller.
    const back = await op.returnItem(item?.itemId as string, { note: 'returned by ZTO 73100000001' });
    expect(back.body.code, back.text).toBe(200);
    expect(back.body.data).toMatchObject({ status: 'returned', note: 'returned by ZTO 73100000001', refundId });
    expectCode(await op.returnItem(item?.itemId as string), 40901);
    expect(typesOf(await warehouseMessages(t.server, t.dev), item?.itemId as string).at(-1)).toBe(
      'WAREHOUSE_ITEM_RETURNED',
    );
  });

  it('short goods: refunded in money, in proportion to the units missing', async () => {
    const created = await t.create(t.dev, [{ sku: t.skus[3] as never, quantity: 2 }]);
    expect(created.body.code, created.text).toBe(200);
    const paid = await t.post(t.dev, '/open/order/pay', { orderId: created.body.data.orderId });
    expect(paid.body.code, paid.text).toBe(200);
    await t.advance(2 * 3_600_000);
    const line = linesOf(await t.detail(t.dev, created.body.data.orderId))[0];
    const [item] = await itemsOfOrder(created.body.data.orderId);
    expect(item?.quantity).toBe(2);
    await op.receive({ trackingNo: item?.trackingNo as string });
    expectCode(await op.inspect(item?.itemId as string, { quantityReceived: 1, condition: 'ok' }), 40001, 'condition');
    const r = await op.inspect(item?.itemId as string, { quantityReceived: 1, condition: 'short', refund: {} });
    expect(r.body.code, r.text).toBe(200);
    const refund = await t.refund(t.dev, r.body.data.refundId as string);
    expect(refund.refundOrder).toMatchObject({
      refundType: 1,
      goodsStatus: 4,
      reasonId: '403771',
      refundFee: Math.floor((line?.totalPrice as number) / 2),
    });
  });
});

describe('W3', () => {
  it('accepts the documented example as it is; a repeat records nothing more', async () => {
    const r = await dv.w3(t.dev, W3_EXAMPLE);
    expect(r.body.code, r.text).toBe(200);
    expect(r.body.data.orderId).toBeNull();
    expect(r.body.data.created).toBe(2);
    expect(r.body.data.items).toMatchObject([
      {
        status: 'expected',
        source: 'developer',
        platform: null,
        orderId: null,
        lineId: null,
        externalOrderId: '21',
        productId: '2048020617114736',
        skuId: '413185732720',
        title: '这是商品1',
        titleTrans: '这是商品1',
        imageUrl: 'url',
        quantity: 1,
        trackingNo: 'SF1234521212678',
        carrier: '顺丰',
      },
      { trackingNo: 'YT122323345678', carrier: '圆通', externalOrderId: '21' },
    ]);
    const again = await dv.w3(t.dev, W3_EXAMPLE);
    expect(again.body.code, again.text).toBe(200);
    expect(again.body.data.created).toBe(0);
    expect(again.body.data.items.map((i) => i.itemId)).toEqual(r.body.data.items.map((i) => i.itemId));
    const history = (await dv.item(t.dev, r.body.data.items[0]?.itemId as string)).body.data.history;
    expect(history).toMatchObject([{ to: 'expected', cause: 'api:w3', detail: 'warehouse no. FARJP2408000013YQ' }]);
    // The developer's own reference finds them.
    expect((await dv.items(t.dev, '?orderId=21')).body.data.total).toBe(2);
    // Matched at receipt like the sellers' parcels.
    const received = await op.receive({ trackingNo: 'SF1234521212678' });
    expect(received.body.data.outcome).toBe('received');
    expect(received.body.data.items.map((i) => i.itemId)).toEqual([r.body.data.items[0]?.itemId]);
  });

  it('takes the system parameters in the query, `sign` for `signature`', async () => {
    const body = JSON.stringify({ ...W3_EXAMPLE, orderId: 'query-signed' });
    const path = '/open/pp/logistics/updateLogisticInfo';
    const timestamp = String(t.server.deps.clock.now());
    const nonce = randomBytes(16).toString('hex');
    const sign = computeSignature('hmac-sha256', t.dev.accessSecret, {
      method: 'POST',
      path,
      query: '',
      accessKey: t.dev.accessKey,
      timestamp,
      nonce,
      userId: t.dev.userId,
      body,
    });
    const query = new URLSearchParams({
      'access-key': t.dev.accessKey,
      timestamp,
      'nonce-str': nonce,
      'user-id': t.dev.userId,
      sign,
    });
    const res = await fetch(`${t.server.baseUrl}${path}?${query}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    const env = (await res.json()) as { code: number; data: { created: number } };
    expect(env).toMatchObject({ code: 200, data: { created: 2 } });
    expect((await dv.items(t.dev, '?orderId=query-signed')).body.data.total).toBe(2);
  });

  it('matches the lines of a Ponte order by item and SKU; a tracking number the seller reported is the same item', async () => {
    const order = await t.paidOrder(t.dev, [t.skus[1]] as never);
    const line = linesOf(order)[0] as TaobaoOrder['subPurchaseOrders'][number]['orderLines'][number];
    const body = {
      orderId: order.orderId,
      tmallOrderId: 'TM-777',
      logisticInfos: [
        {
          lineItem: { itemId: line.itemId, skuId: line.skuId, quantity: null, title: 'ignored', imageUrl: 'ignored' },
          logisticNumer: null,
          domesticLogisticInfo: [{ logisticNumer: 'JT0001112223', logisticCompanyName: '极兔', rtsTime: 1754342534 }],
        },
      ],
    };
    const r = await dv.w3(t.dev, body);
    expect(r.body.code, r.text).toBe(200);
    expect(r.body.data).toMatchObject({ orderId: order.orderId, created: 1 });
    expect(r.body.data.items[0]).toMatchObject({
      source: 'order',
      platform: 'taobao',
      orderId: order.orderId,
      lineId: line.purchaseOrderLineId,
      externalOrderId: 'TM-777',
      productId: line.itemId,
      skuId: line.skuId,
      title: line.itemTitle,
      quantity: line.quantity,
      trackingNo: 'JT0001112223',
      carrier: '极兔',
    });
    const wrong = structuredClone(body);
    (wrong.logisticInfos[0] as (typeof body.logisticInfos)[number]).lineItem.skuId = '999';
    expectCode(await dv.w3(t.dev, wrong), 40001, 'logisticInfos[0].lineItem');
    // The seller's number of an earlier line: the item it made, nothing new.
    const firstLine = linesOf(shipped).find((l) => l.purchaseOrderLineId === first.lineId);
    const same = await dv.w3(t.dev, {
      orderId: shipped.orderId,
      tmallOrderId: null,
      logisticInfos: [
        {
          lineItem: { itemId: firstLine?.itemId, skuId: firstLine?.skuId },
          domesticLogisticInfo: [{ logisticNumer: first.trackingNo }],
        },
      ],
    });
    expect(same.body.code, same.text).toBe(200);
    expect(same.body.data.created).toBe(0);
    expect(same.body.data.items.map((i) => [i.itemId, i.status])).toEqual([[first.itemId, 'stored']]);
  });

  it('answers 40001 naming the field', async () => {
    expectCode(await dv.w3(t.dev, { ...W3_EXAMPLE, orderId: null, tmallOrderId: null }), 40001, 'orderId');
    const bad = structuredClone(W3_EXAMPLE);
    (bad.logisticInfos[0] as (typeof W3_EXAMPLE.logisticInfos)[number]).domesticLogisticInfo[1] = {
      logisticNumer: 'a b',
      logisticCompanyName: '圆通',
      rtsTime: '1',
    };
    expectCode(await dv.w3(t.dev, bad), 40001, 'logisticInfos[0].domesticLogisticInfo[1].logisticNumer');
    const none = structuredClone(W3_EXAMPLE);
    (none.logisticInfos[0] as (typeof W3_EXAMPLE.logisticInfos)[number]).domesticLogisticInfo = [];
    expectCode(await dv.w3(t.dev, none), 40001, 'logisticInfos[0].domesticLogisticInfo');
    expectCode(await dv.w3(t.dev, { ...W3_EXAMPLE, logisticInfos: [] }), 40001, 'logisticInfos');
    expectCode(await dv.w3(t.dev, { ...W3_EXAMPLE, extra: 1 }), 40001, 'extra');
  });
});

describe('isolation', () => {
  it('between developers: another developer sees none of the items, and its W3 never reaches them', async () => {
    const list = await dv.items(t.other);
    expect(list.body.code, list.text).toBe(200);
    expect(list.body.data.total).toBe(0);
    expectCode(await dv.item(t.other, first.itemId), 40401);
    // The other developer naming this developer's order: goods of its own, not the order's line.
    const line = linesOf(shipped)[0];
    const r = await dv.w3(t.other, {
      orderId: shipped.orderId,
      tmallOrderId: null,
      logisticInfos: [
        {
          lineItem: { itemId: line?.itemId, skuId: line?.skuId },
          domesticLogisticInfo: [{ logisticNumer: line?.mailNo }],
        },
      ],
    });
    expect(r.body.code, r.text).toBe(200);
    expect(r.body.data).toMatchObject({ orderId: null, created: 1 });
    expect(r.body.data.items[0]).toMatchObject({ source: 'developer', orderId: null, lineId: null });
    othersStored = r.body.data.items[0]?.itemId as string;
    expect((await dv.items(t.other)).body.data.total).toBe(1);
    expectCode(await dv.item(t.dev, othersStored), 40401);
    // One parcel, two developers' items: the receipt receives both.
    const receipt = await op.receive({ trackingNo: line?.mailNo as string });
    expect(receipt.body.data.outcome).toBe('received');
    expect(receipt.body.data.items.map((i) => [i.itemId, i.developId])).toEqual([
      [first.itemId, t.dev.developId],
      [othersStored, t.other.developId],
    ]);
    const stored = await op.inspect(othersStored, { quantityReceived: 1, condition: 'ok' });
    expect(stored.body.data.status).toBe('stored');
    expect((await op.items(`?developId=${t.other.developId}`)).body.data.list.map((i) => i.itemId)).toEqual([
      othersStored,
    ]);
  });

  it('between sub-accounts: each sees its own, the main account all', async () => {
    const order = await t.shippedOrder(t.sub, [t.skus[0]] as never);
    const mine = await dv.items(t.sub);
    expect(mine.body.code, mine.text).toBe(200);
    expect(mine.body.data.list.map((i) => i.orderId)).toEqual([order.orderId]);
    const itemId = mine.body.data.list[0]?.itemId as string;
    expect((await dv.item(t.sub, itemId)).body.code).toBe(200);
    expect((await dv.items(t.sibling)).body.data.total).toBe(0);
    expectCode(await dv.item(t.sibling, itemId), 40401);
    expectCode(await dv.item(t.sub, first.itemId), 40401);
    expect((await dv.item(t.dev, itemId)).body.data.orderId).toBe(order.orderId);
    const all = await dv.items(t.dev, '?pageSize=50');
    expect(all.body.data.list.map((i) => i.itemId)).toContain(itemId);
    expect((await op.item(itemId)).body.data.userId).toBe(t.sub.userId);
    // A sub-account's W3 goods are its own.
    const w3 = await dv.w3(t.sibling, { ...W3_EXAMPLE, orderId: 'sibling-1' });
    expect(w3.body.code, w3.text).toBe(200);
    expect((await dv.items(t.sibling)).body.data.total).toBe(2);
    expect((await dv.items(t.sub)).body.data.total).toBe(1);
    expect((await op.item(w3.body.data.items[0]?.itemId as string)).body.data.userId).toBe(t.sibling.userId);
  });
});

describe('storage', () => {
  it('counts the days from receipt; packing charges the fee past the free days once', async () => {
    const item = (await op.item(first.itemId)).body.data;
    const receivedAt = item.receiveTime as number;
    // 32 days after receipt: 2 days past the 30 free ones.
    await t.advance(receivedAt + 32 * DAY - t.clock.now());
    const read = await dv.item(t.dev, first.itemId);
    expect(read.body.data.storage).toEqual({
      days: 32,
      freeDays: 30,
      feePerDay: 50,
      chargeableDays: 2,
      feeSoFar: 100,
      charged: false,
    });
    const before = await t.balance(t.dev);
    const { deps } = t.server;
    const at = t.clock.now();
    const packed = await deps.database.transaction(async (trx) =>
      packItems(trx, deps, await itemsByIds(trx, t.dev.developId, [first.itemId, 'WI1', othersStored]), 'PP1', at),
    );
    expect(packed).toEqual({ storageFeeFen: 100 });
    expect(await t.balance(t.dev)).toBe(before - 100);
    const tx = await deps.database.db
      .selectFrom('ledger_transactions')
      .selectAll()
      .where('idem_key', '=', `storage:${first.itemId}`)
      .execute();
    expect(tx).toHaveLength(1);
    expect(tx[0]).toMatchObject({ kind: 'storage_fee', develop_id: t.dev.developId, order_id: shipped.orderId });
    const entries = await deps.database.db
      .selectFrom('ledger_entries')
      .select(['account', 'amount_fen'])
      .where('transaction_id', '=', tx[0]?.id as string)
      .orderBy('account')
      .execute();
    expect(entries.map((e) => [e.account, Number(e.amount_fen)])).toEqual([
      [`developer:${t.dev.developId}:balance`, -100],
      ['warehouse:storage', 100],
    ]);
    const after = (await op.item(first.itemId)).body.data;
    expect(after).toMatchObject({
      status: 'packed',
      parcelId: 'PP1',
      packTime: at,
      storageTransactionId: tx[0]?.id,
      storage: { days: 32, chargeableDays: 2, feeSoFar: 100, charged: true },
    });
    expect(after.history.at(-1)).toMatchObject({
      from: 'stored',
      to: 'packed',
      cause: 'admin:pack',
      detail: 'parcel PP1',
    });

    // Packed once: a second pack answers 40901 and charges nothing.
    await expect(
      deps.database.transaction(async (trx) =>
        packItems(trx, deps, await itemsByIds(trx, t.dev.developId, [first.itemId]), 'PP2', at),
      ),
    ).rejects.toMatchObject({ code: 40901 });
    expect(await t.balance(t.dev)).toBe(before - 100);

    // Days stop counting at packing.
    await t.advance(5 * DAY);
    expect((await dv.item(t.dev, first.itemId)).body.data.storage).toMatchObject({ days: 32, feeSoFar: 100 });
    await deps.database.transaction((trx) => shipItems(trx, deps, 'PP1', t.clock.now()));
    expect((await dv.item(t.dev, first.itemId)).body.data).toMatchObject({
      status: 'shipped',
      shipTime: t.clock.now(),
    });
    await expectLedgerBalanced(deps.database.db);
  });

  it('charges nothing within the free days, and answers 42201 when the balance does not cover the fee', async () => {
    const { deps } = t.server;
    const declared = (await dv.items(t.dev, '?orderId=21&trackingNo=YT122323345678')).body.data.list[0] as Item;
    expect(declared).toMatchObject({ externalOrderId: '21', status: 'expected' });
    await store(declared.itemId, 'YT122323345678');
    const free = await deps.database.transaction(async (trx) =>
      packItems(trx, deps, await itemsByIds(trx, t.dev.developId, [declared.itemId]), 'PP3', t.clock.now()),
    );
    expect(free).toEqual({ storageFeeFen: 0 });
    expect(
      await deps.database.db
        .selectFrom('ledger_transactions')
        .select('id')
        .where('idem_key', '=', `storage:${declared.itemId}`)
        .execute(),
    ).toEqual([]);
    expect((await op.item(declared.itemId)).body.data).toMatchObject({
      status: 'packed',
      storage: { days: 0, feeSoFar: 0, charged: false },
    });

    // The other developer's item, stored 37 days ago, and a balance of 0.
    expect(await t.balance(t.other)).toBe(0);
    await expect(
      deps.database.transaction(async (trx) =>
        packItems(trx, deps, await itemsByIds(trx, t.other.developId, [othersStored]), 'PP4', t.clock.now()),
      ),
    ).rejects.toMatchObject({ code: 42201 });
    expect((await op.item(othersStored)).body.data).toMatchObject({ status: 'stored', storage: { charged: false } });
    await expectLedgerBalanced(deps.database.db);
  });
});

describe('errors', () => {
  it('40001 naming the field, 40401 for what is unknown, 40901 for a state that does not allow it', async () => {
    expectCode(await op.receive({ trackingNo: 'a b' }), 40001, 'trackingNo');
    expectCode(await op.receive({}), 40001, 'trackingNo');
    expectCode(await op.inspect(second.itemId, { quantityReceived: 1, condition: 'broken' }), 40001, 'condition');
    expectCode(await op.inspect(second.itemId, { quantityReceived: 1, condition: 'ok', refund: {} }), 40001, 'refund');
    expectCode(
      await op.inspect(second.itemId, { quantityReceived: 1, condition: 'ok', lengthCm: 3 }),
      40001,
      'widthCm',
    );
    expectCode(
      await op.inspect(second.itemId, { quantityReceived: 1, condition: 'ok', photos: ['not a picture'] }),
      40001,
      'photos[0]',
    );
    expectCode(
      await op.inspect(second.itemId, { quantityReceived: 1, condition: 'ok', photos: Array(7).fill('x') }),
      40001,
      'photos',
    );
    const declared = (await dv.items(t.dev, '?trackingNo=SF1234521212678&status=received')).body.data.list[0] as Item;
    expectCode(
      await op.inspect(declared.itemId, { quantityReceived: 0, condition: 'damaged', refund: {} }),
      40001,
      'refund',
    );
    // The marketplace refuses the refund: nothing is recorded, the item stays received.
    expectCode(
      await op.inspect(second.itemId, { quantityReceived: 1, condition: 'damaged', refund: { reasonId: '1' } }),
      40001,
      'refund.reasonId',
    );
    expectCode(await op.inspect('WI1', { quantityReceived: 1, condition: 'ok' }), 40401);
    expectCode(await op.item('WI1'), 40401);
    expectCode(await dv.item(t.dev, 'WI1'), 40401);
    expectCode(await op.resolve('WX1', { action: 'return' }), 40401);
    expectCode(await op.returnItem('WI1'), 40401);
    // Not received yet, already stored: 40901.
    const expected = (await dv.items(t.sibling, '?status=expected')).body.data.list[0] as Item;
    expectCode(await op.inspect(expected.itemId, { quantityReceived: 1, condition: 'ok' }), 40901);
    expectCode(await op.returnItem(second.itemId), 40901);
    // Nothing changed by any of them.
    expect((await op.item(second.itemId)).body.data).toMatchObject({ status: 'received', version: 2 });
  });
});

describe('messages', () => {
  it('every warehouse message written validates against its schema', async () => {
    const kinds = new Set<string>();
    for (const who of [t.dev, t.other, t.sub, t.sibling]) {
      for (const m of await warehouseMessages(t.server, who)) kinds.add(m.messageType);
    }
    expect([...kinds].sort()).toEqual([
      'WAREHOUSE_ITEM_EXCEPTION',
      'WAREHOUSE_ITEM_EXPECTED',
      'WAREHOUSE_ITEM_INSPECTED',
      'WAREHOUSE_ITEM_RECEIVED',
      'WAREHOUSE_ITEM_RETURNED',
    ]);
  });
});
