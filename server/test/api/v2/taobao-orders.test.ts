import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Credentials } from '../../harness.js';
import {
  expectCode,
  RECEIVER,
  type Sku,
  startTaobaoServer,
  T7_EXAMPLE,
  type TaobaoOrder,
  type TaobaoServer,
} from '../orders/taobao-fixtures.js';
import { picture } from '../payments/payments-fixtures.js';
import { asV2Order, findOnV2, OPAQUE, tampered, type V2Line, type V2Sku, v1Of } from './taobao-v2.js';

interface Pay {
  orderId: string;
  payStatus: string;
  paidAmount: number;
  balance: number;
  alreadyPaid: boolean;
  order: TaobaoOrder;
}

interface Logistics {
  subPurchaseOrderId: string;
  purchaseOrderOuterId: string;
  pnmLogisticsDetails: {
    mailNo: string;
    logisticsTraces: { status: string }[];
    logisticsGoods: { quantity: number }[];
  }[];
}

interface Page {
  list: TaobaoOrder[];
  total: number;
  pageNo: number;
  pageSize: number;
}

const lines = (o: TaobaoOrder) => o.subPurchaseOrders.flatMap((p) => p.orderLines) as V2Line[];

/**
 * A Taobao purchase through v2 only, from the goods found on v2 to the parcels: every id a v2 client sends is one
 * a v2 answer gave it (or a v1 id), and every id of an order, its parts, its lines and its goods it receives is
 * opaque, the v1 answer for the same object carrying the v1 id.
 */
