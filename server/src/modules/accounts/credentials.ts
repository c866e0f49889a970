import { type Kysely, sql } from 'kysely';
import type { CredentialStore, KeyRecord, KeyState, NonceOutcome } from '../../platform/auth/credentials.js';
import { KeyCache } from '../../platform/auth/key-cache.js';
import { Batcher } from '../../platform/db/batch.js';
import type { Database, Executor } from '../../platform/db/database.js';
import { prepared } from '../../platform/db/prepared.js';
import type { DB } from '../../platform/db/schema.js';
import {
  type BucketConfig,
  type RateDecision,
  shareGranted,
  takeFromBucket,
  takeTokens,
} from '../../platform/http/rate-limit.js';

/** The key with its developer's state and credentials version, and the sub-account `userId` if it is the developer's. */
const lookupKey = prepared((db, a: { accessKey: string; userId: string }) =>
  db
    .selectFrom('access_keys as k')
    .innerJoin('developers as d', 'd.id', 'k.develop_id')
    .leftJoin('sub_accounts as s', (j) => j.on('s.user_id', '=', a.userId).onRef('s.develop_id', '=', 'k.develop_id'))
    .select([
      'k.access_key',
      'k.develop_id',
      'k.secret_sealed',
      'k.previous_secret_sealed',
      'k.previous_expires_at',
      'k.legacy_md5',
      'k.nonceless',
      'k.status as key_status',
      'd.status as developer_status',
      'd.auth_version',
      's.user_id',
      's.is_main',
      's.status as sub_status',
    ])
    .where('k.access_key', '=', a.accessKey),
);

// A type, not an interface: prepared() takes a record of values.
type NonceWrite = {
  accessKey: string;
  nonce: string;
  expiresAt: number;
  now: number;
  developId: string;
  authVersion: number;
};

/** The batch's rows in one order, so that concurrent batches (other processes) lock rows in the same order. */
const byKeyAndNonce = (a: NonceWrite, b: NonceWrite): number =>
  a.accessKey < b.accessKey ? -1 : a.accessKey > b.accessKey ? 1 : a.nonce < b.nonce ? -1 : a.nonce > b.nonce ? 1 : 0;

/** A nonce written, and, when its statement also took the key's rate-limit token, the decision. */
type NonceResult = { outcome: NonceOutcome; rate?: RateDecision };

const nonceId = (n: NonceWrite) => `${n.accessKey}\n${n.nonce}`;

/** The batch's rows (a nonce named twice is written once), and a VALUES list of them for the statements below. */
function nonceRows(batch: NonceWrite[]) {
  const firsts = new Map<string, NonceWrite>();
  for (const n of batch) if (!firsts.has(nonceId(n))) firsts.set(nonceId(n), n);
  const rows = [...firsts.values()].sort(byKeyAndNonce);
  // PostgreSQL types the parameters of a VALUES list as text: the casts give the columns their types.
  const values = sql.join(
    rows.map(
      (n) =>
        sql`(cast(${n.accessKey} as text), cast(${n.nonce} as text), cast(${n.expiresAt} as bigint), cast(${n.developId} as text), cast(${n.authVersion} as integer))`,
    ),
  );
  // A row is reusable once expired for every request of the batch.
  return { rows, values, now: Math.min(...rows.map((n) => n.now)) };
}

/**
 * Each request's outcome: recorded when its row was returned; otherwise one read of the developers tells a replay
 * from credentials changed since they were read. A nonce named twice in one batch is recorded once: the second is
 * its replay.
 */
