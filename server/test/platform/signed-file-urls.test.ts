import { createHmac, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createFileStore, UrlSigner } from '../../src/platform/files/file-store.js';

/**
 * The links to stored files: an HMAC of the key and the expiry under a key derived from the master key.
 * They must be accepted until they expire and refused once anything in them changes.
 */
const masterKey = randomBytes(32);
const signer = new UrlSigner(masterKey);
const KEY = 'evidence/912178041482870784/9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08.jpg';
const NOW = Date.parse('2026-01-15T10:00:00Z');

describe('signed file URLs', () => {
  it('verify what they signed, until the expiry and not from then on', () => {
    const { expires, signature } = signer.sign(KEY, NOW + 3_600_000);
    expect(expires).toBe(String(NOW / 1000 + 3600));
    expect(signer.verify(KEY, expires, signature, NOW)).toBe(true);
    expect(signer.verify(KEY, expires, signature, NOW + 3_599_999)).toBe(true);
    expect(signer.verify(KEY, expires, signature, NOW + 3_600_000)).toBe(false);
    expect(signer.verify(KEY, expires, signature, NOW + 86_400_000)).toBe(false);
  });

  it('an expiry is whole seconds, rounded down, so a link never outlives the time asked for', () => {
    const { expires } = signer.sign(KEY, NOW + 1999);
    expect(expires).toBe(String(NOW / 1000 + 1));
    expect(() => signer.sign(KEY, Number.NaN)).toThrow(/invalid expiry/);
    expect(() => signer.sign(KEY, 0)).toThrow(/invalid expiry/);
  });

  it('refuse a link whose key, expiry or signature was changed', () => {
    const { expires, signature } = signer.sign(KEY, NOW + 60_000);
    const later = String(Number(expires) + 86_400);
    expect(signer.verify(KEY, later, signature, NOW)).toBe(false);
    expect(signer.verify(KEY.replace('912178041482870784', '912178041482870785'), expires, signature, NOW)).toBe(false);
    expect(signer.verify(KEY.replace('.jpg', '.png'), expires, signature, NOW)).toBe(false);
    const flipped = `${signature.slice(0, 10)}${signature[10] === 'A' ? 'B' : 'A'}${signature.slice(11)}`;
    expect(signer.verify(KEY, expires, flipped, NOW)).toBe(false);
    for (const bad of ['', 'x', `${signature}A`, signature.slice(1), `${signature.slice(0, 42)}=`, '!'.repeat(43)]) {
      expect(signer.verify(KEY, expires, bad, NOW), bad).toBe(false);
    }
    for (const bad of ['', '0', `0${expires}`, `${expires}.0`, `-${expires}`, '1e12', ' 1', '9'.repeat(13)]) {
      expect(signer.verify(KEY, bad, signature, NOW), bad).toBe(false);
    }
  });

  it('are bound to the master key, through a key of their own rather than the master key itself', () => {
    const { expires, signature } = signer.sign(KEY, NOW + 60_000);
    expect(new UrlSigner(randomBytes(32)).verify(KEY, expires, signature, NOW)).toBe(false);
    expect(new UrlSigner(Buffer.from(masterKey)).verify(KEY, expires, signature, NOW)).toBe(true);
    const underMaster = createHmac('sha256', masterKey).update(`${KEY}\n${expires}`).digest('base64url');
    expect(underMaster).not.toBe(signature);
    expect(signer.verify(KEY, expires, underMaster, NOW)).toBe(false);
  });

  it('check the key: none that could leave the store is signed or accepted', () => {
    for (const key of ['../master.key', 'evidence/1/../../master.key', '/etc/passwd', 'a//b', '', 'x.jpg.type']) {
      expect(() => signer.sign(key, NOW + 60_000), key).toThrow(/invalid file key/);
      // Even with a signature made for it by hand, such a key is refused.
      const forged = createHmac('sha256', masterKey).update(`${key}\n1800000000`).digest('base64url');
      expect(signer.verify(key, '1800000000', forged, NOW), key).toBe(false);
    }
  });

  it('a deployment’s store puts the public URL of the moment in its links', () => {
    let base = 'http://localhost:3000';
    const store = createFileStore({ dataDir: '/nonexistent' }, { masterKey, publicUrl: () => base });
    expect(store.signedUrl(KEY, NOW + 60_000)).toMatch(
      new RegExp(`^http://localhost:3000/files/${KEY}\\?expires=${NOW / 1000 + 60}&signature=[A-Za-z0-9_-]{43}$`),
    );
    base = 'https://ponte.example.com';
    const url = new URL(store.signedUrl(KEY, NOW + 60_000));
    expect(url.origin).toBe('https://ponte.example.com');
    const ok = store.verifySignedUrl?.(
      KEY,
      url.searchParams.get('expires') as string,
      url.searchParams.get('signature') as string,
      NOW,
    );
    expect(ok).toBe(true);
  });
});
