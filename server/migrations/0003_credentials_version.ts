import type { Kysely } from 'kysely';

// Frozen once landed: later changes go in a new migration.
// The developer's credentials version: raised by every change that affects request authentication, so
// that a process holding a cached key record can tell that it is stale (platform/auth/key-cache.ts).
// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on today's schema types
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('developers')
    .addColumn('auth_version', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on today's schema types
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('developers').dropColumn('auth_version').execute();
}
