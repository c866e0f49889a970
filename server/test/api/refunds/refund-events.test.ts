import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { receiveUpstreamEvent, UPSTREAM_EVENT } from '../../../src/platform/upstream/inbox.js';
import type { UpstreamEvent } from '../../../src/providers/types.js';
import type { Reply } from '../../harness.js';
import { expectLedgerBalanced } from '../../ledger.js';
import {
  expectCode,
  type Sku,
  startTaobaoServer,
  type TaobaoOrder,
  type TaobaoServer,
} from '../orders/taobao-fixtures.js';

/**
 * The marketplace's refund events may come twice, at once, late or out of order (docs/adr/0014): a success
 * delivered five times at once credits once; an event older than the refund's last change, or one after its end,
 * changes nothing; the marketplace closing an order the refunds emptied credits nothing more, while a seller closing
 * an order after a partial refund gives back what was paid less what was refunded.
 */

interface RefundOrder {
  refundId: string;
  refundOuterId: string | null;
  refundStatus: string;
  refundFee: number;
  refundedFee: number;
  refuseTimes: number;
}
interface Aggregate {
  refundOrderAggregate: { refundOrder: RefundOrder };
}
interface Render {
  refundOrderTemplate: { refundReasons: { reasonId: string }[]; maxRefundFee: { refundFee: number } };
}

let t: TaobaoServer;

beforeAll(async () => {
  t = await startTaobaoServer();
  // Sellers ship late and decide late: only what a test makes them do happens.
  const policy = await t.server.admin('PUT', '/sandbox/policy', {
    priceModifyRate: 0,
    shipAfterMs: 30 * 86_400_000,
    refundDecisionAfterMs: 20 * 86_400_000,
  });
  expect(policy.body.code, policy.text).toBe(200);
  await t.topUp(t.dev.developId, 10_000_000);
}, 120_000);
afterAll(() => t?.close());

const db = () => t.server.deps.database.db;
let copies = 0;

// -- helpers ------------------------------------------------------------------------------------------------

async function paidOrder(sku: Sku): Promise<{ order: TaobaoOrder; lineId: string; amount: number; reasonId: string }> {
  const created = await t.create(t.sub, [{ sku }]);
  expect(created.body.code, created.text).toBe(200);
  const paid = await t.post(t.sub, '/open/order/pay', { orderId: created.body.data.orderId });
  expect(paid.body.code, paid.text).toBe(200);
  const order = await t.detail(t.sub, created.body.data.orderId);
  const line = order.subPurchaseOrders[0]?.orderLines[0];
  if (!line) throw new Error('an order line is needed');
  const r = await t.post<Render>(t.sub, '/open/order/refund/render', {
    subOrderId: line.purchaseOrderLineId,
    refundType: 1,
    goodsStatus: 1,
  });
  expect(r.body.code, r.text).toBe(200);
  const reasonId = r.body.data.refundOrderTemplate.refundReasons[0]?.reasonId as string;
  return { order, lineId: line.purchaseOrderLineId, amount: line.totalPrice, reasonId };
}

async function submit(lineId: string, reasonId: string, fee: number): Promise<Reply<Aggregate>> {
  return t.post<Aggregate>(t.sub, '/open/order/refund/submit', {
    subOrderId: lineId,
    refundType: 1,
    goodsStatus: 1,
    reasonId,
    refundFee: fee,
    refundDesc: 'events test',
  });
}

async function refundOf(lineId: string, reasonId: string, fee: number): Promise<string> {
  const r = await submit(lineId, reasonId, fee);
  expect(r.body.code, r.text).toBe(200);
  return r.body.data.refundOrderAggregate.refundOrder.refundId;
}

async function query(refundId: string): Promise<RefundOrder> {
  const r = await t.get<Aggregate>(t.sub, `/open/order/refund/query?refundId=${refundId}`);
  expect(r.body.code, r.text).toBe(200);
  return r.body.data.refundOrderAggregate.refundOrder;
}

async function row(refundId: string) {
  return db().selectFrom('refunds').selectAll().where('id', '=', refundId).executeTakeFirstOrThrow();
}

/** The seller acts now (sandbox): its events reach the inbox, and wait there until the outbox is drained. */
async function seller(action: 'agree' | 'refuse', refundId: string, body: Record<string, unknown> = {}) {
  const r = await t.server.admin(
    'POST',
    `/sandbox/taobao/refunds/${(await row(refundId)).upstream_refund_id}/${action}`,
    body,
  );
  expect(r.body.code, r.text).toBe(200);
}

