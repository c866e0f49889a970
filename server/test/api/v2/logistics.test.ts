import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OpaqueKind } from '../../../src/platform/crypto/opaque-ids.js';
import type { Credentials, Reply } from '../../harness.js';
import {
  type Booking,
  type FreightServer,
  type FreightSku,
  type Parcel,
  type Preview,
  postSignedInQuery,
  startFreightServer,
  US,
  W2_EXAMPLE,
  W4_EXAMPLE,
} from '../freight/freight-fixtures.js';
import type { TaobaoOrder } from '../orders/taobao-fixtures.js';
import { expectCode, type History, type Item, W3_EXAMPLE } from '../warehouse/warehouse-fixtures.js';

/**
 * The warehouse logistics on v2 (W1–W4, parcels, warehouse items): the v1 handlers behind PandaPon's v2 paths.
 * Ponte's orders and order lines are opaque ids there. The goods fields take a Taobao item or a 1688 offer: v2 takes
 * the marketplace's id or the opaque id of either, and an answer repeats the id as it was sent.
 */

const OPAQUE = /^[A-Za-z0-9_-]{22,}$/;

interface Estimate {
  itemId: string;
  skuId: string;
  quantity: number;
  country: string;
  parcel: Record<string, unknown>;
  channels: { freightInfo: { serviceId: string }; available: boolean; freight: number }[];
}

interface W3Answer {
  orderId: string | null;
  created: number;
  items: Item[];
}

let f: FreightServer;
let goods: FreightSku;

const encode = (kind: OpaqueKind, id: string) => f.server.deps.opaqueIds.encode(kind, id);
/** An opaque id with its first character changed: the shape of one, made by no one. */
const tampered = (opaque: string) => (opaque.startsWith('A') ? 'B' : 'A') + opaque.slice(1);

const v1 = {
  post: <T>(who: Credentials, path: string, body: unknown) => f.post<T>(who, `/open/pp${path}`, body),
  get: <T>(who: Credentials, path: string) => f.get<T>(who, `/open/pp${path}`),
};
const v2 = {
  post: <T>(who: Credentials, path: string, body: unknown) => f.post<T>(who, `/v2/open/pp${path}`, body),
  get: <T>(who: Credentials, path: string) => f.get<T>(who, `/v2/open/pp${path}`),
};

function ok<T>(r: Reply<T>): T {
  expect(r.body.code, r.text).toBe(200);
  return r.body.data;
}

/** A v2 POST with the system parameters in the query, `sign` for `signature` (as the warehouse pages allow). */
const querySigned = <T>(who: Credentials, path: string, body: unknown) =>
  postSignedInQuery<T>(f.server.baseUrl, who, path, body, f.clock.now());

const renderBody = (sku: FreightSku) => ({
  receiverAddress: US,
  renderItems: [
    {
      itemId: sku.itemId,
      skuId: sku.skuId,
      quantity: 1,
      freightInfo: { serviceId: '1', companyName: '', serviceCategory: '' },
      currency: 'CNY',
      price: '10.00',
    },
  ],
});

beforeAll(async () => {
  f = await startFreightServer();
  const [s0] = f.skus;
  if (!s0) throw new Error('a SKU');
  goods = await f.freightSku(s0.itemId, s0.skuId);
  await f.topUp(f.dev.developId, 5_000_000);
}, 120_000);
afterAll(() => f?.close());

