import type { AlibabaProvider } from '../alibaba.js';
import { MarketRejection, UpstreamError, UpstreamUnsupportedError } from '../errors.js';
import type { CallOptions } from '../market.js';
import type {
  ImageHit,
  ImageSearch,
  KeywordSearch,
  Language,
  Localized,
  MarketingList,
  ProductSummary,
  ProviderCategory,
  ProviderProduct,
  ProviderShop,
  ProviderSku,
  SearchFilters,
  SearchPage,
  SearchSort,
  ShopSearch,
} from '../types.js';
import type { AopGateway, AopParamValue } from './gateway.js';
import { count, fenToYuan, idText, kgToGrams, optionalId, yuanToFen } from './values.js';
import { type Json, list, obj, same, text, truthy } from './wire.js';

/**
 * The goods operations of the 1688 provider over the open platform's cross-border catalogue APIs
 * (ADR 0016): the multilingual search, detail, picture search, recommendation and category APIs, read
 * into the provider types. Prices arrive as yuan text and become fen, weights arrive in kilograms and
 * become grams, ids stay text, and every title or name carries the marketplace's Chinese original in
 * `zh` and the translation 1688 answered in the language asked.
 */

/** The languages 1688 translates into (its `country` parameter); Chinese is the original, never asked. */
export type TranslationLanguage = Exclude<Language, 'zh'>;

/** The goods operations, the ones every marketplace has and 1688's own. */
export type GoodsOperation =
  | 'getProduct'
  | 'getProducts'
  | 'search'
  | 'imageSearch'
  | 'getCategory'
  | 'topCategories'
  | 'recommend'
  | 'related'
  | 'marketingList'
  | 'searchShops'
  | 'getShop'
  | 'getSupplier'
  | 'wangwangUrl';

const NS = 'com.alibaba.fenxiao.crossborder';

/** The APIs the goods operations call, as `namespace:name`. */
export const AOP_GOODS_APIS = {
  detail: `${NS}:product.search.queryProductDetail`,
  keyword: `${NS}:product.search.keywordQuery`,
  imageUpload: `${NS}:product.image.upload`,
  image: `${NS}:product.search.imageQuery`,
  sellerOffers: `${NS}:product.search.querySellerOfferList`,
  recommend: `${NS}:product.search.offerRecommend`,
  related: `${NS}:product.related.recommend`,
  category: `${NS}:category.translation.getById`,
  wangwang: 'com.alibaba.account:account.wangwangUrl.get',
} as const;

/** Which API answers each goods operation, or why none does. */
export const GOODS_CAPABILITIES: Record<GoodsOperation, { api: string } | { unsupported: string }> = {
  getProduct: { api: AOP_GOODS_APIS.detail },
  getProducts: { api: AOP_GOODS_APIS.detail },
  search: { api: AOP_GOODS_APIS.keyword },
  imageSearch: { api: `${AOP_GOODS_APIS.imageUpload} + ${AOP_GOODS_APIS.image}` },
  getCategory: { api: AOP_GOODS_APIS.category },
  topCategories: { api: AOP_GOODS_APIS.category },
  recommend: { api: AOP_GOODS_APIS.recommend },
  related: { api: AOP_GOODS_APIS.related },
  marketingList: { api: AOP_GOODS_APIS.keyword },
  searchShops: { unsupported: 'the catalogue APIs search offers, not suppliers: there is no supplier search' },
  getShop: { api: `${AOP_GOODS_APIS.sellerOffers} + ${AOP_GOODS_APIS.detail}` },
  getSupplier: { api: `${AOP_GOODS_APIS.sellerOffers} + ${AOP_GOODS_APIS.detail}` },
  wangwangUrl: { api: AOP_GOODS_APIS.wangwang },
};

/**
 * The code this layer and the fake read as "no such offer, category or seller" in a catalogue answer
 * with `success: false`. The documentation gives no code for it; any other refusal is an error.
 */
