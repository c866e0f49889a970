import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Platform } from '../../types.js';

/** Who talks to whom about what: what a chat link's login token names. */
export interface ChatClaims {
  platform: Platform;
  buyerId: string;
  shopId: string;
  sourceType: 'item' | 'order';
  /** The item id, or the marketplace's order id. */
  bizId: string;
  /** Epoch ms of real time. */
  expiresAt: number;
}

/** Why a login token is refused: all of them answer 401, never anything about the token's content. */
export class ChatTokenError extends Error {
  constructor(readonly reason: 'malformed' | 'forged' | 'expired' | 'gone') {
    super(
      reason === 'expired'
        ? 'This chat link has expired: ask for a new one.'
        : reason === 'gone'
          ? 'This chat link names nothing the market still has: ask for a new one.'
          : 'This chat link is not valid.',
    );
    this.name = 'ChatTokenError';
  }
}

/** Longer tokens are refused before any work: a real one is a few hundred characters. */
const MAX_TOKEN_LENGTH = 2048;
/** Binds the MAC to this use of the secret. */
const CONTEXT = 'ponte-sandbox-im-chat.v1.';

interface Payload {
  p: Platform;
  b: string;
  s: string;
  t: 'item' | 'order';
  i: string;
  e: number;
}

function mac(secret: Buffer, payload: string): Buffer {
  return createHmac('sha256', secret).update(CONTEXT).update(payload).digest();
}

/** `<base64url JSON of the claims>.<base64url HMAC-SHA256>`: readable, not forgeable. */
export function signChatToken(secret: Buffer, claims: ChatClaims): string {
  const body: Payload = {
    p: claims.platform,
    b: claims.buyerId,
    s: claims.shopId,
    t: claims.sourceType,
    i: claims.bizId,
    e: claims.expiresAt,
  };
  const payload = Buffer.from(JSON.stringify(body)).toString('base64url');
  return `${payload}.${mac(secret, payload).toString('base64url')}`;
}

/** The claims of a token this secret signed and whose time has not passed; `ChatTokenError` otherwise. */
export function verifyChatToken(secret: Buffer, token: unknown, now: number): ChatClaims {
  if (typeof token !== 'string' || token.length > MAX_TOKEN_LENGTH) throw new ChatTokenError('malformed');
  const [payload, signature, extra] = token.split('.');
  if (!payload || !signature || extra !== undefined) throw new ChatTokenError('malformed');
  const given = Buffer.from(signature, 'base64url');
  const expected = mac(secret, payload);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new ChatTokenError('forged');
  const body = parsePayload(payload);
  if (!body) throw new ChatTokenError('malformed');
  if (body.e <= now) throw new ChatTokenError('expired');
  return { platform: body.p, buyerId: body.b, shopId: body.s, sourceType: body.t, bizId: body.i, expiresAt: body.e };
}

function parsePayload(payload: string): Payload | null {
  let body: unknown;
  try {
    body = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    return null;
  }
  if (typeof body !== 'object' || body === null) return null;
  const b = body as Record<string, unknown>;
  const strings = [b.b, b.s, b.i].every((v) => typeof v === 'string' && v.length > 0);
  const known = (b.p === 'taobao' || b.p === '1688') && (b.t === 'item' || b.t === 'order');
  return strings && known && Number.isSafeInteger(b.e) ? (b as unknown as Payload) : null;
}
