import type { OperationBody, OperationData, OperationQuery } from './operations.js';
import type { CallOptions, RequestOptions } from './transport.js';

/** What the goods resources need from {@link PonteClient}. */
interface SignedRequest {
  request<T>(method: string, path: string, options?: RequestOptions): Promise<T>;
}

type Options = CallOptions & { userId?: string };

export type TaobaoProduct = OperationData<'taobaoGetProduct'>;
export type TaobaoSearchInput = OperationBody<'taobaoSearch'>;
export type TaobaoSearchPage = OperationData<'taobaoSearch'>;
export type TaobaoImageSearchInput = OperationBody<'taobaoImageSearch'>;
export type TaobaoImageSearchPage = OperationData<'taobaoImageSearch'>;
export type TaobaoBatchCheck = OperationData<'taobaoBatchCheck'>;
export type TaobaoQueriedProduct = OperationData<'taobaoQueryProduct'>;
export type TaobaoSourceGoods = OperationData<'taobaoSourceGet'>;
export type TaobaoLanguage = NonNullable<OperationQuery<'taobaoGetProduct'>['language']>;

/** Taobao goods (`/open/product/*`). */
export class TaobaoGoods {
  constructor(private readonly client: SignedRequest) {}

  /** Keyword search (T2): `keyword` in any of the five languages, filters, sorts, pages of up to 40. */
  search(input: TaobaoSearchInput, options: Options = {}): Promise<TaobaoSearchPage> {
    return this.client.request('POST', '/open/product/item/search', { ...options, body: input });
  }

  /** Picture search (T1) from `imageBase64` or `imageAddress`. */
  imageSearch(input: TaobaoImageSearchInput, options: Options = {}): Promise<TaobaoImageSearchPage> {
    return this.client.request('POST', '/open/product/image/search', { ...options, body: input });
  }

  /** Which items and SKUs are distributable (T3); the `params` JSON string is built here. */
  batchCheck(items: { itemId: string; skuIds?: string[] }[], options: Options = {}): Promise<TaobaoBatchCheck> {
    return this.client.request('POST', '/open/product/batch/check', {
      ...options,
      body: { params: JSON.stringify(items) },
    });
  }

  /** An item's details (T4). @throws {ApiError} 40401 when unknown. */
  get(itemId: string, language?: TaobaoLanguage, options: Options = {}): Promise<TaobaoProduct> {
    return this.client.request('GET', '/open/product/get', {
      ...options,
      query: language ? { itemId, language } : { itemId },
    });
  }

  /** An item from a link, share text, item id or mpId (T5). */
  query(query: string, language?: TaobaoLanguage, options: Options = {}): Promise<TaobaoQueriedProduct> {
    return this.client.request('GET', '/open/product/query', {
      ...options,
      query: language ? { query, language } : { query },
    });
  }

  /** Translated description and picture resources (T6). */
  source(itemId: string, language?: TaobaoLanguage, options: Options = {}): Promise<TaobaoSourceGoods> {
    return this.client.request('POST', '/open/product/source/get', {
      ...options,
      body: language ? { itemId, language } : { itemId },
    });
  }
}

export type AlibabaProductDetail = OperationData<'alibabaProductDetail'>;
export type AlibabaDetailInput = OperationBody<'alibabaProductDetail'>;
export type AlibabaKeywordInput = OperationBody<'alibabaKeywordQuery'>;
export type AlibabaSearchPage = OperationData<'alibabaKeywordQuery'>;
export type AlibabaImageInput = OperationBody<'alibabaImageQuery'>;
export type AlibabaImagePage = OperationData<'alibabaImageQuery'>;
export type AlibabaSellerInput = OperationBody<'alibabaSellerOffers'>;
export type AlibabaCategoryInput = OperationBody<'alibabaCategory'>;
export type AlibabaCategory = OperationData<'alibabaCategory'>;
export type AlibabaRecommendInput = OperationBody<'alibabaRecommend'>;
export type AlibabaRelatedInput = OperationBody<'alibabaRelated'>;
export type AlibabaWangwang = OperationData<'alibabaWangwangUrl'>;
export type AlibabaMarketingInput = OperationBody<'alibabaHotList'>;

/** 1688 goods and marketing lists (`/alibaba/product/*`, `/alibaba/category/get`, `/alibaba/marketing/*`). */
export class AlibabaGoods {
  constructor(private readonly client: SignedRequest) {}

  private post<T>(path: string, body: unknown, options: Options): Promise<T> {
    return this.client.request<T>('POST', path, { ...options, body });
  }

  /** An offer's details (A1). @throws {ApiError} 40401 when unknown. */
  detail(input: AlibabaDetailInput, options: Options = {}): Promise<AlibabaProductDetail> {
    return this.post('/alibaba/product/detail/get', input, options);
  }

  /** The Wangwang chat link of a supplier (A2). */
  wangwangUrl(sellerOpenId: string, options: Options = {}): Promise<AlibabaWangwang> {
    return this.post('/alibaba/product/wangwang/url', { sellerOpenId }, options);
  }

  /** Keyword search (A3). */
  search(input: AlibabaKeywordInput, options: Options = {}): Promise<AlibabaSearchPage> {
    return this.post('/alibaba/product/keywords/query', input, options);
  }

  /** Picture search (A4). */
  imageSearch(input: AlibabaImageInput, options: Options = {}): Promise<AlibabaImagePage> {
    return this.post('/alibaba/product/image/query', input, options);
  }

  /** One supplier's offers (A5). */
  sellerOffers(input: AlibabaSellerInput, options: Options = {}): Promise<AlibabaSearchPage> {
    return this.post('/alibaba/product/query/selleroffer', input, options);
  }

  /** A category with its path and children, names translated (A6). */
  category(input: AlibabaCategoryInput = {}, options: Options = {}): Promise<AlibabaCategory> {
    return this.post('/alibaba/category/get', input, options);
  }

  /** Recommended offers (A7). */
  recommend(input: AlibabaRecommendInput, options: Options = {}): Promise<OperationData<'alibabaRecommend'>> {
    return this.post('/alibaba/product/recommend/query', input, options);
  }

  /** Offers related to one (A8). */
  related(input: AlibabaRelatedInput, options: Options = {}): Promise<OperationData<'alibabaRelated'>> {
    return this.post('/alibaba/product/productRelatedRecommendQuery', input, options);
  }

  /** Global strict selection (A32). */
  globalSelection(input: AlibabaMarketingInput = {}, options: Options = {}) {
    return this.post<OperationData<'alibabaGlobalSelection'>>('/alibaba/marketing/global/select/query', input, options);
  }

  /** 1688 strict selection (A33). */
  strictSelection(input: AlibabaMarketingInput = {}, options: Options = {}) {
    return this.post<OperationData<'alibabaStrictSelection'>>('/alibaba/marketing/strict/select/query', input, options);
  }

  /** The hot-selling list, ranked by sales (A34). */
  hotList(input: AlibabaMarketingInput = {}, options: Options = {}) {
    return this.post<OperationData<'alibabaHotList'>>('/alibaba/marketing/hot/list', input, options);
  }
}
