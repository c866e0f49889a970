import type { Generated } from 'kysely';

/**
 * Row types of every table, as Kysely sees them. Times are epoch milliseconds (bigint columns read
 * as numbers on both dialects); flags are 0/1 integers (SQLite has no boolean); ids are text.
 */
export interface DevelopersTable {
  id: string;
  name: string;
  email: string | null;
  status: 'active' | 'disabled';
  created_at: number;
  updated_at: number;
  /** Raised by every change to the developer's credentials (keys, statuses); cached key records carry it. */
  auth_version: Generated<number>;
}

export interface AccessKeysTable {
  access_key: string;
  develop_id: string;
  label: string | null;
  secret_sealed: string;
  previous_secret_sealed: string | null;
  previous_expires_at: number | null;
  legacy_md5: number;
  /** 1: v2 requests may leave out `nonce-str` (docs/adr/0019). */
  nonceless: Generated<number>;
  status: 'active' | 'revoked';
  created_at: number;
  rotated_at: number | null;
  revoked_at: number | null;
}

export interface SubAccountsTable {
  user_id: string;
  develop_id: string;
  name: string;
  out_member_id: string | null;
  is_main: number;
  status: 'active' | 'disabled';
  created_at: number;
  updated_at: number;
}

export interface AuthNoncesTable {
  access_key: string;
  nonce: string;
  expires_at: number;
}

export interface IdempotencyKeysTable {
  develop_id: string;
  idem_key: string;
  request_hash: string;
  state: 'running' | 'done';
  http_status: number | null;
  response_body: string | null;
  locked_until: number;
  created_at: number;
  expires_at: number;
}

export interface OutboxTable {
  id: string;
  event_type: string;
  payload: string;
  status: 'pending' | 'done' | 'dead';
  attempts: Generated<number>;
  max_attempts: number;
  available_at: number;
  lease_owner: string | null;
  lease_until: number | null;
  last_error: string | null;
  /** Rows with the same key run one at a time, in the order they were written (null: no order). */
  ordering_key: string | null;
  created_at: number;
  updated_at: number;
}

export interface UpstreamInboxTable {
  platform: string;
  event_id: string;
  event_type: string;
  /** The object whose events run in order (`order:…`, `refund:…`, `product:…`). */
  object_key: string;
  payload: string;
  outbox_id: string;
  received_at: number;
  /** Set in the transaction that ran every module's handler. */
  handled_at: number | null;
}

export interface ChangeSignalsTable {
  seq: number;
  topic: string;
  item_key: string;
  created_at: number;
}

export interface IdNodesTable {
  node: number;
  owner: string;
  lease_until: number;
}

export interface RateLimitBucketsTable {
  bucket_key: string;
  tokens: number;
  updated_at: number;
  /** How many of the requests its last take asked for it let through (migration 0014). */
  granted: Generated<number>;
}

export interface AddressesTable {
  id: string;
  develop_id: string;
  user_id: string;
  name: string;
  phone: string;
  mobile_phone: string;
  country: string;
  province: string;
  city: string;
  district: string;
  address: string;
  zip: string;
  is_default: number;
  created_at: number;
  updated_at: number;
}

export interface CartItemsTable {
  id: string;
  platform: 'taobao' | '1688';
  develop_id: string;
  user_id: string;
  product_id: string;
  /** '' when the product has no SKUs. */
  sku_id: string;
  mp_id: string | null;
  mp_sku_id: string | null;
  shop_id: string;
  seller_open_id: string | null;
  quantity: number;
  /** JSON: what the buyer saw when adding (title, picture, properties, price). */
  snapshot: string;
  created_at: number;
  updated_at: number;
}

/** The upstream create: recorded before the call, settled after it (or by the worker). */
export type OrderCreateState = 'creating' | 'created' | 'failed';
/** `paying`: debited, not yet known to be paid upstream (a worker settles it). */
export type OrderPayState = 'unpaid' | 'paying' | 'paid' | 'reversed';

