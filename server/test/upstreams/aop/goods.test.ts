import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AopGateway } from '../../../src/providers/aop/gateway.js';
import {
  AOP_GOODS_APIS,
  AopGoods,
  GOODS_CAPABILITIES,
  type GoodsOperation,
  type TranslationLanguage,
} from '../../../src/providers/aop/goods.js';
import { fenToYuan, gramsToKg, idText, kgToGrams, yuanToFen } from '../../../src/providers/aop/values.js';
import { UpstreamError, UpstreamUnsupportedError } from '../../../src/providers/errors.js';
import { Rng } from '../../../src/providers/sandbox/catalog/random.js';
import { SandboxMarket } from '../../../src/providers/sandbox/sandbox.js';
import type {
  Localized,
  ProductSummary,
  ProviderCategory,
  ProviderProduct,
  SearchPage,
} from '../../../src/providers/types.js';
import { type AopFake, AopWholeBody, buildAopFake } from '../../../src/upstream-fakes/aop/fake.js';
import { aopGoodsHandlers } from '../../../src/upstream-fakes/aop/goods-handlers.js';
import { quiet } from '../fixtures.js';

const APP_KEY = '8123456';
const APP_SECRET = 'fake-secret-Qw9';
const GOODS = 240;
const SANDBOX_URL = 'http://market.test';

let market: SandboxMarket;
let fake: AopFake;
let baseUrl: string;
let accessToken: string;
const calls: string[] = [];

beforeAll(async () => {
  market = new SandboxMarket({
    file: ':memory:',
    baseUrl: () => SANDBOX_URL,
    catalog: { seed: 33, goodsPerPlatform: GOODS },
  });
  market.ensureSeeded();
  const handlers = aopGoodsHandlers({ market: market.alibaba });
  // Every API call is recorded, to check which API an operation went through.
  for (const [api, spec] of Object.entries(handlers)) {
    const handle = spec.handle;
    spec.handle = (params, ctx) => {
      calls.push(api);
      return handle(params, ctx);
    };
  }
  fake = buildAopFake({ appKey: APP_KEY, appSecret: APP_SECRET, handlers });
  baseUrl = await fake.listen();
  accessToken = fake.issueToken('b2b-2207000001').accessToken;
});
afterAll(async () => {
  await fake.close();
  await market.close();
});

function goods(language: TranslationLanguage = 'en', base = baseUrl): AopGoods {
  const gateway = new AopGateway({ baseUrl: base, appKey: APP_KEY, appSecret: APP_SECRET, now: Date.now, log: quiet });
  return new AopGoods(gateway, async () => accessToken, {
    language,
    ownsPictureUrl: (url) => url.startsWith(`${SANDBOX_URL}/`),
  });
}

function productIdAt(index: number): string {
  const row = market.catalog.goodRowByIndex('1688', index);
  if (!row) throw new Error(`no good ${index}`);
  return row.id;
}

/** The original and the language asked: what 1688 carries of a localized text. */
const two = (text: Localized, language: TranslationLanguage) => ({ zh: text.zh, [language]: text[language] });

/** The fields of a product that 1688's detail carries, in the language asked. */
function carried(p: ProviderProduct, l: TranslationLanguage) {
  return {
    productId: p.productId,
    title: two(p.title, l),
    description: two(p.description, l),
    categoryId: p.categoryId,
    categoryPath: p.categoryPath.map((c) => ({ categoryId: c.categoryId, name: two(c.name, l) })),
    shop: {
      shopId: p.shop.sellerOpenId,
      sellerOpenId: p.shop.sellerOpenId,
      companyName: p.shop.companyName?.zh,
      province: p.shop.province?.zh,
      city: p.shop.city?.zh,
      rating: p.shop.rating,
    },
    mainImageUrl: p.mainImageUrl,
    imageUrls: p.imageUrls,
    priceFen: p.priceFen,
    promotionPriceFen: p.promotionPriceFen,
    maxPriceFen: p.maxPriceFen,
    tierPrices: p.tierPrices,
    minOrderQuantity: p.minOrderQuantity,
    sales: p.sales,
    totalStock: p.totalStock,
    shipIn24h: p.shipIn24h,
    strictSelection: p.strictSelection,
    status: p.status,
    attributes: p.attributes.map((a) => ({ name: two(a.name, l), value: two(a.value, l) })),
    skus: p.skus.map((s) => ({
      skuId: s.skuId,
      properties: s.properties.map((prop) => ({
        propId: prop.propId,
        propName: two(prop.propName, l),
        valueName: two(prop.valueName, l),
      })),
      priceFen: s.priceFen,
      promotionPriceFen: s.promotionPriceFen,
      stock: s.stock,
      weightG: s.weightG,
      lengthCm: s.lengthCm,
      widthCm: s.widthCm,
      heightCm: s.heightCm,
      imageUrl: s.imageUrl,
      status: s.status,
    })),
  };
}

