import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UpstreamUnsupportedError } from '../../../src/providers/errors.js';
import { Rng } from '../../../src/providers/sandbox/catalog/random.js';
import { SandboxMarket } from '../../../src/providers/sandbox/sandbox.js';
import { IopClient } from '../../../src/providers/taobao-global/gateway.js';
import {
  GOODS_CAPABILITIES,
  localized,
  TaobaoGlobalGoods,
  type TaobaoGoodsOperation,
} from '../../../src/providers/taobao-global/goods.js';
import type { Language, ProductSummary, ProviderProduct } from '../../../src/providers/types.js';
import { fenToYuan, gramsToKg, kgToGrams, yuanToFen } from '../../../src/providers/units.js';
import { buildIopFake, type IopFake } from '../../../src/upstream-fakes/taobao-global/fake.js';
import { goodsHandlers } from '../../../src/upstream-fakes/taobao-global/goods-handlers.js';
import { quiet } from '../fixtures.js';

const APP_KEY = '500777';
const APP_SECRET = 'goods-secret-for-tests';
const GOODS = 120;

let market: SandboxMarket;
let fake: IopFake;
let client: IopClient;
let accessToken: string;

function goodsIn(language: Exclude<Language, 'zh'>): TaobaoGlobalGoods {
  return new TaobaoGlobalGoods(client, async () => accessToken, {
    language,
    now: () => Date.now(),
    chatAccount: async (buyerId) => (buyerId === 'nobody' ? null : { loginName: buyerId, password: 'pw' }),
  });
}

function productIdAt(index: number): string {
  const row = market.catalog.goodRowByIndex('taobao', index);
  if (!row) throw new Error(`no good ${index}`);
  return row.id;
}

beforeAll(async () => {
  market = new SandboxMarket({
    file: ':memory:',
    baseUrl: () => 'http://market.test',
    catalog: { seed: 16, goodsPerPlatform: GOODS },
  });
  market.ensureSeeded();
  fake = buildIopFake({
    appKey: APP_KEY,
    appSecret: APP_SECRET,
    now: () => Date.now(),
    accounts: [{ account: 'Ponte', userId: '2200000000001' }],
    handlers: goodsHandlers({ market: market.taobao }),
  });
  const baseUrl = await fake.listen();
  client = new IopClient({ baseUrl, appKey: APP_KEY, appSecret: APP_SECRET, now: () => Date.now(), log: quiet });
  accessToken = (await client.createToken(fake.issueCode('Ponte'))).accessToken;
});

afterAll(async () => {
  await fake.close();
  market.close();
});

/** Every language the answer was not asked in shows the one translation the platform gave. */
function expectLocalized(actual: Record<Language, string>, expected: Record<Language, string>, asked: Language) {
  expect(actual).toEqual(localized(expected.zh, expected[asked]));
}

/** The fields the distributor APIs carry, as the sandbox answers them. */
function expectSameProduct(actual: ProviderProduct, expected: ProviderProduct, asked: Language) {
  expect(actual.productId).toBe(expected.productId);
  expectLocalized(actual.title, expected.title, asked);
  expect(actual.description.zh).toBe(expected.description.zh);
  expect(actual.categoryId).toBe(expected.categoryId);
  expect(actual.shop.shopId).toBe(expected.shop.shopId);
  expect(actual.shop.shopName.zh).toBe(expected.shop.shopName.zh);
  expect(actual.shop.userNick).toBe(expected.shop.userNick);
  expect(actual.mainImageUrl).toBe(expected.mainImageUrl);
  expect(actual.imageUrls).toEqual(expected.imageUrls);
  expect(actual.priceFen).toBe(expected.priceFen);
  expect(actual.promotionPriceFen).toBe(expected.promotionPriceFen);
  expect(actual.maxPriceFen).toBe(expected.maxPriceFen);
  expect(actual.minOrderQuantity).toBe(expected.minOrderQuantity);
  expect(actual.totalStock).toBe(expected.totalStock);
  expect(actual.status).toBe(expected.status);
  expect(actual.mpId).toBe(expected.mpId);
  expect(actual.notDistributableReason === null).toBe(expected.mpId !== null);
  expect(actual.attributes).toHaveLength(expected.attributes.length);
  actual.attributes.forEach((a, i) => {
    const e = expected.attributes[i];
    if (!e) throw new Error('attribute missing');
    expectLocalized(a.name, e.name, asked);
    expectLocalized(a.value, e.value, asked);
  });
  expect(actual.skus).toHaveLength(expected.skus.length);
  actual.skus.forEach((sku, i) => {
    const e = expected.skus[i];
    if (!e) throw new Error('sku missing');
    const { properties, ...rest } = sku;
    const { properties: expectedProperties, ...expectedRest } = e;
    expect(rest).toEqual(expectedRest);
    expect(properties.map((p) => [p.propId, p.valueId])).toEqual(expectedProperties.map((p) => [p.propId, p.valueId]));
    properties.forEach((p, j) => {
      const ep = expectedProperties[j];
      if (!ep) throw new Error('property missing');
      expectLocalized(p.propName, ep.propName, asked);
      expectLocalized(p.valueName, ep.valueName, asked);
    });
  });
}

