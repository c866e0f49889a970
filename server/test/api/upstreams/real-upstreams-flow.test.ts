import type { ApiError } from '@ponte/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADDRESS } from '../orders/alibaba-fixtures.js';
import { RECEIVER } from '../orders/taobao-fixtures.js';
import { type RealUpstreamServer, startRealUpstreamServer } from './real-fixtures.js';

/**
 * The buying flow of each platform through Ponte's own API, with the real providers pointed at the fakes of
 * 1688's and Taobao Global's gateways over HTTP (docs/adr/0016): authorised by OAuth, then search, details, order,
 * pay; what the upstream has no API for answers 50101 naming the operation and the upstream.
 */
let s: RealUpstreamServer;

beforeAll(async () => {
  s = await startRealUpstreamServer({ UPSTREAM_BREAKER_FAILURES: '3', UPSTREAM_BREAKER_OPEN_MS: '400' });
  await s.admin.topups.create(s.dev.developId, { amount: 50_000_000, reference: 'real upstreams' });
}, 120_000);
afterAll(() => s?.close());

describe('before authorisation', () => {
  it('a call answers 50201 saying the upstream is not authorised yet', async () => {
    const refused = await s.client.alibaba.search({ keyword: '', pageSize: 5 }).catch((e: unknown) => e);
    expect((refused as ApiError).code).toBe(50201);
    expect((refused as ApiError).msg).toContain('not authorised');
  });
});

describe('1688 through the AOP gateway', () => {
  it('authorises, searches, reads details, orders and pays', async () => {
    await s.authorize('1688');
    const status = await s.server.admin<{ platform: string; mode: string; owner: string | null }[]>(
      'GET',
      '/admin/upstreams',
    );
    expect(status.body.code, status.text).toBe(200);
    expect(JSON.stringify(status.body.data)).toContain('b2b-2207000001');

    const page = await s.client.alibaba.search({ keyword: '', pageSize: 20 });
    expect(page.data.length).toBeGreaterThan(0);
    let offer: { offerId: string; specId: string; quantity: number } | undefined;
    for (const hit of page.data) {
      const detail = await s.client.alibaba.detail({ offerId: String(hit.offerId) });
      const sku = detail.productSkuInfos.find((k) => k.amountOnSale >= detail.minOrderQuantity * 2);
      if (detail.status === 'published' && sku) {
        offer = { offerId: String(hit.offerId), specId: sku.specId, quantity: detail.minOrderQuantity };
        break;
      }
    }
    if (!offer) throw new Error('an orderable offer');
    const created = await s.client.alibaba.orders.create(
      { flow: 'general', addressParam: ADDRESS, cargoParamList: [offer] },
      { idempotencyKey: 'real-1688-order' },
    );
    const paid = await s.client.alibaba.orders.payUrl(created.orderId);
    expect(paid.protocolPaySuccess).toBe(true);
    const order = await s.client.alibaba.orders.get(created.orderId);
    expect(order.baseInfo.status).toBe('waitsellersend');
    // The marketplace holds the order, paid, under 1688's own id.
    const upstreamId = order.extAttributes.find((a) => a.key === 'upstreamOrderId')?.value ?? '';
    expect((await s.admin.sandbox.order('1688', upstreamId)).status).toBe('wait_seller_send');

    // The seller ships: 1688 pushes the change, Ponte reads the order again and moves its own.
    await s.admin.sandbox.ship('1688', upstreamId);
    await s.until(
      async () => (await s.client.alibaba.orders.get(created.orderId)).baseInfo.status === 'waitbuyerreceive',
      'the shipment pushed',
    );
    const trace = await s.client.alibaba.orders.trace(created.orderId);
    expect(JSON.stringify(trace)).toContain('logisticsSteps');
    expect(s.pushes.aop.sent.some((p) => p.topic === 'ORDER_BUYER_VIEW_ANNOUNCE_SENDGOODS')).toBe(true);

    // After-sales: a refund of the line, agreed by the seller, credited once.
    const lineId = order.productItems[0]?.subItemIDString ?? '';
    const reasons = await s.client.alibaba.refunds.reasons({
      orderId: created.orderId,
      orderEntryIds: [lineId],
      goodsStatus: 'refundWaitBuyerReceive',
    });
    const reason = reasons.reasons[0];
    if (!reason) throw new Error('a refund reason');
    const before = (await s.client.account.balance()).balance;
    const refund = await s.client.alibaba.refunds.create({
      orderId: created.orderId,
      orderEntryIds: [lineId],
      disputeRequest: 'refund',
      applyPayment: 100,
      applyCarriage: 0,
      applyReasonId: reason.id,
      description: 'the goods are late',
      goodsStatus: 'refundWaitBuyerReceive',
    });
    const refundId = refund.refundId;
    const info = await s.client.alibaba.refunds.info(refundId);
    await s.admin.sandbox.agreeRefund('1688', info.refundOuterId ?? '');
    await s.until(
      async () => (await s.client.account.balance()).balance === before + 100,
      'the refund credited after the pushed agreement',
    );

    // The buyer confirms receipt through Ponte: 1688's confirm API.
    expect(await s.client.alibaba.orders.confirmReceipt(created.orderId)).toBe(true);
  });
});

