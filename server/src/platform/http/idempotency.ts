import { createHash } from 'node:crypto';
import { canonicalQuery } from '@ponte/sdk/signing';
import type { FastifyRequest } from 'fastify';
import { SecretBox } from '../crypto/secret-box.js';
import type { Database, Executor } from '../db/database.js';
import { isUniqueViolation } from '../db/dialect.js';
import { prepared } from '../db/prepared.js';
import { ApiError, invalidParameter } from './errors.js';

/**
 * The `Idempotency-Key` mechanism (docs/architecture.md §3). A key is scoped to the developer. The first
 * request reserves it (state `running`); its reply is stored with the business change, in the same
 * transaction, and replayed for 24 h to the same request. The same key with another request answers
 * 40902; while the first still runs, 40903. A reservation whose process died is taken over once its
 * lock expires, so a retry can finish the work. Stored replies are sealed with the master key, since
 * some carry a secret (a key's `accessSecret`) and the rows live 24 h in the database and its backups.
 */
export const IDEMPOTENCY_HEADER = 'idempotency-key';
const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;
export const REPLAY_TTL_MS = 24 * 3600 * 1000;
/** How long a request holds its key by default (`IDEMPOTENCY_LOCK_MS`): a retry meanwhile answers 40903. */
export const LOCK_MS = 60 * 1000;

export interface StoredReply {
  httpStatus: number;
  body: string;
}

export interface Reservation {
  developId: string;
  key: string;
  /** Set once the reply is stored. */
  settled: boolean;
}

/**
 * Hash of what makes two requests "the same": method, path, query (without the system parameters,
 * which change on every retry), acting user and body bytes.
 */
export function requestFingerprint(req: FastifyRequest): string {
  const url = req.raw.url ?? '';
  const q = url.indexOf('?');
  const target = q < 0 ? url : `${url.slice(0, q)}?${canonicalQuery(url.slice(q + 1))}`;
  return createHash('sha256')
    .update(`${req.method}\n${target}\n${req.auth?.userId ?? ''}\n`)
    .update(req.rawBody ?? '')
    .digest('hex');
}

export function readIdempotencyKey(req: FastifyRequest): string | undefined {
  const raw = req.headers[IDEMPOTENCY_HEADER];
  const key = Array.isArray(raw) ? raw[0] : raw;
  if (key === undefined) return undefined;
  if (!KEY_PATTERN.test(key)) throw invalidParameter('Idempotency-Key', 'idempotencyKeyFormat');
  return key;
}

/**
 * Reserves `key` for this request. Returns a reservation to settle later, or the stored reply to
 * replay. Throws 40902 or 40903.
 */
export async function reserve(
  database: Database,
  secrets: SecretBox,
  developId: string,
  key: string,
  fingerprint: string,
  now: number,
  /** How long the key is held before a retry may take it over (the request's process presumed dead). */
  lockMs: number = LOCK_MS,
): Promise<{ reservation: Reservation } | { replay: StoredReply }> {
  const fresh = {
    develop_id: developId,
    idem_key: key,
    request_hash: fingerprint,
    state: 'running' as const,
    http_status: null,
    response_body: null,
    locked_until: now + lockMs,
    created_at: now,
    expires_at: now + REPLAY_TTL_MS,
  };
  try {
    await insertKey(database.db, {
      developId,
      key,
      fingerprint,
      lockedUntil: fresh.locked_until,
      now,
      expiresAt: fresh.expires_at,
    });
    return { reservation: { developId, key, settled: false } };
  } catch (err) {
    if (!isUniqueViolation(err)) throw err;
  }
  const row = await database.db
    .selectFrom('idempotency_keys')
    .selectAll()
    .where('develop_id', '=', developId)
    .where('idem_key', '=', key)
    .executeTakeFirst();
  if (!row) throw new ApiError(40903); // deleted between our insert and read: the other request just failed
  if (row.expires_at <= now) {
    // An expired key is free again: take it over (only one concurrent request wins the update).
    const taken = await takeOver(database, developId, key, row.expires_at, fresh);
    if (taken) return { reservation: { developId, key, settled: false } };
    throw new ApiError(40903);
  }
  if (row.request_hash !== fingerprint) throw new ApiError(40902);
  if (row.state === 'done' && row.http_status !== null && row.response_body !== null) {
    return { replay: { httpStatus: row.http_status, body: openReply(secrets, row.response_body) } };
  }
  if (row.locked_until > now) throw new ApiError(40903);
  // The request holding it died without settling: take it over so this retry finishes the work.
  const taken = await database.db
    .updateTable('idempotency_keys')
    .set({ locked_until: now + lockMs })
    .where('develop_id', '=', developId)
    .where('idem_key', '=', key)
    .where('state', '=', 'running')
    .where('locked_until', '=', row.locked_until)
    .executeTakeFirst();
  if (Number(taken.numUpdatedRows) === 1) return { reservation: { developId, key, settled: false } };
  throw new ApiError(40903);
}

async function takeOver(
  database: Database,
  developId: string,
  key: string,
  oldExpiry: number,
  fresh: { request_hash: string; locked_until: number; created_at: number; expires_at: number },
): Promise<boolean> {
  const r = await database.db
    .updateTable('idempotency_keys')
    .set({ ...fresh, state: 'running', http_status: null, response_body: null })
    .where('develop_id', '=', developId)
    .where('idem_key', '=', key)
    .where('expires_at', '=', oldExpiry)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** A stored reply as written: sealed; one written before replies were sealed is replayed as it is. */
function openReply(secrets: SecretBox, stored: string): string {
  return SecretBox.isSealed(stored) ? secrets.openOnce(stored) : stored;
}

/** Stores the reply for the reservation (sealed), in the caller's transaction when given one. */
export async function settle(
  db: Executor,
  secrets: SecretBox,
  reservation: Reservation,
  reply: StoredReply,
): Promise<void> {
  await storeReply(db, {
    developId: reservation.developId,
    key: reservation.key,
    httpStatus: reply.httpStatus,
    body: secrets.seal(reply.body),
  });
  reservation.settled = true;
}

/** Frees the key so that a retry runs again (after a failure that changed nothing, such as a 5xx). */
export async function release(db: Executor, reservation: Reservation): Promise<void> {
  await db
    .deleteFrom('idempotency_keys')
    .where('develop_id', '=', reservation.developId)
    .where('idem_key', '=', reservation.key)
    .where('state', '=', 'running')
    .execute();
  reservation.settled = true;
}

// The two statements of every idempotent request, compiled once (platform/db/prepared.ts).

type KeyRow = {
  developId: string;
  key: string;
  fingerprint: string;
  lockedUntil: number;
  now: number;
  expiresAt: number;
};

const insertKey = prepared((db, a: KeyRow) =>
  db.insertInto('idempotency_keys').values({
    develop_id: a.developId,
    idem_key: a.key,
    request_hash: a.fingerprint,
    state: 'running',
    http_status: null,
    response_body: null,
    locked_until: a.lockedUntil,
    created_at: a.now,
    expires_at: a.expiresAt,
  }),
);

const storeReply = prepared((db, a: { developId: string; key: string; httpStatus: number; body: string }) =>
  db
    .updateTable('idempotency_keys')
    .set({ state: 'done', http_status: a.httpStatus, response_body: a.body })
    .where('develop_id', '=', a.developId)
    .where('idem_key', '=', a.key),
);