function carriedShop(p: ProviderProduct) {
  const { shop } = carried(p, 'en');
  return shop;
}

/** The fields of a search hit that 1688's offer lists carry. */
function hit(s: ProductSummary, l: TranslationLanguage) {
  return {
    productId: s.productId,
    title: two(s.title, l),
    mainImageUrl: s.mainImageUrl,
    priceFen: s.priceFen,
    promotionPriceFen: s.promotionPriceFen,
    minOrderQuantity: s.minOrderQuantity,
    sales: s.sales,
    categoryId: s.categoryId,
    shipIn24h: s.shipIn24h,
    strictSelection: s.strictSelection,
  };
}

function hits(page: SearchPage<ProductSummary> | null, l: TranslationLanguage = 'en') {
  return page?.items.map((s) => hit(s, l));
}

function category(c: ProviderCategory | null, l: TranslationLanguage = 'en') {
  if (!c) return c;
  return {
    categoryId: c.categoryId,
    parentId: c.parentId,
    name: two(c.name, l),
    leaf: c.leaf,
    path: c.path.map((p) => ({ categoryId: p.categoryId, name: two(p.name, l) })),
    children: c.children.map((k) => ({ categoryId: k.categoryId, name: two(k.name, l), leaf: k.leaf })),
  };
}

describe('1688 value conventions', () => {
  it('converts yuan text and fen, kilograms and grams, by the digits', () => {
    expect(yuanToFen('12.30')).toBe(1230);
    expect(yuanToFen('0.1')).toBe(10);
    expect(yuanToFen('7')).toBe(700);
    expect(yuanToFen('12.345')).toBe(1235);
    expect(yuanToFen('0.29')).toBe(29);
    expect(yuanToFen(19.99)).toBe(1999);
    expect(() => yuanToFen('12,30')).toThrow(TypeError);
    expect(fenToYuan(1230)).toBe('12.30');
    expect(fenToYuan(5)).toBe('0.05');
    expect(kgToGrams(0.448)).toBe(448);
    expect(kgToGrams('1.2')).toBe(1200);
    expect(kgToGrams(0.0005)).toBe(1);
    expect(gramsToKg(448)).toBe('0.448');
    expect(gramsToKg(1200)).toBe('1.2');
  });

  it('keeps ids as text and refuses what is not one', () => {
    expect(idText('167539019420540001', 'api', 'offerId')).toBe('167539019420540001');
    expect(idText(624130101234, 'api', 'offerId')).toBe('624130101234');
    expect(() => idText(2 ** 60, 'api', 'offerId')).toThrow(UpstreamError);
    expect(() => idText(1.5, 'api', 'offerId')).toThrow(UpstreamError);
  });
});

