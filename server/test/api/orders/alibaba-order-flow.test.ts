import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADDRESS, type Detail, type OrdersServer, startOrdersServer } from './alibaba-fixtures.js';

/** The whole 1688 buying flow over HTTP, from a search to confirmed receipt, with its messages. */
describe('1688 orders: search → preview → create → pay → ship → trace → confirm', () => {
  let s: OrdersServer;
  beforeAll(async () => {
    s = await startOrdersServer();
  });
  afterAll(() => s.close());

  it('buys one supplier’s offer, pays it from the balance and follows it to confirmed receipt', async () => {
    const [offer] = s.offers;
    if (!offer) throw new Error('no offer');
    const quantity = offer.minOrderQuantity + 1;
    const line = { offerId: offer.offerId, specId: offer.specId, quantity };

    const preview = await s.post<{
      success: boolean;
      orderPreviewResuslt: {
        sumPayment: number;
        sumCarriage: number;
        cargoList: { amount: number; problem: string | null }[];
      }[];
    }>(s.dev, '/alibaba/order/create/preview', { addressParam: ADDRESS, cargoParamList: [line] });
    expect(preview.body.code, preview.text).toBe(200);
    expect(preview.body.data.success).toBe(true);
    const [result] = preview.body.data.orderPreviewResuslt;
    expect(result?.cargoList[0]?.problem).toBeNull();

    const created = await s.post<{ orderId: string; totalSuccessAmount: number; postFee: number; failedOfferList: [] }>(
      s.dev,
      '/alibaba/order/create',
      { flow: 'general', message: '请尽快发货', tradeType: 'fxassure', addressParam: ADDRESS, cargoParamList: [line] },
      { 'idempotency-key': 'flow-create-1' },
    );
    expect(created.body.code, created.text).toBe(200);
    const { orderId, totalSuccessAmount, postFee } = created.body.data;
    // The preview's figures are what the order costs.
    expect(totalSuccessAmount).toBe(result?.sumPayment);
    expect(postFee).toBe(result?.sumCarriage);
    expect(created.body.data.failedOfferList).toEqual([]);

    let d: Detail = await s.detail(s.dev, orderId);
    expect(d.baseInfo).toMatchObject({ id: orderId, status: 'waitbuyerpay', totalAmount: totalSuccessAmount });
    expect(d.baseInfo.sumProductPayment + d.baseInfo.shippingFee).toBe(totalSuccessAmount);
    expect(d.baseInfo.sellerOpenId).toBe(offer.sellerOpenId);
    expect(d.baseInfo.remark).toBe('请尽快发货');
    // townText goes before the street.
    expect(d.nativeLogistics.address).toBe('长河街道网商路699号');
    expect(d.productItems).toHaveLength(1);
    expect(d.productItems[0]).toMatchObject({ productID: Number(offer.offerId), specId: offer.specId, quantity });
    expect(d.productItems[0]?.itemAmount).toBe((d.productItems[0]?.price ?? 0) * quantity);

    await s.topUp(s.dev.developId, totalSuccessAmount + 1000);
    const pay = await s.get<{ protocolPaySuccess: boolean; payUrl: string | null; orderId: string }>(
      s.dev,
      `/alibaba/order/pay/url?orderId=${orderId}`,
    );
    expect(pay.body.code, pay.text).toBe(200);
    expect(pay.body.data).toEqual({ orderId, protocolPaySuccess: true, payUrl: null, cantPayOrderList: null });
    const balance = await s.get<{ balance: number }>(s.dev, '/open/account/balance');
    expect(balance.body.code, balance.text).toBe(200);
    expect(balance.body.data.balance).toBe(1000);
    d = await s.detail(s.dev, orderId);
    expect(d.baseInfo).toMatchObject({ status: 'waitsellersend', payState: 'paid' });
    expect(d.tradeTerms[0]?.payStatus).toBe('2');

    // Nothing to trace before the seller ships; then the seller ships an hour after payment.
    const before = await s.get<{ logisticsTrace: unknown[] }>(
      s.dev,
      `/alibaba/order/logistics/trace?orderId=${orderId}`,
    );
    expect(before.body.data.logisticsTrace).toEqual([]);
    await s.advance(2 * 3_600_000);
    d = await s.detail(s.dev, orderId);
    expect(d.baseInfo.status).toBe('waitbuyerreceive');
    expect(d.productItems[0]?.logisticsStatus).toBe(2);
    const parcel = d.nativeLogistics.logisticsItems[0];
    expect(parcel?.subItemIds).toBe(d.productItems[0]?.subItemID);

    await s.advance(24 * 3_600_000);
    const trace = await s.get<{
      logisticsTrace: {
        orderId: string;
        logisticsBillNo: string;
        logisticsCompanyName: string;
        subItemIds: string[];
        logisticsSteps: { acceptTime: number; remark: string; remarkTrans: string; status: string }[];
      }[];
    }>(s.dev, `/alibaba/order/logistics/trace?orderId=${orderId}&language=en`);
    expect(trace.body.code, trace.text).toBe(200);
    const [t] = trace.body.data.logisticsTrace;
    expect(t).toMatchObject({
      orderId,
      logisticsBillNo: parcel?.logisticsBillNo,
      subItemIds: [d.productItems[0]?.subItemID],
    });
    expect(t?.logisticsCompanyName).not.toBe('');
    expect(t?.logisticsSteps.length).toBeGreaterThan(1);
    expect(t?.logisticsSteps[0]?.status).toBe('CONSIGN');
    const times = t?.logisticsSteps.map((x) => x.acceptTime) ?? [];
    expect([...times].sort((a, b) => a - b)).toEqual(times);
    expect(t?.logisticsSteps[0]?.remark).toMatch(/[\u4e00-\u9fff]/);

    const confirm = await s.post(s.dev, '/alibaba/order/receive/confirm', { orderId });
    expect(confirm.body, confirm.text).toMatchObject({ code: 200, data: true });
    d = await s.detail(s.dev, orderId);
    expect(d.baseInfo.status).toBe('confirm_goods');
    expect(d.productItems[0]?.logisticsStatus).toBe(3);

    expect(await s.messageTypes(s.dev, orderId)).toEqual([
      'ORDER_BUYER_VIEW_BUYER_MAKE',
      'ORDER_BUYER_VIEW_ORDER_PAY',
      'ORDER_BUYER_VIEW_ANNOUNCE_SENDGOODS',
      'ORDER_BUYER_VIEW_ORDER_COMFIRM_RECEIVEGOODS',
    ]);
    // Each message carries the order as the detail answers it, at its version then.
    const list = await s.get<{
      messages: { messagePlatform: number; version: number; messageBody: Detail }[];
    }>(s.dev, `/open/message/list?objectId=${orderId}`);
    const messages = list.body.data.messages;
    expect(messages.map((m) => m.messageBody.baseInfo.status)).toEqual([
      'confirm_goods',
      'waitbuyerreceive',
      'waitsellersend',
      'waitbuyerpay',
    ]);
    for (const m of messages) expect(m.messagePlatform).toBe(1);
    const versions = messages.map((m) => m.version);
    expect([...versions].sort((a, b) => b - a)).toEqual(versions);
    expect(new Set(versions).size).toBe(versions.length);
  });

  it('buys from three suppliers at once (A11), one order each, and pays them together (A9)', async () => {
    const dev = await s.server.createDeveloper('three suppliers');
    const chosen = s.offers.slice(1, 4);
    const created = await s.post<{
      successOrderList: { sellerOpenId: string; offerIds: string[]; orderId: string; totalSuccessAmount: number }[];
      failedOrderList: unknown[];
    }>(
      dev,
      '/alibaba/order/batch/create',
      { flow: 'general', addressParam: ADDRESS, cargoParamList: chosen.map((o) => s.cargo(o)) },
      { 'idempotency-key': 'three-suppliers' },
    );
    expect(created.body.code, created.text).toBe(200);
    expect(created.body.data.failedOrderList).toEqual([]);
    const orders = created.body.data.successOrderList;
    expect(orders.map((o) => o.sellerOpenId).sort()).toEqual(chosen.map((o) => o.sellerOpenId).sort());
    for (const o of orders) {
      const offer = chosen.find((c) => c.sellerOpenId === o.sellerOpenId);
      expect(o.offerIds).toEqual([offer?.offerId]);
      const d = await s.detail(dev, o.orderId);
      expect(d.baseInfo.sellerOpenId).toBe(o.sellerOpenId);
      expect(d.productItems.map((p) => String(p.productID))).toEqual([offer?.offerId]);
    }
    // A retry with the same key creates nothing more.
    const again = await s.post<typeof created.body.data>(
      dev,
      '/alibaba/order/batch/create',
      { flow: 'general', addressParam: ADDRESS, cargoParamList: chosen.map((o) => s.cargo(o)) },
      { 'idempotency-key': 'three-suppliers' },
    );
    expect(again.body.data).toEqual(created.body.data);
    const page = await s.post<{ totalRecords: number }>(dev, '/alibaba/order/page', {});
    expect(page.body.data.totalRecords).toBe(3);

    const total = orders.reduce((n, o) => n + o.totalSuccessAmount, 0);
    await s.topUp(dev.developId, total);
    const ids = orders.map((o) => o.orderId);
    const paid = await s.post<{
      payResults: { orderId: string; protocolPaySuccess: boolean; alreadyPaid: boolean }[];
      cantPayOrderList: string[];
      payFailureReasons: Record<string, unknown>;
    }>(dev, '/alibaba/order/batch/submit/to/pay', { orderIds: ids }, { 'idempotency-key': 'pay-three' });
    expect(paid.body.code, paid.text).toBe(200);
    expect(paid.body.data.payResults.map((r) => r.orderId)).toEqual(ids);
    for (const r of paid.body.data.payResults)
      expect(r).toMatchObject({ protocolPaySuccess: true, alreadyPaid: false });
    expect(paid.body.data).toMatchObject({ cantPayOrderList: [], payFailureReasons: {} });
    for (const id of ids) expect((await s.detail(dev, id)).baseInfo.status).toBe('waitsellersend');
    const balance = await s.get<{ balance: number }>(dev, '/open/account/balance');
    expect(balance.body.data.balance).toBe(0);

    // Paying again counts them as paid and debits nothing.
    const twice = await s.post<typeof paid.body.data>(dev, '/alibaba/order/batch/submit/to/pay', { orderIds: ids });
    for (const r of twice.body.data.payResults)
      expect(r).toMatchObject({ protocolPaySuccess: true, alreadyPaid: true });
    for (const id of ids) {
      expect(await s.messageTypes(dev, id)).toEqual(['ORDER_BUYER_VIEW_BUYER_MAKE', 'ORDER_BUYER_VIEW_ORDER_PAY']);
    }
  });
});
