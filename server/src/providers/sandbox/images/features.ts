import sharp from 'sharp';
import { LUMA, rasterize } from './raster.js';
import { buildScene, FULL_VIEW, type ImageSpec } from './render.js';

/**
 * The perceptual descriptor behind picture search. A picture is reduced to a 16×16 grey thumbnail
 * (an area average, so any resolution gives the same thumbnail) and described by the signs of its
 * 192 lowest-frequency DCT coefficients, the DC term excluded. Signs do not change with brightness
 * or contrast, and survive recompression and slight recolouring (hue turns and saturation barely
 * move the grey level).
 *
 * Crops change the thumbnail, so the indexed side stores the descriptor of four centred crops of
 * the picture (100, 90, 80 and 70 %) and the query side computes two (its whole picture, and its
 * centre 95 %); a query cropped anywhere down to about 70 % then meets an indexed crop within
 * about 3 % of its scale.
 *
 * Grey levels cannot tell a purple shirt on a pink backdrop from a green one on a beige backdrop
 * when the shapes agree, and among a million goods such lookalikes exist. So each crop also carries
 * a colour layout (the mean chroma of a 3×3 grid), which search uses to rank and score the
 * candidates the grey bits found; slight recolouring moves it much less than a different picture.
 *
 * Bump `FEATURE_VERSION` whenever the descriptor or the pictures change: stored features are then
 * stale and must be computed again.
 */
export const FEATURE_VERSION = 1;

/** Sign bits per crop. */
export const HASH_BITS = 192;
export const HASH_WORDS = HASH_BITS / 32;
/** Centred crops of the indexed picture, as fractions of its side. */
export const INDEX_CROPS = [1, 0.9, 0.8, 0.7] as const;
/** Centred crops of the query picture. */
export const QUERY_CROPS = [1, 0.95] as const;
/** Bytes of the crops' sign bits, crop after crop, bit i of a crop in byte i >> 3, bit i & 7. */
export const HASH_BYTES = (INDEX_CROPS.length * HASH_BITS) / 8;
/** Colour layout: cells per side, and values per crop (two chroma components per cell). */
export const COLOUR_GRID = 3;
export const COLOUR_VALUES = COLOUR_GRID * COLOUR_GRID * 2;
/**
 * Bytes of `indexFeatures`: HASH_BYTES of sign bits, then per crop COLOUR_VALUES signed bytes, the
 * cells row by row, each as (R − G) / 2 and ((R + G) / 2 − B) / 2.
 */
export const FEATURE_BYTES = HASH_BYTES + INDEX_CROPS.length * COLOUR_VALUES;
/** Query bits left out of comparisons: those of the coefficients nearest zero, whose sign is least certain. */
export const QUERY_MASKED_BITS = 23;
/** Bits a query compares with each crop. */
export const QUERY_BITS = HASH_BITS - QUERY_MASKED_BITS;
/**
 * Below this contrast (standard deviation of the thumbnail's grey level, 0..255 scale) a picture is
 * taken as blank: its signs are noise.
 */
export const MIN_CONTRAST = 1.5;

/** Thumbnail side and DCT size. */
const CELLS = 16;
/** The indexed picture is rendered this big, then each crop is area-averaged to the thumbnail. */
const RENDER = 48;
const RENDER_SUBSAMPLES = 2;
/** Query pictures are first brought to this size by sharp, then area-averaged in the same way. */
const QUERY_SIZE = 256;

/** The coefficients used, as (row, column) frequency pairs, lowest first. */
const ORDER: [number, number][] = (() => {
  const all: [number, number, number][] = [];
  for (let j = 0; j < CELLS; j++) {
    for (let k = 0; k < CELLS; k++) if (j + k > 0) all.push([j, k, Math.hypot(j, k) + 0.001 * j]);
  }
  all.sort((a, b) => a[2] - b[2]);
  return all.slice(0, HASH_BITS).map(([j, k]) => [j, k]);
})();

/**
 * A centred crop, area-averaged to CELLS samples and then transformed by an orthonormal DCT, as one
 * linear map from `size` pixels to CELLS coefficients (the same for rows and columns): row k holds
 * the weights of coefficient k over pixels `from` to `to` − 1.
 */
interface CropTransform {
  size: number;
  from: number;
  to: number;
  weights: Float64Array;
}

