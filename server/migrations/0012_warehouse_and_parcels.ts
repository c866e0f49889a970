import type { Kysely } from 'kysely';

// Frozen once landed: later changes go in a new migration.
// The warehouse between the two legs and the international parcels (docs/adr/0015): freight previews (W2's
// `renderId`), bookings and their parcels (W4, then packed, settled, shipped, delivered), the goods the warehouse
// expects, receives, inspects, stores and packs, and the parcels it received that matched nothing.
// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on today's schema types
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('freight_renders')
    // `FF` + the date + a time-ordered number.
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('develop_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('country', 'text', (c) => c.notNull())
    // JSON: the receiver as sent.
    .addColumn('receiver', 'text', (c) => c.notNull())
    // JSON: the lines and each one's quotes, as answered.
    .addColumn('lines', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('freight_renders_owner')
    .on('freight_renders')
    .columns(['develop_id', 'created_at'])
    .execute();

  await db.schema
    .createTable('shipments')
    // `PP` + a time-ordered number.
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('develop_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('render_id', 'text', (c) => c.notNull())
    .addColumn('channel_id', 'text', (c) => c.notNull())
    // JSON: the channel's rate card as booked (later edits of the card do not change a booking).
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('country', 'text', (c) => c.notNull())
    .addColumn('receiver', 'text', (c) => c.notNull())
    // JSON: the booked lines (item, SKU, quantity, title, picture, estimate).
    .addColumn('lines', 'text', (c) => c.notNull())
    // The reseller's own order reference (`tmallOrderInfo.tmallOrderId`) and note.
    .addColumn('external_order_id', 'text')
    .addColumn('remark', 'text')
    // `booked` → `packed` → `shipped` → `delivered`; `cancelled` from `booked`.
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('estimate_fen', 'bigint', (c) => c.notNull())
    .addColumn('actual_fen', 'bigint')
    // The settlement at packing: positive charged the gap, negative refunded the surplus.
    .addColumn('settled_fen', 'bigint')
    .addColumn('storage_fee_fen', 'bigint', (c) => c.notNull())
    .addColumn('weight_g', 'integer')
    .addColumn('length_cm', 'integer')
    .addColumn('width_cm', 'integer')
    .addColumn('height_cm', 'integer')
    .addColumn('volumetric_weight_g', 'integer')
    .addColumn('chargeable_weight_g', 'integer')
    .addColumn('carrier', 'text')
    .addColumn('tracking_no', 'text')
    // The ledger transactions: the estimate's charge, the settlement, the cancellation's refund.
    .addColumn('book_tx', 'text')
    .addColumn('settle_tx', 'text')
    .addColumn('cancel_tx', 'text')
    // Why the last pack request was refused (balance, limits), until one succeeds.
    .addColumn('hold_reason', 'text')
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('packed_at', 'bigint')
    .addColumn('shipped_at', 'bigint')
    .addColumn('delivered_at', 'bigint')
    .addColumn('cancelled_at', 'bigint')
    .execute();
  // One parcel per channel of a preview: a second booking of it finds the first.
  await db.schema
    .createIndex('shipments_render')
    .on('shipments')
    .columns(['render_id', 'channel_id'])
    .unique()
    .execute();
  await db.schema.createIndex('shipments_owner').on('shipments').columns(['develop_id', 'created_at']).execute();
  await db.schema.createIndex('shipments_time').on('shipments').columns(['status', 'created_at']).execute();

  await db.schema
    .createTable('shipment_history')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('shipment_id', 'text', (c) => c.notNull())
    .addColumn('from_status', 'text')
    .addColumn('to_status', 'text', (c) => c.notNull())
    .addColumn('cause', 'text', (c) => c.notNull())
    .addColumn('detail', 'text')
    .addColumn('at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('shipment_history_shipment')
    .on('shipment_history')
    .columns(['shipment_id', 'at'])
    .execute();

  await db.schema
    .createTable('warehouse_items')
    // `WI` + a time-ordered number.
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('develop_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    // What makes the same expectation recorded twice one item: `line:{lineId}:{trackingNo}`, or for goods the
    // developer declared (W3) `w3:{developId}:{orderRef}:{itemId}:{skuId}:{trackingNo}`.
    .addColumn('dedupe_key', 'text', (c) => c.notNull().unique())
    // `order` (a Ponte order's line the seller shipped) or `developer` (W3).
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('platform', 'text')
    .addColumn('order_id', 'text')
    .addColumn('line_id', 'text')
    // The developer's own references (W3 `orderId`, `tmallOrderId`).
    .addColumn('external_order_id', 'text')
    .addColumn('product_id', 'text', (c) => c.notNull())
    .addColumn('sku_id', 'text')
    // JSON, localized when it comes from an order line.
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('image_url', 'text', (c) => c.notNull())
    .addColumn('quantity', 'integer', (c) => c.notNull())
    // The domestic parcel it comes in.
    .addColumn('tracking_no', 'text', (c) => c.notNull())
    .addColumn('carrier', 'text')
    // `expected` → `received` → `inspected` → `stored` → `packed` → `shipped`; `exception`, `returned`.
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('quantity_received', 'integer')
    // `ok`, `damaged`, `wrong_item`, `short`.
    .addColumn('condition', 'text')
    // JSON: file-store keys of the inspection photos.
    .addColumn('photos', 'text', (c) => c.notNull())
    .addColumn('weight_g', 'integer')
    .addColumn('length_cm', 'integer')
    .addColumn('width_cm', 'integer')
    .addColumn('height_cm', 'integer')
    // JSON: the goods attributes found at inspection (null until then).
    .addColumn('attributes', 'text')
    .addColumn('note', 'text')
    .addColumn('refund_id', 'text')
    .addColumn('shipment_id', 'text')
    .addColumn('storage_fee_fen', 'bigint', (c) => c.notNull())
    .addColumn('storage_tx', 'text')
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('received_at', 'bigint')
    .addColumn('inspected_at', 'bigint')
    .addColumn('packed_at', 'bigint')
    .addColumn('shipped_at', 'bigint')
    .execute();
  await db.schema
    .createIndex('warehouse_items_tracking')
    .on('warehouse_items')
    .columns(['tracking_no', 'status'])
    .execute();
  await db.schema
    .createIndex('warehouse_items_owner')
    .on('warehouse_items')
    .columns(['develop_id', 'created_at'])
    .execute();
  await db.schema.createIndex('warehouse_items_order').on('warehouse_items').column('order_id').execute();
  await db.schema.createIndex('warehouse_items_shipment').on('warehouse_items').column('shipment_id').execute();
  await db.schema.createIndex('warehouse_items_time').on('warehouse_items').columns(['status', 'created_at']).execute();

  await db.schema
    .createTable('warehouse_item_history')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('item_id', 'text', (c) => c.notNull())
    .addColumn('from_status', 'text')
    .addColumn('to_status', 'text', (c) => c.notNull())
    .addColumn('cause', 'text', (c) => c.notNull())
    .addColumn('detail', 'text')
    .addColumn('at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('warehouse_item_history_item')
    .on('warehouse_item_history')
    .columns(['item_id', 'at'])
    .execute();

  await db.schema
    .createTable('warehouse_exceptions')
    // `WX` + a time-ordered number.
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tracking_no', 'text', (c) => c.notNull())
    .addColumn('carrier', 'text')
    // `open` → `matched` (to items an operator named) or `returned` (sent back).
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('note', 'text')
    // JSON: file-store keys of photos taken at receipt.
    .addColumn('photos', 'text', (c) => c.notNull())
    .addColumn('resolution', 'text')
    // JSON: the items it was matched to.
    .addColumn('item_ids', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('resolved_at', 'bigint')
    .execute();
  await db.schema
    .createIndex('warehouse_exceptions_status')
    .on('warehouse_exceptions')
    .columns(['status', 'created_at'])
    .execute();
  await db.schema
    .createIndex('warehouse_exceptions_tracking')
    .on('warehouse_exceptions')
    .column('tracking_no')
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on today's schema types
export async function down(db: Kysely<any>): Promise<void> {
  for (const t of [
    'warehouse_exceptions',
    'warehouse_item_history',
    'warehouse_items',
    'shipment_history',
    'shipments',
    'freight_renders',
  ]) {
    await db.schema.dropTable(t).ifExists().execute();
  }
}