function expectSameSummary(actual: ProductSummary, expected: ProductSummary, asked: Language) {
  expect(actual.productId).toBe(expected.productId);
  expectLocalized(actual.title, expected.title, asked);
  expect(actual.mainImageUrl).toBe(expected.mainImageUrl);
  expect(actual.priceFen).toBe(expected.priceFen);
  expect(actual.promotionPriceFen).toBe(expected.promotionPriceFen);
  expect(actual.shopId).toBe(expected.shopId);
  expect(actual.shopName.zh).toBe(expected.shopName.zh);
  expect(actual.categoryId).toBe(expected.categoryId);
}

describe('decimal amounts', () => {
  it('turns yuan strings into fen and kilograms into grams without floating point', () => {
    expect(yuanToFen('12.30')).toBe(1230);
    expect(yuanToFen('12.3')).toBe(1230);
    expect(yuanToFen('0.07')).toBe(7);
    expect(yuanToFen('19')).toBe(1900);
    expect(yuanToFen(0.29)).toBe(29);
    expect(yuanToFen('1.005')).toBeNull();
    expect(yuanToFen('1.000')).toBe(100);
    expect(yuanToFen('-1')).toBeNull();
    expect(yuanToFen('abc')).toBeNull();
    expect(fenToYuan(1230)).toBe('12.30');
    expect(fenToYuan(7)).toBe('0.07');
    expect(kgToGrams('0.227')).toBe(227);
    expect(kgToGrams('1.5')).toBe(1500);
    expect(kgToGrams('0.2275')).toBe(228);
    expect(gramsToKg(227)).toBe('0.227');
    expect(gramsToKg(1500)).toBe('1.500');
  });
});

