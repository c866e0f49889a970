import type { Kysely } from 'kysely';

// Frozen once landed: later changes go in a new migration.
// Two indexes no query reads, written by every payment (docs/adr/0012-sqlite-group-commit.md: a commit costs
// per page it changes): a ledger account's entries are read in `account_seq` order, through the unique
// (account, account_seq) index; payments are found by id or by order, never by state.
// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on today's schema types
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('ledger_entries_account').ifExists().execute();
  await db.schema.dropIndex('order_payments_state').ifExists().execute();
}

// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on today's schema types
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('ledger_entries_account').on('ledger_entries').columns(['account', 'id']).execute();
  await db.schema.createIndex('order_payments_state').on('order_payments').columns(['state', 'updated_at']).execute();
}
