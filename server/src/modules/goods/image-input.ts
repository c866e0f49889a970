import type { AppDeps } from '../../platform/deps.js';
import { bmpToPng, sniffPicture } from '../../platform/files/pictures.js';
import { ApiError, invalidParameter } from '../../platform/http/errors.js';
import { FetchRefused, safeFetch } from '../../platform/net/safe-fetch.js';
import type { MarketProvider } from '../../providers/market.js';
import type { ImageInput } from '../../providers/types.js';

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
