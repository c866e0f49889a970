import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Credentials, Reply } from '../../harness.js';
import { expectLedgerBalanced } from '../../ledger.js';
import { ADDRESS } from '../orders/alibaba-fixtures.js';
import {
  expectCode,
  type Sku,
  startTaobaoServer,
  type TaobaoOrder,
  type TaobaoServer,
} from '../orders/taobao-fixtures.js';

/**
 * Money back exactly once (docs/adr/0014): however many refunds are asked for at once, one line has one open refund
 * and its success credits the developer's balance once, through the ledger; partial refunds of an order's lines add
 * up to its goods amount and never beyond what is left; a marketplace closing an order refunded in full credits
 * nothing more. Taobao (T22) and 1688 (A23) alike.
 */

interface RefundOrder {
  refundId: string;
  refundOuterId: string | null;
  refundStatus: string;
  refundFee: number;
  refundedFee: number;
}
interface Aggregate {
  refundOrderAggregate: { refundOrder: RefundOrder };
}
interface Render {
  saleFlag: boolean;
  refundOrderTemplate: { refundReasons: { reasonId: string }[]; maxRefundFee: { refundFee: number } };
}

let t: TaobaoServer;
/** Sellers ship late (never within these tests), so that every line stays "not shipped" (refund only). */
const POLICY = { priceModifyRate: 0, shipAfterMs: 30 * 86_400_000, refundDecision: 'agree' };

beforeAll(async () => {
  t = await startTaobaoServer();
  const policy = await t.server.admin('PUT', '/sandbox/policy', POLICY);
  expect(policy.body.code, policy.text).toBe(200);
  await t.topUp(t.dev.developId, 50_000_000);
}, 120_000);
afterAll(() => t?.close());

const db = () => t.server.deps.database.db;

// -- helpers ------------------------------------------------------------------------------------------------

async function paidTaobaoOrder(lines: { sku: Sku; quantity?: number }[]): Promise<TaobaoOrder> {
  const created = await t.create(t.sub, lines);
  expect(created.body.code, created.text).toBe(200);
  const paid = await t.post(t.sub, '/open/order/pay', { orderId: created.body.data.orderId });
  expect(paid.body.code, paid.text).toBe(200);
  const order = await t.detail(t.sub, created.body.data.orderId);
  expect(order.payStatus, JSON.stringify(order)).not.toBe('WAIT_PAY');
  return order;
}

async function render(lineId: string): Promise<Render> {
  const r = await t.post<Render>(t.sub, '/open/order/refund/render', {
    subOrderId: lineId,
    refundType: 1,
    goodsStatus: 1,
  });
  expect(r.body.code, r.text).toBe(200);
  return r.body.data;
}

function submit(lineId: string, reasonId: string, fee: number, key?: string): Promise<Reply<Aggregate>> {
  return t.post<Aggregate>(
    t.sub,
    '/open/order/refund/submit',
    { subOrderId: lineId, refundType: 1, goodsStatus: 1, reasonId, refundFee: fee, refundDesc: 'ledger test' },
    key ? { 'idempotency-key': key } : {},
  );
}

async function query(refundId: string): Promise<RefundOrder> {
  const r = await t.get<Aggregate>(t.sub, `/open/order/refund/query?refundId=${refundId}`);
  expect(r.body.code, r.text).toBe(200);
  return r.body.data.refundOrderAggregate.refundOrder;
}

async function upstreamIdOf(refundId: string): Promise<string> {
  const row = await db()
    .selectFrom('refunds')
    .select('upstream_refund_id')
    .where('id', '=', refundId)
    .executeTakeFirstOrThrow();
  expect(row.upstream_refund_id).not.toBeNull();
  return row.upstream_refund_id as string;
}

/** The seller agrees now (sandbox), and the marketplace's events reach the refund. */
async function agree(platform: 'taobao' | '1688', refundId: string): Promise<void> {
  const r = await t.server.admin('POST', `/sandbox/${platform}/refunds/${await upstreamIdOf(refundId)}/agree`, {});
  expect(r.body.code, r.text).toBe(200);
  await t.server.drainOutbox();
}

/** Every refund row of a line, whatever its state (a create under way included). */
async function refundRowsOfLine(lineId: string) {
  return db().selectFrom('refunds').selectAll().where('line_id', '=', lineId).execute();
}

