import type { AuthContext } from '../../platform/auth/credentials.js';
import type { Executor } from '../../platform/db/database.js';
import type { AppDeps } from '../../platform/deps.js';
import { ApiError, notFound } from '../../platform/http/errors.js';
import { phrase } from '../../platform/http/reasons.js';
import { enqueue } from '../../platform/outbox/outbox.js';
import { MarketRejection } from '../../providers/errors.js';
import { ACCOUNTS, balanceOf, postTransaction } from '../payments/index.js';
import { marketOf } from './create.js';
import { writeOrderMessage } from './messages.js';
import { findOwnOrder, loadAggregate, lockOrder, orderById, partsOf } from './orders.repo.js';
import { closedStatus, initialStatus, isClosed, paidStatus } from './orders.states.js';
import type { OrderAggregate, OrderRow, PartRow, PayOutcome, Platform } from './orders.types.js';
import { movePart } from './transitions.js';

/** Outbox job that settles a payment the request could not (no answer upstream, the process died). */
export const SETTLE_PAYMENT_EVENT = 'orders.settle_payment';

type Deps = AppDeps;

type Started = { paymentId: string } | { already: 'paid' } | { already: 'paying'; paymentId: string };

/**
 * Pays an order from the developer's balance (ADR 0011): one transaction debits the balance and marks
 * the order `paying` (42201 when the balance does not cover it, and nothing changes); then each seller's
 * part is paid upstream at the amount debited; then one transaction records what happened, reversing
 * the debit of any part the upstream refused. A part whose answer did not come stays `paying` until the
 * worker settles it. Paying an order twice never debits twice: the first step is a conditional update.
 */
export async function payOrder(
  deps: Deps,
  actor: AuthContext,
  platform: Platform,
  orderId: string,
  method: { kind: 'balance' } | { kind: 'voucher'; voucherId: string } = { kind: 'balance' },
): Promise<{ outcome: PayOutcome; aggregate: OrderAggregate; balanceFen: number }> {
  const order = await findOwnOrder(deps.database.db, actor, platform, orderId);
  if (!order) throw notFound('order', orderId);
  const started = await beginPayment(deps, order, method);
  let outcome: PayOutcome = { kind: 'paid', alreadyPaid: true };
  const db = deps.database.db;
  if (!('already' in started && started.already === 'paid')) {
    const driven = await settlePayment(deps, started.paymentId, false);
    if (driven.rejection) throw driven.rejection;
    if (driven.unknown) throw driven.unknown;
    outcome = { kind: 'paid', alreadyPaid: 'already' in started };
  }
  const fresh = (await orderById(db, orderId)) as OrderRow;
  // Another request may have settled the same payment meanwhile: the order says how it ended.
  if (fresh.pay_state === 'paying') outcome = { kind: 'pending' };
  else if (fresh.pay_state !== 'paid') throw new ApiError(40901, { reason: phrase('orderNotAwaitingPayment') });
  return { outcome, aggregate: await loadAggregate(db, fresh), balanceFen: await balanceOf(db, order.develop_id) };
}

async function beginPayment(
  deps: Deps,
  order: OrderRow,
  method: { kind: 'balance' } | { kind: 'voucher'; voucherId: string },
): Promise<Started> {
  return deps.database.transaction(async (trx) => {
    const now = deps.clock.now();
    const taken = await trx
      .updateTable('orders')
      .set({ pay_state: 'paying', updated_at: now })
      .where('id', '=', order.id)
      .where('pay_state', '=', 'unpaid')
      .where('create_state', '=', 'created')
      .where('status', '=', initialStatus(order.platform))
      .executeTakeFirst();
    if (Number(taken.numUpdatedRows) !== 1) return alreadyStarted(trx, order.id);
    const parts = (await partsOf(trx, order.id)).filter(
      (p) => p.pay_state === 'unpaid' && p.status === initialStatus(order.platform),
    );
    const amount = parts.reduce((n, p) => n + Number(p.total_fen), 0);
    const paymentId = deps.ids.next(now);
    await trx
      .insertInto('order_payments')
      .values({
        id: paymentId,
        order_id: order.id,
        develop_id: order.develop_id,
        method: method.kind,
        voucher_id: method.kind === 'voucher' ? method.voucherId : null,
        amount_fen: amount,
        reversed_fen: 0,
        state: 'paying',
        last_error: null,
        created_at: now,
        updated_at: now,
      })
      .execute();
    await trx
      .updateTable('order_parts')
      .set({ pay_state: 'paying', updated_at: now })
      .where(
        'id',
        'in',
        parts.map((p) => p.id),
      )
      .execute();
    await postTransaction(trx, deps, {
      idemKey: `order-pay:${paymentId}`,
      kind: 'order_payment',
      developId: order.develop_id,
      orderId: order.id,
      paymentId,
      ...(method.kind === 'voucher' ? { voucherId: method.voucherId } : {}),
      memo: `${order.platform} order ${order.id}`,
      entries: [
        { account: ACCOUNTS.balance(order.develop_id), amountFen: -amount },
        { account: ACCOUNTS.upstreamClearing, amountFen: amount },
      ],
    });
    await enqueue(
      trx,
      deps,
      SETTLE_PAYMENT_EVENT,
      { paymentId },
      { availableAt: now + deps.config.orders.settleDelayMs },
    );
    return { paymentId };
  });
}