describe('1688 goods over the fake gateway, backed by the sandbox', () => {
  it('answers product details equal to the sandbox for what the detail carries, in each language asked', async () => {
    const rng = new Rng('aop-goods-details');
    for (const language of ['en', 'vi', 'th', 'es'] as const) {
      const client = goods(language);
      for (let n = 0; n < 6; n++) {
        const id = productIdAt(rng.int(0, GOODS - 1));
        const expected = await market.alibaba.getProduct(id);
        const actual = await client.getProduct(id);
        if (!expected || !actual) throw new Error(`missing ${id}`);
        expect(carried(actual, language), `${id} in ${language}`).toEqual(carried(expected, language));
        // The languages not asked fall back to the translation answered.
        const other = language === 'en' ? 'es' : 'en';
        expect(actual.title[other]).toBe(expected.title[language]);
        expect(actual.platform).toBe('1688');
      }
    }
  });

  it('maps a delisted offer, and answers null for unknown ids', async () => {
    const id = productIdAt(17);
    market.setListed('1688', id, false);
    try {
      const product = await goods().getProduct(id);
      expect(product?.status).toBe('delisted');
      expect(product?.skus.every((s) => s.status === 'inactive')).toBe(true);
      expect(carried(product as ProviderProduct, 'en')).toEqual(
        carried((await market.alibaba.getProduct(id)) as ProviderProduct, 'en'),
      );
    } finally {
      market.setListed('1688', id, true);
    }
    expect(await goods().getProduct('123')).toBeNull();
    expect(await goods().getProduct('not-an-id')).toBeNull();
    const both = await goods().getProducts([productIdAt(1), '123', productIdAt(2)]);
    expect(both.map((p) => p.productId)).toEqual([productIdAt(1), productIdAt(2)]);
  });

  it('searches by keyword with filters and sorts, and pages as the sandbox does', async () => {
    const client = goods();
    const all = await market.alibaba.search({ keyword: '', sort: 'price_asc', page: 1, pageSize: 30 });
    const got = await client.search({ keyword: '', sort: 'price_asc', page: 1, pageSize: 30 });
    expect(got.total).toBe(GOODS);
    expect(hits(got)).toEqual(hits(all));

    const top = (await market.alibaba.topCategories())[0];
    const queries = [
      { keyword: '', sort: 'sales_desc' as const, page: 2, pageSize: 25 },
      { keyword: '', sort: 'price_desc' as const, priceMinFen: 2000, priceMaxFen: 5000, page: 1, pageSize: 20 },
      { keyword: '', shipIn24h: true, page: 1, pageSize: 20 },
      { keyword: '', strictSelection: true, page: 1, pageSize: 20 },
      { keyword: '', categoryId: top?.categoryId, page: 1, pageSize: 20 },
    ];
    for (const q of queries) {
      const expected = await market.alibaba.search(q);
      const actual = await client.search(q);
      expect(actual.total, JSON.stringify(q)).toBe(expected.total);
      expect(actual.items.length, JSON.stringify(q)).toBeGreaterThan(0);
      expect(hits(actual), JSON.stringify(q)).toEqual(hits(expected));
    }

    const seen = new Set<string>();
    for (let page = 1; page <= Math.ceil(GOODS / 70); page++) {
      const p = await client.search({ keyword: '', sort: 'sales_desc', page, pageSize: 70 });
      expect(p.page).toBe(page);
      for (const item of p.items) {
        expect(seen.has(item.productId)).toBe(false);
        seen.add(item.productId);
      }
    }
    expect(seen.size).toBe(GOODS);
    await expect(client.search({ keyword: '', categoryId: '999', page: 1, pageSize: 10 })).rejects.toMatchObject({
      reason: 'invalid_value',
    });
  });

  it('finds a product by its title in the language asked', async () => {
    const product = await market.alibaba.getProduct(productIdAt(40));
    if (!product) throw new Error('missing');
    for (const language of ['vi', 'th'] as const) {
      const q = { keyword: product.title[language], language, page: 1, pageSize: 20 };
      const actual = await goods().search(q);
      expect(hits(actual, language)).toEqual(hits(await market.alibaba.search(q), language));
      expect(actual.items.map((i) => i.productId)).toContain(product.productId);
    }
    const zh = await goods().search({ keyword: product.title.zh, language: 'zh', page: 1, pageSize: 20 });
    expect(zh.items.map((i) => i.productId)).toContain(product.productId);
  });

  it('searches by picture, uploaded as bytes or passed by address', async () => {
    const id = productIdAt(55);
    const bytes = await market.image('1688', id, { view: 0, colour: null, format: 'jpeg' });
    if (!bytes) throw new Error('no picture');
    const byBytes = await goods().imageSearch({ image: { bytes }, page: 1, pageSize: 8 });
    const expected = await market.alibaba.imageSearch({ image: { bytes }, page: 1, pageSize: 8 });
    expect(byBytes.items[0]?.productId).toBe(id);
    expect(hits(byBytes)).toEqual(hits(expected));
    expect(byBytes.items[0]?.similarity).toBe(1);
    const scores = byBytes.items.map((i) => i.similarity);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
    expect(calls).toContain(AOP_GOODS_APIS.imageUpload);

    const before = calls.filter((c) => c === AOP_GOODS_APIS.imageUpload).length;
    const byUrl = await goods().imageSearch({
      image: { url: `${SANDBOX_URL}/sandbox/images/1688/${id}/0.jpg` },
      page: 1,
      pageSize: 5,
    });
    expect(byUrl.items[0]?.productId).toBe(id);
    expect(calls.filter((c) => c === AOP_GOODS_APIS.imageUpload).length).toBe(before);
    await expect(goods().imageSearch({ image: { bytes }, page: 1, pageSize: 51 })).rejects.toMatchObject({
      reason: 'invalid_value',
    });
  });

  it('reads categories with names, paths and children, and null for an unknown one', async () => {
    for (const language of ['en', 'th'] as const) {
      const client = goods(language);
      const root = await client.getCategory();
      expect(category(root, language)).toEqual(category(await market.alibaba.getCategory(), language));
      const topId = root?.children[0]?.categoryId;
      const top = await client.getCategory(topId);
      expect(category(top, language)).toEqual(category(await market.alibaba.getCategory(topId), language));
      const leafId = top?.children[0]?.categoryId;
      const leaf = await client.getCategory(leafId);
      expect(leaf?.leaf).toBe(true);
      expect(category(leaf, language)).toEqual(category(await market.alibaba.getCategory(leafId), language));
      const tops = await client.topCategories();
      expect(tops.map((c) => category(c, language))).toEqual(
        (await market.alibaba.topCategories()).map((c) => category(c, language)),
      );
      expect(await client.getCategory('42')).toBeNull();
      expect(root?.children.length).toBeGreaterThan(0);
      expect(leaf?.path).toHaveLength(2);
    }
  });

  it('recommends, relates and lists as the sandbox does', async () => {
    const client = goods();
    const recommended = await client.recommend({ page: 1, pageSize: 12 });
    expect(hits(recommended)).toEqual(hits(await market.alibaba.recommend({ page: 1, pageSize: 12 })));
    // A full page says there may be more.
    expect(recommended.total).toBe(13);

    const id = productIdAt(9);
    for (const paging of [
      { page: 1, pageSize: 10 },
      { page: 2, pageSize: 15 },
      { page: 3, pageSize: 4 },
    ]) {
      const actual = await client.related(id, paging);
      const expected = await market.alibaba.related(id, paging);
      expect(actual?.items.length, JSON.stringify(paging)).toBeGreaterThan(0);
      expect(hits(actual), JSON.stringify(paging)).toEqual(hits(expected));
      expect(actual?.items.map((i) => i.productId)).not.toContain(id);
    }
    expect(await client.related('123', { page: 1, pageSize: 10 })).toBeNull();

    for (const list of ['strict_selection', 'global_selection', 'hot_selling'] as const) {
      const actual = await client.marketingList(list, { page: 1, pageSize: 20 });
      const expected = await market.alibaba.marketingList(list, { page: 1, pageSize: 20 });
      expect(actual.total, list).toBe(expected.total);
      expect(actual.items.length, list).toBeGreaterThan(0);
      expect(hits(actual), list).toEqual(hits(expected));
    }
  });

  it('describes suppliers from their offers, and answers their chat links', async () => {
    const product = await market.alibaba.getProduct(productIdAt(3));
    const openId = product?.shop.sellerOpenId ?? '';
    const expected = await market.alibaba.getSupplier(openId);
    const supplier = await goods().getSupplier(openId);
    expect(supplier?.goodsCount).toBe(expected?.goodsCount);
    expect(supplier && carriedShop({ ...(product as ProviderProduct), shop: supplier })).toEqual(
      carriedShop(product as ProviderProduct),
    );
    expect(await goods().getShop(openId)).toEqual(supplier);
    expect(await goods().getSupplier('BBBnobody')).toBeNull();

    const inShop = await goods().search({ keyword: '', shopId: openId, page: 1, pageSize: 50 });
    const sandboxShop = await market.alibaba.search({
      keyword: '',
      shopId: product?.shop.shopId,
      page: 1,
      pageSize: 50,
    });
    expect(inShop.items.length).toBeGreaterThan(0);
    expect(inShop.total).toBe(expected?.goodsCount);
    expect(hits(inShop)).toEqual(hits(sandboxShop));
    await expect(goods().search({ keyword: 'dress', shopId: openId, page: 1, pageSize: 5 })).rejects.toBeInstanceOf(
      UpstreamUnsupportedError,
    );

    expect(await goods().wangwangUrl(openId)).toBe(await market.alibaba.wangwangUrl(openId));
    expect(await goods().wangwangUrl('BBBnobody')).toBeNull();
  });

  it('answers each operation of the capability table through its API, or throws UpstreamUnsupportedError', async () => {
    const client = goods();
    const id = productIdAt(5);
    const openId = (await market.alibaba.getProduct(id))?.shop.sellerOpenId ?? '';
    const bytes = (await market.image('1688', id, { view: 0, colour: null, format: 'jpeg' })) as Buffer;
    const run: Record<GoodsOperation, () => Promise<unknown>> = {
      getProduct: () => client.getProduct(id),
      getProducts: () => client.getProducts([id]),
      search: () => client.search({ keyword: '', page: 1, pageSize: 5 }),
      imageSearch: () => client.imageSearch({ image: { bytes }, page: 1, pageSize: 5 }),
      getCategory: () => goods('es').getCategory('101000'),
      topCategories: () => goods('vi').topCategories(),
      recommend: () => client.recommend({ page: 1, pageSize: 5 }),
      related: () => client.related(id, { page: 1, pageSize: 5 }),
      marketingList: () => client.marketingList('hot_selling', { page: 1, pageSize: 5 }),
      searchShops: () => client.searchShops({ keyword: 'x', page: 1, pageSize: 5 }),
      getShop: () => client.getShop(openId),
      getSupplier: () => client.getSupplier(openId),
      wangwangUrl: () => client.wangwangUrl(openId),
    };
    expect(Object.keys(run).sort()).toEqual(Object.keys(GOODS_CAPABILITIES).sort());
    for (const [operation, capability] of Object.entries(GOODS_CAPABILITIES) as [
      GoodsOperation,
      (typeof GOODS_CAPABILITIES)[GoodsOperation],
    ][]) {
      calls.length = 0;
      if ('unsupported' in capability) {
        const err = await run[operation]().then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(err, operation).toBeInstanceOf(UpstreamUnsupportedError);
        expect(err).toMatchObject({ operation, upstream: 'aop' });
        expect(calls, operation).toEqual([]);
      } else {
        const answer = await run[operation]();
        expect(answer, operation).toBeTruthy();
        // Every API the table names was called, and no other.
        const named = capability.api.split(' + ');
        expect(new Set(calls.filter((c) => c !== AOP_GOODS_APIS.category || named.includes(c))), operation).toEqual(
          new Set(named),
        );
      }
    }
  });
});

