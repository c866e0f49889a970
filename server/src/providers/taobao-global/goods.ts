import { UpstreamError, UpstreamUnsupportedError } from '../errors.js';
import type { CallOptions } from '../market.js';
import type { TaobaoProvider } from '../taobao.js';
import type {
  ChatLink,
  ChatLinkRequest,
  ImageHit,
  ImageSearch,
  KeywordSearch,
  Language,
  Localized,
  ProductSummary,
  ProviderProduct,
  ProviderShop,
  ProviderSku,
  ProviderSkuProperty,
  SearchFilters,
  SearchPage,
  SearchSort,
} from '../types.js';
import { kgToGrams, yuanToFen } from '../units.js';
import { businessError, type IopClient, type IopParam } from './gateway.js';
import { count, type Json, list, record, text } from './wire.js';

/**
 * The goods side of the Taobao provider over Taobao Global's distributor APIs (see
 * docs/adr/0016-real-upstreams.md): products from `/product/get` (Chinese originals, distribution ids,
 * SKUs, money in fen) with their translation from `/traffic/item/get`, keyword and picture search on the
 * `/traffic/item/*` APIs (money as yuan strings), chat links from `/page/link/get`. What the platform has
 * no API for throws `UpstreamUnsupportedError`, as the capability table below says.
 */

export const UPSTREAM = 'taobao-global';

export type TaobaoGoodsOperation =
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
  | 'getProductByMpId'
  | 'chatUrl';

export type GoodsCapability = { api: string } | { unsupported: string };

/** Which API answers each goods operation, or why none does. */
export const GOODS_CAPABILITIES: Record<TaobaoGoodsOperation, GoodsCapability> = {
  getProduct: { api: '/product/get + /traffic/item/get' },
  getProducts: { api: '/product/get + /traffic/item/get, once per id' },
  search: { api: '/traffic/item/search' },
  imageSearch: { api: '/upload/image + /traffic/item/imgsearch' },
  getCategory: { unsupported: 'the distributor platform documents no category API' },
  topCategories: { unsupported: 'the distributor platform documents no category API' },
  recommend: { unsupported: 'the distributor platform documents no recommendation API' },
  related: { unsupported: 'the distributor platform documents no related-goods API' },
  marketingList: { unsupported: 'the distributor platform documents no marketing lists' },
  searchShops: { unsupported: 'the distributor platform documents no shop search' },
  getShop: { unsupported: 'the distributor platform documents no shop lookup; products carry their shop' },
  getProductByMpId: { unsupported: 'no documented API resolves a distribution id (mp_id) to its item' },
  chatUrl: { api: '/page/link/get' },
};

/** The distributor account a chat link logs in as: `/page/link/get` takes its login name and password. */
export interface ChatAccount {
  /** `Main:sub` for a sub-account. */
  loginName: string;
  password: string;
}

export interface TaobaoGlobalGoodsOptions {
  /**
   * The language translations are asked in when a query names none, or names Chinese (the original,
   * which every answer carries anyway).
   */
  language: Exclude<Language, 'zh'>;
  /** Epoch milliseconds, for chat link expiries. */
  now: () => number;
  /** The account a buyer's chat links log in as; null when the buyer has none (chat links then fail). */
  chatAccount?: (buyerId: string) => Promise<ChatAccount | null>;
  /** How long a chat link logs in by itself; the platform does not say, so 30 minutes unless given. */
  chatLinkTtlMs?: number;
  /** How many products `getProducts` looks up at once; 4 unless given. */
  concurrency?: number;
}

/** The most items `/traffic/item/search` answers per page. */
export const SEARCH_PAGE_MAX = 20;
/** The largest picture `/upload/image` takes. */
const UPLOAD_MAX_BYTES = 3 * 1024 * 1024;
/** Business error codes meaning the item (or order) does not exist. */
const NOT_FOUND = /NOT_?FOUND|NOT_?EXIST/i;

const SORTS: Record<SearchSort, string | undefined> = {
  relevance: undefined,
  price_asc: 'PRICE_ASC',
  price_desc: 'PRICE_DESC',
  sales_desc: 'SALE_QTY_DESC',
};

