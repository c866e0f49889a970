import { describe, expect, it } from 'vitest';
import {
  canonicalQuery,
  canonicalString,
  computeSignature,
  type SignatureMethod,
  SYSTEM_PARAMETERS,
  signRequest,
} from '../src/signing.js';
import { type SignatureVector, signatureVectors } from '../src/vectors.js';

const vectors = signatureVectors;
const hmacVectors = vectors.filter((v) => v.signatureMethod === 'hmac-sha256');
const md5Vectors = vectors.filter((v) => v.signatureMethod === 'md5');

interface Inputs {
  method: Buffer;
  path: Buffer;
  query: Buffer;
  body: Buffer;
  accessKey: Buffer;
  accessSecret: Buffer;
  timestamp: Buffer;
  nonce: Buffer;
  userId: Buffer;
}
type Field = keyof Inputs;
const FIELDS: Field[] = [
  'method',
  'path',
  'query',
  'body',
  'accessKey',
  'accessSecret',
  'timestamp',
  'nonce',
  'userId',
];

function inputsOf(v: SignatureVector): Inputs {
  const q = v.url.indexOf('?');
  return {
    method: Buffer.from(v.method),
    path: Buffer.from(q < 0 ? v.url : v.url.slice(0, q)),
    query: Buffer.from(q < 0 ? '' : v.url.slice(q + 1)),
    body: Buffer.from(v.body ?? '', 'utf8'),
    accessKey: Buffer.from(v.accessKey),
    accessSecret: Buffer.from(v.accessSecret, 'utf8'),
    timestamp: Buffer.from(v.timestamp),
    nonce: Buffer.from(v.nonce),
    userId: Buffer.from(v.userId),
  };
}

function sign(method: SignatureMethod, i: Inputs): string {
  return computeSignature(method, i.accessSecret.toString('utf8'), {
    method: i.method.toString('latin1'),
    path: i.path.toString('latin1'),
    query: i.query.toString('latin1'),
    accessKey: i.accessKey.toString('latin1'),
    timestamp: i.timestamp.toString('latin1'),
    nonce: i.nonce.toString('latin1'),
    userId: i.userId.toString('latin1'),
    body: i.body,
  });
}

/** One byte replaced by a different ASCII letter (never a hex digit, so no escape can stay equivalent). */
function withByteChanged(bytes: Buffer, index: number): Buffer {
  const copy = Buffer.from(bytes);
  copy[index] = copy[index] === 0x78 ? 0x79 : 0x78; // 'x', or 'y' for an 'x'
  return copy;
}

/** Byte ranges of the raw query taken by system-parameter segments, each with the '&' that ends it. */
function systemSegments(query: string): [number, number][] {
  const ranges: [number, number][] = [];
  let start = 0;
  for (const segment of query.split('&')) {
    const eq = segment.indexOf('=');
    const name = eq < 0 ? segment : segment.slice(0, eq);
    if ((SYSTEM_PARAMETERS as readonly string[]).includes(decodeURIComponent(name))) {
      ranges.push([start, start + segment.length + 1]);
    }
    start += segment.length + 1;
  }
  return ranges;
}

describe('published signature vectors', () => {
  it('cover both methods and every rule the specification lists', () => {
    expect(vectors.length).toBeGreaterThanOrEqual(14);
    expect(md5Vectors.length).toBeGreaterThanOrEqual(2);
    expect(new Set(vectors.map((v) => v.name)).size).toBe(vectors.length);
    for (const v of vectors) {
      expect(v.url.startsWith('/vector/')).toBe(true);
      expect(v.signature).toMatch(v.signatureMethod === 'md5' ? /^[0-9A-F]{32}$/ : /^[0-9A-F]{64}$/);
    }
  });

  describe.each(vectors.map((v) => [v.name, v] as const))('%s', (_name, v) => {
    const q = v.url.indexOf('?');

    it('has the published canonical query', () => {
      expect(canonicalQuery(q < 0 ? '' : v.url.slice(q + 1))).toBe(v.canonicalQuery);
    });

    it(v.signatureMethod === 'md5' ? 'has the published MD5 text' : 'has the published canonical string', () => {
      if (v.signatureMethod === 'md5') {
        expect(v.canonicalString).toBeUndefined();
        const text = `access-key=${v.accessKey}&nonce-str=${v.nonce}&timestamp=${v.timestamp}&secret=${v.accessSecret}`;
        expect(v.md5Text).toBe(text);
        return;
      }
      const canonical = canonicalString({
        method: v.method,
        path: q < 0 ? v.url : v.url.slice(0, q),
        query: q < 0 ? '' : v.url.slice(q + 1),
        accessKey: v.accessKey,
        timestamp: v.timestamp,
        nonce: v.nonce,
        userId: v.userId,
        body: v.body ?? undefined,
      });
      expect(canonical).toBe(v.canonicalString);
      expect(canonical.split('\n')[2]).toBe(v.canonicalQuery);
    });

    it('has the published signature, from signRequest as from the canonical parts', () => {
      const headers = signRequest({
        method: v.method,
        url: v.url,
        body: v.body ?? undefined,
        accessKey: v.accessKey,
        accessSecret: v.accessSecret,
        userId: v.userId,
        signatureMethod: v.signatureMethod,
        timestamp: Number(v.timestamp),
        nonce: v.nonce,
      });
      expect(headers).toEqual({
        'access-key': v.accessKey,
        timestamp: v.timestamp,
        'nonce-str': v.nonce,
        'user-id': v.userId,
        signature: v.signature,
      });
      expect(sign(v.signatureMethod, inputsOf(v))).toBe(v.signature);
    });
  });
});

