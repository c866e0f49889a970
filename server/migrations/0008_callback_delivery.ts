import { type Kysely, sql } from 'kysely';

// Frozen once landed: later changes go in a new migration.
// Callback delivery (docs/adr/0013): the messages table is its own delivery queue. A message carries its delivery
// state; a partial index over the pending ones is the queue (one index entry on the change's path, removed when the
// message is acknowledged or fails). `next_attempt_at` is also the lease: a claim moves it past the attempt's deadline,
// so a crashed worker's message is due again when it passes. Attempts are logged in a table of their own, written by
// the deliverer. Listings and the purge read a developer's messages by time (`messages_developer_time`), which stays in
// time order when ids grow a digit (docs/adr/0013).
// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on today's schema types
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('messages')
    .addColumn('delivery', 'text', (c) => c.notNull().defaultTo('held'))
    .execute();
  await db.schema
    .alterTable('messages')
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema
    .alterTable('messages')
    .addColumn('round_attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.alterTable('messages').addColumn('next_attempt_at', 'bigint').execute();
  await db.schema.alterTable('messages').addColumn('lease_owner', 'text').execute();
  await db.schema.alterTable('messages').addColumn('delivered_at', 'bigint').execute();
  await db.schema
    .createIndex('messages_due')
    .on('messages')
    .column('next_attempt_at')
    .where(sql<boolean>`delivery = 'pending'`)
    .execute();
  await db.schema.dropIndex('messages_developer').ifExists().execute();
  await db.schema
    .createIndex('messages_developer_time')
    .on('messages')
    .columns(['develop_id', 'created_at', 'id'])
    .execute();

  await db.schema
    .createTable('message_attempts')
    .addColumn('message_id', 'text', (c) => c.notNull())
    .addColumn('attempt', 'integer', (c) => c.notNull())
    .addColumn('develop_id', 'text', (c) => c.notNull())
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('attempted_at', 'bigint', (c) => c.notNull())
    .addColumn('status', 'integer')
    .addColumn('duration_ms', 'integer', (c) => c.notNull())
    .addColumn('response', 'text')
    .addColumn('error', 'text')
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('message_attempts_pk', ['message_id', 'attempt'])
    .execute();
  // A developer's latest attempts (the operator's view of its delivery state).
  await db.schema
    .createIndex('message_attempts_developer')
    .on('message_attempts')
    .columns(['develop_id', 'attempted_at'])
    .execute();

  await db.schema.alterTable('callback_endpoints').addColumn('failing_since', 'bigint').execute();
}

// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on today's schema types
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('callback_endpoints').dropColumn('failing_since').execute();
  await db.schema.dropTable('message_attempts').execute();
  await db.schema.dropIndex('messages_developer_time').ifExists().execute();
  await db.schema.createIndex('messages_developer').on('messages').columns(['develop_id', 'id']).execute();
  await db.schema.dropIndex('messages_due').ifExists().execute();
  for (const column of ['delivered_at', 'lease_owner', 'next_attempt_at', 'round_attempts', 'attempts', 'delivery']) {
    await db.schema.alterTable('messages').dropColumn(column).execute();
  }
}