describe('W1 on v2: POST /v2/open/pp/logistics/itemLogisticsPrice', () => {
  const body = () => ({
    itemId: goods.itemId,
    skuId: goods.skuId,
    quantity: 3,
    receiverAddress: US,
    currency: 'CNY',
    price: '68.00',
  });

  it('quotes the item as v1 does, naming it by the marketplace’s ids', async () => {
    const two = ok(await v2.post<Estimate>(f.dev, '/logistics/itemLogisticsPrice', body()));
    expect(two).toMatchObject({ itemId: goods.itemId, skuId: goods.skuId, quantity: 3, country: 'US' });
    expect(two.parcel).toEqual(goods.parcel(3));
    expect(two.channels.length).toBeGreaterThan(1);
    expect(two.channels.some((c) => c.available && c.freight > 0)).toBe(true);
    expect(two).toEqual(ok(await v1.post<Estimate>(f.dev, '/logistics/itemLogisticsPrice', body())));
  });

  it('answers the documented example 40401 (its goods are unknown), and an opaque id made by no one', async () => {
    const example = {
      itemId: '2048232789087639',
      skuId: '4970432383383',
      quantity: 1,
      receiverAddress: { ...US, email: '1229220680@qq.com' },
      currency: 'CNY',
      price: '100',
    };
    expectCode(await v2.post(f.dev, '/logistics/itemLogisticsPrice', example), 40401);
    const forged = { ...body(), itemId: tampered(encode('taobao-item', goods.itemId)) };
    expectCode(await v2.post(f.dev, '/logistics/itemLogisticsPrice', forged), 40401);
    // An order's opaque id is not one of goods.
    const order = { ...body(), itemId: encode('order', goods.itemId) };
    expectCode(await v2.post(f.dev, '/logistics/itemLogisticsPrice', order), 40401);
    expectCode(await v2.post(f.dev, '/logistics/itemLogisticsPrice', { ...body(), skuId: '999' }), 40401);
  });

  it('takes the opaque ids the v2 goods reads answer, and repeats them as sent', async () => {
    const product = ok(
      await f.get<{ itemId: string; skuList: { skuId: string }[] }>(
        f.dev,
        `/v2/taobao/product/get?itemId=${goods.itemId}`,
      ),
    );
    const skuId = encode('taobao-sku', goods.skuId);
    expect(product.itemId).toBe(encode('taobao-item', goods.itemId));
    expect(product.skuList.map((s) => s.skuId)).toContain(skuId);
    const sent = { ...body(), itemId: product.itemId, skuId };
    const two = ok(await v2.post<Estimate>(f.dev, '/logistics/itemLogisticsPrice', sent));
    expect(two).toMatchObject({ itemId: product.itemId, skuId, quantity: 3 });
    const { itemId: _i, skuId: _s, ...rest } = two;
    const {
      itemId: _j,
      skuId: _t,
      ...v1Rest
    } = ok(await v1.post<Estimate>(f.dev, '/logistics/itemLogisticsPrice', body()));
    expect(rest).toEqual(v1Rest);
  });

  it('takes the system parameters in the query', async () => {
    const r = await querySigned<Estimate>(f.dev, '/v2/open/pp/logistics/itemLogisticsPrice', body());
    expect(r.code).toBe(200);
    expect(r.data.itemId).toBe(goods.itemId);
  });
});

describe('W2, W4 and the parcels on v2', () => {
  let preview: Preview;
  let parcel: Parcel;

  it('previews as v1 does: a renderId to book, the lines by the marketplace’s ids', async () => {
    preview = ok(await v2.post<Preview>(f.dev, '/logistics/orderRenderFreight', renderBody(goods)));
    expect(preview.renderId).toMatch(/^FF[0-9]+$/);
    expect(preview.renderItems).toMatchObject([
      { itemId: goods.itemId, skuId: goods.skuId, quantity: 1, available: true, freightInfo: { serviceId: '1' } },
    ]);
    expect(preview.renderItems[0]?.parcel).toEqual(goods.parcel(1));
    expect(preview.estimate).toBe(preview.renderItems[0]?.quotes[0]?.freight);
    expect(preview.estimate).toBeGreaterThan(0);
    const one = ok(await v1.post<Preview>(f.dev, '/logistics/orderRenderFreight', renderBody(goods)));
    const { renderId: _a, expireTime: _b, ...same } = preview;
    expect(one).toMatchObject(same);
    expect(one.renderId).not.toBe(preview.renderId);
  });

  it('books the preview, charged once, and answers the parcel as v1 reads it', async () => {
    const before = await f.balance(f.dev);
    const booked = ok(await v2.post<Booking>(f.dev, '/logistics/orderBookingFreight', { renderId: preview.renderId }));
    expect(booked.renderId).toBe(preview.renderId);
    expect(booked.parcels).toHaveLength(1);
    parcel = booked.parcels[0] as Parcel;
    expect(parcel).toMatchObject({
      parcelId: expect.stringMatching(/^PP[0-9]+$/),
      renderId: preview.renderId,
      status: 'booked',
      estimate: preview.estimate,
      lines: [{ itemId: goods.itemId, skuId: goods.skuId, quantity: 1, estimate: preview.estimate }],
    });
    expect(await f.balance(f.dev)).toBe(before - (preview.estimate as number));
    // A repeat answers the same parcel and charges nothing more.
    const again = ok(await v2.post<Booking>(f.dev, '/logistics/orderBookingFreight', { renderId: preview.renderId }));
    expect(again.parcels.map((p) => p.parcelId)).toEqual([parcel.parcelId]);
    expect(await f.balance(f.dev)).toBe(before - (preview.estimate as number));
    expect(ok(await f.parcel(f.dev, parcel.parcelId))).toEqual(parcel);
  });

  it('lists and reads the parcels as v1 does', async () => {
    const page = ok(
      await v2.get<{ total: number; list: Parcel[] }>(f.dev, `/logistics/parcels?renderId=${preview.renderId}`),
    );
    expect(page.total).toBe(1);
    expect(page.list).toEqual([parcel]);
    expect(ok(await v2.get<Parcel>(f.dev, `/logistics/parcels/${parcel.parcelId}`))).toEqual(parcel);
    expectCode(await v2.get(f.dev, '/logistics/parcels/PP1'), 40401);
    expectCode(await v2.get(f.other, `/logistics/parcels/${parcel.parcelId}`), 40401);
  });

  it('cancels a parcel, its estimate refunded once', async () => {
    const before = await f.balance(f.dev);
    expectCode(await v2.post(f.other, `/logistics/parcels/${parcel.parcelId}/cancel`, {}), 40401);
    const cancelled = ok(await v2.post<Parcel>(f.dev, `/logistics/parcels/${parcel.parcelId}/cancel`, {}));
    expect(cancelled).toMatchObject({ parcelId: parcel.parcelId, status: 'cancelled' });
    expect(cancelled.transactions.cancellation).not.toBeNull();
    expect(await f.balance(f.dev)).toBe(before + parcel.estimate);
    const again = ok(await v2.post<Parcel>(f.dev, `/logistics/parcels/${parcel.parcelId}/cancel`, {}));
    expect(again.status).toBe('cancelled');
    expect(await f.balance(f.dev)).toBe(before + parcel.estimate);
    expect(ok(await f.parcel(f.dev, parcel.parcelId))).toEqual(again);
  });

  it('answers the documented examples as published: their ids name nothing (40401)', async () => {
    expectCode(await v2.post(f.dev, '/logistics/orderRenderFreight', W2_EXAMPLE), 40401);
    expectCode(await v2.post(f.dev, '/logistics/orderBookingFreight', W4_EXAMPLE), 40401);
  });

  it('takes the system parameters in the query for W2 and W4', async () => {
    const previewed = await querySigned<Preview>(f.dev, '/v2/open/pp/logistics/orderRenderFreight', renderBody(goods));
    expect(previewed.code).toBe(200);
    expect(previewed.data.renderId).not.toBe(preview.renderId);
    const booked = await querySigned<Booking>(f.dev, '/v2/open/pp/logistics/orderBookingFreight', {
      renderId: previewed.data.renderId,
    });
    expect(booked.code).toBe(200);
    expect(booked.data.parcels).toMatchObject([{ renderId: previewed.data.renderId, status: 'booked' }]);
  });
});

