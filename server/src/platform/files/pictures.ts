import sharp from 'sharp';
import { ApiError, invalidParameter } from '../http/errors.js';

export type PictureFormat = 'jpeg' | 'png' | 'webp' | 'gif' | 'bmp';

/** What a picture is, from its first bytes (the content, not a name or a declared type). */
export function sniffPicture(bytes: Buffer): PictureFormat | null {
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  if (bytes.length >= 8 && bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) {
    return 'png';
  }
  if (bytes.length >= 12 && bytes.toString('latin1', 0, 4) === 'RIFF' && bytes.toString('latin1', 8, 12) === 'WEBP') {
    return 'webp';
  }
  if (bytes.length >= 6 && /^GIF8[79]a$/.test(bytes.toString('latin1', 0, 6))) return 'gif';
  if (bytes.length >= 26 && bytes.toString('latin1', 0, 2) === 'BM') return 'bmp';
  return null;
}

/**
 * BMP to PNG, since the image library reads every other format but not BMP. Only uncompressed 24- and
 * 32-bit bitmaps (what cameras and editors write); other variants are refused with a clear reason,
 * as a 40001 naming `field`.
 */
export async function bmpToPng(bytes: Buffer, field = 'imageBase64'): Promise<Buffer> {
  const offset = bytes.readUInt32LE(10);
  const header = bytes.readUInt32LE(14);
  if (header < 40 || bytes.length < 14 + header) throw invalidParameter(field, 'bmpHeader');
  const width = bytes.readInt32LE(18);
  const rawHeight = bytes.readInt32LE(22);
  const bits = bytes.readUInt16LE(28);
  const compression = bytes.readUInt32LE(30);
  const height = Math.abs(rawHeight);
  if (width <= 0 || height === 0 || width * height > 50_000_000) throw invalidParameter(field, 'bmpSize');
  if ((bits !== 24 && bits !== 32) || (compression !== 0 && compression !== 3)) {
    throw invalidParameter(field, 'bmpCompression');
  }
  const stride = Math.ceil((width * bits) / 32) * 4;
  if (offset + stride * height > bytes.length) throw invalidParameter(field, 'bmpTruncated');
  const rgb = Buffer.alloc(width * height * 3);
  const step = bits / 8;
  for (let y = 0; y < height; y++) {
    const row = offset + (rawHeight > 0 ? height - 1 - y : y) * stride;
    for (let x = 0; x < width; x++) {
      const p = row + x * step;
      const o = (y * width + x) * 3;
      rgb[o] = bytes[p + 2] as number;
      rgb[o + 1] = bytes[p + 1] as number;
      rgb[o + 2] = bytes[p] as number;
    }
  }
  return sharp(rgb, { raw: { width, height, channels: 3 } })
    .png()
    .toBuffer();
}

/** An evidence picture (refund pictures, message pictures, payment vouchers of after-sales): at most 1 MB. */
export const EVIDENCE_PICTURE_MAX_BYTES = 1_048_576;
/** And at most this many pixels, so that a small file cannot unpack into an enormous image. */
export const EVIDENCE_PICTURE_MAX_PIXELS = 50_000_000;

const EVIDENCE_FORMATS = {
  jpeg: { contentType: 'image/jpeg', ext: 'jpg' },
  gif: { contentType: 'image/gif', ext: 'gif' },
  png: { contentType: 'image/png', ext: 'png' },
  bmp: { contentType: 'image/bmp', ext: 'bmp' },
} as const;

type EvidenceFormat = (typeof EVIDENCE_FORMATS)[keyof typeof EVIDENCE_FORMATS];

export interface EvidencePicture {
  bytes: Buffer;
  contentType: EvidenceFormat['contentType'];
  /** The file extension its key gets. */
  ext: EvidenceFormat['ext'];
}

/**
 * The bytes of a picture sent as base64 text (a `data:` URL prefix and line breaks allowed), refused before decoding
 * when the text alone says it is larger than `maxBytes`; 40001 naming `field` otherwise.
 */
export function decodePictureBase64(text: string, field: string, maxBytes: number): Buffer {
  const body = text
    .trim()
    .replace(/^data:[a-z0-9.+/-]*(;[a-z0-9=._-]+)*;base64,/i, '')
    .replace(/\s+/g, '');
  if (body.length === 0) throw invalidParameter(field, 'pictureEmpty');
  if (!/^[A-Za-z0-9+/_-]*={0,2}$/.test(body)) throw invalidParameter(field, 'notBase64');
  if (Math.floor((body.length * 3) / 4) > maxBytes + 3)
    throw invalidParameter(field, 'pictureTooLarge', { max: maxBytes });
  return Buffer.from(body, 'base64');
}

/**
 * Reads an evidence picture, given as bytes or as base64 (a `data:` URL prefix allowed), and checks it by
 * its content only, never by a name or a declared type: a JPEG, GIF, PNG or BMP of at most 1 MB that
 * decodes whole (a truncated or corrupt file is refused, not stored). A BMP is kept as it was sent but
 * must convert, since the image library cannot read it directly. Anything else answers 40001 naming `field`.
 */
export async function readEvidencePicture(input: Buffer | string, field: string): Promise<EvidencePicture> {
  const bytes = typeof input === 'string' ? decodePictureBase64(input, field, EVIDENCE_PICTURE_MAX_BYTES) : input;
  if (bytes.length === 0) throw invalidParameter(field, 'pictureEmpty');
  if (bytes.length > EVIDENCE_PICTURE_MAX_BYTES) {
    throw invalidParameter(field, 'pictureTooLarge', { max: EVIDENCE_PICTURE_MAX_BYTES });
  }
  const sniffed = sniffPicture(bytes);
  if (sniffed === null || sniffed === 'webp') throw invalidParameter(field, 'evidencePictureFormat');
  const format = EVIDENCE_FORMATS[sniffed];
  try {
    const readable = sniffed === 'bmp' ? await bmpToPng(bytes, field) : bytes;
    const meta = await sharp(readable, { failOn: 'error' }).metadata();
    const width = meta.width ?? 0;
    const height = meta.pageHeight ?? meta.height ?? 0;
    if (width < 1 || height < 1) throw invalidParameter(field, 'evidencePictureFormat');
    if (width * height > EVIDENCE_PICTURE_MAX_PIXELS) {
      throw invalidParameter(field, 'picturePixels', { max: EVIDENCE_PICTURE_MAX_PIXELS });
    }
    // Decoded to the end (into a thumbnail, to keep it cheap): the header alone would let a truncated file through.
    await sharp(readable, { failOn: 'error', limitInputPixels: EVIDENCE_PICTURE_MAX_PIXELS })
      .resize(64, 64, { fit: 'inside' })
      .raw()
      .toBuffer();
  } catch (err) {
    if (err instanceof ApiError) throw err;
    throw invalidParameter(field, 'pictureUnreadable', { detail: (err as Error).message });
  }
  return { bytes, ...format };
}
