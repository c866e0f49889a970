import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ORDER_ADDRESS, T30_EXAMPLE } from '../carts/cart-harness.js';
import { expectCode, type Sku, startTaobaoServer, type TaobaoServer } from '../orders/taobao-fixtures.js';
import { findOnV2, OPAQUE, tampered, type V2Sku } from './taobao-v2.js';

/** A Taobao cart record (T30, T28, T31); on v2 its goods ids are opaque strings. */
interface Item {
  id: string;
  itemId: number | string;
  skuId: string;
  mpId: string | null;
  mpSkuId: string | null;
  quantity: number;
  promotionPrice: number;
  reason: string | null;
}

interface List {
  shopList: { shopId: number; items: Item[] }[];
  invalidList: Item[];
  total: number;
}

interface Preview {
  groups: { shopId: number; lines: (Item & { unitPrice: number; amount: number })[]; totalAmount: number }[];
  totalAmount: number;
  canOrder: boolean;
}

/** PandaPon's v2 cart add: the v1 body with `itemMapId` for `itemId`, and the fields only v2 has. */
const V2_EXTRA = { aliShopId: '42', priceRanges: [{ startQuantity: 1, price: 576 }], quoteType: 1 };
const { itemId: exampleItemId, ...exampleRest } = T30_EXAMPLE;
const V2_EXAMPLE = { ...exampleRest, itemMapId: String(exampleItemId), ...V2_EXTRA };