describe('W3 on v2: POST /v2/open/pp/logistics/updateLogisticInfo', () => {
  let order: TaobaoOrder;
  let line: TaobaoOrder['subPurchaseOrders'][number]['orderLines'][number];
  let first: W3Answer;

  const w3 = (orderId: string, trackingNo = 'JT0002223334') => ({
    orderId,
    tmallOrderId: 'TM-888',
    logisticInfos: [
      {
        lineItem: { itemId: line.itemId, skuId: line.skuId, quantity: null },
        logisticNumer: null,
        domesticLogisticInfo: [{ logisticNumer: trackingNo, logisticCompanyName: '极兔', rtsTime: 1754342534 }],
      },
    ],
  });

  beforeAll(async () => {
    const created = await f.create(f.dev, [{ sku: f.skus[2] as never }]);
    expect(created.body.code, created.text).toBe(200);
    order = await f.detail(f.dev, created.body.data.orderId);
    line = order.subPurchaseOrders[0]?.orderLines[0] as typeof line;
  });

  it('takes the order’s opaque id and answers the order and its line as opaque ids', async () => {
    first = ok(await v2.post<W3Answer>(f.dev, '/logistics/updateLogisticInfo', w3(encode('order', order.orderId))));
    expect(first.orderId).toMatch(OPAQUE);
    expect(first.orderId).toBe(encode('order', order.orderId));
    expect(first.created).toBe(1);
    expect(first.items).toHaveLength(1);
    const [item] = first.items;
    expect(item).toMatchObject({
      itemId: expect.stringMatching(/^WI[0-9]+$/),
      status: 'expected',
      source: 'order',
      platform: 'taobao',
      orderId: encode('order', order.orderId),
      lineId: encode('order-line', line.purchaseOrderLineId),
      externalOrderId: 'TM-888',
      productId: line.itemId,
      skuId: line.skuId,
      trackingNo: 'JT0002223334',
    });
    expect(item?.lineId).toMatch(OPAQUE);
    expect(item?.lineId).not.toBe(line.purchaseOrderLineId);
  });

  it('takes the v1 id too; a repeat records nothing more, and v1 answers the v1 ids', async () => {
    const again = ok(await v2.post<W3Answer>(f.dev, '/logistics/updateLogisticInfo', w3(order.orderId)));
    expect(again).toEqual({ ...first, created: 0, items: again.items });
    expect(again.items.map((i) => [i.itemId, i.orderId, i.lineId])).toEqual(
      first.items.map((i) => [i.itemId, i.orderId, i.lineId]),
    );
    const one = ok(await v1.post<W3Answer>(f.dev, '/logistics/updateLogisticInfo', w3(order.orderId)));
    expect(one.orderId).toBe(order.orderId);
    expect(one.items.map((i) => [i.itemId, i.orderId, i.lineId])).toEqual([
      [first.items[0]?.itemId, order.orderId, line.purchaseOrderLineId],
    ]);
  });

  it('answers 40401 for an opaque order id made by no one, recording nothing', async () => {
    const forged = tampered(encode('order', order.orderId));
    expectCode(await v2.post(f.dev, '/logistics/updateLogisticInfo', w3(forged, 'JT0009998887')), 40401);
    // An order-line id is not an order id.
    const line2 = encode('order-line', line.purchaseOrderLineId);
    expectCode(await v2.post(f.dev, '/logistics/updateLogisticInfo', w3(line2, 'JT0009998887')), 40401);
    const none = ok(await v1.get<{ total: number }>(f.dev, '/warehouse/items?trackingNo=JT0009998887'));
    expect(none.total).toBe(0);
  });

  it('accepts the documented example as published: goods of your own under your reference', async () => {
    const r = ok(await v2.post<W3Answer>(f.dev, '/logistics/updateLogisticInfo', W3_EXAMPLE));
    expect(r).toMatchObject({ orderId: null, created: 2 });
    expect(r.items).toMatchObject([
      { source: 'developer', orderId: null, lineId: null, externalOrderId: '21', trackingNo: 'SF1234521212678' },
      { source: 'developer', orderId: null, lineId: null, externalOrderId: '21', trackingNo: 'YT122323345678' },
    ]);
  });

  it('takes the system parameters in the query', async () => {
    const r = await querySigned<W3Answer>(f.dev, '/v2/open/pp/logistics/updateLogisticInfo', {
      ...W3_EXAMPLE,
      orderId: 'query-signed-v2',
    });
    expect(r).toMatchObject({ code: 200, data: { orderId: null, created: 2 } });
  });
});

