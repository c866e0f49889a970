import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';

/** A stored file: its bytes and the media type it was stored with. */
export interface StoredFile {
  bytes: Buffer;
  contentType: string;
}

/**
 * Where uploaded files go (payment vouchers, refund evidence, warehouse photos): a local folder by
 * default, behind this interface so that an S3-compatible store can take its place. Keys are relative
 * paths such as `vouchers/{developId}/{voucherId}.jpg`; the caller chooses them and keeps them.
 */
export interface FileStore {
  /** Writes the file whole or not at all; an existing key is replaced. */
  put(key: string, bytes: Buffer, contentType: string): Promise<void>;
  /** The file, or null when nothing is stored under the key. */
  get(key: string): Promise<StoredFile | null>;
  /** Removes the file; nothing happens when there is none. */
  delete(key: string): Promise<void>;
}

const KEY = /^[A-Za-z0-9_-][A-Za-z0-9._-]*(\/[A-Za-z0-9_-][A-Za-z0-9._-]*)*$/;

/**
 * Refuses keys that could leave the store's folder or name something odd: `..`, absolute paths, empty
 * parts, and the suffixes the local store uses for itself (`.type`, `.tmp`).
 */
export function checkKey(key: string): string {
  const bad = !KEY.test(key) || /\.(type|tmp)$/.test(key) || key.split('/').some((p) => p === '.' || p === '..');
  if (key.length > 512 || bad) {
    throw new Error(`invalid file key: ${JSON.stringify(key)}`);
  }
  return key;
}

/**
 * Files in a folder (`<data dir>/files`). Each file has a sidecar `<file>.type` holding its media type.
 * Writes go to a temporary file that is then renamed over the key, so a reader never sees half a file.
 */
export class LocalFileStore implements FileStore {
  constructor(readonly root: string) {}

  private pathOf(key: string): string {
    return path.join(this.root, ...checkKey(key).split('/'));
  }

  async put(key: string, bytes: Buffer, contentType: string): Promise<void> {
    const file = this.pathOf(key);
    await fs.mkdir(path.dirname(file), { recursive: true });
    // The media type first: a file is only visible once its bytes are renamed into place.
    await writeAtomically(`${file}.type`, Buffer.from(contentType, 'utf8'));
    await writeAtomically(file, bytes);
  }

  async get(key: string): Promise<StoredFile | null> {
    const file = this.pathOf(key);
    try {
      const [bytes, type] = await Promise.all([fs.readFile(file), fs.readFile(`${file}.type`, 'utf8')]);
      return { bytes, contentType: type || 'application/octet-stream' };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
  }

  async delete(key: string): Promise<void> {
    const file = this.pathOf(key);
    await fs.rm(file, { force: true });
    await fs.rm(`${file}.type`, { force: true });
  }
}

async function writeAtomically(file: string, bytes: Buffer): Promise<void> {
  const temp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    await fs.writeFile(temp, bytes, { flag: 'wx' });
    await fs.rename(temp, file);
  } catch (err) {
    await fs.rm(temp, { force: true });
    throw err;
  }
}

/** The store of a deployment: `<dataDir>/files`. */
export function createFileStore(config: { dataDir: string }): FileStore {
  return new LocalFileStore(path.join(config.dataDir, 'files'));
}
