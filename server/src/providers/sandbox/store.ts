import fs from 'node:fs';
import path from 'node:path';
import Sqlite from 'better-sqlite3';
import { type CatalogParams, generateGoods, generateShops } from './catalog/generate.js';
import type { Platform, SandboxGood, SandboxShop } from './catalog/model.js';
import type { Vocabulary } from './vocabulary.types.js';

/**
 * The sandbox market's own store: an SQLite file in the data dir, separate from the main database
 * whatever that is (the sandbox stands for the upstream marketplaces, not for Ponte's data).
 */
const SCHEMA = `
create table if not exists meta (key text primary key, value text not null);
create table if not exists categories (key text primary key, parent text, name text not null);
create table if not exists shops (
  platform text not null, shop_id text not null, name text not null, nick text not null, seller_open_id text,
  company_name text, province text, city text, rating integer not null, primary key (platform, shop_id));
create table if not exists goods (
  platform text not null, id text not null, idx integer not null, shop_id text not null, category text not null,
  product_type text not null, material text not null, style text not null, colours text not null,
  title_zh text not null, title_en text not null, title_vi text not null, title_th text not null, title_es text not null,
  description text not null, price_fen integer not null, promotion_price_fen integer not null, sales integer not null,
  ship_in_24h integer not null, strict_selection integer not null, min_order_quantity integer not null,
  tier_prices text not null, mp_id text, not_distributable_reason text, image_seed integer not null,
  primary key (platform, id));
create index if not exists goods_shop on goods (platform, shop_id);
create index if not exists goods_category on goods (platform, category, price_fen);
create index if not exists goods_sales on goods (platform, sales);
create index if not exists goods_mp on goods (mp_id) where mp_id is not null;
create table if not exists skus (
  platform text not null, sku_id text not null, good_id text not null, properties text not null,
  price_fen integer not null, promotion_price_fen integer not null, stock integer not null, weight_g integer not null,
  size_cm text not null, mp_sku_id text, primary key (platform, sku_id));
create index if not exists skus_good on skus (platform, good_id);
`;

const BATCH = 2000;

export interface SeedProgress {
  platform: Platform;
  done: number;
  total: number;
}

export class SandboxStore {
  readonly db: Sqlite.Database;

  constructor(readonly file: string) {
    if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true });
    this.db = new Sqlite(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('busy_timeout = 15000');
    this.db.exec(SCHEMA);
  }

  static fileIn(dataDir: string): string {
    return path.join(dataDir, 'sandbox.db');
  }

  /** The parameters of the catalog in the store, or null when it was never seeded. */
  seededWith(): CatalogParams | null {
    const row = this.db.prepare("select value from meta where key = 'catalog'").get() as { value: string } | undefined;
    return row ? (JSON.parse(row.value) as CatalogParams) : null;
  }

  /** Replaces the catalog with the one `params` generates. */
  seed(vocab: Vocabulary, params: CatalogParams, onProgress?: (p: SeedProgress) => void): void {
    const { db } = this;
    db.exec('delete from skus; delete from goods; delete from shops; delete from categories; delete from meta;');
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
          this.writeGoods(batch);
          done += batch.length;
          batch = [];
          onProgress?.({ platform, done, total: params.goodsPerPlatform });
        }
      }
      this.writeGoods(batch);
      onProgress?.({ platform, done: params.goodsPerPlatform, total: params.goodsPerPlatform });
    }
    db.prepare("insert into meta (key, value) values ('catalog', ?)").run(JSON.stringify(params));
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

  private writeGoods(goods: SandboxGood[]): void {
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
