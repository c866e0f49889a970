import type { Kysely } from 'kysely';

// Frozen once landed: later changes go in a new migration.
/**
 * Rate-limit buckets shared by every process take the tokens of many requests in one statement (docs/adr/0017): the
 * statement records in `granted` how many of the requests it was asked for it let through, which its RETURNING
 * clause hands back.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on today's schema types
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('rate_limit_buckets')
    .addColumn('granted', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on today's schema types
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('rate_limit_buckets').dropColumn('granted').execute();
}
