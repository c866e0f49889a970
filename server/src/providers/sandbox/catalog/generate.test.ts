import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { VOCABULARY } from '../vocabulary.js';
import { type CatalogParams, generateGood, generateGoods, generateShops, shopCount } from './generate.js';
import type { Platform } from './model.js';

function digest(params: CatalogParams, platform: Platform): string {
  const hash = createHash('sha256');
  for (const shop of generateShops(VOCABULARY, params, platform)) hash.update(JSON.stringify(shop));
  for (const good of generateGoods(VOCABULARY, params, platform)) hash.update(JSON.stringify(good));
  return hash.digest('hex');
}

describe('the sandbox catalog generator', () => {
  const params = { seed: 42, goodsPerPlatform: 500 };

  it('gives the same catalog, byte for byte, for the same seed and size', () => {
    for (const platform of ['taobao', '1688'] as const) {
      expect(digest(params, platform)).toBe(digest({ ...params }, platform));
      expect(digest(params, platform)).not.toBe(digest({ ...params, seed: 43 }, platform));
    }
  });

  it('produces any good again on its own, without the others', () => {
    const all = [...generateGoods(VOCABULARY, params, 'taobao')];
    expect(generateGood(VOCABULARY, params, 'taobao', 317)).toEqual(all[317]);
  });

  it('gives unique ids and SKU ids, within the safe integer range', () => {
    for (const platform of ['taobao', '1688'] as const) {
      const goods = [...generateGoods(VOCABULARY, params, platform)];
      expect(goods).toHaveLength(params.goodsPerPlatform);
      const ids = new Set(goods.map((g) => g.id));
      const skuIds = new Set(goods.flatMap((g) => g.skus.map((s) => s.skuId)));
      expect(ids.size).toBe(goods.length);
      expect(skuIds.size).toBe(goods.reduce((n, g) => n + g.skus.length, 0));
      for (const id of [...ids, ...skuIds]) expect(Number.isSafeInteger(Number(id))).toBe(true);
      const shops = [...generateShops(VOCABULARY, params, platform)];
      expect(new Set(shops.map((s) => s.shopId)).size).toBe(shopCount(params));
      const shopIds = new Set(shops.map((s) => s.shopId));
      for (const g of goods) expect(shopIds.has(g.shopId)).toBe(true);
    }
  });

  it('writes titles and descriptions in all five languages from the same words', () => {
    const goods = [...generateGoods(VOCABULARY, { seed: 7, goodsPerPlatform: 200 }, 'taobao')];
    expect(goods).toHaveLength(200);
    for (const good of goods) {
      const type = VOCABULARY.productTypes.find((t) => t.key === good.productType);
      const material = VOCABULARY.materials.find((m) => m.key === good.material);
      for (const lang of ['zh', 'en', 'vi', 'th', 'es'] as const) {
        expect(good.title[lang]).toContain(type?.name[lang]);
        expect(good.title[lang]).toContain(material?.name[lang]);
        expect(good.description[lang]).not.toMatch(/\{\w+\}/);
      }
    }
  });

  it('keeps prices, stock and distribution coherent', () => {
    const taobao = [...generateGoods(VOCABULARY, params, 'taobao')];
    const alibaba = [...generateGoods(VOCABULARY, params, '1688')];
    for (const g of [...taobao, ...alibaba]) {
      expect(g.skus.length).toBeGreaterThan(0);
      expect(g.skus.length).toBeLessThanOrEqual(16);
      expect(g.priceFen).toBe(Math.min(...g.skus.map((s) => s.priceFen)));
      for (const s of g.skus) {
        expect(Number.isInteger(s.priceFen) && s.priceFen > 0).toBe(true);
        expect(s.promotionPriceFen).toBeLessThanOrEqual(s.priceFen);
        expect(s.stock).toBeGreaterThanOrEqual(0);
      }
      expect(g.mpId === null).toBe(g.notDistributableReason !== null || g.platform === '1688');
    }
    const distributable = taobao.filter((g) => g.mpId !== null).length / taobao.length;
    expect(distributable).toBeGreaterThan(0.7);
    expect(distributable).toBeLessThan(0.97);
    for (const g of alibaba) {
      expect(g.tierPrices[0]?.minQuantity).toBe(g.minOrderQuantity);
      for (let i = 1; i < g.tierPrices.length; i++) {
        expect(g.tierPrices[i]?.priceFen).toBeLessThanOrEqual(g.tierPrices[i - 1]?.priceFen ?? 0);
      }
    }
  });
});
