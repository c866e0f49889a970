import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OpaqueKind } from '../../../src/platform/crypto/opaque-ids.js';
import type { Credentials } from '../../harness.js';
import type { AlibabaItem, AlibabaList } from '../carts/cart-harness.js';
import { ADDRESS, type Offer, type OrdersServer, startOrdersServer } from '../orders/alibaba-fixtures.js';
import {
  type BatchResult,
  expectNotFound,
  expectOpaque,
  ok,
  type Preview,
  tamper,
  type V2CartItem,
  type V2CartList,
  v1Of,
} from './alibaba-buying-fixtures.js';

/** The 1688 cart on v2 (A26–A31): v2's names (`offerMapId`), opaque offer, spec and SKU ids; cart ids plain. */
describe('the 1688 cart on v2', () => {
  let s: OrdersServer;
  let dev: Credentials;
  let moq: Offer;
  let a: Offer;
  let b: Offer;
  let c: Offer;
  beforeAll(async () => {
    s = await startOrdersServer();
    dev = await s.server.createDeveloper('v2 cart');
    // The first offer needs more than one unit; the others are of distinct suppliers.
    [moq, a, b, c] = s.offers as [Offer, Offer, Offer, Offer];
  });
  afterAll(() => s.close());

  /** The quantity of the first offer's record, once added twice. */
  const aQuantity = () => a.minOrderQuantity + 1;
  const encode = (kind: OpaqueKind, id: string) => s.server.deps.opaqueIds.encode(kind, id);
  const add = (body: unknown) => s.post<V2CartItem>(dev, '/v2/alibaba/cart/add', body);
  const list = async () => ok(await s.get<V2CartList>(dev, '/v2/alibaba/cart/list'));
  const items = (l: V2CartList) => [...l.enableList, ...l.disableList].flatMap((x) => x.cartItemInfos);

  /** The item is the offer's specification, its ids opaque and named as v2 names them. */
  const expectItemOf = (item: V2CartItem, offer: Offer) => {
    expectOpaque(s.server, 'alibaba-offer', item.offerMapId, offer.offerId);
    expectOpaque(s.server, 'alibaba-spec', item.specId, offer.specId);
    expectOpaque(s.server, 'alibaba-sku', item.skuId, offer.specId);
    expect(item).not.toHaveProperty('offerId');
    // Cart ids are no goods or order ids: plain on both versions.
    expect(item.id).toMatch(/^[0-9]+$/);
  };

  it('adds by v1 ids and by opaque ids, and answers the item with opaque ids', async () => {
    const first = ok(await add({ offerId: Number(a.offerId), specId: a.specId, quantity: a.minOrderQuantity }));
    expectItemOf(first, a);
    expect(first).toMatchObject({ quantity: a.minOrderQuantity, sellerOpenId: a.sellerOpenId, reason: null });
    // The answer's ids are what the next request takes: the same record grows.
    const again = ok(await add({ offerId: first.offerMapId, specId: first.specId, quantity: 1 }));
    expect(again).toMatchObject({
      id: first.id,
      offerMapId: first.offerMapId,
      specId: first.specId,
      quantity: aQuantity(),
    });
    // v1 answers the same record with its v1 ids.
    const v1 = ok(await s.get<AlibabaList>(dev, '/alibaba/cart/list'));
    const same = v1.enableList.flatMap((x) => x.cartItemInfos).find((i) => i.id === first.id);
    expect(same).toMatchObject({
      offerId: Number(a.offerId),
      specId: a.specId,
      skuId: Number(a.specId),
      quantity: aQuantity(),
    });
  });

  it('lists `AlibabaCartV2VO` by supplier, with `offerMapId` and opaque ids, the values v1 lists', async () => {
    const low = ok(await add({ offerId: encode('alibaba-offer', moq.offerId), specId: moq.specId, quantity: 1 }));
    ok(await add({ offerId: b.offerId, specId: encode('alibaba-spec', b.specId), quantity: b.minOrderQuantity }));
    const l = await list();
    const seller = l.disableList.find((x) => x.cartItemInfos.some((i) => i.id === low.id));
    expect(seller?.sellerOpenId).toBe(moq.sellerOpenId);
    const disabled = seller?.cartItemInfos.find((i) => i.id === low.id) as V2CartItem;
    expectItemOf(disabled, moq);
    expect(disabled.reason).toBe('below_min_quantity');
    for (const shop of l.enableList) {
      for (const item of shop.cartItemInfos) {
        expectItemOf(item, [a, b].find((o) => o.sellerOpenId === shop.sellerOpenId) as Offer);
        expect(Object.keys(item)).toEqual(expect.arrayContaining(['id', 'offerMapId', 'specId', 'skuId', 'itemTitle']));
        expect(Object.keys(item)).toEqual(expect.arrayContaining(['itemPic', 'price', 'quantity', 'amountOnSale']));
        expect(Object.keys(item)).toContain('properties');
      }
    }
    // Item for item, the v1 list with v1 ids.
    const v1 = ok(await s.get<AlibabaList>(dev, '/alibaba/cart/list'));
    const v1Items = [...v1.enableList, ...v1.disableList].flatMap((x) => x.cartItemInfos);
    expect(items(l).map((i) => i.id)).toEqual(v1Items.map((i) => i.id));
    for (const [i, item] of items(l).entries()) {
      const old = v1Items[i] as AlibabaItem;
      expect(v1Of(s.server, 'alibaba-offer', item.offerMapId)).toBe(String(old.offerId));
      expect({ ...item, offerMapId: 0, specId: 0, skuId: 0 }).toEqual({
        ...old,
        offerId: undefined,
        offerMapId: 0,
        specId: 0,
        skuId: 0,
      });
    }
  });

  it('edits the quantity and deletes by cart id, answering opaque ids', async () => {
    const item = ok(await add({ offerId: c.offerId, specId: c.specId, quantity: c.minOrderQuantity }));
    const set = ok(await s.post<V2CartItem>(dev, '/v2/alibaba/cart/update/quantity', { cartId: item.id, quantity: 4 }));
    expectItemOf(set, c);
    expect(set).toMatchObject({ id: item.id, quantity: 4 });
    expect(items(await list()).find((i) => i.id === item.id)?.quantity).toBe(4);
    expectNotFound(
      await s.post(dev, '/v2/alibaba/cart/update/quantity', { cartId: '1795432287562383360', quantity: 2 }),
    );

    const del = ok(await s.post<{ cartIds: string[] }>(dev, '/v2/alibaba/cart/delete', { cartIds: [item.id] }));
    expect(del.cartIds).toEqual([item.id]);
    expect(items(await list()).map((i) => i.id)).not.toContain(item.id);
    expectNotFound(await s.post(dev, '/v2/alibaba/cart/delete', { cartIds: [item.id] }));
  });

  it('previews cart items in 1688’s structure, the v1 preview’s figures with opaque ids', async () => {
    const ids = items(await list())
      .filter((i) => i.reason === null)
      .map((i) => i.id);
    expect(ids).toHaveLength(2);
    const p = ok(await s.post<Preview>(dev, '/v2/alibaba/cart/preview/order', { cartIds: ids, addressParam: ADDRESS }));
    expect(p.success).toBe(true);
    const lines = p.orderPreviewResuslt.flatMap((r) => r.cargoList);
    for (const offer of [a, b]) {
      const line = lines.find((l) => l.offerId === encode('alibaba-offer', offer.offerId));
      expectOpaque(s.server, 'alibaba-spec', line?.specId, offer.specId);
    }
    const v1 = ok(await s.post<Preview>(dev, '/alibaba/cart/preview/order', { cartIds: ids, addressParam: ADDRESS }));
    expect(v1.orderPreviewResuslt.flatMap((r) => r.cargoList).map((l) => [String(l.offerId), l.specId])).toEqual(
      lines.map((l) => [v1Of(s.server, 'alibaba-offer', l.offerId), v1Of(s.server, 'alibaba-spec', l.specId ?? '')]),
    );
    const figures = (x: Preview) => x.orderPreviewResuslt.map((r) => [r.sellerOpenId, r.sumPayment, r.sumCarriage]);
    expect(figures(p)).toEqual(figures(v1));
    // The documented body as-is: unknown cart ids answer 40401.
    expectNotFound(await s.post(dev, '/v2/alibaba/cart/preview/order', { addressParam: ADDRESS, cartIds: [1, 2] }));
  });

  it('answers 40401 for a changed opaque id, or one of another kind, never 40001', async () => {
    const offer = encode('alibaba-offer', a.offerId);
    const spec = encode('alibaba-spec', a.specId);
    expectNotFound(await add({ offerId: tamper(offer), specId: spec, quantity: 1 }));
    expectNotFound(await add({ offerId: offer, specId: tamper(spec), quantity: 1 }));
    expectNotFound(await add({ offerId: encode('order', a.offerId), specId: spec, quantity: 1 }));
    expectNotFound(await add({ offerId: offer, specId: encode('alibaba-sku', a.specId), quantity: 1 }));
    expect(items(await list()).find((i) => i.offerMapId === offer)?.quantity).toBe(aQuantity());
  });

  it('orders cart records (A26): one order per supplier, opaque order and offer ids, the rest kept', async () => {
    const before = items(await list());
    const low = before.find((i) => i.reason !== null) as V2CartItem;
    const r = ok(
      await s.post<BatchResult>(
        dev,
        '/v2/alibaba/cart/create/order',
        {
          flow: 'general',
          message: '尽快',
          addressParam: ADDRESS,
          cartIds: before.map((i) => i.id),
          staffName: '小王',
        },
        { 'idempotency-key': 'v2-cart-order' },
      ),
    );
    expect(r.successOrderList.map((o) => o.sellerOpenId).sort()).toEqual([a.sellerOpenId, b.sellerOpenId].sort());
    for (const o of r.successOrderList) {
      const offer = [a, b].find((x) => x.sellerOpenId === o.sellerOpenId) as Offer;
      expect(o.offerIds).toEqual([encode('alibaba-offer', offer.offerId)]);
      const id = v1Of(s.server, 'order', o.orderId);
      expectOpaque(s.server, 'order', o.orderId, id);
      expect((await s.detail(dev, id)).baseInfo).toMatchObject({ id, status: 'waitbuyerpay', remark: '尽快' });
    }
    // Below its minimum, the first offer's record failed and stays in the cart.
    expect(r.failedOrderList).toEqual([
      expect.objectContaining({
        sellerOpenId: moq.sellerOpenId,
        offerIds: [encode('alibaba-offer', moq.offerId)],
        errorCode: 42202,
      }),
    ]);
    expect(items(await list()).map((i) => i.id)).toEqual([low.id]);
    // The key replays the same answer.
    const again = await s.post<BatchResult>(
      dev,
      '/v2/alibaba/cart/create/order',
      { flow: 'general', message: '尽快', addressParam: ADDRESS, cartIds: before.map((i) => i.id), staffName: '小王' },
      { 'idempotency-key': 'v2-cart-order' },
    );
    expect(ok(again)).toEqual(r);
  });
});