async function nonceOutcomes(
  db: Kysely<DB>,
  batch: NonceWrite[],
  rows: NonceWrite[],
  recorded: Set<string>,
): Promise<NonceOutcome[]> {
  const missed = [...new Set(rows.filter((n) => !recorded.has(nonceId(n))).map((n) => n.developId))];
  const developers = new Map(
    missed.length === 0
      ? []
      : (
          await db.selectFrom('developers').select(['id', 'auth_version', 'status']).where('id', 'in', missed).execute()
        ).map((d) => [d.id, d]),
  );
  const outcomes = new Map<string, NonceOutcome>();
  return batch.map((n) => {
    const first = outcomes.get(nonceId(n));
    if (first) return first === 'recorded' ? 'replayed' : first;
    let outcome: NonceOutcome = 'recorded';
    if (!recorded.has(nonceId(n))) {
      const d = developers.get(n.developId);
      outcome = d?.status === 'active' && d.auth_version === n.authVersion ? 'replayed' : 'stale';
    }
    outcomes.set(nonceId(n), outcome);
    return outcome;
  });
}

/**
 * Records a batch of nonces in one statement: each is inserted, or reuses the row of an expired one (a live row
 * means a replay), but only while its developer is active and at the credentials version the request was verified
 * against.
 */
async function writeNonces(db: Kysely<DB>, batch: NonceWrite[]): Promise<NonceResult[]> {
  const recorded = await recordNonces(db, batch);
  return (await nonceOutcomes(db, batch, nonceRows(batch).rows, recorded)).map((outcome) => ({ outcome }));
}

/** The statement of writeNonces: the ids (`key\nnonce`) of the nonces it recorded. */
async function recordNonces(db: Executor, batch: NonceWrite[]): Promise<Set<string>> {
  const { values, now } = nonceRows(batch);
  const written = await sql<{ access_key: string; nonce: string }>`
    insert into auth_nonces (access_key, nonce, expires_at)
    select v.column1, v.column2, v.column3 from (values ${values}) as v
    join developers d on d.id = v.column4 and d.auth_version = v.column5 and d.status = 'active'
    where true
    on conflict (access_key, nonce) do update set expires_at = excluded.expires_at
    where auth_nonces.expires_at < ${now}
    returning access_key, nonce`.execute(db);
  return new Set(written.rows.map((r) => `${r.access_key}\n${r.nonce}`));
}

/**
 * The nonces of a batch recorded as writeNonces does, and one rate-limit token taken per recorded nonce from its
 * key's bucket (the take of DatabaseRateLimiter, whose buckets these are), so that a signed request's
 * authentication is one unit of work on the database (docs/adr/0017). On PostgreSQL one statement does both (a
 * data-modifying WITH); SQLite, which has none, runs the two statements in one transaction (one lock, one commit).
 * A request whose nonce is refused takes no token.
 */
async function writeNoncesTakingTokens(
  database: Database,
  bucket: BucketConfig,
  batch: NonceWrite[],
): Promise<NonceResult[]> {
  const db = database.relaxed;
  const { rows } = nonceRows(batch);
  const { recorded, buckets } =
    database.kind === 'postgres'
      ? await recordAndTakeInOneStatement(db, bucket, batch)
      : await db.transaction().execute(async (trx) => {
          const done = await recordNonces(trx, batch);
          const asked = new Map<string, { count: number; now: number }>();
          for (const n of rows) {
            if (!done.has(nonceId(n))) continue;
            const a = asked.get(n.accessKey);
            asked.set(n.accessKey, { count: (a?.count ?? 0) + 1, now: Math.max(a?.now ?? n.now, n.now) });
          }
          return { recorded: done, buckets: await takeTokens(trx, 'sqlite', bucket, asked) };
        });
  const outcomes = await nonceOutcomes(db, batch, rows, recorded);
  // Tokens go to the recorded requests, in the order they arrived.
  const takers = batch.filter((_n, i) => outcomes[i] === 'recorded');
  const decisions = shareGranted(
    takers.map((n) => n.accessKey),
    buckets,
    bucket.perSecond,
  );
  let next = 0;
  return outcomes.map((outcome) => (outcome === 'recorded' ? { outcome, rate: decisions[next++] } : { outcome }));
}

