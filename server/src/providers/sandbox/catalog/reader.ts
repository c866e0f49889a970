import type Sqlite from 'better-sqlite3';
import type {
  Localized,
  Platform,
  ProductSummary,
  ProviderCategory,
  ProviderProduct,
  ProviderShop,
  ProviderSku,
  ProviderSkuProperty,
  TierPrice,
} from '../../types.js';
import type { Vocabulary, Words } from '../vocabulary.types.js';

/**
 * Reads the sandbox store into the provider types: the vocabulary's keys become localized names,
 * category keys become numeric ids, and pictures become URLs under `/sandbox/images/`.
 */

export interface GoodRow {
  platform: Platform;
  id: string;
  idx: number;
  shop_id: string;
  category: string;
  product_type: string;
  material: string;
  style: string;
  colours: string;
  title_zh: string;
  title_en: string;
  title_vi: string;
  title_th: string;
  title_es: string;
  description: string;
  price_fen: number;
  promotion_price_fen: number;
  sales: number;
  ship_in_24h: number;
  strict_selection: number;
  min_order_quantity: number;
  tier_prices: string;
  mp_id: string | null;
  not_distributable_reason: string | null;
  image_seed: number;
  status: 'active' | 'delisted';
  version: number;
}

export interface SkuRow {
  platform: Platform;
  sku_id: string;
  good_id: string;
  properties: string;
  price_fen: number;
  promotion_price_fen: number;
  stock: number;
  weight_g: number;
  size_cm: string;
  mp_sku_id: string | null;
}

interface ShopRow {
  platform: Platform;
  shop_id: string;
  name: string;
  nick: string;
  seller_open_id: string | null;
  company_name: string | null;
  province: string | null;
  city: string | null;
  rating: number;
}

/** A stable numeric id for a vocabulary key (FNV-1a, 31 bits), as marketplaces use numbers. */
export function numericId(key: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return String((h >>> 1) + 1_000_000);
}

/** Taobao's own property ids for colour and size, so that SKU properties look like the real ones. */
const PROPERTY_IDS: Record<string, string> = { colour: '1627207', size: '20509' };

export class CatalogNames {
  private readonly categoryIds = new Map<string, string>();
  private readonly categoryKeys = new Map<string, string>();
  private readonly categories = new Map<string, { name: Words; parent: string | null; children: string[] }>();
  private readonly words = new Map<string, Words>();

  constructor(readonly vocab: Vocabulary) {
    vocab.topCategories.forEach((top, i) => {
      const id = String(100000 + (i + 1) * 1000);
      this.categoryIds.set(top.key, id);
      this.categoryKeys.set(id, top.key);
      this.categories.set(top.key, { name: top.name, parent: null, children: [] });
    });
    for (const leaf of vocab.categories) {
      const parent = this.categories.get(leaf.parent);
      if (!parent) throw new Error(`category ${leaf.key}: unknown parent ${leaf.parent}`);
      const id = String(Number(this.categoryIds.get(leaf.parent)) + parent.children.length + 1);
      parent.children.push(leaf.key);
      this.categoryIds.set(leaf.key, id);
      this.categoryKeys.set(id, leaf.key);
      this.categories.set(leaf.key, { name: leaf.name, parent: leaf.parent, children: [] });
    }
    for (const m of vocab.materials) this.words.set(`material:${m.key}`, m.name);
    for (const c of vocab.colours) this.words.set(`colour:${c.key}`, c.name);
  }

  categoryId(key: string): string {
    const id = this.categoryIds.get(key);
    if (!id) throw new Error(`unknown category ${key}`);
    return id;
  }

  /** The category key for an id, or undefined. */
  categoryKey(categoryId: string): string | undefined {
    return this.categoryKeys.get(categoryId);
  }

  category(key: string): ProviderCategory {
    const c = this.categories.get(key);
    if (!c) throw new Error(`unknown category ${key}`);
    const path: ProviderCategory['path'] = [];
    for (let k: string | null = key; k; k = this.categories.get(k)?.parent ?? null) {
      const node = this.categories.get(k);
      if (node) path.unshift({ categoryId: this.categoryId(k), name: node.name });
    }
    return {
      categoryId: this.categoryId(key),
      parentId: c.parent ? this.categoryId(c.parent) : null,
      name: c.name,
      path,
      children: c.children.map((child) => ({
        categoryId: this.categoryId(child),
        name: this.categories.get(child)?.name ?? c.name,
        leaf: (this.categories.get(child)?.children.length ?? 0) === 0,
      })),
      leaf: c.children.length === 0,
    };
  }

  topCategoryKeys(): string[] {
    return this.vocab.topCategories.map((t) => t.key);
  }

  parentOf(key: string): string | null {
    return this.categories.get(key)?.parent ?? null;
  }

  colour(key: string): { name: Words; rgb: [number, number, number] } {
    const c = this.vocab.colours.find((x) => x.key === key);
    if (!c) throw new Error(`unknown colour ${key}`);
    return c;
  }

