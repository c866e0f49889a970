import { randomBytes } from 'node:crypto';
import { MarketRejection } from '../../providers/errors.js';
import type { TaobaoProvider } from '../../providers/taobao.js';
import type { Language, ProductSummary, ProviderProduct, SearchPage, SearchSort } from '../../providers/types.js';
import { fenToYuan, gramsToKg } from '../../providers/units.js';
import { IopFakeError, type IopHandler } from './fake.js';

/**
 * The fake gateway's goods APIs, answered from a Taobao market (the sandbox's) in the wire shapes
 * Taobao Global documents (see docs/adr/0016-real-upstreams.md): `/product/get` with distribution ids
 * and money in integer fen, the `/traffic/item/*` family with money as yuan strings and one
 * translation in `multi_language_info`, picture search through `/upload/image`, chat links from
 * `/page/link/get`. Ids the platform types as numbers go out as JSON numbers, exact beyond 2^53.
 */

export interface GoodsHandlersOptions {
  market: TaobaoProvider;
  /**
   * The buyer a `/page/link/get` login stands for, or null when the login is refused; unless given,
   * the login name is the buyer's id and any password passes.
   */
  chatBuyer?: (loginName: string, password: string) => string | null;
}

/** The languages the fake translates into: the sandbox's, of which the platform documents en and vi. */
const TRANSLATED: ReadonlySet<string> = new Set<Language>(['en', 'vi', 'th', 'es']);

const SORTS: Record<string, SearchSort> = {
  PRICE_ASC: 'price_asc',
  PRICE_DESC: 'price_desc',
  SALE_QTY_DESC: 'sales_desc',
};

/** A decimal id as a JSON number (bigint keeps the digits beyond 2^53); anything else stays text. */
function wireId(id: string): bigint | string {
  return /^\d{1,30}$/.test(id) ? BigInt(id) : id;
}

function language(params: Record<string, string>): Language | null {
  const asked = params.language;
  return asked && TRANSLATED.has(asked) ? (asked as Language) : null;
}

function notFound(what = 'item') {
  return { success: false, error_code: `${what.toUpperCase()}_NOT_FOUND`, error_msg: `The ${what} does not exist` };
}

function pageNumbers(params: Record<string, string>): { page: number; pageSize: number } {
  const page = Number(params.page_no ?? '1');
  const pageSize = Number(params.page_size ?? '20');
  if (!Number.isSafeInteger(page) || page < 1) throw new IopFakeError('InvalidParameter', 'page_no is not valid');
  if (!Number.isSafeInteger(pageSize) || pageSize < 1 || pageSize > 20) {
    throw new IopFakeError('InvalidParameter', 'page_size must be between 1 and 20');
  }
  return { page, pageSize };
}

/** `min_price:1000,max_price:5000` (fen). */
function priceFilters(text: string | undefined): { priceMinFen?: number; priceMaxFen?: number } {
  const out: { priceMinFen?: number; priceMaxFen?: number } = {};
  for (const part of (text ?? '').split(',')) {
    const [name, value] = part.split(':');
    if (!name || value === undefined || !/^\d+$/.test(value)) continue;
    if (name === 'min_price') out.priceMinFen = Number(value);
    if (name === 'max_price') out.priceMaxFen = Number(value);
  }
  return out;
}

function productData(p: ProviderProduct) {
  const leaf = p.categoryPath[p.categoryPath.length - 1];
  return {
    ...(p.mpId ? { mp_id: p.mpId } : {}),
    item_id: wireId(p.productId),
    title: p.title.zh,
    description: p.description.zh,
    category_id: p.categoryId,
    category_name: leaf?.name.zh ?? '',
    category_path: p.categoryPath.map((c) => c.name.zh).join('>'),
    shop_id: wireId(p.shop.shopId),
    shop_name: p.shop.shopName.zh,
    supplier_nick: p.shop.userNick,
    pic_urls: p.imageUrls,
    price: p.priceFen,
    promotion_price: p.promotionPriceFen,
    quantity: p.totalStock,
    begin_amount: p.minOrderQuantity,
    status: p.status === 'active' ? 'ON' : 'OFF',
    properties: p.attributes.map((a) => ({ prop_name: a.name.zh, value_name: a.value.zh })),
    sku_list: p.skus.map((s) => ({
      sku_id: wireId(s.skuId),
      ...(s.mpSkuId ? { mp_skuId: wireId(s.mpSkuId) } : {}),
      price: s.priceFen,
      promotion_price: s.promotionPriceFen,
      quantity: s.stock,
      pic_url: s.imageUrl,
      postFee: 0,
      weight: gramsToKg(s.weightG),
      length: s.lengthCm,
      width: s.widthCm,
      height: s.heightCm,
      properties: s.properties.map((prop) => ({
        prop_id: wireId(prop.propId),
        prop_name: prop.propName.zh,
        value_id: wireId(prop.valueId),
        value_name: prop.valueName.zh,
      })),
    })),
  };
}

function translation(p: ProviderProduct, lang: Language) {
  return {
    language: lang,
    title: p.title[lang],
    main_image_url: p.mainImageUrl,
    properties: p.attributes.map((a) => ({ prop_name: a.name[lang], value_name: a.value[lang] })),
    sku_properties: p.skus.map((s) => ({
      sku_id: wireId(s.skuId),
      properties: s.properties.map((prop) => ({
        prop_id: wireId(prop.propId),
        prop_name: prop.propName[lang],
        value_id: wireId(prop.valueId),
        value_name: prop.valueName[lang],
        value_desc: '',
      })),
    })),
  };
}

