import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const PREFIX = 'v1.';

/**
 * Random IVs are taken from a pool filled 4 KiB at a time: one `getrandom` call per 341 seals instead of one
 * each (a sealed reply is written on every idempotent request).
 */
const IV_POOL_BYTES = 4092;
let ivPool = Buffer.alloc(0);
let ivOffset = 0;

function nextIv(): Buffer {
  if (ivOffset + 12 > ivPool.length) {
    ivPool = randomBytes(IV_POOL_BYTES);
    ivOffset = 0;
  }
  const iv = ivPool.subarray(ivOffset, ivOffset + 12);
  ivOffset += 12;
  return iv;
}

/**
 * Encrypts secrets at rest (access secrets must be recoverable to verify HMAC signatures, so they
 * are encrypted, not hashed) and the stored replies of idempotent requests (some carry a secret)
 * with AES-256-GCM under the deployment's master key.
 * Format: `v1.` + base64url(iv[12] | tag[16] | ciphertext).
 */
export class SecretBox {
  private readonly cache = new Map<string, string>();

  constructor(private readonly key: Buffer) {
    if (key.length !== 32) throw new Error('master key must be 32 bytes');
  }

  /** True when `value` is in the sealed format (text stored before it was sealed is not). */
  static isSealed(value: string): boolean {
    return value.startsWith(PREFIX);
  }

  seal(plaintext: string): string {
    const iv = nextIv();
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return `${PREFIX}${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url')}`;
  }

  /** Opens an access secret; remembered, since the same few are opened on every request. */
  open(sealed: string): string {
    const hit = this.cache.get(sealed);
    if (hit !== undefined) return hit;
    const plain = this.openOnce(sealed);
    // The ciphertext is unique per secret, so caching by it never serves a revoked or rotated secret:
    // which sealed secret a key has is decided by its record (see platform/auth/key-cache.ts).
    if (this.cache.size > 10_000) this.cache.clear();
    this.cache.set(sealed, plain);
    return plain;
  }

  /** Opens without remembering the plaintext (stored replies: large, read rarely). */
  openOnce(sealed: string): string {
    if (!SecretBox.isSealed(sealed)) throw new Error('unknown sealed secret format');
    const raw = Buffer.from(sealed.slice(PREFIX.length), 'base64url');
    const decipher = createDecipheriv('aes-256-gcm', this.key, raw.subarray(0, 12));
    decipher.setAuthTag(raw.subarray(12, 28));
    return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
  }
}
