import { createHash, randomBytes } from 'node:crypto';
import type { AlibabaProvider } from '../../providers/alibaba.js';
import {
  AOP_FILTERS,
  AOP_GOODS_APIS,
  AOP_INVALID_PARAM_CODE,
  AOP_NOT_FOUND_CODE,
  AOP_SORTS,
  SHIP_IN_24H,
} from '../../providers/aop/goods.js';
import { fenToYuan, gramsToKg } from '../../providers/aop/values.js';
import { MarketRejection } from '../../providers/errors.js';
import type {
  Language,
  Localized,
  ProductSummary,
  ProviderProduct,
  SearchFilters,
  SearchPage,
  SearchSort,
} from '../../providers/types.js';
import { LANGUAGES } from '../../providers/types.js';
import { type AopFakeApi, type AopFakeParams, AopFakeRefusal, AopWholeBody } from './fake.js';

/**
 * The catalogue APIs of 1688's open platform in the fake gateway, answered from a marketplace behind the
 * provider interface (the sandbox's 1688): each handler reads the parameters as the gateway takes them
 * (objects as JSON text), asks the provider, and answers the wire shape the documentation gives (ADR
 * 0016): ids as JSON integers (`bigint`, so that the long ones keep their digits), prices as yuan text,
 * weights in kilograms, the Chinese original in `subject` and the translation asked in `subjectTrans`.
 */

/** The answer to an unknown offer, category or seller: `success: false` with the not-found code. */
function notFound(message: string): AopWholeBody {
  return new AopWholeBody({ result: { success: false, code: AOP_NOT_FOUND_CODE, message, result: null } });
}

/** A business refusal: `success: false` with a parameter code, in the catalogue envelope. */
function refused(message: string): AopWholeBody {
  return new AopWholeBody({ result: { success: false, code: AOP_INVALID_PARAM_CODE, message, result: null } });
}

/** An answer in the catalogue envelope with the given `code` (`S0000` on the category and related APIs). */
function answered(payload: unknown, code = '200', success: boolean | string = true): AopWholeBody {
  return new AopWholeBody({ result: { success, code, message: '成功', result: payload } });
}

function jsonParam(params: AopFakeParams, name: string): Record<string, unknown> {
  const value = params[name];
  if (typeof value !== 'string') throw new AopFakeRefusal('gw.ParamMissing', `Missing required parameter: ${name}`);
  const parsed = JSON.parse(value) as unknown;
  if (typeof parsed !== 'object' || parsed === null) {
    throw new AopFakeRefusal('gw.ParamInvalid', `Parameter ${name} is not an object`);
  }
  return parsed as Record<string, unknown>;
}

/** The language a `country`/`language` parameter names; an unknown one is refused as the gateway would. */
function languageOf(value: unknown): Exclude<Language, 'zh'> {
  const language = String(value ?? '');
  if (!(LANGUAGES as readonly string[]).includes(language) || language === 'zh') {
    throw new AopFakeRefusal('gw.ParamInvalid', `Unsupported language: ${language}`);
  }
  return language as Exclude<Language, 'zh'>;
}

function whole(value: unknown, fallback: number): number {
  const n = Number(value);
  return Number.isInteger(n) && n > 0 ? n : fallback;
}

/** Yuan text from a request (`priceStart`) as fen, by the digits. */
function fenOf(value: unknown): number | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const m = /^(\d+)(?:\.(\d{1,2}))?$/.exec(String(value));
  if (!m) throw new AopFakeRefusal('gw.ParamInvalid', `Not a price: ${String(value)}`);
  return Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
}

function sortOf(value: unknown): SearchSort {
  if (value === undefined || value === '') return 'relevance';
  const sort = typeof value === 'string' ? (JSON.parse(value) as unknown) : value;
  const wanted = JSON.stringify(sort);
  for (const [name, wire] of Object.entries(AOP_SORTS)) {
    if (JSON.stringify(wire) === wanted) return name as SearchSort;
  }
  throw new AopFakeRefusal('gw.ParamInvalid', `Unsupported sort: ${wanted}`);
}

