import os from 'node:os';
import path from 'node:path';
import { serverPackage } from './platform/package-root.js';

/** Everything the server reads from its environment, parsed and validated once at start. */
export interface Config {
  port: number;
  host: string;
  dataDir: string;
  /** PostgreSQL connection string; when absent the server uses SQLite at `<dataDir>/ponte.db`. */
  databaseUrl: string | undefined;
  /** SQLite file used when `databaseUrl` is absent. */
  sqliteFile: string;
  dbPoolSize: number;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** `pretty`: one human-readable line per entry (the default on a terminal); `json`: one JSON object per line. */
  logFormat: 'pretty' | 'json';
  /** HTTP processes `ponte serve` runs on this machine (`PONTE_PROCESSES`; `auto`: one per core). */
  processes: number;
  /** A bearer token that reads `/metrics` besides the operator token (a scraper need not hold the operator's). */
  metricsToken: string | undefined;
  /** Base64 of 32 bytes; when absent it is read from (or created in) `<dataDir>/master.key`. */
  masterKey: string | undefined;
  /** Operator bearer token; when absent it is read from (or created in) `<dataDir>/admin-token`. */
  adminToken: string | undefined;
  /**
   * Per-key token buckets. `database`: one bucket shared by every process (the default when several processes
   * serve, or on PostgreSQL); `memory`: each process's own (the default of one SQLite process).
   */
  rateLimit: { perSecond: number; burst: number; store: 'memory' | 'database' };
  /** Failed authentications per client address: tokens a minute and bucket size (in each process's memory). */
  authFailures: { perMinute: number; burst: number };
  bodyLimit: number;
  signatureWindowMs: number;
  runWorkers: boolean;
  createDemoDeveloper: boolean;
  shutdownTimeoutMs: number;
  trustProxy: boolean;
  /** The base URL clients reach this server at (picture links); by default the address it listens on. */
  publicUrl: string | undefined;
  /** The built browser console served at `/console` (`PONTE_CONSOLE_DIR`; by default the repository's console/dist). */
  consoleDir: string | undefined;
  /** A provider call that has not answered after this long fails with 50401. */
  upstreamTimeoutMs: number;
  /**
   * How long a request holds its Idempotency-Key (`IDEMPOTENCY_LOCK_MS`): a retry meanwhile answers 40903, and after
   * it takes the key over, the first request's process presumed dead. At least twice the upstream timeout, so that a
   * request still waiting for the marketplace is never taken over.
   */
  idempotencyLockMs: number;
  /** Attempts at handling an upstream event before it goes to the dead letters. */
  upstreamEventMaxAttempts: number;
  /** How long a debited payment or an order create may wait for the upstream before a worker settles it. */
  orders: { settleDelayMs: number };
  /** How often a process looks for changes made by others (cache invalidation on SQLite). */
  changePollMs: number;
  /** Pictures given for picture search: size cap, fetch deadline, and whether URLs may reach private addresses. */
  images: { maxBytes: number; fetchTimeoutMs: number; allowPrivateUrls: boolean };
  /** How long goods details are served from the cache before the upstream is asked again (0: no cache). */
  goodsCacheSeconds: number;
  /** Stored files (evidence pictures): how long a signed URL handed out to a file's owner stays valid. */
  files: { urlTtlSeconds: number };
  /**
   * The warehouse (docs/adr/0015): storage is free for `freeDays` after receipt, then costs `feePerDayFen` per item
   * and day, charged when the item is packed.
   */
  warehouse: { freeDays: number; feePerDayFen: number };
  /** International freight: how long a W2 preview (`renderId`) can be booked. */
  freight: { renderTtlMs: number };
  /**
   * Callbacks to developers' URLs (docs/adr/0013): the deadline of one POST, whether URLs may be plain HTTP and
   * reach loopback or private addresses (tests, local development), and how long a rotated secret keeps signing.
   */
  callbacks: {
    timeoutMs: number;
    allowPrivate: boolean;
    secretOverlapSeconds: number;
    /** Delivery attempts one process makes at once, and at most to one developer's URL. */
    poolSize: number;
    perUrl: number;
  };
  /** The marketplaces behind the provider interfaces: the sandbox, or each one's real gateway (docs/adr/0016). */
  upstreams: UpstreamsConfig;
  sandbox: {
    /** The sandbox market's own SQLite file. */
    file: string;
    /** Goods per platform in the catalog seeded at first start. */
    goods: number;
    seed: number;
    /** How fast the market clock runs against real time. */
    clockSpeed: number;
    /**
     * Product pictures: worker threads drawing them (0: min(2, cores − 1), at least 1), how many may wait
     * for a thread before a request answers 503, and the megabytes of encoded pictures kept in memory.
     */
    pictures: { workers: number; queue: number; cacheMb: number };
  };
}

