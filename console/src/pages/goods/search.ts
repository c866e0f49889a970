/** The goods search's state as it lives in the URL, and the pictures a picture search was made with. */

export const PLATFORMS = ['taobao', '1688'] as const;
export type Platform = (typeof PLATFORMS)[number];

export const SORTS = ['relevance', 'price_asc', 'price_desc', 'sales_desc'] as const;
export type Sort = (typeof SORTS)[number];

export const PAGE_SIZE = 20;
/** The largest price either marketplace's filter takes, in yuan (Taobao's bound is 10^12 fen). */
const MAX_YUAN = 10_000_000_000;

/**
 * The search params of `/dev/goods`: only what differs from the defaults is kept, so that the address stays short
 * and a link to the page needs none of them. Prices are yuan; `cat` a category id; `upload` the key of a picture
 * kept in this tab ({@link keepPicture}); `image` the address of a picture.
 */
export interface GoodsSearchParams {
  platform?: 1688;
  q?: string;
  sort?: Exclude<Sort, 'relevance'>;
  min?: number;
  max?: number;
  /** A number when it is one exactly (the URL then shows it without quotes), else its digits. */
  cat?: number | string;
  fast?: true;
  page?: number;
  upload?: string;
  image?: string;
}

/** The search with every default filled in. */
export interface GoodsSearch {
  platform: Platform;
  q: string;
  sort: Sort;
  min: number | null;
  max: number | null;
  cat: string;
  fast: boolean;
  page: number;
  upload: string;
  image: string;
}

const isPrice = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0 && v <= MAX_YUAN;
const text = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '').trim();

export const isCategoryId = (v: string): boolean => /^[0-9]{1,20}$/.test(v);
export const isPictureAddress = (v: string): boolean => /^https?:\/\/\S+$/i.test(v) && v.length <= 2048;

/** Reads the URL's search params, dropping what the API would refuse, so that no refused request is ever made. */
export function validateGoodsSearch(raw: Record<string, unknown>): GoodsSearchParams {
  const out: GoodsSearchParams = {};
  if (String(raw.platform) === '1688') out.platform = 1688;
  const q = text(raw.q).slice(0, 200);
  if (q) out.q = q;
  if (SORTS.includes(raw.sort as Sort) && raw.sort !== 'relevance') out.sort = raw.sort as GoodsSearchParams['sort'];
  if (isPrice(raw.min)) out.min = Math.round(raw.min * 100) / 100;
  if (isPrice(raw.max)) out.max = Math.round(raw.max * 100) / 100;
  const cat = text(raw.cat);
  if (isCategoryId(cat) && !/^0+$/.test(cat)) out.cat = /^[1-9][0-9]{0,14}$/.test(cat) ? Number(cat) : cat;
  if (raw.fast === true) out.fast = true;
  if (typeof raw.page === 'number' && Number.isInteger(raw.page) && raw.page > 1 && raw.page <= 100_000) {
    out.page = raw.page;
  }
  const upload = text(raw.upload);
  const image = text(raw.image);
  if (/^[a-z0-9]{1,32}$/.test(upload)) out.upload = upload;
  else if (isPictureAddress(image)) out.image = image;
  return out;
}

export function resolveSearch(p: GoodsSearchParams): GoodsSearch {
  return {
    platform: p.platform === 1688 ? '1688' : 'taobao',
    q: p.q ?? '',
    sort: p.sort ?? 'relevance',
    min: p.min ?? null,
    max: p.max ?? null,
    cat: p.cat === undefined ? '' : String(p.cat),
    fast: p.fast ?? false,
    page: p.page ?? 1,
    upload: p.upload ?? '',
    image: p.image ?? '',
  };
}

/** The URL form of a search: its defaults left out. */
export function toParams(s: GoodsSearch): GoodsSearchParams {
  return validateGoodsSearch({
    platform: s.platform,
    q: s.q,
    sort: s.sort,
    min: s.min ?? undefined,
    max: s.max ?? undefined,
    cat: s.cat,
    fast: s.fast,
    page: s.page,
    upload: s.upload,
    image: s.image,
  });
}

/** Whether the search is by picture (an upload or an address) rather than by keyword. */
export const byPicture = (s: GoodsSearch): boolean => s.upload !== '' || s.image !== '';

/** A price as typed (`12.50`, `12,5`) in yuan, or null when empty; undefined when it is not an amount. */
export function parseYuan(input: string): number | null | undefined {
  const v = input.trim().replace(',', '.');
  if (v === '') return null;
  if (!/^[0-9]{1,11}(\.[0-9]{1,2})?$/.test(v)) return undefined;
  const n = Number(v);
  return isPrice(n) ? n : undefined;
}

export const yuanToFen = (yuan: number): number => Math.round(yuan * 100);
export const yuanText = (yuan: number): string => (Math.round(yuan * 100) / 100).toFixed(2);

const PICTURE_PREFIX = 'ponte.goods.picture.';
const pictures = new Map<string, string>();

/** A short stable key of a picture's bytes (FNV-1a), so that the same picture searched again reads the same cache. */
function pictureKey(dataUrl: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < dataUrl.length; i++) {
    h ^= dataUrl.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(36) + dataUrl.length.toString(36);
}

/**
 * Keeps the picture of a picture search in this tab (memory and sessionStorage, the last one only) and answers its
 * key for the URL: the API gives no id for an uploaded picture, so a reload reads it from here.
 */
export function keepPicture(dataUrl: string): string {
  const key = pictureKey(dataUrl);
  pictures.clear();
  pictures.set(key, dataUrl);
  try {
    for (let i = sessionStorage.length - 1; i >= 0; i--) {
      const k = sessionStorage.key(i);
      if (k?.startsWith(PICTURE_PREFIX)) sessionStorage.removeItem(k);
    }
    sessionStorage.setItem(PICTURE_PREFIX + key, dataUrl);
  } catch {
    // storage full or refused: the picture stays in memory until the tab is reloaded
  }
  return key;
}

/** The picture kept under `key`, as a `data:` URL, or null when this tab no longer has it. */
export function keptPicture(key: string): string | null {
  const inMemory = pictures.get(key);
  if (inMemory) return inMemory;
  try {
    const stored = sessionStorage.getItem(PICTURE_PREFIX + key);
    if (stored) pictures.set(key, stored);
    return stored;
  } catch {
    return null;
  }
}
