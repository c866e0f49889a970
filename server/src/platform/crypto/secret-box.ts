import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * Encrypts secrets at rest (access secrets must be recoverable to verify HMAC signatures, so they
 * are encrypted, not hashed) with AES-256-GCM under the deployment's master key.
 * Format: `v1.` + base64url(iv[12] | tag[16] | ciphertext).
 */
export class SecretBox {
  private readonly cache = new Map<string, string>();

  constructor(private readonly key: Buffer) {
    if (key.length !== 32) throw new Error('master key must be 32 bytes');
  }

  seal(plaintext: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return `v1.${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url')}`;
  }

  open(sealed: string): string {
    const hit = this.cache.get(sealed);
    if (hit !== undefined) return hit;
    if (!sealed.startsWith('v1.')) throw new Error('unknown sealed secret format');
    const raw = Buffer.from(sealed.slice(3), 'base64url');
    const decipher = createDecipheriv('aes-256-gcm', this.key, raw.subarray(0, 12));
    decipher.setAuthTag(raw.subarray(12, 28));
    const plain = Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
    // The ciphertext is unique per secret, so caching by it never serves a revoked or rotated secret:
    // those are decided by the database row read on every request.
    if (this.cache.size > 10_000) this.cache.clear();
    this.cache.set(sealed, plain);
    return plain;
  }
}