function filtersOf(param: Record<string, unknown>): SearchFilters {
  const words = new Set(
    String(param.filter ?? '')
      .split(',')
      .map((w) => w.trim())
      .filter(Boolean),
  );
  const filters: SearchFilters = {};
  if (words.has(AOP_FILTERS.shipIn24h)) filters.shipIn24h = true;
  if (words.has(AOP_FILTERS.strictSelection)) filters.strictSelection = true;
  const min = fenOf(param.priceStart);
  const max = fenOf(param.priceEnd);
  if (min !== undefined) filters.priceMinFen = min;
  if (max !== undefined) filters.priceMaxFen = max;
  if (param.categoryId !== undefined && param.categoryId !== null) filters.categoryId = String(param.categoryId);
  return filters;
}

/** A product id as the gateway types `offerId` (a Long): a JSON integer with all its digits. */
function offerId(productId: string): bigint {
  return BigInt(productId);
}

/**
 * A SKU's numeric 1688 `skuId`. The marketplace's SKU id is 1688's `specId` (what orders name in `cargoParamList`);
 * 1688 also gives each SKU a numeric `skuId`, derived here from the `specId` so that it is stable.
 */
export function aopSkuNumber(specId: string): bigint {
  return BigInt(`0x${createHash('md5').update(`sku:${specId}`).digest('hex').slice(0, 13)}`);
}

export interface AopGoodsHandlerOptions {
  /** The marketplace the answers come from (`market.alibaba` of a sandbox). */
  market: AlibabaProvider;
}

/**
 * The handler map of the catalogue APIs, to pass to `buildAopFake({ handlers })` (merged with any
 * other handlers).
 */
