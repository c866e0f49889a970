import { setTimeout as sleep } from 'node:timers/promises';
import { MarketRejection, UpstreamError } from '../errors.js';
import type {
  ImageHit,
  ImageInput,
  ImageSearch,
  KeywordSearch,
  Language,
  MarketingList,
  Platform,
  ProductSummary,
  ProviderShop,
  SearchFilters,
  SearchPage,
  ShopSearch,
} from '../types.js';
import type { CatalogParams } from './catalog/generate.js';
import { CatalogNames, CatalogReader, type GoodRow } from './catalog/reader.js';
import { SellerChat } from './market/chat.js';
import { MarketClock } from './market/clock.js';
import type { MarketContext } from './market/context.js';
import { touchGood } from './market/context.js';
import { EventLog } from './market/events.js';
import { type Fault, FaultStore } from './market/faults.js';
import { Orders } from './market/orders.js';
import { PolicyStore } from './market/policy.js';
import { Refunds } from './market/refunds.js';
import { parseSandboxImageUrl } from './picture-url.js';
import { type ImageFile, type PictureOptions, ProductPictures } from './pictures.js';
import { SandboxAlibaba, SandboxTaobao } from './provider.js';
import { ResetJobs } from './reset-jobs.js';
import { PlatformSearch, type SearchFilterKeys } from './search-index.js';
import { type SeedingWorker, seedInWorker } from './seeding.js';
import { type SandboxStatus, storeCounts } from './status.js';
import { SandboxStore, type SeedProgress } from './store.js';
import { VOCABULARY } from './vocabulary.js';

export interface SandboxOptions {
  /** The sandbox store's file (`<dataDir>/sandbox.db`), or `:memory:`. */
  file: string;
  /** Real time; the market clock runs from it at `clockSpeed`. */
  realNow?: () => number;
  clockSpeed?: number;
  /** The server's public base URL, for picture links. */
  baseUrl: () => string;
  /** The catalog seeded on first use when the store has none. */
  catalog: CatalogParams;
  /** Fetches a picture given by URL for picture search (the caller has vetted the URL). */
  fetchImage?: (url: string) => Promise<Buffer>;
  /** The worker threads drawing product pictures and the cache of encoded ones. */
  pictures?: PictureOptions;
  /**
   * Checkpoints the store's WAL away from the caller's thread (the server passes its worker-thread
   * checkpointer); without it SQLite checkpoints inside a commit every 1,000 pages, fsync included.
   */
  checkpointer?: (file: string) => { stop(): Promise<void> };
}

/**
 * The sandbox marketplace: a simulated Taobao and 1688 with their own store, clock and sellers. The
 * platform uses `taobao` and `alibaba` (the provider interfaces); the `/sandbox` control API and the
 * tests use the rest.
 */
export class SandboxMarket {
  readonly store: SandboxStore;
  readonly catalog: CatalogReader;
  readonly clock: MarketClock;
  readonly policy: PolicyStore;
  readonly faults: FaultStore;
  readonly events: EventLog;
  /** Chats between buyers and sellers, behind `chatUrl` and the `/sandbox/im` pages. */
  readonly chat: SellerChat;
  readonly taobao: SandboxTaobao;
  readonly alibaba: SandboxAlibaba;
  /** Resets started through the control API, one at a time. */
  readonly resets = new ResetJobs();
  private readonly pictures: ProductPictures;
  private seeding: SeedingWorker | null = null;
  private closed = false;
  private readonly orders: Record<Platform, Orders>;
  private readonly refunds: Record<Platform, Refunds>;
  private readonly indexes = new Map<Platform, PlatformSearch>();
  private readonly fetchImage: (url: string) => Promise<Buffer>;
  private ticker: NodeJS.Timeout | undefined;
  private ticking: Promise<number> | null = null;
  private readonly checkpointer: { stop(): Promise<void> } | undefined;
  private seeded = false;
  private readonly defaultCatalog: CatalogParams;