/** What the ledger credited the developer's balance for an order's refunds and closes, by transaction. */
async function creditsOfOrder(orderId: string, developId: string) {
  return db()
    .selectFrom('ledger_transactions as t')
    .innerJoin('ledger_entries as e', 'e.transaction_id', 't.id')
    .select(['t.idem_key', 't.kind', 'e.amount_fen'])
    .where('t.order_id', '=', orderId)
    .where('t.kind', 'in', ['refund', 'order_refund'])
    .where('e.account', '=', `developer:${developId}:balance`)
    .orderBy('t.created_at')
    .orderBy('t.id')
    .execute();
}

/** The marketplace's events of one of its orders, as the sandbox lists them (delivered or not). */
async function marketEvents(upstreamOrderId: string, type: string) {
  const r = await t.server.admin<{ list: { eventId: string; delivered: boolean; data: Record<string, unknown> }[] }>(
    'GET',
    `/sandbox/events?orderId=${upstreamOrderId}&type=${type}&limit=500`,
  );
  expect(r.body.code, r.text).toBe(200);
  return r.body.data.list;
}

async function upstreamOrderIdsOf(orderId: string): Promise<string[]> {
  const parts = await db()
    .selectFrom('order_parts')
    .select('upstream_order_id')
    .where('order_id', '=', orderId)
    .execute();
  return parts.map((p) => p.upstream_order_id as string);
}

/** Two SKUs of one item (one shop), so that an order of both has two lines in one seller part. */
async function twoSkusOfOneItem(): Promise<[Sku, Sku]> {
  for (const sku of t.skus) {
    const p = await t.get<{
      skuList: { skuId: string; mpSkuId: string | null; quantity: number; promotionPrice: number }[];
    }>(t.dev, `/open/product/get?itemId=${sku.itemId}`);
    expect(p.body.code, p.text).toBe(200);
    const usable = p.body.data.skuList.filter((s) => s.mpSkuId && s.quantity >= 10);
    if (usable.length < 2) continue;
    const [a, b] = usable as [(typeof usable)[number], (typeof usable)[number]];
    const as = (s: typeof a): Sku => ({
      ...sku,
      skuId: s.skuId,
      mpSkuId: s.mpSkuId as string,
      priceFen: s.promotionPrice,
    });
    return [as(a), as(b)];
  }
  throw new Error('no item of the catalog has two SKUs in stock');
}

/** Runs `n` calls at once and answers their replies, checking none is a server error. */
async function atOnce<T>(n: number, call: (i: number) => Promise<Reply<T>>): Promise<Reply<T>[]> {
  const replies = await Promise.all(Array.from({ length: n }, (_, i) => call(i)));
  for (const r of replies) expect(r.status, r.text).toBeLessThan(500);
  return replies;
}

// -- 1688 ---------------------------------------------------------------------------------------------------

interface Offer {
  offerId: string;
  specId: string;
  quantity: number;
}

/** A 1688 offer with stock enough for a few orders, found as a developer finds one (A3, then A1). */
async function findOffer(dev: Credentials): Promise<Offer> {
  const search = await t.post<{ data: { offerId: number; sellerOpenId: string | null }[] }>(
    dev,
    '/alibaba/product/keywords/query',
    { pageSize: 50 },
  );
  expect(search.body.code, search.text).toBe(200);
  for (const hit of search.body.data.data) {
    if (!hit.sellerOpenId) continue;
    const d = await t.post<{
      status: string;
      minOrderQuantity: number;
      productSkuInfos: { specId: string; amountOnSale: number }[];
    }>(dev, '/alibaba/product/detail/get', { offerId: String(hit.offerId) });
    if (d.body.code !== 200 || d.body.data.status !== 'published') continue;
    const sku = d.body.data.productSkuInfos.find((s) => s.amountOnSale >= d.body.data.minOrderQuantity * 4);
    if (sku) return { offerId: String(hit.offerId), specId: sku.specId, quantity: d.body.data.minOrderQuantity };
  }
  throw new Error('no 1688 offer in stock');
}

async function paidAlibabaOrder(
  offer: Offer,
): Promise<{ orderId: string; entryId: string; amount: number; paid: number }> {
  const created = await t.post<{ orderId: string; totalSuccessAmount: number }>(t.dev, '/alibaba/order/create', {
    flow: 'general',
    addressParam: ADDRESS,
    cargoParamList: [{ offerId: offer.offerId, specId: offer.specId, quantity: offer.quantity }],
  });
  expect(created.body.code, created.text).toBe(200);
  const { orderId, totalSuccessAmount } = created.body.data;
  const pay = await t.get<{ protocolPaySuccess: boolean }>(t.dev, `/alibaba/order/pay/url?orderId=${orderId}`);
  expect(pay.body.code, pay.text).toBe(200);
  expect(pay.body.data.protocolPaySuccess).toBe(true);
  const detail = await t.post<{ productItems: { subItemID: string; itemAmount: number }[] }>(
    t.dev,
    '/alibaba/order/detail',
    {
      webSite: '1688',
      orderId,
    },
  );
  expect(detail.body.code, detail.text).toBe(200);
  const [item] = detail.body.data.productItems;
  if (!item) throw new Error('an order line is needed');
  return { orderId, entryId: item.subItemID, amount: item.itemAmount, paid: totalSuccessAmount };
}

