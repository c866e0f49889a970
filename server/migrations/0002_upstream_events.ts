import type { Kysely } from 'kysely';

// Frozen once landed: later changes go in a new migration.
// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on today's schema types
export async function up(db: Kysely<any>): Promise<void> {
  // Upstream events as received: a duplicate (same platform and event id) is dropped by the key.
  await db.schema
    .createTable('upstream_inbox')
    .addColumn('platform', 'text', (c) => c.notNull())
    .addColumn('event_id', 'text', (c) => c.notNull())
    .addColumn('event_type', 'text', (c) => c.notNull())
    .addColumn('object_key', 'text', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('outbox_id', 'text', (c) => c.notNull())
    .addColumn('received_at', 'bigint', (c) => c.notNull())
    .addColumn('handled_at', 'bigint')
    .addPrimaryKeyConstraint('upstream_inbox_pk', ['platform', 'event_id'])
    .execute();
  await db.schema.createIndex('upstream_inbox_received').on('upstream_inbox').column('received_at').execute();

  // Outbox rows with the same ordering key run one at a time, oldest first.
  await db.schema.alterTable('outbox').addColumn('ordering_key', 'text').execute();
  await db.schema
    .createIndex('outbox_ordering')
    .on('outbox')
    .columns(['ordering_key', 'status', 'created_at'])
    .execute();

  // Changes that processes must hear of (caches to drop), polled on SQLite; PostgreSQL uses NOTIFY.
  await db.schema
    .createTable('change_signals')
    .addColumn('seq', 'bigint', (c) => c.primaryKey())
    .addColumn('topic', 'text', (c) => c.notNull())
    .addColumn('item_key', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();

  // Node numbers of the id generator, leased by running processes so that no two share one.
  await db.schema
    .createTable('id_nodes')
    .addColumn('node', 'integer', (c) => c.primaryKey())
    .addColumn('owner', 'text', (c) => c.notNull())
    .addColumn('lease_until', 'bigint', (c) => c.notNull())
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('id_nodes').execute();
  await db.schema.dropTable('change_signals').execute();
  await db.schema.dropIndex('outbox_ordering').execute();
  await db.schema.alterTable('outbox').dropColumn('ordering_key').execute();
  await db.schema.dropTable('upstream_inbox').execute();
}
