import { sql } from 'kysely';
import type { Executor } from '../../platform/db/database.js';
import { prepared } from '../../platform/db/prepared.js';
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
  /** International freight charged to developers and owed to the forwarders (docs/adr/0015). */
  freightClearing: 'freight:clearing',
  /** Storage fees the warehouse earned. */
  storageFees: 'warehouse:storage',
} as const;

export type LedgerKind =
  | 'topup'
  | 'voucher_topup'
  | 'order_payment'
  | 'payment_reversal'
  | 'order_refund'
  /** An after-sales refund the marketplace paid back. */
  | 'refund'
  /** A freight booking's estimate charged (docs/adr/0015). */
  | 'freight_charge'
  /** The settlement at packing: the gap charged or the surplus refunded. */
  | 'freight_settle'
  /** A cancelled booking's estimate refunded. */
  | 'freight_refund'
  /** Storage past the free period, charged at packing. */
  | 'storage_fee'
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
  deps: Pick<AppDeps, 'ids' | 'clock'> & Partial<Pick<AppDeps, 'metrics'>>,
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
  deps: Pick<AppDeps, 'ids' | 'clock'> & Partial<Pick<AppDeps, 'metrics'>>,
  input: LedgerTransactionInput,
): Promise<PostedTransaction> {
  const now = deps.clock.now();
  const transactionId = deps.ids.next(now);
  const inserted = (
    await insertTransaction(db, {
      id: transactionId,
      idemKey: input.idemKey,
      kind: input.kind,
      developId: input.developId,
      orderId: input.orderId ?? null,
      paymentId: input.paymentId ?? null,
      voucherId: input.voucherId ?? null,
      topupId: input.topupId ?? null,
      memo: input.memo,
      now,
    })
  ).rows[0];
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
    await insertEntry(db, {
      id: deps.ids.next(now),
      transactionId,
      account: entry.account,
      amountFen: entry.amountFen,
      balanceAfterFen: moved.balanceFen,
      seq: moved.seq,
      now,
    });
  }
  // Counted once the caller's transaction commits (a rollback, of it or of the savepoint, counts nothing).
  deps.metrics?.ledgerPosted(db, input.kind);
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
  const update = async () =>
    (await updateAccount(db, { account: entry.account, amountFen: entry.amountFen, now })).rows[0];
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
  const row = (await balanceRow(db, { account: ACCOUNTS.balance(developId) })).rows[0];
  return row ? Number(row.balance_fen) : 0;
}

// The statements of every posting, compiled once (platform/db/prepared.ts).

type TransactionRow = {
  id: string;
  idemKey: string;
  kind: LedgerKind;
  developId: string | null;
  orderId: string | null;
  paymentId: string | null;
  voucherId: string | null;
  topupId: string | null;
  memo: string;
  now: number;
};

const insertTransaction = prepared((db, a: TransactionRow) =>
  db
    .insertInto('ledger_transactions')
    .values({
      id: a.id,
      idem_key: a.idemKey,
      kind: a.kind,
      develop_id: a.developId,
      order_id: a.orderId,
      payment_id: a.paymentId,
      voucher_id: a.voucherId,
      topup_id: a.topupId,
      memo: a.memo,
      created_at: a.now,
    })
    .onConflict((oc) => oc.column('idem_key').doNothing())
    .returning('id'),
);

type EntryRow = {
  id: string;
  transactionId: string;
  account: string;
  amountFen: number;
  balanceAfterFen: number;
  seq: number;
  now: number;
};

const insertEntry = prepared((db, a: EntryRow) =>
  db.insertInto('ledger_entries').values({
    id: a.id,
    transaction_id: a.transactionId,
    account: a.account,
    amount_fen: a.amountFen,
    balance_after_fen: a.balanceAfterFen,
    account_seq: a.seq,
    created_at: a.now,
  }),
);

/** Moves a balance unless it is a developer's and would go below 0. */
const updateAccount = prepared((db, a: { account: string; amountFen: number; now: number }) =>
  db
    .updateTable('ledger_accounts')
    .set((eb) => ({
      balance_fen: eb('balance_fen', '+', a.amountFen),
      entry_count: eb('entry_count', '+', 1),
      updated_at: a.now,
    }))
    .where('account', '=', a.account)
    .where((eb) => eb.or([eb('kind', '<>', 'balance'), eb(eb('balance_fen', '+', a.amountFen), '>=', 0)]))
    .returning(['balance_fen', 'entry_count']),
);

const balanceRow = prepared((db, a: { account: string }) =>
  db.selectFrom('ledger_accounts').select('balance_fen').where('account', '=', a.account),
);