export class TaobaoGlobalGoods implements Pick<TaobaoProvider, TaobaoGoodsOperation> {
  constructor(
    private readonly client: IopClient,
    /** The access token to send: the provider's token store keeps it fresh. */
    private readonly token: () => Promise<string>,
    private readonly options: TaobaoGlobalGoodsOptions,
  ) {}

  async getProduct(productId: string, opts?: CallOptions): Promise<ProviderProduct | null> {
    if (!/^\d+$/.test(productId)) return null;
    const language = this.options.language;
    // Both answers are needed; the translation is asked at the same time and dropped when the item is unknown.
    const [product, translation] = await Promise.all([
      this.call('/product/get', { item_id: productId }, opts),
      this.call('/traffic/item/get', { item_resource: 'taobao', item_id: productId, language }, opts),
    ]);
    const data = this.checked('getProduct', product, true);
    if (!data) return null;
    const translated = this.checked('getProduct', translation, true);
    return toProduct(data, record(translated?.multi_language_info));
  }

  async getProducts(productIds: string[], opts?: CallOptions): Promise<ProviderProduct[]> {
    const found: (ProviderProduct | null)[] = new Array(productIds.length).fill(null);
    let next = 0;
    const worker = async () => {
      while (next < productIds.length) {
        const at = next++;
        found[at] = await this.getProduct(productIds[at] as string, opts);
      }
    };
    const workers = Math.max(1, Math.min(this.options.concurrency ?? 4, productIds.length));
    await Promise.all(Array.from({ length: workers }, worker));
    return found.filter((p): p is ProviderProduct => p !== null);
  }

  async search(query: KeywordSearch, opts?: CallOptions): Promise<SearchPage<ProductSummary>> {
    unsupportedFilters('search', query, ['categoryId', 'shipIn24h', 'strictSelection']);
    const language = this.translationLanguage(query.language);
    const filters: string[] = [];
    if (query.priceMinFen !== undefined) filters.push(`min_price:${query.priceMinFen}`);
    if (query.priceMaxFen !== undefined) filters.push(`max_price:${query.priceMaxFen}`);
    const params: Record<string, IopParam> = {
      keyword: query.keyword,
      sort: SORTS[query.sort ?? 'relevance'],
      filters: filters.length > 0 ? filters.join(',') : undefined,
      shop_id: query.shopId,
      language,
    };
    return this.paged('search', '/traffic/item/search', params, query, opts, (item) => toSummary(item));
  }

  async imageSearch(query: ImageSearch, opts?: CallOptions): Promise<SearchPage<ImageHit>> {
    unsupportedFilters('imageSearch', query, [
      'categoryId',
      'shopId',
      'priceMinFen',
      'priceMaxFen',
      'shipIn24h',
      'strictSelection',
    ]);
    const params: Record<string, IopParam> = { language: this.translationLanguage(undefined) };
    if ('url' in query.image) params.pic_url = query.image.url;
    else {
      if (query.image.bytes.length > UPLOAD_MAX_BYTES) {
        throw new UpstreamError('imageSearch', `the picture is larger than ${UPLOAD_MAX_BYTES} bytes`);
      }
      const answer = await this.call('/upload/image', { image_base64: query.image.bytes.toString('base64') }, opts);
      const imageId = text(this.checked('imageSearch', answer, false)?.image_id);
      if (!imageId) throw new UpstreamError('imageSearch', '/upload/image answered no image_id');
      params.image_id = imageId;
    }
    const page = await this.paged('imageSearch', '/traffic/item/imgsearch', params, query, opts, (item) =>
      toSummary(item),
    );
    // The answer carries no score, only the order of the hits (closest first): the similarity falls with
    // the rank over the whole result list, so it orders hits across pages as the upstream did.
    const first = (query.page - 1) * query.pageSize;
    const span = Math.max(page.total, first + page.items.length, 1);
    return {
      ...page,
      items: page.items.map((item, i) => ({ ...item, similarity: round2(1 - (first + i) / span) })),
    };
  }

  async getCategory(): Promise<never> {
    throw new UpstreamUnsupportedError('getCategory', UPSTREAM);
  }

  async topCategories(): Promise<never> {
    throw new UpstreamUnsupportedError('topCategories', UPSTREAM);
  }

