import type { Platform } from '../types.js';
import type { ImageFile } from './pictures.js';

const IMAGE_PATH = /\/sandbox\/images\/(taobao|1688)\/(\d+)\/(\d+)(?:-([a-z-]+))?\.(jpg|jpeg|webp|png)$/;

/** Reads `/sandbox/images/{platform}/{productId}/{view}[-{colour}].{ext}` from a URL or path. */
export function parseSandboxImageUrl(url: string): { platform: Platform; productId: string; file: ImageFile } | null {
  let pathname: string;
  try {
    pathname = new URL(url, 'http://localhost').pathname;
  } catch {
    return null;
  }
  const m = IMAGE_PATH.exec(pathname);
  if (!m) return null;
  const [, platform, productId, view, colour, ext] = m;
  return {
    platform: platform as Platform,
    productId: productId as string,
    file: {
      view: Number(view),
      colour: colour ?? null,
      format: ext === 'png' ? 'png' : ext === 'webp' ? 'webp' : 'jpeg',
    },
  };
}