/** PostgreSQL: the nonces recorded and the tokens taken by one statement. */
async function recordAndTakeInOneStatement(
  db: Kysely<DB>,
  bucket: BucketConfig,
  batch: NonceWrite[],
): Promise<{ recorded: Set<string>; buckets: Map<string, { granted: number; tokens: number }> }> {
  const { rows, values, now } = nonceRows(batch);
  const latest = Math.max(...rows.map((n) => n.now));
  const take = takeFromBucket('postgres', bucket);
  const written = await sql<{
    part: 'nonce' | 'bucket';
    key: string;
    nonce: string | null;
    granted: number | null;
    tokens: number | null;
  }>`
    with v (access_key, nonce, expires_at, develop_id, auth_version) as (values ${values}),
    n as (
      insert into auth_nonces (access_key, nonce, expires_at)
      select v.access_key, v.nonce, v.expires_at from v
      join developers d on d.id = v.develop_id and d.auth_version = v.auth_version and d.status = 'active'
      on conflict (access_key, nonce) do update set expires_at = excluded.expires_at
      where auth_nonces.expires_at < ${now}
      returning access_key, nonce
    ),
    r as (
      insert into rate_limit_buckets (bucket_key, tokens, updated_at, granted)
      select access_key, ${bucket.burst} - least(count(*), ${bucket.burst}), cast(${latest} as bigint), least(count(*), ${bucket.burst})
      from n group by access_key order by access_key
      on conflict (bucket_key) do update set granted = ${take.granted}, tokens = ${take.tokens}, updated_at = ${take.updatedAt}
      returning bucket_key, granted, tokens
    )
    select 'nonce' as part, access_key as key, nonce, null::integer as granted, null::double precision as tokens from n
    union all
    select 'bucket', bucket_key, null, granted, tokens from r`.execute(db);
  const recorded = new Set<string>();
  const buckets = new Map<string, { granted: number; tokens: number }>();
  for (const r of written.rows) {
    if (r.part === 'nonce') recorded.add(`${r.key}\n${r.nonce}`);
    else buckets.set(r.key, { granted: Number(r.granted), tokens: Number(r.tokens) });
  }
  return { recorded, buckets };
}

/**
 * Reads keys and sub-accounts for request authentication (one query per read) and records nonces; the
 * cache of key records lives beside it (authenticate.ts uses both).
 */
export function createCredentialStore(database: Database, options: { rateLimit?: BucketConfig } = {}): CredentialStore {
  const { db } = database;
  const { rateLimit } = options;
  // Every signed request writes a nonce: those of concurrent requests share one statement and one commit. With
  // `rateLimit` (the database's buckets), the same unit of work also takes the requests' tokens.
  const fused = rateLimit !== undefined;
  // A nonce lost in a crash of PostgreSQL lets a read of the last moments be replayed, never a write: the commit of
  // any later write waits for the WAL up to it (docs/adr/0017).
  const nonces = new Batcher((batch: NonceWrite[]) =>
    fused ? writeNoncesTakingTokens(database, rateLimit, batch) : writeNonces(database.relaxed, batch),
  );
  return {
    cache: new KeyCache(),

    async lookup(accessKey: string, userId: string): Promise<KeyRecord | null> {
      const row = (await lookupKey(db, { accessKey, userId })).rows[0];
      if (!row) return null;
      return {
        accessKey: row.access_key,
        developId: row.develop_id,
        secretSealed: row.secret_sealed,
        previousSecretSealed: row.previous_secret_sealed,
        previousExpiresAt: row.previous_expires_at,
        legacyMd5: row.legacy_md5 === 1,
        nonceless: row.nonceless === 1,
        usable: row.key_status === 'active' && row.developer_status === 'active',
        authVersion: row.auth_version,
        subAccount: row.user_id
          ? { userId: row.user_id, isMain: row.is_main === 1, active: row.sub_status === 'active' }
          : null,
      };
    },

    async useNonce(key: KeyState, nonce: string, expiresAt: number, now: number): Promise<NonceResult> {
      const { accessKey, developId, authVersion } = key;
      return nonces.run({ accessKey, nonce, expiresAt, now, developId, authVersion });
    },
  };
}
