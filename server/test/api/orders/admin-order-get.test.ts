import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RefundServer, startRefundServer } from '../refunds/taobao-refund-fixtures.js';
import { ADDRESS } from './alibaba-fixtures.js';
import { expectCode, type TaobaoOrder } from './taobao-fixtures.js';

/** `GET /admin/orders/{orderId}`'s answer (the fields the tests read). */
interface AdminOrderDetail {
  orderId: string;
  platform: string;
  status: string;
  platformStatus: string;
  payState: string;
  total: number;
  paid: number;
  refunded: number;
  lineCount: number;
  parts: {
    partId: string;
    upstreamOrderId: string;
    shopId: string;
    shopName: string;
    status: string;
    platformStatus: string;
    payState: string;
    total: number;
  }[];
  lines: {
    lineId: string;
    partId: string;
    upstreamOrderId: string;
    upstreamLineId: string;
    productId: string;
    skuId: string | null;
    title: string;
    titleTrans: string;
    quantity: number;
    price: number;
    amount: number;
    refunded: number;
    status: string;
    platformStatus: string;
  }[];
  history: { partId: string | null; from: string | null; to: string; cause: string; time: number }[];
  payments: { method: string; voucherId: string | null; amount: number; reversed: number; state: string }[];
  refundIds: string[];
}