export const AOP_NOT_FOUND_CODE = '404';

/**
 * The code read as "a value the marketplace refuses" (an unknown category to search in): answered as
 * `MarketRejection('invalid_value')`. Undocumented too, and read the same way by the fake.
 */
export const AOP_INVALID_PARAM_CODE = '400';

/** The filter words of the keyword and picture searches (`filter`, comma-separated). */
export const AOP_FILTERS = {
  /** Ships the same day: the documentation's own example word, read as Ponte's `shipIn24h`. */
  shipIn24h: 'shipInToday',
  /** Strict selection (严选), the `yx` offer identity. */
  strictSelection: 'yx',
} as const;

/** The `shippingTimeGuarantee` value that means shipping within 24 hours. */
export const SHIP_IN_24H = 'shipIn24Hours';

/** The `sort` object of the keyword search for each Ponte sort (relevance sends none). */
export const AOP_SORTS: Record<Exclude<SearchSort, 'relevance'>, Record<string, 'asc' | 'desc'>> = {
  price_asc: { price: 'asc' },
  price_desc: { price: 'desc' },
  sales_desc: { monthSold: 'desc' },
};

/** Largest pages the APIs take: picture search 50, related offers 10. */
const IMAGE_PAGE_MAX = 50;
const RELATED_PAGE_MAX = 10;

export interface AopGoodsOptions {
  /** The language translations are asked in when a query names none (or names Chinese). */
  language?: TranslationLanguage;
  /** Whether a picture URL is one 1688 serves (passed as `imageAddress`); by default its alicdn hosts. */
  ownsPictureUrl?: (url: string) => boolean;
  /** Fetches a picture given by another URL, for upload; without it such URLs are refused. */
  fetchImage?: (url: string, signal?: AbortSignal) => Promise<Buffer>;
  /** How long a category read stays cached (categories change rarely); 1 hour by default. */
  categoryTtlMs?: number;
  now?: () => number;
}

const UPSTREAM = 'aop';

/**
 * Reads a catalogue answer (`{result: {success, code, message, result}}`, with `retCode`/`retMsg` in
 * some APIs and `success` as text in others): the payload, `undefined` for the not-found code, and an
 * `UpstreamError` for any other refusal.
 */
function payloadOf(api: string, body: unknown): unknown {
  const outer = obj(body);
  const inner = obj(outer.result);
  if (!('success' in inner)) throw new UpstreamError(api, 'the answer has no result envelope');
  if (truthy(inner.success)) return inner.result;
  const code = text(inner.code ?? inner.retCode);
  if (code === AOP_NOT_FOUND_CODE) return undefined;
  if (code === AOP_INVALID_PARAM_CODE) throw new MarketRejection('invalid_value', text(inner.message ?? inner.retMsg));
  throw new UpstreamError(api, `${code || 'refused'}: ${text(inner.message ?? inner.retMsg)}`);
}

export class AopGoods implements Omit<AlibabaProvider, NonGoods> {
  readonly platform = '1688' as const;
  private readonly language: TranslationLanguage;
  private readonly ttl: number;
  private readonly now: () => number;
  private readonly categories = new Map<string, { at: number; value: Promise<ProviderCategory | null> }>();

  constructor(
    private readonly gateway: AopGateway,
    private readonly token: () => Promise<string>,
    private readonly options: AopGoodsOptions = {},
  ) {
    this.language = options.language ?? 'en';
    this.ttl = options.categoryTtlMs ?? 3_600_000;
    this.now = options.now ?? Date.now;
  }

  // -- products ------------------------------------------------------------------------------------

  async getProduct(productId: string, opts?: CallOptions): Promise<ProviderProduct | null> {
    if (!/^\d+$/.test(productId)) return null;
    const detail = await this.detail(productId, this.language, opts);
    return detail ? this.product(detail, this.language, opts) : null;
  }