function cropTransform(size: number, crop: number): CropTransform {
  const span = size * crop;
  const start = (size - span) / 2;
  const cell = span / CELLS;
  // Area resampling: how much of pixel x falls into cell X, relative to the cell's size.
  const resample = new Float64Array(CELLS * size);
  for (let X = 0; X < CELLS; X++) {
    const a = start + X * cell;
    const b = a + cell;
    for (let x = Math.floor(a); x < Math.ceil(b); x++) {
      const overlap = Math.min(b, x + 1) - Math.max(a, x);
      if (overlap > 0 && x >= 0 && x < size) resample[X * size + x] = overlap / cell;
    }
  }
  const weights = new Float64Array(CELLS * size);
  for (let k = 0; k < CELLS; k++) {
    const norm = k === 0 ? Math.sqrt(1 / CELLS) : Math.sqrt(2 / CELLS);
    for (let X = 0; X < CELLS; X++) {
      const c = norm * Math.cos((Math.PI * (2 * X + 1) * k) / (2 * CELLS));
      for (let x = 0; x < size; x++)
        weights[k * size + x] = (weights[k * size + x] as number) + c * (resample[X * size + x] as number);
    }
  }
  return { size, from: Math.max(0, Math.floor(start)), to: Math.min(size, Math.ceil(start + span)), weights };
}

const INDEX_TRANSFORMS = INDEX_CROPS.map((c) => cropTransform(RENDER, c));
const QUERY_TRANSFORMS = QUERY_CROPS.map((c) => cropTransform(QUERY_SIZE, c));

const ORDER_ROW = Int32Array.from(ORDER, ([j]) => j);
const ORDER_COLUMN = Int32Array.from(ORDER, ([, k]) => k);

/** Scratch space for `coefficients`, grown on demand. */
let folded = new Float64Array(0);
let rows = new Float64Array(0);
let columns = new Float64Array(0);

/**
 * The ORDER coefficients of a crop of a square grey picture. The crop is centred, so each weight
 * row is symmetric (even frequencies) or antisymmetric (odd ones) about the centre: pixels are
 * folded in pairs first, which halves the multiplications. Sums run in several accumulators at
 * once, which lets the processor overlap them.
 */
function coefficients(grey: Float32Array, t: CropTransform, out: Float64Array): void {
  const { size, from, to, weights } = t;
  const height = to - from;
  const half = height >> 1;
  if (folded.length < height * half * 2) folded = new Float64Array(height * half * 2);
  if (rows.length < height * CELLS) rows = new Float64Array(height * CELLS);
  if (columns.length < 2 * CELLS * half) columns = new Float64Array(2 * CELLS * half);
  const fold = folded;
  const acc = rows;
  const cols = columns;
  // Each row folded: sums of mirrored pixels, then their differences.
  for (let y = 0; y < height; y++) {
    const line = (from + y) * size;
    const o = y * half * 2;
    for (let i = 0; i < half; i++) {
      const a = grey[line + from + i] as number;
      const b = grey[line + to - 1 - i] as number;
      fold[o + i] = a + b;
      fold[o + half + i] = a - b;
    }
  }
  // Rows: acc[y][k] = Σx grey[y][x]·w[k][x], four frequencies at a time (even ones use the sums).
  for (let y = 0; y < height; y++) {
    const even = y * half * 2;
    const odd = even + half;
    for (let k = 0; k < CELLS; k += 4) {
      const w0 = k * size + from;
      const w1 = w0 + size;
      const w2 = w1 + size;
      const w3 = w2 + size;
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      for (let i = 0; i < half; i++) {
        const fe = fold[even + i] as number;
        const fd = fold[odd + i] as number;
        s0 += fe * (weights[w0 + i] as number);
        s1 += fd * (weights[w1 + i] as number);
        s2 += fe * (weights[w2 + i] as number);
        s3 += fd * (weights[w3 + i] as number);
      }
      const r = y * CELLS + k;
      acc[r] = s0;
      acc[r + 1] = s1;
      acc[r + 2] = s2;
      acc[r + 3] = s3;
    }
  }
  // Columns folded the same way, laid out per frequency for the last pass.
  for (let i = 0; i < half; i++) {
    const a = i * CELLS;
    const b = (height - 1 - i) * CELLS;
    for (let k = 0; k < CELLS; k++) {
      const top = acc[a + k] as number;
      const bottom = acc[b + k] as number;
      cols[k * half + i] = top + bottom;
      cols[(CELLS + k) * half + i] = top - bottom;
    }
  }
  for (let b = 0; b < HASH_BITS; b++) {
    const j = ORDER_ROW[b] as number;
    const wj = j * size + from;
    const src = ((j & 1) * CELLS + (ORDER_COLUMN[b] as number)) * half;
    let s = 0;
    let u = 0;
    let i = 0;
    for (; i + 1 < half; i += 2) {
      s += (weights[wj + i] as number) * (cols[src + i] as number);
      u += (weights[wj + i + 1] as number) * (cols[src + i + 1] as number);
    }
    if (i < half) s += (weights[wj + i] as number) * (cols[src + i] as number);
    out[b] = s + u;
  }
}

/**
 * The colour cells of a centred crop of a square picture along one axis: cell k takes the pixels
 * from bounds[k] to bounds[k + 1] − 1 (those whose centre falls in it).
 */
