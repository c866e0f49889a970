import {
  type Cipher,
  createCipheriv,
  createDecipheriv,
  createHmac,
  type Decipher,
  hkdfSync,
  timingSafeEqual,
} from 'node:crypto';

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
const CACHE_SIZE = 50_000;

function remember(cache: Map<string, string>, key: string, value: string): void {
  if (cache.size >= CACHE_SIZE) cache.clear();
  cache.set(key, value);
}

interface KindKeys {
  /**
   * AES-256 of the one-block form, as one enciphering and one deciphering stream kept open: ECB treats each block
   * alone, so each `update` of 16 bytes is one block's answer, without a cipher's setup per id.
   */
  blockCipher: Cipher;
  blockDecipher: Decipher;
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
  /**
   * Answers name the same goods and orders again and again, and a cipher's setup costs more than its block: the
   * last ids made and read are remembered (`kind\0id` → opaque id, and back), up to CACHE_SIZE each.
   */
  private readonly made = new Map<string, string>();
  private readonly read = new Map<string, string>();

  constructor(private readonly masterKey: Buffer) {
    if (masterKey.length !== 32) throw new Error('master key must be 32 bytes');
  }

  /** Whether `value` has the shape of an opaque id (it may still be unknown). */
  static looksOpaque(value: string): boolean {
    return OPAQUE.test(value);
  }

  encode(kind: OpaqueKind, id: string): string {
    const key = `${kind}\0${id}`;
    const known = this.made.get(key);
    if (known !== undefined) return known;
    const opaque = this.encrypt(kind, id);
    remember(this.made, key, opaque);
    remember(this.read, `${kind}\0${opaque}`, id);
    return opaque;
  }

  private encrypt(kind: OpaqueKind, id: string): string {
    const k = this.keysOf(kind);
    if (UINT64.test(id) && BigInt(id) <= MAX_UINT64) {
      const block = Buffer.alloc(16);
      block.writeBigUInt64BE(BigInt(id), 0);
      return k.blockCipher.update(block).toString('base64url');
    }
    const plain = Buffer.from(id, 'utf8');
    if (plain.length === 0 || plain.length > MAX_TEXT_BYTES) throw new Error(`cannot make an opaque id of "${id}"`);
    const tag = this.tag(k, kind, plain);
    const cipher = createCipheriv('aes-256-ctr', k.enc, tag);
    return Buffer.concat([tag, cipher.update(plain), cipher.final()]).toString('base64url');
  }

  /** The v1 id of an opaque id of this kind; null when it was not made here for this kind. */
  decode(kind: OpaqueKind, opaque: string): string | null {
    const known = this.read.get(`${kind}\0${opaque}`);
    if (known !== undefined) return known;
    const id = this.decrypt(kind, opaque);
    // Only what decodes is remembered: made-up strings a client sends cannot fill the cache.
    if (id !== null) remember(this.read, `${kind}\0${opaque}`, id);
    return id;
  }

  private decrypt(kind: OpaqueKind, opaque: string): string | null {
    if (!OPAQUE.test(opaque)) return null;
    const raw = Buffer.from(opaque, 'base64url');
    // One text, one id: a string that decodes to the same bytes but is written otherwise is not ours.
    if (raw.toString('base64url') !== opaque) return null;
    const k = this.keysOf(kind);
    if (raw.length === 16) {
      const block = k.blockDecipher.update(raw);
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
      const block = derive('block');
      k = {
        blockCipher: createCipheriv('aes-256-ecb', block, null).setAutoPadding(false),
        blockDecipher: createDecipheriv('aes-256-ecb', block, null).setAutoPadding(false),
        enc: derive('enc'),
        mac: derive('mac'),
      };
      this.keys.set(kind, k);
    }
    return k;
  }
}
