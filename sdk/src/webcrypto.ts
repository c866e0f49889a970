import { utf8Encode } from '#crypto';
import {
  type CanonicalInput,
  canonicalInputOf,
  canonicalQuery,
  md5Signature,
  type SignedRequest,
  type SignOptions,
  systemHeaders,
} from './signing.js';

/**
 * Request signing through Web Crypto (`crypto.subtle`): the same headers as `signRequest`, byte for byte
 * (test/webcrypto.test.ts checks both against the published vectors), with SHA-256 and HMAC-SHA256 computed by the
 * runtime's own implementation, asynchronously. Browsers, Deno, Bun, workers and Node 20 all have `crypto.subtle`.
 * The legacy MD5 method has no Web Crypto form and is computed as `signRequest` does.
 */

/** Bytes in a buffer of their own, as Web Crypto's types ask (never a shared buffer). */
const own = (bytes: Uint8Array): Uint8Array<ArrayBuffer> => new Uint8Array(bytes);

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

function hex(buffer: ArrayBuffer): string {
  const bytes = new Uint8Array(buffer);
  let out = '';
  for (const b of bytes) out += HEX[b];
  return out;
}

// Typed from the global rather than the DOM library, which the SDK's compile does not include.
type Subtle = (typeof globalThis.crypto)['subtle'];
type HmacKey = Awaited<ReturnType<Subtle['importKey']>>;

function subtle(): Subtle {
  const s = globalThis.crypto?.subtle;
  if (!s) throw new Error('Web Crypto (crypto.subtle) is not available here; pages need a secure origin for it');
  return s;
}

/** SHA-256 of the body (or of nothing), in lower-case hex. */
async function bodyHash(body: Uint8Array | string | undefined): Promise<string> {
  const bytes = body === undefined ? new Uint8Array() : typeof body === 'string' ? utf8Encode(body) : body;
  return hex(await subtle().digest('SHA-256', own(bytes)));
}

// One imported HMAC key per secret: importing is the costly part of a Web Crypto HMAC.
const keys = new Map<string, Promise<HmacKey>>();

function hmacKey(secret: string): Promise<HmacKey> {
  let key = keys.get(secret);
  if (!key) {
    key = subtle().importKey('raw', own(utf8Encode(secret)), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
    if (keys.size >= 16) keys.clear();
    keys.set(secret, key);
  }
  return key;
}

/** The canonical string of a request (docs/architecture.md §5), its body hashed by Web Crypto. */
export async function canonicalStringAsync(input: CanonicalInput): Promise<string> {
  return [
    input.method.toUpperCase(),
    input.path,
    canonicalQuery(input.query),
    input.accessKey,
    input.timestamp,
    input.nonce,
    input.userId,
    await bodyHash(input.body),
  ].join('\n');
}

/** The system headers for a request, as `signRequest` gives them, and the canonical string they sign. */
export async function signRequestWebCrypto(options: SignOptions): Promise<SignedRequest> {
  const input = canonicalInputOf(options);
  const canonical = await canonicalStringAsync(input);
  const signature =
    options.signatureMethod === 'md5'
      ? md5Signature(input.accessKey, input.nonce, input.timestamp, options.accessSecret)
      : hex(await subtle().sign('HMAC', await hmacKey(options.accessSecret), own(utf8Encode(canonical)))).toUpperCase();
  return { canonical, headers: systemHeaders(input, signature) };
}