describe('1688 when things go wrong', () => {
  interface Status {
    platform: string;
    refreshedAt: number | null;
  }
  const refreshedAt = async () => {
    const r = await s.server.admin<{ list: Status[] }>('GET', '/admin/upstreams');
    return r.body.data.list.find((x) => x.platform === '1688')?.refreshedAt ?? null;
  };

  it('a token that expired mid-flow is refreshed once and the call goes through', async () => {
    expect(await refreshedAt()).toBeNull();
    // The gateway's clock passes the token's ten hours: it refuses the token Ponte still believes valid.
    s.aopSkew.ms = 11 * 3_600_000;
    const page = await s.client.alibaba.search({ keyword: '', pageSize: 5 });
    expect(page.data.length).toBeGreaterThan(0);
    const first = await refreshedAt();
    expect(first).not.toBeNull();
    // The new token serves the next calls without another refresh.
    await s.client.alibaba.search({ keyword: '', pageSize: 6 });
    expect(await refreshedAt()).toBe(first);
  });

  it('the gateway down: 50201, then fast while the circuit is open, then recovered', async () => {
    await s.admin.sandbox.setFault('search', { errorRate: 1 });
    for (let i = 0; i < 3; i++) {
      const failed = await s.client.alibaba.search({ keyword: '', pageSize: 5 }).catch((e: unknown) => e);
      expect((failed as ApiError).code).toBe(50201);
    }
    // Open: answered at once, without reaching the gateway.
    const started = Date.now();
    const open = await s.client.alibaba.search({ keyword: '', pageSize: 5 }).catch((e: unknown) => e);
    expect((open as ApiError).code).toBe(50201);
    expect((open as ApiError).msg).toContain('circuit open');
    expect(Date.now() - started).toBeLessThan(200);
    // Other operations keep their own circuits.
    expect((await s.client.alibaba.orders.list({})).result).toBeDefined();
    await s.admin.sandbox.clearFaults();
    await new Promise((resolve) => setTimeout(resolve, 450));
    const back = await s.client.alibaba.search({ keyword: '', pageSize: 5 });
    expect(back.data.length).toBeGreaterThan(0);
  });
});

describe('Taobao through the IOP gateway', () => {
  it('authorises, searches, reads details, orders and pays', async () => {
    await s.authorize('taobao');
    const page = await s.client.taobao.search({ keyword: '', pageSize: 20 });
    expect(page.list.length).toBeGreaterThan(0);
    const hit = page.list[0];
    if (!hit) throw new Error('a hit');
    const product = await s.client.taobao.get(String(hit.itemId));
    const sku = product.skuList.find((k) => k.quantity >= 5);
    if (!sku) throw new Error('a SKU in stock');
    const order = await s.client.taobao.orders.create({
      orderLineList: [{ itemId: String(hit.itemId), skuId: sku.skuId, quantity: 1, orderLineNo: '1' }],
      receiver: RECEIVER,
    });
    await s.client.taobao.orders.pay(order.orderId);
    const read = await s.client.taobao.orders.get(order.orderId);
    expect(read.status).toBe('WAIT_SELLER_SEND_GOODS');

    // The seller ships: Taobao Global pushes the status change (type 3), Ponte reads it and follows.
    const sub = read.subPurchaseOrders[0];
    if (!sub) throw new Error('a sub purchase order');
    await s.admin.sandbox.ship('taobao', sub.purchaseOrderOuterId);
    const shipped = await s.until(async () => {
      const now = await s.client.taobao.orders.get(order.orderId);
      return now.subPurchaseOrders[0]?.orderLines[0]?.mailNo ? now : null;
    }, 'the shipment pushed');
    const logistics = await s.client.taobao.orders.logistics(sub.subPurchaseOrderId);
    expect(JSON.stringify(logistics)).toContain(shipped.subPurchaseOrders[0]?.orderLines[0]?.mailNo ?? '?');

    // Taobao Global documents no refund application API: the render answers 50101 naming both.
    const line = read.subPurchaseOrders[0]?.orderLines[0];
    const refused = await s.client.taobao.refunds
      .render({ subOrderId: line?.purchaseOrderLineId ?? '', refundType: 1, goodsStatus: 1 })
      .catch((e: unknown) => e);
    expect((refused as ApiError).code, String(refused)).toBe(50101);
    expect((refused as ApiError).msg).toContain('taobao-global');
    expect((refused as ApiError).msg).toContain('refundOptions');
  });
});