/** Why an order could not start a payment: paid already, being paid, or not payable. */
async function alreadyStarted(db: Executor, orderId: string): Promise<Started> {
  const order = (await orderById(db, orderId)) as OrderRow;
  if (order.pay_state === 'paid') return { already: 'paid' };
  if (order.pay_state === 'paying') {
    const payment = await db
      .selectFrom('order_payments')
      .select('id')
      .where('order_id', '=', orderId)
      .where('state', '=', 'paying')
      .executeTakeFirst();
    if (payment) return { already: 'paying', paymentId: payment.id };
  }
  if (isClosed(order.platform, order.status)) throw new ApiError(40901, { reason: phrase('orderClosed') });
  throw new ApiError(40901, { reason: phrase('orderNotAwaitingPayment') });
}

interface Settled {
  stillPaying: boolean;
  /** The first part the upstream refused (already reversed). */
  rejection?: unknown;
  /** The first part whose outcome is not known (left `paying`). */
  unknown?: unknown;
}

type PartOutcome =
  | { part: PartRow; paid: true }
  | { part: PartRow; refused: MarketRejection }
  | { part: PartRow; unknown: unknown };

/**
 * Pays every `paying` part of a payment upstream, at the amount debited, then records the outcome in
 * one transaction. `askFirst` (the worker) asks the upstream whether a part was paid before paying it,
 * and reverses parts the upstream closed. Safe to run twice at once: the upstream pays an order once,
 * and each part moves from `paying` by a conditional update.
 */
export async function settlePayment(deps: Deps, paymentId: string, askFirst: boolean): Promise<Settled> {
  const db = deps.database.db;
  const payment = await db.selectFrom('order_payments').selectAll().where('id', '=', paymentId).executeTakeFirst();
  if (payment?.state !== 'paying') return { stillPaying: false };
  const order = (await orderById(db, payment.order_id)) as OrderRow;
  const parts = (await partsOf(db, order.id)).filter((p) => p.pay_state === 'paying');
  const market = marketOf(deps, order.platform);
  const outcomes: PartOutcome[] = [];
  for (const part of parts) {
    try {
      if (askFirst) {
        const seen = await market.getOrder(part.upstream_order_id, order.user_id);
        if (!seen) {
          outcomes.push({ part, refused: new MarketRejection('not_found', `order ${part.upstream_order_id}`) });
          continue;
        }
        if (seen.status === 'closed') {
          outcomes.push({ part, refused: new MarketRejection('invalid_state', 'the order was closed') });
          continue;
        }
        if (seen.status !== 'wait_buyer_pay') {
          outcomes.push({ part, paid: true });
          continue;
        }
      }
      await market.payOrder(part.upstream_order_id, order.user_id, Number(part.total_fen));
      outcomes.push({ part, paid: true });
    } catch (err) {
      outcomes.push(err instanceof MarketRejection ? { part, refused: err } : { part, unknown: err });
    }
  }
  await deps.database.transaction(async (trx) => {
    await lockOrder(trx, deps, order.id);
    let paidAny = false;
    for (const o of outcomes) {
      if ('paid' in o) paidAny = (await markPartPaid(trx, deps, o.part, 'pay')) || paidAny;
      else if ('refused' in o) await reversePart(trx, deps, payment.id, o.part, o.refused.message);
    }
    await settleOrderPayState(trx, deps, order.id, payment.id);
    if (paidAny) await writeOrderMessage(trx, deps, order.id, 'paid');
  });
  const refused = outcomes.find((o) => 'refused' in o);
  const unknown = outcomes.find((o) => 'unknown' in o);
  return {
    stillPaying: !!unknown,
    ...(refused && 'refused' in refused ? { rejection: refused.refused } : {}),
    ...(unknown && 'unknown' in unknown ? { unknown: unknown.unknown } : {}),
  };
}