describe('GET /admin/orders/{orderId}', () => {
  let t: RefundServer;
  /** Unpaid, of two sellers (the developer's main account). */
  let unpaid: TaobaoOrder;
  /** Paid by a sub-account, then refunded in full. */
  let paid: TaobaoOrder;
  let refundId: string;
  let alibabaOrderId: string;

  beforeAll(async () => {
    t = await startRefundServer();
    const [x, y] = t.skus;
    if (!x || !y) throw new Error('two SKUs needed');
    unpaid = await t.order(t.dev, [x, y]);
    paid = await t.paidOrder(t.sub, [x]);
    const line = paid.subPurchaseOrders[0]?.orderLines[0];
    if (!line) throw new Error('no line');
    refundId = (await t.open(t.sub, line)).refundId;
    const agreed = await t.seller('agree', refundId);
    expect(agreed.body.code, agreed.text).toBe(200);

    const search = await t.post<{ data: { offerId: number; sellerOpenId: string | null }[] }>(
      t.other,
      '/alibaba/product/keywords/query',
      { pageSize: 50 },
    );
    for (const hit of search.body.data.data) {
      const d = await t.post<{ status: string; minOrderQuantity: number; productSkuInfos: { specId: string }[] }>(
        t.other,
        '/alibaba/product/detail/get',
        { offerId: String(hit.offerId) },
      );
      const spec = d.body.data.productSkuInfos[0];
      if (!hit.sellerOpenId || d.body.data.status !== 'published' || !spec) continue;
      const cargo = { offerId: String(hit.offerId), specId: spec.specId, quantity: d.body.data.minOrderQuantity };
      const created = await t.post<{ orderId: string }>(t.other, '/alibaba/order/create', {
        flow: 'general',
        addressParam: ADDRESS,
        cargoParamList: [cargo],
      });
      if (created.body.code !== 200) continue;
      alibabaOrderId = created.body.data.orderId;
      break;
    }
    if (!alibabaOrderId) throw new Error('no 1688 order placed');
  });
  afterAll(() => t.close());

  const get = async (orderId: string) => {
    const r = await t.server.admin<AdminOrderDetail>('GET', `/admin/orders/${orderId}`);
    expect(r.body.code, r.text).toBe(200);
    return r.body.data;
  };

  it('answers the list’s row with the parts, lines, creation history and no payment or refund yet', async () => {
    const detail = await get(unpaid.orderId);
    const listed = await t.server.admin<{ list: Record<string, unknown>[] }>(
      'GET',
      `/admin/orders?developId=${t.dev.developId}&status=wait_buyer_pay`,
    );
    const row = listed.body.data.list.find((o) => o.orderId === unpaid.orderId);
    expect(row).toBeDefined();
    expect(detail).toMatchObject(row ?? {});
    expect(detail).toMatchObject({ platform: 'taobao', status: 'wait_buyer_pay', payState: 'unpaid', lineCount: 2 });

    expect(detail.parts).toEqual(
      unpaid.subPurchaseOrders.map((p) =>
        expect.objectContaining({
          partId: p.subPurchaseOrderId,
          upstreamOrderId: p.purchaseOrderOuterId,
          shopId: p.supplierId,
          shopName: p.supplierNick,
          status: 'wait_buyer_pay',
          platformStatus: 'WAIT_BUYER_PAY',
          payState: 'unpaid',
          total: p.totalPrice,
        }),
      ),
    );
    expect(detail.lines).toEqual(
      unpaid.subPurchaseOrders.flatMap((p) =>
        p.orderLines.map((l) =>
          expect.objectContaining({
            lineId: l.purchaseOrderLineId,
            partId: p.subPurchaseOrderId,
            upstreamOrderId: p.purchaseOrderOuterId,
            upstreamLineId: (l as typeof l & { purchaseOrderLineOuterId: string }).purchaseOrderLineOuterId,
            productId: l.itemId,
            skuId: l.skuId,
            title: l.itemTitle,
            quantity: 1,
            price: l.price,
            amount: l.totalPrice,
            refunded: 0,
            status: 'wait_buyer_pay',
            platformStatus: 'WAIT_BUYER_PAY',
          }),
        ),
      ),
    );
    expect(detail.history).toEqual([
      expect.objectContaining({ partId: null, from: null, to: 'WAIT_BUYER_PAY', cause: 'api:create' }),
    ]);
    expect(detail.payments).toEqual([]);
    expect(detail.refundIds).toEqual([]);
  });

  it('shows the payment, the status changes and the refund credited on the line', async () => {
    const detail = await get(paid.orderId);
    const refund = (await t.refund(t.dev, refundId)).refundOrder;
    expect(refund.refundStatus).toBe('400');
    expect(refund.refundedFee).toBeGreaterThan(0);
    expect(detail.payments).toEqual([
      expect.objectContaining({
        method: 'balance',
        voucherId: null,
        amount: paid.totalPrice,
        reversed: 0,
        state: 'paid',
      }),
    ]);
    expect(detail.paid).toBe(paid.totalPrice);
    expect(detail.refundIds).toEqual([refundId]);
    expect(detail.refunded).toBe(refund.refundedFee);
    expect(detail.lines[0]?.refunded).toBe(refund.refundedFee);
    const tos = detail.history.map((h) => h.to);
    expect(tos.slice(0, 2)).toEqual(['WAIT_BUYER_PAY', 'WAIT_SELLER_SEND_GOODS']);
    const times = detail.history.map((h) => h.time);
    expect(times).toEqual([...times].sort((p, q) => p - q));
    // Its only line refunded in full: the order closed.
    expect((await t.detail(t.dev, paid.orderId)).status).toBe('TRADE_CLOSED');
    expect(detail).toMatchObject({ status: 'closed', platformStatus: 'TRADE_CLOSED', payState: 'paid' });
    expect(tos.at(-1)).toBe('TRADE_CLOSED');
  });

  it('reads a 1688 order: one part, its lines, in 1688’s words beside the neutral ones', async () => {
    const detail = await get(alibabaOrderId);
    expect(detail).toMatchObject({
      platform: '1688',
      status: 'wait_buyer_pay',
      platformStatus: 'waitbuyerpay',
      payState: 'unpaid',
    });
    expect(detail.parts).toHaveLength(1);
    expect(detail.lines.length).toBeGreaterThanOrEqual(1);
    expect(detail.lineCount).toBe(detail.lines.length);
    for (const line of detail.lines) {
      expect(line).toMatchObject({ status: 'wait_buyer_pay', platformStatus: 'waitbuyerpay' });
      expect(line.partId).toBe(detail.parts[0]?.partId);
      expect(line.amount).toBe(line.price * line.quantity);
    }
    expect(detail.total).toBe(detail.parts[0]?.total);
  });

  it('answers 40401 for an unknown order and 40001 for a malformed id', async () => {
    expectCode(await t.server.admin('GET', '/admin/orders/1795432287562383360'), 40401);
    expectCode(await t.server.admin('GET', '/admin/orders/abc'), 40001, 'orderId');
  });

  it('answers 40106 (HTTP 401) without the operator token, with a wrong one, or signed as a developer', async () => {
    const url = `/admin/orders/${unpaid.orderId}`;
    for (const headers of [{}, { authorization: `Bearer ${'x'.repeat(32)}` }] as Record<string, string>[]) {
      expectCode(await t.server.request('GET', url, { headers }), 40106);
    }
    expectCode(await t.get(t.dev, url), 40106);
  });
});
