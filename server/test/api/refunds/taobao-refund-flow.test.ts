import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTaobaoServer, type TaobaoServer } from '../orders/taobao-fixtures.js';

interface Aggregate {
  refundOrderAggregate: {
    refundOrder: { refundId: string; refundStatus: string; refundFee: number; refundedFee: number; version: number };
    purchaseOrderLine: { purchaseOrderLineId: string };
  };
}

let t: TaobaoServer;
beforeAll(async () => {
  t = await startTaobaoServer();
}, 120_000);
afterAll(() => t?.close());

async function paidOrder() {
  await t.topUp(t.dev.developId, 1_000_000);
  const order = await t.order(t.sub, [t.skus[0]!]);
  const paid = await t.post(t.sub, '/open/order/pay', { orderId: order.orderId });
  expect(paid.body.code, paid.text).toBe(200);
  return t.detail(t.sub, order.orderId);
}

describe('Taobao reverse orders', () => {
  it('refund only, agreed by the seller: credited once, order closed, messages written', async () => {
    const order = await paidOrder();
    const line = order.subPurchaseOrders[0]!.orderLines[0]!;
    const before = await t.balance(t.dev);
    const render = await t.post<{
      saleFlag: boolean;
      refundOrderTemplate: { refundReasons: { reasonId: string }[]; maxRefundFee: { refundFee: number } };
    }>(t.sub, '/open/order/refund/render', { subOrderId: line.purchaseOrderLineId, refundType: 1, goodsStatus: 1 });
    expect(render.body.code, render.text).toBe(200);
    expect(render.body.data.saleFlag).toBe(true);
    const max = render.body.data.refundOrderTemplate.maxRefundFee.refundFee;
    expect(max).toBe(line.totalPrice);
    const submit = await t.post<Aggregate>(t.sub, '/open/order/refund/submit', {
      subOrderId: line.purchaseOrderLineId,
      refundType: 1,
      goodsStatus: 1,
      reasonId: render.body.data.refundOrderTemplate.refundReasons[0]!.reasonId,
      refundFee: max,
      refundDesc: 'no longer needed',
    });
    expect(submit.body.code, submit.text).toBe(200);
    const refundId = submit.body.data.refundOrderAggregate.refundOrder.refundId;
    expect(submit.body.data.refundOrderAggregate.refundOrder.refundStatus).toBe('100');
    const agree = await t.server.admin('POST', `/sandbox/taobao/refunds/${await upstreamId(refundId)}/agree`, {});
    expect(agree.body.code, agree.text).toBe(200);
    await t.server.drainOutbox();
    const q = await t.get<Aggregate>(t.sub, `/open/order/refund/query?refundId=${refundId}`);
    expect(q.body.code, q.text).toBe(200);
    expect(q.body.data.refundOrderAggregate.refundOrder.refundStatus).toBe('400');
    expect(q.body.data.refundOrderAggregate.refundOrder.refundedFee).toBe(max);
    expect(await t.balance(t.dev)).toBe(before + max);
    const after = await t.detail(t.sub, order.orderId);
    expect(after.status).toBe('TRADE_CLOSED');
    const messages = await t.messages(t.sub, refundId);
    expect(messages.map((m) => m.messageType)).toEqual([
      'ORDER_BUYER_VIEW_ORDER_BUYER_REFUND',
      'ORDER_BUYER_VIEW_ORDER_BUYER_REFUND',
    ]);
  });
});

async function upstreamId(refundId: string): Promise<string> {
  const row = await t.server.deps.database.db
    .selectFrom('refunds')
    .select('upstream_refund_id')
    .where('id', '=', refundId)
    .executeTakeFirstOrThrow();
  return row.upstream_refund_id as string;
}
