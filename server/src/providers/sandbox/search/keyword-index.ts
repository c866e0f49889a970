/**
 * The in-memory keyword index of one sandbox platform. Goods are identified by their catalog index
 * (dense from 0), which lets every per-good field live in a typed array indexed by it, and posting
 * lists hold catalog indexes in increasing order so they can be intersected with moving cursors.
 * A million goods take about 110 MB (95 MB of typed arrays).
 */

/** What the index needs to know about a good. */
export interface IndexDoc {
  /** The good's catalog index, dense from 0. */
  index: number;
  /** Term ids (see `documentTerms`); the first colour term is taken as the good's main colour. */
  terms: string[];
  /** Leaf category key. */
  category: string;
  topCategory: string;
  shopId: string;
  priceFen: number;
  sales: number;
  shipIn24h: boolean;
  strictSelection: boolean;
  /** False once delisted: the good stays indexed but is never returned. */
  active: boolean;
}

/** The fields of a good that change after it is listed. */
export type IndexUpdate = Partial<Pick<IndexDoc, 'priceFen' | 'sales' | 'active' | 'shipIn24h'>>;

export type IndexSort = 'relevance' | 'price_asc' | 'price_desc' | 'sales_desc';

export interface IndexQuery {
  /** All must match; none browses everything that passes the filters. */
  terms: string[];
  /**
   * Groups of terms, each met by a good having any one of its terms; all groups must be met, as well as
   * all `terms`. An empty group is met by nothing.
   */
  anyOf?: string[][];
  /** A leaf or a top-level category key. */
  category?: string;
  shopId?: string;
  /** Inclusive bounds on the lowest SKU price. */
  priceMinFen?: number;
  priceMaxFen?: number;
  /** When given, goods must have exactly this value (leave it out not to filter). */
  shipIn24h?: boolean;
  strictSelection?: boolean;
  sort?: IndexSort;
  offset: number;
  limit: number;
}

export interface IndexResult {
  /** How many goods match in all. */
  total: number;
  /** Catalog indexes of the page, in order. */
  indexes: number[];
}

export interface RecommendOptions {
  /** Goods the recommendations lean towards (their categories, then their terms); never returned. */
  seedIndexes?: number[];
  /** A leaf or a top-level category key the recommendations are taken from. */
  category?: string;
  limit: number;
  offset?: number;
}

const PRESENT = 1;
const ACTIVE = 2;
const SHIP_24H = 4;
const STRICT = 8;

/**
 * Candidates are ranked by a numeric key (smaller first), then by catalog index. Keys are doubles built
 * from small integers, so they stay exact: a tier or a score above the sales.
 */
const TWO_31 = 2 ** 31;
const TWO_32 = 2 ** 32;
const TWO_40 = 2 ** 40;
const MAX_SCORE = 2 ** 20 - 1;

function sortMode(sort: IndexSort): number {
  switch (sort) {
    case 'relevance':
      return 0;
    case 'price_asc':
      return 1;
    case 'price_desc':
      return 2;
    case 'sales_desc':
      return 3;
    default:
      throw new RangeError(`unknown sort: ${String(sort satisfies never)}`);
  }
}

/** How much a shared term counts when recommending from seed goods, by kind. */
const TERM_WEIGHTS: [string, number][] = [
  ['t:', 4],
  ['cat:', 3],
  ['s:', 2],
  ['m:', 2],
  ['c:', 1],
  ['top:', 0],
];
const COLOUR_PREFIX = 'c:';

function emptyResult(): IndexResult {
  return { total: 0, indexes: [] };
}

/** A growable list of catalog indexes, sorted lazily when goods were added out of order. */
class Postings {
  private data = new Int32Array(4);
  private size = 0;
  private sorted = true;

