import fc from 'fast-check';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import * as nodeCallbacks from '../src/callbacks.js';
import * as browserCrypto from '../src/crypto/browser.js';
import * as nodeCrypto from '../src/crypto/node.js';
import * as nodeSigning from '../src/signing.js';
import { callbackVectors, signatureVectors } from '../src/vectors.js';

// `#crypto` is node:crypto in Node and @noble/hashes with Web Crypto in browsers (package.json `imports`). Both
// must give the same bytes: the published vectors through the SDK's signing and callback functions loaded on each,
// and the same results on random inputs, function by function.

// Type-checked: the browser implementation has every function of the Node one, with the same types.
const implementations: Record<'node' | 'browser', typeof nodeCrypto> = { node: nodeCrypto, browser: browserCrypto };

let browserSigning: typeof nodeSigning;
let browserCallbacks: typeof nodeCallbacks;

beforeAll(async () => {
  // A second copy of the SDK's modules, importing the browser implementation as `#crypto`.
  vi.resetModules();
  vi.doMock('#crypto', () => import('../src/crypto/browser.js'));
  browserSigning = await import('../src/signing.js');
  browserCallbacks = await import('../src/callbacks.js');
  vi.doUnmock('#crypto');
});

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
/** Any UTF-16 code unit, lone surrogates included. */
const codeUnit = fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c));
const anyText = fc.oneof(fc.string({ unit: 'binary' }), fc.string({ unit: codeUnit }));
const anyBytes = fc.uint8Array({ maxLength: 300 });
const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/-_';
/** Mostly base64, with padding, spaces, other characters and characters whose low byte is a base64 one or `=`. */
const base64ish = fc.string({
  unit: fc.oneof(
    { weight: 8, arbitrary: fc.constantFrom(...BASE64) },
    { weight: 2, arbitrary: fc.constantFrom('=', ' ', '\n', '!', '.', 'é', 'Ł', 'Ľ', 'Ā', '€') },
    { weight: 1, arbitrary: codeUnit },
  ),
  maxLength: 60,
});
const secretArb = fc
  .uint8Array({ minLength: 1, maxLength: 64 })
  .map((k) => `whsec_${Buffer.from(k).toString('base64')}`);

