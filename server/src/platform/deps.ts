import type { FastifyBaseLogger } from 'fastify';
import type { Config } from '../config.js';
import type { AlibabaProvider } from '../providers/alibaba.js';
import type { TaobaoProvider } from '../providers/taobao.js';
import type { CredentialStore } from './auth/credentials.js';
import type { ChangeFeed } from './changes/index.js';
import type { Clock } from './clock.js';
import type { OpaqueIds } from './crypto/opaque-ids.js';
import type { SecretBox } from './crypto/secret-box.js';
import type { Database } from './db/database.js';
import type { FileStore } from './files/file-store.js';
import type { AuthFailureLimiter, RateLimiter } from './http/rate-limit.js';
import type { IdGenerator } from './ids.js';
import type { Metrics } from './metrics/metrics.js';
import type { OutboxRegistry } from './outbox/registry.js';
import type { PublicUrl } from './public-url.js';
import type { StoredTokenSource, UpstreamPlatform } from './upstream/token-store.js';

/** The upstream marketplaces, behind their provider interfaces. */
export interface Market {
  taobao: TaobaoProvider;
  alibaba: AlibabaProvider;
}

/** Everything a request or a worker needs, passed explicitly (no globals). */
export interface AppDeps {
  config: Config;
  database: Database;
  clock: Clock;
  ids: IdGenerator;
  secrets: SecretBox;
  /** The v2 API's opaque ids of goods, SKUs, offers and orders, under a key derived from the master key. */
  opaqueIds: OpaqueIds;
  /** The operator's bearer token for /admin. */
  adminToken: string;
  rateLimiter: RateLimiter;
  /** Failed authentications per client address (one limiter per app, shared by all its routes). */
  authFailures: AuthFailureLimiter;
  credentials: CredentialStore;
  outbox: OutboxRegistry;
  /** Tells every process of the deployment what changed (caches to drop). */
  changes: ChangeFeed;
  log: FastifyBaseLogger;
  /** The upstreams modules use; guarded (deadline, error mapping). */
  market: Market;
  publicUrl: PublicUrl;
  /** Uploaded files (payment vouchers, refund evidence, warehouse photos). */
  files: FileStore;
  /** The stored OAuth tokens of each platform on a real upstream that authorises by OAuth (docs/adr/0016). */
  upstreamTokens: Partial<Record<UpstreamPlatform, StoredTokenSource>>;
  /** What `/metrics` reports (Prometheus); recorded by the HTTP hooks, the provider guard, deliveries, the ledger. */
  metrics: Metrics;
}