  /** One detail call per id (the API takes one offer), in the order asked; unknown ids are left out. */
  async getProducts(productIds: string[], opts?: CallOptions): Promise<ProviderProduct[]> {
    const found: ProviderProduct[] = [];
    for (const id of productIds) {
      const product = await this.getProduct(id, opts);
      if (product) found.push(product);
    }
    return found;
  }

  async search(query: KeywordSearch, opts?: CallOptions): Promise<SearchPage<ProductSummary>> {
    const language = this.asked(query.language);
    if (query.shopId !== undefined) return this.shopOffers(query, language, opts);
    const param: Json = {
      keyword: query.keyword,
      beginPage: query.page,
      pageSize: query.pageSize,
      country: language,
      ...filterParams(query),
      ...(query.sort && query.sort !== 'relevance' ? { sort: JSON.stringify(AOP_SORTS[query.sort]) } : {}),
      // A keyword in Chinese is 1688's own language: nothing to translate.
      ...(query.language === 'zh' ? { keywordTranslate: true } : {}),
    };
    const payload = await this.call(AOP_GOODS_APIS.keyword, { offerQueryParam: param }, opts);
    return this.page(AOP_GOODS_APIS.keyword, payload, query, language);
  }

  async imageSearch(query: ImageSearch, opts?: CallOptions): Promise<SearchPage<ImageHit>> {
    if (query.shopId !== undefined) throw new UpstreamUnsupportedError('imageSearch by shop', UPSTREAM);
    if (query.pageSize > IMAGE_PAGE_MAX) {
      throw new MarketRejection('invalid_value', `1688 answers at most ${IMAGE_PAGE_MAX} pictures a page`, 'pageSize');
    }
    const language = this.language;
    const source = await this.imageSource(query, opts);
    const param: Json = {
      ...source,
      beginPage: query.page,
      pageSize: query.pageSize,
      country: language,
      ...filterParams(query),
    };
    const payload = await this.call(AOP_GOODS_APIS.image, { offerQueryParam: param }, opts);
    const page = this.page(AOP_GOODS_APIS.image, payload, query, language);
    // The API answers its hits best first without a score: the similarity is read from the rank, from 1
    // for the first hit of all pages down towards 0 for the last.
    const offset = (Math.max(1, query.page) - 1) * query.pageSize;
    const total = Math.max(page.total, offset + page.items.length, 1);
    return { ...page, items: page.items.map((item, i) => ({ ...item, similarity: 1 - (offset + i) / total })) };
  }

  /** Popular offers for the account. The API recommends by member, so seed products and a category are not sent. */
  async recommend(
    query: { productIds?: string[]; categoryId?: string; page: number; pageSize: number },
    opts?: CallOptions,
  ): Promise<SearchPage<ProductSummary>> {
    const language = this.language;
    const param = { beginPage: query.page, pageSize: query.pageSize, country: language };
    const payload = await this.call(AOP_GOODS_APIS.recommend, { recommendOfferParam: param }, opts);
    const items = list(payload).map((o) => this.summary(AOP_GOODS_APIS.recommend, obj(o), language));
    return { total: openEndedTotal(query, items.length), page: query.page, pageSize: query.pageSize, items };
  }

