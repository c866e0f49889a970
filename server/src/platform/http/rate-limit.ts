import { isIPv6 } from 'node:net';
import { type RawBuilder, sql } from 'kysely';
import { LRUCache } from 'lru-cache';
import { Batcher } from '../db/batch.js';
import type { Database, Executor } from '../db/database.js';
import { type DialectKind, least } from '../db/dialect.js';

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
 * The update of a bucket row that already exists, as an upsert's `do update set` (`excluded` is the row the upsert
 * proposed: the requests' time in `updated_at` and how many tokens they ask for in `granted`): refill for the time
 * since the last take (a process whose clock is behind never runs a bucket's time backwards), let through as many
 * requests as whole tokens allow, and keep the rest of the tokens.
 */
export function takeFromBucket(
  kind: DialectKind,
  cfg: BucketConfig,
): { granted: RawBuilder<number>; tokens: RawBuilder<number>; updatedAt: RawBuilder<number> } {
  const later = sql`excluded.updated_at > rate_limit_buckets.updated_at`;
  const elapsed = sql<number>`case when ${later} then excluded.updated_at - rate_limit_buckets.updated_at else 0 end`;
  const refilled = least(
    kind,
    cfg.burst,
    sql<number>`rate_limit_buckets.tokens + (${elapsed}) * ${cfg.perSecond} / 1000.0`,
  );
  const granted = least(kind, sql<number>`excluded.granted`, sql<number>`floor(${refilled})`);
  return {
    granted,
    tokens: sql<number>`${refilled} - ${granted}`,
    updatedAt: sql<number>`case when ${later} then excluded.updated_at else rate_limit_buckets.updated_at end`,
  };
}

/**
 * Hands out the tokens a statement granted to a bucket's requests in the order they arrived; the others are refused
 * with the time until the bucket's next token.
 */
export function shareGranted(
  keys: string[],
  buckets: Map<string, { granted: number; tokens: number }>,
  perSecond: number,
): RateDecision[] {
  return keys.map((key) => {
    const bucket = buckets.get(key);
    if (!bucket) throw new Error(`rate limit bucket ${key} was not returned`);
    if (bucket.granted > 0) {
      bucket.granted--;
      return { allowed: true };
    }
    return { allowed: false, retryAfterMs: retryAfter(bucket.tokens, perSecond) };
  });
}

/**
 * Buckets in the database: one limit shared by every process. The takes of concurrent requests leave in batches
 * (Batcher): one statement refills each named bucket and takes as many tokens as its requests ask for and it holds
 * whole, atomically, recording that number in `granted`, which it returns with the tokens left. A bucket's requests
 * are let through in the order they arrived; the others are refused with the time until the next token.
 */
export class DatabaseRateLimiter implements RateLimiter {
  private readonly batches: Batcher<{ key: string; now: number }, RateDecision>;

  constructor(
    private readonly database: Database,
    private readonly cfg: BucketConfig,
  ) {
    this.batches = new Batcher((items) => this.takeAll(items));
  }

  take(key: string, now: number): Promise<RateDecision> {
    return this.batches.run({ key, now });
  }

  private async takeAll(items: { key: string; now: number }[]): Promise<RateDecision[]> {
    const asked = new Map<string, { count: number; now: number }>();
    for (const { key, now } of items) {
      const a = asked.get(key);
      asked.set(key, { count: (a?.count ?? 0) + 1, now: Math.max(a?.now ?? now, now) });
    }
    const buckets = await takeTokens(this.database.db, this.database.kind, this.cfg, asked);
    return shareGranted(
      items.map((i) => i.key),
      buckets,
      this.cfg.perSecond,
    );
  }
}

/**
 * One statement that takes, from each bucket named in `asked`, as many tokens as its requests ask for and it holds
 * whole (refilled first), and answers how many it granted and the tokens left. A new bucket starts full.
 */
export async function takeTokens(
  db: Executor,
  kind: DialectKind,
  cfg: BucketConfig,
  asked: Map<string, { count: number; now: number }>,
): Promise<Map<string, { granted: number; tokens: number }>> {
  if (asked.size === 0) return new Map();
  // Sorted, so that concurrent batches (other processes) lock buckets in the same order.
  const rows = [...asked].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  // `granted` holds the count asked for (at most `burst`) until the update computes it.
  const values = rows.map(([key, a]) => {
    const wanted = Math.min(a.count, cfg.burst);
    return { bucket_key: key, tokens: cfg.burst - wanted, updated_at: a.now, granted: wanted };
  });
  const take = takeFromBucket(kind, cfg);
  const taken = await db
    .insertInto('rate_limit_buckets')
    .values(values)
    .onConflict((oc) =>
      oc.column('bucket_key').doUpdateSet({ granted: take.granted, tokens: take.tokens, updated_at: take.updatedAt }),
    )
    .returning(['bucket_key', 'granted', 'tokens'])
    .execute();
  return new Map(taken.map((r) => [r.bucket_key, { granted: Number(r.granted), tokens: Number(r.tokens) }]));
}

/**
 * Failed authentications per client address: each failure takes a token from the address's bucket
 * (`perMinute` come back a minute, up to `burst`); while it is empty, the address's requests to signed
 * and operator routes are refused before any key lookup or signature work, so that guessing keys,
 * secrets or the operator token costs the server nothing. Successful requests take nothing. Once an address has
 * failed, each of its attempts still being checked (its key read from the database, say) holds a token until it
 * ends, so that a flood of concurrent attempts cannot all pass the gate before the first of them has failed; an
 * address that has not failed is never held back, however many requests it has under way. Buckets live in this
 * process's memory;
 * full ones are not kept, and at most `maxAddresses` are (least recent first out).
 */
export class AuthFailureLimiter {
  private readonly buckets: LRUCache<string, { tokens: number; at: number }>;
  /** Attempts under way per address. */
  private readonly pending = new Map<string, number>();
  private readonly perSecond: number;

  constructor(
    private readonly cfg: { perMinute: number; burst: number },
    maxAddresses = 100_000,
  ) {
    this.buckets = new LRUCache({ max: maxAddresses });
    this.perSecond = cfg.perMinute / 60;
  }

  /**
   * Whether `address` may try to authenticate now; takes nothing. Once the address has failed recently (its bucket
   * is not full), its attempts under way count as failures until they end.
   */
  check(address: string, now: number): RateDecision {
    const b = this.refilled(address, now);
    if (!b) return { allowed: true };
    const tokens = b.tokens - (this.pending.get(address) ?? 0);
    if (tokens >= 1) return { allowed: true };
    return { allowed: false, retryAfterMs: retryAfter(tokens, this.perSecond) };
  }

  /**
   * Starts an attempt of `address` if check allows it: the attempt holds a token until `end` is called, with
   * `failed` true to take it for good (a failed authentication, at `now`) or false to give it back.
   */
  begin(address: string, now: number): RateDecision & { end?: (failed: boolean, now: number) => void } {
    const gate = this.check(address, now);
    if (!gate.allowed) return gate;
    this.pending.set(address, (this.pending.get(address) ?? 0) + 1);
    let ended = false;
    const end = (failed: boolean, at: number) => {
      if (ended) return;
      ended = true;
      const left = (this.pending.get(address) ?? 1) - 1;
      if (left > 0) this.pending.set(address, left);
      else this.pending.delete(address);
      if (failed) this.fail(address, at);
    };
    return { allowed: true, end };
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
