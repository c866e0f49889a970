import sharp from 'sharp';
import type { AppDeps } from '../../platform/deps.js';
import { decodePictureBase64 } from '../../platform/files/pictures.js';
import { invalidParameter } from '../../platform/http/errors.js';

/** A voucher's picture: at most 5 MB once decoded, at most 8000 pixels a side. */
export const VOUCHER_PICTURE_MAX_BYTES = 5 * 1024 * 1024;
export const VOUCHER_PICTURE_MAX_SIDE = 8000;

const FORMATS = {
  jpeg: { contentType: 'image/jpeg', ext: 'jpg' },
  png: { contentType: 'image/png', ext: 'png' },
  webp: { contentType: 'image/webp', ext: 'webp' },
  gif: { contentType: 'image/gif', ext: 'gif' },
} as const;

export interface VoucherPicture {
  bytes: Buffer;
  contentType: (typeof FORMATS)[keyof typeof FORMATS]['contentType'];
  /** The file extension its key gets. */
  ext: (typeof FORMATS)[keyof typeof FORMATS]['ext'];
}

/**
 * Reads the picture of a payment voucher from base64 (a `data:` URL prefix allowed) and checks it by
 * its content, never by a name or a declared type: what the image library finds in the bytes must be
 * a JPEG, PNG, WebP or GIF within the size limits. Anything else answers 40001 naming `field`.
 */
export async function readVoucherPicture(base64: string, field = 'picture'): Promise<VoucherPicture> {
  const bytes = decodePictureBase64(base64, field, VOUCHER_PICTURE_MAX_BYTES);
  if (bytes.length === 0) throw invalidParameter(field, 'pictureEmpty');
  if (bytes.length > VOUCHER_PICTURE_MAX_BYTES) {
    throw invalidParameter(field, 'pictureTooLarge', { max: VOUCHER_PICTURE_MAX_BYTES });
  }
  let meta: sharp.Metadata;
  try {
    meta = await sharp(bytes, { failOn: 'none' }).metadata();
  } catch {
    throw invalidParameter(field, 'voucherPictureFormat');
  }
  const format = meta.format && meta.format in FORMATS ? FORMATS[meta.format as keyof typeof FORMATS] : null;
  if (!format) throw invalidParameter(field, 'voucherPictureFormat');
  const width = meta.width ?? 0;
  const height = meta.pageHeight ?? meta.height ?? 0;
  if (width < 1 || height < 1) throw invalidParameter(field, 'voucherPictureFormat');
  if (width > VOUCHER_PICTURE_MAX_SIDE || height > VOUCHER_PICTURE_MAX_SIDE) {
    throw invalidParameter(field, 'pictureDimensions', { max: VOUCHER_PICTURE_MAX_SIDE });
  }
  return { bytes, ...format };
}

/** The body cap of a route carrying a voucher picture in base64, with room for its other fields. */
export function voucherBodyLimit(config: AppDeps['config']): number {
  return Math.max(config.bodyLimit, Math.ceil((VOUCHER_PICTURE_MAX_BYTES * 4) / 3) + 65_536);
}