describe('the Taobao cart on v2 (T27–T31)', () => {
  let t: TaobaoServer;
  let a: Sku;
  let b: Sku;
  let va: V2Sku;
  let vb: V2Sku;
  let record: string;
  beforeAll(async () => {
    t = await startTaobaoServer();
    [a, b] = t.skus as [Sku, Sku];
    va = await findOnV2(t.server, t.sub, a);
    vb = await findOnV2(t.server, t.sub, b);
  });
  afterAll(() => t.close());

  const encode = (kind: Parameters<typeof t.server.deps.opaqueIds.encode>[0], id: string | number | null) =>
    id === null ? null : t.server.deps.opaqueIds.encode(kind, String(id));
  /** A v1 record as v2 answers it. */
  const asV2 = (item: Item): Item => ({
    ...item,
    itemId: encode('taobao-item', item.itemId) as string,
    skuId: encode('taobao-sku', item.skuId) as string,
    mpId: encode('taobao-mp', item.mpId),
    mpSkuId: encode('taobao-mp-sku', item.mpSkuId),
  });
  const add = (body: unknown, version: 'v1' | 'v2' = 'v2') =>
    t.post<Item>(t.sub, version === 'v2' ? '/v2/taobao/cart/add' : '/open/cart/add', body);
  const list = async (version: 'v1' | 'v2') => {
    const r = await t.get<List>(t.sub, version === 'v2' ? '/v2/taobao/cart/list' : '/open/cart/list');
    expect(r.body.code, r.text).toBe(200);
    return r.body.data;
  };
  const v2Body = (sku: V2Sku, quantity: number) => ({
    ...exampleRest,
    itemMapId: sku.itemId,
    skuId: sku.skuId,
    mpId: sku.mpId,
    mpSkuId: sku.mpSkuId,
    quantity,
    ...V2_EXTRA,
  });

  it('adds with PandaPon’s v2 body (itemMapId, aliShopId, priceRanges, quoteType) and answers opaque ids', async () => {
    const r = await add(v2Body(va, 2));
    expect(r.body.code, r.text).toBe(200);
    const item = r.body.data;
    expect(item.id).toMatch(/^[0-9]{1,20}$/);
    expect(item).toMatchObject({
      itemId: t.server.deps.opaqueIds.encode('taobao-item', a.itemId),
      skuId: va.skuId,
      mpId: va.mpId,
      mpSkuId: va.mpSkuId,
      quantity: 2,
      // Priced from the market, not from the client's copy or its price ranges.
      promotionPrice: a.priceFen,
    });
    expect(item.itemId).toBe(va.itemId);
    record = item.id;
    // The same record on v1, with its v1 ids.
    const v1 = (await list('v1')).shopList.flatMap((s) => s.items).find((i) => i.id === record);
    expect(v1).toMatchObject({ itemId: Number(a.itemId), skuId: a.skuId, mpId: a.mpId, mpSkuId: a.mpSkuId });
  });

  it('takes v1 ids on v2 too (a numeric itemMapId as PandaPon’s examples send): the same record', async () => {
    const r = await add({ itemMapId: Number(a.itemId), mpId: a.mpId, mpSkuId: a.mpSkuId, skuId: a.skuId });
    expect(r.body.code, r.text).toBe(200);
    expect(r.body.data).toMatchObject({ id: record, quantity: 3, itemId: va.itemId, mpSkuId: va.mpSkuId });
  });

  it('answers the documented v2 example, whose goods are unknown, with 40401, never 40001', async () => {
    expectCode(await add(V2_EXAMPLE), 40401);
    expectCode(await add({ ...V2_EXAMPLE, itemMapId: exampleItemId }), 40401);
  });

  it('answers 40401 for a changed opaque id, or one of another kind, and keeps the cart as it was', async () => {
    const before = await list('v1');
    for (const body of [
      { ...v2Body(va, 1), mpId: tampered(va.mpId) },
      { ...v2Body(va, 1), mpSkuId: tampered(va.mpSkuId) },
      { ...v2Body(va, 1), itemMapId: tampered(va.itemId) },
      { ...v2Body(va, 1), skuId: tampered(va.skuId) },
      // An item's opaque id is not a distribution product's.
      { ...v2Body(va, 1), mpId: va.itemId },
    ]) {
      expectCode(await add(body), 40401);
    }
    expect(await list('v1')).toEqual(before);
  });

  it('names the fields as each version does: itemMapId and the extras on v2 only', async () => {
    expectCode(await add({ ...v2Body(va, 1), itemMapId: undefined, itemId: a.itemId }), 40001, 'itemId');
    const ranges = [{ startQuantity: -1, price: 576 }];
    expectCode(await add({ ...v2Body(va, 1), priceRanges: ranges }), 40001, 'priceRanges[0].startQuantity');
    expectCode(await add({ mpId: a.mpId, mpSkuId: a.mpSkuId, itemMapId: a.itemId }, 'v1'), 40001, 'itemMapId');
    expectCode(await add({ mpId: a.mpId, mpSkuId: a.mpSkuId, aliShopId: '42' }, 'v1'), 40001, 'aliShopId');
  });

  it('lists the cart with opaque ids: the v1 list with its goods ids opaque (T28)', async () => {
    const added = await add(v2Body(vb, 1));
    expect(added.body.code, added.text).toBe(200);
    const v1 = await list('v1');
    const v2 = await list('v2');
    expect(v1.total).toBe(2);
    expect(v2).toEqual({
      ...v1,
      shopList: v1.shopList.map((s) => ({ ...s, items: s.items.map(asV2) })),
      invalidList: v1.invalidList.map(asV2),
    });
    for (const item of v2.shopList.flatMap((s) => s.items)) {
      for (const id of [item.itemId, item.skuId, item.mpId, item.mpSkuId]) expect(id).toMatch(OPAQUE);
    }
  });

  it('edits a record’s quantity on v2, answering it with opaque ids (T31)', async () => {
    const r = await t.post<Item>(t.sub, '/v2/taobao/cart/update/quantity', { id: record, quantity: 5 });
    expect(r.body.code, r.text).toBe(200);
    expect(r.body.data).toMatchObject({ id: record, quantity: 5, itemId: va.itemId, skuId: va.skuId });
    const v1 = (await list('v1')).shopList.flatMap((s) => s.items).find((i) => i.id === record);
    expect(v1?.quantity).toBe(5);
    expectCode(
      await t.post(t.sub, '/v2/taobao/cart/update/quantity', { id: '1795432287562383360', quantity: 1 }),
      40401,
    );
  });

  it('previews the records on v2: the v1 preview’s amounts, with opaque goods ids (T27)', async () => {
    const ids = (await list('v1')).shopList.flatMap((s) => s.items.map((i) => i.id));
    const body = { ids, orderAddress: ORDER_ADDRESS };
    const v1 = await t.post<Preview>(t.sub, '/open/cart/preview/order', body);
    const v2 = await t.post<Preview>(t.sub, '/v2/taobao/cart/preview/order', body);
    expect(v2.body.code, v2.text).toBe(200);
    expect(v2.body.data).toEqual({
      ...v1.body.data,
      groups: v1.body.data.groups.map((g) => ({ ...g, lines: g.lines.map(asV2) })),
    });
    expect(v2.body.data.canOrder).toBe(true);
    const lines = v2.body.data.groups.flatMap((g) => g.lines);
    expect(lines.map((l) => l.itemId).sort()).toEqual([va.itemId, vb.itemId].sort());
    expect(lines.find((l) => l.id === record)?.amount).toBe(5 * a.priceFen);
  });

  it('deletes records on v2 (T29): cart ids are plain on both versions', async () => {
    const other = (await list('v1')).shopList.flatMap((s) => s.items).find((i) => i.id !== record);
    if (!other) throw new Error('a second record');
    const r = await t.post<{ ids: string[] }>(t.sub, '/v2/taobao/cart/delete', { ids: [other.id] });
    expect(r.body.code, r.text).toBe(200);
    expect(r.body.data.ids).toEqual([other.id]);
    const left = await list('v2');
    expect(left.total).toBe(1);
    expect(left.shopList.flatMap((s) => s.items.map((i) => i.id))).toEqual([record]);
    expectCode(await t.post(t.sub, '/v2/taobao/cart/delete', { ids: [other.id] }), 40401);
  });
});
