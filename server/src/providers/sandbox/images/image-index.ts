import {
  COLOUR_VALUES,
  colourDistance,
  FEATURE_BYTES,
  HASH_BITS,
  HASH_BYTES,
  HASH_WORDS,
  INDEX_CROPS,
  MIN_CONTRAST,
  QUERY_BITS,
  QUERY_CROPS,
  type QueryFeatures,
} from './features.js';

export interface ImageHit {
  goodIndex: number;
  /**
   * How far the pictures are, 0 (the same) and up: the fraction of differing grey bits (unrelated
   * pictures differ in about half), plus a penalty when the colour layouts disagree.
   */
  distance: number;
  /**
   * How surely the hit shows the queried picture, 0..1: above 0.9 it is the same picture (resized,
   * cropped to 70 %, recompressed or slightly recoloured), around 0.5 a close lookalike, near 0 a
   * merely similar or unrelated one.
   */
  score: number;
}

/** Hits farther than this are not returned by `search`. */
export const MAX_DISTANCE = 0.25;
/** Colour-layout distance that slight recolouring can cause, and the weight of any excess. */
const COLOUR_FREE = 0.3;
const COLOUR_WEIGHT = 0.2;
/**
 * Where `score` is 0.5, and how fast it falls around there: in trials over a million goods, copies
 * altered as much as the descriptor allows stayed below 0.125 (99 % below 0.11), while the nearest
 * other goods stayed above 0.11.
 */
const SCORE_MIDPOINT = 0.125;
const SCORE_WIDTH = 0.012;
/** Candidates kept from the grey scan beyond `limit`, for the colour check to reorder. */
const EXTRA_CANDIDATES = 24;
/**
 * The first word of a crop's bits holds its 32 lowest frequencies, the sturdiest: a query and the
 * crop it was taken from differ in at most a few of them (4 in the worst of our trials), while two
 * unrelated pictures agree that well only about once in fifty. Entries farther than this on the
 * first word are skipped without reading the rest, which makes the scan several times faster.
 */
const FIRST_WORD_LIMIT = 8;

const CROPS = INDEX_CROPS.length;
const REST = HASH_WORDS - 1;
const SUBS = QUERY_CROPS.length;

export function scoreOf(distance: number): number {
  return Math.round(1000 / (1 + Math.exp((distance - SCORE_MIDPOINT) / SCORE_WIDTH))) / 1000;
}