describe('Taobao Global goods over the fake gateway', () => {
  it('answers products as the sandbox has them, originals in zh and the translation asked', async () => {
    const rng = new Rng('tg-goods');
    for (const language of ['en', 'vi'] as const) {
      const goods = goodsIn(language);
      for (let n = 0; n < 12; n++) {
        const id = productIdAt(rng.int(0, GOODS - 1));
        const [actual, expected] = await Promise.all([goods.getProduct(id), market.taobao.getProduct(id)]);
        if (!actual || !expected) throw new Error(`missing ${id}`);
        expectSameProduct(actual, expected, language);
      }
    }
  });

  it('maps delisted and non-distributable products', async () => {
    const goods = goodsIn('en');
    const delisted = productIdAt(10);
    market.setListed('taobao', delisted, false);
    try {
      const all = await market.taobao.getProducts(Array.from({ length: GOODS }, (_, i) => productIdAt(i)));
      const odd = all.filter((p) => p.status === 'delisted' || p.mpId === null || p.skus.some((s) => s.stock === 0));
      expect(odd.filter((p) => p.mpId === null).length).toBeGreaterThan(0);
      expect(odd.filter((p) => p.skus.some((s) => s.stock === 0)).length).toBeGreaterThan(0);
      for (const expected of [...odd.slice(0, 10), ...odd.filter((p) => p.productId === delisted)]) {
        const actual = await goods.getProduct(expected.productId);
        if (!actual) throw new Error(`missing ${expected.productId}`);
        expectSameProduct(actual, expected, 'en');
      }
      const gone = await goods.getProduct(delisted);
      expect(gone?.status).toBe('delisted');
      expect(gone?.skus.every((s) => s.status === 'inactive')).toBe(true);
    } finally {
      market.setListed('taobao', delisted, true);
    }
  });

  it('keeps ids beyond 2^53 exact from the JSON numbers the platform sends', async () => {
    const id = productIdAt(8);
    const base = await market.taobao.getProduct(id);
    if (!base) throw new Error('missing');
    const big: ProviderProduct = {
      ...base,
      productId: '9007199254740993123',
      mpId: '2048057995392326001',
      skus: base.skus.map((s, i) => ({ ...s, skuId: `900719925474099${i}77`, mpSkuId: `1234567890123456789${i}` })),
    };
    const bigMarket = {
      ...market.taobao,
      getProduct: async (productId: string) => (productId === big.productId ? big : null),
    } as unknown as typeof market.taobao;
    const other = buildIopFake({
      appKey: APP_KEY,
      appSecret: APP_SECRET,
      now: () => Date.now(),
      accounts: [{ account: 'Ponte', userId: '2200000000001' }],
      handlers: goodsHandlers({ market: bigMarket }),
    });
    try {
      const otherClient = new IopClient({
        baseUrl: await other.listen(),
        appKey: APP_KEY,
        appSecret: APP_SECRET,
        now: () => Date.now(),
        log: quiet,
      });
      const token = (await otherClient.createToken(other.issueCode('Ponte'))).accessToken;
      const goods = new TaobaoGlobalGoods(otherClient, async () => token, { language: 'en', now: () => Date.now() });
      const actual = await goods.getProduct(big.productId);
      expect(actual?.productId).toBe(big.productId);
      expect(actual?.mpId).toBe(big.mpId);
      expect(actual?.skus.map((s) => [s.skuId, s.mpSkuId])).toEqual(big.skus.map((s) => [s.skuId, s.mpSkuId]));
    } finally {
      await other.close();
    }
  });

  it('keeps ids exact on the wire and answers null for unknown ids', async () => {
    const goods = goodsIn('en');
    const id = productIdAt(3);
    const from = fake.calls.length;
    const product = await goods.getProduct(id);
    expect(product?.skus.every((s) => /^\d+$/.test(s.skuId))).toBe(true);
    expect(
      fake.calls
        .slice(from)
        .map((c) => c.api)
        .sort(),
    ).toEqual(['/product/get', '/traffic/item/get']);
    expect(fake.calls.slice(from).find((c) => c.api === '/traffic/item/get')?.params.language).toBe('en');
    expect(await goods.getProduct('123')).toBeNull();
    expect(await goods.getProduct('not-an-id')).toBeNull();
    const both = await goods.getProducts([productIdAt(1), '123', productIdAt(2), productIdAt(5)]);
    expect(both.map((p) => p.productId)).toEqual([productIdAt(1), productIdAt(2), productIdAt(5)]);
  });

  it('searches in the language asked, sorted and paged as the sandbox does', async () => {
    const goods = goodsIn('en');
    for (const sort of ['price_asc', 'price_desc', 'sales_desc', 'relevance'] as const) {
      const [actual, expected] = await Promise.all([
        goods.search({ keyword: '', sort, language: 'vi', page: 2, pageSize: 10 }),
        market.taobao.search({ keyword: '', sort, page: 2, pageSize: 10 }),
      ]);
      expect(actual.total).toBe(expected.total);
      expect(actual.items).toHaveLength(10);
      actual.items.forEach((item, i) => {
        const e = expected.items[i];
        if (!e) throw new Error('missing');
        expectSameSummary(item, e, 'vi');
      });
    }
    // Without a language (or in Chinese) the translation comes in the configured one.
    const zh = await goods.search({ keyword: '', language: 'zh', sort: 'price_asc', page: 1, pageSize: 5 });
    const expected = await market.taobao.search({ keyword: '', sort: 'price_asc', page: 1, pageSize: 5 });
    for (const [i, item] of zh.items.entries()) expectSameSummary(item, expected.items[i] as ProductSummary, 'en');
  });

  it('reads a page larger than the upstream allows from several upstream pages', async () => {
    const goods = goodsIn('en');
    for (const page of [1, 2, 3]) {
      const from = fake.calls.length;
      const [actual, expected] = await Promise.all([
        goods.search({ keyword: '', sort: 'price_asc', page, pageSize: 50 }),
        market.taobao.search({ keyword: '', sort: 'price_asc', page, pageSize: 50 }),
      ]);
      expect(actual.total).toBe(GOODS);
      expect(actual.page).toBe(page);
      expect(actual.items.map((i) => i.productId)).toEqual(expected.items.map((i) => i.productId));
      expect(fake.calls.slice(from).every((c) => Number(c.params.page_size) <= 20)).toBe(true);
    }
    const seen = new Set<string>();
    for (let page = 1; page <= 5; page++) {
      const p = await goods.search({ keyword: '', sort: 'price_asc', page, pageSize: 30 });
      for (const item of p.items) seen.add(item.productId);
    }
    expect(seen.size).toBe(GOODS);
  });

  it('filters by shop, price and keyword', async () => {
    const goods = goodsIn('en');
    const product = await market.taobao.getProduct(productIdAt(9));
    if (!product) throw new Error('missing');
    const byTitle = await goods.search({ keyword: product.title.en, language: 'en', page: 1, pageSize: 20 });
    expect(byTitle.items.map((i) => i.productId)).toContain(product.productId);
    const byShop = await goods.search({ keyword: '', shopId: product.shop.shopId, page: 1, pageSize: 20 });
    expect(byShop.items.length).toBeGreaterThan(0);
    expect(byShop.items.every((i) => i.shopId === product.shop.shopId)).toBe(true);
    const query = { keyword: '', priceMinFen: 5000, priceMaxFen: 20000, page: 1, pageSize: 20 };
    const [cheap, expected] = await Promise.all([goods.search(query), market.taobao.search(query)]);
    expect(cheap.total).toBe(expected.total);
    expect(cheap.items.map((i) => i.priceFen)).toEqual(expected.items.map((i) => i.priceFen));
    expect(fake.calls.at(-1)?.params.filters).toBe('min_price:5000,max_price:20000');
    await expect(goods.search({ keyword: '', categoryId: '106002', page: 1, pageSize: 5 })).rejects.toBeInstanceOf(
      UpstreamUnsupportedError,
    );
  });

  it('searches by picture bytes (uploaded first) and by picture URL', async () => {
    const goods = goodsIn('en');
    const id = productIdAt(4);
    const bytes = await market.image('taobao', id, { view: 0, colour: null, format: 'jpeg' });
    if (!bytes) throw new Error('no picture');
    const from = fake.calls.length;
    const byBytes = await goods.imageSearch({ image: { bytes }, page: 1, pageSize: 5 });
    expect(fake.calls.slice(from).map((c) => c.api)).toEqual(['/upload/image', '/traffic/item/imgsearch']);
    expect(byBytes.items[0]?.productId).toBe(id);
    const similarities = byBytes.items.map((i) => i.similarity);
    expect([...similarities].sort((a, b) => b - a)).toEqual(similarities);
    const byUrl = await goods.imageSearch({
      image: { url: `http://market.test/sandbox/images/taobao/${id}/0.jpg` },
      page: 1,
      pageSize: 5,
    });
    expect(byUrl.items[0]?.productId).toBe(id);
    const expected = await market.taobao.imageSearch({ image: { bytes }, page: 1, pageSize: 5 });
    for (const [i, item] of byBytes.items.entries()) expectSameSummary(item, expected.items[i] as ProductSummary, 'en');
  });

  it('gets chat links for an item, null for an unknown one', async () => {
    const goods = goodsIn('en');
    const link = await goods.chatUrl({ sourceType: 'item', bizId: productIdAt(2), buyerId: 'dev1' });
    expect(link?.url).toMatch(/loginToken=/);
    expect(link?.expiresAt).toBeGreaterThan(Date.now());
    const params = fake.calls.at(-1)?.params;
    expect(params?.pageName).toBe('imDialog');
    expect(JSON.parse(params?.pageParamMap ?? '{}')).toEqual({ sourceType: 'item', bizId: productIdAt(2) });
    expect(await goods.chatUrl({ sourceType: 'item', bizId: '1', buyerId: 'dev1' })).toBeNull();
    await expect(goods.chatUrl({ sourceType: 'item', bizId: productIdAt(2), buyerId: 'nobody' })).rejects.toThrow(
      /no distributor account/,
    );
  });

  it('answers each operation through its API or refuses it as unsupported, as the table says', async () => {
    const goods = goodsIn('en');
    const id = productIdAt(6);
    const bytes = await market.image('taobao', id, { view: 0, colour: null, format: 'jpeg' });
    if (!bytes) throw new Error('no picture');
    const calls: Record<TaobaoGoodsOperation, () => Promise<unknown>> = {
      getProduct: () => goods.getProduct(id),
      getProducts: () => goods.getProducts([id]),
      search: () => goods.search({ keyword: '', page: 1, pageSize: 5 }),
      imageSearch: () => goods.imageSearch({ image: { bytes }, page: 1, pageSize: 5 }),
      getCategory: () => goods.getCategory(),
      topCategories: () => goods.topCategories(),
      recommend: () => goods.recommend(),
      related: () => goods.related(),
      marketingList: () => goods.marketingList(),
      searchShops: () => goods.searchShops(),
      getShop: () => goods.getShop(),
      getProductByMpId: () => goods.getProductByMpId(),
      chatUrl: () => goods.chatUrl({ sourceType: 'item', bizId: id, buyerId: 'dev1' }),
    };
    expect(Object.keys(GOODS_CAPABILITIES).sort()).toEqual(Object.keys(calls).sort());
    for (const [operation, capability] of Object.entries(GOODS_CAPABILITIES)) {
      const call = calls[operation as TaobaoGoodsOperation];
      const from = fake.calls.length;
      if ('unsupported' in capability) {
        const err = await call().catch((e: unknown) => e);
        expect(err, operation).toBeInstanceOf(UpstreamUnsupportedError);
        expect(err).toMatchObject({ operation, upstream: 'taobao-global' });
        expect(fake.calls.length).toBe(from);
      } else {
        await expect(call(), operation).resolves.toBeTruthy();
        const apis = capability.api.match(/\/[\w/.-]+/g) ?? [];
        expect(apis.length, operation).toBeGreaterThan(0);
        expect([...new Set(fake.calls.slice(from).map((c) => c.api))].sort(), operation).toEqual([...apis].sort());
      }
    }
  });
});
