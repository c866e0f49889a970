import { type Kysely, sql } from 'kysely';

// Frozen once landed: later changes go in a new migration.
// The orders whose create is still settling (docs/adr/0011): an upstream event about an order Ponte has not recorded
// yet is tried again while one exists, rather than dropped (modules/orders/events.ts). A partial index: only the
// creates in flight are in it.
// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on today's schema types
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex('orders_creating')
    .on('orders')
    .column('platform')
    .where(sql<boolean>`create_state = 'creating'`)
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on today's schema types
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('orders_creating').ifExists().execute();
}
