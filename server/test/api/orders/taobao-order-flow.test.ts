import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { picture } from '../payments/payments-fixtures.js';
import { expectCode, RECEIVER, startTaobaoServer, type TaobaoOrder, type TaobaoServer } from './taobao-fixtures.js';

interface Logistics {
  subPurchaseOrderId: string;
  purchaseOrderOuterId: string;
  pnmLogisticsDetails: {
    mailNo: string;
    logisticsTraces: { statusDesc: string; standerdDesc: string; status: string; action: string; time: number }[];
    logisticsPartner: { company: string; companyCode: string }[];
    receiver: { name: string; phone: string; province: string; city: string; address: string };
    logisticsGoods: { title: string; quantity: number; property: string }[];
  }[];
}

interface Pay {
  orderId: string;
  payStatus: string;
  paidAmount: number;
  balance: number;
  alreadyPaid: boolean;
  order: TaobaoOrder;
}

const STATUS_CHANGE = 'ORDER_BUYER_VIEW_ORDER_STATUS_CHANGE';
const PRICE_MODIFY = 'ORDER_BUYER_VIEW_ORDER_PRICE_MODIFY';

/** The whole Taobao purchase over HTTP: find, (cart), order, pay, ship, trace, messages. */
describe('a Taobao purchase from search to parcel (T2, T30, T26, T7, T12, T9, T14, T15, TM1, TM2)', () => {
  let t: TaobaoServer;
  beforeAll(async () => {
    t = await startTaobaoServer();
  });
  afterAll(() => t.close());

  const logistics = (subPurchaseOrderId: string, who = t.sub) =>
    t.get<Logistics>(who, `/open/order/logistics/detail/get?subPurchaseOrderId=${subPurchaseOrderId}&language=en`);

  it('cart → order → pay from the balance → shipped → traced, with a status message at each step', async () => {
    const [a, b] = t.skus;
    if (!a || !b) throw new Error('two SKUs needed');
    const ids: string[] = [];
    for (const [sku, quantity] of [
      [a, 2],
      [b, 1],
    ] as const) {
      const added = await t.post<{ id: string }>(t.sub, '/open/cart/add', {
        mpId: sku.mpId,
        mpSkuId: sku.mpSkuId,
        quantity,
      });
      expect(added.body.code, added.text).toBe(200);
      ids.push(added.body.data.id);
    }
    const created = await t.post<TaobaoOrder>(t.sub, '/open/cart/create/order', {
      ids,
      orderAddress: RECEIVER,
      userId: '2100007340000',
    });
    expect(created.body.code, created.text).toBe(200);
    const order = created.body.data;
    expect(order.subPurchaseOrders).toHaveLength(2);
    expect(order.userId).toBe(t.sub.userId);
    // The records are gone from the cart.
    const cart = await t.get<{ total: number }>(t.sub, '/open/cart/list');
    expect(cart.body.data.total).toBe(0);
    expectCode(await t.post(t.sub, '/open/cart/create/order', { ids, orderAddress: RECEIVER }), 40401);

    // Before shipping: no parcel.
    const part = order.subPurchaseOrders[0];
    if (!part) throw new Error('a sub purchase order');
    const early = await logistics(part.subPurchaseOrderId);
    expect(early.body.code, early.text).toBe(200);
    expect(early.body.data).toEqual({
      subPurchaseOrderId: part.subPurchaseOrderId,
      purchaseOrderOuterId: part.purchaseOrderOuterId,
      pnmLogisticsDetails: [],
    });

    await t.topUp(t.dev.developId, order.totalPrice + 500);
    const before = await t.balance(t.dev);
    const paid = await t.post<Pay>(t.sub, '/open/order/pay', { orderId: order.orderId });
    expect(paid.body.code, paid.text).toBe(200);
    expect(paid.body.data).toMatchObject({
      orderId: order.orderId,
      payStatus: 'PAID',
      paidAmount: order.totalPrice,
      balance: before - order.totalPrice,
      alreadyPaid: false,
    });
    expect(paid.body.data.order.status).toBe('WAIT_SELLER_SEND_GOODS');
    const again = await t.post<Pay>(t.sub, '/open/order/pay', { orderId: order.orderId });
    expect(again.body.data).toMatchObject({ payStatus: 'PAID', alreadyPaid: true, balance: before - order.totalPrice });
    expect(await t.balance(t.dev)).toBe(before - order.totalPrice);

    // The sellers ship an hour after payment; the parcels then move on the market clock.
    await t.advance(3_600_000 + 20 * 3_600_000);
    const shipped = await t.detail(t.sub, order.orderId);
    expect(shipped.status).toBe('WAIT_BUYER_CONFIRM_GOODS');
    for (const p of shipped.subPurchaseOrders) {
      for (const line of p.orderLines) {
        expect(line.mailNo).toMatch(/\S/);
        expect(line.logisticsCompanyName).toMatch(/\S/);
      }
    }
    const traced = await logistics(part.subPurchaseOrderId);
    expect(traced.body.code, traced.text).toBe(200);
    const parcel = traced.body.data.pnmLogisticsDetails[0];
    if (!parcel) throw new Error(`no parcel: ${traced.text}`);
    const shippedPart = shipped.subPurchaseOrders.find((p) => p.subPurchaseOrderId === part.subPurchaseOrderId);
    expect(parcel.mailNo).toBe(shippedPart?.orderLines[0]?.mailNo);
    expect(parcel.logisticsTraces.map((s) => s.status).slice(0, 2)).toEqual(['CONSIGN', 'ACCEPT']);
    expect(parcel.logisticsTraces[0]?.statusDesc).toMatch(/[\u4e00-\u9fff]/);
    expect(parcel.logisticsPartner[0]?.companyCode).toMatch(/\S/);
    expect(parcel.receiver).toMatchObject({ name: RECEIVER.name, phone: RECEIVER.mobile_phone, city: RECEIVER.city });
    expect(parcel.logisticsGoods.reduce((n, g) => n + g.quantity, 0)).toBe(
      shippedPart?.orderLines.reduce((n, l) => n + l.quantity, 0),
    );

    const messages = await t.messages(t.sub, order.orderId);
    expect(messages.length).toBeGreaterThanOrEqual(3);
    expect(messages.every((m) => m.messageType === STATUS_CHANGE && m.messagePlatform === 0)).toBe(true);
    const statuses = messages.map((m) => m.messageBody.status);
    expect(statuses[0]).toBe('WAIT_BUYER_PAY');
    expect(statuses).toContain('WAIT_SELLER_SEND_GOODS');
    expect(statuses.at(-1)).toBe('WAIT_BUYER_CONFIRM_GOODS');
    const versions = messages.map((m) => m.version);
    expect([...versions].sort((x, y) => x - y)).toEqual(versions);
    const last = messages.at(-1)?.messageBody as { salesOrderId: string; subOrders: Record<string, unknown>[] };
    expect(last.salesOrderId).toBe(order.orderId);
    expect(last.subOrders).toHaveLength(2);
    expect(last.subOrders[0]).toMatchObject({
      purchase_order_outer_id: expect.any(String),
      purchase_order_line_outer_id: expect.any(String),
      logistic_number: expect.any(String),
      logistic_company_name: expect.any(String),
      quantity: expect.any(Number),
      product_amount: expect.any(Number),
    });
  });

  it('order → payment voucher → the operator approves → paid from the credited balance', async () => {
    const [, , c] = t.skus;
    if (!c) throw new Error('a third SKU needed');
    const order = await t.order(t.dev, [c]);
    const before = await t.balance(t.dev);
    const upload = await t.post<{ voucherId: string; status: string }>(t.dev, '/open/order/pay/voucher/upload', {
      orderId: order.orderId,
      amount: order.totalPrice,
      reference: 'ICBC-T9-flow',
      picture: (await picture()).toString('base64'),
    });
    expect(upload.body.code, upload.text).toBe(200);
    expect(upload.body.data.status).toBe('pending');
    const approved = await t.server.admin('POST', `/admin/vouchers/${upload.body.data.voucherId}/approve`, {});
    expect(approved.body.code, approved.text).toBe(200);
    await t.server.drainOutbox();
    const paid = await t.detail(t.dev, order.orderId);
    expect(paid).toMatchObject({ status: 'WAIT_SELLER_SEND_GOODS', payStatus: 'PAID', paidAmount: order.totalPrice });
    expect(await t.balance(t.dev)).toBe(before);
    const statuses = (await t.messages(t.dev, order.orderId)).map((m) => m.messageBody.status);
    expect(statuses).toContain('WAIT_SELLER_SEND_GOODS');
  });

  it('a price changed by the seller before payment: TM1, new amounts, and payment debits the new total', async () => {
    const [a] = t.skus;
    if (!a) throw new Error('a SKU needed');
    const order = await t.order(t.dev, [a]);
    const part = order.subPurchaseOrders[0];
    if (!part) throw new Error('a sub purchase order');
    const newTotal = part.totalPrice - 37;
    const changed = await t.server.admin('POST', `/sandbox/taobao/orders/${part.purchaseOrderOuterId}/price`, {
      totalFen: newTotal,
    });
    expect(changed.body.code, changed.text).toBe(200);
    await t.server.drainOutbox();

    const modified = (await t.messages(t.dev, order.orderId)).filter((m) => m.messageType === PRICE_MODIFY);
    expect(modified).toHaveLength(1);
    const body = modified[0]?.messageBody as {
      salesOrderId: string;
      subOrders: unknown[];
      purchaseOrderPriceDTO: { totalPrice: number; adjustFee: number };
    };
    expect(body.salesOrderId).toBe(order.orderId);
    expect(body.subOrders).toHaveLength(order.subPurchaseOrders[0]?.orderLines.length ?? 0);
    expect(body.purchaseOrderPriceDTO).toMatchObject({ totalPrice: newTotal, adjustFee: -37 });

    const now = await t.detail(t.dev, order.orderId);
    expect(now).toMatchObject({ totalPrice: newTotal, adjustFee: -37 });
    expect(now.version).toBeGreaterThan(order.version);
    expect(now.subPurchaseOrders[0]?.totalPrice).toBe(newTotal);

    await t.topUp(t.dev.developId, newTotal);
    const before = await t.balance(t.dev);
    const paid = await t.post<Pay>(t.dev, '/open/order/pay', { orderId: order.orderId });
    expect(paid.body.code, paid.text).toBe(200);
    expect(paid.body.data).toMatchObject({ paidAmount: newTotal, balance: before - newTotal });
  });
});