  /**
   * Offers related to one. The API pages by at most 10, so a larger page is read as the upstream pages
   * that cover it; the product itself is never answered.
   */
  async related(
    productId: string,
    paging: { page: number; pageSize: number },
    opts?: CallOptions,
  ): Promise<SearchPage<ProductSummary> | null> {
    if (!/^\d+$/.test(productId)) return null;
    const language = this.language;
    const offset = (Math.max(1, paging.page) - 1) * paging.pageSize;
    const collected: ProductSummary[] = [];
    let pageNo = Math.floor(offset / RELATED_PAGE_MAX) + 1;
    let skip = offset % RELATED_PAGE_MAX;
    while (collected.length < paging.pageSize) {
      const param = { offerId: BigInt(productId), pageNo, pageSize: RELATED_PAGE_MAX, language };
      const payload = await this.call(AOP_GOODS_APIS.related, { relatedQueryParams: param }, opts);
      if (payload === undefined) return null;
      const offers = list(payload);
      for (const o of offers.slice(skip)) {
        const item = this.summary(AOP_GOODS_APIS.related, obj(o), language);
        if (item.productId !== productId && collected.length < paging.pageSize) collected.push(item);
      }
      if (offers.length < RELATED_PAGE_MAX) break;
      pageNo += 1;
      skip = 0;
    }
    return {
      total: openEndedTotal(paging, collected.length),
      page: paging.page,
      pageSize: paging.pageSize,
      items: collected,
    };
  }

  /**
   * Marketing lists through the keyword search: strict selection is the `yx` filter, global selection
   * strict selection shipped the same day, hot sellers the search sorted by sales.
   */
  async marketingList(
    listName: MarketingList,
    query: SearchFilters & { keyword?: string; language?: Language; page: number; pageSize: number },
    opts?: CallOptions,
  ): Promise<SearchPage<ProductSummary>> {
    const filters: SearchFilters = { ...query };
    if (listName === 'strict_selection') filters.strictSelection = true;
    if (listName === 'global_selection') {
      filters.strictSelection = true;
      filters.shipIn24h = true;
    }
    return this.search(
      {
        ...filters,
        keyword: query.keyword ?? '',
        ...(query.language ? { language: query.language } : {}),
        ...(listName === 'hot_selling' ? { sort: 'sales_desc' as const } : {}),
        page: query.page,
        pageSize: query.pageSize,
      },
      opts,
    );
  }

  // -- categories ----------------------------------------------------------------------------------

  /** A category with its path and children; the root (`0`) when `categoryId` is omitted. */
  getCategory(categoryId?: string, opts?: CallOptions): Promise<ProviderCategory | null> {
    const id = categoryId ?? '0';
    if (!/^\d+$/.test(id)) return Promise.resolve(null);
    const key = `${id}:${this.language}`;
    const cached = this.categories.get(key);
    if (cached && this.now() - cached.at < this.ttl) return cached.value;
    const value = this.readCategory(id, opts);
    this.categories.set(key, { at: this.now(), value });
    // A failed read is not kept: the next call asks again.
    value.catch(() => this.categories.delete(key));
    return value;
  }

  async topCategories(opts?: CallOptions): Promise<ProviderCategory[]> {
    const root = await this.getCategory(undefined, opts);
    if (!root) return [];
    const tops = await Promise.all(root.children.map((c) => this.getCategory(c.categoryId, opts)));
    return tops.filter((c): c is ProviderCategory => c !== null);
  }

  // -- suppliers -----------------------------------------------------------------------------------

  /** On 1688 a shop is its supplier, named by `sellerOpenId`: the shop id this layer answers. */
  getShop(shopId: string, opts?: CallOptions): Promise<ProviderShop | null> {
    return this.getSupplier(shopId, opts);
  }

  /**
   * A supplier as its offers show it: no API describes a supplier by itself, so its first offer's
   * detail gives the company, address and scores, and its offer list the number of goods.
   */
  async getSupplier(sellerOpenId: string, opts?: CallOptions): Promise<ProviderShop | null> {
    if (sellerOpenId === '') return null;
    const language = this.language;
    const param = { sellerOpenId, beginPage: 1, pageSize: 1, country: language };
    const payload = await this.call(AOP_GOODS_APIS.sellerOffers, { offerQueryParam: param }, opts);
    if (payload === undefined) return null;
    const page = obj(payload);
    const first = obj(list(page.data)[0]);
    if (first.offerId === undefined) return null;
    const detail = await this.detail(idText(first.offerId, AOP_GOODS_APIS.sellerOffers, 'offerId'), language, opts);
    if (!detail) return null;
    return { ...shopOf(detail), goodsCount: count(page.totalRecords) };
  }

