import { sql } from 'kysely';
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
