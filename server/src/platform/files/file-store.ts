import { createHash, createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';
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
 * paths such as `evidence/{developId}/{sha256}.jpg`; the caller chooses them and keeps them.
 */
export interface FileStore {
  /** Writes the file whole or not at all; an existing key is replaced. */
  put(key: string, bytes: Buffer, contentType: string): Promise<void>;
  /** The file, or null when nothing is stored under the key. */
  get(key: string): Promise<StoredFile | null>;
  /** Removes the file; nothing happens when there is none. */
  delete(key: string): Promise<void>;
  /**
   * A URL that fetches the file without any other credential until `expiresAt` (epoch ms), and not after.
   * Whoever holds it can read the file, so it is handed only to the file's owner. An S3-compatible store
   * answers its own presigned URL.
   */
  signedUrl(key: string, expiresAt: number): string;
  /**
   * Whether a URL made by `signedUrl` is genuine and still valid, from its parts: the key, the `expires`
   * and `signature` query parameters, and the time now (epoch ms). Only stores whose URLs this server
   * answers itself (`GET /files/...`) have it; a store that presigns URLs for another server leaves it out.
   */
  verifySignedUrl?(key: string, expires: string, signature: string, now: number): boolean;
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

/** True when `checkKey` accepts the key (for input that may be anything, such as a URL's path). */
function isValidKey(key: string): boolean {
  try {
    checkKey(key);
    return true;
  } catch {
    return false;
  }
}

/** The path under which a server answers the files of a store's signed URLs (see `platform/files/serve.ts`). */
export const FILES_PATH = '/files/';

// Its own label: the master key also encrypts secrets, and a key derived for one use says nothing of the other.
const SIGNING_LABEL = 'ponte file url signing v1';

const EXPIRES = /^[1-9][0-9]{0,11}$/;
const SIGNATURE = /^[A-Za-z0-9_-]{43}$/;

/**
 * Signs and checks the time-limited URLs of stored files: the signature is the base64url HMAC-SHA256 of
 * `{key}\n{expires}` (expires in epoch seconds) under a key derived from the master key with HKDF-SHA256.
 * The URL carries no secret and no owner: holding it is what allows reading the file, until it expires.
 */
export class UrlSigner {
  private readonly key: Buffer;

  constructor(masterKey: Buffer) {
    if (masterKey.length < 32) throw new Error('the master key must be at least 32 bytes');
    this.key = Buffer.from(hkdfSync('sha256', masterKey, Buffer.alloc(0), SIGNING_LABEL, 32));
  }

  private mac(key: string, expires: string): Buffer {
    return createHmac('sha256', this.key).update(`${key}\n${expires}`).digest();
  }

  /** The `expires` (epoch seconds) and `signature` query parameters of a URL to `key`, valid until `expiresAt` (epoch ms). */
  sign(key: string, expiresAt: number): { expires: string; signature: string } {
    checkKey(key);
    if (!Number.isFinite(expiresAt) || expiresAt < 1000) throw new Error(`invalid expiry: ${expiresAt}`);
    const expires = String(Math.floor(expiresAt / 1000));
    return { expires, signature: this.mac(key, expires).toString('base64url') };
  }

  /** Whether `signature` is the one of `key` and `expires`, and `expires` is still ahead of `now` (epoch ms). */
  verify(key: string, expires: string, signature: string, now: number): boolean {
    if (!isValidKey(key) || !EXPIRES.test(expires) || !SIGNATURE.test(signature)) return false;
    const given = Buffer.from(signature, 'base64url');
    const expected = this.mac(key, expires);
    // Compared in constant time whatever the expiry, so that the answer's timing tells nothing of the signature.
    const genuine = given.length === expected.length && timingSafeEqual(given, expected);
    return genuine && Number(expires) * 1000 > now;
  }
}

/** How the local store makes its URLs: the signer, and the server's base URL at the time (it may change once it listens). */
export interface LocalLinks {
  signer: UrlSigner;
  publicUrl: () => string;
}

/**
 * Files in a folder (`<data dir>/files`). Each file has a sidecar `<file>.type` holding its media type.
 * Writes go to a temporary file that is then renamed over the key, so a reader never sees half a file.
 * Its signed URLs point at this server's `GET /files/{key}`.
 */
export class LocalFileStore implements FileStore {
  constructor(
    readonly root: string,
    private readonly links: LocalLinks,
  ) {}

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
      // A key that names a folder, or goes through a file, holds no file either: a folder is never listed.
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'EISDIR' || code === 'ENOTDIR') return null;
      throw err;
    }
  }

  async delete(key: string): Promise<void> {
    const file = this.pathOf(key);
    await fs.rm(file, { force: true });
    await fs.rm(`${file}.type`, { force: true });
  }

  signedUrl(key: string, expiresAt: number): string {
    const { expires, signature } = this.links.signer.sign(key, expiresAt);
    return `${this.links.publicUrl()}${FILES_PATH}${key}?expires=${expires}&signature=${signature}`;
  }

  verifySignedUrl(key: string, expires: string, signature: string, now: number): boolean {
    return this.links.signer.verify(key, expires, signature, now);
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

/**
 * Stores `bytes` under a name made of their SHA-256 (`{prefix}/{hex}.{ext}`) and answers that key. The same
 * bytes always get the same key, so storing them again replaces the file with itself and nothing is duplicated.
 */
export async function putByContent(
  store: FileStore,
  prefix: string,
  bytes: Buffer,
  contentType: string,
  ext: string,
): Promise<string> {
  const key = checkKey(`${prefix}/${createHash('sha256').update(bytes).digest('hex')}.${ext}`);
  await store.put(key, bytes, contentType);
  return key;
}

/**
 * The store of a deployment: `<dataDir>/files`, its URLs signed under a key derived from the master key and
 * rooted at the server's public URL (read when a URL is made: it is known only once the server listens).
 */
export function createFileStore(
  config: { dataDir: string },
  links: { masterKey: Buffer; publicUrl: () => string },
): FileStore {
  return new LocalFileStore(path.join(config.dataDir, 'files'), {
    signer: new UrlSigner(links.masterKey),
    publicUrl: links.publicUrl,
  });
}
