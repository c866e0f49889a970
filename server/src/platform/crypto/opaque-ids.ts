import { createCipheriv, createDecipheriv, createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';

/**
 * The kinds of ids the v2 API exchanges as opaque strings (docs/adr/0019). Each kind has keys of its own: the
 * opaque id of an order is not the opaque id of any item, and an opaque id given where another kind is expected
 * is unknown.
 */
export const OPAQUE_KINDS = [
  'taobao-item',
  'taobao-sku',
  'taobao-mp',
  'taobao-mp-sku',
  'alibaba-offer',
  'alibaba-sku',
  'alibaba-spec',
  'order',
  'order-part',
  'order-line',
] as const;
export type OpaqueKind = (typeof OPAQUE_KINDS)[number];

/** What an opaque id looks like: URL-safe base64 of 16 bytes (22 characters) or more. */
export const OPAQUE_PATTERN = '^[A-Za-z0-9_-]{22,300}$';
const OPAQUE = new RegExp(OPAQUE_PATTERN);

/** A decimal without leading zeros below 2^64: the ids that fit one block. */
const UINT64 = /^(?:0|[1-9][0-9]{0,19})$/;
const MAX_UINT64 = (1n << 64n) - 1n;
const MAX_TEXT_BYTES = 200;
const TAG_BYTES = 16;

interface KindKeys {
  /** AES-256 for the one-block form. */
  block: Buffer;
  /** AES-256-CTR and HMAC-SHA256 keys of the SIV form. */
  enc: Buffer;
  mac: Buffer;
}

/**
 * Deterministic authenticated encryption of v1 ids under keys derived from the deployment's master key, so
 * that the same id has the same opaque id in every process and after every restart, and a client can neither
 * read, guess nor alter one (see docs/adr/0019 for the construction):
 *
 * - an id of decimal digits below 2^64 (every id of goods, offers and orders) is one AES-256 block: the id's
 *   8 bytes followed by 8 zero bytes, enciphered (encode-then-encipher: a changed or foreign block deciphers to
 *   16 random bytes, whose last 8 are all zero with probability 2^-64). 22 characters, as PandaPon's look;
 * - any other id (text) is SIV: a 16-byte HMAC-SHA256 tag of the id, which is also the IV of AES-256-CTR over
 *   it; the tag is checked after deciphering.
 *
 * Node's crypto has AES and HMAC but no deterministic AEAD mode (AES-SIV, AES-GCM-SIV), hence these few lines.
 */
export class OpaqueIds {
  private readonly keys = new Map<OpaqueKind, KindKeys>();

  constructor(private readonly masterKey: Buffer) {
    if (masterKey.length !== 32) throw new Error('master key must be 32 bytes');
  }

  /** Whether `value` has the shape of an opaque id (it may still be unknown). */
  static looksOpaque(value: string): boolean {
    return OPAQUE.test(value);
  }

  encode(kind: OpaqueKind, id: string): string {
    const k = this.keysOf(kind);
    if (UINT64.test(id) && BigInt(id) <= MAX_UINT64) {
      const block = Buffer.alloc(16);
      block.writeBigUInt64BE(BigInt(id), 0);
      const cipher = createCipheriv('aes-256-ecb', k.block, null).setAutoPadding(false);
      return Buffer.concat([cipher.update(block), cipher.final()]).toString('base64url');
    }
    const plain = Buffer.from(id, 'utf8');
    if (plain.length === 0 || plain.length > MAX_TEXT_BYTES) throw new Error(`cannot make an opaque id of "${id}"`);
    const tag = this.tag(k, kind, plain);
    const cipher = createCipheriv('aes-256-ctr', k.enc, tag);
    return Buffer.concat([tag, cipher.update(plain), cipher.final()]).toString('base64url');
  }

  /** The v1 id of an opaque id of this kind; null when it was not made here for this kind. */
  decode(kind: OpaqueKind, opaque: string): string | null {
    if (!OPAQUE.test(opaque)) return null;
    const raw = Buffer.from(opaque, 'base64url');
    // One text, one id: a string that decodes to the same bytes but is written otherwise is not ours.
    if (raw.toString('base64url') !== opaque) return null;
    const k = this.keysOf(kind);
    if (raw.length === 16) {
      const decipher = createDecipheriv('aes-256-ecb', k.block, null).setAutoPadding(false);
      const block = Buffer.concat([decipher.update(raw), decipher.final()]);
      if (block.readBigUInt64BE(8) !== 0n) return null;
      return block.readBigUInt64BE(0).toString();
    }
    if (raw.length <= TAG_BYTES || raw.length > TAG_BYTES + MAX_TEXT_BYTES) return null;
    const tag = raw.subarray(0, TAG_BYTES);
    const decipher = createDecipheriv('aes-256-ctr', k.enc, tag);
    const plain = Buffer.concat([decipher.update(raw.subarray(TAG_BYTES)), decipher.final()]);
    if (!timingSafeEqual(tag, this.tag(k, kind, plain))) return null;
    const id = plain.toString('utf8');
    // A text id never has the one-block form's shape, and its bytes are UTF-8 (both hold for what encode wrote).
    if (UINT64.test(id) && BigInt(id) <= MAX_UINT64) return null;
    return Buffer.from(id, 'utf8').equals(plain) ? id : null;
  }

  private tag(k: KindKeys, kind: OpaqueKind, plain: Buffer): Buffer {
    return createHmac('sha256', k.mac).update(kind).update('\0').update(plain).digest().subarray(0, TAG_BYTES);
  }

  private keysOf(kind: OpaqueKind): KindKeys {
    let k = this.keys.get(kind);
    if (!k) {
      const derive = (use: string) =>
        Buffer.from(hkdfSync('sha256', this.masterKey, 'ponte opaque ids', `${kind}/${use}`, 32));
      k = { block: derive('block'), enc: derive('enc'), mac: derive('mac') };
      this.keys.set(kind, k);
    }
    return k;
  }
}
