import type { GoodRow } from './catalog/reader.js';
import { IMAGE_VIEWS } from './catalog/reader.js';
import { encodeImage } from './images/encode.js';
import type { ImageSpec } from './images/render.js';
import { imageSpecOf } from './images/spec.js';
import { VOCABULARY } from './vocabulary.js';

/** Which picture of a product: a view (0 = main), optionally in one SKU colour, and its format. */
export interface ImageFile {
  view: number;
  colour: string | null;
  format: 'jpeg' | 'webp' | 'png';
}

/** The picture a product's good row describes; null for a view or colour it does not have. */
export function imageSpec(
  row: Pick<GoodRow, 'category' | 'product_type' | 'colours' | 'image_seed'>,
  view: number,
  colour: string | null,
): ImageSpec | null {
  const colours = JSON.parse(row.colours) as string[];
  const key = colour ?? colours[0];
  if (!key || !colours.includes(key) || !Number.isInteger(view) || view < 0 || view >= IMAGE_VIEWS) return null;
  return imageSpecOf(
    VOCABULARY,
    { imageSeed: row.image_seed, category: row.category, productType: row.product_type, colours },
    { view, colour: key },
  );
}

/** Encoded pictures are deterministic, so recently served ones are kept (about 100 KB each). */
const CACHE_LIMIT = 256;
const cache = new Map<string, Promise<Buffer>>();

export function renderProductImage(row: GoodRow, file: ImageFile): Promise<Buffer | null> {
  const spec = imageSpec(row, file.view, file.colour);
  if (!spec) return Promise.resolve(null);
  const key = `${spec.imageSeed}:${spec.productType}:${spec.rgb.join(',')}:${spec.view}:${file.format}`;
  let hit = cache.get(key);
  if (hit) {
    cache.delete(key);
    cache.set(key, hit);
    return hit;
  }
  hit = encodeImage(spec, { format: file.format });
  cache.set(key, hit);
  hit.catch(() => cache.delete(key));
  if (cache.size > CACHE_LIMIT) cache.delete(cache.keys().next().value as string);
  return hit;
}
