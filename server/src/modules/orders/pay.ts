import type { Insertable, Selectable } from 'kysely';
import type { AuthContext } from '../../platform/auth/credentials.js';
import type { Executor } from '../../platform/db/database.js';
import { prepared } from '../../platform/db/prepared.js';
import type { OrderHistoryTable, OrderPaymentsTable } from '../../platform/db/schema.js';
import type { AppDeps } from '../../platform/deps.js';
import { ApiError, notFound } from '../../platform/http/errors.js';
import { phrase } from '../../platform/http/reasons.js';
import { enqueue } from '../../platform/outbox/outbox.js';
import { MarketRejection } from '../../providers/errors.js';
import { ACCOUNTS, balanceOf, postTransaction } from '../payments/index.js';
import { marketOf } from './create.js';
import { insertOrderMessage } from './messages.js';
import { findOwnOrder, linesOf, loadAggregate, lockOrder, orderById, partsOf } from './orders.repo.js';
import { closedStatus, initialStatus, isClosed, orderStatusOf, paidStatus } from './orders.states.js';
import type { OrderAggregate, OrderRow, PartRow, PayOutcome, Platform } from './orders.types.js';
import { historyRow, insertHistory, movePart, partTimes } from './transitions.js';

/** Outbox job that settles a payment the request could not (no answer upstream, the process died). */
export const SETTLE_PAYMENT_EVENT = 'orders.settle_payment';

type Deps = AppDeps;

type PaymentRow = Selectable<OrderPaymentsTable>;

/** What the request that began a payment knows already, so that settling it reads none of it again. */
interface PaymentContext {
  payment: PaymentRow;
  order: OrderRow;
  /** The parts the payment pays (`paying`). */
  parts: PartRow[];
}

type Started =
  | { paymentId: string; context: PaymentContext }
  | { already: 'paid' }
  | { already: 'paying'; paymentId: string };

/** The order as a payment left it, for the answer. */
interface PaymentView {
  aggregate: OrderAggregate;
  balanceFen: number;
}

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
  /**
   * Called inside the transaction that records a payment every seller accepted, with what this call will
   * answer (so that a route can store its reply with it: HandlerContext.answerIn).
   */
  onPaid?: (trx: Executor, result: PayResult) => Promise<void>,
): Promise<PayResult> {
  const { order, started } = await beginPayment(deps, actor, platform, orderId, method);
  if ('already' in started && started.already === 'paid') return currentView(deps, order.id, true);
  const alreadyPaid = 'already' in started;
  const onRecorded =
    onPaid &&
    (async (trx: Executor, view: PaymentView) => {
      if (view.aggregate.order.pay_state !== 'paid') return;
      await onPaid(trx, { outcome: { kind: 'paid', alreadyPaid }, ...view });
    });
  const driven = await settlePayment(
    deps,
    started.paymentId,
    false,
    'context' in started ? started.context : undefined,
    onRecorded,
  );
  if (driven.rejection) throw driven.rejection;
  if (driven.unknown) throw driven.unknown;
  if (!driven.view) return currentView(deps, order.id, alreadyPaid);
  return { outcome: outcomeOf(driven.view.aggregate.order, alreadyPaid), ...driven.view };
}

/** What paying an order answers. */
export interface PayResult {
  outcome: PayOutcome;
  aggregate: OrderAggregate;
  balanceFen: number;
}

/** The order and balance as they are now: for a payment another request (or the worker) recorded. */
async function currentView(deps: Deps, orderId: string, alreadyPaid: boolean): Promise<PayResult> {
  const db = deps.database.db;
  const order = (await orderById(db, orderId)) as OrderRow;
  return {
    outcome: outcomeOf(order, alreadyPaid),
    aggregate: await loadAggregate(db, order),
    balanceFen: await balanceOf(db, order.develop_id),
  };
}