// -- the tests ----------------------------------------------------------------------------------------------

describe('20 full refunds of one line at once', () => {
  it('Taobao T22: one is created, the others answer 40901; the success credits the line once', async () => {
    const [sku] = t.skus;
    if (!sku) throw new Error('a SKU is needed');
    const order = await paidTaobaoOrder([{ sku }]);
    const line = order.subPurchaseOrders[0]?.orderLines[0];
    if (!line) throw new Error('an order line is needed');
    const options = await render(line.purchaseOrderLineId);
    expect(options.refundOrderTemplate.maxRefundFee.refundFee).toBe(line.totalPrice);
    // Under 99 yuan: the order paid shipping, which a refund of the line does not give back.
    expect(order.postFee).toBeGreaterThan(0);
    expect(order.totalPrice).toBe(line.totalPrice + order.postFee);
    const reasonId = options.refundOrderTemplate.refundReasons[0]?.reasonId as string;
    const before = await t.balance(t.dev);

    // The marketplace answers slowly, so that the first create is still under way while the others come in.
    const slow = await t.server.admin('PUT', '/sandbox/faults/createRefund', { latencyMs: 150 });
    expect(slow.body.code, slow.text).toBe(200);
    let replies: Reply<Aggregate>[];
    try {
      replies = await atOnce(20, (i) =>
        submit(
          line.purchaseOrderLineId,
          reasonId,
          line.totalPrice,
          i % 2 === 0 ? `full-tb-${order.orderId}-${i}` : undefined,
        ),
      );
    } finally {
      await t.server.admin('DELETE', '/sandbox/faults');
    }
    const created = replies.filter((r) => r.body.code === 200);
    expect(created, replies.map((r) => r.text).join('\n')).toHaveLength(1);
    for (const r of replies) if (r.body.code !== 200) expectCode(r, 40901);
    expect(await refundRowsOfLine(line.purchaseOrderLineId)).toHaveLength(1);

    const refundId = created[0]?.body.data.refundOrderAggregate.refundOrder.refundId as string;
    await agree('taobao', refundId);
    const refund = await query(refundId);
    expect(refund).toMatchObject({ refundStatus: '400', refundFee: line.totalPrice, refundedFee: line.totalPrice });
    expect(await t.balance(t.dev)).toBe(before + line.totalPrice);
    expect(await creditsOfOrder(order.orderId, t.dev.developId)).toEqual([
      { idem_key: `refund:taobao:${refund.refundOuterId}`, kind: 'refund', amount_fen: line.totalPrice },
    ]);
    // The line refunded in full closed the order; the marketplace then closed its order too ("refunded in full"),
    // which credits nothing more: the shipping stays with the seller.
    expect((await t.detail(t.sub, order.orderId)).status).toBe('TRADE_CLOSED');
    const [upstreamOrder] = await upstreamOrderIdsOf(order.orderId);
    const closed = await marketEvents(upstreamOrder as string, 'order.closed');
    expect(closed.map((e) => [e.data.reason, e.delivered])).toEqual([['refunded in full', true]]);
    expect(await t.balance(t.dev)).toBe(before + line.totalPrice);

    // Nothing is left of the line: another refund is refused, and the marketplace is not asked.
    const again = await submit(line.purchaseOrderLineId, reasonId, 1);
    expectCode(again, 40901);
    expect(await refundRowsOfLine(line.purchaseOrderLineId)).toHaveLength(1);
  });

  it('1688 A23: one is created, the others answer 40901; the success credits the line once', async () => {
    const offer = await findOffer(t.dev);
    const order = await paidAlibabaOrder(offer);
    const reasons = await t.post<{ reasons: { id: string }[]; maxApplyPayment: number; refundable: boolean }>(
      t.dev,
      '/alibaba/refund/reason/list',
      { orderId: order.orderId, goodsStatus: 'refundWaitSellerSend' },
    );
    expect(reasons.body.code, reasons.text).toBe(200);
    expect(reasons.body.data).toMatchObject({ refundable: true, maxApplyPayment: order.amount });
    // 1688 charges shipping by weight: paid, and not given back by a refund of the line.
    expect(order.paid).toBeGreaterThan(order.amount);
    const reasonId = reasons.body.data.reasons[0]?.id as string;
    const before = await t.balance(t.dev);

    const slow = await t.server.admin('PUT', '/sandbox/faults/createRefund', { latencyMs: 150 });
    expect(slow.body.code, slow.text).toBe(200);
    let replies: Reply<{ refundId: string; status: string }>[];
    try {
      replies = await atOnce(20, (i) =>
        t.post<{ refundId: string; status: string }>(
          t.dev,
          '/alibaba/refund/detail/create',
          {
            orderId: order.orderId,
            // Named or left out (the order has one line): the same line either way.
            ...(i % 3 === 0 ? {} : { orderEntryIds: [order.entryId] }),
            disputeRequest: 'refund',
            applyPayment: order.amount,
            applyCarriage: 0,
            applyReasonId: reasonId,
            description: '不想要了，请退款',
            goodsStatus: 'refundWaitSellerSend',
          },
          i % 2 === 0 ? { 'idempotency-key': `full-1688-${order.orderId}-${i}` } : {},
        ),
      );
    } finally {
      await t.server.admin('DELETE', '/sandbox/faults');
    }
    const created = replies.filter((r) => r.body.code === 200);
    expect(created, replies.map((r) => r.text).join('\n')).toHaveLength(1);
    for (const r of replies) if (r.body.code !== 200) expectCode(r, 40901);
    expect(await refundRowsOfLine(order.entryId)).toHaveLength(1);
    const refundId = created[0]?.body.data.refundId as string;
    expect(refundId).toMatch(/^TQ[0-9]+$/);
    expect(created[0]?.body.data.status).toBe('waitselleragree');

    await agree('1688', refundId);
    const info = await t.post<{ status: string; refundPayment: number | null; refundOuterId: string }>(
      t.dev,
      `/alibaba/refund/info?refundId=${refundId}`,
      {},
    );
    expect(info.body.code, info.text).toBe(200);
    expect(info.body.data).toMatchObject({ status: 'refundsuccess', refundPayment: order.amount });
    expect(await t.balance(t.dev)).toBe(before + order.amount);
    expect(await creditsOfOrder(order.orderId, t.dev.developId)).toEqual([
      { idem_key: `refund:1688:${info.body.data.refundOuterId}`, kind: 'refund', amount_fen: order.amount },
    ]);
    // The marketplace's close of the order refunded in full credits nothing more (its shipping stays).
    const [upstreamOrder] = await upstreamOrderIdsOf(order.orderId);
    const closed = await marketEvents(upstreamOrder as string, 'order.closed');
    expect(closed.map((e) => [e.data.reason, e.delivered])).toEqual([['refunded in full', true]]);
    expect(await t.balance(t.dev)).toBe(before + order.amount);
  });
});

