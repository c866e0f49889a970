import type Sqlite from 'better-sqlite3';
import { MarketRejection } from '../errors.js';
import type { Platform, SearchSort } from '../types.js';
import type { SandboxGood } from './catalog/model.js';
import type { GoodRow } from './catalog/reader.js';
import { indexFeatures, queryFeatures } from './images/features.js';
import { ImageIndex } from './images/image-index.js';
import { imageSpecOf } from './images/spec.js';
import { type IndexQuery, KeywordIndex } from './search/keyword-index.js';
import { documentTerms, standardAnalyzer } from './search/tokenize.js';
import { VOCABULARY } from './vocabulary.js';

/** Search filters in the index's terms (category keys rather than ids). */
export type SearchFilterKeys = Pick<
  IndexQuery,
  'category' | 'shopId' | 'priceMinFen' | 'priceMaxFen' | 'shipIn24h' | 'strictSelection'
>;

type IndexedRow = Pick<
  GoodRow,
  | 'idx'
  | 'shop_id'
  | 'category'
  | 'product_type'
  | 'material'
  | 'style'
  | 'colours'
  | 'price_fen'
  | 'sales'
  | 'ship_in_24h'
  | 'strict_selection'
  | 'status'
  | 'version'
>;

const COLUMNS =
  'idx, shop_id, category, product_type, material, style, colours, price_fen, sales, ship_in_24h, strict_selection, status, version';

/** The most picture matches a search considers (before filters and paging). */
const IMAGE_CANDIDATES = 200;
/** Related goods offered for one product, at most. */
const RELATED_LIMIT = 200;

const topOf = new Map(VOCABULARY.categories.map((c) => [c.key, c.parent]));

/**
 * The in-memory search of one platform: the keyword index and the picture index, loaded from the
 * sandbox store and kept in step with it. Several processes can share a store: each has its own
 * indexes and catches up with changes (stock, listing, sales) through the goods' versions.
 */
export class PlatformSearch {
  private version: number;

  private constructor(
    readonly platform: Platform,
    readonly generation: number,
    private readonly words: KeywordIndex,
    private readonly pictures: ImageIndex,
    private readonly filterRow: Sqlite.Statement<[Platform, number], IndexedRow>,
    private readonly versionOf: Sqlite.Statement<[], { value: number }>,
    private readonly changedSince: Sqlite.Statement<[Platform, number], IndexedRow>,
    version: number,
  ) {
    this.version = version;
  }

  /** The picture descriptor stored for a good when the catalog is seeded (its main picture). */
  static features(good: SandboxGood): Uint8Array {
    return indexFeatures(imageSpecOf(VOCABULARY, good));
  }

  static load(db: Sqlite.Database, platform: Platform, generation: number): PlatformSearch {
    const versionOf = db.prepare("select value from counters where name = 'goods_version'") as Sqlite.Statement<
      [],
      { value: number }
    >;
    const version = versionOf.get()?.value ?? 0;
    const words = new KeywordIndex();
    const pictures = new ImageIndex();
    const rows = db
      .prepare(`select ${COLUMNS} from goods where platform = ?`)
      .iterate(platform) as IterableIterator<IndexedRow>;
    for (const row of rows) words.add(toDoc(row));
    words.compact();
    const features = db
      .prepare(
        `select f.idx as idx, f.features as features from image_features f join goods g
         on g.platform = f.platform and g.idx = f.idx where f.platform = ? and g.status = 'active'`,
      )
      .iterate(platform) as IterableIterator<{ idx: number; features: Buffer }>;
    for (const f of features) pictures.add(f.idx, asBytes(f.features));
    return new PlatformSearch(
      platform,
      generation,
      words,
      pictures,
      db.prepare(`select ${COLUMNS} from goods where platform = ? and idx = ?`),
      versionOf,
      db.prepare(`select ${COLUMNS} from goods where platform = ? and version > ? order by version`),
      version,
    );
  }

  /** Applies what changed in the store since the last look (cheap when nothing did). */
  refresh(db: Sqlite.Database): void {
    const current = this.versionOf.get()?.value ?? 0;
    if (current <= this.version) return;
    for (const row of this.changedSince.all(this.platform, this.version)) {
      const wasActive = this.words.isActive(row.idx);
      const active = row.status === 'active';
      this.words.update(row.idx, {
        priceFen: row.price_fen,
        sales: row.sales,
        active,
        shipIn24h: row.ship_in_24h === 1,
      });
      if (wasActive && !active) this.pictures.remove(row.idx);
      if (!wasActive && active) {
        const f = db
          .prepare('select features from image_features where platform = ? and idx = ?')
          .get(this.platform, row.idx) as { features: Buffer } | undefined;
        if (f) this.pictures.add(row.idx, asBytes(f.features));
      }
    }
    this.version = current;
  }