  constructor(options: SandboxOptions) {
    const realNow = options.realNow ?? Date.now;
    this.store = new SandboxStore(options.file);
    const db = this.store.db;
    if (options.checkpointer && options.file !== ':memory:') {
      // The automatic checkpoint stays as a fallback, far less often.
      db.pragma('wal_autocheckpoint = 20000');
      this.checkpointer = options.checkpointer(options.file);
    }
    this.catalog = new CatalogReader(db, new CatalogNames(VOCABULARY), options.baseUrl);
    this.clock = new MarketClock(db, realNow, options.clockSpeed ?? 1);
    this.policy = new PolicyStore(db);
    this.faults = new FaultStore(db);
    this.events = new EventLog(db, realNow);
    this.fetchImage = options.fetchImage ?? defaultFetchImage;
    this.pictures = new ProductPictures(options.pictures);
    this.defaultCatalog = options.catalog;
    const context: MarketContext = {
      db,
      catalog: this.catalog,
      clock: this.clock,
      policy: this.policy,
      events: this.events,
    };
    const tbOrders = new Orders(context, 'taobao');
    const aliOrders = new Orders(context, '1688');
    this.orders = { taobao: tbOrders, '1688': aliOrders };
    this.refunds = {
      taobao: new Refunds(context, tbOrders, 'taobao'),
      '1688': new Refunds(context, aliOrders, '1688'),
    };
    this.chat = new SellerChat(context, this.orders, realNow, options.baseUrl);
    this.taobao = new SandboxTaobao(this, tbOrders, this.refunds.taobao);
    this.alibaba = new SandboxAlibaba(this, aliOrders, this.refunds['1688']);
  }

  // -- catalog -------------------------------------------------------------------------------------

  seededWith(): CatalogParams | null {
    return this.store.seededWith();
  }

  /**
   * Seeds the catalog unless the store already has one (the first start, or the first use); true
   * when it seeded. Processes starting together seed once: the check and the seed are one transaction.
   */
  ensureSeeded(params: CatalogParams = this.defaultCatalog): boolean {
    // While a reset seeds in a worker, the store is the old catalog (or none) until it commits.
    if (this.seeded || this.seeding) return false;
    const db = this.store.db;
    const created = db
      .transaction(() => {
        if (this.store.seededWith()) return false;
        this.store.seed(VOCABULARY, params, { keepMarket: true, features: (g) => PlatformSearch.features(g) });
        return true;
      })
      .immediate();
    this.seeded = true;
    return created;
  }

  /** Starts the market over: a new catalog, and no orders, refunds, events, faults or clock offset. */
  reseed(params: CatalogParams, onProgress?: (p: SeedProgress) => void): void {
    this.store.seed(VOCABULARY, params, { onProgress, features: (g) => PlatformSearch.features(g) });
    this.indexes.clear();
    this.seeded = true;
  }

  /**
   * {@link reseed} from a worker thread (seconds at 200,000 goods), in one transaction: calls meanwhile
   * read the old catalog, and writes fail at once rather than hold up the event loop waiting for the
   * store's lock. A `:memory:` store cannot be shared with a thread: it is seeded here.
   */
  async reseedOffThread(params: CatalogParams, onProgress?: (p: SeedProgress) => void): Promise<void> {
    if (this.store.file === ':memory:') return this.reseed(params, onProgress);
    if (this.seeding) throw new Error('the market is already being reseeded');
    const db = this.store.db;
    // The clock writes its row on first read: write it now, as reads of the old catalog cannot write.
    this.clock.now();
    const busyTimeout = db.pragma('busy_timeout', { simple: true }) as number;
    db.pragma('busy_timeout = 0');
    const seeding = seedInWorker(this.store.file, params, onProgress);
    this.seeding = seeding;
    try {
      await seeding.done;
    } finally {
      this.seeding = null;
      if (db.open) db.pragma(`busy_timeout = ${busyTimeout}`);
    }
    this.indexes.clear();
    this.seeded = true;
  }

  /** The search indexes of a platform, (re)built when the catalog was reseeded and caught up on changes. */
  searchIndex(platform: Platform): PlatformSearch {
    this.ensureSeeded();
    const generation = this.store.generation();
    let index = this.indexes.get(platform);
    if (!index || index.generation !== generation) {
      index = PlatformSearch.load(this.store.db, platform, generation);
      this.indexes.set(platform, index);
    } else {
      index.refresh(this.store.db);
    }
    return index;
  }

