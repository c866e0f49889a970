import type { ProductTypeDef, Vocabulary, Words } from '../vocabulary.types.js';
import type { Platform, SandboxGood, SandboxShop, SandboxSku, TierPrice } from './model.js';
import { Rng } from './random.js';

/**
 * The deterministic catalog: every shop and good is a function of (seed, platform, index) alone, so
 * the same seed gives the same catalog byte for byte, goods can be produced as a stream for a
 * million-good catalog, and any one can be produced again without the others.
 */
export interface CatalogParams {
  seed: number;
  goodsPerPlatform: number;
}

const LANGS = ['zh', 'en', 'vi', 'th', 'es'] as const;
const GOODS_PER_SHOP = 20;
const MAX_SKUS = 16;
const NOT_DISTRIBUTABLE = [
  'The seller has not joined the distribution programme',
  'The item is restricted for cross-border distribution',
  'The item is pending the seller’s distribution review',
] as const;

export function shopCount(params: CatalogParams): number {
  return Math.max(5, Math.ceil(params.goodsPerPlatform / GOODS_PER_SHOP));
}

/** Id ranges are disjoint per seed and platform; ids grow with the index (with a random gap). */
function idBase(seed: number, start: number): number {
  return start + (Math.abs(seed) % 9000) * 10_000_000;
}

function byLang(f: (lang: (typeof LANGS)[number]) => string): Words {
  return { zh: f('zh'), en: f('en'), vi: f('vi'), th: f('th'), es: f('es') };
}

export function generateShop(vocab: Vocabulary, params: CatalogParams, platform: Platform, index: number): SandboxShop {
  const rng = new Rng(params.seed, platform, 'shop', index);
  const first = rng.pick(vocab.shopWords.first);
  const second = rng.pick(vocab.shopWords.second);
  const place = rng.pick(vocab.cities);
  const name = byLang((l) => (l === 'zh' || l === 'th' ? `${first[l]}${second[l]}` : `${first[l]} ${second[l]}`));
  const nick = `${platform === 'taobao' ? 'tb' : 'cn'}${rng.chars('abcdefghijkmnpqrstuvwxyz', 5)}${rng.int(10, 9999)}`;
  return {
    platform,
    shopId: String(idBase(params.seed, platform === 'taobao' ? 200_000_000_000 : 2_200_000_000_000) + index * 11),
    name,
    nick,
    sellerOpenId:
      platform === '1688'
        ? `BBB${rng.chars('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789', 22)}`
        : null,
    companyName:
      platform === '1688'
        ? byLang((l) =>
            l === 'zh' ? `${place.city.zh}${first.zh}贸易有限公司` : `${place.city[l]} ${first[l]} Trading Co., Ltd.`,
          )
        : null,
    province: platform === '1688' ? place.province : null,
    city: platform === '1688' ? place.city : null,
    rating: rng.int(42, 50),
  };
}

function title(type: Words, material: Words, style: Words): Words {
  return {
    zh: `${style.zh}${material.zh}${type.zh}`,
    en: `${style.en} ${material.en} ${type.en}`,
    vi: `${type.vi} ${material.vi} ${style.vi}`,
    th: `${type.th} ${material.th} ${style.th}`,
    es: `${type.es} de ${material.es} ${style.es}`,
  };
}

function fill(template: Words, parts: Record<'type' | 'material' | 'colour' | 'style', Words>): Words {
  return byLang((l) =>
    template[l].replace(/\{(type|material|colour|style)\}/g, (_m, k: keyof typeof parts) => parts[k][l]),
  );
}

function roundFen(fen: number): number {
  return Math.max(10, Math.round(fen / 10) * 10);
}

function skusOf(
  vocab: Vocabulary,
  rng: Rng,
  type: ProductTypeDef,
  colours: string[],
  basePrice: number,
  skuBase: number,
  distributable: boolean,
): SandboxSku[] {
  const sizeSet = type.sizes ? vocab.sizeSets.find((s) => s.key === type.sizes) : undefined;
  let sizes = sizeSet ? sizeSet.values : [undefined];
  if (sizeSet) {
    const count = rng.int(Math.min(2, sizes.length), sizes.length);
    const start = rng.int(0, sizes.length - count);
    sizes = sizes.slice(start, start + count);
  }
  const discount = rng.chance(0.5) ? rng.int(80, 95) / 100 : 1;
  const skus: SandboxSku[] = [];
  for (const colour of colours) {
    for (const size of sizes) {
      if (skus.length >= MAX_SKUS) break;
      const factor = size?.factor ?? 1;
      const price = roundFen(basePrice * factor);
      const n = skus.length;
      skus.push({
        skuId: String(skuBase + n),
        properties: [
          { property: vocab.colourProperty.key, value: colour },
          ...(size && sizeSet ? [{ property: sizeSet.property.key, value: size.key }] : []),
        ],
        priceFen: price,
        promotionPriceFen: roundFen(price * discount),
        stock: rng.chance(0.08) ? 0 : rng.int(5, 2000),
        weightG: Math.round(rng.int(type.weightG[0], type.weightG[1]) * factor),
        sizeCm: type.sizeCm.map((c) => Math.max(1, Math.round(c * factor))) as [number, number, number],
        mpSkuId: distributable ? String(skuBase + 500_000_000_000 + n) : null,
      });
    }
  }
  return skus;
}