describe('partial refunds of two lines', () => {
  it('add up to the goods amount, never beyond what is left, and the close that follows credits nothing', async () => {
    const [a, b] = await twoSkusOfOneItem();
    const start = await t.balance(t.dev);
    const order = await paidTaobaoOrder([
      { sku: a, quantity: 3 },
      { sku: b, quantity: 2 },
    ]);
    expect(order.subPurchaseOrders).toHaveLength(1);
    const [l1, l2] = order.subPurchaseOrders[0]?.orderLines ?? [];
    if (!l1 || !l2) throw new Error('two order lines are needed');
    expect(l1.totalPrice + l2.totalPrice).toBe(order.productFee);
    const paid = start - (await t.balance(t.dev));
    expect(paid).toBe(order.totalPrice);
    const reasonId = (await render(l1.purchaseOrderLineId)).refundOrderTemplate.refundReasons[0]?.reasonId as string;

    // Part of line 1.
    const part1 = Math.max(1, Math.floor(l1.totalPrice / 3));
    const r1 = await submit(l1.purchaseOrderLineId, reasonId, part1);
    expect(r1.body.code, r1.text).toBe(200);
    const id1 = r1.body.data.refundOrderAggregate.refundOrder.refundId;
    await agree('taobao', id1);
    expect(await query(id1)).toMatchObject({ refundStatus: '400', refundFee: part1, refundedFee: part1 });
    expect((await render(l1.purchaseOrderLineId)).refundOrderTemplate.maxRefundFee.refundFee).toBe(
      l1.totalPrice - part1,
    );

    // Asking more than what is left is refused before the marketplace is asked (it would answer 50201 now).
    const down = await t.server.admin('PUT', '/sandbox/faults/createRefund', { errorRate: 1 });
    expect(down.body.code, down.text).toBe(200);
    try {
      const over = await submit(l1.purchaseOrderLineId, reasonId, l1.totalPrice - part1 + 1);
      expectCode(over, 40001, 'refundFee');
    } finally {
      await t.server.admin('DELETE', '/sandbox/faults');
    }
    expect(await refundRowsOfLine(l1.purchaseOrderLineId)).toHaveLength(1);

    // All of line 2: the line is done; the order is not (line 1 has some left).
    const r2 = await submit(l2.purchaseOrderLineId, reasonId, l2.totalPrice);
    expect(r2.body.code, r2.text).toBe(200);
    const id2 = r2.body.data.refundOrderAggregate.refundOrder.refundId;
    await agree('taobao', id2);
    expect(await query(id2)).toMatchObject({ refundStatus: '400', refundedFee: l2.totalPrice });
    expect((await t.detail(t.sub, order.orderId)).status).toBe('WAIT_SELLER_SEND_GOODS');
    expectCode(await submit(l2.purchaseOrderLineId, reasonId, 1), 40901);

    // The rest of line 1: every line is refunded in full, and the order closes.
    const rest = l1.totalPrice - part1;
    const r3 = await submit(l1.purchaseOrderLineId, reasonId, rest);
    expect(r3.body.code, r3.text).toBe(200);
    const id3 = r3.body.data.refundOrderAggregate.refundOrder.refundId;
    await agree('taobao', id3);
    expect(await query(id3)).toMatchObject({ refundStatus: '400', refundFee: rest, refundedFee: rest });
    expect(await query(id1)).toMatchObject({ refundedFee: part1 });
    expect((await t.detail(t.sub, order.orderId)).status).toBe('TRADE_CLOSED');

    const lines = await db()
      .selectFrom('order_lines')
      .select(['id', 'refunded_fen'])
      .where('order_id', '=', order.orderId)
      .execute();
    expect(Object.fromEntries(lines.map((l) => [l.id, Number(l.refunded_fen)]))).toEqual({
      [l1.purchaseOrderLineId]: l1.totalPrice,
      [l2.purchaseOrderLineId]: l2.totalPrice,
    });
    const credits = await creditsOfOrder(order.orderId, t.dev.developId);
    expect(credits.map((c) => [c.kind, Number(c.amount_fen)])).toEqual([
      ['refund', part1],
      ['refund', l2.totalPrice],
      ['refund', rest],
    ]);
    expect(credits.reduce((n, c) => n + Number(c.amount_fen), 0)).toBe(order.productFee);
    // The marketplace closed its order (every line refunded): nothing more is credited, the shipping stays.
    const [upstreamOrder] = await upstreamOrderIdsOf(order.orderId);
    const closed = await marketEvents(upstreamOrder as string, 'order.closed');
    expect(closed.map((e) => e.delivered)).toEqual([true]);
    expect(await t.balance(t.dev)).toBe(start - order.totalPrice + order.productFee);
  });
});

