import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../../src/providers/sandbox/catalog/random.js';
import { SandboxMarket } from '../../src/providers/sandbox/sandbox.js';
import { LANGUAGES } from '../../src/providers/types.js';

const GOODS = 400;
let market: SandboxMarket;

beforeAll(() => {
  market = new SandboxMarket({
    file: ':memory:',
    baseUrl: () => 'http://market.test',
    catalog: { seed: 21, goodsPerPlatform: GOODS },
  });
  market.ensureSeeded();
});
afterAll(() => market.close());

function productIdAt(platform: 'taobao' | '1688', index: number): string {
  const row = market.catalog.goodRowByIndex(platform, index);
  if (!row) throw new Error(`no good ${index}`);
  return row.id;
}

describe('goods through the provider interface', () => {
  it('a product is found by its title in each of the five languages', async () => {
    const rng = new Rng('title-search');
    for (const platform of ['taobao', '1688'] as const) {
      const provider = platform === 'taobao' ? market.taobao : market.alibaba;
      for (let n = 0; n < 25; n++) {
        const product = await provider.getProduct(productIdAt(platform, rng.int(0, GOODS - 1)));
        if (!product) throw new Error('missing');
        for (const language of LANGUAGES) {
          const page = await provider.search({
            keyword: product.title[language],
            language,
            shopId: product.shop.shopId,
            page: 1,
            pageSize: 40,
          });
          expect(
            page.items.map((i) => i.productId),
            `${platform} ${language} "${product.title[language]}"`,
          ).toContain(product.productId);
        }
      }
    }
  });

  it('details carry titles in five languages, SKUs with translated properties, and pictures per colour', async () => {
    const product = await market.taobao.getProduct(productIdAt('taobao', 7));
    expect(product?.title.zh).toMatch(/[\u4e00-\u9fff]/);
    expect(product?.title.th).toMatch(/[\u0e00-\u0e7f]/);
    const sku = product?.skus[0];
    expect(sku?.properties[0]?.propName.zh).toBe('颜色分类');
    expect(sku?.properties[0]?.propName.en).toBe('Colour');
    expect(sku?.imageUrl).toMatch(/^http:\/\/market\.test\/sandbox\/images\/taobao\/\d+\/0-[a-z-]+\.jpg$/);
    expect(product?.imageUrls).toHaveLength(4);
    expect(product?.categoryPath.length).toBe(2);
    expect(product?.mpId ?? product?.notDistributableReason).toBeTruthy();
    const alibaba = await market.alibaba.getProduct(productIdAt('1688', 7));
    expect(alibaba?.shop.sellerOpenId).toMatch(/^BBB/);
    expect(alibaba?.tierPrices.length).toBe(3);
    expect(alibaba?.minOrderQuantity).toBeGreaterThanOrEqual(1);
    expect(await market.taobao.getProduct('123')).toBeNull();
    const both = await market.taobao.getProducts([productIdAt('taobao', 1), '123', productIdAt('taobao', 2)]);
    expect(both.map((p) => p.productId)).toEqual([productIdAt('taobao', 1), productIdAt('taobao', 2)]);
  });

  it('filters and sorts keyword results, and pages without repeating', async () => {
    const all = await market.taobao.search({ keyword: '', sort: 'price_asc', page: 1, pageSize: 50 });
    expect(all.total).toBe(GOODS);
    const prices = all.items.map((i) => i.priceFen);
    expect([...prices].sort((a, b) => a - b)).toEqual(prices);
    const bySales = await market.taobao.search({ keyword: '', sort: 'sales_desc', page: 1, pageSize: 50 });
    const sales = bySales.items.map((i) => i.sales);
    expect([...sales].sort((a, b) => b - a)).toEqual(sales);

    const cheap = await market.taobao.search({
      keyword: '',
      priceMinFen: 2000,
      priceMaxFen: 5000,
      page: 1,
      pageSize: 50,
    });
    // Each filter keeps some goods and drops others, so "every kept item matches" says something.
    expect(cheap.items.length).toBeGreaterThan(0);
    expect(cheap.total).toBeLessThan(all.total);
    expect(cheap.items.every((i) => i.priceFen >= 2000 && i.priceFen <= 5000)).toBe(true);
    const fast = await market.taobao.search({ keyword: '', shipIn24h: true, page: 1, pageSize: 50 });
    expect(fast.items.length).toBeGreaterThan(0);
    expect(fast.total).toBeLessThan(all.total);
    expect(fast.items.every((i) => i.shipIn24h)).toBe(true);

    const top = (await market.taobao.topCategories())[0];
    const inTop = await market.taobao.search({ keyword: '', categoryId: top?.categoryId, page: 1, pageSize: 50 });
    const leafIds = new Set(top?.children.map((c) => c.categoryId));
    expect(inTop.items.length).toBeGreaterThan(0);
    expect(inTop.total).toBeLessThan(all.total);
    expect(inTop.items.every((i) => leafIds.has(i.categoryId))).toBe(true);

    const seen = new Set<string>();
    for (let page = 1; page <= Math.ceil(GOODS / 37); page++) {
      const p = await market.taobao.search({ keyword: '', sort: 'sales_desc', page, pageSize: 37 });
      for (const item of p.items) {
        expect(seen.has(item.productId)).toBe(false);
        seen.add(item.productId);
      }
    }
    expect(seen.size).toBe(GOODS);
    await expect(market.taobao.search({ keyword: '', categoryId: '999', page: 1, pageSize: 10 })).rejects.toMatchObject(
      { reason: 'invalid_value', field: 'categoryId' },
    );
  });

  it('finds a product from a resized, cropped, recompressed copy of its picture, by bytes or URL', async () => {
    const rng = new Rng('picture-search');
    for (let n = 0; n < 10; n++) {
      const id = productIdAt('1688', rng.int(0, GOODS - 1));
      const original = await market.image('1688', id, { view: 0, colour: null, format: 'jpeg' });
      if (!original) throw new Error('no picture');
      const copy = await sharp(await sharp(original).resize(400, 400).toBuffer())
        .extract({ left: 40, top: 40, width: 320, height: 320 })
        .jpeg({ quality: 70 })
        .toBuffer();
      const page = await market.alibaba.imageSearch({ image: { bytes: copy }, page: 1, pageSize: 10 });
      expect(page.items[0]?.productId).toBe(id);
      expect(page.items[0]?.similarity).toBeGreaterThan(0.5);
    }
    const id = productIdAt('taobao', 3);
    const byUrl = await market.taobao.imageSearch({
      image: { url: `http://market.test/sandbox/images/taobao/${id}/0.jpg` },
      page: 1,
      pageSize: 5,
    });
    expect(byUrl.items[0]?.productId).toBe(id);
    const noise = await sharp({ create: { width: 300, height: 300, channels: 3, background: '#7f7f7f' } })
      .png()
      .toBuffer();
    const none = await market.taobao.imageSearch({ image: { bytes: noise }, page: 1, pageSize: 5 });
    expect(none.items.every((i) => i.similarity < 0.5)).toBe(true);
    await expect(
      market.taobao.imageSearch({ image: { bytes: Buffer.from('not a picture') }, page: 1, pageSize: 5 }),
    ).rejects.toThrow();
  });

  it('related goods share the category, recommendations lean towards the seeds, shops are searchable', async () => {
    const product = await market.taobao.getProduct(productIdAt('taobao', 11));
    const related = await market.taobao.related(product?.productId ?? '', { page: 1, pageSize: 10 });
    expect(related?.items.length).toBeGreaterThan(0);
    expect(related?.items.map((i) => i.productId)).not.toContain(product?.productId);
    expect(related?.items[0]?.categoryId).toBe(product?.categoryId);
    expect(await market.taobao.related('123', { page: 1, pageSize: 10 })).toBeNull();

    const recommended = await market.taobao.recommend({ productIds: [product?.productId ?? ''], page: 1, pageSize: 5 });
    expect(recommended.items[0]?.categoryId).toBe(product?.categoryId);
    const popular = await market.taobao.recommend({ page: 1, pageSize: 5 });
    const sales = popular.items.map((i) => i.sales);
    expect([...sales].sort((a, b) => b - a)).toEqual(sales);

    const shop = product?.shop;
    const shops = await market.taobao.searchShops({
      keyword: shop?.shopName.en.split(' ')[0] ?? '',
      page: 1,
      pageSize: 50,
    });
    expect(shops.items.map((s) => s.shopId)).toContain(shop?.shopId);
    const supplier = await market.alibaba.getSupplier(
      (await market.alibaba.getProduct(productIdAt('1688', 0)))?.shop.sellerOpenId ?? '',
    );
    expect(supplier?.companyName?.zh).toMatch(/有限公司$/);
    expect(await market.alibaba.wangwangUrl(supplier?.sellerOpenId ?? '')).toContain(
      encodeURIComponent(supplier?.userNick ?? ''),
    );
  });

  it('categories have names in five languages, a path and children', async () => {
    const root = await market.alibaba.getCategory();
    expect(root?.children.length).toBe(8);
    const top = await market.alibaba.getCategory(root?.children[0]?.categoryId);
    expect(top?.leaf).toBe(false);
    const leaf = await market.alibaba.getCategory(top?.children[0]?.categoryId);
    expect(leaf).toMatchObject({ leaf: true, parentId: top?.categoryId });
    expect(leaf?.path.map((p) => p.categoryId)).toEqual([top?.categoryId, leaf?.categoryId]);
    for (const l of LANGUAGES) expect(leaf?.name[l].length).toBeGreaterThan(0);
    expect(await market.alibaba.getCategory('42')).toBeNull();
  });

  it('marketing lists: strict selection and hot sellers', async () => {
    const strict = await market.alibaba.marketingList('strict_selection', { page: 1, pageSize: 20 });
    expect(strict.items.length).toBeGreaterThan(0);
    expect(strict.total).toBeLessThan(GOODS);
    expect(strict.items.every((i) => i.strictSelection)).toBe(true);
    const global = await market.alibaba.marketingList('global_selection', { page: 1, pageSize: 20 });
    expect(global.items.length).toBeGreaterThan(0);
    expect(global.total).toBeLessThan(strict.total);
    expect(global.items.every((i) => i.strictSelection && i.shipIn24h)).toBe(true);
    const hot = await market.alibaba.marketingList('hot_selling', { page: 1, pageSize: 20 });
    const sales = hot.items.map((i) => i.sales);
    expect([...sales].sort((a, b) => b - a)).toEqual(sales);
  });
});