/** How a payment ended, as the order tells it: another request may have settled the payment meanwhile. */
function outcomeOf(order: OrderRow, alreadyPaid: boolean): PayOutcome {
  if (order.pay_state === 'paying') return { kind: 'pending' };
  if (order.pay_state !== 'paid') throw new ApiError(40901, { reason: phrase('orderNotAwaitingPayment') });
  return { kind: 'paid', alreadyPaid };
}

/**
 * Finds the caller's order (40401 if it may not see it) and starts paying it, in one transaction: the
 * order is read there rather than before, which saves a read transaction of its own.
 */
async function beginPayment(
  deps: Deps,
  actor: AuthContext,
  platform: Platform,
  orderId: string,
  method: { kind: 'balance' } | { kind: 'voucher'; voucherId: string },
): Promise<{ order: OrderRow; started: Started }> {
  return deps.database.transaction(async (trx) => {
    const order = await findOwnOrder(trx, actor, platform, orderId);
    if (!order) throw notFound('order', orderId);
    const now = deps.clock.now();
    const taken = await startPaying(trx, { orderId: order.id, status: initialStatus(order.platform), now });
    if (Number(taken.numAffectedRows) !== 1) return { order, started: await alreadyStarted(trx, order.id) };
    const parts = (await partsOf(trx, order.id)).filter(
      (p) => p.pay_state === 'unpaid' && p.status === initialStatus(order.platform),
    );
    const amount = parts.reduce((n, p) => n + Number(p.total_fen), 0);
    const payment: PaymentRow = {
      id: deps.ids.next(now),
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
    };
    await insertPayment(trx, {
      id: payment.id,
      orderId: payment.order_id,
      developId: payment.develop_id,
      method: payment.method,
      voucherId: payment.voucher_id,
      amountFen: amount,
      now,
    });
    for (const part of parts) await partPaying(trx, { partId: part.id, now });
    await postTransaction(
      trx,
      deps,
      {
        idemKey: `order-pay:${payment.id}`,
        kind: 'order_payment',
        developId: order.develop_id,
        orderId: order.id,
        paymentId: payment.id,
        ...(method.kind === 'voucher' ? { voucherId: method.voucherId } : {}),
        memo: `${order.platform} order ${order.id}`,
        entries: [
          { account: ACCOUNTS.balance(order.develop_id), amountFen: -amount },
          { account: ACCOUNTS.upstreamClearing, amountFen: amount },
        ],
      },
      // A refusal (42201) fails this whole transaction: no savepoint of its own is needed.
      { savepoint: false },
    );
    await enqueue(
      trx,
      deps,
      SETTLE_PAYMENT_EVENT,
      { paymentId: payment.id },
      { availableAt: now + deps.config.orders.settleDelayMs },
    );
    return {
      order,
      started: {
        paymentId: payment.id,
        context: {
          payment,
          order: { ...order, pay_state: 'paying', updated_at: now },
          parts: parts.map((p) => ({ ...p, pay_state: 'paying', updated_at: now })),
        },
      },
    };
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
  /** The order and balance once the outcome was recorded (absent when there was nothing to settle). */
  view?: PaymentView;
}

type PartOutcome =
  | { part: PartRow; paid: true }
  | { part: PartRow; refused: MarketRejection }
  | { part: PartRow; unknown: unknown };

/**
 * Pays every `paying` part of a payment upstream, at the amount debited, then records the outcome in
 * one transaction. `askFirst` (the worker) asks the upstream whether a part was paid before paying it,
 * and reverses parts the upstream closed. Safe to run twice at once: the upstream pays an order once,
 * and each part moves from `paying` by a conditional update. `context` is what the caller that began
 * the payment knows of it (else it is read).
 */
export async function settlePayment(
  deps: Deps,
  paymentId: string,
  askFirst: boolean,
  context?: PaymentContext,
  /** Called in the recording transaction when every part was paid. */
  onRecorded?: (trx: Executor, view: PaymentView) => Promise<void>,
): Promise<Settled> {
  let payment: PaymentRow | undefined;
  let order: OrderRow;
  let parts: PartRow[];
  if (context) ({ payment, order, parts } = context);
  else {
    const db = deps.database.db;
    payment = await db.selectFrom('order_payments').selectAll().where('id', '=', paymentId).executeTakeFirst();
    if (payment?.state !== 'paying') return { stillPaying: false };
    order = (await orderById(db, payment.order_id)) as OrderRow;
    parts = (await partsOf(db, order.id)).filter((p) => p.pay_state === 'paying');
  }
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
  const paymentRow = payment;
  const allPaid = outcomes.every((o) => 'paid' in o);
  const view = await deps.database.transaction(async (trx) => {
    const recorded = await recordOutcomes(trx, deps, paymentRow, order.id, outcomes);
    if (allPaid) await onRecorded?.(trx, recorded);
    return recorded;
  });
  const refused = outcomes.find((o) => 'refused' in o);
  const unknown = outcomes.find((o) => 'unknown' in o);
  return {
    stillPaying: !!unknown,
    view,
    ...(refused && 'refused' in refused ? { rejection: refused.refused } : {}),
    ...(unknown && 'unknown' in unknown ? { unknown: unknown.unknown } : {}),
  };
}

/**
 * Records the upstream's answers about a payment's parts in the caller's transaction, reading the order
 * once: paid parts move to the paid status, refused ones are reversed, then the payment's state, the
 * order's status and pay state, the history and the `paid` message follow from the parts in memory.
 */
async function recordOutcomes(
  trx: Executor,
  deps: Deps,
  payment: PaymentRow,
  orderId: string,
  outcomes: PartOutcome[],
): Promise<PaymentView> {
  await lockOrder(trx, deps, orderId);
  const now = deps.clock.now();
  let parts = await partsOf(trx, orderId);
  const history: Insertable<OrderHistoryTable>[] = [];
  let paidAny = false;
  let stale = false;
  for (const o of outcomes) {
    const part = parts.find((p) => p.id === o.part.id);
    if (!part) continue;
    if ('paid' in o) {
      const moved = await payPart(trx, deps, part, now, history);
      if (moved === 'changed') {
        // Something else moved the part meanwhile: take the general way, and read the parts again.
        stale = true;
        paidAny = (await markPartPaid(trx, deps, part, 'pay')) || paidAny;
      } else paidAny = moved || paidAny;
    } else if ('refused' in o) {
      if (await reversePart(trx, deps, payment.id, part, o.refused.message)) part.pay_state = 'unpaid';
    }
  }
  if (stale) parts = await partsOf(trx, orderId);
  const paying = parts.some((p) => p.pay_state === 'paying');
  if (!paying) await settlePaymentState(trx, payment.id, now);
  const order = (await orderById(trx, orderId)) as OrderRow;
  const status = orderStatusOf(
    order.platform,
    parts.map((p) => p.status),
  );
  const payState = payStateOf(order, parts);
  const closing = status !== order.status && status === closedStatus(order.platform);
  if (status !== order.status) {
    history.push(historyRow(deps, orderId, null, order.status, status, { cause: 'pay:paid' }, now));
  }
  const paidFen = paidFenOf(parts);
  // The usual end of a payment (compiled once); any other through the general update.
  const usual = paidAny && payState === 'paid' && !order.paid_at && !closing;
  const updated = usual
    ? (await orderPaid(trx, { orderId, status, paidFen, now })).rows[0]
    : await trx
        .updateTable('orders')
        .set((eb) => ({
          status,
          pay_state: payState,
          paid_fen: paidFen,
          updated_at: now,
          ...(payState === 'paid' && !order.paid_at ? { paid_at: now } : {}),
          ...(closing ? { closed_at: now, close_reason: 'pay:paid' } : {}),
          // Each message carries a version greater than the last (see writeOrderMessage).
          ...(paidAny ? { version: eb('version', '+', 1) } : {}),
        }))
        .where('id', '=', orderId)
        .returningAll()
        .executeTakeFirst();
  if (!updated) throw new Error(`order ${orderId} vanished while its payment was recorded`);
  await insertHistory(trx, history);
  const lines = await linesOf(trx, orderId);
  const aggregate: OrderAggregate = {
    order: updated,
    parts: parts.map((part) => ({ part, lines: lines.filter((l) => l.part_id === part.id) })),
  };
  if (paidAny) await insertOrderMessage(trx, deps, aggregate, 'paid');
  return { aggregate, balanceFen: await balanceOf(trx, updated.develop_id) };
}

/**
 * A part the upstream paid, by one conditional update of its pay state and status (with its lines and a
 * history row), changing the in-memory row alike. False when the part was not `paying` any more;
 * 'changed' when its row no longer matches the one read (the caller takes the general way).
 */
async function payPart(
  db: Executor,
  deps: Deps,
  part: PartRow,
  now: number,
  history: Insertable<OrderHistoryTable>[],
): Promise<boolean | 'changed'> {
  if (part.pay_state !== 'paying') return false;
  const to = part.status === initialStatus(part.platform) ? paidStatus(part.platform) : undefined;
  const times = to ? partTimes(part.platform, to, now) : {};
  const moved = to
    ? await partPaidMoved(db, { partId: part.id, from: part.status, to, paidFen: Number(part.total_fen), now })
    : await partPaid(db, { partId: part.id, status: part.status, paidFen: Number(part.total_fen), now });
  if (Number(moved.numAffectedRows) !== 1) return 'changed';
  if (to) {
    await linesMoved(db, { partId: part.id, from: part.status, to });
    history.push(historyRow(deps, part.order_id, part.id, part.status, to, { cause: 'pay:paid' }, now));
    Object.assign(part, { status: to }, times);
  }
  Object.assign(part, { pay_state: 'paid', paid_fen: part.total_fen, updated_at: now });
  return true;
}

/** A payment none of whose parts is `paying` any more: paid, partly reversed or reversed. */
async function settlePaymentState(db: Executor, paymentId: string, now: number): Promise<void> {
  const payment = (await paymentAmounts(db, { paymentId })).rows[0];
  if (!payment) throw new Error(`payment ${paymentId} vanished`);
  const reversed = Number(payment.reversed_fen);
  const state = reversed === 0 ? 'paid' : reversed >= Number(payment.amount_fen) ? 'reversed' : 'partly_reversed';
  await paymentSettled(db, { paymentId, state, now });
}

// The statements of every payment, compiled once (platform/db/prepared.ts).

const startPaying = prepared((db, a: { orderId: string; status: string; now: number }) =>
  db
    .updateTable('orders')
    .set({ pay_state: 'paying', updated_at: a.now })
    .where('id', '=', a.orderId)
    .where('pay_state', '=', 'unpaid')
    .where('create_state', '=', 'created')
    .where('status', '=', a.status),
);

type PaymentInsert = {
  id: string;
  orderId: string;
  developId: string;
  method: string;
  voucherId: string | null;
  amountFen: number;
  now: number;
};

const insertPayment = prepared((db, a: PaymentInsert) =>
  db.insertInto('order_payments').values({
    id: a.id,
    order_id: a.orderId,
    develop_id: a.developId,
    method: a.method as PaymentRow['method'],
    voucher_id: a.voucherId,
    amount_fen: a.amountFen,
    reversed_fen: 0,
    state: 'paying',
    last_error: null,
    created_at: a.now,
    updated_at: a.now,
  }),
);

const partPaying = prepared((db, a: { partId: string; now: number }) =>
  db.updateTable('order_parts').set({ pay_state: 'paying', updated_at: a.now }).where('id', '=', a.partId),
);

/** A `paying` part paid, moving from the initial status to the paid one (`paid_at` set). */
const partPaidMoved = prepared((db, a: { partId: string; from: string; to: string; paidFen: number; now: number }) =>
  db
    .updateTable('order_parts')
    .set({ pay_state: 'paid', paid_fen: a.paidFen, updated_at: a.now, status: a.to, paid_at: a.now })
    .where('id', '=', a.partId)
    .where('pay_state', '=', 'paying')
    .where('status', '=', a.from),
);

/** A `paying` part paid that has moved on already (an event came first). */
const partPaid = prepared((db, a: { partId: string; status: string; paidFen: number; now: number }) =>
  db
    .updateTable('order_parts')
    .set({ pay_state: 'paid', paid_fen: a.paidFen, updated_at: a.now })
    .where('id', '=', a.partId)
    .where('pay_state', '=', 'paying')
    .where('status', '=', a.status),
);

const linesMoved = prepared((db, a: { partId: string; from: string; to: string }) =>
  db.updateTable('order_lines').set({ status: a.to }).where('part_id', '=', a.partId).where('status', '=', a.from),
);

/** A payment's order once every part of it is paid: its status, pay state, paid time and message version. */
const orderPaid = prepared((db, a: { orderId: string; status: string; paidFen: number; now: number }) =>
  db
    .updateTable('orders')
    .set((eb) => ({
      status: a.status,
      pay_state: 'paid',
      paid_fen: a.paidFen,
      updated_at: a.now,
      paid_at: a.now,
      version: eb('version', '+', 1),
    }))
    .where('id', '=', a.orderId)
    .returningAll(),
);

const paymentAmounts = prepared((db, a: { paymentId: string }) =>
  db.selectFrom('order_payments').select(['amount_fen', 'reversed_fen']).where('id', '=', a.paymentId),
);

const paymentSettled = prepared((db, a: { paymentId: string; state: string; now: number }) =>
  db
    .updateTable('order_payments')
    .set({ state: a.state as PaymentRow['state'], updated_at: a.now })
    .where('id', '=', a.paymentId)
    .where('state', '=', 'paying'),
);

/** An order's pay state from its parts'. */
function payStateOf(order: OrderRow, parts: PartRow[]): OrderRow['pay_state'] {
  const open = parts.filter((p) => p.status !== closedStatus(order.platform));
  if (parts.some((p) => p.pay_state === 'paying')) return 'paying';
  if (open.some((p) => p.pay_state === 'unpaid')) return 'unpaid';
  if (parts.some((p) => p.pay_state === 'paid')) return 'paid';
  if (parts.some((p) => p.pay_state === 'reversed')) return 'reversed';
  return 'unpaid';
}

const paidFenOf = (parts: PartRow[]) =>
  parts.reduce((n, p) => n + (p.pay_state === 'paid' ? Number(p.paid_fen) : 0), 0);

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
export async function reversePart(
  db: Executor,
  deps: Deps,
  paymentId: string,
  part: PartRow,
  why: string,
): Promise<boolean> {
  const now = deps.clock.now();
  const moved = await db
    .updateTable('order_parts')
    .set({ pay_state: 'unpaid', updated_at: now })
    .where('id', '=', part.id)
    .where('pay_state', '=', 'paying')
    .executeTakeFirst();
  if (Number(moved.numUpdatedRows) !== 1) return false;
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
  return true;
}

/** The payment's and the order's pay states from their parts'. */
export async function settleOrderPayState(db: Executor, deps: Deps, orderId: string, paymentId: string | null) {
  await lockOrder(db, deps, orderId);
  const now = deps.clock.now();
  const parts = await partsOf(db, orderId);
  const order = (await orderById(db, orderId)) as OrderRow;
  const paying = parts.some((p) => p.pay_state === 'paying');
  if (paymentId && !paying) await settlePaymentState(db, paymentId, now);
  const payState = payStateOf(order, parts);
  await db
    .updateTable('orders')
    .set({
      pay_state: payState,
      paid_fen: paidFenOf(parts),
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
