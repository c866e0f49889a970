import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Sqlite from 'better-sqlite3';
import { type CatalogParams, generateGoods, generateShops } from './catalog/generate.js';
import type { Platform, SandboxGood, SandboxShop } from './catalog/model.js';
import { FEATURE_VERSION } from './images/features.js';
import type { Vocabulary } from './vocabulary.types.js';

/**
 * The sandbox market's own store: an SQLite file in the data dir, separate from the main database
 * whatever that is (the sandbox stands for the upstream marketplaces, not for Ponte's data).
 */
/** The layout's version, and the picture descriptor's: a change of either drops the store and seeds it again. */
const SCHEMA_VERSION = 4 * 100 + FEATURE_VERSION;
const SCHEMA = `
create table meta (key text primary key, value text not null);
create table categories (key text primary key, parent text, name text not null);
create table shops (
  platform text not null, shop_id text not null, name text not null, nick text not null, seller_open_id text,
  company_name text, province text, city text, rating integer not null, primary key (platform, shop_id));
create unique index shops_open_id on shops (seller_open_id) where seller_open_id is not null;
create table goods (
  platform text not null, id text not null, idx integer not null, shop_id text not null, category text not null,
  product_type text not null, material text not null, style text not null, colours text not null,
  title_zh text not null, title_en text not null, title_vi text not null, title_th text not null, title_es text not null,
  description text not null, price_fen integer not null, promotion_price_fen integer not null, sales integer not null,
  ship_in_24h integer not null, strict_selection integer not null, min_order_quantity integer not null,
  tier_prices text not null, mp_id text, not_distributable_reason text, image_seed integer not null,
  status text not null default 'active', version integer not null default 0,
  primary key (platform, id));
create unique index goods_idx on goods (platform, idx);
create index goods_shop on goods (platform, shop_id);
create index goods_mp on goods (mp_id) where mp_id is not null;
create index goods_version on goods (version) where version > 0;
create table skus (
  platform text not null, sku_id text not null, good_id text not null, properties text not null,
  price_fen integer not null, promotion_price_fen integer not null, stock integer not null, weight_g integer not null,
  size_cm text not null, mp_sku_id text, primary key (platform, sku_id));
create index skus_good on skus (platform, good_id);
create table image_features (platform text not null, idx integer not null, features blob not null,
  primary key (platform, idx));
create table clock (id integer primary key check (id = 1), base_real integer not null, base_market integer not null,
  speed real not null);
create table counters (name text primary key, value integer not null);
create table faults (operation text primary key, error_rate real not null, timeout_rate real not null,
  lost_reply_rate real not null default 0,
  latency_ms integer not null);
create table orders (
  order_id text primary key, platform text not null, buyer_id text not null, client_ref text not null,
  shop_id text not null, status text not null, goods_fen integer not null, shipping_fen integer not null,
  adjust_fen integer not null, total_fen integer not null, address text not null, buyer_message text not null,
  created_at integer not null, paid_at integer, shipped_at integer, received_at integer, closed_at integer,
  close_reason text, due_action text, due_at integer);
create unique index orders_ref on orders (platform, buyer_id, client_ref, shop_id);
create index orders_due on orders (due_at) where due_at is not null;
create table order_lines (
  line_id text primary key, order_id text not null, position integer not null, product_id text not null,
  sku_id text, title text not null, sku_properties text not null, image_url text not null, quantity integer not null,
  unit_price_fen integer not null, amount_fen integer not null, status text not null, refunded_fen integer not null,
  tracking_no text);
create index order_lines_order on order_lines (order_id, position);
create table shipments (
  tracking_no text primary key, order_id text not null, carrier_code text not null, shipped_at integer not null,
  step integer not null, step_times text not null, route text not null, next_at integer);
create index shipments_order on shipments (order_id);
create index shipments_next on shipments (next_at) where next_at is not null;
create table refunds (
  refund_id text primary key, platform text not null, order_id text not null, line_id text not null,
  buyer_id text not null, client_ref text not null, refund_type text not null, goods_status text not null,
  status text not null, reason_id text not null, amount_fen integer not null, description text not null,
  images text not null, deadline integer, timeout_action text, decision_at integer, return_address text,
  return_carrier text, return_tracking text, return_description text, return_shipped_at integer,
  refuse_reason text, refuse_count integer not null, created_at integer not null, updated_at integer not null);
create unique index refunds_ref on refunds (platform, buyer_id, client_ref);
create index refunds_order on refunds (order_id);
create index refunds_deadline on refunds (deadline) where deadline is not null;
create index refunds_decision on refunds (decision_at) where decision_at is not null;
create table refund_messages (
  message_id integer primary key autoincrement, refund_id text not null, sender text not null, text text not null,
  images text not null, time integer not null);
create index refund_messages_refund on refund_messages (refund_id, message_id);
create table events (
  seq integer primary key autoincrement, platform text not null, type text not null, at integer not null,
  order_id text, refund_id text, product_id text, data text not null, delivered_at integer);
create index events_pending on events (seq) where delivered_at is null;
create table chat_messages (
  message_id integer primary key autoincrement, platform text not null, buyer_id text not null, shop_id text not null,
  source_type text not null, biz_id text not null, sender text not null, text text not null, time integer not null);
create index chat_messages_conversation on chat_messages (platform, buyer_id, shop_id, source_type, biz_id, message_id);
`;