/** The marketplace's events about a refund (or an order), as it sent them. */
async function marketEvents(filter: { refundId?: string; orderId?: string }, type: string): Promise<UpstreamEvent[]> {
  const q = new URLSearchParams({ type, limit: '500', ...filter });
  const r = await t.server.admin<{ list: (UpstreamEvent & { seq: number; delivered: boolean })[] }>(
    'GET',
    `/sandbox/events?${q}`,
  );
  expect(r.body.code, r.text).toBe(200);
  return r.body.data.list.map(({ seq: _, delivered: __, ...event }) => event);
}

/** The same event under a new id: a marketplace redelivering it as another event. */
function copyOf(event: UpstreamEvent, changes: Partial<UpstreamEvent> = {}): UpstreamEvent {
  copies += 1;
  return { ...event, eventId: `${event.eventId}-copy-${copies}`, ...changes };
}

/** Hands events to the inbox (the app's upstream event sink), all at once; answers which were new. */
async function deliver(events: UpstreamEvent[]): Promise<boolean[]> {
  return Promise.all(events.map((e) => receiveUpstreamEvent(t.server.deps, e)));
}

/** Runs the app's handler of upstream events on one event `n` times at once, each in its own transaction. */
async function handleAtOnce(event: UpstreamEvent, n: number): Promise<void> {
  const registered = t.server.deps.outbox.get(UPSTREAM_EVENT);
  if (!registered) throw new Error('no handler of upstream events');
  const { deps } = t.server;
  await Promise.all(
    Array.from({ length: n }, (_, i) =>
      deps.database.transaction((trx) =>
        registered.handler(
          { id: `direct-${event.eventId}-${i}`, type: UPSTREAM_EVENT, payload: event, attempt: 1 },
          deps,
          trx,
        ),
      ),
    ),
  );
}

/** What the ledger credited the developer's balance for an order's refunds and closes. */
async function creditsOfOrder(orderId: string) {
  return db()
    .selectFrom('ledger_transactions as t')
    .innerJoin('ledger_entries as e', 'e.transaction_id', 't.id')
    .select(['t.idem_key', 't.kind', 'e.amount_fen'])
    .where('t.order_id', '=', orderId)
    .where('t.kind', 'in', ['refund', 'order_refund'])
    .where('e.account', '=', `developer:${t.dev.developId}:balance`)
    .orderBy('t.created_at')
    .orderBy('t.id')
    .execute();
}

async function statuses(refundId: string): Promise<string[]> {
  const rows = await db()
    .selectFrom('refund_history')
    .select('to_status')
    .where('refund_id', '=', refundId)
    .orderBy('id')
    .execute();
  return rows.map((r) => r.to_status);
}

// -- the tests ----------------------------------------------------------------------------------------------

describe('a success delivered again and again', () => {
  it('credits once: five handlings at once, five redeliveries of its id, five copies under new ids', async () => {
    const { order, lineId, amount, reasonId } = await paidOrder(t.skus[1] as Sku);
    const refundId = await refundOf(lineId, reasonId, amount);
    const before = await t.balance(t.dev);

    // The seller agreed: the marketplace sent `refund.agreed` and `refund.succeeded` (and closed its order, every
    // line refunded), all in the inbox, none handled yet.
    await seller('agree', refundId);
    expect((await query(refundId)).refundStatus).toBe('100');
    const upstreamId = (await row(refundId)).upstream_refund_id as string;
    const [succeeded] = await marketEvents({ refundId: upstreamId }, 'refund.succeeded');
    if (!succeeded) throw new Error('the marketplace sent no refund.succeeded');

    // The success is handled five times at once, each in its own transaction, before anything else.
    await handleAtOnce(succeeded, 5);
    expect(await query(refundId)).toMatchObject({ refundStatus: '400', refundedFee: amount });
    expect(await t.balance(t.dev)).toBe(before + amount);
    // Redelivered five times at once with its id: the inbox has it already.
    expect(await deliver(Array.from({ length: 5 }, () => succeeded))).toEqual([false, false, false, false, false]);
    // Five copies under new ids (some without their order, so that they queue apart and may run beside the others).
    const fresh = Array.from({ length: 5 }, (_, i) => copyOf(succeeded, i % 2 === 0 ? { orderId: null } : {}));
    expect(await deliver(fresh)).toEqual([true, true, true, true, true]);
    await t.server.drainOutbox();

    const refund = await query(refundId);
    expect(refund).toMatchObject({ refundStatus: '400', refundFee: amount, refundedFee: amount });
    expect(await t.balance(t.dev)).toBe(before + amount);
    expect(await creditsOfOrder(order.orderId)).toEqual([
      { idem_key: `refund:taobao:${upstreamId}`, kind: 'refund', amount_fen: amount },
    ]);
    expect((await row(refundId)).credit_tx).not.toBeNull();
    // One move to success, one message for it (and one for the create).
    expect(await statuses(refundId)).toEqual(['wait_seller_agree', 'success']);
    expect((await t.messages(t.sub, refundId)).map((m) => m.messageType)).toEqual([
      'ORDER_BUYER_VIEW_ORDER_BUYER_REFUND',
      'ORDER_BUYER_VIEW_ORDER_BUYER_REFUND',
    ]);
    // The order, refunded in full, closed once; the marketplace's close of it credited nothing (shipping stays).
    const detail = await t.detail(t.sub, order.orderId);
    expect(detail.status).toBe('TRADE_CLOSED');
    expect(order.postFee).toBeGreaterThan(0);
    const closes = await db()
      .selectFrom('order_history')
      .select(['part_id', 'cause'])
      .where('order_id', '=', order.orderId)
      .where('to_status', '=', 'TRADE_CLOSED')
      .orderBy('id')
      .execute();
    // Its seller part, then the order.
    expect(closes.map((c) => [c.part_id === null, c.cause])).toEqual([
      [false, 'refund:full'],
      [true, 'refund:full'],
    ]);
  });
});