  push(value: number): void {
    if (this.size === this.data.length) {
      const bigger = new Int32Array(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    if (this.size > 0 && (this.data[this.size - 1] as number) > value) this.sorted = false;
    this.data[this.size++] = value;
  }

  /** The indexes in increasing order (a view, valid until the next `push`). */
  view(): Int32Array {
    const v = this.data.subarray(0, this.size);
    if (!this.sorted) {
      v.sort();
      this.sorted = true;
    }
    return v;
  }

  compact(): void {
    if (this.data.length !== this.size) this.data = this.data.slice(0, Math.max(this.size, 1));
  }

  get bytes(): number {
    return this.data.byteLength;
  }
}

/** Interns keys (terms, categories, shops) as small integers, each with its posting list. */
class Registry {
  readonly ids = new Map<string, number>();
  readonly names: string[] = [];
  readonly postings: Postings[] = [];

  constructor(private readonly limit: number) {}

  id(key: string): number {
    let id = this.ids.get(key);
    if (id === undefined) {
      id = this.names.length;
      if (id >= this.limit) throw new RangeError(`too many distinct keys (${this.limit})`);
      this.ids.set(key, id);
      this.names.push(key);
      this.postings.push(new Postings());
    }
    return id;
  }

  list(key: string): Postings | undefined {
    const id = this.ids.get(key);
    return id === undefined ? undefined : this.postings[id];
  }
}

function grown<T extends Int32Array | Uint16Array | Uint8Array>(a: T, size: number): T {
  if (size <= a.length) return a;
  const b = new (a.constructor as new (n: number) => T)(Math.max(size, a.length * 2, 1024));
  b.set(a);
  return b;
}

/** The first position at or after `from` whose value is at least `target`, by exponential then binary search. */
function seek(list: Int32Array, from: number, target: number): number {
  const n = list.length;
  if (from >= n || (list[from] as number) >= target) return from;
  let lo = from;
  let step = 1;
  while (lo + step < n && (list[lo + step] as number) < target) {
    lo += step;
    step *= 2;
  }
  let hi = Math.min(lo + step, n);
  // list[lo] < target, and list[hi] >= target unless hi === n.
  while (lo + 1 < hi) {
    const mid = (lo + hi) >>> 1;
    if ((list[mid] as number) < target) lo = mid;
    else hi = mid;
  }
  return hi;
}

/** The values of two increasing lists, in increasing order, each once. */
function merge(a: Int32Array, b: Int32Array): Int32Array {
  const out = new Int32Array(a.length + b.length);
  let i = 0;
  let j = 0;
  let n = 0;
  while (i < a.length && j < b.length) {
    const x = a[i] as number;
    const y = b[j] as number;
    if (x <= y) {
      out[n++] = x;
      i++;
      if (x === y) j++;
    } else {
      out[n++] = y;
      j++;
    }
  }
  if (i < a.length) out.set(a.subarray(i), n);
  else out.set(b.subarray(j), n);
  return out.subarray(0, n + (a.length - i) + (b.length - j));
}

/**
 * How many times a value copied by a merge costs more than a catalog index read by a bitmap pass (the
 * merges branch unpredictably, the pass does not), measured on a million goods.
 */
const MERGE_COST = 6;

/**
 * The union of increasing lists, as one increasing list. Merged in pairs, each value is copied about
 * log2(lists) times; when that costs more than one pass over every catalog index, the values are marked
 * in `marks` (all zeros, at least `end` long, left all zeros) which is then read in order.
 */
function union(lists: Int32Array[], end: number, marks: Uint8Array): Int32Array {
  if (lists.length === 1) return lists[0] as Int32Array;
  let total = 0;
  for (const l of lists) total += l.length;
  if (total * Math.ceil(Math.log2(lists.length)) * MERGE_COST > end) {
    for (const l of lists) for (let i = 0; i < l.length; i++) marks[l[i] as number] = 1;
    // Every index is written and kept only when marked: no branch to mispredict on dense unions.
    const out = new Int32Array(total + 1);
    let n = 0;
    for (let d = 0; d < end; d++) {
      out[n] = d;
      n += marks[d] as number;
    }
    marks.fill(0, 0, end);
    return out.subarray(0, n);
  }
  let level = lists;
  while (level.length > 1) {
    const next: Int32Array[] = [];
    for (let i = 0; i + 1 < level.length; i += 2) next.push(merge(level[i] as Int32Array, level[i + 1] as Int32Array));
    if (level.length % 2 === 1) next.push(level[level.length - 1] as Int32Array);
    level = next;
  }
  return level[0] as Int32Array;
}

/** Prices and sales live in Int32Arrays: anything else would be stored wrapped. */
function checkInt32(field: string, value: number): number {
  if ((value | 0) !== value) throw new RangeError(`${field} must be a 32-bit integer: ${value}`);
  return value;
}

function checkPaging(offset: number, limit: number): void {
  if (!Number.isInteger(offset) || offset < 0) throw new RangeError(`offset must be a non-negative integer: ${offset}`);
  if (!Number.isInteger(limit) || limit < 0) throw new RangeError(`limit must be a non-negative integer: ${limit}`);
}

/**
 * The best `k` candidates seen so far, by (key, catalog index), in a max-heap whose root is the worst
 * kept. A first page out of a million goods thus costs one comparison for most of them, not a sort.
 */
class TopK {
  private readonly keys: Float64Array;
  private readonly docs: Int32Array;
  private size = 0;
  /** A candidate with a larger key cannot enter (one with an equal key may, on the catalog index). */
  bar: number;

  constructor(private readonly k: number) {
    this.keys = new Float64Array(k);
    this.docs = new Int32Array(k);
    this.bar = k > 0 ? Infinity : -Infinity;
  }

  offer(key: number, doc: number): void {
    const { keys, docs, k } = this;
    let c: number;
    if (this.size < k) {
      // Sift the newcomer up while it ranks after its parent.
      c = this.size++;
      while (c > 0) {
        const p = (c - 1) >> 1;
        const pk = keys[p] as number;
        if (key < pk || (key === pk && doc < (docs[p] as number))) break;
        keys[c] = pk;
        docs[c] = docs[p] as number;
        c = p;
      }
    } else {
      const rk = keys[0] as number;
      if (key > rk || (key === rk && doc >= (docs[0] as number))) return;
      // Replace the worst and sift down, moving up whichever child ranks after the newcomer.
      c = 0;
      for (;;) {
        let w = 2 * c + 1;
        if (w >= k) break;
        const r = w + 1;
        if (r < k) {
          const wk = keys[w] as number;
          const rk2 = keys[r] as number;
          if (rk2 > wk || (rk2 === wk && (docs[r] as number) > (docs[w] as number))) w = r;
        }
        const wk = keys[w] as number;
        if (wk < key || (wk === key && (docs[w] as number) < doc)) break;
        keys[c] = wk;
        docs[c] = docs[w] as number;
        c = w;
      }
    }
    keys[c] = key;
    docs[c] = doc;
    if (this.size === k) this.bar = keys[0] as number;
  }

  /** The kept candidates, best first, from the `offset`th. */
  ranked(offset: number): number[] {
    const { keys, docs } = this;
    const order = Array.from({ length: this.size }, (_, i) => i);
    order.sort((a, b) => (keys[a] as number) - (keys[b] as number) || (docs[a] as number) - (docs[b] as number));
    return order.slice(offset).map((i) => docs[i] as number);
  }
}

export class KeywordIndex {
  private readonly terms = new Registry(0x7fffffff);
  private readonly leaves = new Registry(0xffff);
  private readonly tops = new Registry(0xffff);
  private readonly shops = new Registry(0x7fffffff);

  /** One past the highest catalog index added. */
  private end = 0;
  private count = 0;
  private activeCount = 0;
  private flags = new Uint8Array(0);
  private price = new Int32Array(0);
  private sales = new Int32Array(0);
  private leaf = new Uint16Array(0);
  private top = new Uint16Array(0);
  private shop = new Int32Array(0);
  /** Term id of the main colour plus one, or 0 when the good has no colour. */
  private mainColour = new Int32Array(0);
  /** Each good's term ids, as a slice of `termPool`. */
  private termStart = new Int32Array(0);
  private termCount = new Uint8Array(0);
  private termPool = new Int32Array(0);
  private poolSize = 0;
  private termWeight = new Uint8Array(0);
  /** Scratch space for unions of posting lists, one byte per catalog index, kept all zeros between uses. */
  private marks = new Uint8Array(0);

  /** How many goods were added. */
  get size(): number {
    return this.count;
  }

  has(index: number): boolean {
    return Number.isInteger(index) && index >= 0 && index < this.end && ((this.flags[index] as number) & PRESENT) !== 0;
  }

  /** Whether the good is indexed and listed. */
  isActive(index: number): boolean {
    return this.has(index) && ((this.flags[index] as number) & ACTIVE) !== 0;
  }

  add(doc: IndexDoc): void {
    const d = doc.index;
    if (!Number.isInteger(d) || d < 0 || d > 0x7ffffffe) throw new RangeError(`bad catalog index: ${d}`);
    if (this.has(d)) throw new Error(`good ${d} is already in the index`);
    const terms = doc.terms.filter((t, i) => doc.terms.indexOf(t) === i);
    if (terms.length > 255) throw new RangeError(`good ${d} has more than 255 terms`);
    checkInt32('priceFen', doc.priceFen);
    checkInt32('sales', doc.sales);
    this.reserve(d + 1);
    this.flags[d] =
      PRESENT | (doc.active ? ACTIVE : 0) | (doc.shipIn24h ? SHIP_24H : 0) | (doc.strictSelection ? STRICT : 0);
    if (doc.active) this.activeCount++;
    this.price[d] = doc.priceFen;
    this.sales[d] = doc.sales;
    const leaf = this.leaves.id(doc.category);
    this.leaf[d] = leaf;
    this.leaves.postings[leaf]?.push(d);
    const top = this.tops.id(doc.topCategory);
    this.top[d] = top;
    this.tops.postings[top]?.push(d);
    const shop = this.shops.id(doc.shopId);
    this.shop[d] = shop;
    this.shops.postings[shop]?.push(d);

    this.termPool = grown(this.termPool, this.poolSize + terms.length);
    this.termStart[d] = this.poolSize;
    this.termCount[d] = terms.length;
    let mainColour = 0;
    for (const term of terms) {
      const id = this.termId(term);
      this.termPool[this.poolSize++] = id;
      this.terms.postings[id]?.push(d);
      if (mainColour === 0 && term.startsWith(COLOUR_PREFIX)) mainColour = id + 1;
    }
    this.mainColour[d] = mainColour;
    this.end = Math.max(this.end, d + 1);
    this.count++;
  }

  update(index: number, change: IndexUpdate): void {
    if (!this.has(index)) throw new RangeError(`good ${index} is not in the index`);
    if (change.priceFen !== undefined) this.price[index] = checkInt32('priceFen', change.priceFen);
    if (change.sales !== undefined) this.sales[index] = checkInt32('sales', change.sales);
    const was = this.flags[index] as number;
    let f = was;
    if (change.active !== undefined) f = change.active ? f | ACTIVE : f & ~ACTIVE;
    if (change.shipIn24h !== undefined) f = change.shipIn24h ? f | SHIP_24H : f & ~SHIP_24H;
    this.flags[index] = f;
    if ((f & ACTIVE) !== (was & ACTIVE)) this.activeCount += f & ACTIVE ? 1 : -1;
  }

  /** The terms a good was indexed under. */
  termsOf(index: number): string[] {
    if (!this.has(index)) return [];
    const start = this.termStart[index] as number;
    const out: string[] = [];
    for (let k = 0; k < (this.termCount[index] as number); k++) {
      out.push(this.terms.names[this.termPool[start + k] as number] as string);
    }
    return out;
  }

  search(q: IndexQuery): IndexResult {
    checkPaging(q.offset, q.limit);
    const mode = sortMode(q.sort ?? 'relevance');
    const lists: Int32Array[] = [];
    // Every result has every term, so relevance tells them apart by whether a colour asked for (as a term
    // or in a group) is the good's main colour (the one its description and first picture show) rather
    // than another SKU's.
    const colourAsked = new Uint8Array(this.terms.names.length + 1);
    const required = new Set<number>();
    for (const term of new Set(q.terms)) {
      const id = this.terms.ids.get(term);
      if (id === undefined) return emptyResult();
      required.add(id);
      lists.push((this.terms.postings[id] as Postings).view());
      if (term.startsWith(COLOUR_PREFIX)) colourAsked[id + 1] = 1;
    }
    for (const group of q.anyOf ?? []) {
      const ids = new Set<number>();
      for (const term of group) {
        const id = this.terms.ids.get(term);
        if (id === undefined) continue;
        ids.add(id);
        if (term.startsWith(COLOUR_PREFIX)) colourAsked[id + 1] = 1;
      }
      if (ids.size === 0) return emptyResult();
      // A group holding a required term is met by every candidate.
      if ([...ids].some((id) => required.has(id))) continue;
      const members = [...ids].map((id) => (this.terms.postings[id] as Postings).view());
      if (members.length > 1 && this.marks.length < this.end) this.marks = new Uint8Array(this.end);
      lists.push(union(members, this.end, this.marks));
    }
    if (q.category !== undefined) {
      const p = this.categoryList(q.category);
      if (!p) return emptyResult();
      lists.push(p.view());
    }
    if (q.shopId !== undefined) {
      const p = this.shops.list(q.shopId);
      if (!p) return emptyResult();
      lists.push(p.view());
    }
    let mask = ACTIVE;
    let want = ACTIVE;
    if (q.shipIn24h !== undefined) {
      mask |= SHIP_24H;
      if (q.shipIn24h) want |= SHIP_24H;
    }
    if (q.strictSelection !== undefined) {
      mask |= STRICT;
      if (q.strictSelection) want |= STRICT;
    }
    const minPrice = q.priceMinFen ?? -Infinity;
    const maxPrice = q.priceMaxFen ?? Infinity;

    // The shortest list drives; the others are advanced with `seek`, so no list is read twice.
    lists.sort((a, b) => a.length - b.length);
    const driver = lists[0];
    const n = driver ? driver.length : this.end;
    const best = new TopK(Math.min(q.offset + q.limit, n));
    const { flags, price, sales, mainColour } = this;
    const others = lists.length - 1;
    const cursors = new Int32Array(Math.max(others, 0));
    let total = 0;
    outer: for (let i = 0; i < n; i++) {
      const d = driver ? (driver[i] as number) : i;
      if (((flags[d] as number) & mask) !== want) continue;
      const p = price[d] as number;
      if (p < minPrice || p > maxPrice) continue;
      for (let j = 0; j < others; j++) {
        const list = lists[j + 1] as Int32Array;
        let c = cursors[j] as number;
        if (c < list.length && (list[c] as number) < d) {
          c = seek(list, c, d);
          cursors[j] = c;
        }
        if (c >= list.length) break outer;
        if (list[c] !== d) continue outer;
      }
      total++;
      const key =
        mode === 1
          ? p
          : mode === 2
            ? -p
            : mode === 3
              ? -(sales[d] as number)
              : -((colourAsked[mainColour[d] as number] as number) * TWO_32 + (sales[d] as number));
      if (key <= best.bar) best.offer(key, d);
    }
    return { total, indexes: best.ranked(q.offset) };
  }

  /**
   * Goods related to one: those of its top-level category, the ones of its own leaf category first, each
   * tier ranked by how many terms they share with it, then by sales. Never the good itself.
   */
  related(index: number, limit: number, offset = 0): IndexResult {
    checkPaging(offset, limit);
    if (!this.has(index)) return emptyResult();
    const mark = new Uint8Array(this.terms.names.length);
    const start = this.termStart[index] as number;
    for (let k = 0; k < (this.termCount[index] as number); k++) mark[this.termPool[start + k] as number] = 1;
    const leaf = this.leaf[index] as number;
    const sameLeaf = (this.leaves.postings[leaf] as Postings).view();
    const sameTop = (this.tops.postings[this.top[index] as number] as Postings).view();
    const best = new TopK(Math.min(offset + limit, sameTop.length));
    const { flags, sales, termPool, termStart, termCount, leaf: leafOf } = this;
    const shared = (d: number): number => {
      let n = 0;
      const e = (termStart[d] as number) + (termCount[d] as number);
      for (let k = termStart[d] as number; k < e; k++) n += mark[termPool[k] as number] as number;
      return n;
    };
    let inLeaf = 0;
    for (let i = 0; i < sameLeaf.length; i++) {
      const d = sameLeaf[i] as number;
      if (d === index || ((flags[d] as number) & ACTIVE) === 0) continue;
      inLeaf++;
      const key = -(TWO_40 + shared(d) * TWO_32 + (sales[d] as number));
      if (key <= best.bar) best.offer(key, d);
    }
    // The rest of the top-level category ranks after the whole leaf: scored only when the page reaches it.
    const score = offset + limit > inLeaf;
    let outside = 0;
    for (let i = 0; i < sameTop.length; i++) {
      const d = sameTop[i] as number;
      if (leafOf[d] === leaf || ((flags[d] as number) & ACTIVE) === 0) continue;
      outside++;
      if (!score) continue;
      const key = -(shared(d) * TWO_32 + (sales[d] as number));
      if (key <= best.bar) best.offer(key, d);
    }
    return { total: inLeaf + outside, indexes: best.ranked(offset) };
  }

  /**
   * Popular goods (by sales). With seeds, the goods of the seeds' leaf categories come first, ranked by
   * the weight of the terms they share with the seeds (product type above category, style and material
   * above colour), then by sales; the seeds themselves are left out.
   */
  recommend(opts: RecommendOptions): IndexResult {
    const offset = opts.offset ?? 0;
    checkPaging(offset, opts.limit);
    let scope: Int32Array | null = null;
    let inScope = (_d: number): boolean => true;
    if (opts.category !== undefined) {
      const key = opts.category;
      const leafId = this.leaves.ids.get(key);
      const topId = leafId === undefined ? this.tops.ids.get(key) : undefined;
      if (leafId !== undefined) inScope = (d) => this.leaf[d] === leafId;
      else if (topId !== undefined) inScope = (d) => this.top[d] === topId;
      else return emptyResult();
      scope = (this.categoryList(key) as Postings).view();
    }
    const seeds = new Set((opts.seedIndexes ?? []).filter((i) => this.has(i)));
    const n = scope ? scope.length : this.end;
    const k = offset + opts.limit;
    const best = new TopK(Math.min(k, n));
    const { flags, sales, leaf, termPool, termStart, termCount } = this;

    // The seeds' leaf categories, first, scored against the seeds' terms.
    const profile = new Int32Array(this.terms.names.length);
    const seedLeaves = new Uint8Array(this.leaves.names.length);
    for (const s of seeds) {
      seedLeaves[leaf[s] as number] = 1;
      const start = termStart[s] as number;
      for (let j = 0; j < (termCount[s] as number); j++) {
        const t = termPool[start + j] as number;
        profile[t] = (profile[t] as number) + (this.termWeight[t] as number);
      }
    }
    const seedList = [...seeds].sort((a, b) => a - b);
    let first = 0;
    for (let l = 0; l < seedLeaves.length; l++) {
      if (seedLeaves[l] === 0) continue;
      const list = (this.leaves.postings[l] as Postings).view();
      // The list and the seeds are both in increasing order: one cursor finds the seeds in it.
      let nextSeed = 0;
      for (let i = 0; i < list.length; i++) {
        const d = list[i] as number;
        while (nextSeed < seedList.length && (seedList[nextSeed] as number) < d) nextSeed++;
        if (seedList[nextSeed] === d) continue;
        if (((flags[d] as number) & ACTIVE) === 0 || (scope !== null && !inScope(d))) continue;
        first++;
        let score = 0;
        const e = (termStart[d] as number) + (termCount[d] as number);
        for (let j = termStart[d] as number; j < e; j++) score += profile[termPool[j] as number] as number;
        const key = -((MAX_SCORE + 1 + Math.min(score, MAX_SCORE)) * TWO_31 + (sales[d] as number));
        if (key <= best.bar) best.offer(key, d);
      }
    }

    // Then everything else by sales; when the page ends within the first part, only counted.
    let rest = 0;
    if (k > first || scope !== null) {
      for (let i = 0; i < n; i++) {
        const d = scope ? (scope[i] as number) : i;
        if (((flags[d] as number) & ACTIVE) === 0 || seedLeaves[leaf[d] as number] === 1) continue;
        rest++;
        const key = -(sales[d] as number);
        if (key <= best.bar) best.offer(key, d);
      }
    } else {
      let seedsActive = 0;
      for (const s of seeds) if (((flags[s] as number) & ACTIVE) !== 0) seedsActive++;
      rest = this.activeCount - first - seedsActive;
    }
    return { total: first + rest, indexes: best.ranked(offset) };
  }

  /** Trims the spare room the lists grew with; worth calling once after a bulk load. */
  compact(): void {
    for (const r of [this.terms, this.leaves, this.tops, this.shops]) for (const p of r.postings) p.compact();
    const n = this.end;
    this.flags = this.flags.slice(0, n);
    this.price = this.price.slice(0, n);
    this.sales = this.sales.slice(0, n);
    this.leaf = this.leaf.slice(0, n);
    this.top = this.top.slice(0, n);
    this.shop = this.shop.slice(0, n);
    this.mainColour = this.mainColour.slice(0, n);
    this.termStart = this.termStart.slice(0, n);
    this.termCount = this.termCount.slice(0, n);
    this.termPool = this.termPool.slice(0, this.poolSize);
  }

  /** Bytes held in typed arrays (the bulk of the index; maps and small objects are not counted). */
  byteSize(): number {
    let bytes = 0;
    for (const r of [this.terms, this.leaves, this.tops, this.shops]) for (const p of r.postings) bytes += p.bytes;
    for (const a of [
      this.flags,
      this.price,
      this.sales,
      this.leaf,
      this.top,
      this.shop,
      this.mainColour,
      this.termStart,
      this.termCount,
      this.termPool,
      this.termWeight,
      this.marks,
    ]) {
      bytes += a.byteLength;
    }
    return bytes;
  }

  private termId(term: string): number {
    const known = this.terms.ids.get(term);
    if (known !== undefined) return known;
    const id = this.terms.id(term);
    this.termWeight = grown(this.termWeight, id + 1);
    this.termWeight[id] = TERM_WEIGHTS.find(([prefix]) => term.startsWith(prefix))?.[1] ?? 1;
    return id;
  }

  private categoryList(key: string): Postings | undefined {
    return this.leaves.list(key) ?? this.tops.list(key);
  }

  private reserve(size: number): void {
    if (size <= this.flags.length) return;
    this.flags = grown(this.flags, size);
    this.price = grown(this.price, size);
    this.sales = grown(this.sales, size);
    this.leaf = grown(this.leaf, size);
    this.top = grown(this.top, size);
    this.shop = grown(this.shop, size);
    this.mainColour = grown(this.mainColour, size);
    this.termStart = grown(this.termStart, size);
    this.termCount = grown(this.termCount, size);
  }
}