  searchShops(_query: ShopSearch, _opts?: CallOptions): Promise<SearchPage<ProviderShop>> {
    return Promise.reject(new UpstreamUnsupportedError('searchShops', UPSTREAM));
  }

  async wangwangUrl(sellerOpenId: string, opts?: CallOptions): Promise<string | null> {
    if (sellerOpenId === '') return null;
    const payload = await this.call(AOP_GOODS_APIS.wangwang, { toOpenUid: sellerOpenId }, opts);
    return typeof payload === 'string' && payload !== '' ? payload : null;
  }

  // -- helpers -------------------------------------------------------------------------------------

  /** Calls an API with the account's token and reads its catalogue envelope. */
  private async call(api: string, params: Record<string, AopParamValue>, opts?: CallOptions): Promise<unknown> {
    const accessToken = await this.token();
    const body = await this.gateway.call(api, params, { accessToken, signal: opts?.signal });
    return payloadOf(api, body);
  }

  /** The language to ask translations in: the query's, unless it is Chinese or absent. */
  private asked(language: Language | undefined): TranslationLanguage {
    return language && language !== 'zh' ? language : this.language;
  }

  private async detail(offerId: string, language: TranslationLanguage, opts?: CallOptions): Promise<Json | null> {
    const param = { offerId: BigInt(offerId), country: language };
    const payload = await this.call(AOP_GOODS_APIS.detail, { offerDetailParam: param }, opts);
    return payload === undefined || payload === null ? null : obj(payload);
  }

  private async product(d: Json, language: TranslationLanguage, opts?: CallOptions): Promise<ProviderProduct> {
    const api = AOP_GOODS_APIS.detail;
    const productId = idText(d.offerId, api, 'offerId');
    const categoryId = idText(d.categoryId, api, 'categoryId');
    const category = await this.getCategory(categoryId, opts);
    const images = list(obj(d.productImage).images).map(text).filter(Boolean);
    const mainImageUrl = images[0] ?? text(obj(d.productImage).whiteImage);
    const status = d.status === 'published' ? 'active' : 'delisted';
    const shipping = obj(d.productShippingInfo);
    const sizes = new Map<string, Json>();
    for (const s of list(shipping.skuShippingDetails)) sizes.set(text(obj(s).skuId), obj(s));
    const skus = list(d.productSkuInfos).map((s) =>
      skuOf(obj(s), { api, language, status, mainImageUrl, shipping, sizes }),
    );
    const sale = obj(d.productSaleInfo);
    const tierPrices = list(sale.priceRangeList).map((r) => ({
      minQuantity: count(obj(r).startQuantity),
      priceFen: yuanToFen(obj(r).price, 'priceRangeList.price'),
    }));
    const prices = skus.map((s) => s.priceFen);
    const promotions = skus.map((s) => s.promotionPriceFen);
    // Without SKUs the offer is priced by quantity: its lowest tier is its price.
    const fallback = tierPrices.length ? Math.min(...tierPrices.map((t) => t.priceFen)) : 0;
    return {
      platform: '1688',
      productId,
      title: localized(text(d.subject), text(d.subjectTrans), language),
      description: localized(text(d.description), text(d.descriptionTrans), language),
      categoryId,
      categoryPath: category?.path ?? [],
      shop: shopOf(d),
      mainImageUrl,
      imageUrls: images,
      priceFen: prices.length ? Math.min(...prices) : fallback,
      promotionPriceFen: promotions.length ? Math.min(...promotions) : fallback,
      maxPriceFen: prices.length ? Math.max(...prices) : fallback,
      tierPrices,
      minOrderQuantity: count(d.minOrderQuantity) || 1,
      sales: count(d.soldOut),
      totalStock: sale.amountOnSale !== undefined ? count(sale.amountOnSale) : skus.reduce((n, s) => n + s.stock, 0),
      shipIn24h: shipping.shippingTimeGuarantee === SHIP_IN_24H,
      strictSelection: list(d.offerIdentities).includes(AOP_FILTERS.strictSelection),
      status,
      mpId: null,
      notDistributableReason: null,
      attributes: list(d.productAttribute).map((a) => {
        const attr = obj(a);
        return {
          name: localized(text(attr.attributeName), text(attr.attributeNameTrans), language),
          value: localized(text(attr.value), text(attr.valueTrans), language),
        };
      }),
      skus,
      // The detail carries no revision number.
      version: 0,
    };
  }