describe('the browser implementation of #crypto', () => {
  it('has the same functions as the Node one', () => {
    expect(Object.keys(browserCrypto).sort()).toEqual(Object.keys(nodeCrypto).sort());
    // The second copy runs on the browser implementation: its keys are plain Uint8Arrays, not Buffers.
    const secret = callbackVectors[0]?.secrets[0] ?? '';
    expect(Buffer.isBuffer(nodeCallbacks.callbackSecretKey(secret))).toBe(true);
    expect(Buffer.isBuffer(browserCallbacks.callbackSecretKey(secret))).toBe(false);
  });

  it('signs the published signature vectors', () => {
    for (const v of signatureVectors) {
      const q = v.url.indexOf('?');
      const input = {
        method: v.method,
        path: q < 0 ? v.url : v.url.slice(0, q),
        query: q < 0 ? '' : v.url.slice(q + 1),
        accessKey: v.accessKey,
        timestamp: v.timestamp,
        nonce: v.nonce,
        userId: v.userId,
        body: v.body ?? undefined,
      };
      const signed = {
        method: v.method,
        url: v.url,
        body: v.body ?? undefined,
        accessKey: v.accessKey,
        accessSecret: v.accessSecret,
        userId: v.userId,
        signatureMethod: v.signatureMethod,
        timestamp: Number(v.timestamp),
        nonce: v.nonce,
      };
      for (const signing of [nodeSigning, browserSigning]) {
        expect(signing.computeSignature(v.signatureMethod, v.accessSecret, input), v.name).toBe(v.signature);
        expect(signing.signRequest(signed).signature, v.name).toBe(v.signature);
        if (v.canonicalString) expect(signing.canonicalString(input), v.name).toBe(v.canonicalString);
      }
    }
  });

  it('signs and verifies the published callback vectors, and refuses them altered', () => {
    for (const v of callbackVectors) {
      for (const callbacks of [nodeCallbacks, browserCallbacks]) {
        const headers = callbacks.callbackHeaders(v.secrets, v.id, v.timestamp, v.body);
        expect(headers['webhook-signature'], v.name).toBe(v.signature);
        const options = { now: () => v.timestamp * 1000 };
        const bytes = new TextEncoder().encode(v.body);
        for (const secret of v.secrets) {
          expect(callbacks.verifyCallback(headers, v.body, secret, options).id).toBe(v.id);
          expect(callbacks.verifyCallback(headers, bytes, secret, options).timestamp).toBe(v.timestamp);
          expect(() => callbacks.verifyCallback(headers, `${v.body} `, secret, options)).toThrow(
            callbacks.CallbackVerificationError,
          );
          expect(hex(callbacks.callbackSecretKey(secret))).toBe(hex(nodeCallbacks.callbackSecretKey(secret)));
        }
      }
    }
  });

  it('hashes and MACs random texts and bytes alike', () => {
    fc.assert(
      fc.property(anyText, anyBytes, anyText, (text, bytes, key) => {
        for (const data of [text, bytes]) expect(browserCrypto.sha256Hex(data)).toBe(nodeCrypto.sha256Hex(data));
        expect(browserCrypto.md5Hex(text)).toBe(nodeCrypto.md5Hex(text));
        expect(browserCrypto.hmacSha256Hex(key, text)).toBe(nodeCrypto.hmacSha256Hex(key, text));
        const keyBytes = nodeCrypto.utf8Encode(key);
        expect(hex(browserCrypto.hmacSha256(keyBytes, text, bytes))).toBe(
          hex(nodeCrypto.hmacSha256(keyBytes, text, bytes)),
        );
        expect(hex(browserCrypto.hmacSha256(bytes))).toBe(hex(nodeCrypto.hmacSha256(bytes)));
      }),
      { numRuns: 300 },
    );
  });

  it('encodes and decodes UTF-8 and base64 alike, malformed input included', () => {
    fc.assert(
      fc.property(anyText, anyBytes, base64ish, (text, bytes, b64) => {
        expect(hex(browserCrypto.utf8Encode(text))).toBe(hex(nodeCrypto.utf8Encode(text)));
        for (const b of [bytes, Uint8Array.of(0xef, 0xbb, 0xbf, ...bytes)]) {
          expect(browserCrypto.utf8Decode(b)).toBe(nodeCrypto.utf8Decode(b));
        }
        expect(browserCrypto.base64Encode(bytes)).toBe(nodeCrypto.base64Encode(bytes));
        expect(hex(browserCrypto.base64Decode(nodeCrypto.base64Encode(bytes)))).toBe(hex(bytes));
        expect(hex(browserCrypto.base64Decode(b64)), JSON.stringify(b64)).toBe(hex(nodeCrypto.base64Decode(b64)));
      }),
      { numRuns: 1000 },
    );
  });

  it('compares bytes alike', () => {
    fc.assert(
      fc.property(anyBytes, anyBytes, fc.nat(), (a, b, i) => {
        const c = Uint8Array.from(a);
        if (c.length > 0) c[i % c.length] = (c[i % c.length] ?? 0) ^ 1;
        for (const [x, y] of [
          [a, b],
          [a, Uint8Array.from(a)],
          [a, c],
        ] as const) {
          expect(browserCrypto.bytesEqual(x, y)).toBe(nodeCrypto.bytesEqual(x, y));
        }
      }),
    );
  });

  it('makes random nonces and UUIDs of the same form', () => {
    for (const { randomBase64url, randomUUID } of Object.values(implementations)) {
      expect(randomBase64url(18)).toMatch(/^[A-Za-z0-9_-]{24}$/);
      expect(randomBase64url(1)).toMatch(/^[A-Za-z0-9_-]{2}$/);
      expect(randomUUID()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    }
    expect(browserSigning.newNonce(1_700_000_000_000)).toMatch(/^[-0-9A-Z_a-z]{32}$/);
    expect(browserSigning.newNonce(1_700_000_000_000).slice(0, 8)).toBe(
      nodeSigning.newNonce(1_700_000_000_000).slice(0, 8),
    );
  });

  it('makes UUIDs from random bytes where crypto.randomUUID is missing (pages not served over https)', () => {
    Object.defineProperty(globalThis.crypto, 'randomUUID', { value: undefined, configurable: true });
    try {
      const ids = new Set(Array.from({ length: 50 }, () => browserCrypto.randomUUID()));
      expect(ids.size).toBe(50);
      for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    } finally {
      delete (globalThis.crypto as { randomUUID?: unknown }).randomUUID;
    }
    expect(globalThis.crypto.randomUUID()).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('signs random requests alike', () => {
    const method = fc.constantFrom('GET', 'POST', 'put', 'DELETE');
    const path = fc.string({ unit: fc.constantFrom(...'/abc%20é~'), maxLength: 20 }).map((p) => `/open/${p}`);
    const query = fc.string({ unit: fc.constantFrom(...'ab=&+%2A1é ', 'access-key=x', 'nonce-str'), maxLength: 30 });
    fc.assert(
      fc.property(
        method,
        path,
        query,
        fc.option(fc.oneof(anyText, anyBytes), { nil: undefined }),
        anyText,
        fc.constantFrom<nodeSigning.SignatureMethod>('hmac-sha256', 'md5'),
        (m, p, q, body, secret, signatureMethod) => {
          const options = {
            method: m,
            url: q ? `${p}?${q}` : p,
            body,
            accessKey: 'AK1',
            accessSecret: secret,
            userId: '1001',
            signatureMethod,
            timestamp: 1_700_000_000_000,
            nonce: 'n0nce',
          };
          expect(browserSigning.signRequest(options)).toEqual(nodeSigning.signRequest(options));
          expect(browserSigning.sha256Hex(body)).toBe(nodeSigning.sha256Hex(body));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('signs and verifies random callbacks alike, each accepting what the other signed', () => {
    fc.assert(
      fc.property(
        fc.array(secretArb, { minLength: 1, maxLength: 2 }),
        fc.string({ minLength: 1, maxLength: 30 }),
        fc.integer({ min: 0, max: 2 ** 32 }),
        fc.oneof(anyText, anyBytes),
        (secrets, id, timestamp, body) => {
          const headers = nodeCallbacks.callbackHeaders(secrets, id, timestamp, body);
          expect(browserCallbacks.callbackHeaders(secrets, id, timestamp, body)).toEqual(headers);
          const options = { now: () => timestamp * 1000 };
          const outcome = (callbacks: typeof nodeCallbacks, h: nodeCallbacks.HeaderSource) => {
            try {
              return callbacks.verifyCallback(h, body, secrets.at(-1) ?? '', options);
            } catch (err) {
              return (err as nodeCallbacks.CallbackVerificationError).reason;
            }
          };
          const tampered = { ...headers, 'webhook-signature': headers['webhook-signature'].replace(/.=?$/, 'x') };
          for (const h of [headers, tampered]) expect(outcome(browserCallbacks, h)).toEqual(outcome(nodeCallbacks, h));
        },
      ),
      { numRuns: 200 },
    );
  });
});