describe('late and stale events', () => {
  it('a refusal older than the modification that followed it leaves the refund waiting for the seller', async () => {
    const { lineId, amount, reasonId } = await paidOrder(t.skus[2] as Sku);
    const fee = amount - 100;
    const refundId = await refundOf(lineId, reasonId, fee);
    // The seller refuses; the refusal waits in the inbox while the buyer modifies the refund a minute later.
    await seller('refuse', refundId, { reason: '商品已发出' });
    const [refused] = await marketEvents(
      { refundId: (await row(refundId)).upstream_refund_id as string },
      'refund.refused',
    );
    if (!refused) throw new Error('the marketplace sent no refund.refused');
    t.clock.advance(60_000);
    const modified = await t.post<Aggregate>(t.sub, '/open/order/refund/modify', {
      refundId,
      refundDesc: 'the parcel was never sent: see the pictures',
    });
    expect(modified.body.code, modified.text).toBe(200);
    expect(modified.body.data.refundOrderAggregate.refundOrder.refundStatus).toBe('100');
    expect(Number((await row(refundId)).upstream_at)).toBeGreaterThan(refused.at);

    // The refusal arrives now, then again under another id: both are older than the modification.
    await t.server.drainOutbox();
    expect(await deliver([copyOf(refused)])).toEqual([true]);
    await t.server.drainOutbox();
    expect(await query(refundId)).toMatchObject({ refundStatus: '100', refundFee: fee, refundedFee: 0 });
    expect(await statuses(refundId)).toEqual(['wait_seller_agree', 'wait_seller_agree']);

    // The seller agrees at last: credited once.
    const before = await t.balance(t.dev);
    await seller('agree', refundId);
    await t.server.drainOutbox();
    expect(await query(refundId)).toMatchObject({ refundStatus: '400', refundedFee: fee });
    expect(await t.balance(t.dev)).toBe(before + fee);

    // The refusal once more, and a close after the success: neither reopens nor takes the money back.
    const [succeeded] = await marketEvents({ refundId: refused.refundId as string }, 'refund.succeeded');
    if (!succeeded) throw new Error('the marketplace sent no refund.succeeded');
    const later = succeeded.at + 60_000;
    t.clock.advance(120_000);
    const closed = copyOf(succeeded, {
      type: 'refund.closed',
      at: later,
      data: { ...succeeded.data, status: 'closed', reason: 'timeout' },
    });
    expect(await deliver([closed, copyOf(refused, { at: later })])).toEqual([true, true]);
    await t.server.drainOutbox();
    expect(await query(refundId)).toMatchObject({ refundStatus: '400', refundFee: fee, refundedFee: fee });
    expect(await t.balance(t.dev)).toBe(before + fee);
    expect(await statuses(refundId)).toEqual(['wait_seller_agree', 'wait_seller_agree', 'success']);
    const credits = await db()
      .selectFrom('ledger_transactions')
      .select('idem_key')
      .where('idem_key', '=', `refund:taobao:${refused.refundId}`)
      .execute();
    expect(credits).toHaveLength(1);
    // The line keeps the 100 fen not refunded: a new refund may ask for them, no more.
    expectCode(await submit(lineId, reasonId, 101), 40001, 'refundFee');
  });

  it('a refusal stamped the same millisecond as the modification that followed it changes nothing', async () => {
    const { lineId, amount, reasonId } = await paidOrder(t.skus[1] as Sku);
    const refundId = await refundOf(lineId, reasonId, amount);
    // The refusal and the modification happen at the same market time: only the marketplace's count of refusals
    // (which the modification's answer carries) tells that the refusal came first.
    await seller('refuse', refundId, { reason: '请提供照片' });
    const modified = await t.post<Aggregate>(t.sub, '/open/order/refund/modify', {
      refundDesc: 'photos attached',
      refundId,
    });
    expect(modified.body.code, modified.text).toBe(200);
    await t.server.drainOutbox();
    expect(await query(refundId)).toMatchObject({ refundStatus: '100', refuseTimes: 1 });
    // The seller agrees later: the refund is paid back, once.
    const before = await t.balance(t.dev);
    t.clock.advance(1_000);
    await seller('agree', refundId);
    await t.server.drainOutbox();
    expect(await query(refundId)).toMatchObject({ refundStatus: '400', refundedFee: amount });
    expect(await t.balance(t.dev)).toBe(before + amount);
  });

  it('a seller closing the order after a partial refund gives back what was paid less what was refunded', async () => {
    const start = await t.balance(t.dev);
    const { order, lineId, amount, reasonId } = await paidOrder(t.skus[0] as Sku);
    expect(order.postFee).toBeGreaterThan(0);
    const paid = start - (await t.balance(t.dev));
    expect(paid).toBe(amount + order.postFee);
    const part = Math.floor(amount / 3);
    const refundId = await refundOf(lineId, reasonId, part);
    await seller('agree', refundId);
    await t.server.drainOutbox();
    expect(await query(refundId)).toMatchObject({ refundStatus: '400', refundedFee: part });
    expect(await t.balance(t.dev)).toBe(start - paid + part);
    expect((await t.detail(t.sub, order.orderId)).status).toBe('WAIT_SELLER_SEND_GOODS');

    // The seller closes the order (out of stock): the marketplace says so, twice under two ids.
    const upstreamOrderId = order.subPurchaseOrders[0]?.purchaseOrderOuterId as string;
    const [agreed] = await marketEvents(
      { refundId: (await row(refundId)).upstream_refund_id as string },
      'refund.agreed',
    );
    if (!agreed) throw new Error('the marketplace sent no refund.agreed');
    t.clock.advance(60_000);
    const close: UpstreamEvent = {
      eventId: `${agreed.eventId}-seller-close`,
      platform: 'taobao',
      type: 'order.closed',
      at: t.clock.now(),
      orderId: upstreamOrderId,
      refundId: null,
      productId: null,
      data: { reason: 'seller: out of stock', buyerId: agreed.data.buyerId },
    };
    expect(await deliver([close, copyOf(close)])).toEqual([true, true]);
    await t.server.drainOutbox();
    expect((await t.detail(t.sub, order.orderId)).status).toBe('TRADE_CLOSED');
    const credits = await creditsOfOrder(order.orderId);
    expect(credits.map((c) => [c.kind, Number(c.amount_fen)])).toEqual([
      ['refund', part],
      ['order_refund', paid - part],
    ]);
    // Everything paid came back, once.
    expect(await t.balance(t.dev)).toBe(start);

    // The refund's success once more, late: nothing more; and the closed line takes no refund.
    const [succeeded] = await marketEvents({ refundId: agreed.refundId as string }, 'refund.succeeded');
    if (!succeeded) throw new Error('the marketplace sent no refund.succeeded');
    expect(await deliver([copyOf(succeeded, { at: t.clock.now() })])).toEqual([true]);
    await t.server.drainOutbox();
    expect(await t.balance(t.dev)).toBe(start);
    expectCode(await submit(lineId, reasonId, 1), 40901);
  });
});

describe('the ledger after all of it', () => {
  it('balances: every transaction sums to 0, and the balance is the sum of its entries', async () => {
    await t.server.drainOutbox();
    await expectLedgerBalanced(db());
    const entries = await db()
      .selectFrom('ledger_entries')
      .select('amount_fen')
      .where('account', '=', `developer:${t.dev.developId}:balance`)
      .execute();
    expect(await t.balance(t.dev)).toBe(entries.reduce((n, e) => n + Number(e.amount_fen), 0));
    const dead = await db()
      .selectFrom('outbox')
      .select(['event_type', 'last_error'])
      .where('status', '=', 'dead')
      .execute();
    expect(dead).toEqual([]);
  });
});
