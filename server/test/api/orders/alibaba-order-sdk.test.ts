import { type ApiError, PonteClient } from '@ponte/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADDRESS, type Offer, type OrdersServer, startOrdersServer } from './alibaba-fixtures.js';

/** The SDK's 1688 order methods against the real server (`client.alibaba.orders`, `client.alibaba.cart`). */
describe('SDK 1688 orders', () => {
  let s: OrdersServer;
  let client: PonteClient;
  let offers: [Offer, Offer, Offer];
  beforeAll(async () => {
    s = await startOrdersServer();
    offers = s.offers.slice(1, 4) as [Offer, Offer, Offer];
    client = new PonteClient({ baseUrl: s.server.baseUrl, ...s.dev });
  });
  afterAll(() => s.close());

  const line = (o: Offer) => ({ offerId: o.offerId, specId: o.specId, quantity: o.minOrderQuantity });

  it('previews, creates, reads, lists, pays, traces, confirms and cancels', async () => {
    const [a, b, c] = offers;
    const preview = await client.alibaba.orders.preview({ addressParam: ADDRESS, cargoParamList: [line(a)] });
    expect(preview.success).toBe(true);
    const batchPreview = await client.alibaba.orders.previewBatch({
      cargoParamList: [line(a), { ...line(b), sellerOpenId: b.sellerOpenId }],
    });
    expect(batchPreview.orderPreviewResuslt).toHaveLength(2);

    const input = { flow: 'general' as const, addressParam: ADDRESS, cargoParamList: [line(a)] };
    const created = await client.alibaba.orders.create(input, { idempotencyKey: 'sdk-1688-create' });
    expect(created.totalSuccessAmount).toBe(preview.orderPreviewResuslt[0]?.sumPayment);
    const again = await client.alibaba.orders.create(input, { idempotencyKey: 'sdk-1688-create' });
    expect(again.orderId).toBe(created.orderId);
    const order = await client.alibaba.orders.get(created.orderId, 'vi');
    expect(order.baseInfo.status).toBe('waitbuyerpay');

    const unpaid = await client.alibaba.orders.payUrl(created.orderId);
    expect(unpaid.protocolPaySuccess).toBe(false);
    expect(unpaid.payUrl).toContain('/pay/alibaba/');
    await s.topUp(s.dev.developId, 10_000_000);
    expect((await client.alibaba.orders.payUrl(created.orderId)).protocolPaySuccess).toBe(true);

    const batch = await client.alibaba.orders.createBatch({
      addressParam: ADDRESS,
      cargoParamList: [line(b), line(c)],
    });
    const ids = batch.successOrderList.map((o) => o.orderId);
    expect(ids).toHaveLength(2);
    const paid = await client.alibaba.orders.payBatch([ids[0] as string]);
    expect(paid.cantPayOrderList).toEqual([]);

    const listed: string[] = [];
    for await (const o of client.alibaba.orders.iterate({ pageSize: 1 })) listed.push(o.baseInfo.id);
    expect(listed.sort()).toEqual([created.orderId, ...ids].sort());
    expect((await client.alibaba.orders.list({ status: 'waitbuyerpay' })).result.map((o) => o.baseInfo.id)).toEqual([
      ids[1],
    ]);

    // The SDK signs with the real time: the seller ships without moving the server's clock.
    await s.ship(s.dev, created.orderId);
    const trace = await client.alibaba.orders.trace(created.orderId, 'es');
    expect(trace.logisticsTrace).toHaveLength(1);
    expect(await client.alibaba.orders.confirmReceipt(created.orderId)).toBe(true);
    // Past 1688's first 10 seconds (well within the signature window of the SDK's own clock).
    await s.advance(11_000);
    expect(await client.alibaba.orders.cancel(ids[1] as string, 'other', 'changed my mind')).toBe(true);
    const err = await client.alibaba.orders.cancel(ids[1] as string, 'other').catch((e: ApiError) => e);
    expect((err as ApiError).code).toBe(40901);
  });

  it('orders the cart through client.alibaba.cart.createOrder', async () => {
    const [a] = offers;
    const added = await s.post<{ id: string }>(s.dev, '/alibaba/cart/add', {
      offerId: a.offerId,
      specId: a.specId,
      quantity: a.minOrderQuantity,
    });
    const result = await client.alibaba.cart.createOrder({
      flow: 'general',
      addressParam: ADDRESS,
      cartIds: [added.body.data.id],
    });
    expect(result.successOrderList.map((o) => o.sellerOpenId)).toEqual([a.sellerOpenId]);
  });
});
