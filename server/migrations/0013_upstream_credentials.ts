import type { Kysely } from 'kysely';

// Frozen once landed: later changes go in a new migration.
// The real upstreams' OAuth tokens (docs/adr/0016-real-upstreams.md, "Credentials and tokens"): one row per
// platform, the tokens sealed with the master key as access secrets are (ADR 0003), and the one-time `state` values
// of authorisations under way, kept only as their SHA-256 so that a copy of the database cannot complete one.
// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on today's schema types
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('upstream_credentials')
    // `1688` or `taobao`.
    .addColumn('platform', 'text', (c) => c.primaryKey())
    // Sealed (`v1.` + AES-256-GCM), never the token itself.
    .addColumn('access_token', 'text', (c) => c.notNull())
    .addColumn('refresh_token', 'text')
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('refresh_expires_at', 'bigint')
    // The account the token acts for (1688: its member id; Taobao Global: its login name) and its login name.
    .addColumn('owner', 'text', (c) => c.notNull())
    .addColumn('owner_login', 'text')
    .addColumn('authorized_at', 'bigint', (c) => c.notNull())
    .addColumn('refreshed_at', 'bigint')
    // Raised by every write: a process writes a refreshed token only over the version it read (compare-and-set).
    .addColumn('version', 'integer', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('upstream_oauth_states')
    // The SHA-256 (hex) of the random state handed to the browser.
    .addColumn('state', 'text', (c) => c.primaryKey())
    .addColumn('platform', 'text', (c) => c.notNull())
    // The callback address the code is bound to: the exchange must send the same one.
    .addColumn('redirect_uri', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('upstream_oauth_states_expiry')
    .on('upstream_oauth_states')
    .columns(['expires_at'])
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on today's schema types
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('upstream_oauth_states').ifExists().execute();
  await db.schema.dropTable('upstream_credentials').ifExists().execute();
}
