import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkKey, LocalFileStore } from './file-store.js';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'ponte-files-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

describe('LocalFileStore', () => {
  const store = new LocalFileStore(path.join(root, 'files'));

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
});
