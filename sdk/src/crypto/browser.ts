import { hmac } from '@noble/hashes/hmac.js';
import { md5 } from '@noble/hashes/legacy.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';

/**
 * The hashing, randomness and byte handling the SDK signs with, as `#crypto` gives it in browsers and any runtime
 * without node:crypto: synchronous hashes from @noble/hashes (audited, dependency-free), random bytes from Web
 * Crypto. The same functions as `node.ts`, with the same results byte for byte (test/crypto-parity.test.ts).
 */

const encoder = new TextEncoder();
// ignoreBOM keeps a leading byte order mark in the text, as Buffer does.
const decoder = new TextDecoder('utf-8', { ignoreBOM: true });

/** The UTF-8 bytes of a text (a lone surrogate becomes U+FFFD). */
export function utf8Encode(text: string): Uint8Array {
  return encoder.encode(text);
}

/** The text of UTF-8 bytes: invalid sequences become U+FFFD, a leading byte order mark is kept. */
export function utf8Decode(bytes: Uint8Array): string {
  return decoder.decode(bytes);
}

function bytes(data: Uint8Array | string): Uint8Array {
  return typeof data === 'string' ? encoder.encode(data) : data;
}

/** SHA-256 of bytes, or of a text's UTF-8, in lower-case hex. */
export function sha256Hex(data: Uint8Array | string): string {
  return bytesToHex(sha256(bytes(data)));
}

/** MD5 of a text's UTF-8, in lower-case hex. */
export function md5Hex(text: string): string {
  return bytesToHex(md5(encoder.encode(text)));
}

/** HMAC-SHA256 of a text under a text key (both UTF-8), in lower-case hex. */
export function hmacSha256Hex(key: string, text: string): string {
  return bytesToHex(hmac(sha256, encoder.encode(key), encoder.encode(text)));
}

/** HMAC-SHA256 under a key of bytes, of the parts one after the other (texts as UTF-8). */
export function hmacSha256(key: Uint8Array, ...parts: (string | Uint8Array)[]): Uint8Array {
  const mac = hmac.create(sha256, key);
  for (const part of parts) mac.update(bytes(part));
  return mac.digest();
}

const STANDARD = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const URL_SAFE = `${STANDARD.slice(0, 62)}-_`;
/** The value of each character code in either alphabet, -1 for the others. */
const DIGITS = new Int8Array(256).fill(-1);
for (let i = 0; i < 64; i++) {
  DIGITS[STANDARD.charCodeAt(i)] = i;
  DIGITS[URL_SAFE.charCodeAt(i)] = i;
}

function encode(data: Uint8Array, alphabet: string, pad: boolean): string {
  const digit = (n: number) => alphabet.charAt(n & 63);
  let out = '';
  let i = 0;
  for (; i + 2 < data.length; i += 3) {
    const n = ((data[i] ?? 0) << 16) | ((data[i + 1] ?? 0) << 8) | (data[i + 2] ?? 0);
    out += digit(n >> 18) + digit(n >> 12) + digit(n >> 6) + digit(n);
  }
  const left = data.length - i;
  if (left > 0) {
    const n = ((data[i] ?? 0) << 16) | (left === 2 ? (data[i + 1] ?? 0) << 8 : 0);
    out += digit(n >> 18) + digit(n >> 12);
    if (left === 2) out += digit(n >> 6);
    if (pad) out += left === 2 ? '=' : '==';
  }
  return out;
}

/** Base64 with padding. */
export function base64Encode(data: Uint8Array): string {
  return encode(data, STANDARD, true);
}

/**
 * Bytes from base64 as Buffer reads it: both alphabets, other characters skipped, the first `=` ends the text,
 * a trailing partial byte is dropped. Like Buffer, it reads a character by its low 8 bits and makes no more bytes
 * than the text's length allows for (less one for each of up to two trailing `=`).
 */
export function base64Decode(text: string): Uint8Array {
  let n = text.length;
  if (n < 2) return new Uint8Array(0);
  if (text.charCodeAt(n - 1) === 61) {
    n--;
    if (text.charCodeAt(n - 1) === 61) n--;
  }
  const rest = n % 4;
  const room = Math.floor(n / 4) * 3 + (rest === 0 || n === 1 ? 0 : rest === 3 ? 2 : 1);
  const out = new Uint8Array(room);
  let length = 0;
  let bits = 0;
  let value = 0;
  for (let i = 0; i < text.length && length < room; i++) {
    const code = text.charCodeAt(i) & 0xff;
    if (code === 61) break;
    const digit = DIGITS[code] ?? -1;
    if (digit < 0) continue;
    value = ((value << 6) | digit) & 0xfff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[length++] = (value >> bits) & 0xff;
    }
  }
  return out.subarray(0, length);
}

/** `size` random bytes as unpadded base64url. */
export function randomBase64url(size: number): string {
  return encode(globalThis.crypto.getRandomValues(new Uint8Array(size)), URL_SAFE, false);
}

/** A random (version 4) UUID, in lower case with hyphens. */
export function randomUUID(): string {
  // crypto.randomUUID exists only in secure contexts (https, localhost); getRandomValues everywhere.
  if (typeof globalThis.crypto.randomUUID === 'function') return globalThis.crypto.randomUUID();
  const b = globalThis.crypto.getRandomValues(new Uint8Array(16));
  b[6] = ((b[6] ?? 0) & 0x0f) | 0x40;
  b[8] = ((b[8] ?? 0) & 0x3f) | 0x80;
  const hex = bytesToHex(b);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Whether two byte strings are equal; when their lengths match, in a time that does not depend on their content. */
export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= (a[i] ?? 0) ^ (b[i] ?? 0);
  return diff === 0;
}