  async recommend(): Promise<never> {
    throw new UpstreamUnsupportedError('recommend', UPSTREAM);
  }

  async related(): Promise<never> {
    throw new UpstreamUnsupportedError('related', UPSTREAM);
  }

  async marketingList(): Promise<never> {
    throw new UpstreamUnsupportedError('marketingList', UPSTREAM);
  }

  async searchShops(): Promise<never> {
    throw new UpstreamUnsupportedError('searchShops', UPSTREAM);
  }

  async getShop(): Promise<never> {
    throw new UpstreamUnsupportedError('getShop', UPSTREAM);
  }

  async getProductByMpId(): Promise<never> {
    throw new UpstreamUnsupportedError('getProductByMpId', UPSTREAM);
  }

  async chatUrl(request: ChatLinkRequest, opts?: CallOptions): Promise<ChatLink | null> {
    const account = this.options.chatAccount ? await this.options.chatAccount(request.buyerId) : null;
    if (!account) throw new UpstreamError('chatUrl', 'the buyer has no distributor account to chat as');
    const requestedAt = this.options.now();
    const body = await this.call(
      '/page/link/get',
      {
        loginName: account.loginName,
        password: account.password,
        pageName: 'imDialog',
        pageParamMap: { sourceType: request.sourceType, bizId: request.bizId },
      },
      opts,
    );
    // This API answers in camelCase (`errorMsg`), unlike its siblings.
    if (body.success === false || body.success === 'false') {
      const code = text(body.errorCode) ?? text(body.error_code) ?? '';
      const message = text(body.errorMsg) ?? text(body.error_msg) ?? code;
      if (NOT_FOUND.test(code)) return null;
      throw new UpstreamError('chatUrl', `${code || 'UNKNOWN'}: ${message}`);
    }
    const url = text(body.data);
    if (!url) throw new UpstreamError('chatUrl', '/page/link/get answered no URL');
    return { url, expiresAt: requestedAt + (this.options.chatLinkTtlMs ?? 30 * 60_000) };
  }

  /** The language to ask translations in: the query's unless it is Chinese or missing. */
  private translationLanguage(language: Language | undefined): Exclude<Language, 'zh'> {
    return language && language !== 'zh' ? language : this.options.language;
  }

  private async call(api: string, params: Record<string, IopParam>, opts?: CallOptions): Promise<Json> {
    opts?.signal?.throwIfAborted();
    const accessToken = await this.token();
    const { body } = await this.client.call(api, params, { accessToken, signal: opts?.signal });
    return body;
  }

  /**
   * The `data` of an answer, after its business error if it reports one: null for an unknown item when
   * `nullIfMissing`, an `UpstreamError` otherwise.
   */
  private checked(operation: string, body: Json, nullIfMissing: boolean): Json | null {
    const failure = businessError(body);
    if (failure) {
      if (nullIfMissing && NOT_FOUND.test(failure.code)) return null;
      throw new UpstreamError(operation, `${failure.code}: ${failure.message}`);
    }
    const data = record(body.data) ?? record(record(body.result)?.data);
    if (!data) throw new UpstreamError(operation, 'the answer carries no data');
    return data;
  }

  /**
   * One page of a Ponte search from the upstream's pages of at most 20: a larger page is read as the
   * upstream pages it spans, cut to the range asked.
   */
  private async paged<T>(
    operation: string,
    api: string,
    params: Record<string, IopParam>,
    query: { page: number; pageSize: number },
    opts: CallOptions | undefined,
    map: (item: Json) => T,
  ): Promise<SearchPage<T>> {
    const start = (query.page - 1) * query.pageSize;
    const size = query.pageSize <= SEARCH_PAGE_MAX ? query.pageSize : SEARCH_PAGE_MAX;
    const firstPage = Math.floor(start / size) + 1;
    const lastPage = Math.floor((start + query.pageSize - 1) / size) + 1;
    const items: Json[] = [];
    let total: number | null = null;
    let ended = false;
    for (let page = firstPage; page <= lastPage && !ended; page++) {
      const body = await this.call(api, { ...params, page_no: page, page_size: size }, opts);
      const data = this.checked(operation, body, false) as Json;
      const list = Array.isArray(data.data) ? (data.data as unknown[]).map(record).filter((x) => x !== null) : [];
      items.push(...(list as Json[]));
      total = count(data.results_total) ?? count(data.total) ?? total;
      ended = list.length < size;
    }
    const skip = start - (firstPage - 1) * size;
    const slice = items.slice(skip, skip + query.pageSize);
    // The reference names no total for these APIs; without one, the total is what is known to exist.
    const known = start + slice.length + (ended ? 0 : 1);
    return { total: total ?? known, page: query.page, pageSize: query.pageSize, items: slice.map(map) };
  }
}

