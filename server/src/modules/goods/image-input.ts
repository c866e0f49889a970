import sharp from 'sharp';
import type { AppDeps } from '../../platform/deps.js';
import { ApiError, invalidParameter } from '../../platform/http/errors.js';
import { FetchRefused, safeFetch } from '../../platform/net/safe-fetch.js';
import type { MarketProvider } from '../../providers/market.js';
import type { ImageInput } from '../../providers/types.js';

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

async function checked(bytes: Buffer, field: string, maxBytes: number): Promise<Buffer> {
  if (bytes.length === 0) throw invalidParameter(field, 'pictureEmpty');
  if (bytes.length > maxBytes) throw invalidParameter(field, 'pictureTooLarge', { max: maxBytes });
  const format = sniffPicture(bytes);
  if (!format) throw invalidParameter(field, 'pictureFormat');
  if (format !== 'bmp') return bytes;
  try {
    return await bmpToPng(bytes, field);
  } catch (err) {
    if (err instanceof ApiError) throw err;
    throw invalidParameter(field, 'pictureUnreadable', { detail: (err as Error).message });
  }
}

export interface PictureFields {
  imageBase64?: string | null;
  imageAddress?: string | null;
}

/**
 * The picture of a picture search: `imageBase64` (plain or a `data:` URL) or `imageAddress` (fetched
 * with a deadline, a size cap and the address guard). A URL the marketplace serves itself is passed
 * through for it to read. Anything else answers 40001 naming the field.
 */
export async function readPicture(
  deps: AppDeps,
  provider: Pick<MarketProvider, 'ownsPictureUrl'>,
  fields: PictureFields,
): Promise<ImageInput> {
  const { maxBytes, fetchTimeoutMs, allowPrivateUrls } = deps.config.images;
  const base64 = fields.imageBase64?.trim();
  if (base64) {
    const body = base64.replace(/^data:image\/[a-z0-9.+-]+;base64,/i, '').replace(/\s+/g, '');
    if (!/^[A-Za-z0-9+/_-]*={0,2}$/.test(body)) throw invalidParameter('imageBase64', 'notBase64');
    if (Math.floor((body.length * 3) / 4) > maxBytes + 3) {
      throw invalidParameter('imageBase64', 'pictureTooLarge', { max: maxBytes });
    }
    return { bytes: await checked(Buffer.from(body, 'base64'), 'imageBase64', maxBytes) };
  }
  const address = fields.imageAddress?.trim();
  if (!address) throw invalidParameter('imageBase64', 'pictureMissing');
  if (provider.ownsPictureUrl(address)) return { url: address };
  try {
    const bytes = await safeFetch(address, { timeoutMs: fetchTimeoutMs, maxBytes, allowPrivate: allowPrivateUrls });
    return { bytes: await checked(bytes, 'imageAddress', maxBytes) };
  } catch (err) {
    if (err instanceof FetchRefused) {
      throw invalidParameter('imageAddress', 'pictureFetchRefused', { detail: err.message });
    }
    throw err;
  }
}

/** The body cap of a picture route: the picture in base64 plus room for the other fields. */
export function pictureBodyLimit(config: AppDeps['config']): number {
  return Math.max(config.bodyLimit, Math.ceil((config.images.maxBytes * 4) / 3) + 65_536);
}
