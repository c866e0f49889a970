import { sql } from 'kysely';
import type { Executor } from '../../platform/db/database.js';
import type { AppDeps } from '../../platform/deps.js';
import type { UpstreamEvent } from '../../providers/types.js';
import { ACCOUNTS, postTransaction } from '../payments/index.js';
import { writeOrderMessage } from './messages.js';
import { lockOrder, partByUpstreamId, partsOf } from './orders.repo.js';
import { closedStatus, finishedStatus, initialStatus, shippedStatus } from './orders.states.js';
import type { PartRow } from './orders.types.js';
import { markPartPaid, reversePart, settleOrderPayState } from './pay.js';
import { movePart, partCanMove } from './transitions.js';

/**
 * What the orders module does when a marketplace reports a seller's action (docs/adr/0008): runs in the
 * transaction that marks the event handled, so the order's change, its history and its message commit
 * together or not at all. Events of orders Ponte did not place are ignored (once no create is settling); an event
 * older than the part's state (a redelivery) changes nothing.
 */
export async function onOrderEvent(db: Executor, deps: AppDeps, event: UpstreamEvent): Promise<void> {
  if (!event.orderId) return;
  const found = await partByUpstreamId(db, event.platform, event.orderId);
  if (!found) {
    // Not an order Ponte placed, or one whose create is still settling (its answer was lost, or its process died
    // before recording it): while any create of the platform is, the event is tried again later (by the inbox's
    // schedule) rather than dropped with the messages it would write.
    if (await createSettling(db, event.platform)) {
      throw new Error(`order ${event.orderId} is not recorded yet while an order create is settling`);
    }
    return;
  }
  // Events of two sellers of one order may run at once: the order's derived state is written by one at a time.
  await lockOrder(db, deps, found.order_id);
  const part = (await partByUpstreamId(db, event.platform, event.orderId)) ?? found;
  switch (event.type) {
    case 'order.price_modified':
      return priceModified(db, deps, part, event);
    case 'order.shipped':
      return shipped(db, deps, part, event);
    case 'order.finished':
      return finished(db, deps, part, event);
    case 'order.closed':
      return closed(db, deps, part, event);
    default:
      return;
  }
}