export interface OrdersTable {
  id: string;
  platform: 'taobao' | '1688';
  develop_id: string;
  user_id: string;
  /** The platform's own status word (`WAIT_BUYER_PAY`, `waitbuyerpay`, ...). */
  status: string;
  create_state: OrderCreateState;
  pay_state: OrderPayState;
  client_ref: string;
  /** JSON: the lines and options sent upstream, so that a worker can finish an interrupted create. */
  request: string;
  goods_fen: number;
  shipping_fen: number;
  adjust_fen: number;
  total_fen: number;
  paid_fen: number;
  budget_fen: number | null;
  seller_order_number: string | null;
  order_source: string | null;
  /** JSON: the receiver in the contract's shape. */
  receiver: string;
  buyer_message: string;
  warehouse_name: string | null;
  warehouse_address: string | null;
  /** Raised by every change a message tells of: receivers drop messages older than what they have. */
  version: number;
  created_at: number;
  updated_at: number;
  paid_at: number | null;
  closed_at: number | null;
  close_reason: string | null;
}

export interface OrderPartsTable {
  id: string;
  order_id: string;
  platform: 'taobao' | '1688';
  upstream_order_id: string;
  shop_id: string;
  /** JSON: the shop's name in every language. */
  shop_name: string;
  seller_open_id: string | null;
  status: string;
  pay_state: OrderPayState;
  goods_fen: number;
  shipping_fen: number;
  adjust_fen: number;
  total_fen: number;
  paid_fen: number;
  created_at: number;
  updated_at: number;
  paid_at: number | null;
  shipped_at: number | null;
  received_at: number | null;
  closed_at: number | null;
  close_reason: string | null;
}

export interface OrderLinesTable {
  id: string;
  order_id: string;
  part_id: string;
  position: number;
  upstream_line_id: string;
  order_line_no: string | null;
  product_id: string;
  sku_id: string | null;
  mp_id: string | null;
  mp_sku_id: string | null;
  /** JSON, localized. */
  title: string;
  /** JSON, the provider's SKU properties. */
  sku_properties: string;
  image_url: string;
  quantity: number;
  unit_price_fen: number;
  amount_fen: number;
  status: string;
  carrier_code: string | null;
  carrier_name: string | null;
  tracking_no: string | null;
  refunded_fen: number;
}

export interface OrderHistoryTable {
  id: string;
  order_id: string;
  part_id: string | null;
  from_status: string | null;
  to_status: string;
  /** What moved it: `api:cancel`, `upstream:order.shipped`, `worker:pay` ... */
  cause: string;
  detail: string | null;
  at: number;
}

export type PaymentState = 'paying' | 'paid' | 'partly_reversed' | 'reversed';

export interface OrderPaymentsTable {
  id: string;
  order_id: string;
  develop_id: string;
  method: 'balance' | 'voucher';
  voucher_id: string | null;
  amount_fen: number;
  reversed_fen: number;
  state: PaymentState;
  last_error: string | null;
  created_at: number;
  updated_at: number;
}

export interface LedgerAccountsTable {
  /** `developer:{developId}:balance`, `upstream:clearing`, `topups`, ... */
  account: string;
  develop_id: string | null;
  /** `balance` accounts never go below 0 (a constraint); `system` accounts may. */
  kind: 'balance' | 'system';
  balance_fen: number;
  /** The number of entries so far; an entry's `account_seq` is its place in the account's history. */
  entry_count: number;
  updated_at: number;
}

export interface LedgerTransactionsTable {
  id: string;
  idem_key: string;
  kind: string;
  develop_id: string | null;
  order_id: string | null;
  payment_id: string | null;
  voucher_id: string | null;
  topup_id: string | null;
  memo: string;
  created_at: number;
}

export interface LedgerEntriesTable {
  id: string;
  transaction_id: string;
  account: string;
  /** Positive raises the account's balance. The entries of a transaction sum to 0. */
  amount_fen: number;
  balance_after_fen: number;
  /** 1, 2, 3... per account, in the order its balance moved (ids are time-ordered per process, not across them). */
  account_seq: number;
  created_at: number;
}

export interface TopupsTable {
  id: string;
  develop_id: string;
  amount_fen: number;
  source: 'operator' | 'voucher';
  voucher_id: string | null;
  reference: string;
  note: string;
  created_at: number;
}

