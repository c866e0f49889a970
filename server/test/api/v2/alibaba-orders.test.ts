import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OpaqueKind } from '../../../src/platform/crypto/opaque-ids.js';
import type { Credentials } from '../../harness.js';
import { ADDRESS, type Offer, type OrdersServer, startOrdersServer } from '../orders/alibaba-fixtures.js';
import {
  type BatchResult,
  type CreateResult,
  expectNotFound,
  expectOpaque,
  type OrderView,
  ok,
  type Preview,
  type Trace,
  tamper,
  type V2CartList,
  v1Of,
} from './alibaba-buying-fixtures.js';

interface PayUrl {
  orderId: string;
  protocolPaySuccess: boolean;
  payUrl: string | null;
}

interface BatchPay {
  payResults: { orderId: string; protocolPaySuccess: boolean; alreadyPaid: boolean }[];
  cantPayOrderList: string[];
  payFailureReasons: Record<string, { code: number; message: string }>;
}

interface Page {
  totalRecords: number;
  result: OrderView[];
}

/**
 * The 1688 buying flow in v2 terms (A9–A19, A26): offers found through v2's goods, bought from the cart and
 * from `FastCargo` lines (`offerMapId`), paid, followed and confirmed, with every goods and order id opaque.
 */
describe('1688 orders on v2', () => {
  let s: OrdersServer;
  let dev: Credentials;
  let x: Offer;
  /** The offer and specification as v2's goods answer them. */
  let found: { offer: string | number; spec: string };
  /** The orders made, by opaque id. */
  const orders: Record<'cart' | 'cargo' | 'spare', string> = { cart: '', cargo: '', spare: '' };
  const batch: string[] = [];

  beforeAll(async () => {
    s = await startOrdersServer();
    dev = await s.server.createDeveloper('v2 buyer');
    x = s.offers[1] as Offer;
  });
  afterAll(() => s.close());

  const encode = (kind: OpaqueKind, id: string) => s.server.deps.opaqueIds.encode(kind, id);
  const v1 = (id: string) => v1Of(s.server, 'order', id);
  const detail = async (orderId: unknown) =>
    ok(await s.post<OrderView>(dev, '/v2/alibaba/order/detail', { webSite: '1688', orderId }));
  /** A `FastCargo` line as v2's pages show it. */
  const fastCargo = (o: Offer, quantity = o.minOrderQuantity) => ({
    sellerOpenId: o.sellerOpenId,
    offerMapId: encode('alibaba-offer', o.offerId),
    specId: encode('alibaba-spec', o.specId),
    quantity,
    productNo: 'PP-0001',
    container: '',
  });
  const create = (cargo: unknown[], key?: string) =>
    s.post<CreateResult>(
      dev,
      '/v2/alibaba/order/create',
      { flow: 'general', message: '请尽快发货', addressParam: ADDRESS, cargoParamList: cargo },
      key ? { 'idempotency-key': key } : {},
    );

  it('finds an offer and its specification through v2’s goods', async () => {
    const search = ok(
      await s.post<{ data: { offerId?: string | number; offerMapId?: string | number }[] }>(
        dev,
        '/v2/alibaba/product/keywords/query',
        { pageSize: 50 },
      ),
    );
    const offerOf = (h: { offerId?: string | number; offerMapId?: string | number }) => h.offerMapId ?? h.offerId ?? '';
    const hit = search.data.find((h) => v1Of(s.server, 'alibaba-offer', offerOf(h)) === x.offerId);
    if (!hit) throw new Error('the offer is not among v2’s search results');
    const d = ok(
      await s.post<{ productSkuInfos: { specId: string; amountOnSale: number }[] }>(
        dev,
        '/v2/alibaba/product/detail/get',
        { offerId: offerOf(hit) },
      ),
    );
    const sku = d.productSkuInfos.find((k) => v1Of(s.server, 'alibaba-spec', k.specId) === x.specId);
    if (!sku) throw new Error('no such specification in v2’s details');
    found = { offer: offerOf(hit), spec: sku.specId };
  });

  it('carts it, edits it, previews and orders it from the cart (A26), with opaque ids', async () => {
    const added = ok(
      await s.post<{ id: string; offerMapId: string }>(dev, '/v2/alibaba/cart/add', {
        offerId: found.offer,
        specId: found.spec,
        quantity: x.minOrderQuantity,
      }),
    );
    expectOpaque(s.server, 'alibaba-offer', added.offerMapId, x.offerId);
    const listed = ok(await s.get<V2CartList>(dev, '/v2/alibaba/cart/list')).enableList;
    expect(listed).toHaveLength(1);
    expect(listed[0]?.cartItemInfos.map((i) => [i.id, i.offerMapId])).toEqual([[added.id, added.offerMapId]]);
    const quantity = x.minOrderQuantity + 1;
    ok(await s.post(dev, '/v2/alibaba/cart/update/quantity', { cartId: added.id, quantity }));
    const preview = ok(await s.post<Preview>(dev, '/v2/alibaba/cart/preview/order', { cartIds: [added.id] }));
    expect(preview.orderPreviewResuslt[0]?.cargoList).toEqual([
      expect.objectContaining({ offerId: added.offerMapId, specId: encode('alibaba-spec', x.specId), quantity }),
    ]);

    const made = ok(
      await s.post<BatchResult>(dev, '/v2/alibaba/cart/create/order', {
        flow: 'general',
        addressParam: ADDRESS,
        cartIds: [added.id],
      }),
    );
    expect(made.failedOrderList).toEqual([]);
    const [order] = made.successOrderList;
    expect(order).toMatchObject({ sellerOpenId: x.sellerOpenId, offerIds: [added.offerMapId] });
    expect(order?.totalSuccessAmount).toBe(preview.orderPreviewResuslt[0]?.sumPayment);
    orders.cart = order?.orderId ?? '';
    expectOpaque(s.server, 'order', orders.cart, v1(orders.cart));
    expect(ok(await s.get<V2CartList>(dev, '/v2/alibaba/cart/list'))).toEqual({ enableList: [], disableList: [] });
  });

  it('previews and creates from `FastCargo` lines (`offerMapId`, opaque `specId`, v2’s extras)', async () => {
    const line = { ...fastCargo(x), offerMapId: found.offer, specId: found.spec };
    const preview = ok(
      await s.post<Preview>(dev, '/v2/alibaba/order/create/preview', { addressParam: ADDRESS, cargoParamList: [line] }),
    );
    expect(preview.success).toBe(true);
    const [result] = preview.orderPreviewResuslt;
    expect(result?.cargoList).toEqual([
      expect.objectContaining({
        offerId: encode('alibaba-offer', x.offerId),
        specId: encode('alibaba-spec', x.specId),
        problem: null,
      }),
    ]);
    // PandaPon's own examples send the v1 ids: the same preview.
    const numeric = { ...line, offerMapId: Number(x.offerId), specId: x.specId };
    const same = ok(
      await s.post<Preview>(dev, '/v2/alibaba/order/create/preview', {
        addressParam: ADDRESS,
        cargoParamList: [numeric],
      }),
    );
    expect(same).toEqual(preview);
    // v2 names the offer `offerMapId`: v1's name is unknown there.
    const { offerMapId: _, ...unnamed } = numeric;
    const v1Named = await create([{ ...unnamed, offerId: x.offerId }]);
    expect(v1Named.body.code, v1Named.text).toBe(40001);

    const created = ok(await create([line], 'v2-cargo'));
    expect(created).toMatchObject({ totalSuccessAmount: result?.sumPayment, postFee: result?.sumCarriage });
    expect(created.failedOfferList).toEqual([]);
    orders.cargo = created.orderId;
    expectOpaque(s.server, 'order', orders.cargo, v1(orders.cargo));
    expect(ok(await create([line], 'v2-cargo'))).toEqual(created);
    orders.spare = ok(await create([numeric])).orderId;
    expectOpaque(s.server, 'order', orders.spare, v1(orders.spare));
  });

  it('details the order (A19) with opaque order, line, offer, SKU and spec ids; v1 with its own', async () => {
    const d = await detail(orders.cargo);
    const old = await s.detail(dev, v1(orders.cargo));
    expect(d.baseInfo).toMatchObject({ id: orders.cargo, idOfStr: orders.cargo, status: 'waitbuyerpay' });
    expect(old.baseInfo.id).toBe(v1(orders.cargo));
    const [item] = d.productItems;
    const [line] = old.productItems as unknown as OrderView['productItems'];
    expect(d.productItems).toHaveLength(1);
    expectOpaque(s.server, 'order-line', item?.subItemID, line?.subItemID ?? '');
    expectOpaque(s.server, 'order-line', item?.subItemIDString, line?.subItemID ?? '');
    expectOpaque(s.server, 'alibaba-offer', item?.productID, x.offerId);
    expectOpaque(s.server, 'alibaba-spec', item?.specId, x.specId);
    expectOpaque(s.server, 'alibaba-sku', item?.skuID, x.specId);
    expect(line).toMatchObject({ productID: Number(x.offerId), specId: x.specId, skuID: Number(x.specId) });
    // Everything else is v1's answer.
    const ids = { id: 0, idOfStr: 0 };
    const lineIds = { subItemID: 0, subItemIDString: 0, productID: 0, skuID: 0, specId: 0 };
    expect({ ...d, baseInfo: { ...d.baseInfo, ...ids }, productItems: [{ ...item, ...lineIds }] }).toEqual({
      ...old,
      baseInfo: { ...old.baseInfo, ...ids },
      productItems: [{ ...line, ...lineIds }],
    });
    // The v1 id is accepted too, as a string or a number.
    expect(await detail(v1(orders.cargo))).toEqual(d);
  });

  it('pays by the pay url (A17): a link while the balance is short, then from the balance', async () => {
    const short = ok(await s.get<PayUrl>(dev, `/v2/alibaba/order/pay/url?orderId=${orders.cargo}`));
    expect(short).toMatchObject({ orderId: orders.cargo, protocolPaySuccess: false });
    expect(short.payUrl).toMatch(/^https?:\/\/.+\/pay\//);
    const { totalAmount } = (await detail(orders.cargo)).baseInfo;
    await s.topUp(dev.developId, totalAmount);
    const paid = ok(await s.get<PayUrl>(dev, `/v2/alibaba/order/pay/url?orderId=${v1(orders.cargo)}`));
    expect(paid).toEqual({ orderId: orders.cargo, protocolPaySuccess: true, payUrl: null, cantPayOrderList: null });
    expect((await detail(orders.cargo)).baseInfo).toMatchObject({ status: 'waitsellersend', payState: 'paid' });
  });

  it('cancels unpaid orders (A16) by opaque id and by the v1 id as a JSON number', async () => {
    // Not in an order's first ten seconds, nor after the market closed it unpaid.
    await s.advance(11_000);
    expect((await detail(orders.cart)).baseInfo.status).toBe('waitbuyerpay');
    const cancel = await s.post(dev, '/v2/alibaba/order/cancel', {
      webSite: '1688',
      orderId: orders.cart,
      cancelReason: '不想要了',
    });
    expect(ok(cancel)).toBe(true);
    const closed = (await detail(orders.cart)).baseInfo;
    expect(closed.status).toBe('cancel');
    expect(closed.closeReason).toContain('不想要了');
    // The documented form: the order id as a JSON number beyond 2^53.
    const raw = `{"webSite":"1688","orderId":${v1(orders.spare)},"cancelReason":"不想要了"}`;
    expect(Number.isSafeInteger(Number(v1(orders.spare)))).toBe(false);
    const byNumber = await s.server.signed(dev, 'POST', '/v2/alibaba/order/cancel', { rawBody: raw });
    expect(ok(byNumber)).toBe(true);
    expect((await detail(orders.spare)).baseInfo.status).toBe('cancel');
  });

  it('traces the parcel (A12) once the seller ships, and confirms receipt (A18)', async () => {
    const trace = (orderId: string, prefix = '/v2') =>
      s.get<Trace>(dev, `${prefix}/alibaba/order/logistics/trace?orderId=${orderId}&language=en`);
    expect(ok(await trace(orders.cargo)).logisticsTrace).toEqual([]);
    await s.advance(2 * 3_600_000);
    const d = await detail(orders.cargo);
    expect(d.baseInfo.status).toBe('waitbuyerreceive');
    const [item] = d.productItems;
    const parcel = d.nativeLogistics.logisticsItems[0];
    // A parcel of one line names it as the line's own opaque id.
    expect(parcel?.subItemIds).toBe(item?.subItemID);

    await s.advance(24 * 3_600_000);
    const [t] = ok(await trace(orders.cargo)).logisticsTrace;
    expect(t).toMatchObject({
      orderId: orders.cargo,
      logisticsBillNo: parcel?.logisticsBillNo,
      subItemIds: [item?.subItemID],
    });
    expect(t?.logisticsSteps.length).toBeGreaterThan(1);
    const [old] = ok(await trace(v1(orders.cargo), '')).logisticsTrace;
    expect(old).toMatchObject({
      orderId: v1(orders.cargo),
      subItemIds: [v1Of(s.server, 'order-line', item?.subItemID ?? '')],
    });
    expect(ok(await trace(v1(orders.cargo)))).toEqual({ logisticsTrace: [t] });

    const confirm = await s.post(dev, '/v2/alibaba/order/receive/confirm', { orderId: orders.cargo });
    expect(ok(confirm)).toBe(true);
    const after = await detail(orders.cargo);
    expect(after.baseInfo.status).toBe('confirm_goods');
    expect(after.productItems[0]?.logisticsStatus).toBe(3);
  });

  it('previews and creates orders of several suppliers (A10, A11) and pays them together (A9)', async () => {
    const chosen = s.offers.slice(1, 4);
    const lines = chosen.map((o) => fastCargo(o));
    const preview = ok(
      await s.post<Preview>(dev, '/v2/alibaba/order/create/previewbatch', {
        addressParam: ADDRESS,
        cargoParamList: lines,
      }),
    );
    expect(preview.success).toBe(true);
    expect(preview.orderPreviewResuslt.flatMap((r) => r.cargoList.map((l) => l.offerId)).sort()).toEqual(
      lines.map((l) => l.offerMapId).sort(),
    );
    const made = ok(
      await s.post<BatchResult>(
        dev,
        '/v2/alibaba/order/batch/create',
        { flow: 'general', addressParam: ADDRESS, cargoParamList: lines },
        { 'idempotency-key': 'v2-batch' },
      ),
    );
    expect(made.failedOrderList).toEqual([]);
    expect(made.successOrderList.map((o) => o.sellerOpenId).sort()).toEqual(chosen.map((o) => o.sellerOpenId).sort());
    for (const o of made.successOrderList) {
      const offer = chosen.find((c) => c.sellerOpenId === o.sellerOpenId) as Offer;
      expect(o.offerIds).toEqual([encode('alibaba-offer', offer.offerId)]);
      expectOpaque(s.server, 'order', o.orderId, v1(o.orderId));
      const sum = preview.orderPreviewResuslt.find((r) => r.sellerOpenId === o.sellerOpenId)?.sumPayment;
      expect(o.totalSuccessAmount).toBe(sum);
      batch.push(o.orderId);
    }

    await s.topUp(
      dev.developId,
      made.successOrderList.reduce((n, o) => n + o.totalSuccessAmount, 0),
    );
    // Opaque ids and a v1 id, in this order.
    const given = [batch[0], v1(batch[1] ?? ''), batch[2]];
    const paid = ok(await s.post<BatchPay>(dev, '/v2/alibaba/order/batch/submit/to/pay', { orderIds: given }));
    expect(paid.payResults).toEqual(
      batch.map((orderId) => expect.objectContaining({ orderId, protocolPaySuccess: true, alreadyPaid: false })),
    );
    expect(paid).toMatchObject({ cantPayOrderList: [], payFailureReasons: {} });
    for (const id of batch) expect((await detail(id)).baseInfo.status).toBe('waitsellersend');

    // Again, with the cancelled order: the paid ones count as paid, the cancelled one cannot be paid.
    const again = ok(
      await s.post<BatchPay>(dev, '/v2/alibaba/order/batch/submit/to/pay', { orderIds: [...batch, orders.cart] }),
    );
    expect(again.payResults.map((r) => [r.orderId, r.alreadyPaid])).toEqual([
      ...batch.map((id) => [id, true]),
      [orders.cart, false],
    ]);
    expect(again.cantPayOrderList).toEqual([orders.cart]);
    expect(Object.values(again.payFailureReasons).map((r) => r.code)).toEqual([40901]);
  });

  it('pages the orders (A13) with opaque ids, as v1 pages them with v1 ids', async () => {
    const all = [orders.cart, orders.cargo, orders.spare, ...batch];
    const page = ok(await s.post<Page>(dev, '/v2/alibaba/order/page', { pageSize: 50 }));
    expect(page.totalRecords).toBe(all.length);
    expect(page.result.map((o) => o.baseInfo.id).sort()).toEqual([...all].sort());
    for (const o of page.result) {
      expect(o.baseInfo.idOfStr).toBe(o.baseInfo.id);
      for (const item of o.productItems) expect(item.subItemID).toMatch(/^[A-Za-z0-9_-]{22,}$/);
    }
    const old = ok(await s.post<Page>(dev, '/alibaba/order/page', { pageSize: 50 }));
    expect(old.result.map((o) => o.baseInfo.id)).toEqual(page.result.map((o) => v1(o.baseInfo.id)));
    const cancelled = ok(await s.post<Page>(dev, '/v2/alibaba/order/page', { status: 'cancel' }));
    expect(cancelled.result.map((o) => o.baseInfo.id).sort()).toEqual([orders.cart, orders.spare].sort());
    expect(cancelled.result).toEqual(page.result.filter((o) => o.baseInfo.status === 'cancel'));
  });

  it('answers 40401 for a changed opaque id, or one of another kind, wherever an id is taken', async () => {
    const order = tamper(orders.cargo);
    const lineId = (await detail(orders.cargo)).productItems[0]?.subItemID ?? '';
    for (const orderId of [order, lineId, encode('alibaba-offer', v1(orders.cargo))]) {
      expectNotFound(await s.post(dev, '/v2/alibaba/order/detail', { webSite: '1688', orderId }));
      expectNotFound(await s.get(dev, `/v2/alibaba/order/pay/url?orderId=${orderId}`));
      expectNotFound(await s.get(dev, `/v2/alibaba/order/logistics/trace?orderId=${orderId}`));
      expectNotFound(await s.post(dev, '/v2/alibaba/order/receive/confirm', { orderId }));
      expectNotFound(await s.post(dev, '/v2/alibaba/order/cancel', { webSite: '1688', orderId, cancelReason: 'x' }));
      expectNotFound(await s.post(dev, '/v2/alibaba/order/batch/submit/to/pay', { orderIds: [batch[0], orderId] }));
    }
    const offer = tamper(encode('alibaba-offer', x.offerId));
    const line = { ...fastCargo(x), offerMapId: offer };
    for (const url of ['create/preview', 'create/previewbatch']) {
      expectNotFound(await s.post(dev, `/v2/alibaba/order/${url}`, { addressParam: ADDRESS, cargoParamList: [line] }));
    }
    const body = { flow: 'general', addressParam: ADDRESS, cargoParamList: [line] };
    for (const url of ['create', 'batch/create']) expectNotFound(await s.post(dev, `/v2/alibaba/order/${url}`, body));
    // A changed spec id is an unknown specification, as v1 answers one: 40401 on a create.
    const spec = { ...fastCargo(x), specId: tamper(encode('alibaba-spec', x.specId)) };
    expectNotFound(await create([spec]));
    // Nothing was ordered, paid or cancelled by any of them.
    const page = ok(await s.post<Page>(dev, '/v2/alibaba/order/page', { pageSize: 50 }));
    expect(page.totalRecords).toBe(3 + batch.length);
    expect((await detail(orders.cargo)).baseInfo.status).toBe('confirm_goods');
  });

  it('reads PandaPon’s v2 examples as published: unknown ids answer 40401, never 40001', async () => {
    const address = { ...ADDRESS, postCode: '000000' };
    const cargo = {
      sellerOpenId: 'BBBwAN4GQ60zRPzBkv7BYPJRQ',
      offerMapId: 624410869391,
      specId: 'b266e0726506185beaf205cbae88530d',
      quantity: 2,
      productNo: '',
      container: '',
    };
    const example = '{"webSite":"1688","orderId":2542285634920880794,"cancelReason":"不想要了"}';
    const cancel = await s.server.signed(dev, 'POST', '/v2/alibaba/order/cancel', { rawBody: example });
    expectNotFound(cancel);
    expect(cancel.body.msg).toContain('2542285634920880794');
    expectNotFound(await s.post(dev, '/v2/alibaba/order/detail', { webSite: '1688', orderId: '2019601741959504495' }));
    for (const url of ['create/preview', 'create/previewbatch']) {
      expectNotFound(await s.post(dev, `/v2/alibaba/order/${url}`, { addressParam: address, cargoParamList: [cargo] }));
    }
    expectNotFound(
      await s.post(dev, '/v2/alibaba/order/create', {
        flow: 'general',
        message: null,
        shopPromotionId: null,
        tradeType: null,
        addressParam: address,
        cargoParamList: [cargo],
      }),
    );
    const batchCreate = ok(
      await s.post<BatchResult>(dev, '/v2/alibaba/order/batch/create', {
        flow: null,
        message: null,
        shopPromotionId: null,
        tradeType: null,
        addressParam: address,
        cargoParamList: [cargo],
      }),
    );
    expect(batchCreate).toMatchObject({
      successOrderList: [],
      failedOrderList: [{ offerIds: [encode('alibaba-offer', '624410869391')], errorCode: 40401 }],
    });
    const ids = ['2059624776425880794', '2060506524492880794'];
    const pay = ok(await s.post<BatchPay>(dev, '/v2/alibaba/order/batch/submit/to/pay', { orderIds: ids }));
    expect(pay.cantPayOrderList).toEqual(ids.map((id) => encode('order', id)));
    expect(Object.values(pay.payFailureReasons).map((r) => r.code)).toEqual([40401, 40401]);
    expectNotFound(
      await s.post(dev, '/v2/alibaba/cart/create/order', {
        flow: 'general',
        addressParam: address,
        cartIds: [1795432287562383],
        userId: null,
        staffName: null,
      }),
    );
  });
});