export function aopGoodsHandlers(options: AopGoodsHandlerOptions): Record<string, AopFakeApi> {
  const { market } = options;
  /** Uploaded pictures by image id, as the gateway keeps them for the picture search. */
  const images = new Map<string, Buffer>();
  /** The top category of each leaf, for `topCategoryId`/`secondCategoryId`. */
  const parents = new Map<string, string | null>();

  async function parentOf(categoryId: string): Promise<string | null> {
    if (!parents.has(categoryId)) {
      const category = await market.getCategory(categoryId);
      parents.set(categoryId, category?.parentId ?? null);
    }
    return parents.get(categoryId) ?? null;
  }

  /** `topCategoryId`, `secondCategoryId` (and no third: the catalogue has two levels). */
  async function categoryLevels(categoryId: string): Promise<Record<string, number>> {
    const parent = await parentOf(categoryId);
    return parent
      ? { topCategoryId: Number(parent), secondCategoryId: Number(categoryId), thirdCategoryId: 0 }
      : { topCategoryId: Number(categoryId), secondCategoryId: 0, thirdCategoryId: 0 };
  }

  async function offer(item: ProductSummary, language: Exclude<Language, 'zh'>): Promise<Record<string, unknown>> {
    return {
      offerId: offerId(item.productId),
      subject: item.title.zh,
      subjectTrans: item.title[language],
      imageUrl: item.mainImageUrl,
      priceInfo: {
        price: fenToYuan(item.priceFen),
        consignPrice: fenToYuan(item.priceFen),
        promotionPrice: fenToYuan(item.promotionPriceFen),
      },
      monthSold: item.sales,
      repurchaseRate: '0%',
      minOrderQuantity: item.minOrderQuantity,
      isOnePsale: item.minOrderQuantity === 1,
      offerIdentities: item.strictSelection ? [AOP_FILTERS.strictSelection] : [],
      productSimpleShippingInfo: { shippingTimeGuarantee: item.shipIn24h ? SHIP_IN_24H : 'shipIn48Hours' },
      ...(await categoryLevels(item.categoryId)),
    };
  }

  async function pageOf(
    page: SearchPage<ProductSummary>,
    language: Exclude<Language, 'zh'>,
    extra: (item: ProductSummary) => Record<string, unknown> = () => ({}),
  ): Promise<Record<string, unknown>> {
    const data = [];
    for (const item of page.items) data.push({ ...(await offer(item, language)), ...extra(item) });
    return {
      totalRecords: page.total,
      totalPage: Math.ceil(page.total / page.pageSize),
      pageSize: page.pageSize,
      currentPage: page.page,
      data,
    };
  }

  function detail(p: ProviderProduct, language: Exclude<Language, 'zh'>, levels: Record<string, number>) {
    const first = p.skus[0];
    const category = p.categoryPath.at(-1);
    const shop = p.shop;
    return {
      offerId: offerId(p.productId),
      categoryId: Number(p.categoryId),
      categoryName: category?.name.zh ?? '',
      subject: p.title.zh,
      subjectTrans: p.title[language],
      description: p.description.zh,
      descriptionTrans: p.description[language],
      productImage: { images: p.imageUrls, whiteImage: p.mainImageUrl },
      productAttribute: p.attributes.map((a, i) => ({
        attributeId: String(i + 1),
        attributeName: a.name.zh,
        value: a.value.zh,
        attributeNameTrans: a.name[language],
        valueTrans: a.value[language],
      })),
      productSkuInfos: p.skus.map((s) => ({
        amountOnSale: s.stock,
        price: fenToYuan(s.priceFen),
        skuId: aopSkuNumber(s.skuId),
        specId: s.skuId,
        promotionPrice: fenToYuan(s.promotionPriceFen),
        consignPrice: fenToYuan(s.priceFen),
        skuAttributes: s.properties.map((prop) => ({
          attributeId: BigInt(prop.propId),
          attributeName: prop.propName.zh,
          attributeNameTrans: prop.propName[language],
          value: prop.valueName.zh,
          valueTrans: prop.valueName[language],
          skuImageUrl: s.imageUrl,
        })),
      })),
      productSaleInfo: {
        amountOnSale: p.totalStock,
        priceRangeList: p.tierPrices.map((t) => ({ startQuantity: t.minQuantity, price: fenToYuan(t.priceFen) })),
        quoteType: p.skus.length ? 1 : 0,
      },
      productShippingInfo: {
        sendGoodsAddressText: [shop.province?.zh, shop.city?.zh].filter(Boolean).join(' '),
        // Kilograms as the gateway writes them (a Double): the digits of the grams moved by three places.
        weight: first ? Number(gramsToKg(first.weightG)) : 0,
        length: first?.lengthCm ?? 0,
        width: first?.widthCm ?? 0,
        height: first?.heightCm ?? 0,
        shippingTimeGuarantee: p.shipIn24h ? SHIP_IN_24H : 'shipIn48Hours',
        skuShippingDetails: p.skus.map((s) => ({
          skuId: String(aopSkuNumber(s.skuId)),
          weight: Number(gramsToKg(s.weightG)),
          length: s.lengthCm,
          width: s.widthCm,
          height: s.heightCm,
        })),
      },
      isJxhy: false,
      sellerOpenId: shop.sellerOpenId,
      minOrderQuantity: p.minOrderQuantity,
      batchNumber: 1,
      status: p.status === 'active' ? 'published' : 'expired',
      sellerDataInfo: { compositeServiceScore: shop.rating.toFixed(1) },
      soldOut: String(p.sales),
      offerIdentities: p.strictSelection ? [AOP_FILTERS.strictSelection] : [],
      companyName: shop.companyName?.zh ?? shop.shopName.zh,
      ...levels,
    };
  }

  function categoryNode(c: { categoryId: string; name: Localized; leaf: boolean }, language: Language, extra = {}) {
    return {
      categoryId: Number(c.categoryId),
      chineseName: c.name.zh,
      translatedName: c.name[language],
      language,
      leaf: c.leaf,
      ...extra,
    };
  }

  const apis: Record<string, AopFakeApi> = {
    [AOP_GOODS_APIS.detail]: {
      required: ['offerDetailParam'],
      json: ['offerDetailParam'],
      handle: async (params) => {
        const param = jsonParam(params, 'offerDetailParam');
        const language = languageOf(param.country);
        const product = await market.getProduct(String(param.offerId ?? ''));
        if (!product) return notFound('商品不存在');
        return answered(detail(product, language, await categoryLevels(product.categoryId)));
      },
    },
    [AOP_GOODS_APIS.keyword]: {
      required: ['offerQueryParam'],
      json: ['offerQueryParam'],
      handle: async (params) => {
        const param = jsonParam(params, 'offerQueryParam');
        const language = languageOf(param.country);
        const page = await market.search({
          keyword: String(param.keyword ?? ''),
          ...filtersOf(param),
          sort: sortOf(param.sort),
          page: whole(param.beginPage, 1),
          pageSize: whole(param.pageSize, 20),
        });
        return answered(await pageOf(page, language));
      },
    },
    [AOP_GOODS_APIS.imageUpload]: {
      required: ['uploadImageParam'],
      json: ['uploadImageParam'],
      handle: (params) => {
        const param = jsonParam(params, 'uploadImageParam');
        const bytes = Buffer.from(String(param.imageBase64 ?? ''), 'base64');
        if (bytes.length === 0) throw new AopFakeRefusal('gw.ParamMissing', 'Missing required parameter: imageBase64');
        const imageId = String(BigInt(`0x${randomBytes(6).toString('hex')}`));
        images.set(imageId, bytes);
        return answered(imageId);
      },
    },
    [AOP_GOODS_APIS.image]: {
      required: ['offerQueryParam'],
      json: ['offerQueryParam'],
      handle: async (params) => {
        const param = jsonParam(params, 'offerQueryParam');
        const language = languageOf(param.country);
        const pageSize = whole(param.pageSize, 20);
        if (pageSize > 50) throw new AopFakeRefusal('gw.ParamInvalid', 'pageSize must not exceed 50');
        const bytes = param.imageId !== undefined ? images.get(String(param.imageId)) : undefined;
        const address = typeof param.imageAddress === 'string' ? param.imageAddress : undefined;
        if (!bytes && !address) throw new AopFakeRefusal('gw.ParamInvalid', 'Unknown imageId');
        const page = await market.imageSearch({
          image: bytes ? { bytes } : { url: address as string },
          ...filtersOf(param),
          page: whole(param.beginPage, 1),
          pageSize,
        });
        // The picture search writes `success` as text, as its documentation types it.
        return answered(await pageOf(page, language, (item) => ({ companyName: item.shopName.zh })), '200', 'true');
      },
    },
    [AOP_GOODS_APIS.sellerOffers]: {
      required: ['offerQueryParam'],
      json: ['offerQueryParam'],
      handle: async (params) => {
        const param = jsonParam(params, 'offerQueryParam');
        const language = languageOf(param.country);
        const shop = await market.getSupplier(String(param.sellerOpenId ?? ''));
        if (!shop) return notFound('商家不存在');
        const page = await market.search({
          keyword: '',
          shopId: shop.shopId,
          page: whole(param.beginPage, 1),
          pageSize: whole(param.pageSize, 20),
        });
        return answered(await pageOf(page, language));
      },
    },
    [AOP_GOODS_APIS.recommend]: {
      required: ['recommendOfferParam'],
      json: ['recommendOfferParam'],
      handle: async (params) => {
        const param = jsonParam(params, 'recommendOfferParam');
        const language = languageOf(param.country);
        const page = await market.recommend({ page: whole(param.beginPage, 1), pageSize: whole(param.pageSize, 20) });
        return answered((await pageOf(page, language)).data);
      },
    },
    [AOP_GOODS_APIS.related]: {
      required: ['relatedQueryParams'],
      json: ['relatedQueryParams'],
      handle: async (params) => {
        const param = jsonParam(params, 'relatedQueryParams');
        const language = languageOf(param.language);
        const pageSize = whole(param.pageSize, 10);
        if (pageSize > 10) throw new AopFakeRefusal('gw.ParamInvalid', 'pageSize must not exceed 10');
        const page = await market.related(String(param.offerId ?? ''), { page: whole(param.pageNo, 1), pageSize });
        if (!page) return notFound('商品不存在');
        return answered((await pageOf(page, language)).data, 'S0000');
      },
    },
    [AOP_GOODS_APIS.category]: {
      required: ['categoryId', 'language'],
      handle: async (params) => {
        const language = languageOf(params.language);
        const id = String(params.categoryId);
        const category = await market.getCategory(id === '0' ? undefined : id);
        if (!category) return notFound('类目不存在');
        return answered(
          categoryNode(category, language, {
            level: category.path.length,
            parentCateId: Number(category.parentId ?? 0),
            children: category.children.map((c) =>
              categoryNode(c, language, { level: category.path.length + 1, parentCateId: Number(category.categoryId) }),
            ),
          }),
          'S0000',
        );
      },
    },
    [AOP_GOODS_APIS.wangwang]: {
      required: ['toOpenUid'],
      envelope: 'A',
      handle: async (params) => {
        const url = await market.wangwangUrl(String(params.toOpenUid));
        if (!url) return notFound('用户不存在');
        return answered(url);
      },
    },
  };
  // The marketplace refusing a value (an unknown category to search in) is a business refusal inside
  // the envelope, as the catalogue APIs answer one, not a gateway error.
  for (const spec of Object.values(apis)) {
    const handle = spec.handle;
    spec.handle = async (params, ctx) => {
      try {
        return await handle(params, ctx);
      } catch (err) {
        if (err instanceof MarketRejection) return refused(err.message);
        throw err;
      }
    };
  }
  return apis;
}