describe('the Taobao buying flow on v2 (T7–T15, T26)', () => {
  let t: TaobaoServer;
  let skus: [Sku, Sku, Sku];
  let v2: [V2Sku, V2Sku, V2Sku];
  /** Ordered from the cart, then paid, shipped and traced. */
  let cartOrder: TaobaoOrder;
  /** Ordered from `orderLineList`, then paid by a voucher. */
  let listOrder: TaobaoOrder;
  beforeAll(async () => {
    t = await startTaobaoServer();
    skus = t.skus.slice(0, 3) as [Sku, Sku, Sku];
    v2 = (await Promise.all(skus.map((s) => findOnV2(t.server, t.sub, s)))) as [V2Sku, V2Sku, V2Sku];
  });
  afterAll(() => t.close());

  const v2Get = (orderId: string, who: Credentials = t.sub) =>
    t.get<TaobaoOrder>(who, `/v2/taobao/order/get?orderId=${orderId}&language=en`);
  /** The v2 order and the v1 order it is, read one after the other. */
  const bothReads = async (v2Id: string) => {
    const r = await v2Get(v2Id);
    expect(r.body.code, r.text).toBe(200);
    return { v2: r.body.data, v1: await t.detail(t.sub, v1Of(t.server, 'order', v2Id)) };
  };
  const logistics = (id: string, version: 'v1' | 'v2' = 'v2') =>
    t.get<Logistics>(
      t.sub,
      `${version === 'v2' ? '/v2/taobao/order' : '/open/order'}/logistics/detail/get?subPurchaseOrderId=${id}`,
    );
  const createFromList = (body: Record<string, unknown>) => t.post<TaobaoOrder>(t.sub, '/v2/taobao/order', body);

  it('orders cart records added on v2 (T26): opaque ids in the order, the cart emptied', async () => {
    const [va, vb] = v2;
    const ids: string[] = [];
    for (const [sku, quantity] of [
      [va, 2],
      [vb, 1],
    ] as const) {
      const added = await t.post<{ id: string }>(t.sub, '/v2/taobao/cart/add', {
        itemMapId: sku.itemId,
        mpId: sku.mpId,
        mpSkuId: sku.mpSkuId,
        quantity,
      });
      expect(added.body.code, added.text).toBe(200);
      ids.push(added.body.data.id);
    }
    const created = await t.post<TaobaoOrder>(t.sub, '/v2/taobao/cart/create/order', { ids, orderAddress: RECEIVER });
    expect(created.body.code, created.text).toBe(200);
    cartOrder = created.body.data;
    expect(cartOrder).toMatchObject({ userId: t.sub.userId, status: 'WAIT_BUYER_PAY', receiver: RECEIVER });
    expect(cartOrder.subPurchaseOrders).toHaveLength(2);
    expect(
      lines(cartOrder)
        .map((l) => [l.itemId, l.skuId, l.mpId, l.mpSkuId, l.quantity])
        .sort(),
    ).toEqual(
      [
        [va.itemId, va.skuId, va.mpId, va.mpSkuId, 2],
        [vb.itemId, vb.skuId, vb.mpId, vb.mpSkuId, 1],
      ].sort(),
    );
    // Each id names the v1 order's part and line at the same place.
    const v1 = await t.detail(t.sub, v1Of(t.server, 'order', cartOrder.orderId));
    expect(cartOrder.subPurchaseOrders.map((p) => v1Of(t.server, 'order-part', p.subPurchaseOrderId))).toEqual(
      v1.subPurchaseOrders.map((p) => p.subPurchaseOrderId),
    );
    expect(lines(cartOrder).map((l) => v1Of(t.server, 'order-line', l.purchaseOrderLineId))).toEqual(
      v1.subPurchaseOrders.flatMap((p) => p.orderLines.map((l) => l.purchaseOrderLineId)),
    );
    const cart = await t.get<{ total: number }>(t.sub, '/v2/taobao/cart/list');
    expect(cart.body.data.total).toBe(0);
    expectCode(await t.post(t.sub, '/v2/taobao/cart/create/order', { ids, orderAddress: RECEIVER }), 40401);
  });

  it('reads the order by its opaque id or its v1 id (T14): the v1 answer with its ids opaque', async () => {
    const { v2: read, v1 } = await bothReads(cartOrder.orderId);
    expect(v1.orderId).toMatch(/^[0-9]+$/);
    expect(lines(v1)[0]?.itemId).toMatch(/^[0-9]+$/);
    expect(read).toEqual(asV2Order(t.server, v1));
    expect(read.orderId).toBe(cartOrder.orderId);
    const byV1Id = await v2Get(v1.orderId);
    expect(byV1Id.body.data).toEqual(read);
  });

  it('answers 40401 on every order route for a changed opaque id or one of another kind', async () => {
    const id = cartOrder.orderId;
    const part = cartOrder.subPurchaseOrders[0]?.subPurchaseOrderId as string;
    for (const wrong of [tampered(id), part, v2[0].itemId]) {
      expectCode(await v2Get(wrong), 40401);
      expectCode(await t.post(t.sub, '/v2/taobao/order/pay', { orderId: wrong }), 40401);
      expectCode(await t.post(t.sub, '/v2/taobao/order/cancel', { orderId: wrong }), 40401);
      const warehouse = { orderId: wrong, warehouseName: '一号仓库', warehouseAddress: '广西省' };
      expectCode(await t.post(t.sub, '/v2/taobao/order/updateWarehouse', warehouse), 40401);
    }
    expectCode(await logistics(tampered(part)), 40401);
    expectCode(await logistics(id), 40401);
    // Another sub-account's or developer's order, by its right opaque id.
    expectCode(await v2Get(id, t.sibling), 40401);
    expectCode(await v2Get(id, t.other), 40401);
    expect((await v2Get(cartOrder.orderId)).body.data.status).toBe('WAIT_BUYER_PAY');
  });

  it('creates an order from orderLineList with opaque ids in its JSON string, v1 ids beside (T7)', async () => {
    const [va, , vc] = v2;
    const [a] = skus;
    const r = await createFromList({
      orderLineList: JSON.stringify([
        { itemId: vc.itemId, skuId: vc.skuId, mpId: vc.mpId, mpSkuId: vc.mpSkuId, quantity: '2', orderLineNo: '1' },
        { itemId: a.itemId, skuId: a.skuId, quantity: 1, orderLineNo: '2' },
      ]),
      receiver: JSON.stringify(RECEIVER),
      sellerOrderNumber: 'V2-7',
      orderSource: 'lazada',
    });
    expect(r.body.code, r.text).toBe(200);
    listOrder = r.body.data;
    expect(listOrder.orderId).toMatch(OPAQUE);
    expect(listOrder).toMatchObject({ sellerOrderNumber: 'V2-7', status: 'WAIT_BUYER_PAY' });
    const byNo = Object.fromEntries(lines(listOrder).map((l) => [l.orderLineNo, l]));
    expect(byNo['1']).toMatchObject({ itemId: vc.itemId, skuId: vc.skuId, mpId: vc.mpId, mpSkuId: vc.mpSkuId });
    expect(byNo['1']?.quantity).toBe(2);
    expect(byNo['2']).toMatchObject({ itemId: va.itemId, skuId: va.skuId, mpId: null, mpSkuId: null });
    const { v2: read, v1 } = await bothReads(listOrder.orderId);
    expect(read).toEqual(asV2Order(t.server, v1));
    expect(
      lines(v1)
        .map((l) => l.itemId)
        .sort(),
    ).toEqual([skus[0].itemId, skus[2].itemId].sort());
  });

  it('answers 40401 for T7’s documented example and for changed ids in orderLineList, creating nothing', async () => {
    const [va] = v2;
    expectCode(await createFromList(T7_EXAMPLE), 40401);
    const line = { itemId: va.itemId, skuId: va.skuId, quantity: 1 };
    for (const wrong of [
      { ...line, itemId: tampered(va.itemId) },
      { ...line, skuId: tampered(va.skuId) },
      { ...line, skuId: va.itemId },
      { ...line, mpId: va.mpSkuId },
    ]) {
      expectCode(await createFromList({ orderLineList: [wrong], receiver: RECEIVER }), 40401);
    }
    const page = await t.post<Page>(t.sub, '/v2/taobao/order/page', { pageSize: 50 });
    expect(page.body.data.total).toBe(2);
  });

  it('pages the orders with the query’s fields in a JSON body (T8): the v1 page with its ids opaque', async () => {
    const r = await t.post<Page>(t.sub, '/v2/taobao/order/page', { pageNo: 1, pageSize: 50, language: 'en' });
    expect(r.body.code, r.text).toBe(200);
    expect(r.body.data.list.map((o) => o.orderId)).toEqual([listOrder.orderId, cartOrder.orderId]);
    const v1 = await t.get<Page>(t.sub, '/open/order/page?pageNo=1&pageSize=50&language=en');
    expect(r.body.data).toEqual({ ...v1.body.data, list: v1.body.data.list.map((o) => asV2Order(t.server, o)) });
    const filtered = await t.post<Page>(t.sub, '/v2/taobao/order/page', {
      sellerOrderNumber: 'V2-7',
      status: 'WAIT_BUYER_PAY',
    });
    expect(filtered.body.data.list.map((o) => o.orderId)).toEqual([listOrder.orderId]);
    expectCode(await t.post(t.sub, '/v2/taobao/order/page', { status: 'PAID' }), 40001, 'status');
  });

  it('traces a sub purchase order by its opaque id (T15): no parcel before shipping; the example is 40401', async () => {
    const part = cartOrder.subPurchaseOrders[0];
    if (!part) throw new Error('a sub purchase order');
    const r = await logistics(part.subPurchaseOrderId);
    expect(r.body.code, r.text).toBe(200);
    expect(r.body.data).toEqual({
      subPurchaseOrderId: part.subPurchaseOrderId,
      purchaseOrderOuterId: part.purchaseOrderOuterId,
      pnmLogisticsDetails: [],
    });
    const v1Id = v1Of(t.server, 'order-part', part.subPurchaseOrderId);
    expect((await logistics(v1Id)).body.data).toEqual(r.body.data);
    expect((await logistics(v1Id, 'v1')).body.data.subPurchaseOrderId).toBe(v1Id);
    expectCode(await logistics('200048859480'), 40401);
  });

  it('pays from the balance by the opaque id (T12), answering the paid order with opaque ids', async () => {
    await t.topUp(t.dev.developId, cartOrder.totalPrice + 500);
    const before = await t.balance(t.dev);
    const paid = await t.post<Pay>(t.sub, '/v2/taobao/order/pay', { orderId: cartOrder.orderId });
    expect(paid.body.code, paid.text).toBe(200);
    expect(paid.body.data).toMatchObject({
      orderId: cartOrder.orderId,
      payStatus: 'PAID',
      paidAmount: cartOrder.totalPrice,
      balance: before - cartOrder.totalPrice,
      alreadyPaid: false,
    });
    expect(paid.body.data.order).toMatchObject({ orderId: cartOrder.orderId, status: 'WAIT_SELLER_SEND_GOODS' });
    expect(paid.body.data.order.subPurchaseOrders.map((p) => p.subPurchaseOrderId)).toEqual(
      cartOrder.subPurchaseOrders.map((p) => p.subPurchaseOrderId),
    );
    // Again, by the v1 id: already paid, nothing debited, the answer's ids still opaque.
    const v1Id = v1Of(t.server, 'order', cartOrder.orderId);
    const again = await t.post<Pay>(t.sub, '/v2/taobao/order/pay', { orderId: v1Id });
    expect(again.body.data).toMatchObject({ orderId: cartOrder.orderId, alreadyPaid: true });
    expect(await t.balance(t.dev)).toBe(before - cartOrder.totalPrice);
  });

  it('records the pre-warehouse by the opaque id (T11)', async () => {
    const body = { orderId: cartOrder.orderId, warehouseName: '一号仓库', warehouseAddress: '广西省' };
    const r = await t.post<TaobaoOrder>(t.sub, '/v2/taobao/order/updateWarehouse', body);
    expect(r.body.code, r.text).toBe(200);
    expect(r.body.data).toMatchObject({ orderId: cartOrder.orderId, warehouseName: '一号仓库' });
    expect((await v2Get(cartOrder.orderId)).body.data.warehouseAddress).toBe('广西省');
  });

  it('follows the parcels once the sellers ship (T14, T15), then refuses the pre-warehouse (T11)', async () => {
    // The sandbox sellers ship an hour after payment; the parcels then move on the market clock.
    await t.advance(3_600_000 + 20 * 3_600_000);
    const { v2: shipped, v1 } = await bothReads(cartOrder.orderId);
    expect(shipped).toEqual(asV2Order(t.server, v1));
    expect(shipped.status).toBe('WAIT_BUYER_CONFIRM_GOODS');
    for (const part of shipped.subPurchaseOrders) {
      const r = await logistics(part.subPurchaseOrderId);
      expect(r.body.code, r.text).toBe(200);
      expect(r.body.data.subPurchaseOrderId).toBe(part.subPurchaseOrderId);
      const parcel = r.body.data.pnmLogisticsDetails[0];
      if (!parcel) throw new Error(`no parcel: ${r.text}`);
      expect(parcel.mailNo).toBe(part.orderLines[0]?.mailNo);
      expect(parcel.logisticsTraces.map((s) => s.status).slice(0, 2)).toEqual(['CONSIGN', 'ACCEPT']);
      expect(parcel.logisticsGoods.reduce((n, g) => n + g.quantity, 0)).toBe(
        part.orderLines.reduce((n, l) => n + l.quantity, 0),
      );
      const v1Id = v1Of(t.server, 'order-part', part.subPurchaseOrderId);
      const v1Trace = await logistics(v1Id, 'v1');
      expect(r.body.data).toEqual({ ...v1Trace.body.data, subPurchaseOrderId: part.subPurchaseOrderId });
    }
    const late = { orderId: cartOrder.orderId, warehouseName: '二号仓库', warehouseAddress: '广西省' };
    expectCode(await t.post(t.sub, '/v2/taobao/order/updateWarehouse', late), 40901);
  });

  it('takes a payment voucher by the opaque id (T9); approved, it pays the order', async () => {
    const bytes = (await picture()).toString('base64');
    const upload = (orderId: string) =>
      t.post<{ voucherId: string; orderId: string; amount: number; status: string }>(
        t.sub,
        '/v2/taobao/order/pay/voucher/upload',
        { orderId, amount: listOrder.totalPrice, reference: 'ICBC-v2-T9', picture: bytes },
      );
    expectCode(await upload(tampered(listOrder.orderId)), 40401);
    expectCode(await upload(cartOrder.orderId), 40901);
    const r = await upload(listOrder.orderId);
    expect(r.body.code, r.text).toBe(200);
    expect(r.body.data).toMatchObject({ orderId: listOrder.orderId, amount: listOrder.totalPrice, status: 'pending' });
    expect(r.body.data.voucherId).toMatch(/^[0-9]+$/);
    const approved = await t.server.admin('POST', `/admin/vouchers/${r.body.data.voucherId}/approve`, {});
    expect(approved.body.code, approved.text).toBe(200);
    await t.server.drainOutbox();
    expect((await v2Get(listOrder.orderId)).body.data).toMatchObject({
      orderId: listOrder.orderId,
      status: 'WAIT_SELLER_SEND_GOODS',
      payStatus: 'PAID',
      paidAmount: listOrder.totalPrice,
    });
  });

  it('cancels an unpaid order by the opaque id (T10)', async () => {
    const [, vb] = v2;
    const created = await createFromList({
      orderLineList: [{ itemId: vb.itemId, skuId: vb.skuId, quantity: 1 }],
      receiver: RECEIVER,
    });
    expect(created.body.code, created.text).toBe(200);
    const id = created.body.data.orderId;
    const r = await t.post<TaobaoOrder>(t.sub, '/v2/taobao/order/cancel', { orderId: id, reason: '不想要了' });
    expect(r.body.code, r.text).toBe(200);
    expect(r.body.data).toMatchObject({ orderId: id, status: 'TRADE_CLOSED' });
    expect(r.body.data.subPurchaseOrders.every((p) => p.status === 'TRADE_CLOSED')).toBe(true);
    expect(lines(r.body.data)[0]?.itemId).toBe(vb.itemId);
    expect((await v2Get(id)).body.data.status).toBe('TRADE_CLOSED');
    expectCode(await t.post(t.sub, '/v2/taobao/order/cancel', { orderId: id }), 40901);
    expectCode(await t.post(t.sub, '/v2/taobao/order/cancel', { orderId: cartOrder.orderId }), 40901);
  });

  it('gives the chat link (T13) by the opaque or v1 id of an item, an order or a sub purchase order', async () => {
    const imLink = (body: Record<string, unknown>, version: 'v1' | 'v2' = 'v2', who = t.sub) =>
      t.post<string>(who, version === 'v2' ? '/v2/taobao/order/page/link/get' : '/open/order/page/link/get', body);
    const part = cartOrder.subPurchaseOrders[1]?.subPurchaseOrderId as string;
    const cases: [sourceType: string, opaque: string, v1: string][] = [
      ['item', v2[0].itemId, skus[0].itemId],
      ['order', cartOrder.orderId, v1Of(t.server, 'order', cartOrder.orderId)],
      ['order', part, v1Of(t.server, 'order-part', part)],
    ];
    for (const [sourceType, opaque, v1Id] of cases) {
      const want = await imLink({ sourceType, bizId: v1Id }, 'v1');
      expect(want.body.code, want.text).toBe(200);
      expect(want.body.data).toMatch(/^https?:\/\//);
      for (const body of [
        { sourceType, bizId: opaque },
        { sourceType, bizId: v1Id },
        { loginName: JSON.stringify({ sourceType, bizId: opaque }) },
      ]) {
        const r = await imLink(body);
        expect(r.body.code, r.text).toBe(200);
        expect(r.body.data).toBe(want.body.data);
      }
      expectCode(await imLink({ sourceType, bizId: tampered(opaque) }), 40401);
      // v1 takes v1 ids only.
      expectCode(await imLink({ sourceType, bizId: opaque }, 'v1'), 40001, 'bizId');
    }
    // The second sub purchase order names another seller than the order (its first).
    const [, order, second] = await Promise.all(cases.map(([s, bizId]) => imLink({ sourceType: s, bizId })));
    expect(second?.body.data).not.toBe(order?.body.data);
    // An id of the other kind, and another sub-account's order.
    expectCode(await imLink({ sourceType: 'item', bizId: cartOrder.orderId }), 40401);
    expectCode(await imLink({ sourceType: 'order', bizId: v2[0].itemId }), 40401);
    expectCode(await imLink({ sourceType: 'order', bizId: cartOrder.orderId }, 'v2', t.sibling), 40401);
  });
});
