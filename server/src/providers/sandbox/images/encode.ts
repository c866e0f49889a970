import sharp from 'sharp';
import { type ImageSpec, renderRaw } from './render.js';

export type ImageFormat = 'jpeg' | 'webp' | 'png';

export interface EncodeOptions {
  /** Width and height in pixels (the pictures are square); 800 by default. */
  size?: number;
  format?: ImageFormat;
}

export const CONTENT_TYPES: Record<ImageFormat, string> = {
  jpeg: 'image/jpeg',
  webp: 'image/webp',
  png: 'image/png',
};

const MAX_SIZE = 2000;

/** The picture of `spec` as an image file. */
export async function encodeImage(spec: ImageSpec, options: EncodeOptions = {}): Promise<Buffer> {
  const size = options.size ?? 800;
  if (!Number.isInteger(size) || size < 1 || size > MAX_SIZE) {
    throw new Error(`picture size must be an integer from 1 to ${MAX_SIZE}, not ${size}`);
  }
  const raw = renderRaw(spec, size, size);
  const image = sharp(raw, { raw: { width: size, height: size, channels: 3 } });
  switch (options.format ?? 'jpeg') {
    case 'jpeg':
      return image.jpeg({ quality: 85, mozjpeg: false }).toBuffer();
    case 'webp':
      return image.webp({ quality: 82 }).toBuffer();
    case 'png':
      return image.png({ compressionLevel: 6 }).toBuffer();
  }
}
