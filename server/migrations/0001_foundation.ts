import type { Kysely } from 'kysely';

// Frozen once landed: later changes go in a new migration.
// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on today's schema types
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('developers')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('email', 'text')
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('active'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('access_keys')
    .addColumn('access_key', 'text', (c) => c.primaryKey())
    .addColumn('develop_id', 'text', (c) => c.notNull().references('developers.id'))
    .addColumn('label', 'text')
    .addColumn('secret_sealed', 'text', (c) => c.notNull())
    .addColumn('previous_secret_sealed', 'text')
    .addColumn('previous_expires_at', 'bigint')
    .addColumn('legacy_md5', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('active'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('rotated_at', 'bigint')
    .addColumn('revoked_at', 'bigint')
    .execute();
  await db.schema.createIndex('access_keys_develop_id').on('access_keys').column('develop_id').execute();

  await db.schema
    .createTable('sub_accounts')
    .addColumn('user_id', 'text', (c) => c.primaryKey())
    .addColumn('develop_id', 'text', (c) => c.notNull().references('developers.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('out_member_id', 'text')
    .addColumn('is_main', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('active'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('sub_accounts_developer')
    .on('sub_accounts')
    .columns(['develop_id', 'created_at'])
    .execute();
  await db.schema
    .createIndex('sub_accounts_out_member')
    .on('sub_accounts')
    .columns(['develop_id', 'out_member_id'])
    .unique()
    .execute();

  await db.schema
    .createTable('auth_nonces')
    .addColumn('access_key', 'text', (c) => c.notNull())
    .addColumn('nonce', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('auth_nonces_pk', ['access_key', 'nonce'])
    .execute();
  await db.schema.createIndex('auth_nonces_expires').on('auth_nonces').column('expires_at').execute();

  await db.schema
    .createTable('idempotency_keys')
    .addColumn('develop_id', 'text', (c) => c.notNull())
    .addColumn('idem_key', 'text', (c) => c.notNull())
    .addColumn('request_hash', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('http_status', 'integer')
    .addColumn('response_body', 'text')
    .addColumn('locked_until', 'bigint', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('idempotency_keys_pk', ['develop_id', 'idem_key'])
    .execute();
  await db.schema.createIndex('idempotency_keys_expires').on('idempotency_keys').column('expires_at').execute();

  await db.schema
    .createTable('outbox')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('event_type', 'text', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('max_attempts', 'integer', (c) => c.notNull())
    .addColumn('available_at', 'bigint', (c) => c.notNull())
    .addColumn('lease_owner', 'text')
    .addColumn('lease_until', 'bigint')
    .addColumn('last_error', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('outbox_claim').on('outbox').columns(['status', 'available_at']).execute();

  await db.schema
    .createTable('rate_limit_buckets')
    .addColumn('bucket_key', 'text', (c) => c.primaryKey())
    .addColumn('tokens', 'double precision', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    'rate_limit_buckets',
    'outbox',
    'idempotency_keys',
    'auth_nonces',
    'sub_accounts',
    'access_keys',
    'developers',
  ]) {
    await db.schema.dropTable(table).execute();
  }
}
