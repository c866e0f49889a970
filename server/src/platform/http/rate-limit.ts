import { isIPv6 } from 'node:net';
import { sql } from 'kysely';
import { LRUCache } from 'lru-cache';
import type { Database } from '../db/database.js';
import { least } from '../db/dialect.js';

export type RateDecision = { allowed: true } | { allowed: false; retryAfterMs: number };

/** A token bucket per key: `perSecond` tokens refill each second, up to `burst`. */
export interface RateLimiter {
  take(key: string, now: number): Promise<RateDecision>;
}

export interface BucketConfig {
  perSecond: number;
  burst: number;
}

function retryAfter(tokens: number, perSecond: number): number {
  return Math.ceil(((1 - tokens) / perSecond) * 1000);
}

/** Buckets in this process's memory: the limit applies per process. */
export class MemoryRateLimiter implements RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(private readonly cfg: BucketConfig) {}

  async take(key: string, now: number): Promise<RateDecision> {
    const { perSecond, burst } = this.cfg;
    const b = this.buckets.get(key) ?? { tokens: burst, at: now };
    b.tokens = Math.min(burst, b.tokens + (Math.max(0, now - b.at) / 1000) * perSecond);
    b.at = Math.max(b.at, now);
    this.buckets.set(key, b);
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return { allowed: true };
    }
    return { allowed: false, retryAfterMs: retryAfter(b.tokens, perSecond) };
  }
}

/**
 * Buckets in the database: one limit shared by every process. One statement refills and takes a
 * token atomically; a refused request changes nothing.
 */
export class DatabaseRateLimiter implements RateLimiter {
  constructor(
    private readonly database: Database,
    private readonly cfg: BucketConfig,
  ) {}

  async take(key: string, now: number): Promise<RateDecision> {
    const { perSecond, burst } = this.cfg;
    // Processes' clocks differ slightly: time never runs backwards for a bucket.
    const elapsed = sql<number>`case when ${now} > rate_limit_buckets.updated_at then ${now} - rate_limit_buckets.updated_at else 0 end`;
    const refilled = least(
      this.database.kind,
      burst,
      sql<number>`rate_limit_buckets.tokens + (${elapsed}) * ${perSecond} / 1000.0`,
    );
    const latest = sql<number>`case when ${now} > rate_limit_buckets.updated_at then ${now} else rate_limit_buckets.updated_at end`;
    // When the bucket has no whole token the conditional update changes nothing and returns no row.
    const taken = await this.database.db
      .insertInto('rate_limit_buckets')
      .values({ bucket_key: key, tokens: burst - 1, updated_at: now })
      .onConflict((oc) =>
        oc
          .column('bucket_key')
          .doUpdateSet({ tokens: sql`${refilled} - 1`, updated_at: latest })
          .where(refilled, '>=', 1),
      )
      .returning('tokens')
      .execute();
    if (taken.length > 0) return { allowed: true };
    const row = await this.database.db
      .selectFrom('rate_limit_buckets')
      .select(['tokens', 'updated_at'])
      .where('bucket_key', '=', key)
      .executeTakeFirst();
    const tokens = row ? Math.min(burst, row.tokens + (Math.max(0, now - row.updated_at) / 1000) * perSecond) : 0;
    return { allowed: false, retryAfterMs: retryAfter(tokens, perSecond) };
  }
}

/**
 * Failed authentications per client address: each failure takes a token from the address's bucket
 * (`perMinute` come back a minute, up to `burst`); while it is empty, the address's requests to signed
 * and operator routes are refused before any key lookup or signature work, so that guessing keys,
 * secrets or the operator token costs the server nothing. Successful requests take nothing. Buckets live
 * in this process's memory; full ones are not kept, and at most `maxAddresses` are (least recent first out).
 */
export class AuthFailureLimiter {
  private readonly buckets: LRUCache<string, { tokens: number; at: number }>;
  private readonly perSecond: number;

  constructor(
    private readonly cfg: { perMinute: number; burst: number },
    maxAddresses = 100_000,
  ) {
    this.buckets = new LRUCache({ max: maxAddresses });
    this.perSecond = cfg.perMinute / 60;
  }

  /** Whether `address` may try to authenticate now; takes nothing. */
  check(address: string, now: number): RateDecision {
    const b = this.refilled(address, now);
    if (!b || b.tokens >= 1) return { allowed: true };
    return { allowed: false, retryAfterMs: retryAfter(b.tokens, this.perSecond) };
  }

  /** Counts one failed authentication from `address`. */
  fail(address: string, now: number): void {
    const b = this.refilled(address, now) ?? { tokens: this.cfg.burst, at: now };
    b.tokens = Math.max(0, b.tokens - 1);
    this.buckets.set(address, b);
  }

  private refilled(address: string, now: number): { tokens: number; at: number } | undefined {
    const b = this.buckets.get(address);
    if (!b) return undefined;
    b.tokens = Math.min(this.cfg.burst, b.tokens + (Math.max(0, now - b.at) / 1000) * this.perSecond);
    b.at = Math.max(b.at, now);
    if (b.tokens < this.cfg.burst) return b;
    this.buckets.delete(address);
    return undefined;
  }
}

/**
 * The bucket a client address counts against: an IPv4 address (also when written IPv4-mapped), or the
 * /64 prefix of an IPv6 address, since one IPv6 client usually holds a whole /64.
 */
export function clientAddressKey(ip: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped?.[1]) return mapped[1];
  const address = ip.replace(/%.*$/, '');
  if (!isIPv6(address)) return ip;
  const [head = '', tail] = address.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  // An embedded IPv4 address (the last 32 bits) is written as one group but stands for two.
  const width = right.length + (right.at(-1)?.includes('.') ? 1 : 0);
  const groups = tail === undefined ? left : [...left, ...Array<string>(8 - left.length - width).fill('0'), ...right];
  return `${groups
    .slice(0, 4)
    .map((g) => Number.parseInt(g || '0', 16).toString(16))
    .join(':')}::/64`;
}