function cellBounds(size: number, crop: number): Int32Array {
  const span = size * crop;
  const start = (size - span) / 2;
  const bounds = new Int32Array(COLOUR_GRID + 1);
  for (let k = 0; k <= COLOUR_GRID; k++) {
    // The first pixel whose centre lies at or after the cell's start.
    bounds[k] = Math.min(size, Math.max(0, Math.ceil(start + (k * span) / COLOUR_GRID - 0.5)));
  }
  return bounds;
}

const INDEX_CELLS = INDEX_CROPS.map((c) => cellBounds(RENDER, c));
const QUERY_CELLS = QUERY_CROPS.map((c) => cellBounds(QUERY_SIZE, c));

/** Summed-area tables of the two chroma components (R − G and (R + G) / 2 − B), (size + 1)² each. */
function chromaSums(pixels: ArrayLike<number>, channels: number, size: number): [Float64Array, Float64Array] {
  const stride = size + 1;
  const sa = new Float64Array(stride * stride);
  const sb = new Float64Array(stride * stride);
  for (let y = 0; y < size; y++) {
    let ra = 0;
    let rb = 0;
    let o = y * size * channels;
    const row = (y + 1) * stride;
    for (let x = 0; x < size; x++, o += channels) {
      const r = pixels[o] as number;
      const g = pixels[o + 1] as number;
      ra += r - g;
      rb += (r + g) / 2 - (pixels[o + 2] as number);
      sa[row + x + 1] = (sa[row - stride + x + 1] as number) + ra;
      sb[row + x + 1] = (sb[row - stride + x + 1] as number) + rb;
    }
  }
  return [sa, sb];
}

/** Mean chroma per cell of a crop (bounds from `cellBounds`), into out[at..]. */
function colourLayout(
  sums: [Float64Array, Float64Array],
  size: number,
  bounds: Int32Array,
  out: Float64Array | Float32Array,
  at: number,
): void {
  const stride = size + 1;
  const [sa, sb] = sums;
  for (let cy = 0; cy < COLOUR_GRID; cy++) {
    const top = (bounds[cy] as number) * stride;
    const bottom = (bounds[cy + 1] as number) * stride;
    const rows = (bounds[cy + 1] as number) - (bounds[cy] as number);
    for (let cx = 0; cx < COLOUR_GRID; cx++) {
      const left = bounds[cx] as number;
      const right = bounds[cx + 1] as number;
      const n = Math.max(1, rows * (right - left));
      const o = at + 2 * (cy * COLOUR_GRID + cx);
      out[o] =
        ((sa[bottom + right] as number) -
          (sa[top + right] as number) -
          (sa[bottom + left] as number) +
          (sa[top + left] as number)) /
        n;
      out[o + 1] =
        ((sb[bottom + right] as number) -
          (sb[top + right] as number) -
          (sb[bottom + left] as number) +
          (sb[top + left] as number)) /
        n;
    }
  }
}

/** The descriptor of a picture as stored in the index: FEATURE_BYTES bytes. */
export function indexFeatures(spec: ImageSpec): Uint8Array {
  const rgb = rasterize(buildScene(spec), RENDER, RENDER, FULL_VIEW, RENDER_SUBSAMPLES);
  const pixels = RENDER * RENDER;
  const grey = new Float32Array(pixels);
  for (let i = 0, o = 0; i < pixels; i++, o += 3) {
    grey[i] = LUMA[0] * (rgb[o] as number) + LUMA[1] * (rgb[o + 1] as number) + LUMA[2] * (rgb[o + 2] as number);
  }
  const out = new Uint8Array(FEATURE_BYTES);
  const coefs = new Float64Array(HASH_BITS);
  const layout = new Float64Array(COLOUR_VALUES);
  const colours = new Int8Array(out.buffer, HASH_BYTES);
  const chroma = chromaSums(rgb, 3, RENDER);
  INDEX_TRANSFORMS.forEach((t, c) => {
    coefficients(grey, t, coefs);
    const base = (c * HASH_BITS) / 8;
    for (let b = 0; b < HASH_BITS; b++) {
      const i = base + (b >> 3);
      if ((coefs[b] as number) > 0) out[i] = (out[i] as number) | (1 << (b & 7));
    }
    colourLayout(chroma, RENDER, INDEX_CELLS[c] as Int32Array, layout, 0);
    for (let v = 0; v < COLOUR_VALUES; v++) {
      colours[c * COLOUR_VALUES + v] = Math.max(-127, Math.min(127, Math.round((layout[v] as number) / 2)));
    }
  });
  return out;
}

/**
 * How different two colour layouts are: the largest, over the cells, of the chroma difference
 * relative to the stronger of the two chromas (plus a floor, so greys do not count as different).
 * Slight recolouring shifts every cell a little (below about 0.55 in our trials); a lookalike
 * differs a lot somewhere, typically in its backdrop.
 */
