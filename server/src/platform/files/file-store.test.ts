import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkKey, LocalFileStore, putByContent, UrlSigner } from './file-store.js';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'ponte-files-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

describe('LocalFileStore', () => {
  const store = new LocalFileStore(path.join(root, 'files'), {
    signer: new UrlSigner(randomBytes(32)),
    publicUrl: () => 'https://ponte.example.com',
  });

  it('stores, replaces, reads and deletes a file with its media type', async () => {
    expect(await store.get('vouchers/1/2.jpg')).toBeNull();
    await store.put('vouchers/1/2.jpg', Buffer.from('first'), 'image/jpeg');
    await store.put('vouchers/1/2.jpg', Buffer.from([0xff, 0xd8, 0xff, 0x00]), 'image/png');
    const got = await store.get('vouchers/1/2.jpg');
    expect(got?.contentType).toBe('image/png');
    expect(got?.bytes.equals(Buffer.from([0xff, 0xd8, 0xff, 0x00]))).toBe(true);
    // Nothing left behind from the temporary files.
    expect(fs.readdirSync(path.join(root, 'files', 'vouchers', '1')).sort()).toEqual(['2.jpg', '2.jpg.type']);
    await store.delete('vouchers/1/2.jpg');
    await store.delete('vouchers/1/2.jpg');
    expect(await store.get('vouchers/1/2.jpg')).toBeNull();
  });

  it('refuses keys that leave the folder or clash with its own files', async () => {
    for (const key of ['../x', 'a/../../x', '/etc/passwd', 'a//b', '', 'a/./b', 'a\\b', 'x.jpg.type', 'x.tmp', '.']) {
      expect(() => checkKey(key), key).toThrow(/invalid file key/);
    }
    await expect(store.put('../escape.jpg', Buffer.from('x'), 'image/jpeg')).rejects.toThrow(/invalid file key/);
    await expect(store.get('a/../../b')).rejects.toThrow(/invalid file key/);
    expect(fs.existsSync(path.join(root, 'escape.jpg'))).toBe(false);
    expect(checkKey('refunds/17/evidence-1.webp')).toBe('refunds/17/evidence-1.webp');
  });

  it('answers no file for a key that names a folder or goes through a file', async () => {
    await store.put('dir/7/a.png', Buffer.from('a'), 'image/png');
    expect(await store.get('dir/7')).toBeNull();
    expect(await store.get('dir')).toBeNull();
    expect(await store.get('dir/7/a.png/b')).toBeNull();
  });

  it('names a file by its content: the same bytes twice are one file under one key', async () => {
    const bytes = Buffer.from('a receipt');
    const hex = createHash('sha256').update(bytes).digest('hex');
    const first = await putByContent(store, 'evidence/42', bytes, 'image/png', 'png');
    const second = await putByContent(store, 'evidence/42', bytes, 'image/png', 'png');
    expect(first).toBe(`evidence/42/${hex}.png`);
    expect(second).toBe(first);
    expect(fs.readdirSync(path.join(root, 'files', 'evidence', '42')).sort()).toEqual([
      `${hex}.png`,
      `${hex}.png.type`,
    ]);
    expect((await store.get(first))?.bytes.equals(bytes)).toBe(true);
    await expect(putByContent(store, '../up', bytes, 'image/png', 'png')).rejects.toThrow(/invalid file key/);
  });

  it('signs links to its own /files route, which it alone can verify', () => {
    const expiresAt = Date.parse('2026-01-15T10:00:00.500Z');
    const url = new URL(store.signedUrl('evidence/42/a.png', expiresAt));
    expect(`${url.origin}${url.pathname}`).toBe('https://ponte.example.com/files/evidence/42/a.png');
    const expires = url.searchParams.get('expires') as string;
    const signature = url.searchParams.get('signature') as string;
    expect(expires).toBe(String(Math.floor(expiresAt / 1000)));
    expect(signature).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(store.verifySignedUrl('evidence/42/a.png', expires, signature, expiresAt - 60_000)).toBe(true);
    expect(store.verifySignedUrl('evidence/42/b.png', expires, signature, expiresAt - 60_000)).toBe(false);
    expect(() => store.signedUrl('../a.png', expiresAt)).toThrow(/invalid file key/);
  });
});
