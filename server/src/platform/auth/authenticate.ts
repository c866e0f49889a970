import { timingSafeEqual } from 'node:crypto';
import { canonicalString, hmacSignature, md5Signature } from '@ponte/sdk/signing';
import type { FastifyRequest } from 'fastify';
import type { AppDeps } from '../deps.js';
import { ApiError } from '../http/errors.js';
import type { RateDecision } from '../http/rate-limit.js';
import type { AuthContext, KeyState, SubAccountState } from './credentials.js';

const NONCE = /^[A-Za-z0-9_-]{8,64}$/;
const TIMESTAMP = /^[0-9]{1,16}$/;
const HMAC_SIG = /^[0-9A-Fa-f]{64}$/;
const MD5_SIG = /^[0-9A-Fa-f]{32}$/;

interface SystemParameters {
  accessKey: string;
  timestamp: string;
  /** '' when a request that may leave it out did (see `nonceOptional`). */
  nonce: string;
  userId: string;
  signature: string;
}

function headerValue(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

export interface AuthenticateOptions {
  /** The system parameters may come in the query (warehouse-logistics endpoints). */
  allowQuery: boolean;
  /** `nonce-str` may be left out, on keys that allow it (the v2 twins; docs/adr/0019). */
  nonceOptional: boolean;
}

/** Reads the system parameters from the headers, or, for routes that allow it, the query. */
function readSystemParameters(req: FastifyRequest, options: AuthenticateOptions): SystemParameters {
  const q = (options.allowQuery ? req.query : {}) as Record<string, unknown>;
  const find = (name: string, ...aliases: string[]): string | undefined => {
    for (const n of [name, ...aliases]) {
      const h = headerValue(req.headers[n]);
      if (h) return h;
      const v = q[n];
      if (typeof v === 'string' && v) return v;
    }
    return undefined;
  };
  const pick = (name: string, ...aliases: string[]): string => {
    const value = find(name, ...aliases);
    if (value === undefined) throw new ApiError(40101, { field: name });
    return value;
  };
  return {
    accessKey: pick('access-key'),
    timestamp: pick('timestamp'),
    nonce: options.nonceOptional ? (find('nonce-str') ?? '') : pick('nonce-str'),
    userId: pick('user-id'),
    signature: pick('signature', 'sign'),
  };
}

/** The path and query as the client signed them; an absolute-form target (`GET http://host/p`) is reduced to them. */
function signedTarget(raw: string): string {
  if (raw.startsWith('/')) return raw;
  try {
    const u = new URL(raw);
    return u.pathname + u.search;
  } catch {
    return raw;
  }
}

function equalHex(a: string, b: string): boolean {
  const x = Buffer.from(a.toUpperCase(), 'latin1');
  const y = Buffer.from(b, 'latin1');
  return x.length === y.length && timingSafeEqual(x, y);
}

function verifySignature(req: FastifyRequest, p: SystemParameters, key: KeyState, deps: AppDeps): boolean {
  const md5 = MD5_SIG.test(p.signature);
  if (md5 && !key.legacyMd5) return false;
  if (!md5 && !HMAC_SIG.test(p.signature)) return false;
  const secrets = [key.secretSealed];
  const now = deps.clock.now();
  if (key.previousSecretSealed && key.previousExpiresAt !== null && key.previousExpiresAt > now) {
    secrets.push(key.previousSecretSealed);
  }
  const url = signedTarget(req.raw.url ?? '');
  const q = url.indexOf('?');
  const canonical = md5
    ? ''
    : canonicalString({
        method: req.method,
        path: q < 0 ? url : url.slice(0, q),
        query: q < 0 ? '' : url.slice(q + 1),
        accessKey: p.accessKey,
        timestamp: p.timestamp,
        nonce: p.nonce,
        userId: p.userId,
        body: req.rawBody,
      });
  let ok = false;
  for (const sealed of secrets) {
    const secret = deps.secrets.open(sealed);
    const expected = md5 ? md5Signature(p.accessKey, p.nonce, p.timestamp, secret) : hmacSignature(secret, canonical);
    ok = equalHex(p.signature, expected) || ok; // check every secret: timing does not tell which matched
  }
  return ok;
}

/** The key as this request sees it: this process's copy, or read from the database during this request. */
interface Candidate {
  key: KeyState;
  /** The sub-account named by `user-id`; undefined when it is not cached and must be read. */
  sub: SubAccountState | null | undefined;
  /** Read from the database during this request (so not to be read again before refusing it). */
  read: boolean;
}

function cachedKey(deps: AppDeps, p: SystemParameters): Candidate | null {
  const key = deps.credentials.cache.key(p.accessKey);
  return key ? { key, sub: deps.credentials.cache.subAccount(key, p.userId), read: false } : null;
}

async function readKey(deps: AppDeps, p: SystemParameters): Promise<Candidate | null> {
  const record = await deps.credentials.lookup(p.accessKey, p.userId);
  if (!record) {
    deps.credentials.cache.forget(p.accessKey);
    return null;
  }
  deps.credentials.cache.remember(record);
  const { subAccount, ...key } = record;
  return { key, sub: subAccount, read: true };
}

function usable(c: Candidate | null): Candidate {
  if (!c?.key.usable) throw new ApiError(40105);
  return c;
}

/**
 * Before refusing a request on a cached key, reads the key again (at most once a second per key; see
 * KeyCache.recheck): another process may have rotated its secret or revoked it since it was cached.
 */
async function recheck(deps: AppDeps, p: SystemParameters, c: Candidate, now: number): Promise<Candidate> {
  if (c.read) return c;
  await deps.credentials.cache.recheck(p.accessKey, now, () => readKey(deps, p));
  return usable(cachedKey(deps, p) ?? (await readKey(deps, p)));
}

/** Reads the key again after its credentials changed; the new record passes the key and signature checks again. */
async function reread(req: FastifyRequest, deps: AppDeps, p: SystemParameters): Promise<Candidate> {
  const c = usable(await readKey(deps, p));
  if (!verifySignature(req, p, c.key, deps)) throw new ApiError(40102);
  return c;
}

/**
 * Records the nonce, on the condition that the developer's credentials are still those the request was
 * verified against; when they changed (a stale copy), reads them again and verifies again.
 */
async function recordNonce(
  req: FastifyRequest,
  deps: AppDeps,
  p: SystemParameters,
  candidate: Candidate,
  expiresAt: number,
  now: number,
): Promise<{ c: Candidate; rate: RateDecision | undefined }> {
  let c = candidate;
  for (let attempt = 0; attempt < 3; attempt++) {
    if (c.sub === undefined) c = await reread(req, deps, p); // the signature is verified: read the sub-account
    // Without a nonce, the signature is what is used once (it covers the timestamp and all the request asks).
    const once = p.nonce === '' ? `~${p.signature.toUpperCase()}` : p.nonce;
    const { outcome, rate } = await deps.credentials.useNonce(c.key, once, expiresAt, now);
    if (outcome === 'recorded') return { c, rate };
    if (outcome === 'replayed') throw new ApiError(40104);
    deps.credentials.cache.forget(p.accessKey);
    c = await reread(req, deps, p);
  }
  throw new Error(`the credentials of developer ${c.key.developId} kept changing during authentication`);
}

/**
 * Verifies a signed request (docs/architecture.md §5) and returns who is calling. Order: system parameters
 * present (40101), key usable (40105), timestamp in the window (40103), signature (40102), nonce
 * unused (40104), user-id one of the developer's active sub-accounts (40301).
 *
 * The key comes from this process's cache when it holds it, so a request with a wrong signature on a
 * known key costs no database work; a refusal on a cached key is confirmed by reading it again (at
 * most once a second per key), and an accepted request records its nonce only if the key's
 * credentials are unchanged since they were read (see KeyCache), so a revoked key, a disabled developer or
 * sub-account, or a rotated secret takes effect at once in every process.
 */
export async function authenticate(
  req: FastifyRequest,
  deps: AppDeps,
  options: AuthenticateOptions,
): Promise<{ auth: AuthContext; rate: RateDecision | undefined }> {
  const p = readSystemParameters(req, options);
  if (p.nonce !== '' && !NONCE.test(p.nonce))
    throw new ApiError(40001, { field: 'nonce-str', reason: { id: 'nonceFormat' } });
  if (!TIMESTAMP.test(p.timestamp)) throw new ApiError(40001, { field: 'timestamp', reason: { id: 'epochMs' } });
  if (p.userId.length > 64) {
    throw new ApiError(40001, { field: 'user-id', reason: { id: 'atMostChars', params: { max: 64 } } });
  }
  let c = usable(p.accessKey.length <= 64 ? (cachedKey(deps, p) ?? (await readKey(deps, p))) : null);
  // Without a nonce a request can only be told from its replay by its signature: the key must allow that.
  if (p.nonce === '' && !c.key.nonceless) {
    const latest = await recheck(deps, p, c, deps.clock.now());
    if (!latest.key.nonceless) throw new ApiError(40101, { field: 'nonce-str' });
    c = latest;
  }

  const now = deps.clock.now();
  const ts = Number(p.timestamp);
  const window = deps.config.signatureWindowMs;
  if (Math.abs(now - ts) > window) {
    await recheck(deps, p, c, now);
    throw new ApiError(40103, { seconds: window / 1000 });
  }
  if (!verifySignature(req, p, c.key, deps)) {
    const latest = await recheck(deps, p, c, now);
    if (latest.key === c.key || !verifySignature(req, p, latest.key, deps)) throw new ApiError(40102);
    c = latest;
  }

  // The nonce is kept until its timestamp leaves the window, after which the timestamp check refuses it.
  const recorded = await recordNonce(req, deps, p, c, ts + window + 1000, now);
  c = recorded.c;
  const sub = c.sub;
  if (!sub?.active) throw new ApiError(40301);
  return {
    auth: { developId: c.key.developId, accessKey: c.key.accessKey, userId: sub.userId, isMainAccount: sub.isMain },
    rate: recorded.rate,
  };
}