/** A part the upstream paid: `paying` → `paid` and the status it gives. Returns whether it moved. */
export async function markPartPaid(db: Executor, deps: Deps, part: PartRow, cause: string): Promise<boolean> {
  const now = deps.clock.now();
  const moved = await db
    .updateTable('order_parts')
    .set({ pay_state: 'paid', paid_fen: part.total_fen, updated_at: now })
    .where('id', '=', part.id)
    .where('pay_state', '=', 'paying')
    .executeTakeFirst();
  if (Number(moved.numUpdatedRows) !== 1) return false;
  const fresh = await db.selectFrom('order_parts').selectAll().where('id', '=', part.id).executeTakeFirstOrThrow();
  if (fresh.status === initialStatus(part.platform)) {
    await movePart(db, deps, fresh, paidStatus(part.platform), { cause: `${cause}:paid` });
  }
  return true;
}

/**
 * Gives back a part's debit, once: the part leaves `paying` by a conditional update, and the ledger
 * transaction's key names the payment and the part. The part is payable again (at its new price).
 */
export async function reversePart(db: Executor, deps: Deps, paymentId: string, part: PartRow, why: string) {
  const now = deps.clock.now();
  const moved = await db
    .updateTable('order_parts')
    .set({ pay_state: 'unpaid', updated_at: now })
    .where('id', '=', part.id)
    .where('pay_state', '=', 'paying')
    .executeTakeFirst();
  if (Number(moved.numUpdatedRows) !== 1) return;
  const payment = await db
    .selectFrom('order_payments')
    .selectAll()
    .where('id', '=', paymentId)
    .executeTakeFirstOrThrow();
  // The part's debit is what the payment took for it: its total when the payment began.
  const amount = Math.min(Number(part.total_fen), Number(payment.amount_fen) - Number(payment.reversed_fen));
  await postTransaction(db, deps, {
    idemKey: `order-pay-reversal:${paymentId}:${part.id}`,
    kind: 'payment_reversal',
    developId: payment.develop_id,
    orderId: part.order_id,
    paymentId,
    memo: `not paid upstream: ${why}`.slice(0, 200),
    entries: [
      { account: ACCOUNTS.balance(payment.develop_id), amountFen: amount },
      { account: ACCOUNTS.upstreamClearing, amountFen: -amount },
    ],
  });
  await db
    .updateTable('order_payments')
    .set((eb) => ({ reversed_fen: eb('reversed_fen', '+', amount), last_error: why.slice(0, 500), updated_at: now }))
    .where('id', '=', paymentId)
    .execute();
}

/** The payment's and the order's pay states from their parts'. */
export async function settleOrderPayState(db: Executor, deps: Deps, orderId: string, paymentId: string | null) {
  await lockOrder(db, deps, orderId);
  const now = deps.clock.now();
  const parts = await partsOf(db, orderId);
  const order = (await orderById(db, orderId)) as OrderRow;
  const paying = parts.some((p) => p.pay_state === 'paying');
  if (paymentId && !paying) {
    const payment = await db
      .selectFrom('order_payments')
      .selectAll()
      .where('id', '=', paymentId)
      .executeTakeFirstOrThrow();
    const reversed = Number(payment.reversed_fen);
    const state = reversed === 0 ? 'paid' : reversed >= Number(payment.amount_fen) ? 'reversed' : 'partly_reversed';
    await db
      .updateTable('order_payments')
      .set({ state, updated_at: now })
      .where('id', '=', paymentId)
      .where('state', '=', 'paying')
      .execute();
  }
  const open = parts.filter((p) => p.status !== closedStatus(order.platform));
  const payState = paying
    ? 'paying'
    : open.some((p) => p.pay_state === 'unpaid')
      ? 'unpaid'
      : parts.some((p) => p.pay_state === 'paid')
        ? 'paid'
        : parts.some((p) => p.pay_state === 'reversed')
          ? 'reversed'
          : 'unpaid';
  const paidFen = parts.reduce((n, p) => n + (p.pay_state === 'paid' ? Number(p.paid_fen) : 0), 0);
  await db
    .updateTable('orders')
    .set({
      pay_state: payState,
      paid_fen: paidFen,
      updated_at: now,
      ...(payState === 'paid' && !order.paid_at ? { paid_at: now } : {}),
    })
    .where('id', '=', orderId)
    .execute();
}

/** The worker's pass over a payment left `paying`: throws while the upstream cannot tell, so it runs again. */
export async function settleStuckPayment(deps: Deps, paymentId: string): Promise<void> {
  const settled = await settlePayment(deps, paymentId, true);
  if (settled.unknown) throw settled.unknown;
}