/** One real upstream's gateway and app (docs/adr/0016). */
export interface GatewayConfig {
  /** The gateway's base URL: the real one unless set (a fake or a staging gateway). */
  baseUrl: string;
  /** Where account owners authorise the app (OAuth). */
  authUrl: string;
  /** The app key and secret the upstream issued to Ponte's app (required for a real upstream). */
  appKey: string | undefined;
  appSecret: string | undefined;
}

export interface UpstreamsConfig {
  /** `UPSTREAM_1688`: the sandbox market or 1688's open platform (AOP). */
  alibaba: { mode: 'sandbox' | 'aop'; gateway: GatewayConfig; accessToken: string | undefined };
  /** `UPSTREAM_TAOBAO`: the sandbox market or Taobao Global's distributor platform (IOP). */
  taobao: {
    mode: 'sandbox' | 'taobao-global';
    gateway: GatewayConfig;
    /** The distributor account chat links log in as (`/page/link/get` takes its login and password). */
    chatAccount: { loginName: string; password: string } | undefined;
  };
  /** The language goods texts are translated into by the real upstreams (the original stays in `zh`). */
  language: 'en' | 'vi' | 'th' | 'es';
  /** Retries of a read or an idempotent write after a failure or a rate limit, and the first backoff. */
  retries: number;
  retryBaseMs: number;
  /** Consecutive failures of one operation that open its circuit, and how long it stays open before a trial call. */
  breakerFailures: number;
  breakerOpenMs: number;
  /** A stored token is refreshed this long before it expires. */
  refreshAheadMs: number;
  /** How often orders and refunds are pulled from a real upstream to recover what a lost push missed. */
  reconcileIntervalMs: number;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n  ${problems.join('\n  ')}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

class Reader {
  readonly problems: string[] = [];
  constructor(private readonly env: Env) {}

  string(name: string, fallback: string): string {
    const v = this.env[name];
    return v === undefined || v === '' ? fallback : v;
  }

  optional(name: string): string | undefined {
    const v = this.env[name];
    return v === undefined || v === '' ? undefined : v;
  }

  int(name: string, fallback: number, min: number, max: number): number {
    const raw = this.env[name];
    if (raw === undefined || raw === '') return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min || n > max) {
      this.problems.push(`${name}: expected an integer from ${min} to ${max}, got "${raw}"`);
      return fallback;
    }
    return n;
  }

  number(name: string, fallback: number, min: number, max: number): number {
    const raw = this.env[name];
    if (raw === undefined || raw === '') return fallback;
    const n = Number(raw);
    if (!Number.isFinite(n) || n < min || n > max) {
      this.problems.push(`${name}: expected a number from ${min} to ${max}, got "${raw}"`);
      return fallback;
    }
    return n;
  }

  bool(name: string, fallback: boolean): boolean {
    const raw = this.env[name];
    if (raw === undefined || raw === '') return fallback;
    if (/^(1|true|yes|on)$/i.test(raw)) return true;
    if (/^(0|false|no|off)$/i.test(raw)) return false;
    this.problems.push(`${name}: expected true or false, got "${raw}"`);
    return fallback;
  }