function tierPrices(rng: Rng, base: number): { moq: number; tiers: TierPrice[] } {
  const moq = rng.pick([1, 2, 3, 5, 10, 20, 50]);
  return {
    moq,
    tiers: [
      { minQuantity: moq, priceFen: base },
      { minQuantity: moq * 5, priceFen: roundFen(base * 0.93) },
      { minQuantity: moq * 20, priceFen: roundFen(base * 0.86) },
    ],
  };
}

export function generateGood(vocab: Vocabulary, params: CatalogParams, platform: Platform, index: number): SandboxGood {
  const rng = new Rng(params.seed, platform, 'good', index);
  const type = rng.pick(vocab.productTypes);
  const material = vocab.materials.find((m) => m.key === rng.pick(type.materials)) ?? rng.pick(vocab.materials);
  const style = vocab.styles.find((s) => s.key === rng.pick(type.styles)) ?? rng.pick(vocab.styles);
  const colours = rng.sample(vocab.colours, rng.int(1, 4));
  const firstColour = colours[0] ?? vocab.colours[0];
  if (!firstColour) throw new Error('the vocabulary has no colours');
  const basePrice = roundFen(rng.int(type.priceFen[0], type.priceFen[1]) * (platform === '1688' ? 0.55 : 1));
  const id = idBase(params.seed, platform === 'taobao' ? 600_000_000_000 : 700_000_000_000) + index * 9 + rng.int(0, 8);
  const distributable = platform === 'taobao' && rng.chance(0.85);
  const skuBase = idBase(params.seed, platform === 'taobao' ? 4_000_000_000_000 : 5_000_000_000_000) + index * MAX_SKUS;
  const skus = skusOf(
    vocab,
    rng,
    type,
    colours.map((c) => c.key),
    basePrice,
    skuBase,
    distributable,
  );
  const tiers = platform === '1688' ? tierPrices(rng, basePrice) : { moq: 1, tiers: [] };
  const parts = { type: type.name, material: material.name, colour: firstColour.name, style: style.name };
  return {
    platform,
    id: String(id),
    index,
    shopId: generateShop(vocab, params, platform, index % shopCount(params)).shopId,
    category: type.category,
    productType: type.key,
    material: material.key,
    style: style.key,
    colours: colours.map((c) => c.key),
    title: title(type.name, material.name, style.name),
    description: fill(rng.pick(vocab.descriptionTemplates), parts),
    priceFen: Math.min(...skus.map((s) => s.priceFen)),
    promotionPriceFen: Math.min(...skus.map((s) => s.promotionPriceFen)),
    sales: Math.floor(Math.exp(rng.float() * 10)) - 1,
    shipIn24h: rng.chance(0.4),
    strictSelection: platform === '1688' && rng.chance(0.15),
    minOrderQuantity: tiers.moq,
    tierPrices: tiers.tiers,
    mpId: distributable ? String(idBase(params.seed, 204_000_000_000_000) * 10 + index * 7 + 1) : null,
    notDistributableReason: platform === 'taobao' && !distributable ? rng.pick(NOT_DISTRIBUTABLE) : null,
    imageSeed: rng.int(1, 0x7fffffff),
    skus,
  };
}

/** Every good of one platform, in index order. */
export function* generateGoods(vocab: Vocabulary, params: CatalogParams, platform: Platform): Generator<SandboxGood> {
  for (let i = 0; i < params.goodsPerPlatform; i++) yield generateGood(vocab, params, platform, i);
}

export function* generateShops(vocab: Vocabulary, params: CatalogParams, platform: Platform): Generator<SandboxShop> {
  for (let i = 0; i < shopCount(params); i++) yield generateShop(vocab, params, platform, i);
}
