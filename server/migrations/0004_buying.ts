import { type Kysely, sql } from 'kysely';

// Frozen once landed: later changes go in a new migration.
// Buying: addresses, carts, orders (with their sellers' parts, lines and history), payments, the
// ledger, top-ups, payment vouchers and the developer's message log. Money is integer fen (bigint).
// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on today's schema types
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('addresses')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('develop_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('phone', 'text', (c) => c.notNull())
    .addColumn('mobile_phone', 'text', (c) => c.notNull())
    .addColumn('country', 'text', (c) => c.notNull())
    .addColumn('province', 'text', (c) => c.notNull())
    .addColumn('city', 'text', (c) => c.notNull())
    .addColumn('district', 'text', (c) => c.notNull())
    .addColumn('address', 'text', (c) => c.notNull())
    .addColumn('zip', 'text', (c) => c.notNull())
    .addColumn('is_default', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('addresses_user').on('addresses').columns(['user_id', 'id']).execute();

  // One row per sub-account, platform and SKU: adding the same SKU again raises the quantity.
  await db.schema
    .createTable('cart_items')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('platform', 'text', (c) => c.notNull())
    .addColumn('develop_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('product_id', 'text', (c) => c.notNull())
    // '' when the product has no SKUs (a key column cannot be null).
    .addColumn('sku_id', 'text', (c) => c.notNull())
    .addColumn('mp_id', 'text')
    .addColumn('mp_sku_id', 'text')
    .addColumn('shop_id', 'text', (c) => c.notNull())
    .addColumn('seller_open_id', 'text')
    .addColumn('quantity', 'integer', (c) => c.notNull())
    // What the buyer saw when adding: title, picture, properties, price (fen); today's come from the market.
    .addColumn('snapshot', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addCheckConstraint('cart_items_quantity', sql`quantity > 0`)
    .execute();
  await db.schema
    .createIndex('cart_items_sku')
    .on('cart_items')
    .columns(['user_id', 'platform', 'product_id', 'sku_id'])
    .unique()
    .execute();

  // An order of a developer's sub-account. A Taobao order has one part (sub purchase order) per
  // seller; a 1688 order has exactly one. `create_state` follows the upstream create (ADR 0011).
  await db.schema
    .createTable('orders')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('platform', 'text', (c) => c.notNull())
    .addColumn('develop_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('create_state', 'text', (c) => c.notNull())
    .addColumn('pay_state', 'text', (c) => c.notNull())
    // The reference sent upstream with the create: a retry finds the orders it made.
    .addColumn('client_ref', 'text', (c) => c.notNull().unique())
    .addColumn('request', 'text', (c) => c.notNull())
    .addColumn('goods_fen', 'bigint', (c) => c.notNull())
    .addColumn('shipping_fen', 'bigint', (c) => c.notNull())
    .addColumn('adjust_fen', 'bigint', (c) => c.notNull())
    .addColumn('total_fen', 'bigint', (c) => c.notNull())
    .addColumn('paid_fen', 'bigint', (c) => c.notNull())
    .addColumn('budget_fen', 'bigint')
    .addColumn('seller_order_number', 'text')
    .addColumn('order_source', 'text')
    .addColumn('receiver', 'text', (c) => c.notNull())
    .addColumn('buyer_message', 'text', (c) => c.notNull())
    .addColumn('warehouse_name', 'text')
    .addColumn('warehouse_address', 'text')
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('paid_at', 'bigint')
    .addColumn('closed_at', 'bigint')
    .addColumn('close_reason', 'text')
    .execute();
  await db.schema.createIndex('orders_owner').on('orders').columns(['develop_id', 'platform', 'created_at']).execute();
  await db.schema
    .createIndex('orders_seller_number')
    .on('orders')
    .columns(['develop_id', 'seller_order_number'])
    .execute();

  await db.schema
    .createTable('order_parts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('order_id', 'text', (c) => c.notNull().references('orders.id'))
    .addColumn('platform', 'text', (c) => c.notNull())
    .addColumn('upstream_order_id', 'text', (c) => c.notNull())
    .addColumn('shop_id', 'text', (c) => c.notNull())
    .addColumn('shop_name', 'text', (c) => c.notNull())
    .addColumn('seller_open_id', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('pay_state', 'text', (c) => c.notNull())
    .addColumn('goods_fen', 'bigint', (c) => c.notNull())
    .addColumn('shipping_fen', 'bigint', (c) => c.notNull())
    .addColumn('adjust_fen', 'bigint', (c) => c.notNull())
    .addColumn('total_fen', 'bigint', (c) => c.notNull())
    .addColumn('paid_fen', 'bigint', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('paid_at', 'bigint')
    .addColumn('shipped_at', 'bigint')
    .addColumn('received_at', 'bigint')
    .addColumn('closed_at', 'bigint')
    .addColumn('close_reason', 'text')
    .execute();
  await db.schema.createIndex('order_parts_order').on('order_parts').column('order_id').execute();
  await db.schema
    .createIndex('order_parts_upstream')
    .on('order_parts')
    .columns(['platform', 'upstream_order_id'])
    .unique()
    .execute();

  await db.schema
    .createTable('order_lines')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('order_id', 'text', (c) => c.notNull())
    .addColumn('part_id', 'text', (c) => c.notNull().references('order_parts.id'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('upstream_line_id', 'text', (c) => c.notNull())
    .addColumn('order_line_no', 'text')
    .addColumn('product_id', 'text', (c) => c.notNull())
    .addColumn('sku_id', 'text')
    .addColumn('mp_id', 'text')
    .addColumn('mp_sku_id', 'text')
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('sku_properties', 'text', (c) => c.notNull())
    .addColumn('image_url', 'text', (c) => c.notNull())
    .addColumn('quantity', 'integer', (c) => c.notNull())
    .addColumn('unit_price_fen', 'bigint', (c) => c.notNull())
    .addColumn('amount_fen', 'bigint', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('carrier_code', 'text')
    .addColumn('carrier_name', 'text')
    .addColumn('tracking_no', 'text')
    .addColumn('refunded_fen', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('order_lines_part').on('order_lines').columns(['part_id', 'position']).execute();
  await db.schema.createIndex('order_lines_order').on('order_lines').column('order_id').execute();

  // Every change of an order's or a part's status, through its transition table.
  await db.schema
    .createTable('order_history')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('order_id', 'text', (c) => c.notNull())
    .addColumn('part_id', 'text')
    .addColumn('from_status', 'text')
    .addColumn('to_status', 'text', (c) => c.notNull())
    .addColumn('cause', 'text', (c) => c.notNull())
    .addColumn('detail', 'text')
    .addColumn('at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('order_history_order').on('order_history').columns(['order_id', 'id']).execute();

  // A payment of one order: debited at once, paid upstream part by part, reversed when it cannot be.
  await db.schema
    .createTable('order_payments')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('order_id', 'text', (c) => c.notNull().references('orders.id'))
    .addColumn('develop_id', 'text', (c) => c.notNull())
    .addColumn('method', 'text', (c) => c.notNull())
    .addColumn('voucher_id', 'text')
    .addColumn('amount_fen', 'bigint', (c) => c.notNull())
    .addColumn('reversed_fen', 'bigint', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('last_error', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('order_payments_order').on('order_payments').column('order_id').execute();
  await db.schema.createIndex('order_payments_state').on('order_payments').columns(['state', 'updated_at']).execute();

  // The ledger: append-only transactions whose entries sum to zero, and each account's running balance.
  await db.schema
    .createTable('ledger_accounts')
    .addColumn('account', 'text', (c) => c.primaryKey())
    .addColumn('develop_id', 'text')
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('balance_fen', 'bigint', (c) => c.notNull())
    // How many entries the account has: each entry takes the next number, in the order balances moved.
    .addColumn('entry_count', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addCheckConstraint('ledger_accounts_balance', sql`kind <> 'balance' or balance_fen >= 0`)
    .execute();

  await db.schema
    .createTable('ledger_transactions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    // What makes the movement happen once: `order-pay:{paymentId}`, `topup:{id}`, ...
    .addColumn('idem_key', 'text', (c) => c.notNull().unique())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('develop_id', 'text')
    .addColumn('order_id', 'text')
    .addColumn('payment_id', 'text')
    .addColumn('voucher_id', 'text')
    .addColumn('topup_id', 'text')
    .addColumn('memo', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('ledger_transactions_developer')
    .on('ledger_transactions')
    .columns(['develop_id', 'id'])
    .execute();

  await db.schema
    .createTable('ledger_entries')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('transaction_id', 'text', (c) => c.notNull().references('ledger_transactions.id'))
    .addColumn('account', 'text', (c) => c.notNull().references('ledger_accounts.account'))
    .addColumn('amount_fen', 'bigint', (c) => c.notNull())
    .addColumn('balance_after_fen', 'bigint', (c) => c.notNull())
    .addColumn('account_seq', 'bigint', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('ledger_entries_account').on('ledger_entries').columns(['account', 'id']).execute();
  await db.schema
    .createIndex('ledger_entries_account_seq')
    .on('ledger_entries')
    .columns(['account', 'account_seq'])
    .unique()
    .execute();
  await db.schema.createIndex('ledger_entries_transaction').on('ledger_entries').column('transaction_id').execute();

  await db.schema
    .createTable('topups')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('develop_id', 'text', (c) => c.notNull())
    .addColumn('amount_fen', 'bigint', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('voucher_id', 'text')
    .addColumn('reference', 'text', (c) => c.notNull())
    .addColumn('note', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addCheckConstraint('topups_amount', sql`amount_fen > 0`)
    .execute();
  await db.schema.createIndex('topups_developer').on('topups').columns(['develop_id', 'id']).execute();

  await db.schema
    .createTable('payment_vouchers')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('develop_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('order_id', 'text')
    .addColumn('amount_fen', 'bigint', (c) => c.notNull())
    .addColumn('reference', 'text', (c) => c.notNull())
    .addColumn('note', 'text', (c) => c.notNull())
    .addColumn('picture_key', 'text', (c) => c.notNull())
    .addColumn('picture_type', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('review_note', 'text')
    .addColumn('reviewed_at', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addCheckConstraint('payment_vouchers_amount', sql`amount_fen > 0`)
    .execute();
  await db.schema
    .createIndex('payment_vouchers_developer')
    .on('payment_vouchers')
    .columns(['develop_id', 'created_at'])
    .execute();
  await db.schema
    .createIndex('payment_vouchers_status')
    .on('payment_vouchers')
    .columns(['status', 'created_at'])
    .execute();

  // What a developer is told (callback messages), written with the change that caused it. Delivery to the
  // callback URL reads from here; the per-object version only grows.
  await db.schema
    .createTable('messages')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('develop_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text')
    .addColumn('message_platform', 'integer', (c) => c.notNull())
    .addColumn('message_type', 'text', (c) => c.notNull())
    .addColumn('object_type', 'text', (c) => c.notNull())
    .addColumn('object_id', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('messages_developer').on('messages').columns(['develop_id', 'id']).execute();
  await db.schema
    .createIndex('messages_object')
    .on('messages')
    .columns(['develop_id', 'object_id', 'version'])
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    'messages',
    'payment_vouchers',
    'topups',
    'ledger_entries',
    'ledger_transactions',
    'ledger_accounts',
    'order_payments',
    'order_history',
    'order_lines',
    'order_parts',
    'orders',
    'cart_items',
    'addresses',
  ]) {
    await db.schema.dropTable(table).execute();
  }
}