/** Whether an order create of the platform is still settling (through the partial index `orders_creating`). */
async function createSettling(db: Executor, platform: UpstreamEvent['platform']): Promise<boolean> {
  const row = await db
    .selectFrom('orders')
    .select('id')
    // A literal: the planner proves the partial index from the query's text.
    .where(sql<boolean>`create_state = 'creating'`)
    .where('platform', '=', platform)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

async function priceModified(db: Executor, deps: AppDeps, part: PartRow, event: UpstreamEvent) {
  if (part.status !== initialStatus(part.platform) || part.pay_state === 'paid') return;
  const total = Number(event.data.newTotalFen);
  const adjust = Number(event.data.adjustFen);
  if (!Number.isSafeInteger(total) || !Number.isSafeInteger(adjust)) throw new Error('price event without amounts');
  const now = deps.clock.now();
  await db
    .updateTable('order_parts')
    .set({ total_fen: total, adjust_fen: adjust, updated_at: now })
    .where('id', '=', part.id)
    .execute();
  const parts = await partsOf(db, part.order_id);
  const sum = (f: (p: PartRow) => number) => parts.reduce((n, p) => n + f(p), 0);
  await db
    .updateTable('orders')
    .set({ total_fen: sum((p) => Number(p.total_fen)), adjust_fen: sum((p) => Number(p.adjust_fen)), updated_at: now })
    .where('id', '=', part.order_id)
    .execute();
  await db
    .insertInto('order_history')
    .values({
      id: deps.ids.next(now),
      order_id: part.order_id,
      part_id: part.id,
      from_status: part.status,
      to_status: part.status,
      cause: 'upstream:order.price_modified',
      detail: `total ${part.total_fen} → ${total} fen`,
      at: event.at,
    })
    .execute();
  await writeOrderMessage(db, deps, part.order_id, 'price');
}

/** A shipment proves the part was paid: a payment still `paying` is settled as paid first. */
async function settlePaidFirst(db: Executor, deps: AppDeps, part: PartRow): Promise<PartRow> {
  if (part.pay_state !== 'paying') return part;
  await markPartPaid(db, deps, part, 'upstream');
  await settleOrderPayState(db, deps, part.order_id, await activePaymentId(db, part.order_id));
  return db.selectFrom('order_parts').selectAll().where('id', '=', part.id).executeTakeFirstOrThrow();
}

async function activePaymentId(db: Executor, orderId: string): Promise<string | null> {
  const row = await db
    .selectFrom('order_payments')
    .select('id')
    .where('order_id', '=', orderId)
    .where('state', '=', 'paying')
    .executeTakeFirst();
  return row?.id ?? null;
}

async function shipped(db: Executor, deps: AppDeps, part: PartRow, event: UpstreamEvent) {
  const current = await settlePaidFirst(db, deps, part);
  const lineIds = (event.data.lineIds as string[] | undefined) ?? [];
  if (lineIds.length > 0) {
    await db
      .updateTable('order_lines')
      .set({
        carrier_code: String(event.data.carrierCode ?? ''),
        carrier_name: String(event.data.carrierName ?? ''),
        tracking_no: String(event.data.trackingNo ?? ''),
        status: shippedStatus(part.platform),
      })
      .where('part_id', '=', part.id)
      .where('upstream_line_id', 'in', lineIds)
      .execute();
  }
  const waiting = await db
    .selectFrom('order_lines')
    .select('id')
    .where('part_id', '=', part.id)
    .where('tracking_no', 'is', null)
    .where('status', '<>', closedStatus(part.platform))
    .executeTakeFirst();
  if (!waiting && partCanMove(current, shippedStatus(part.platform))) {
    await movePart(db, deps, current, shippedStatus(part.platform), { cause: 'upstream:order.shipped', at: event.at });
  }
  await writeOrderMessage(db, deps, part.order_id, 'shipped');
}

async function finished(db: Executor, deps: AppDeps, part: PartRow, event: UpstreamEvent) {
  const current = await settlePaidFirst(db, deps, part);
  const to = finishedStatus(part.platform);
  if (!partCanMove(current, to)) return;
  await movePart(db, deps, current, to, { cause: 'upstream:order.finished', at: event.at });
  await writeOrderMessage(db, deps, part.order_id, 'finished');
}

/** A closed part gives its money back once: a debit still `paying` is reversed, a paid one refunded. */
async function closed(db: Executor, deps: AppDeps, part: PartRow, event: UpstreamEvent) {
  const to = closedStatus(part.platform);
  if (!partCanMove(part, to)) return;
  const reason = String(event.data.reason ?? 'closed');
  if (part.pay_state === 'paying') {
    const paymentId = await activePaymentId(db, part.order_id);
    if (paymentId) await reversePart(db, deps, paymentId, part, reason);
  } else if (part.pay_state === 'paid') {
    await refundClosedPart(db, deps, part, reason);
  }
  const fresh = await db.selectFrom('order_parts').selectAll().where('id', '=', part.id).executeTakeFirstOrThrow();
  await movePart(db, deps, fresh, to, { cause: 'upstream:order.closed', detail: reason, at: event.at });
  await settleOrderPayState(db, deps, part.order_id, await activePaymentId(db, part.order_id));
  await writeOrderMessage(db, deps, part.order_id, reason.startsWith('buyer') ? 'buyer_close' : 'seller_close');
}

/**
 * What the part was paid, less what after-sales refunds credited for its lines already (modules/refunds): those
 * came back through their own ledger transactions. A part whose every line was refunded in full was closed by
 * those refunds: nothing more comes back (its shipping stays with the seller, as the marketplace decided). The
 * lines are then marked refunded in full, so that a refund the marketplace reports later credits nothing more.
 */
async function refundClosedPart(db: Executor, deps: AppDeps, part: PartRow, reason: string) {
  const order = await db
    .selectFrom('orders')
    .select(['develop_id'])
    .where('id', '=', part.order_id)
    .executeTakeFirstOrThrow();
  const lines = await db
    .selectFrom('order_lines')
    .select(['id', 'amount_fen', 'refunded_fen'])
    .where('part_id', '=', part.id)
    .execute();
  const refunded = lines.reduce((n, l) => n + Number(l.refunded_fen), 0);
  // The refunds' own close: the payment stands, and what came back is on the lines.
  if (lines.length > 0 && lines.every((l) => Number(l.refunded_fen) >= Number(l.amount_fen))) return;
  const amount = Math.max(0, Number(part.paid_fen) - refunded);
  await db
    .updateTable('order_parts')
    .set({ pay_state: 'reversed', updated_at: deps.clock.now() })
    .where('id', '=', part.id)
    .execute();
  for (const line of lines) {
    if (Number(line.refunded_fen) >= Number(line.amount_fen)) continue;
    await db.updateTable('order_lines').set({ refunded_fen: line.amount_fen }).where('id', '=', line.id).execute();
  }
  if (amount <= 0) return;
  await postTransaction(db, deps, {
    idemKey: `order-close-refund:${part.id}`,
    kind: 'order_refund',
    developId: order.develop_id,
    orderId: part.order_id,
    memo: `closed upstream after payment: ${reason}`.slice(0, 200),
    entries: [
      { account: ACCOUNTS.balance(order.develop_id), amountFen: amount },
      { account: ACCOUNTS.upstreamClearing, amountFen: -amount },
    ],
  });
}
