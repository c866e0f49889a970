import { sql } from 'kysely';
import type { Executor } from '../../platform/db/database.js';
import type { AppDeps } from '../../platform/deps.js';
import { ApiError } from '../../platform/http/errors.js';

/** The ledger's accounts: each developer's balance, and the system accounts money comes from or goes to. */
export const ACCOUNTS = {
  balance: (developId: string) => `developer:${developId}:balance`,
  /** Money paid out to (or owed back by) the upstream marketplaces. */
  upstreamClearing: 'upstream:clearing',
  /** Where top-ups come from: money the operator received outside Ponte. */
  topups: 'topups',
  /** Refunds the marketplaces gave back for after-sales cases. */
  refunds: 'refunds',
} as const;

export type LedgerKind =
  | 'topup'
  | 'voucher_topup'
  | 'order_payment'
  | 'payment_reversal'
  | 'order_refund'
  | 'adjustment';

export interface LedgerEntryInput {
  account: string;
  /** Positive raises the account's balance, negative lowers it. */
  amountFen: number;
}

export interface LedgerTransactionInput {
  /** Makes the movement happen once: a second post with the same key changes nothing. */
  idemKey: string;
  kind: LedgerKind;
  developId: string | null;
  orderId?: string;
  paymentId?: string;
  voucherId?: string;
  topupId?: string;
  memo: string;
  entries: LedgerEntryInput[];
}

export interface PostedTransaction {
  transactionId: string;
  /** False when a transaction with this key already existed (nothing was changed). */
  created: boolean;
}

const BALANCE_PREFIX = 'developer:';

/** The developer a balance account belongs to, or null for a system account. */
function ownerOf(account: string): string | null {
  if (!account.startsWith(BALANCE_PREFIX) || !account.endsWith(':balance')) return null;
  return account.slice(BALANCE_PREFIX.length, -':balance'.length);
}

/**
 * Posts one ledger transaction inside the caller's transaction: its entries must sum to 0. Every
 * account's running balance moves by a conditional update, so a developer's balance never goes below
 * 0 even under concurrent payments (no read-then-write): when it would, this throws 42201 and nothing
 * of this transaction stays written (a savepoint), even if the caller catches the error and commits
 * the rest of its work. Idempotent by `idemKey`. Given a plain connection, it opens a transaction.
 */
export async function postTransaction(
  db: Executor,
  deps: Pick<AppDeps, 'ids' | 'clock'>,
  input: LedgerTransactionInput,
  /**
   * `savepoint: false` when the caller lets an error of this call fail its whole transaction: the
   * savepoint, there to undo this posting alone, is then not needed.
   */
  options: { savepoint?: boolean } = {},
): Promise<PostedTransaction> {
  const sum = input.entries.reduce((n, e) => n + e.amountFen, 0);
  if (sum !== 0 || input.entries.length < 2) throw new Error(`ledger transaction ${input.idemKey} does not balance`);
  for (const e of input.entries) {
    if (!Number.isSafeInteger(e.amountFen)) throw new Error(`ledger amount ${e.amountFen} is not an integer`);
  }
  if (!db.isTransaction) return db.transaction().execute((trx) => postTransaction(trx, deps, input));
  if (options.savepoint === false) return post(db, deps, input);
  await sql`savepoint ledger_post`.execute(db);
  try {
    const posted = await post(db, deps, input);
    await sql`release savepoint ledger_post`.execute(db);
    return posted;
  } catch (err) {
    // The original error matters more than a failure to roll back (a lost connection fails both).
    await sql`rollback to savepoint ledger_post`.execute(db).catch(() => {});
    await sql`release savepoint ledger_post`.execute(db).catch(() => {});
    throw err;
  }
}

async function post(
  db: Executor,
  deps: Pick<AppDeps, 'ids' | 'clock'>,
  input: LedgerTransactionInput,
): Promise<PostedTransaction> {
  const now = deps.clock.now();
  const transactionId = deps.ids.next(now);
  const inserted = await db
    .insertInto('ledger_transactions')
    .values({
      id: transactionId,
      idem_key: input.idemKey,
      kind: input.kind,
      develop_id: input.developId,
      order_id: input.orderId ?? null,
      payment_id: input.paymentId ?? null,
      voucher_id: input.voucherId ?? null,
      topup_id: input.topupId ?? null,
      memo: input.memo,
      created_at: now,
    })
    .onConflict((oc) => oc.column('idem_key').doNothing())
    .returning('id')
    .executeTakeFirst();
  if (!inserted) {
    const existing = await db
      .selectFrom('ledger_transactions')
      .select('id')
      .where('idem_key', '=', input.idemKey)
      .executeTakeFirstOrThrow();
    return { transactionId: existing.id, created: false };
  }
  // Accounts in one order everywhere, so that concurrent transactions lock rows in the same order.
  const entries = [...input.entries].sort((a, b) => (a.account < b.account ? -1 : a.account > b.account ? 1 : 0));
  for (const entry of entries) {
    const moved = await moveBalance(db, entry, now);
    await db
      .insertInto('ledger_entries')
      .values({
        id: deps.ids.next(now),
        transaction_id: transactionId,
        account: entry.account,
        amount_fen: entry.amountFen,
        balance_after_fen: moved.balanceFen,
        account_seq: moved.seq,
        created_at: now,
      })
      .execute();
  }
  return { transactionId, created: true };
}

/**
 * Moves one account's balance; refuses (42201) to take a developer's balance below 0. The account row
 * is created on its first movement: the update comes first, since the account nearly always exists.
 */
async function moveBalance(
  db: Executor,
  entry: LedgerEntryInput,
  now: number,
): Promise<{ balanceFen: number; seq: number }> {
  const update = () =>
    db
      .updateTable('ledger_accounts')
      .set((eb) => ({
        balance_fen: eb('balance_fen', '+', entry.amountFen),
        entry_count: eb('entry_count', '+', 1),
        updated_at: now,
      }))
      .where('account', '=', entry.account)
      .where((eb) => eb.or([eb('kind', '<>', 'balance'), eb(eb('balance_fen', '+', entry.amountFen), '>=', 0)]))
      .returning(['balance_fen', 'entry_count'])
      .executeTakeFirst();
  let updated = await update();
  if (!updated) {
    const owner = ownerOf(entry.account);
    const created = await db
      .insertInto('ledger_accounts')
      .values({
        account: entry.account,
        develop_id: owner,
        kind: owner === null ? 'system' : 'balance',
        balance_fen: 0,
        entry_count: 0,
        updated_at: now,
      })
      .onConflict((oc) => oc.column('account').doNothing())
      .returning('account')
      .executeTakeFirst();
    // Created now, or by a concurrent first movement (committed by the time the insert returned), or it
    // existed and the balance does not cover the amount: the update tells which.
    if (created || entry.amountFen >= 0 || ownerOf(entry.account) === null) updated = await update();
  }
  if (!updated) throw new ApiError(42201);
  return { balanceFen: Number(updated.balance_fen), seq: Number(updated.entry_count) };
}

/** A developer's balance in fen (0 before the first movement). */
export async function balanceOf(db: Executor, developId: string): Promise<number> {
  const row = await db
    .selectFrom('ledger_accounts')
    .select('balance_fen')
    .where('account', '=', ACCOUNTS.balance(developId))
    .executeTakeFirst();
  return row ? Number(row.balance_fen) : 0;
}
