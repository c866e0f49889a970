import { createHash, createHmac, randomUUID as nodeRandomUUID, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * The hashing, randomness and byte handling the SDK signs with, as `#crypto` gives it in Node (and in Deno and
 * Bun): node:crypto and Buffer, native and fast, which the server signs and verifies every request with.
 * `browser.ts` has the same functions on @noble/hashes and Web Crypto; package.json `imports` picks one by
 * condition, and test/crypto-parity.test.ts checks that both give the same bytes.
 */

/** A Buffer over the same memory, without copying. */
function buffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
}

/** The UTF-8 bytes of a text (a lone surrogate becomes U+FFFD). */
export function utf8Encode(text: string): Uint8Array {
  return Buffer.from(text, 'utf8');
}

/** The text of UTF-8 bytes: invalid sequences become U+FFFD, a leading byte order mark is kept. */
export function utf8Decode(bytes: Uint8Array): string {
  return buffer(bytes).toString('utf8');
}

/** SHA-256 of bytes, or of a text's UTF-8, in lower-case hex. */
export function sha256Hex(data: Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex');
}

/** MD5 of a text's UTF-8, in lower-case hex. */
export function md5Hex(text: string): string {
  return createHash('md5').update(text, 'utf8').digest('hex');
}

/** HMAC-SHA256 of a text under a text key (both UTF-8), in lower-case hex. */
export function hmacSha256Hex(key: string, text: string): string {
  return createHmac('sha256', key).update(text, 'utf8').digest('hex');
}

/** HMAC-SHA256 under a key of bytes, of the parts one after the other (texts as UTF-8). */
export function hmacSha256(key: Uint8Array, ...parts: (string | Uint8Array)[]): Uint8Array {
  const mac = createHmac('sha256', key);
  for (const part of parts) mac.update(part);
  return mac.digest();
}

/** Base64 with padding. */
export function base64Encode(bytes: Uint8Array): string {
  return buffer(bytes).toString('base64');
}

/**
 * Bytes from base64 as Buffer reads it: both alphabets, other characters skipped, the first `=` ends the text,
 * a trailing partial byte is dropped.
 */
export function base64Decode(text: string): Uint8Array {
  return Buffer.from(text, 'base64');
}

/** `size` random bytes as unpadded base64url. */
export function randomBase64url(size: number): string {
  return randomBytes(size).toString('base64url');
}

/** A random (version 4) UUID, in lower case with hyphens. */
export function randomUUID(): string {
  return nodeRandomUUID();
}

/** Whether two byte strings are equal; when their lengths match, in a time that does not depend on their content. */
export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}