export interface PaymentVouchersTable {
  id: string;
  develop_id: string;
  user_id: string;
  order_id: string | null;
  amount_fen: number;
  reference: string;
  note: string;
  picture_key: string;
  picture_type: string;
  status: 'pending' | 'approved' | 'rejected';
  review_note: string | null;
  reviewed_at: number | null;
  created_at: number;
  updated_at: number;
}

export interface MessagesTable {
  id: string;
  develop_id: string;
  user_id: string | null;
  /** 0 Taobao, 1 1688. */
  message_platform: number;
  message_type: string;
  /** What the message is about; `callback` for the messages about the developer's callback URL itself. */
  object_type: 'order' | 'refund' | 'callback' | 'warehouse_item' | 'shipment';
  object_id: string;
  version: number;
  /** JSON of `messageBody`. */
  body: string;
  created_at: number;
  /**
   * Delivery to the callback URL (docs/adr/0013): `held` (no enabled URL when written, or the URL was disabled),
   * `pending` (queued), `delivered` (a 2xx answered), `failed` (the schedule ran out).
   */
  delivery: MessageDelivery;
  /** Attempts ever made (numbers the attempts log). */
  attempts: number;
  /** Attempts since the message was last queued (its place in the retry schedule). */
  round_attempts: number;
  /** When a pending message is next due; a claim moves it past the attempt's deadline (the lease). */
  next_attempt_at: number | null;
  /** The worker holding the message's current attempt. */
  lease_owner: string | null;
  delivered_at: number | null;
}

export type MessageDelivery = 'held' | 'pending' | 'delivered' | 'failed';

/** One delivery attempt of a message (docs/adr/0013). */
export interface MessageAttemptsTable {
  message_id: string;
  attempt: number;
  develop_id: string;
  url: string;
  attempted_at: number;
  /** The HTTP status answered, or null when none was (timeout, refused connection). */
  status: number | null;
  duration_ms: number;
  /** The first 1 KB of the answer. */
  response: string | null;
  error: string | null;
  /** `delivered`, `retry` (a failure with attempts left), `failed` (the last), `gone` (410: the URL is disabled). */
  outcome: 'delivered' | 'retry' | 'failed' | 'gone';
}

/** A developer's callback URL and signing secrets (docs/adr/0013); one row per developer. */
export interface CallbackEndpointsTable {
  develop_id: string;
  url: string;
  /** 1 when messages are delivered to the URL. */
  enabled: number;
  /** Why it was disabled (`gone`: the receiver answered 410; `failing`: 5 days of failures), else null. */
  disabled_reason: string | null;
  disabled_at: number | null;
  /** Shown to the developer to tell secrets apart (`cbs_` + 12 hex); never the secret. */
  secret_id: string;
  /** The `whsec_` secret, sealed with the master key. */
  secret_sealed: string;
  previous_secret_id: string | null;
  previous_secret_sealed: string | null;
  /** Until when the previous secret signs beside the current one. */
  previous_expires_at: number | null;
  verified_at: number;
  /** Since when every attempt has failed (cleared by a success); 5 days of it disables the URL. */
  failing_since: number | null;
  created_at: number;
  updated_at: number;
}

export type RefundCreateState = 'creating' | 'created';

/** A refund of one order line (docs/adr/0014). Amounts in fen; times epoch ms (`upstream_at`: market time). */
export interface RefundsTable {
  id: string;
  platform: 'taobao' | '1688';
  develop_id: string;
  user_id: string;
  order_id: string;
  part_id: string;
  line_id: string;
  create_state: RefundCreateState;
  client_ref: string;
  upstream_refund_id: string | null;
  refund_type: 'refund' | 'return_refund';
  goods_status: 'not_shipped' | 'in_transit' | 'received' | 'at_warehouse';
  reason_id: string;
  /** JSON, localized. */
  reason_text: string;
  amount_fen: number;
  carriage_fen: number;
  description: string;
  /** JSON: file-store keys. */
  images: string;
  /** JSON: the platform's own words of the request. */
  request: string;
  status: 'wait_seller_agree' | 'wait_buyer_return' | 'wait_seller_receive' | 'success' | 'seller_refused' | 'closed';
  upstream_at: number;
  version: number;
  in_sales: number;
  refuse_reason: string | null;
  refuse_count: number;
  deadline: number | null;
  timeout_action: 'agree' | 'close' | null;
  /** JSON: the seller's return address. */
  return_address: string | null;
  return_carrier: string | null;
  return_tracking: string | null;
  return_description: string | null;
  /** JSON: file-store keys. */
  return_images: string | null;
  return_shipped_at: number | null;
  credit_tx: string | null;
  credited_fen: number;
  created_at: number;
  updated_at: number;
  completed_at: number | null;
}