  material(key: string): Words {
    const m = this.words.get(`material:${key}`);
    if (!m) throw new Error(`unknown material ${key}`);
    return m;
  }

  /** A SKU property (colour, or the product type's size set) with its names and numeric ids. */
  skuProperty(productType: string, property: string, value: string): ProviderSkuProperty {
    if (property === this.vocab.colourProperty.key) {
      return {
        propId: PROPERTY_IDS.colour ?? numericId(property),
        propName: this.vocab.colourProperty.name,
        valueId: numericId(`colour:${value}`),
        valueName: this.colour(value).name,
      };
    }
    const type = this.vocab.productTypes.find((t) => t.key === productType);
    const set = this.vocab.sizeSets.find((s) => s.key === type?.sizes);
    const v = set?.values.find((x) => x.key === value);
    if (!set || !v) throw new Error(`unknown property ${property}:${value} for ${productType}`);
    return {
      propId: PROPERTY_IDS[set.property.key] ?? numericId(`property:${set.property.key}`),
      propName: set.property.name,
      valueId: numericId(`${set.key}:${value}`),
      valueName: v.name,
    };
  }
}

function parseWords(json: string | null): Words | null {
  return json === null ? null : (JSON.parse(json) as Words);
}

/** Picture URLs: `/sandbox/images/{platform}/{productId}/{view}[-{colour}].jpg`. */
export function imagePath(platform: Platform, productId: string, view: number, colour?: string): string {
  return `/sandbox/images/${platform}/${productId}/${view}${colour ? `-${colour}` : ''}.jpg`;
}

export const IMAGE_VIEWS = 4;

export class CatalogReader {
  private readonly stmts: {
    good: Sqlite.Statement<[Platform, string], GoodRow>;
    goodByIdx: Sqlite.Statement<[Platform, number], GoodRow>;
    goodByMp: Sqlite.Statement<[string], GoodRow>;
    skus: Sqlite.Statement<[Platform, string], SkuRow>;
    shop: Sqlite.Statement<[Platform, string], ShopRow>;
    shopByOpenId: Sqlite.Statement<[string], ShopRow>;
    shopGoods: Sqlite.Statement<[Platform, string], { n: number }>;
  };

  constructor(
    db: Sqlite.Database,
    readonly names: CatalogNames,
    /** The server's public base URL, known once it listens. */
    private readonly baseUrl: () => string,
  ) {
    this.stmts = {
      good: db.prepare('select * from goods where platform = ? and id = ?'),
      goodByIdx: db.prepare('select * from goods where platform = ? and idx = ?'),
      goodByMp: db.prepare("select * from goods where mp_id = ? and platform = 'taobao'"),
      skus: db.prepare('select * from skus where platform = ? and good_id = ? order by sku_id'),
      shop: db.prepare('select * from shops where platform = ? and shop_id = ?'),
      shopByOpenId: db.prepare('select * from shops where seller_open_id = ?'),
      shopGoods: db.prepare('select count(*) as n from goods where platform = ? and shop_id = ?'),
    };
  }

  imageUrl(platform: Platform, productId: string, view: number, colour?: string): string {
    return `${this.baseUrl()}${imagePath(platform, productId, view, colour)}`;
  }

  goodRow(platform: Platform, productId: string): GoodRow | undefined {
    return this.stmts.good.get(platform, productId);
  }

  goodRowByIndex(platform: Platform, index: number): GoodRow | undefined {
    return this.stmts.goodByIdx.get(platform, index);
  }

  goodRowByMpId(mpId: string): GoodRow | undefined {
    return this.stmts.goodByMp.get(mpId);
  }

  skuRows(platform: Platform, productId: string): SkuRow[] {
    return this.stmts.skus.all(platform, productId);
  }

  shop(platform: Platform, shopId: string): ProviderShop | null {
    const row = this.stmts.shop.get(platform, shopId);
    return row ? this.toShop(row) : null;
  }

  /** A shop's name and seller, without counting its goods (what an order shows of its seller). */
  shopBrief(platform: Platform, shopId: string): { shopName: Localized; sellerOpenId: string | null } | null {
    const row = this.stmts.shop.get(platform, shopId);
    return row ? { shopName: JSON.parse(row.name) as Localized, sellerOpenId: row.seller_open_id } : null;
  }

  shopByOpenId(sellerOpenId: string): ProviderShop | null {
    const row = this.stmts.shopByOpenId.get(sellerOpenId);
    return row ? this.toShop(row) : null;
  }

  toShop(row: ShopRow): ProviderShop {
    return {
      platform: row.platform,
      shopId: row.shop_id,
      shopName: JSON.parse(row.name) as Localized,
      userNick: row.nick,
      sellerOpenId: row.seller_open_id,
      companyName: parseWords(row.company_name),
      province: parseWords(row.province),
      city: parseWords(row.city),
      rating: row.rating / 10,
      goodsCount: this.stmts.shopGoods.get(row.platform, row.shop_id)?.n ?? 0,
    };
  }