describe('1688 goods: wire details', () => {
  it('keeps offer ids above 2^53 exact, and reads a refusal in the envelope as an error', async () => {
    const big = '167539019420540001';
    const wire = buildAopFake({
      appKey: APP_KEY,
      appSecret: APP_SECRET,
      handlers: {
        [AOP_GOODS_APIS.keyword]: () =>
          new AopWholeBody({
            result: {
              success: true,
              code: '200',
              message: '成功',
              result: {
                totalRecords: 1,
                currentPage: 1,
                data: [
                  {
                    offerId: BigInt(big),
                    subject: '连衣裙',
                    subjectTrans: 'dress',
                    priceInfo: { price: '12.30', promotionPrice: '9.9' },
                    monthSold: 3,
                    topCategoryId: 1,
                    secondCategoryId: 2,
                    thirdCategoryId: 3,
                  },
                ],
              },
            },
          }),
        [AOP_GOODS_APIS.recommend]: () =>
          new AopWholeBody({ result: { success: false, code: '500', message: '系统繁忙', result: null } }),
      },
    });
    const url = await wire.listen();
    try {
      const token = wire.issueToken('b2b-1').accessToken;
      const gateway = new AopGateway({
        baseUrl: url,
        appKey: APP_KEY,
        appSecret: APP_SECRET,
        now: Date.now,
        log: quiet,
      });
      const client = new AopGoods(gateway, async () => token);
      const page = await client.search({ keyword: 'dress', page: 1, pageSize: 1 });
      expect(page.items[0]).toMatchObject({
        productId: big,
        priceFen: 1230,
        promotionPriceFen: 990,
        categoryId: '3',
        title: { zh: '连衣裙', en: 'dress', vi: 'dress' },
      });
      await expect(client.recommend({ page: 1, pageSize: 5 })).rejects.toThrow(/500: 系统繁忙/);
    } finally {
      await wire.close();
    }
  });
});