const BATCH = 2000;

/** Everything but the schema: a reseed starts the market over. */
const WIPE = [
  'meta',
  'categories',
  'shops',
  'goods',
  'skus',
  'image_features',
  'clock',
  'counters',
  'faults',
  'orders',
  'order_lines',
  'shipments',
  'refunds',
  'refund_messages',
  'events',
  'chat_messages',
]
  .map((t) => `delete from ${t};`)
  .join(' ');

/** The catalog alone, for a first seed that must keep what was set before it (policy, faults, clock). */
const WIPE_CATALOG = [
  "delete from meta where key in ('catalog', 'generation');",
  ...['categories', 'shops', 'goods', 'skus', 'image_features'].map((t) => `delete from ${t};`),
].join(' ');

export interface SeedOptions {
  /** Keep orders, refunds, events, the policy, faults and the clock (a first seed); default: start over. */
  keepMarket?: boolean;
  /**
   * One transaction, so that readers see the old catalog until the new one is complete (a reset while
   * the server runs); default: one per batch, which keeps the write-ahead log small for a large catalog.
   */
  atomic?: boolean;
  onProgress?: (p: SeedProgress) => void;
  /** The picture descriptor of a good's main image, stored for picture search. */
  features?: (good: SandboxGood) => Uint8Array;
}

export interface SeedProgress {
  platform: Platform;
  done: number;
  total: number;
}

/**
 * The market's code prepares its statements where it runs them (`db.prepare(sql).run(...)`); preparing
 * costs more than running a short statement. This keeps one prepared statement per SQL text and hands it
 * out again, unless it is in use (an iteration in progress); its result modes are reset each time.
 */
function cachePreparedStatements(db: Sqlite.Database): void {
  const prepare = db.prepare.bind(db);
  const cache = new Map<string, Sqlite.Statement>();
  db.prepare = ((source: string) => {
    const cached = cache.get(source);
    if (cached && !cached.busy) {
      if (cached.reader) cached.raw(false).pluck(false).expand(false);
      return cached;
    }
    const statement = prepare(source);
    if (cache.size < 1000) cache.set(source, statement);
    return statement;
  }) as Sqlite.Database['prepare'];
}

export class SandboxStore {
  readonly db: Sqlite.Database;

