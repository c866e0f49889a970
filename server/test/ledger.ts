import { expect } from 'vitest';
import type { Executor } from '../src/platform/db/database.js';

/**
 * The ledger's invariants, checked over the whole database (docs/architecture.md §10): the entries of
 * every transaction sum to 0 (so all entries do), each account's running balance equals the sum of its
 * entries, each entry's `balance_after_fen` is that running sum at its place, and no developer's
 * balance is below 0. Call it after any test that moves money.
 */
export async function expectLedgerBalanced(db: Executor): Promise<void> {
  const entries = await db
    .selectFrom('ledger_entries')
    .select(['id', 'transaction_id', 'account', 'amount_fen', 'balance_after_fen', 'account_seq'])
    .orderBy('account')
    .orderBy('account_seq')
    .execute();
  const transactions = await db.selectFrom('ledger_transactions').select(['id']).execute();
  const accounts = await db.selectFrom('ledger_accounts').select(['account', 'kind', 'balance_fen']).execute();

  const total = entries.reduce((n, e) => n + Number(e.amount_fen), 0);
  expect(total, 'the sum of all ledger entries').toBe(0);

  const byTransaction = new Map<string, number>();
  for (const e of entries) {
    byTransaction.set(e.transaction_id, (byTransaction.get(e.transaction_id) ?? 0) + Number(e.amount_fen));
  }
  for (const t of transactions) {
    expect(byTransaction.has(t.id), `ledger transaction ${t.id} has entries`).toBe(true);
  }
  const unbalanced = [...byTransaction].filter(([, sum]) => sum !== 0);
  expect(unbalanced, 'ledger transactions whose entries do not sum to 0').toEqual([]);

  // Entries of one account in the order its balance moved (account_seq) give its running balance.
  const running = new Map<string, number>();
  for (const e of entries) {
    const after = (running.get(e.account) ?? 0) + Number(e.amount_fen);
    running.set(e.account, after);
    expect(Number(e.balance_after_fen), `balance after entry ${e.id} of ${e.account}`).toBe(after);
  }
  for (const a of accounts) {
    expect(Number(a.balance_fen), `balance of ${a.account}`).toBe(running.get(a.account) ?? 0);
    if (a.kind === 'balance') expect(Number(a.balance_fen), `${a.account} is not below 0`).toBeGreaterThanOrEqual(0);
  }
}