async function searchAnswer(
  market: TaobaoProvider,
  page: SearchPage<ProductSummary>,
  lang: Language | null,
): Promise<unknown> {
  // The hits carry their stock (`inventory`), which only the products know.
  const products = await market.getProducts(page.items.map((i) => i.productId));
  const stock = new Map(products.map((p) => [p.productId, p.totalStock]));
  return {
    data: {
      page_no: page.page,
      page_size: page.pageSize,
      results_total: page.total,
      data: page.items.map((item) => ({
        item_id: wireId(item.productId),
        title: item.title.zh,
        main_image_url: item.mainImageUrl,
        price: fenToYuan(item.priceFen),
        promotion_price: fenToYuan(item.promotionPriceFen),
        inventory: stock.get(item.productId) ?? 0,
        shop_id: wireId(item.shopId),
        shop_name: item.shopName.zh,
        category_id: item.categoryId,
        ...(lang ? { multi_language_info: { language: lang, title: item.title[lang] } } : {}),
      })),
    },
  };
}

/** A refusal of the market as the `biz_error_*` answer of the traffic APIs. */
function bizError(err: unknown): unknown {
  if (err instanceof MarketRejection) return { biz_error_code: err.reason.toUpperCase(), biz_error_msg: err.message };
  throw err;
}

export function goodsHandlers(options: GoodsHandlersOptions): Record<string, IopHandler> {
  const { market } = options;
  const images = new Map<string, Buffer>();

  return {
    '/product/get': {
      required: ['item_id'],
      handle: async (params) => {
        // Only Taobao and Tmall items are behind this fake; 1688's (`CBU_MARKET`) are not.
        if (params.item_source_market === 'CBU_MARKET') return notFound();
        const product = await market.getProduct(params.item_id as string);
        return product ? { success: true, data: productData(product) } : notFound();
      },
    },
    '/traffic/item/get': {
      required: ['item_id'],
      handle: async (params) => {
        const product = await market.getProduct(params.item_id as string);
        if (!product) return { biz_error_code: 'ITEM_NOT_FOUND', biz_error_msg: 'The item does not exist' };
        const lang = language(params);
        return {
          data: {
            item_id: wireId(product.productId),
            title: product.title.zh,
            pic_urls: product.imageUrls,
            price: fenToYuan(product.priceFen),
            promotion_price: fenToYuan(product.promotionPriceFen),
            sku_list: product.skus.map((s) => ({
              sku_id: wireId(s.skuId),
              price: fenToYuan(s.priceFen),
              quantity: s.stock,
              properties: s.properties.map((prop) => `${prop.propId}:${prop.valueId}`).join(';'),
            })),
            ...(lang ? { multi_language_info: translation(product, lang) } : {}),
          },
        };
      },
    },
    '/traffic/item/search': async (params) => {
      const { page, pageSize } = pageNumbers(params);
      const sort = params.sort === undefined ? 'relevance' : SORTS[params.sort];
      if (!sort) throw new IopFakeError('InvalidParameter', `sort ${params.sort} is not served`);
      try {
        const found = await market.search({
          keyword: params.keyword ?? '',
          sort,
          shopId: params.shop_id,
          ...priceFilters(params.filters),
          page,
          pageSize,
        });
        return await searchAnswer(market, found, language(params));
      } catch (err) {
        return bizError(err);
      }
    },
    '/upload/image': {
      required: ['image_base64'],
      handle: (params) => {
        const bytes = Buffer.from(params.image_base64 as string, 'base64');
        if (bytes.length === 0 || bytes.length > 3 * 1024 * 1024) {
          throw new IopFakeError('InvalidParameter', 'image_base64 must hold a picture of at most 3 MB');
        }
        const id = `img${randomBytes(8).toString('hex')}`;
        images.set(id, bytes);
        return { data: { image_id: id } };
      },
    },
    '/traffic/item/imgsearch': async (params) => {
      const { page, pageSize } = pageNumbers(params);
      let image: { bytes: Buffer } | { url: string };
      if (params.image_id) {
        const bytes = images.get(params.image_id);
        if (!bytes) return { biz_error_code: 'IMAGE_NOT_FOUND', biz_error_msg: 'The image does not exist' };
        image = { bytes };
      } else if (params.pic_url) image = { url: params.pic_url };
      else throw new IopFakeError('MissingParameter', 'image_id or pic_url is required');
      try {
        const found = await market.imageSearch({ image, page, pageSize });
        return await searchAnswer(market, found, language(params));
      } catch (err) {
        return bizError(err);
      }
    },
    '/page/link/get': {
      required: ['loginName', 'password', 'pageName', 'pageParamMap'],
      handle: async (params) => {
        const buyerId = options.chatBuyer
          ? options.chatBuyer(params.loginName as string, params.password as string)
          : (params.loginName as string);
        if (!buyerId)
          return { success: false, errorCode: 'LOGIN_FAILED', errorMsg: 'The login name or password is wrong' };
        if (params.pageName !== 'imDialog') {
          return { success: false, errorCode: 'PAGE_NOT_SUPPORTED', errorMsg: 'Unknown pageName' };
        }
        let page: { sourceType?: unknown; bizId?: unknown };
        try {
          page = JSON.parse(params.pageParamMap as string);
        } catch {
          throw new IopFakeError('InvalidParameter', 'pageParamMap is not JSON');
        }
        const sourceType = page.sourceType === 'order' ? 'order' : page.sourceType === 'item' ? 'item' : null;
        if (!sourceType || typeof page.bizId !== 'string') {
          throw new IopFakeError('InvalidParameter', 'pageParamMap needs sourceType and bizId');
        }
        const link = await market.chatUrl({ sourceType, bizId: page.bizId, buyerId });
        if (!link) {
          return { success: false, errorCode: `${sourceType.toUpperCase()}_NOT_FOUND`, errorMsg: 'Not found' };
        }
        return { success: true, data: link.url };
      },
    },
  };
}