function popcount(x: number): number {
  let v = x - ((x >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return Math.imul((v + (v >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24;
}

/** The best `limit` goods seen, nearest first; ties keep the one seen first (the lower index). */
class Best {
  readonly distances: number[] = [];
  readonly goods: number[] = [];
  /** Which index crop and query crop matched: crop * SUBS + sub. */
  readonly pairs: number[] = [];

  constructor(
    private readonly limit: number,
    private readonly max: number,
  ) {}

  /** Entries farther than this cannot enter. */
  get bound(): number {
    return this.distances.length < this.limit ? this.max : (this.distances[this.limit - 1] as number) - 1;
  }

  add(distance: number, good: number, pair: number): void {
    let i = this.distances.length;
    while (i > 0 && (this.distances[i - 1] as number) > distance) i--;
    this.distances.splice(i, 0, distance);
    this.goods.splice(i, 0, good);
    this.pairs.splice(i, 0, pair);
    if (this.distances.length > this.limit) {
      this.distances.pop();
      this.goods.pop();
      this.pairs.pop();
    }
  }
}

/**
 * The pictures of one platform's goods, for search by picture: per good, the descriptor of its
 * main picture (FEATURE_BYTES from `indexFeatures`), kept in flat typed arrays indexed by the good's
 * catalog position, so positions should be dense from 0 (a million goods take about 170 MB).
 * A search scans every good: a Hamming scan over the grey bits that gives up early on entries
 * whose sturdiest bits already disagree, then a colour check of the nearest candidates.
 */
export class ImageIndex {
  /** Per good and crop, the first word of its grey bits. */
  private first = new Uint32Array(0);
  /** Per good and crop, the other words. */
  private rest = new Uint32Array(0);
  /** Per good and crop, the colour layout. */
  private colours = new Int8Array(0);
  private present = new Uint8Array(0);
  private capacity = 0;
  private end = 0;
  private count = 0;

  /** How many goods are indexed. */
  get size(): number {
    return this.count;
  }

  has(goodIndex: number): boolean {
    return Number.isInteger(goodIndex) && goodIndex >= 0 && goodIndex < this.end && this.present[goodIndex] === 1;
  }

  /** Indexes (or re-indexes) a good's main picture. */
  add(goodIndex: number, features: Uint8Array): void {
    if (!Number.isSafeInteger(goodIndex) || goodIndex < 0 || goodIndex >= 0x7fffffff) {
      throw new Error(`invalid good index ${goodIndex}`);
    }
    if (features.length !== FEATURE_BYTES) {
      throw new Error(`picture features must be ${FEATURE_BYTES} bytes, not ${features.length}`);
    }
    this.reserve(goodIndex + 1);
    for (let c = 0; c < CROPS; c++) {
      for (let w = 0; w < HASH_WORDS; w++) {
        const o = (c * HASH_WORDS + w) * 4;
        const word =
          ((features[o] as number) |
            ((features[o + 1] as number) << 8) |
            ((features[o + 2] as number) << 16) |
            ((features[o + 3] as number) << 24)) >>>
          0;
        if (w === 0) this.first[goodIndex * CROPS + c] = word;
        else this.rest[(goodIndex * CROPS + c) * REST + w - 1] = word;
      }
    }
    const colours = new Int8Array(features.buffer, features.byteOffset + HASH_BYTES, CROPS * COLOUR_VALUES);
    this.colours.set(colours, goodIndex * CROPS * COLOUR_VALUES);
    if (this.present[goodIndex] !== 1) this.count++;
    this.present[goodIndex] = 1;
    if (goodIndex >= this.end) this.end = goodIndex + 1;
  }

  /** Takes a good out of search (delisted); true when it was in. */
  remove(goodIndex: number): boolean {
    if (!this.has(goodIndex)) return false;
    this.present[goodIndex] = 0;
    this.count--;
    return true;
  }

  /**
   * The goods whose main picture the query shows, best first, at most `limit`, none farther than
   * MAX_DISTANCE. A blank query (a flat colour) finds nothing.
   */
  search(query: QueryFeatures, limit: number): ImageHit[] {
    const { codes, masks } = query;
    if (
      codes.length !== SUBS * HASH_WORDS ||
      masks.length !== SUBS * HASH_WORDS ||
      query.colours.length !== SUBS * COLOUR_VALUES
    ) {
      throw new Error('malformed query features');
    }
    const wanted = Math.max(1, Math.min(1000, Math.floor(limit) || 1));
    if (!(query.contrast >= MIN_CONTRAST) || this.count === 0) return [];
    const best = new Best(wanted + EXTRA_CANDIDATES, Math.floor(MAX_DISTANCE * QUERY_BITS));
    const { first, rest, present } = this;
    const q0 = codes[0] as number;
    const m0 = masks[0] as number;
    const q1 = codes[HASH_WORDS] as number;
    const m1 = masks[HASH_WORDS] as number;
    let bound = best.bound;
    for (let g = 0; g < this.end; g++) {
      if (present[g] !== 1) continue;
      let nearest = bound + 1;
      let pair = 0;
      const base = g * CROPS;
      for (let c = 0; c < CROPS; c++) {
        const word = first[base + c] as number;
        const da = popcount((word ^ q0) & m0);
        if (da <= FIRST_WORD_LIMIT && da < nearest) {
          const d = finish(rest, (base + c) * REST, codes, masks, 0, da, nearest);
          if (d < nearest) {
            nearest = d;
            pair = c * SUBS;
          }
        }
        const db = popcount((word ^ q1) & m1);
        if (db <= FIRST_WORD_LIMIT && db < nearest) {
          const d = finish(rest, (base + c) * REST, codes, masks, HASH_WORDS, db, nearest);
          if (d < nearest) {
            nearest = d;
            pair = c * SUBS + 1;
          }
        }
      }
      if (nearest <= bound) {
        best.add(nearest, g, pair);
        bound = best.bound;
      }
    }
    const hits = best.goods.map((goodIndex, i) => {
      const pair = best.pairs[i] as number;
      const crop = Math.floor(pair / SUBS);
      const colour = colourDistance(
        query.colours,
        (pair % SUBS) * COLOUR_VALUES,
        this.colours,
        (goodIndex * CROPS + crop) * COLOUR_VALUES,
      );
      return hit(goodIndex, (best.distances[i] as number) / QUERY_BITS, colour);
    });
    return rank(hits, wanted).filter((h) => h.distance <= MAX_DISTANCE);
  }

  /**
   * The goods whose main pictures look most like this good's (whole pictures compared), nearest
   * first, however far: for "related goods". Empty when the good is not indexed.
   */
  similar(goodIndex: number, limit: number): ImageHit[] {
    if (!this.has(goodIndex)) return [];
    const wanted = Math.max(1, Math.min(1000, Math.floor(limit) || 1));
    const best = new Best(wanted + EXTRA_CANDIDATES, HASH_BITS);
    const { first, rest, present } = this;
    const ref = goodIndex * CROPS;
    const r0 = first[ref] as number;
    const refRest = rest.slice(ref * REST, ref * REST + REST);
    let bound = best.bound;
    for (let g = 0; g < this.end; g++) {
      if (g === goodIndex || present[g] !== 1) continue;
      let d = popcount((first[g * CROPS] as number) ^ r0);
      const at = g * CROPS * REST;
      for (let w = 0; w < REST && d <= bound; w++) d += popcount((rest[at + w] as number) ^ (refRest[w] as number));
      if (d <= bound) {
        best.add(d, g, 0);
        bound = best.bound;
      }
    }
    const refColours = Float32Array.from(
      this.colours.subarray(ref * COLOUR_VALUES, (ref + 1) * COLOUR_VALUES),
      (v) => 2 * v,
    );
    const hits = best.goods.map((g, i) =>
      hit(
        g,
        (best.distances[i] as number) / HASH_BITS,
        colourDistance(refColours, 0, this.colours, g * CROPS * COLOUR_VALUES),
      ),
    );
    return rank(hits, wanted);
  }

  private reserve(needed: number): void {
    if (needed <= this.capacity) return;
    const capacity = Math.max(needed, Math.min(this.capacity * 2 || 1024, needed + 1_000_000));
    const first = new Uint32Array(capacity * CROPS);
    first.set(this.first);
    const rest = new Uint32Array(capacity * CROPS * REST);
    rest.set(this.rest);
    const colours = new Int8Array(capacity * CROPS * COLOUR_VALUES);
    colours.set(this.colours);
    const present = new Uint8Array(capacity);
    present.set(this.present);
    this.first = first;
    this.rest = rest;
    this.colours = colours;
    this.present = present;
    this.capacity = capacity;
  }
}

/** The rest of an entry's grey distance, given its first word's; `nearest` when it is not nearer. */
function finish(
  rest: Uint32Array,
  at: number,
  codes: Uint32Array,
  masks: Uint32Array,
  q: number,
  firstDistance: number,
  nearest: number,
): number {
  let d = firstDistance;
  for (let w = 0; w < REST && d < nearest; w++) {
    d += popcount(((rest[at + w] as number) ^ (codes[q + 1 + w] as number)) & (masks[q + 1 + w] as number));
  }
  return d < nearest ? d : nearest;
}

function hit(goodIndex: number, grey: number, colour: number): ImageHit {
  const distance = grey + COLOUR_WEIGHT * Math.max(0, colour - COLOUR_FREE);
  return { goodIndex, distance: Math.round(distance * 10000) / 10000, score: scoreOf(distance) };
}

function rank(hits: ImageHit[], limit: number): ImageHit[] {
  return hits.sort((a, b) => a.distance - b.distance || a.goodIndex - b.goodIndex).slice(0, limit);
}
