import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { expectCode, type Sku, startTaobaoServer, type TaobaoOrder, type TaobaoServer } from './taobao-fixtures.js';

describe('cancel (T10), pre-warehouse (T11) and IM link (T13) of Taobao orders', () => {
  let t: TaobaoServer;
  let sku: Sku;
  beforeAll(async () => {
    t = await startTaobaoServer();
    sku = t.skus[0] as Sku;
  });
  afterEach(async () => {
    await t.server.admin('DELETE', '/sandbox/faults');
  });
  afterAll(() => t.close());

  const cancel = (body: Record<string, unknown>) => t.post<TaobaoOrder>(t.dev, '/open/order/cancel', body);
  const warehouse = (body: Record<string, unknown>) => t.post<TaobaoOrder>(t.dev, '/open/order/updateWarehouse', body);
  const imLink = (body: Record<string, unknown>, who = t.dev) => t.post<string>(who, '/open/order/page/link/get', body);
  const paidOrder = async () => {
    const order = await t.order(t.dev, [sku]);
    await t.topUp(t.dev.developId, order.totalPrice);
    const paid = await t.post(t.dev, '/open/order/pay', { orderId: order.orderId });
    expect(paid.body.code, paid.text).toBe(200);
    return order;
  };

  it('cancels an unpaid order: closed here and upstream, with a status message', async () => {
    const order = await t.order(t.dev, t.skus.slice(0, 2));
    const r = await cancel({ orderId: order.orderId, reason: '不想要了' });
    expect(r.body.code, r.text).toBe(200);
    expect(r.body.data.status).toBe('TRADE_CLOSED');
    expect(r.body.data.subPurchaseOrders.every((p) => p.status === 'TRADE_CLOSED')).toBe(true);
    for (const p of order.subPurchaseOrders) {
      const upstream = await t.server.admin<{ status: string }>(
        'GET',
        `/sandbox/taobao/orders/${p.purchaseOrderOuterId}`,
      );
      expect(upstream.body.data.status).toBe('closed');
    }
    const last = (await t.messages(t.dev, order.orderId)).at(-1);
    expect(last?.messageBody.status).toBe('TRADE_CLOSED');
    expect((await t.get<{ total: number }>(t.dev, '/open/order/page?status=TRADE_CLOSED')).body.data.total).toBe(1);
    expectCode(await cancel({ orderId: order.orderId }), 40901);
  });

  it('refuses to cancel a paid order (40901), keeps the order when the marketplace fails (50201)', async () => {
    const paid = await paidOrder();
    expectCode(await cancel({ orderId: paid.orderId }), 40901);
    const order = await t.order(t.dev, [sku]);
    await t.server.admin('PUT', '/sandbox/faults/cancelOrder', { errorRate: 1 });
    expectCode(await cancel({ orderId: order.orderId }), 50201);
    expect((await t.detail(t.dev, order.orderId)).status).toBe('WAIT_BUYER_PAY');
  });

  it('answers 40401 and 40001 on cancel as on every order route', async () => {
    expectCode(await cancel({ orderId: '1795432287562383360' }), 40401);
    expectCode(await cancel({}), 40001, 'orderId');
    expectCode(await cancel({ orderId: '1', reason: 'x'.repeat(201) }), 40001, 'reason');
  });

  it('records the pre-warehouse until the first seller ships', async () => {
    const order = await paidOrder();
    const body = { orderId: order.orderId, warehouseName: '一号仓库', warehouseAddress: '广西省' };
    const r = await warehouse(body);
    expect(r.body.code, r.text).toBe(200);
    expect(r.body.data).toMatchObject({ warehouseName: '一号仓库', warehouseAddress: '广西省' });
    expect(await t.detail(t.dev, order.orderId)).toMatchObject({ warehouseName: '一号仓库' });
    const shipped = await t.server.admin(
      'POST',
      `/sandbox/taobao/orders/${order.subPurchaseOrders[0]?.purchaseOrderOuterId}/ship`,
      {},
    );
    expect(shipped.body.code, shipped.text).toBe(200);
    await t.server.drainOutbox();
    expectCode(await warehouse({ ...body, warehouseName: '二号仓库' }), 40901);
    expect((await t.detail(t.dev, order.orderId)).warehouseName).toBe('一号仓库');
  });

  it('answers the documented example’s shape, 40901 on a closed order, 40401 and 40001', async () => {
    const example = { warehouseAddress: '广西省', warehouseName: '一号仓库', orderId: '1024285237573584051' };
    expectCode(await warehouse(example), 40401);
    const order = await t.order(t.dev, [sku]);
    expect((await cancel({ orderId: order.orderId })).body.code).toBe(200);
    expectCode(await warehouse({ ...example, orderId: order.orderId }), 40901);
    expectCode(await warehouse({ orderId: order.orderId, warehouseAddress: '广西省' }), 40001, 'warehouseName');
    expectCode(await warehouse({ ...example, warehouseName: '' }), 40001, 'warehouseName');
  });

  it('gives the chat link of an item or of an order, read from sourceType/bizId or from loginName', async () => {
    const item = await imLink({ sourceType: 'item', bizId: sku.itemId });
    expect(item.body.code, item.text).toBe(200);
    expect(item.body.data).toMatch(/^https?:\/\//);
    const legacy = await imLink({
      loginName: JSON.stringify({ sourceType: 'item', bizId: sku.itemId }),
      password: 'x',
      pageName: 'im',
      pageParamMap: '{}',
    });
    expect(legacy.body.data).toBe(item.body.data);
    const order = await t.order(t.sub, [sku]);
    const part = order.subPurchaseOrders[0]?.subPurchaseOrderId;
    for (const bizId of [order.orderId, part]) {
      for (const who of [t.sub, t.dev]) {
        const r = await imLink({ sourceType: 'order', bizId }, who);
        expect(r.body.code, r.text).toBe(200);
        expect(r.body.data).toMatch(/^https?:\/\//);
      }
      expectCode(await imLink({ sourceType: 'order', bizId }, t.sibling), 40401);
      expectCode(await imLink({ sourceType: 'order', bizId }, t.other), 40401);
    }
  });

  it('answers the documented example with 40401 (unknown item), and 40001 for what it cannot read', async () => {
    expectCode(await imLink({ sourceType: 'item', bizId: '234576234' }), 40401);
    expectCode(await imLink({ loginName: '{"sourceType":"item","bizId":"700187748440"}' }), 40401);
    expectCode(await imLink({}), 40001, 'sourceType');
    expectCode(await imLink({ loginName: 'someone', password: 'secret' }), 40001, 'sourceType');
    expectCode(await imLink({ sourceType: 'shop', bizId: '1' }), 40001, 'sourceType');
    expectCode(await imLink({ loginName: '{"sourceType":"shop","bizId":"1"}' }), 40001, 'sourceType');
    expectCode(await imLink({ sourceType: 'item' }), 40001, 'bizId');
    expectCode(await imLink({ sourceType: 'item', bizId: 'abc' }), 40001, 'bizId');
  });

  it('answers 50201 when the marketplace fails', async () => {
    await t.server.admin('PUT', '/sandbox/faults/chatUrl', { errorRate: 1 });
    expectCode(await imLink({ sourceType: 'item', bizId: sku.itemId }), 50201);
  });
});