export function colourDistance(query: Float32Array, q: number, index: Int8Array, i: number): number {
  let worst = 0;
  for (let c = 0; c < COLOUR_GRID * COLOUR_GRID; c++) {
    const qa = query[q + 2 * c] as number;
    const qb = query[q + 2 * c + 1] as number;
    const ia = 2 * (index[i + 2 * c] as number);
    const ib = 2 * (index[i + 2 * c + 1] as number);
    const strength = Math.max(Math.hypot(qa, qb), Math.hypot(ia, ib));
    worst = Math.max(worst, Math.hypot(qa - ia, qb - ib) / (strength + 12));
  }
  return worst;
}

/** The descriptor of a query picture. */
export interface QueryFeatures {
  /** Sign bits of each query crop (QUERY_CROPS), HASH_WORDS words each; bit i in word i >> 5, bit i & 31. */
  codes: Uint32Array;
  /** Per query crop, which bits to compare (QUERY_BITS of them). */
  masks: Uint32Array;
  /** Per query crop, COLOUR_VALUES values of its colour layout (chroma, not halved). */
  colours: Float32Array;
  /** Standard deviation of the thumbnail's grey level; below MIN_CONTRAST the picture is blank. */
  contrast: number;
}

/** Reads a picture in any format sharp decodes (JPEG, PNG, WebP, GIF, AVIF, TIFF...) and describes it. */
export async function queryFeatures(bytes: Buffer): Promise<QueryFeatures> {
  if (!Buffer.isBuffer(bytes) || bytes.length === 0) throw new Error('the picture is empty');
  let data: Buffer;
  try {
    const image = sharp(bytes, { failOn: 'error', limitInputPixels: 100_000_000 });
    const meta = await image.metadata();
    if (!meta.width || !meta.height) throw new Error('it has no size');
    // Transparent areas become white, as on a product page; EXIF orientation is applied.
    data = await image
      .rotate()
      .flatten({ background: '#ffffff' })
      .toColourspace('srgb')
      .resize(QUERY_SIZE, QUERY_SIZE, { fit: 'fill' })
      .raw()
      .toBuffer();
  } catch (err) {
    throw new Error(`cannot read the picture: ${err instanceof Error ? err.message : String(err)}`);
  }
  const pixels = QUERY_SIZE * QUERY_SIZE;
  const channels = data.length / pixels;
  if (!Number.isInteger(channels) || channels < 3) throw new Error('cannot read the picture: unexpected pixel layout');
  const grey = new Float32Array(pixels);
  for (let i = 0, o = 0; i < pixels; i++, o += channels) {
    grey[i] = LUMA[0] * (data[o] as number) + LUMA[1] * (data[o + 1] as number) + LUMA[2] * (data[o + 2] as number);
  }
  const colours = new Float32Array(QUERY_CROPS.length * COLOUR_VALUES);
  const chroma = chromaSums(data, channels, QUERY_SIZE);
  QUERY_CELLS.forEach((bounds, c) => {
    colourLayout(chroma, QUERY_SIZE, bounds, colours, c * COLOUR_VALUES);
  });
  return { ...describeGrey(grey), colours };
}

/** The grey part of the query descriptor of a QUERY_SIZE² grey picture. */
function describeGrey(grey: Float32Array): Omit<QueryFeatures, 'colours'> {
  const codes = new Uint32Array(QUERY_CROPS.length * HASH_WORDS);
  const masks = new Uint32Array(QUERY_CROPS.length * HASH_WORDS);
  const coefs = new Float64Array(HASH_BITS);
  const order = Array.from({ length: HASH_BITS }, (_, i) => i);
  let contrast = 0;
  QUERY_TRANSFORMS.forEach((t, c) => {
    coefficients(grey, t, coefs);
    const base = c * HASH_WORDS;
    let energy = 0;
    for (let b = 0; b < HASH_BITS; b++) {
      const v = coefs[b] as number;
      energy += v * v;
      const i = base + (b >> 5);
      if (v > 0) codes[i] = (codes[i] as number) | (1 << (b & 31));
      masks[i] = (masks[i] as number) | (1 << (b & 31));
    }
    // With an orthonormal transform the coefficients' energy is the thumbnail's (low-passed) variance.
    if (c === 0) contrast = Math.sqrt(energy) / CELLS;
    order.sort((a, b) => Math.abs(coefs[a] as number) - Math.abs(coefs[b] as number) || a - b);
    for (let n = 0; n < QUERY_MASKED_BITS; n++) {
      const b = order[n] as number;
      const i = base + (b >> 5);
      masks[i] = (masks[i] as number) & ~(1 << (b & 31));
    }
  });
  return { codes, masks, contrast };
}
