import { ApiError, PonteClient } from '@ponte/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RECEIVER, type Sku, startTaobaoServer, type TaobaoServer } from '../api/orders/taobao-fixtures.js';

const OPAQUE = /^[A-Za-z0-9_-]{22,}$/;

/** `client.v2`: every v2 operation by name, its input split into query, path and body as the operation takes it. */
describe('the SDK on the v2 surface', () => {
  let t: TaobaoServer;
  let client: PonteClient;
  let sku: Sku;
  beforeAll(async () => {
    t = await startTaobaoServer();
    sku = (t.skus as [Sku])[0];
    client = new PonteClient({ baseUrl: t.server.baseUrl, ...t.dev });
  });
  afterAll(() => t.close());

  it('finds, orders and pays a Taobao item with opaque ids, as the README shows', async () => {
    const found = await client.v2.taobaoGetProduct({ itemId: sku.itemId, language: 'en' });
    expect(found.itemId).toMatch(OPAQUE);
    const page = await client.v2.taobaoSearch({ keyword: found.titleTrans, pageSize: 40 });
    expect(page.list.map((i) => i.itemId)).toContain(found.itemId);
    const item = await client.v2.taobaoGetProduct({ itemId: found.itemId });
    const skuId = item.skuList.find((s) => t.server.deps.opaqueIds.decode('taobao-sku', s.skuId) === sku.skuId)?.skuId;
    expect(skuId).toMatch(OPAQUE);

    const order = await client.v2.taobaoCreateOrder(
      { orderLineList: [{ itemId: item.itemId, skuId, quantity: 1 }], receiver: RECEIVER, sellerOrderNumber: 'V2-1' },
      { idempotencyKey: 'v2-sdk-create' },
    );
    expect(order.orderId).toMatch(OPAQUE);
    expect(order.subPurchaseOrders[0]?.orderLines[0]?.itemId).toBe(item.itemId);
    await t.topUp(t.dev.developId, order.totalPrice);
    const paid = await client.v2.taobaoPayOrder({ orderId: order.orderId }, { idempotencyKey: 'v2-sdk-pay' });
    expect(paid.payStatus).toBe('PAID');
    // The v1 client sees the same order under its v1 id.
    const v1 = await client.taobao.orders.get(t.server.deps.opaqueIds.decode('order', order.orderId) ?? '');
    expect(v1.payStatus).toBe('PAID');

    // GET on v1, POST with a body on v2: the SDK sends the fields where the operation takes them.
    const listed = await client.v2.taobaoListOrders({ sellerOrderNumber: 'V2-1' });
    expect(listed.list.map((o) => o.orderId)).toEqual([order.orderId]);
  });

  it('puts path fields in the path and throws the envelope’s error', async () => {
    const missing = await client.v2.taobaoCancelRefund({ refundId: '1795432287562383361' }).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(ApiError);
    expect((missing as ApiError).code).toBe(40401);
    const unknown = await client.v2.taobaoGetProduct({ itemId: 'WUnUC1cILiBjt-Jv3lDdlQ' }).catch((e: unknown) => e);
    expect((unknown as ApiError).code).toBe(40401);
  });
});
