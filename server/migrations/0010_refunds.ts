import { type Kysely, sql } from 'kysely';

// Frozen once landed: later changes go in a new migration.
// After-sales (docs/adr/0014): refunds of order lines as Ponte records them, with their history. The marketplace
// decides them; Ponte follows its events, and credits a successful refund once through the ledger.
// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on today's schema types
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('refunds')
    // The id the API answers: a decimal time-ordered id for Taobao, `TQ` + one for 1688.
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('platform', 'text', (c) => c.notNull())
    .addColumn('develop_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('order_id', 'text', (c) => c.notNull())
    .addColumn('part_id', 'text', (c) => c.notNull())
    .addColumn('line_id', 'text', (c) => c.notNull())
    // `creating` until the marketplace's answer is recorded (or a worker finds what it made), then `created`.
    .addColumn('create_state', 'text', (c) => c.notNull())
    // The reference sent upstream with the create: a retry finds the refund it made.
    .addColumn('client_ref', 'text', (c) => c.notNull().unique())
    .addColumn('upstream_refund_id', 'text')
    .addColumn('refund_type', 'text', (c) => c.notNull())
    .addColumn('goods_status', 'text', (c) => c.notNull())
    .addColumn('reason_id', 'text', (c) => c.notNull())
    // JSON: the reason's text in every language, as the marketplace gave it.
    .addColumn('reason_text', 'text', (c) => c.notNull())
    .addColumn('amount_fen', 'bigint', (c) => c.notNull())
    // 1688: the part of the amount that is shipping (`applyCarriage`).
    .addColumn('carriage_fen', 'bigint', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    // JSON: file-store keys of the evidence pictures.
    .addColumn('images', 'text', (c) => c.notNull())
    // JSON: what the platform's request said in its own words (1688 `disputeRequest`, `goodsStatus`, counts).
    .addColumn('request', 'text', (c) => c.notNull())
    // The provider's platform-neutral status; each platform's view maps it to its own words.
    .addColumn('status', 'text', (c) => c.notNull())
    // Market time of the last change the marketplace reported: an older event changes nothing.
    .addColumn('upstream_at', 'bigint', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    // 1688: whether the trade had not succeeded yet when the refund was made (which message type it has).
    .addColumn('in_sales', 'integer', (c) => c.notNull())
    .addColumn('refuse_reason', 'text')
    .addColumn('refuse_count', 'integer', (c) => c.notNull())
    .addColumn('deadline', 'bigint')
    .addColumn('timeout_action', 'text')
    .addColumn('return_address', 'text')
    .addColumn('return_carrier', 'text')
    .addColumn('return_tracking', 'text')
    .addColumn('return_description', 'text')
    .addColumn('return_images', 'text')
    .addColumn('return_shipped_at', 'bigint')
    // The ledger transaction that paid it back, and how much (never more than the line had left).
    .addColumn('credit_tx', 'text')
    .addColumn('credited_fen', 'bigint', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('completed_at', 'bigint')
    .addCheckConstraint('refunds_amount', sql`amount_fen > 0 and carriage_fen >= 0 and credited_fen >= 0`)
    .execute();
  await db.schema
    .createIndex('refunds_upstream')
    .on('refunds')
    .columns(['platform', 'upstream_refund_id'])
    .unique()
    .execute();
  await db.schema
    .createIndex('refunds_owner')
    .on('refunds')
    .columns(['develop_id', 'platform', 'created_at'])
    .execute();
  await db.schema.createIndex('refunds_line').on('refunds').columns(['line_id', 'status']).execute();
  // The operator's list across developers, newest first.
  await db.schema.createIndex('refunds_time').on('refunds').columns(['created_at', 'id']).execute();
  await db.schema.createIndex('refunds_order').on('refunds').column('order_id').execute();
  // The creates in flight: an event about a refund not recorded yet is retried while one exists.
  await db.schema
    .createIndex('refunds_creating')
    .on('refunds')
    .column('platform')
    .where(sql<boolean>`create_state = 'creating'`)
    .execute();

  await db.schema
    .createTable('refund_history')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('refund_id', 'text', (c) => c.notNull())
    .addColumn('from_status', 'text')
    .addColumn('to_status', 'text', (c) => c.notNull())
    // What moved it: `api:create`, `api:modify`, `upstream:refund.agreed` ...
    .addColumn('cause', 'text', (c) => c.notNull())
    .addColumn('detail', 'text')
    .addColumn('at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('refund_history_refund').on('refund_history').columns(['refund_id', 'id']).execute();
}

// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on today's schema types
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('refund_history').ifExists().execute();
  await db.schema.dropTable('refunds').ifExists().execute();
}
