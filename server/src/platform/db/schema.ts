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
}
