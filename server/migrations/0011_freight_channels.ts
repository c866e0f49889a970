import type { Kysely } from 'kysely';

// Frozen once landed: later changes go in a new migration.
// International freight's rate cards (docs/adr/0015): one row per channel of one destination. Empty until the
// operator edits them; until then Ponte quotes with its sample rates (modules/freight/sample-channels.ts).
// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on today's schema types
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('freight_channels')
    // The contract's `serviceId`.
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('category', 'text', (c) => c.notNull())
    .addColumn('country', 'text', (c) => c.notNull())
    .addColumn('first_weight_g', 'integer', (c) => c.notNull())
    .addColumn('first_price_fen', 'bigint', (c) => c.notNull())
    .addColumn('step_g', 'integer', (c) => c.notNull())
    .addColumn('step_price_fen', 'bigint', (c) => c.notNull())
    .addColumn('volumetric_divisor', 'integer', (c) => c.notNull())
    .addColumn('max_weight_g', 'integer', (c) => c.notNull())
    .addColumn('max_side_cm', 'integer', (c) => c.notNull())
    .addColumn('max_girth_cm', 'integer', (c) => c.notNull())
    // JSON: the goods attributes the channel refuses.
    .addColumn('refused', 'text', (c) => c.notNull())
    .addColumn('transit_min_days', 'integer', (c) => c.notNull())
    .addColumn('transit_max_days', 'integer', (c) => c.notNull())
    .addColumn('sample', 'integer', (c) => c.notNull())
    .addColumn('active', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('freight_channels_country').on('freight_channels').columns(['country', 'id']).execute();
}

// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on today's schema types
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('freight_channels').ifExists().execute();
}