/** Filters the upstream cannot apply: leaving one out would answer goods the caller excluded. */
function unsupportedFilters(operation: string, query: SearchFilters, names: (keyof SearchFilters)[]): void {
  for (const name of names) {
    const value = query[name];
    if (value === undefined || value === false) continue;
    throw new UpstreamUnsupportedError(`${operation}.${name}`, UPSTREAM);
  }
}

// -- mapping ---------------------------------------------------------------------------------------

/**
 * A text in Ponte's languages from what the platform answers: the original (Chinese) and at most one
 * translation, in the language asked. The languages not asked show that translation too, which a
 * reader of any of them is likelier to follow than the Chinese; without a translation every language
 * shows the original.
 */
export function localized(original: string, translation: string | null | undefined): Localized {
  const shown = translation?.trim() ? translation : original;
  return { zh: original, en: shown, vi: shown, th: shown, es: shown };
}

function fen(value: unknown, field: string, money: (v: unknown) => number | null): number {
  const amount = money(value);
  if (amount === null) throw new UpstreamError('goods', `${field} is not an amount: ${String(value)}`);
  return amount;
}

/** `/product/get` money is integer fen; a value with a decimal point is read as yuan, to the fen. */
function productFen(value: unknown): number | null {
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return value;
  if (typeof value === 'string' && /^\d+$/.test(value)) return Number(value);
  return yuanToFen(value);
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}

const ACTIVE_STATUSES = new Set(['ON', 'ONSALE', 'ON_SALE', 'ACTIVE', 'NORMAL']);

/** Translated properties matched to the originals by their ids; by position when the ids are missing. */
function propertyTranslations(originals: Json[], translations: Json[]): (Json | undefined)[] {
  return originals.map((p, i) => {
    const propId = text(p.prop_id);
    const valueId = text(p.value_id);
    if (propId !== null && valueId !== null) {
      return translations.find((t) => text(t.prop_id) === propId && text(t.value_id) === valueId);
    }
    return translations.length === originals.length ? translations[i] : undefined;
  });
}

function toSkuProperty(p: Json, t: Json | undefined): ProviderSkuProperty {
  return {
    propId: text(p.prop_id) ?? '',
    propName: localized(text(p.prop_name) ?? '', text(t?.prop_name)),
    valueId: text(p.value_id) ?? '',
    valueName: localized(text(p.value_name) ?? '', text(t?.value_name)),
  };
}

function toSku(sku: Json, translation: Json | null, delisted: boolean): ProviderSku {
  const originals = list(sku.properties);
  const skuId = text(sku.sku_id) ?? '';
  const translated = list(translation?.sku_properties).find((s) => text(s.sku_id) === skuId);
  const matched = propertyTranslations(originals, list(translated?.properties));
  const price = fen(sku.price, 'sku price', productFen);
  const stock = count(sku.quantity) ?? 0;
  return {
    skuId,
    properties: originals.map((p, i) => toSkuProperty(p, matched[i])),
    priceFen: price,
    promotionPriceFen:
      sku.promotion_price == null ? price : fen(sku.promotion_price, 'sku promotion_price', productFen),
    stock,
    weightG: kgToGrams(sku.weight) ?? 0,
    lengthCm: count(sku.length) ?? 0,
    widthCm: count(sku.width) ?? 0,
    heightCm: count(sku.height) ?? 0,
    imageUrl: text(sku.pic_url) ?? '',
    mpSkuId: text(sku.mp_skuId) ?? text(sku.mp_sku_id),
    status: delisted || stock === 0 ? 'inactive' : 'active',
  };
}

