import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { OPAQUE_KINDS, OpaqueIds } from './opaque-ids.js';

const key = randomBytes(32);
const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const ids = new OpaqueIds(key);

describe('opaque ids', () => {
  it('round-trips every id of every kind, and the same id always gives the same opaque id', () => {
    const id = fc.oneof(
      fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }).map(String),
      fc.string({ minLength: 1, maxLength: 60 }),
      fc.stringMatching(/^[0-9a-f]{32}$/),
    );
    fc.assert(
      fc.property(fc.constantFrom(...OPAQUE_KINDS), id, (kind, v1) => {
        const opaque = ids.encode(kind, v1);
        expect(opaque).toMatch(/^[A-Za-z0-9_-]{22,}$/);
        expect(ids.decode(kind, opaque)).toBe(v1);
        expect(ids.encode(kind, v1)).toBe(opaque);
        expect(new OpaqueIds(Buffer.from(key)).decode(kind, opaque)).toBe(v1);
      }),
      { numRuns: 2000 },
    );
  });

  it('gives numeric ids 22 characters, as PandaPon’s opaque ids have', () => {
    expect(ids.encode('taobao-item', '672991141190')).toHaveLength(22);
    expect(ids.encode('order', '18446744073709551615')).toHaveLength(22);
    // Not a canonical decimal below 2^64: the longer form, which still round-trips exactly.
    for (const v1 of ['007', '18446744073709551616', '1234567890abcdef1234567890abcdef']) {
      const opaque = ids.encode('alibaba-spec', v1);
      expect(opaque.length).toBeGreaterThan(22);
      expect(ids.decode('alibaba-spec', opaque)).toBe(v1);
    }
  });

  it('refuses an opaque id changed anywhere, of another kind, or from another key', () => {
    const other = new OpaqueIds(randomBytes(32));
    fc.assert(
      fc.property(
        fc.constantFrom(...OPAQUE_KINDS),
        fc.oneof(fc.bigInt({ min: 1n, max: 10n ** 19n }).map(String), fc.stringMatching(/^[0-9a-f]{32}$/)),
        fc.nat(),
        fc.nat(63),
        (kind, v1, at, to) => {
          const opaque = ids.encode(kind, v1);
          const i = at % opaque.length;
          const swapped = alphabet[to] === opaque[i] ? alphabet[(to + 1) % 64] : alphabet[to];
          const tampered = opaque.slice(0, i) + swapped + opaque.slice(i + 1);
          expect(ids.decode(kind, tampered)).toBeNull();
          expect(other.decode(kind, opaque)).toBeNull();
          for (const k of OPAQUE_KINDS) if (k !== kind) expect(ids.decode(k, opaque)).toBeNull();
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('refuses what is not an opaque id: v1 ids, PandaPon’s examples, odd lengths and padding', () => {
    for (const value of [
      '672991141190',
      'WUnUC1cILiBjt-Jv3lDdlQ',
      'f6vE-dfY1NV37oG_fz9WSA',
      'abc',
      '',
      'A'.repeat(23),
    ]) {
      expect(ids.decode('taobao-item', value)).toBeNull();
    }
    // The same bytes written another way (the last character's unused bits set) are not an opaque id of ours.
    const opaque = ids.encode('order', '1795432287562383360');
    const sibling = opaque.slice(0, -1) + alphabet[alphabet.indexOf(opaque.at(-1) ?? 'A') ^ 1];
    expect(Buffer.from(sibling, 'base64url').equals(Buffer.from(opaque, 'base64url'))).toBe(true);
    expect(ids.decode('order', sibling)).toBeNull();
  });

  it('gives consecutive ids unrelated opaque ids (nothing to enumerate)', () => {
    const base = 1795432287562383360n;
    const opaques = Array.from({ length: 200 }, (_, i) => ids.encode('order', String(base + BigInt(i))));
    expect(new Set(opaques).size).toBe(200);
    // About half the bits differ between neighbours, as between random strings; no shared prefix beyond chance.
    let differing = 0;
    let prefix = 0;
    for (let i = 1; i < opaques.length; i++) {
      const a = Buffer.from(opaques[i - 1] ?? '', 'base64url');
      const b = Buffer.from(opaques[i] ?? '', 'base64url');
      for (let j = 0; j < 16; j++) differing += popcount((a[j] ?? 0) ^ (b[j] ?? 0));
      let shared = 0;
      while (shared < 22 && opaques[i - 1]?.[shared] === opaques[i]?.[shared]) shared++;
      prefix = Math.max(prefix, shared);
    }
    const mean = differing / (opaques.length - 1);
    expect(mean).toBeGreaterThan(56);
    expect(mean).toBeLessThan(72);
    expect(prefix).toBeLessThan(4);
  });
});

function popcount(n: number): number {
  let c = 0;
  for (let x = n; x; x >>= 1) c += x & 1;
  return c;
}