  /** A search hit of any of the offer lists (keyword, picture, seller, recommendations). */
  private summary(api: string, o: Json, language: TranslationLanguage): ProductSummary {
    const price = obj(o.priceInfo);
    const priceFen = yuanToFen(price.price, 'priceInfo.price');
    const promotion = text(price.promotionPrice);
    const sellerOpenId = text(o.sellerOpenId) || null;
    return {
      platform: '1688',
      productId: idText(o.offerId, api, 'offerId'),
      title: localized(text(o.subject), text(o.subjectTrans), language),
      mainImageUrl: text(o.imageUrl),
      priceFen,
      promotionPriceFen: promotion ? yuanToFen(promotion, 'priceInfo.promotionPrice') : priceFen,
      // The lists carry one price; quantity tiers come with the detail.
      tierPrices: [],
      minOrderQuantity: count(o.minOrderQuantity) || 1,
      sales: count(o.monthSold),
      // The lists do not name the supplier (the detail does).
      shopId: sellerOpenId ?? '',
      shopName: localized(text(o.companyName), '', language),
      sellerOpenId,
      categoryId:
        optionalId(o.thirdCategoryId, api, 'thirdCategoryId') ??
        optionalId(o.secondCategoryId, api, 'secondCategoryId') ??
        optionalId(o.topCategoryId, api, 'topCategoryId') ??
        '',
      shipIn24h: obj(o.productSimpleShippingInfo).shippingTimeGuarantee === SHIP_IN_24H,
      strictSelection: list(o.offerIdentities).includes(AOP_FILTERS.strictSelection),
      mpId: null,
    };
  }

  private page(
    api: string,
    payload: unknown,
    query: { page: number; pageSize: number },
    language: TranslationLanguage,
  ): SearchPage<ProductSummary> {
    const page = obj(payload);
    const items = list(page.data).map((o) => this.summary(api, obj(o), language));
    return {
      total: count(page.totalRecords),
      page: count(page.currentPage) || query.page,
      pageSize: query.pageSize,
      items,
    };
  }

  /** A supplier's offers: the seller offer list, which takes no keyword and no other filter. */
  private async shopOffers(
    query: KeywordSearch,
    language: TranslationLanguage,
    opts?: CallOptions,
  ): Promise<SearchPage<ProductSummary>> {
    const { shopId, keyword, categoryId, priceMinFen, priceMaxFen, shipIn24h, strictSelection, sort } = query;
    if (
      keyword !== '' ||
      categoryId !== undefined ||
      priceMinFen !== undefined ||
      priceMaxFen !== undefined ||
      shipIn24h ||
      strictSelection ||
      (sort !== undefined && sort !== 'relevance')
    ) {
      throw new UpstreamUnsupportedError('search in a shop with a keyword, filter or sort', UPSTREAM);
    }
    const param = { sellerOpenId: shopId, beginPage: query.page, pageSize: query.pageSize, country: language };
    const payload = await this.call(AOP_GOODS_APIS.sellerOffers, { offerQueryParam: param }, opts);
    if (payload === undefined) return { total: 0, page: query.page, pageSize: query.pageSize, items: [] };
    return this.page(AOP_GOODS_APIS.sellerOffers, payload, query, language);
  }

