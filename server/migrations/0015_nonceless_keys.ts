import type { Kysely } from 'kysely';

// Frozen once landed: later changes go in a new migration.
/**
 * Keys the operator allowed to sign v2 requests without `nonce-str` (docs/adr/0019): such a request is recorded by its
 * signature instead, so that its replay is refused as a repeated nonce is.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on today's schema types
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('access_keys')
    .addColumn('nonceless', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on today's schema types
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('access_keys').dropColumn('nonceless').execute();
}
