import { type ApiError, PonteClient } from '@ponte/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { picture } from '../payments/payments-fixtures.js';
import { RECEIVER, type Sku, startTaobaoServer, type TaobaoServer } from './taobao-fixtures.js';

/** The SDK's Taobao order methods against the real server (`client.taobao.orders`, `client.taobao.cart`). */
describe('SDK Taobao orders', () => {
  let t: TaobaoServer;
  let client: PonteClient;
  let skus: [Sku, Sku, Sku];
  beforeAll(async () => {
    t = await startTaobaoServer();
    skus = t.skus as [Sku, Sku, Sku];
    client = new PonteClient({ baseUrl: t.server.baseUrl, ...t.dev });
  });
  afterAll(() => t.close());

  it('creates, reads, lists, pays, ships and traces an order', async () => {
    const [a, b] = skus;
    const input = {
      orderLineList: [
        { itemId: a.itemId, skuId: a.skuId, quantity: 2, price: a.priceFen, orderLineNo: '1' },
        { itemId: b.itemId, skuId: b.skuId, quantity: 1, orderLineNo: '2' },
      ],
      receiver: RECEIVER,
      sellerOrderNumber: 'SDK-1',
      language: 'th' as const,
    };
    const order = await client.taobao.orders.create(input, { idempotencyKey: 'sdk-create-1' });
    expect(order.subPurchaseOrders).toHaveLength(2);
    expect(order.language).toBe('th');
    const again = await client.taobao.orders.create(input, { idempotencyKey: 'sdk-create-1' });
    expect(again.orderId).toBe(order.orderId);
    expect((await client.taobao.orders.get(order.orderId, 'vi')).language).toBe('vi');
    const page = await client.taobao.orders.list({ sellerOrderNumber: 'SDK-1' });
    expect(page.list.map((o) => o.orderId)).toEqual([order.orderId]);
    const all = [];
    for await (const o of client.taobao.orders.iterate({ pageSize: 1 })) all.push(o.orderId);
    expect(all).toContain(order.orderId);

    const warehouse = await client.taobao.orders.updateWarehouse({
      orderId: order.orderId,
      warehouseName: '一号仓库',
      warehouseAddress: '广西省',
    });
    expect(warehouse.warehouseName).toBe('一号仓库');
    expect(await client.taobao.orders.imLink('order', order.orderId)).toMatch(/^https?:\/\//);

    const refused = await client.taobao.orders.pay(order.orderId).catch((e: unknown) => e);
    expect((refused as ApiError).code).toBe(42201);
    await t.topUp(t.dev.developId, order.totalPrice);
    const paid = await client.taobao.orders.pay(order.orderId);
    expect(paid).toMatchObject({ payStatus: 'PAID', alreadyPaid: false, paidAmount: order.totalPrice });

    const part = order.subPurchaseOrders[0];
    if (!part) throw new Error('a sub purchase order');
    expect((await client.taobao.orders.logistics(part.subPurchaseOrderId)).pnmLogisticsDetails).toEqual([]);
    await t.server.admin('POST', `/sandbox/taobao/orders/${part.purchaseOrderOuterId}/ship`, {});
    await t.server.drainOutbox();
    const traced = await client.taobao.orders.logistics(part.subPurchaseOrderId, 'en');
    expect(traced.pnmLogisticsDetails[0]?.mailNo).toMatch(/\S/);
  });

  it('cancels an order, uploads a payment voucher, and orders the cart', async () => {
    const [, , c] = skus;
    const order = await client.taobao.orders.create({
      orderLineList: [{ itemId: c.itemId, skuId: c.skuId, quantity: 1 }],
      receiver: RECEIVER,
    });
    const voucher = await client.taobao.orders.uploadVoucher({
      orderId: order.orderId,
      amount: order.totalPrice,
      reference: 'SDK-transfer',
      picture: (await picture()).toString('base64'),
    });
    expect(voucher.status).toBe('pending');
    const cancelled = await client.taobao.orders.cancel(order.orderId, '不想要了');
    expect(cancelled.status).toBe('TRADE_CLOSED');

    const added = await t.post<{ id: string }>(t.dev, '/open/cart/add', { mpId: c.mpId, mpSkuId: c.mpSkuId });
    expect(added.body.code, added.text).toBe(200);
    const fromCart = await client.taobao.cart.createOrder({ ids: [added.body.data.id], orderAddress: RECEIVER });
    expect(fromCart.subPurchaseOrders[0]?.orderLines[0]?.itemId).toBe(c.itemId);
    const gone = await client.taobao.cart
      .createOrder({ ids: [added.body.data.id], orderAddress: RECEIVER })
      .catch((e: unknown) => e);
    expect((gone as ApiError).code).toBe(40401);
  });
});