  /** The picture as the search takes it: a 1688 picture by address, anything else uploaded first. */
  private async imageSource(query: ImageSearch, opts?: CallOptions): Promise<Json> {
    let bytes: Buffer;
    if ('url' in query.image) {
      const url = query.image.url;
      const owned = this.options.ownsPictureUrl ?? isAlicdn;
      if (owned(url)) return { imageAddress: url };
      if (!this.options.fetchImage) {
        throw new MarketRejection('invalid_value', 'only 1688 picture addresses can be searched', 'imageAddress');
      }
      bytes = await this.options.fetchImage(url, opts?.signal);
    } else {
      bytes = query.image.bytes;
    }
    const uploaded = await this.call(
      AOP_GOODS_APIS.imageUpload,
      { uploadImageParam: { imageBase64: bytes.toString('base64') } },
      opts,
    );
    const imageId = text(uploaded);
    if (!imageId) throw new UpstreamError(AOP_GOODS_APIS.imageUpload, 'the upload answered no image id');
    return { imageId };
  }

  private async readCategory(id: string, opts?: CallOptions): Promise<ProviderCategory | null> {
    const api = AOP_GOODS_APIS.category;
    const language = this.language;
    const payload = await this.call(api, { categoryId: id, language }, opts);
    if (payload === undefined || payload === null) return null;
    const node = obj(payload);
    const categoryId = idText(node.categoryId, api, 'categoryId');
    const name = localized(text(node.chineseName), text(node.translatedName), language);
    const parentId = optionalId(node.parentCateId, api, 'parentCateId');
    const parent = parentId ? await this.getCategory(parentId, opts) : null;
    const self = { categoryId, name };
    return {
      categoryId,
      parentId,
      name,
      // The root (0) is above every path; a top category's path is itself.
      path: categoryId === '0' ? [] : [...(parent?.path ?? []), self],
      children: list(node.children).map((c) => {
        const child = obj(c);
        return {
          categoryId: idText(child.categoryId, api, 'children.categoryId'),
          name: localized(text(child.chineseName), text(child.translatedName), language),
          leaf: truthy(child.leaf),
        };
      }),
      leaf: truthy(node.leaf),
    };
  }
}

/** The operations of the provider interface that are not goods (orders, refunds, events). */
type NonGoods = Exclude<keyof AlibabaProvider, GoodsOperation | 'platform'>;

/**
 * A text in every language from 1688's Chinese original and the one translation it answered: `zh` is the
 * original, the language asked is the translation, and the other languages fall back to that same
 * translation (1688 answers one language per call). Without a translation every language is the original.
 */
export function localized(original: string, translation: string, language: TranslationLanguage): Localized {
  const other = translation || original;
  return { zh: original, en: other, vi: other, th: other, es: other, [language]: other };
}

/** The `filter`, price range and category of the keyword and picture searches. */
function filterParams(q: SearchFilters): Json {
  const words = [
    ...(q.shipIn24h ? [AOP_FILTERS.shipIn24h] : []),
    ...(q.strictSelection ? [AOP_FILTERS.strictSelection] : []),
  ];
  return {
    ...(words.length ? { filter: words.join(',') } : {}),
    ...(q.priceMinFen !== undefined ? { priceStart: fenToYuan(q.priceMinFen) } : {}),
    ...(q.priceMaxFen !== undefined ? { priceEnd: fenToYuan(q.priceMaxFen) } : {}),
    ...(q.categoryId !== undefined ? { categoryId: BigInt(numericOr(q.categoryId)) } : {}),
  };
}

/** A category id as the gateway's Long; a malformed one is refused as the value it is. */
function numericOr(categoryId: string): string {
  if (!/^\d+$/.test(categoryId)) {
    throw new MarketRejection('invalid_value', `unknown category ${categoryId}`, 'categoryId');
  }
  return categoryId;
}

/**
 * Answers that are plain arrays (recommendations, related offers) give no total: the total answered is
 * what has been seen through this page, plus one when the page came back full, so a caller pages on
 * until a page comes back short.
 */