  /**
   * Keyword search in any of the five languages. A word that is only part of some names ("giày",
   * "túi đeo") finds the goods of any of them. Words in no name are ignored when others are recognised;
   * a keyword with no recognised word finds nothing. An empty keyword browses.
   */
  keyword(
    text: string,
    filters: SearchFilterKeys,
    sort: SearchSort,
    offset: number,
    limit: number,
  ): { total: number; indexes: number[] } {
    const { terms, groups } = standardAnalyzer().analyze(text);
    if (text.trim() !== '' && terms.length === 0 && groups.length === 0) return { total: 0, indexes: [] };
    return this.words.search({ terms, anyOf: groups, ...filters, sort, offset, limit });
  }

  /** Goods whose main picture matches, best first, filtered. */
  async image(bytes: Buffer, filters: SearchFilterKeys): Promise<{ index: number; score: number }[]> {
    let query: Awaited<ReturnType<typeof queryFeatures>>;
    try {
      query = await queryFeatures(bytes);
    } catch (err) {
      // An unreadable picture is the caller's mistake, not the marketplace's failure.
      throw new MarketRejection('invalid_value', err instanceof Error ? err.message : String(err), 'image');
    }
    const hits = this.pictures.search(query, IMAGE_CANDIDATES);
    const out: { index: number; score: number }[] = [];
    for (const hit of hits) {
      const row = this.filterRow.get(this.platform, hit.goodIndex);
      if (row && row.status === 'active' && passes(row, filters)) out.push({ index: hit.goodIndex, score: hit.score });
    }
    return out;
  }

  /**
   * Goods related to one: those with the most similar pictures in its own category first, then the
   * keyword index's related goods (same category, most shared title words, best sellers).
   */
  related(index: number, offset: number, limit: number): { total: number; indexes: number[] } {
    const row = this.filterRow.get(this.platform, index);
    if (!row) return { total: 0, indexes: [] };
    const seen = new Set<number>([index]);
    const list: number[] = [];
    for (const hit of this.pictures.similar(index, 10)) {
      const other = this.filterRow.get(this.platform, hit.goodIndex);
      if (other && other.category === row.category && other.status === 'active' && !seen.has(hit.goodIndex)) {
        seen.add(hit.goodIndex);
        list.push(hit.goodIndex);
      }
    }
    for (const i of this.words.related(index, RELATED_LIMIT).indexes) {
      if (!seen.has(i)) {
        seen.add(i);
        list.push(i);
      }
    }
    const capped = list.slice(0, RELATED_LIMIT);
    return { total: capped.length, indexes: capped.slice(offset, offset + limit) };
  }

  recommend(
    seeds: number[],
    category: string | undefined,
    offset: number,
    limit: number,
  ): { total: number; indexes: number[] } {
    return this.words.recommend({ seedIndexes: seeds, category, offset, limit });
  }
}

/** A stored descriptor blob as the picture index takes it (a view, not a copy). */
function asBytes(blob: Buffer): Uint8Array {
  return new Uint8Array(blob.buffer, blob.byteOffset, blob.byteLength);
}

function toDoc(row: IndexedRow) {
  const colours = JSON.parse(row.colours) as string[];
  return {
    index: row.idx,
    terms: documentTerms({
      productType: row.product_type,
      material: row.material,
      style: row.style,
      colours,
      category: row.category,
    }),
    category: row.category,
    topCategory: topOf.get(row.category) ?? row.category,
    shopId: row.shop_id,
    priceFen: row.price_fen,
    sales: row.sales,
    shipIn24h: row.ship_in_24h === 1,
    strictSelection: row.strict_selection === 1,
    active: row.status === 'active',
  };
}

function passes(row: IndexedRow, f: SearchFilterKeys): boolean {
  if (f.category !== undefined && row.category !== f.category && topOf.get(row.category) !== f.category) return false;
  if (f.shopId !== undefined && row.shop_id !== f.shopId) return false;
  if (f.priceMinFen !== undefined && row.price_fen < f.priceMinFen) return false;
  if (f.priceMaxFen !== undefined && row.price_fen > f.priceMaxFen) return false;
  if (f.shipIn24h !== undefined && (row.ship_in_24h === 1) !== f.shipIn24h) return false;
  if (f.strictSelection !== undefined && (row.strict_selection === 1) !== f.strictSelection) return false;
  return true;
}
