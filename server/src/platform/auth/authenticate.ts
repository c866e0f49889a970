import { timingSafeEqual } from 'node:crypto';
import { canonicalString, hmacSignature, md5Signature } from '@ponte/sdk/signing';
import type { FastifyRequest } from 'fastify';
import type { AppDeps } from '../deps.js';
import { ApiError } from '../http/errors.js';
import type { AuthContext, KeyRecord } from './credentials.js';

const NONCE = /^[A-Za-z0-9_-]{8,64}$/;
const TIMESTAMP = /^[0-9]{1,16}$/;
const HMAC_SIG = /^[0-9A-Fa-f]{64}$/;
const MD5_SIG = /^[0-9A-Fa-f]{32}$/;

interface SystemParameters {
  accessKey: string;
  timestamp: string;
  nonce: string;
  userId: string;
  signature: string;
}

function headerValue(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

/** Reads the system parameters from the headers, or, for routes that allow it, the query. */
function readSystemParameters(req: FastifyRequest, allowQuery: boolean): SystemParameters {
  const q = (allowQuery ? req.query : {}) as Record<string, unknown>;
  const pick = (name: string, ...aliases: string[]): string => {
    for (const n of [name, ...aliases]) {
      const h = headerValue(req.headers[n]);
      if (h) return h;
      const v = q[n];
      if (typeof v === 'string' && v) return v;
    }
    throw new ApiError(40101, { field: name });
  };
  return {
    accessKey: pick('access-key'),
    timestamp: pick('timestamp'),
    nonce: pick('nonce-str'),
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

function verifySignature(req: FastifyRequest, p: SystemParameters, key: KeyRecord, deps: AppDeps): boolean {
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

/**
 * Verifies a signed request (ARCHITECTURE §5) and returns who is calling. Order: system parameters
 * present (40101), key usable (40105), timestamp in the window (40103), signature (40102), nonce
 * unused (40104), user-id one of the developer's active sub-accounts (40301).
 */
export async function authenticate(req: FastifyRequest, deps: AppDeps, allowQuery: boolean): Promise<AuthContext> {
  const p = readSystemParameters(req, allowQuery);
  if (!NONCE.test(p.nonce)) throw new ApiError(40001, { field: 'nonce-str', reason: '8 to 64 of [A-Za-z0-9_-]' });
  if (!TIMESTAMP.test(p.timestamp)) throw new ApiError(40001, { field: 'timestamp', reason: 'epoch milliseconds' });
  if (p.userId.length > 64) throw new ApiError(40001, { field: 'user-id', reason: 'at most 64 characters' });
  const key = p.accessKey.length <= 64 ? await deps.credentials.lookup(p.accessKey, p.userId) : null;
  if (!key?.usable) throw new ApiError(40105);

  const now = deps.clock.now();
  const ts = Number(p.timestamp);
  const window = deps.config.signatureWindowMs;
  if (Math.abs(now - ts) > window) throw new ApiError(40103, { seconds: window / 1000 });
  if (!verifySignature(req, p, key, deps)) throw new ApiError(40102);

  // The nonce is kept until its timestamp leaves the window, after which the timestamp check refuses it.
  if (!(await deps.credentials.useNonce(p.accessKey, p.nonce, ts + window + 1000, now))) throw new ApiError(40104);

  const sub = key.subAccount;
  if (!sub?.active) throw new ApiError(40301);
  return { developId: key.developId, accessKey: key.accessKey, userId: sub.userId, isMainAccount: sub.isMain };
}