  oneOf<T extends string>(name: string, fallback: T, allowed: readonly T[]): T {
    const raw = this.env[name];
    if (raw === undefined || raw === '') return fallback;
    if ((allowed as readonly string[]).includes(raw)) return raw as T;
    this.problems.push(`${name}: expected one of ${allowed.join(', ')}, got "${raw}"`);
    return fallback;
  }
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

function gateway(r: Reader, prefix: string, baseUrl: string, authUrl: string): GatewayConfig {
  const urls = {
    baseUrl: r.string(`${prefix}_GATEWAY_URL`, baseUrl).replace(/\/+$/, ''),
    authUrl: r.string(`${prefix}_AUTH_URL`, authUrl).replace(/\/+$/, ''),
  };
  for (const [name, url] of [
    [`${prefix}_GATEWAY_URL`, urls.baseUrl],
    [`${prefix}_AUTH_URL`, urls.authUrl],
  ] as const) {
    if (!/^https?:\/\/[^/]+/.test(url)) r.problems.push(`${name}: expected an http:// or https:// URL`);
  }
  return { ...urls, appKey: r.optional(`${prefix}_APP_KEY`), appSecret: r.optional(`${prefix}_APP_SECRET`) };
}

function chatAccount(r: Reader): UpstreamsConfig['taobao']['chatAccount'] {
  const loginName = r.optional('TAOBAO_GLOBAL_CHAT_LOGIN');
  const password = r.optional('TAOBAO_GLOBAL_CHAT_PASSWORD');
  if (!loginName && !password) return undefined;
  if (!loginName || !password) {
    r.problems.push('TAOBAO_GLOBAL_CHAT_LOGIN and TAOBAO_GLOBAL_CHAT_PASSWORD: set both or neither');
    return undefined;
  }
  return { loginName, password };
}

function readUpstreams(r: Reader): UpstreamsConfig {
  const upstreams: UpstreamsConfig = {
    alibaba: {
      mode: r.oneOf('UPSTREAM_1688', 'sandbox', ['sandbox', 'aop'] as const),
      gateway: gateway(r, 'AOP', 'https://gw.open.1688.com', 'https://auth.1688.com'),
      accessToken: r.optional('AOP_ACCESS_TOKEN'),
    },
    taobao: {
      mode: r.oneOf('UPSTREAM_TAOBAO', 'sandbox', ['sandbox', 'taobao-global'] as const),
      gateway: gateway(r, 'TAOBAO_GLOBAL', 'https://api.taobao.global', 'https://api.taobao.global'),
      chatAccount: chatAccount(r),
    },
    language: r.oneOf('UPSTREAM_LANGUAGE', 'en', ['en', 'vi', 'th', 'es'] as const),
    retries: r.int('UPSTREAM_RETRIES', 2, 0, 10),
    retryBaseMs: r.int('UPSTREAM_RETRY_BASE_MS', 200, 1, 60_000),
    breakerFailures: r.int('UPSTREAM_BREAKER_FAILURES', 5, 1, 1000),
    breakerOpenMs: r.int('UPSTREAM_BREAKER_OPEN_MS', 30_000, 10, 3_600_000),
    refreshAheadMs: r.int('UPSTREAM_TOKEN_REFRESH_AHEAD_SECONDS', 3600, 0, 30 * 86_400) * 1000,
    reconcileIntervalMs: r.int('UPSTREAM_RECONCILE_SECONDS', 300, 1, 86_400) * 1000,
  };
  const needs = [
    [upstreams.alibaba.mode === 'aop', 'UPSTREAM_1688=aop', 'AOP', upstreams.alibaba.gateway],
    [
      upstreams.taobao.mode === 'taobao-global',
      'UPSTREAM_TAOBAO=taobao-global',
      'TAOBAO_GLOBAL',
      upstreams.taobao.gateway,
    ],
  ] as const;
  for (const [real, setting, prefix, g] of needs) {
    if (real && (!g.appKey || !g.appSecret))
      r.problems.push(`${setting}: set ${prefix}_APP_KEY and ${prefix}_APP_SECRET`);
  }
  return upstreams;
}

/** `PONTE_PROCESSES`: a count, or `auto` for one process per core. */
function readProcesses(r: Reader): number {
  const raw = r.optional('PONTE_PROCESSES');
  if (raw === 'auto') return os.availableParallelism();
  return r.int('PONTE_PROCESSES', 1, 1, 256);
}

/** Parses the environment; throws ConfigError listing every problem at once. */
export function loadConfig(env: Env = process.env): Config {
  const r = new Reader(env);
  const dataDir = path.resolve(r.string('PONTE_DATA_DIR', './data'));
  const databaseUrl = r.optional('DATABASE_URL');
  const sqliteFile = r.string('PONTE_SQLITE_FILE', 'ponte.db');
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    r.problems.push('DATABASE_URL: expected a postgres:// or postgresql:// URL (leave it unset for SQLite)');
  }
  const masterKey = r.optional('PONTE_MASTER_KEY');
  if (masterKey && Buffer.from(masterKey, 'base64').length !== 32) {
    r.problems.push('PONTE_MASTER_KEY: expected the base64 encoding of exactly 32 bytes');
  }
  const adminToken = r.optional('PONTE_ADMIN_TOKEN');
  if (adminToken && adminToken.length < 24) {
    r.problems.push('PONTE_ADMIN_TOKEN: expected at least 24 characters');
  }
  const sandboxFile = r.string('SANDBOX_FILE', 'sandbox.db');
  const processes = readProcesses(r);
  const metricsToken = r.optional('METRICS_TOKEN');
  if (metricsToken && metricsToken.length < 24) r.problems.push('METRICS_TOKEN: expected at least 24 characters');
  const publicUrl = r.optional('PUBLIC_URL')?.replace(/\/+$/, '');
  if (publicUrl && !/^https?:\/\/[^/]+/.test(publicUrl)) {
    r.problems.push('PUBLIC_URL: expected an http:// or https:// URL');
  }
  const consoleDir = r.optional('PONTE_CONSOLE_DIR');
  const config: Config = {
    port: r.int('PORT', 3000, 0, 65535),
    host: r.string('HOST', '127.0.0.1'),
    dataDir,
    databaseUrl,
    sqliteFile: sqliteFile === ':memory:' ? sqliteFile : path.resolve(dataDir, sqliteFile),
    dbPoolSize: r.int('DB_POOL_SIZE', 10, 1, 500),
    logLevel: r.oneOf('LOG_LEVEL', 'info', LOG_LEVELS),
    logFormat: r.oneOf('LOG_FORMAT', process.stdout.isTTY ? 'pretty' : 'json', ['pretty', 'json'] as const),
    processes,
    metricsToken,
    masterKey,
    adminToken,
    rateLimit: {
      perSecond: r.int('RATE_LIMIT_PER_SECOND', 100, 1, 1_000_000),
      burst: r.int('RATE_LIMIT_BURST', 200, 1, 10_000_000),
      store: r.oneOf('RATE_LIMIT_STORE', processes > 1 || databaseUrl ? 'database' : 'memory', [
        'memory',
        'database',
      ] as const),
    },
    authFailures: {
      perMinute: r.int('AUTH_FAILURES_PER_MINUTE', 60, 1, 60_000_000),
      burst: r.int('AUTH_FAILURES_BURST', 30, 1, 10_000_000),
    },
    bodyLimit: r.int('BODY_LIMIT_BYTES', 1_048_576, 1024, 64 * 1_048_576),
    signatureWindowMs: r.int('SIGNATURE_WINDOW_SECONDS', 300, 10, 3600) * 1000,
    runWorkers: r.bool('PONTE_WORKERS', true),
    createDemoDeveloper: r.bool('PONTE_DEMO', true),
    shutdownTimeoutMs: r.int('SHUTDOWN_TIMEOUT_MS', 10_000, 0, 600_000),
    trustProxy: r.bool('TRUST_PROXY', false),
    publicUrl,
    consoleDir: consoleDir ? path.resolve(consoleDir) : defaultConsoleDir(),
    upstreamTimeoutMs: r.int('UPSTREAM_TIMEOUT_MS', 10_000, 10, 600_000),
    idempotencyLockMs: r.int('IDEMPOTENCY_LOCK_MS', 60_000, 1_000, 3_600_000),
    upstreamEventMaxAttempts: r.int('UPSTREAM_EVENT_MAX_ATTEMPTS', 10, 1, 1000),
    orders: { settleDelayMs: r.int('ORDER_SETTLE_DELAY_MS', 30_000, 100, 3_600_000) },
    changePollMs: r.int('CHANGE_POLL_MS', 200, 10, 60_000),
    images: {
      maxBytes: r.int('IMAGE_MAX_BYTES', 4 * 1_048_576, 1024, 64 * 1_048_576),
      fetchTimeoutMs: r.int('IMAGE_FETCH_TIMEOUT_MS', 5000, 100, 120_000),
      allowPrivateUrls: r.bool('IMAGE_FETCH_ALLOW_PRIVATE', false),
    },
    goodsCacheSeconds: r.int('GOODS_CACHE_SECONDS', 300, 0, 86_400),
    files: { urlTtlSeconds: r.int('FILE_URL_TTL_SECONDS', 3600, 60, 7 * 86_400) },
    warehouse: {
      freeDays: r.int('WAREHOUSE_FREE_DAYS', 30, 0, 3650),
      feePerDayFen: r.int('WAREHOUSE_FEE_PER_DAY_FEN', 50, 0, 1_000_000),
    },
    freight: { renderTtlMs: r.int('FREIGHT_RENDER_TTL_HOURS', 24, 1, 720) * 3_600_000 },
    callbacks: {
      timeoutMs: r.int('CALLBACK_TIMEOUT_MS', 5000, 100, 60_000),
      allowPrivate: r.bool('CALLBACK_ALLOW_PRIVATE', false),
      secretOverlapSeconds: r.int('CALLBACK_SECRET_OVERLAP_SECONDS', 86_400, 0, 7 * 86_400),
      poolSize: r.int('CALLBACK_CONCURRENCY', 64, 1, 1024),
      perUrl: r.int('CALLBACK_URL_CONCURRENCY', 4, 1, 256),
    },
    upstreams: readUpstreams(r),
    sandbox: {
      file: sandboxFile === ':memory:' ? sandboxFile : path.resolve(dataDir, sandboxFile),
      goods: r.int('SANDBOX_GOODS', 1000, 1, 10_000_000),
      seed: r.int('SANDBOX_SEED', 1, 1, 2_147_483_647),
      clockSpeed: r.number('SANDBOX_CLOCK_SPEED', 1, 0.001, 1_000_000),
      pictures: {
        workers: r.int('SANDBOX_PICTURE_WORKERS', 0, 0, 64),
        queue: r.int('SANDBOX_PICTURE_QUEUE', 64, 0, 100_000),
        cacheMb: r.int('SANDBOX_PICTURE_CACHE_MB', 64, 0, 65_536),
      },
    },
  };
  if (config.idempotencyLockMs < 2 * config.upstreamTimeoutMs) {
    r.problems.push(
      `IDEMPOTENCY_LOCK_MS: expected at least twice UPSTREAM_TIMEOUT_MS (${2 * config.upstreamTimeoutMs}), so that a ` +
        'request still waiting for the marketplace is never taken over by a retry',
    );
  }
  if (r.problems.length > 0) throw new ConfigError(r.problems);
  return config;
}

/** The repository's built console (console/dist beside the server package), when this server runs from a checkout. */
function defaultConsoleDir(): string | undefined {
  const server = serverPackage();
  return server ? path.resolve(server.dir, '..', 'console', 'dist') : undefined;
}
