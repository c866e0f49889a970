import type { Kysely } from 'kysely';

// Frozen once landed: later changes go in a new migration.
// A developer's callback URL and its signing secrets, sealed with the master key (docs/adr/0013).
// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on today's schema types
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('callback_endpoints')
    .addColumn('develop_id', 'text', (c) => c.primaryKey().references('developers.id'))
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('enabled', 'integer', (c) => c.notNull())
    .addColumn('disabled_reason', 'text')
    .addColumn('disabled_at', 'bigint')
    .addColumn('secret_id', 'text', (c) => c.notNull())
    .addColumn('secret_sealed', 'text', (c) => c.notNull())
    .addColumn('previous_secret_id', 'text')
    .addColumn('previous_secret_sealed', 'text')
    .addColumn('previous_expires_at', 'bigint')
    .addColumn('verified_at', 'bigint', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on today's schema types
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('callback_endpoints').execute();
}
