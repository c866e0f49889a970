import type { Kysely } from 'kysely';

// Frozen once landed: later changes go in a new migration.
// An order's parts are read `order by id` and its lines `order by part_id, position`; indexes on `order_id`
// alone made both queries sort their rows in a temporary B-tree on every read (several reads per payment).
// The same indexes, with the order columns added, hand the rows over sorted.
// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on today's schema types
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('order_parts_order').ifExists().execute();
  await db.schema.createIndex('order_parts_order').on('order_parts').columns(['order_id', 'id']).execute();
  await db.schema.dropIndex('order_lines_order').ifExists().execute();
  await db.schema
    .createIndex('order_lines_order')
    .on('order_lines')
    .columns(['order_id', 'part_id', 'position'])
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on today's schema types
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('order_parts_order').ifExists().execute();
  await db.schema.createIndex('order_parts_order').on('order_parts').column('order_id').execute();
  await db.schema.dropIndex('order_lines_order').ifExists().execute();
  await db.schema.createIndex('order_lines_order').on('order_lines').column('order_id').execute();
}