  searchGoods(platform: Platform, q: KeywordSearch): SearchPage<ProductSummary> {
    const index = this.searchIndex(platform);
    const found = index.keyword(q.keyword, this.filters(q), q.sort ?? 'relevance', offset(q), q.pageSize);
    return this.page(platform, q, found.total, found.indexes);
  }

  async searchImages(platform: Platform, q: ImageSearch): Promise<SearchPage<ImageHit>> {
    const bytes = await this.imageBytes(q.image);
    const index = this.searchIndex(platform);
    const hits = await index.image(bytes, this.filters(q));
    const slice = hits.slice(offset(q), offset(q) + q.pageSize);
    const page = this.page(
      platform,
      q,
      hits.length,
      slice.map((h) => h.index),
    );
    return {
      ...page,
      items: page.items.map((item, i) => ({ ...item, similarity: slice[i]?.score ?? 0 })),
    };
  }

  searchShops(platform: Platform, q: ShopSearch): SearchPage<ProviderShop> {
    const db = this.store.db;
    const pattern = `%${q.keyword.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    const where = `platform = ? and (name like ? escape '\\' or nick like ? escape '\\' or company_name like ? escape '\\')`;
    const total = (
      db.prepare(`select count(*) as n from shops where ${where}`).get(platform, pattern, pattern, pattern) as {
        n: number;
      }
    ).n;
    const rows = db
      .prepare(`select * from shops where ${where} order by rating desc, shop_id limit ? offset ?`)
      .all(platform, pattern, pattern, pattern, q.pageSize, offset(q)) as Parameters<CatalogReader['toShop']>[0][];
    return { total, page: q.page, pageSize: q.pageSize, items: rows.map((r) => this.catalog.toShop(r)) };
  }

  recommend(
    platform: Platform,
    q: { productIds?: string[]; categoryId?: string; page: number; pageSize: number },
  ): SearchPage<ProductSummary> {
    const index = this.searchIndex(platform);
    const seeds = (q.productIds ?? []).flatMap((id) => {
      const row = this.catalog.goodRow(platform, id);
      return row ? [row.idx] : [];
    });
    const category = q.categoryId === undefined ? undefined : this.categoryKey(q.categoryId);
    const found = index.recommend(seeds, category, offset(q), q.pageSize);
    return this.page(platform, q, found.total, found.indexes);
  }

  related(
    platform: Platform,
    productId: string,
    q: { page: number; pageSize: number },
  ): SearchPage<ProductSummary> | null {
    const row = this.catalog.goodRow(platform, productId);
    if (!row) return null;
    const found = this.searchIndex(platform).related(row.idx, offset(q), q.pageSize);
    return this.page(platform, q, found.total, found.indexes);
  }

  marketingList(
    platform: Platform,
    list: MarketingList,
    q: SearchFilters & { keyword?: string; language?: Language; page: number; pageSize: number },
  ): SearchPage<ProductSummary> {
    const filters = this.filters(q);
    if (list === 'strict_selection') filters.strictSelection = true;
    if (list === 'global_selection') {
      filters.strictSelection = true;
      filters.shipIn24h = true;
    }
    const sort = list === 'hot_selling' ? 'sales_desc' : 'relevance';
    const found = this.searchIndex(platform).keyword(q.keyword ?? '', filters, sort, offset(q), q.pageSize);
    return this.page(platform, q, found.total, found.indexes);
  }

  /**
   * A product picture, encoded (in a worker thread unless cached); null when the product or colour does
   * not exist. Rejects with `PicturesBusy` when too many pictures are already waiting to be drawn.
   */
  image(platform: Platform, productId: string, file: ImageFile): Promise<Buffer | null> {
    this.ensureSeeded();
    const row = this.catalog.goodRow(platform, productId);
    if (!row) return Promise.resolve(null);
    return this.pictures.render(row, file);
  }

  /** The market at a glance: its catalog, clock, counts per platform, faults and undelivered events. */
  status(): SandboxStatus {
    this.ensureSeeded();
    return {
      catalog: this.seededWith() ?? { seed: 0, goodsPerPlatform: 0 },
      clock: this.clock.state(),
      ...storeCounts(this.store.db),
      faults: this.faults.list(),
    };
  }

  // -- the simulated sellers and the clock ---------------------------------------------------------

  /** Runs whatever fell due (shipping, tracking, timeouts, seller decisions), then delivers events. */
  tick(): Promise<number> {
    this.ticking ??= (async () => {
      try {
        const now = this.clock.now();
        let ran = 0;
        for (const platform of ['taobao', '1688'] as const) {
          ran += this.orders[platform].runDue(now);
          ran += this.refunds[platform].runDue(now);
          // Refunds can close orders and orders can open refund work: one more pass settles both.
          ran += this.orders[platform].runDue(now);
        }
        await this.events.dispatch();
        return ran;
      } finally {
        this.ticking = null;
      }
    })();
    return this.ticking;
  }

  /** Moves the market clock forward and runs what fell due. */
  async advance(ms: number): Promise<{ now: number; speed: number; actions: number }> {
    const state = this.clock.advance(ms);
    await this.ticking;
    const actions = await this.tick();
    return { ...state, actions };
  }

  /** Ticks every `intervalMs` of real time until `stop`. */
  start(intervalMs = 1000, onError?: (err: unknown) => void): void {
    // Closed: a reset that ended because the market closed must not start ticking it again.
    if (this.ticker || this.closed) return;
    this.ticker = setInterval(() => {
      this.tick().catch((err: unknown) => onError?.(err));
    }, intervalMs);
    this.ticker.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.ticker);
    this.ticker = undefined;
    await this.ticking;
  }

  /** Stops the ticker, a reset in progress (its catalog is not committed) and the picture threads. */
  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.ticker);
    this.ticker = undefined;
    const seeding = this.seeding?.terminate();
    await this.checkpointer?.stop();
    this.store.close();
    await Promise.all([seeding, this.pictures.close()]);
  }

  ordersOf(platform: Platform): Orders {
    return this.orders[platform];
  }

  refundsOf(platform: Platform): Refunds {
    return this.refunds[platform];
  }

  /** Sets the stock of one SKU, or of every SKU of the product. */
  setStock(platform: Platform, productId: string, stock: number, skuId?: string): void {
    this.changeGood(platform, productId, (db) => {
      const info = skuId
        ? db
            .prepare('update skus set stock = ? where platform = ? and good_id = ? and sku_id = ?')
            .run(stock, platform, productId, skuId)
        : db.prepare('update skus set stock = ? where platform = ? and good_id = ?').run(stock, platform, productId);
      if (info.changes === 0) throw new MarketRejection('not_found', `SKU ${skuId} of product ${productId}`);
      return { change: 'stock', skuId: skuId ?? null, stock };
    });
  }

  setListed(platform: Platform, productId: string, listed: boolean): void {
    this.changeGood(platform, productId, (db, row) => {
      const status = listed ? 'active' : 'delisted';
      if (row.status === status) return null;
      db.prepare('update goods set status = ? where platform = ? and id = ?').run(status, platform, productId);
      return { change: listed ? 'relisted' : 'delisted' };
    });
  }

  /** A seller's change to a good: applied, versioned and announced (`product.changed`) in one transaction. */
  private changeGood(
    platform: Platform,
    productId: string,
    change: (db: SandboxStore['db'], row: GoodRow) => Record<string, unknown> | null,
  ): void {
    const db = this.store.db;
    db.transaction(() => {
      const row = this.catalog.goodRow(platform, productId);
      if (!row) throw new MarketRejection('not_found', `product ${productId}`);
      const data = change(db, row);
      if (!data) return;
      touchGood(db, platform, productId);
      this.events.append({ platform, type: 'product.changed', at: this.clock.now(), productId, data });
    }).immediate();
  }

  // -- faults ----------------------------------------------------------------------------------------

  /**
   * Applies the fault configured for `operation` (latency, error, no answer, or an answer lost after
   * the change), then runs `fn`. Nothing starts once `signal` has aborted: the caller stopped waiting.
   */
  async withFaults<T>(operation: string, fn: () => T | Promise<T>, signal?: AbortSignal): Promise<T> {
    this.ensureSeeded();
    const fault = this.faults.get(operation);
    if (fault) await this.inject(operation, fault, signal);
    signal?.throwIfAborted();
    const result = await fn();
    if (fault && fault.lostReplyRate > 0 && Math.random() < fault.lostReplyRate) {
      // The change is made; the answer never reaches the caller, who must find out what happened.
      await untilAborted(signal);
    }
    return result;
  }

  private async inject(operation: string, fault: Fault, signal?: AbortSignal): Promise<void> {
    if (fault.latencyMs > 0) await sleep(fault.latencyMs, undefined, { signal });
    if (fault.timeoutRate > 0 && Math.random() < fault.timeoutRate) {
      // The marketplace never answers; the provider guard's deadline turns this into 50401.
      await untilAborted(signal);
    }
    if (fault.errorRate > 0 && Math.random() < fault.errorRate) {
      throw new UpstreamError(operation, `injected fault on ${operation}`);
    }
  }

  // -- helpers ---------------------------------------------------------------------------------------

  private categoryKey(categoryId: string): string {
    const key = this.catalog.names.categoryKey(categoryId);
    if (!key) throw new MarketRejection('invalid_value', `unknown category ${categoryId}`, 'categoryId');
    return key;
  }

  private filters(q: SearchFilters): SearchFilterKeys {
    return {
      category: q.categoryId === undefined ? undefined : this.categoryKey(q.categoryId),
      shopId: q.shopId,
      priceMinFen: q.priceMinFen,
      priceMaxFen: q.priceMaxFen,
      // A flag filters when set; `false` means "do not filter", as on the marketplaces.
      shipIn24h: q.shipIn24h ? true : undefined,
      strictSelection: q.strictSelection ? true : undefined,
    };
  }

  private page(
    platform: Platform,
    q: { page: number; pageSize: number },
    total: number,
    indexes: number[],
  ): SearchPage<ProductSummary> {
    const shops = new Map<string, ProviderShop | null>();
    const items = indexes.flatMap((i) => {
      const row = this.catalog.goodRowByIndex(platform, i);
      if (!row) return [];
      let shop = shops.get(row.shop_id);
      if (shop === undefined) {
        shop = this.catalog.shop(platform, row.shop_id);
        shops.set(row.shop_id, shop);
      }
      return [this.catalog.summary(row, shop)];
    });
    return { total, page: q.page, pageSize: q.pageSize, items };
  }

  private async imageBytes(input: ImageInput): Promise<Buffer> {
    if ('bytes' in input) return input.bytes;
    const local = parseSandboxImageUrl(input.url);
    if (local) {
      const bytes = await this.image(local.platform, local.productId, local.file);
      if (bytes) return bytes;
      throw new MarketRejection('invalid_value', 'the picture URL names no sandbox product', 'imageAddress');
    }
    return this.fetchImage(input.url);
  }
}

/** Never resolves; rejects when `signal` aborts (a hung connection that the caller gives up on). */
function untilAborted(signal?: AbortSignal): Promise<never> {
  return new Promise<never>((_, reject) => {
    if (!signal) return;
    if (signal.aborted) reject(signal.reason);
    else signal.addEventListener('abort', () => reject(signal.reason), { once: true });
  });
}

function offset(q: { page: number; pageSize: number }): number {
  return (Math.max(1, q.page) - 1) * q.pageSize;
}

const MAX_IMAGE_BYTES = 4 * 1024 * 1024;

async function defaultFetchImage(url: string): Promise<Buffer> {
  const res = await fetch(url, { signal: AbortSignal.timeout(10_000), redirect: 'error' });
  if (!res.ok)
    throw new MarketRejection('invalid_value', `fetching the picture answered HTTP ${res.status}`, 'imageAddress');
  const length = Number(res.headers.get('content-length') ?? 0);
  if (length > MAX_IMAGE_BYTES)
    throw new MarketRejection('invalid_value', 'the picture is larger than 4 MB', 'imageAddress');
  const bytes = Buffer.from(await res.arrayBuffer());
  if (bytes.length > MAX_IMAGE_BYTES)
    throw new MarketRejection('invalid_value', 'the picture is larger than 4 MB', 'imageAddress');
  return bytes;
}