export interface RefundHistoryTable {
  id: string;
  refund_id: string;
  from_status: string | null;
  to_status: string;
  cause: string;
  detail: string | null;
  at: number;
}

/** A rate card's channel (docs/adr/0015). Weights in grams, sizes in cm, money in fen. */
export interface FreightChannelsTable {
  id: string;
  name: string;
  category: 'express' | 'standard' | 'economy' | 'sea';
  country: string;
  first_weight_g: number;
  first_price_fen: number;
  step_g: number;
  step_price_fen: number;
  volumetric_divisor: number;
  max_weight_g: number;
  max_side_cm: number;
  max_girth_cm: number;
  /** JSON: goods attributes refused. */
  refused: string;
  transit_min_days: number;
  transit_max_days: number;
  sample: number;
  active: number;
  updated_at: number;
}

/** W2's preview: its quotes, valid until `expires_at` (docs/adr/0015). */
export interface FreightRendersTable {
  id: string;
  develop_id: string;
  user_id: string;
  country: string;
  /** JSON: the receiver as sent. */
  receiver: string;
  /** JSON: the lines and each one's quotes, as answered. */
  lines: string;
  created_at: number;
  expires_at: number;
}

export type ShipmentStatus = 'booked' | 'packed' | 'shipped' | 'delivered' | 'cancelled';

/** An international parcel: booked from a preview (W4), packed and settled, shipped, delivered (docs/adr/0015). */
export interface ShipmentsTable {
  id: string;
  develop_id: string;
  user_id: string;
  render_id: string;
  channel_id: string;
  /** JSON: the channel's rate card as booked. */
  channel: string;
  country: string;
  /** JSON: the receiver. */
  receiver: string;
  /** JSON: the booked lines. */
  lines: string;
  external_order_id: string | null;
  remark: string | null;
  status: ShipmentStatus;
  estimate_fen: number;
  actual_fen: number | null;
  /** Positive: the gap charged at packing; negative: the surplus refunded. */
  settled_fen: number | null;
  storage_fee_fen: number;
  weight_g: number | null;
  length_cm: number | null;
  width_cm: number | null;
  height_cm: number | null;
  volumetric_weight_g: number | null;
  chargeable_weight_g: number | null;
  carrier: string | null;
  tracking_no: string | null;
  book_tx: string | null;
  settle_tx: string | null;
  cancel_tx: string | null;
  hold_reason: string | null;
  version: number;
  created_at: number;
  updated_at: number;
  packed_at: number | null;
  shipped_at: number | null;
  delivered_at: number | null;
  cancelled_at: number | null;
}

export interface ShipmentHistoryTable {
  id: string;
  shipment_id: string;
  from_status: string | null;
  to_status: string;
  /** What moved it: `api:book`, `admin:pack`, ... */
  cause: string;
  detail: string | null;
  at: number;
}

export type WarehouseItemStatus =
  | 'expected'
  | 'received'
  | 'inspected'
  | 'stored'
  | 'packed'
  | 'shipped'
  | 'exception'
  | 'returned';