describe('the ledger after all of it', () => {
  it('balances: every transaction sums to 0, and the balance is the sum of its entries', async () => {
    await t.server.drainOutbox();
    await expectLedgerBalanced(db());
    const account = `developer:${t.dev.developId}:balance`;
    const entries = await db()
      .selectFrom('ledger_entries')
      .select('amount_fen')
      .where('account', '=', account)
      .execute();
    const sum = entries.reduce((n, e) => n + Number(e.amount_fen), 0);
    expect(await t.balance(t.dev)).toBe(sum);
    // Each refund credited at most once, by its own key.
    const credits = await db()
      .selectFrom('ledger_transactions')
      .select(['idem_key'])
      .where('kind', '=', 'refund')
      .execute();
    const refunds = await db().selectFrom('refunds').selectAll().where('status', '=', 'success').execute();
    expect(credits.map((c) => c.idem_key).sort()).toEqual(
      refunds.map((r) => `refund:${r.platform}:${r.upstream_refund_id}`).sort(),
    );
    for (const r of refunds) expect(r.credit_tx).not.toBeNull();
    const dead = await db()
      .selectFrom('outbox')
      .select(['event_type', 'last_error'])
      .where('status', '=', 'dead')
      .execute();
    expect(dead).toEqual([]);
  });
});