describe('one changed byte', () => {
  it.each(hmacVectors.map((v) => [v.name, v] as const))('changes the HMAC signature of %s', (_name, v) => {
    const inputs = inputsOf(v);
    const systemRanges = systemSegments(inputs.query.toString('latin1'));
    let checked = 0;
    for (const field of FIELDS) {
      const bytes = inputs[field];
      for (let i = 0; i < bytes.length; i++) {
        const mutated = withByteChanged(bytes, i);
        const changed = sign(v.signatureMethod, { ...inputs, [field]: mutated });
        checked++;
        // Only the values of system parameters sent in the query are outside the canonical query.
        const outside = field === 'query' && canonicalQuery(mutated.toString('latin1')) === v.canonicalQuery;
        if (!outside) {
          expect(changed, `${field}[${i}]`).not.toBe(v.signature);
          continue;
        }
        expect(changed, `${field}[${i}]`).toBe(v.signature);
        expect(
          systemRanges.some(([from, to]) => i >= from && i < to),
          `query[${i}] is in a system parameter`,
        ).toBe(true);
      }
    }
    expect(checked).toBeGreaterThan(50);
  });

  it.each(md5Vectors.map((v) => [v.name, v] as const))(
    'changes the MD5 signature of %s only in signed fields',
    (_n, v) => {
      const inputs = inputsOf(v);
      const signed = new Set<Field>(['accessKey', 'accessSecret', 'timestamp', 'nonce']);
      for (const field of FIELDS) {
        const bytes = inputs[field];
        for (let i = 0; i < bytes.length; i++) {
          const changed = sign('md5', { ...inputs, [field]: withByteChanged(bytes, i) });
          if (signed.has(field)) expect(changed, `${field}[${i}]`).not.toBe(v.signature);
          else expect(changed, `${field}[${i}]`).toBe(v.signature);
        }
      }
    },
  );

  it('of a system parameter value sent in the query leaves the canonical query alone', () => {
    const v = hmacVectors.find((x) => x.name === 'query-system-parameters-left-out') as SignatureVector;
    const query = inputsOf(v).query;
    const segments = systemSegments(query.toString('latin1'));
    expect(segments.length).toBe(SYSTEM_PARAMETERS.length);
    for (const [from, to] of segments) {
      const valueStart = query.indexOf('=', from) + 1;
      for (let i = valueStart; i < to - 1; i++) {
        expect(canonicalQuery(withByteChanged(query, i).toString('latin1'))).toBe(v.canonicalQuery);
      }
    }
  });
});

describe('newNonce', () => {
  it('is 32 characters of [A-Za-z0-9_-] and grows with time', async () => {
    const { newNonce } = await import('../src/signing.js');
    const seen = new Set<string>();
    let previous = '';
    for (let i = 0; i < 2000; i++) {
      const nonce = newNonce(1_795_000_000_000 + i * 7);
      expect(nonce).toMatch(/^[A-Za-z0-9_-]{32}$/);
      expect(nonce.slice(0, 8) > previous.slice(0, 8)).toBe(true);
      previous = nonce;
      seen.add(nonce);
    }
    expect(seen.size).toBe(2000);
    expect(newNonce(0).slice(0, 8)).toBe('--------');
  });
});