/** A product from `/product/get`'s `data` and `/traffic/item/get`'s `multi_language_info`. */
function toProduct(data: Json, translation: Json | null): ProviderProduct {
  const status = (text(data.status) ?? '').toUpperCase();
  const delisted = !ACTIVE_STATUSES.has(status);
  const skus = list(data.sku_list).map((s) => toSku(s, translation, delisted));
  const basePrice = fen(data.price, 'price', productFen);
  const basePromotion =
    data.promotion_price == null ? basePrice : fen(data.promotion_price, 'promotion_price', productFen);
  const prices = skus.map((s) => s.priceFen);
  const promotions = skus.map((s) => s.promotionPriceFen);
  const pictures = (Array.isArray(data.pic_urls) ? data.pic_urls : []).map(text).filter((u): u is string => !!u);
  const attributes = list(data.properties);
  const attributeTranslations = propertyTranslations(attributes, list(translation?.properties));
  const categoryId = text(data.category_id) ?? '';
  const categoryName = localized(text(data.category_name) ?? '', null);
  const mpId = text(data.mp_id);
  const shop: ProviderShop = {
    platform: 'taobao',
    shopId: text(data.shop_id) ?? '',
    // The platform answers the shop's Chinese name only.
    shopName: localized(text(data.shop_name) ?? '', null),
    userNick: text(data.supplier_nick) ?? text(data.seller_nick) ?? '',
    sellerOpenId: null,
    companyName: null,
    province: null,
    city: null,
    // Not carried by the distributor APIs.
    rating: 0,
    goodsCount: 0,
  };
  return {
    platform: 'taobao',
    productId: text(data.item_id) ?? '',
    title: localized(text(data.title) ?? '', text(translation?.title)),
    // No documented API translates descriptions: every language shows the original.
    description: localized(text(data.description) ?? '', null),
    categoryId,
    // Only the leaf is named by id; its ancestors come as names without ids and are left out.
    categoryPath: categoryId ? [{ categoryId, name: categoryName }] : [],
    shop,
    mainImageUrl: pictures[0] ?? text(data.main_image_url) ?? '',
    imageUrls: pictures,
    priceFen: prices.length > 0 ? Math.min(...prices) : basePrice,
    promotionPriceFen: promotions.length > 0 ? Math.min(...promotions) : basePromotion,
    maxPriceFen: prices.length > 0 ? Math.max(...prices) : basePrice,
    tierPrices: [],
    minOrderQuantity: count(data.begin_amount) || 1,
    // Sales, next-day shipping and strict selection are not carried by the distributor APIs.
    sales: 0,
    totalStock: count(data.quantity) ?? skus.reduce((sum, s) => sum + s.stock, 0),
    shipIn24h: false,
    strictSelection: false,
    status: delisted ? 'delisted' : 'active',
    mpId,
    notDistributableReason: mpId ? null : 'the platform gives this item no distribution id (mp_id)',
    attributes: attributes.map((a, i) => ({
      name: localized(text(a.prop_name) ?? '', text(attributeTranslations[i]?.prop_name)),
      value: localized(text(a.value_name) ?? '', text(attributeTranslations[i]?.value_name)),
    })),
    skus,
    // The platform exposes no revision counter; changes arrive as push messages instead.
    version: 0,
  };
}

/** A hit of `/traffic/item/search` or `/traffic/item/imgsearch`, whose prices are yuan strings. */
function toSummary(item: Json): ProductSummary {
  const translation = record(item.multi_language_info);
  const price = fen(item.price, 'price', yuanToFen);
  return {
    platform: 'taobao',
    productId: text(item.item_id) ?? '',
    title: localized(text(item.title) ?? '', text(translation?.title)),
    mainImageUrl: text(item.main_image_url) ?? '',
    priceFen: price,
    promotionPriceFen: item.promotion_price == null ? price : fen(item.promotion_price, 'promotion_price', yuanToFen),
    tierPrices: [],
    minOrderQuantity: 1,
    sales: 0,
    shopId: text(item.shop_id) ?? '',
    shopName: localized(text(item.shop_name) ?? '', null),
    sellerOpenId: null,
    categoryId: text(item.category_id) ?? '',
    shipIn24h: false,
    strictSelection: false,
    // The traffic APIs carry Taobao's ids only; the distribution id comes with the product.
    mpId: null,
  };
}
