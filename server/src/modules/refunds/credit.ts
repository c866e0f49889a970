import type { Executor } from '../../platform/db/database.js';
import type { AppDeps } from '../../platform/deps.js';
import { closedStatus, movePart, partCanMove, writeOrderMessage } from '../orders/index.js';
import { ACCOUNTS, postTransaction } from '../payments/index.js';
import { type RefundRow, roomOnLine } from './refunds.repo.js';

type Deps = Pick<AppDeps, 'ids' | 'clock' | 'database' | 'changes' | 'log'>;

/** The ledger key that makes a refund's credit happen once, whoever posts it and however often. */
export const refundCreditKey = (refund: Pick<RefundRow, 'platform' | 'upstream_refund_id' | 'id'>) =>
  `refund:${refund.platform}:${refund.upstream_refund_id ?? refund.id}`;

/**
 * Pays a successful refund back to the developer's balance, once (docs/adr/0014), in the caller's transaction
 * (which holds the order's lock): `upstream:clearing` → the developer, by the refund's unique ledger key. What is
 * credited is the refund's amount, capped by what the line has left (its amount less what was credited for it)
 * and by what its seller's part was paid less what was credited on it: a marketplace reporting more is credited
 * the rest, and the difference is logged for the operator, never paid. Returns the amount credited now (0 for a
 * repeat). A line refunded in full closes, a seller's part once all its lines are, and the order once all parts are.
 */
export async function creditRefund(db: Executor, deps: Deps, refund: RefundRow, at: number): Promise<number> {
  if (refund.credit_tx !== null) return 0;
  const { line, leftOnLine, leftOnPart } = await roomOnLine(db, refund.line_id);
  const amount = Math.max(0, Math.min(Number(refund.amount_fen), leftOnLine, leftOnPart));
  if (amount < Number(refund.amount_fen)) {
    deps.log.warn(
      { refundId: refund.id, asked: Number(refund.amount_fen), credited: amount, leftOnLine, leftOnPart },
      'a refund reported more than its line had left: only the rest is credited',
    );
  }
  const now = deps.clock.now();
  if (amount > 0) {
    const posted = await postTransaction(db, deps, {
      idemKey: refundCreditKey(refund),
      kind: 'refund',
      developId: refund.develop_id,
      orderId: refund.order_id,
      memo: `refund ${refund.id} (${refund.platform} ${refund.upstream_refund_id ?? ''})`.trim(),
      entries: [
        { account: ACCOUNTS.balance(refund.develop_id), amountFen: amount },
        { account: ACCOUNTS.upstreamClearing, amountFen: -amount },
      ],
    });
    // Another transaction credited it already (it would also have marked the refund): nothing more to do.
    if (!posted.created) return 0;
    await db
      .updateTable('order_lines')
      .set((eb) => ({ refunded_fen: eb('refunded_fen', '+', amount) }))
      .where('id', '=', line.id)
      .execute();
    await db
      .updateTable('refunds')
      .set({ credit_tx: posted.transactionId, credited_fen: amount, updated_at: now })
      .where('id', '=', refund.id)
      .execute();
  }
  await closeIfRefundedInFull(db, deps, refund.order_id, at);
  return amount;
}

/**
 * Closes the order's lines refunded in full, each seller's part whose every line is (the marketplace closes that
 * order too), and so the order once all are, with the order's message.
 */
async function closeIfRefundedInFull(db: Executor, deps: Deps, orderId: string, at: number): Promise<void> {
  const lines = await db.selectFrom('order_lines').selectAll().where('order_id', '=', orderId).execute();
  const order = await db.selectFrom('orders').selectAll().where('id', '=', orderId).executeTakeFirstOrThrow();
  const closed = closedStatus(order.platform);
  const full = (l: (typeof lines)[number]) => Number(l.refunded_fen) >= Number(l.amount_fen);
  const newlyFull = lines.filter((l) => full(l) && l.status !== closed);
  if (newlyFull.length > 0) {
    await db
      .updateTable('order_lines')
      .set({ status: closed })
      .where(
        'id',
        'in',
        newlyFull.map((l) => l.id),
      )
      .execute();
  }
  const parts = await db.selectFrom('order_parts').selectAll().where('order_id', '=', orderId).execute();
  let moved = false;
  for (const part of parts) {
    const partLines = lines.filter((l) => l.part_id === part.id);
    if (partLines.length === 0 || !partLines.every(full) || !partCanMove(part, closed)) continue;
    moved = (await movePart(db, deps, part, closed, { cause: 'refund:full', detail: 'refunded in full', at })) || moved;
  }
  if (moved) await writeOrderMessage(db, deps, orderId, 'seller_close');
}