  title(row: GoodRow): Localized {
    return { zh: row.title_zh, en: row.title_en, vi: row.title_vi, th: row.title_th, es: row.title_es };
  }

  summary(row: GoodRow, shop: ProviderShop | null = this.shop(row.platform, row.shop_id)): ProductSummary {
    return {
      platform: row.platform,
      productId: row.id,
      title: this.title(row),
      mainImageUrl: this.imageUrl(row.platform, row.id, 0),
      priceFen: row.price_fen,
      promotionPriceFen: row.promotion_price_fen,
      tierPrices: JSON.parse(row.tier_prices) as TierPrice[],
      minOrderQuantity: row.min_order_quantity,
      sales: row.sales,
      shopId: row.shop_id,
      shopName: shop?.shopName ?? { zh: '', en: '', vi: '', th: '', es: '' },
      sellerOpenId: shop?.sellerOpenId ?? null,
      categoryId: this.names.categoryId(row.category),
      shipIn24h: row.ship_in_24h === 1,
      strictSelection: row.strict_selection === 1,
      mpId: row.mp_id,
    };
  }

  sku(good: GoodRow, row: SkuRow): ProviderSku {
    const props = JSON.parse(row.properties) as { property: string; value: string }[];
    const [length, width, height] = JSON.parse(row.size_cm) as [number, number, number];
    const colour = props.find((p) => p.property === this.names.vocab.colourProperty.key)?.value;
    return {
      skuId: row.sku_id,
      properties: props.map((p) => this.names.skuProperty(good.product_type, p.property, p.value)),
      priceFen: row.price_fen,
      promotionPriceFen: row.promotion_price_fen,
      stock: row.stock,
      weightG: row.weight_g,
      lengthCm: length,
      widthCm: width,
      heightCm: height,
      imageUrl: this.imageUrl(good.platform, good.id, 0, colour),
      mpSkuId: row.mp_sku_id,
      status: good.status === 'active' && row.stock > 0 ? 'active' : 'inactive',
    };
  }

  product(row: GoodRow): ProviderProduct {
    const shop = this.shop(row.platform, row.shop_id);
    if (!shop) throw new Error(`good ${row.id}: unknown shop ${row.shop_id}`);
    const skus = this.skuRows(row.platform, row.id).map((s) => this.sku(row, s));
    const category = this.names.category(row.category);
    const type = this.names.vocab.productTypes.find((t) => t.key === row.product_type);
    const style = this.names.vocab.styles.find((s) => s.key === row.style);
    const colours = (JSON.parse(row.colours) as string[]).map((c) => this.names.colour(c).name);
    const attr = (zh: string, en: string, vi: string, th: string, es: string) => ({ zh, en, vi, th, es });
    const joined = (l: keyof Words) => colours.map((c) => c[l]).join(l === 'zh' || l === 'th' ? '、' : ', ');
    const attributes: ProviderProduct['attributes'] = [
      { name: attr('材质', 'Material', 'Chất liệu', 'วัสดุ', 'Material'), value: this.names.material(row.material) },
      ...(style ? [{ name: attr('风格', 'Style', 'Phong cách', 'สไตล์', 'Estilo'), value: style.name }] : []),
      ...(type
        ? [{ name: attr('品类', 'Product type', 'Loại sản phẩm', 'ประเภทสินค้า', 'Tipo'), value: type.name }]
        : []),
      {
        name: attr('颜色', 'Colours', 'Màu sắc', 'สี', 'Colores'),
        value: attr(joined('zh'), joined('en'), joined('vi'), joined('th'), joined('es')),
      },
    ];
    const prices = skus.map((s) => s.priceFen);
    return {
      platform: row.platform,
      productId: row.id,
      title: this.title(row),
      description: JSON.parse(row.description) as Localized,
      categoryId: category.categoryId,
      categoryPath: category.path,
      shop,
      mainImageUrl: this.imageUrl(row.platform, row.id, 0),
      imageUrls: Array.from({ length: IMAGE_VIEWS }, (_, v) => this.imageUrl(row.platform, row.id, v)),
      priceFen: row.price_fen,
      promotionPriceFen: row.promotion_price_fen,
      maxPriceFen: prices.length ? Math.max(...prices) : row.price_fen,
      tierPrices: JSON.parse(row.tier_prices) as TierPrice[],
      minOrderQuantity: row.min_order_quantity,
      sales: row.sales,
      totalStock: skus.reduce((n, s) => n + s.stock, 0),
      shipIn24h: row.ship_in_24h === 1,
      strictSelection: row.strict_selection === 1,
      status: row.status,
      mpId: row.mp_id,
      notDistributableReason: row.not_distributable_reason,
      attributes,
      skus,
      version: row.version,
    };
  }
}