  constructor(readonly file: string) {
    if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true });
    this.db = new Sqlite(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('busy_timeout = 15000');
    this.migrate();
    cachePreparedStatements(this.db);
  }

  /** The store is the market's own: an older layout is dropped and the catalog seeded again. */
  private migrate(): void {
    const version = this.db.pragma('user_version', { simple: true }) as number;
    if (version === SCHEMA_VERSION) return;
    const tables = this.db
      .prepare("select name from sqlite_master where type = 'table' and name not like 'sqlite_%'")
      .all() as { name: string }[];
    this.db.transaction(() => {
      for (const t of tables) this.db.exec(`drop table if exists "${t.name}"`);
      this.db.exec(SCHEMA);
      this.db.pragma(`user_version = ${SCHEMA_VERSION}`);
    })();
  }

  /** The parameters of the catalog in the store, or null when it was never seeded. */
  seededWith(): CatalogParams | null {
    const row = this.db.prepare("select value from meta where key = 'catalog'").get() as { value: string } | undefined;
    return row ? (JSON.parse(row.value) as CatalogParams) : null;
  }

  /** Replaces the catalog with the one `params` generates. */
  seed(vocab: Vocabulary, params: CatalogParams, options: SeedOptions = {}): void {
    if (options.atomic) {
      this.db.transaction(() => this.seed(vocab, params, { ...options, atomic: false })).immediate();
      return;
    }
    const { db } = this;
    const { onProgress, features } = options;
    const generation = this.generation() + 1;
    db.exec(options.keepMarket ? WIPE_CATALOG : WIPE);
    const insertCategory = db.prepare('insert into categories (key, parent, name) values (?, ?, ?)');
    db.transaction(() => {
      for (const c of vocab.topCategories) insertCategory.run(c.key, null, JSON.stringify(c.name));
      for (const c of vocab.categories) insertCategory.run(c.key, c.parent, JSON.stringify(c.name));
    })();
    for (const platform of ['taobao', '1688'] as const) {
      this.writeShops([...generateShops(vocab, params, platform)]);
      let batch: SandboxGood[] = [];
      let done = 0;
      for (const good of generateGoods(vocab, params, platform)) {
        batch.push(good);
        if (batch.length === BATCH) {
          this.writeGoods(batch, features);
          done += batch.length;
          batch = [];
          onProgress?.({ platform, done, total: params.goodsPerPlatform });
        }
      }
      this.writeGoods(batch, features);
      onProgress?.({ platform, done: params.goodsPerPlatform, total: params.goodsPerPlatform });
    }
    const meta = db.prepare('insert into meta (key, value) values (?, ?)');
    meta.run('catalog', JSON.stringify(params));
    meta.run('generation', String(generation));
  }

  /**
   * A SHA-256 over the whole catalog (categories, shops, goods, SKUs, picture descriptors) in key
   * order: equal seeds and sizes give equal digests.
   */
  digest(): string {
    const hash = createHash('sha256');
    const tables: [string, string][] = [
      ['categories', 'key'],
      ['shops', 'platform, shop_id'],
      ['goods', 'platform, idx'],
      ['skus', 'platform, sku_id'],
      ['image_features', 'platform, idx'],
    ];
    for (const [table, order] of tables) {
      hash.update(`\u0000${table}\u0000`);
      for (const row of this.db.prepare(`select * from ${table} order by ${order}`).iterate() as IterableIterator<
        Record<string, unknown>
      >) {
        for (const value of Object.values(row)) {
          hash.update(Buffer.isBuffer(value) ? value : String(value));
          hash.update('\u0001');
        }
      }
    }
    return hash.digest('hex');
  }

  /** Increases with every seed, so that processes sharing the store know to reload their indexes. */
  generation(): number {
    const row = this.db.prepare("select value from meta where key = 'generation'").get() as
      | { value: string }
      | undefined;
    return row ? Number(row.value) : 0;
  }

  private writeShops(shops: SandboxShop[]): void {
    const insert = this.db.prepare(
      `insert into shops (platform, shop_id, name, nick, seller_open_id, company_name, province, city, rating)
       values (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const json = (v: unknown) => (v === null ? null : JSON.stringify(v));
    this.db.transaction(() => {
      for (const s of shops) {
        insert.run(
          s.platform,
          s.shopId,
          json(s.name),
          s.nick,
          s.sellerOpenId,
          json(s.companyName),
          json(s.province),
          json(s.city),
          s.rating,
        );
      }
    })();
  }

  private writeGoods(goods: SandboxGood[], features?: (good: SandboxGood) => Uint8Array): void {
    const feature = this.db.prepare('insert into image_features (platform, idx, features) values (?, ?, ?)');
    const good = this.db.prepare(
      `insert into goods (platform, id, idx, shop_id, category, product_type, material, style, colours, title_zh,
        title_en, title_vi, title_th, title_es, description, price_fen, promotion_price_fen, sales, ship_in_24h,
        strict_selection, min_order_quantity, tier_prices, mp_id, not_distributable_reason, image_seed)
       values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const sku = this.db.prepare(
      `insert into skus (platform, sku_id, good_id, properties, price_fen, promotion_price_fen, stock, weight_g,
        size_cm, mp_sku_id) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.db.transaction(() => {
      for (const g of goods) {
        good.run(
          g.platform,
          g.id,
          g.index,
          g.shopId,
          g.category,
          g.productType,
          g.material,
          g.style,
          JSON.stringify(g.colours),
          g.title.zh,
          g.title.en,
          g.title.vi,
          g.title.th,
          g.title.es,
          JSON.stringify(g.description),
          g.priceFen,
          g.promotionPriceFen,
          g.sales,
          g.shipIn24h ? 1 : 0,
          g.strictSelection ? 1 : 0,
          g.minOrderQuantity,
          JSON.stringify(g.tierPrices),
          g.mpId,
          g.notDistributableReason,
          g.imageSeed,
        );
        if (features) {
          const f = features(g);
          feature.run(g.platform, g.index, Buffer.from(f.buffer, f.byteOffset, f.byteLength));
        }
        for (const s of g.skus) {
          sku.run(
            g.platform,
            s.skuId,
            g.id,
            JSON.stringify(s.properties),
            s.priceFen,
            s.promotionPriceFen,
            s.stock,
            s.weightG,
            JSON.stringify(s.sizeCm),
            s.mpSkuId,
          );
        }
      }
    })();
  }

  close(): void {
    this.db.close();
  }
}