describe('warehouse items on v2: GET /v2/open/pp/warehouse/items[/{itemId}]', () => {
  let itemId: string;
  let v1Item: Item & { history: History[] };

  beforeAll(async () => {
    itemId = await f.storedItem(f.dev, f.skus[1] as never);
    v1Item = ok(await v1.get<Item & { history: History[] }>(f.dev, `/warehouse/items/${itemId}`));
    expect(v1Item.orderId).toMatch(/^[0-9]+$/);
    expect(v1Item.lineId).toMatch(/^[0-9]+$/);
  }, 60_000);

  it('reads an item with its order and line as opaque ids, the rest as v1 reads it', async () => {
    const two = ok(await v2.get<Item & { history: History[] }>(f.dev, `/warehouse/items/${itemId}`));
    expect(two.orderId).toMatch(OPAQUE);
    expect(two.orderId).toBe(encode('order', v1Item.orderId as string));
    expect(two.lineId).toMatch(OPAQUE);
    expect(two.lineId).toBe(encode('order-line', v1Item.lineId as string));
    expect(two).toMatchObject({ itemId, status: 'stored', productId: v1Item.productId, skuId: v1Item.skuId });
    expect(two.history.map((h) => [h.from, h.to, h.cause])).toEqual(v1Item.history.map((h) => [h.from, h.to, h.cause]));
    const { orderId: _o, lineId: _l, photos: _p, ...rest } = v1Item;
    expect(two).toMatchObject(rest);
    expectCode(await v2.get(f.dev, '/warehouse/items/WI1'), 40401);
    expectCode(await v2.get(f.other, `/warehouse/items/${itemId}`), 40401);
  });

  it('lists the items of an order by its opaque id or its v1 id', async () => {
    const opaque = encode('order', v1Item.orderId as string);
    const byOpaque = ok(await v2.get<{ total: number; list: Item[] }>(f.dev, `/warehouse/items?orderId=${opaque}`));
    expect(byOpaque.total).toBe(1);
    expect(byOpaque.list.map((i) => [i.itemId, i.orderId, i.lineId])).toEqual([
      [itemId, opaque, encode('order-line', v1Item.lineId as string)],
    ]);
    const byV1 = ok(await v2.get<{ total: number; list: Item[] }>(f.dev, `/warehouse/items?orderId=${v1Item.orderId}`));
    expect(byV1.list.map((i) => i.itemId)).toEqual([itemId]);
    expect(byV1.list[0]?.orderId).toBe(opaque);
    // The W3 reference finds its goods as on v1.
    const byReference = ok(await v2.get<{ total: number; list: Item[] }>(f.dev, '/warehouse/items?orderId=21'));
    expect(byReference.list.map((i) => i.externalOrderId)).toEqual(['21', '21']);
    expectCode(await v2.get(f.dev, `/warehouse/items?orderId=${tampered(opaque)}`), 40401);
  });
});