/** Goods of one order line in one domestic parcel, from expected to shipped abroad (docs/adr/0015). */
export interface WarehouseItemsTable {
  id: string;
  develop_id: string;
  user_id: string;
  dedupe_key: string;
  source: 'order' | 'developer';
  platform: 'taobao' | '1688' | null;
  order_id: string | null;
  line_id: string | null;
  external_order_id: string | null;
  product_id: string;
  sku_id: string | null;
  /** JSON, localized when it comes from an order line. */
  title: string;
  image_url: string;
  quantity: number;
  tracking_no: string;
  carrier: string | null;
  status: WarehouseItemStatus;
  quantity_received: number | null;
  condition: 'ok' | 'damaged' | 'wrong_item' | 'short' | null;
  /** JSON: file-store keys. */
  photos: string;
  weight_g: number | null;
  length_cm: number | null;
  width_cm: number | null;
  height_cm: number | null;
  /** JSON: goods attributes found at inspection. */
  attributes: string | null;
  note: string | null;
  refund_id: string | null;
  shipment_id: string | null;
  storage_fee_fen: number;
  storage_tx: string | null;
  version: number;
  created_at: number;
  updated_at: number;
  received_at: number | null;
  inspected_at: number | null;
  packed_at: number | null;
  shipped_at: number | null;
}

export interface WarehouseItemHistoryTable {
  id: string;
  item_id: string;
  from_status: string | null;
  to_status: string;
  cause: string;
  detail: string | null;
  at: number;
}

/** A domestic parcel the warehouse received that matched no expected goods. */
export interface WarehouseExceptionsTable {
  id: string;
  tracking_no: string;
  carrier: string | null;
  status: 'open' | 'matched' | 'returned';
  note: string | null;
  /** JSON: file-store keys. */
  photos: string;
  resolution: string | null;
  /** JSON: the items it was matched to. */
  item_ids: string;
  created_at: number;
  resolved_at: number | null;
}

/**
 * A real upstream's OAuth tokens (docs/adr/0016-real-upstreams.md), one row per platform. The tokens are sealed with
 * the master key (`SecretBox`); `version` is raised by every write and guards refreshes across processes.
 */
export interface UpstreamCredentialsTable {
  platform: '1688' | 'taobao';
  access_token: string;
  refresh_token: string | null;
  expires_at: number;
  refresh_expires_at: number | null;
  owner: string;
  owner_login: string | null;
  authorized_at: number;
  refreshed_at: number | null;
  version: number;
}

/** An authorisation under way: the SHA-256 of its one-time `state`, consumed by the callback. */
export interface UpstreamOauthStatesTable {
  state: string;
  platform: '1688' | 'taobao';
  redirect_uri: string;
  expires_at: number;
}

export interface DB {
  developers: DevelopersTable;
  access_keys: AccessKeysTable;
  sub_accounts: SubAccountsTable;
  auth_nonces: AuthNoncesTable;
  idempotency_keys: IdempotencyKeysTable;
  outbox: OutboxTable;
  upstream_inbox: UpstreamInboxTable;
  change_signals: ChangeSignalsTable;
  id_nodes: IdNodesTable;
  rate_limit_buckets: RateLimitBucketsTable;
  addresses: AddressesTable;
  cart_items: CartItemsTable;
  orders: OrdersTable;
  order_parts: OrderPartsTable;
  order_lines: OrderLinesTable;
  order_history: OrderHistoryTable;
  order_payments: OrderPaymentsTable;
  ledger_accounts: LedgerAccountsTable;
  ledger_transactions: LedgerTransactionsTable;
  ledger_entries: LedgerEntriesTable;
  topups: TopupsTable;
  payment_vouchers: PaymentVouchersTable;
  messages: MessagesTable;
  callback_endpoints: CallbackEndpointsTable;
  message_attempts: MessageAttemptsTable;
  refunds: RefundsTable;
  refund_history: RefundHistoryTable;
  freight_channels: FreightChannelsTable;
  freight_renders: FreightRendersTable;
  shipments: ShipmentsTable;
  shipment_history: ShipmentHistoryTable;
  warehouse_items: WarehouseItemsTable;
  warehouse_item_history: WarehouseItemHistoryTable;
  warehouse_exceptions: WarehouseExceptionsTable;
  upstream_credentials: UpstreamCredentialsTable;
  upstream_oauth_states: UpstreamOauthStatesTable;
}