function openEndedTotal(paging: { page: number; pageSize: number }, received: number): number {
  const offset = (Math.max(1, paging.page) - 1) * paging.pageSize;
  return offset + received + (received >= paging.pageSize ? 1 : 0);
}

/** 1688's picture hosts: picture search passes such URLs to 1688 instead of fetching them. */
export function isAlicdn(url: string): boolean {
  try {
    const host = new URL(url).hostname;
    return host === 'alicdn.com' || host.endsWith('.alicdn.com');
  } catch {
    return false;
  }
}

/**
 * The supplier as an offer's detail shows it: named by `sellerOpenId` (the shop id too), its company
 * name (1688 gives no separate shop name, nor a translation), the province and city it ships from
 * (`sendGoodsAddressText`, "province city"), and its overall service score as the rating.
 */
function shopOf(d: Json): ProviderShop {
  const sellerOpenId = text(d.sellerOpenId);
  const company = text(d.companyName);
  const [province, city] = text(obj(d.productShippingInfo).sendGoodsAddressText).trim().split(/\s+/);
  const score = Number.parseFloat(text(obj(d.sellerDataInfo).compositeServiceScore));
  return {
    platform: '1688',
    shopId: sellerOpenId,
    shopName: same(company),
    userNick: '',
    sellerOpenId: sellerOpenId || null,
    companyName: company ? same(company) : null,
    province: province ? same(province) : null,
    city: city ? same(city) : null,
    rating: Number.isFinite(score) ? Math.round(score * 10) / 10 : 0,
    goodsCount: 0,
  };
}

interface SkuContext {
  api: string;
  language: TranslationLanguage;
  status: 'active' | 'delisted';
  mainImageUrl: string;
  shipping: Json;
  sizes: Map<string, Json>;
}

/**
 * A SKU, named by its `specId`: its prices, stock, properties and its own weight and size (`skuShippingDetails`, kilograms and
 * centimetres), else the offer's. A property value has no id on the wire: its id is the attribute id
 * and the Chinese value, which is stable for the offer.
 */
function skuOf(s: Json, ctx: SkuContext): ProviderSku {
  // The SKU id Ponte carries is 1688's `specId`, what orders name in `cargoParamList`; the numeric `skuId` only
  // keys the SKU's own weight and size.
  const number = optionalId(s.skuId, ctx.api, 'skuId');
  const skuId = text(s.specId) || idText(s.skuId, ctx.api, 'skuId');
  const size = (number ? ctx.sizes.get(number) : undefined) ?? ctx.shipping;
  const priceFen = yuanToFen(s.price, 'sku.price');
  const promotion = text(s.promotionPrice);
  const stock = count(s.amountOnSale);
  const attributes = list(s.skuAttributes).map(obj);
  return {
    skuId,
    properties: attributes.map((a) => {
      const propId = idText(a.attributeId, ctx.api, 'skuAttributes.attributeId');
      return {
        propId,
        propName: localized(text(a.attributeName), text(a.attributeNameTrans), ctx.language),
        valueId: `${propId}:${text(a.value)}`,
        valueName: localized(text(a.value), text(a.valueTrans), ctx.language),
      };
    }),
    priceFen,
    promotionPriceFen: promotion ? yuanToFen(promotion, 'sku.promotionPrice') : priceFen,
    stock,
    weightG: size.weight === undefined ? 0 : kgToGrams(size.weight, 'weight'),
    lengthCm: Number(size.length ?? 0),
    widthCm: Number(size.width ?? 0),
    heightCm: Number(size.height ?? 0),
    imageUrl: attributes.map((a) => text(a.skuImageUrl)).find(Boolean) ?? ctx.mainImageUrl,
    mpSkuId: null,
    status: ctx.status === 'active' && stock > 0 ? 'active' : 'inactive',
  };
}
