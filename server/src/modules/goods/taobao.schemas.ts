import type { Language } from '../../platform/http/i18n.js';
import { Int, Type } from '../../platform/http/schema.js';
import { OpaqueId } from '../../platform/http/v2/annotations.js';
import type {
  ImageHit,
  ProductSummary,
  ProviderProduct,
  ProviderSkuProperty,
  SearchSort,
} from '../../providers/types.js';
import { SortField } from './goods.schemas.js';

/** Money in fen, as every amount of the contract. */
export const Fen = (description: string) => Int(`${description} (fen)`, 0, Number.MAX_SAFE_INTEGER);
const Translated = (description: string) =>
  Type.String({ description: `${description}, in the requested language (the original Chinese is beside it)` });

export const SkuProperty = Type.Object({
  propId: Type.String({ description: 'Property id, e.g. 1627207 (颜色分类)' }),
  propName: Type.String({ description: 'Property name, original Chinese' }),
  propNameTrans: Translated('Property name'),
  valueId: Type.String({ description: 'Value id' }),
  valueName: Type.String({ description: 'Value, original Chinese' }),
  valueNameTrans: Translated('Value'),
});

export function toSkuProperty(p: ProviderSkuProperty, lang: Language) {
  return {
    propId: p.propId,
    propName: p.propName.zh,
    propNameTrans: p.propName[lang],
    valueId: p.valueId,
    valueName: p.valueName.zh,
    valueNameTrans: p.valueName[lang],
  };
}

export const TaobaoSku = Type.Object({
  skuId: OpaqueId('taobao-sku', Type.String({ description: 'SKU id' })),
  mpSkuId: OpaqueId(
    'taobao-mp-sku',
    Type.Union([Type.String(), Type.Null()], { description: 'Distribution SKU id, when distributable' }),
  ),
  picUrl: Type.Union([Type.String(), Type.Null()], { description: 'Picture of this SKU (its colour)' }),
  price: Fen('List price'),
  promotionPrice: Fen('Promotion price'),
  quantity: Int('Stock', 0, Number.MAX_SAFE_INTEGER),
  status: Type.String({ description: '`active`, or `inactive` without stock or when the item is delisted' }),
  properties: Type.Array(SkuProperty, { description: 'What this SKU is (colour, size...)' }),
  weight: Int('Weight, grams', 0, 10_000_000),
  length: Int('Package length, cm', 0, 100_000),
  width: Int('Package width, cm', 0, 100_000),
  height: Int('Package height, cm', 0, 100_000),
});

export const TaobaoProduct = Type.Object({
  itemId: OpaqueId('taobao-item', Int('Taobao item id', 1, Number.MAX_SAFE_INTEGER)),
  mpId: OpaqueId(
    'taobao-mp',
    Type.Union([Type.String(), Type.Null()], { description: 'Distribution product id; null when not distributable' }),
  ),
  title: Type.String({ description: 'Title, original Chinese' }),
  titleTrans: Translated('Title'),
  description: Type.String({ description: 'Description, original Chinese' }),
  descriptionTrans: Translated('Description'),
  language: Type.String({ description: 'Language of the `…Trans` fields' }),
  categoryId: Type.String({ description: 'Leaf category id' }),
  categoryName: Type.String({ description: 'Leaf category name, original Chinese' }),
  categoryNameTrans: Translated('Leaf category name'),
  categoryPath: Type.String({ description: 'Category path, original Chinese, `->` between levels' }),
  picUrls: Type.Array(Type.String(), { description: 'Pictures, the main one first' }),
  price: Fen('Lowest SKU list price'),
  promotionPrice: Fen('Lowest SKU promotion price'),
  quantity: Int('Stock over all SKUs', 0, Number.MAX_SAFE_INTEGER),
  beginAmount: Int('Minimum quantity per order', 0, 1_000_000),
  productUnit: Type.String({ description: 'Unit of sale' }),
  itemType: Type.String({ description: 'Item type (`HAVE_MATERIAL`)' }),
  status: Type.String({ description: '`active` or `delisted`' }),
  sales: Int('Units sold', 0, Number.MAX_SAFE_INTEGER),
  shipIn24h: Type.Boolean({ description: 'Ships within 24 hours of payment' }),
  shopId: Int('Shop id', 1, Number.MAX_SAFE_INTEGER),
  shopName: Type.String({ description: 'Shop name, original Chinese' }),
  shopNameTrans: Translated('Shop name'),
  userNick: Type.String({ description: 'Seller nick' }),
  noMpReason: Type.Union([Type.String(), Type.Null()], { description: 'Why the item is not distributable' }),
  skuList: Type.Array(TaobaoSku),
});

const joinPath = (p: ProviderProduct) => p.categoryPath.map((c) => c.name.zh).join('->');

export function toTaobaoProduct(p: ProviderProduct, lang: Language) {
  const leaf = p.categoryPath[p.categoryPath.length - 1];
  return {
    itemId: Number(p.productId),
    mpId: p.mpId,
    title: p.title.zh,
    titleTrans: p.title[lang],
    description: p.description.zh,
    descriptionTrans: p.description[lang],
    language: lang,
    categoryId: p.categoryId,
    categoryName: leaf?.name.zh ?? '',
    categoryNameTrans: leaf?.name[lang] ?? '',
    categoryPath: joinPath(p),
    picUrls: p.imageUrls,
    price: p.priceFen,
    promotionPrice: p.promotionPriceFen,
    quantity: p.totalStock,
    beginAmount: p.minOrderQuantity,
    productUnit: '件',
    itemType: 'HAVE_MATERIAL',
    status: p.status,
    sales: p.sales,
    shipIn24h: p.shipIn24h,
    shopId: Number(p.shop.shopId),
    shopName: p.shop.shopName.zh,
    shopNameTrans: p.shop.shopName[lang],
    userNick: p.shop.userNick,
    noMpReason: p.notDistributableReason,
    skuList: p.skus.map((s) => ({
      skuId: s.skuId,
      mpSkuId: s.mpSkuId,
      picUrl: s.imageUrl,
      price: s.priceFen,
      promotionPrice: s.promotionPriceFen,
      quantity: s.stock,
      status: s.status,
      properties: s.properties.map((x) => toSkuProperty(x, lang)),
      weight: s.weightG,
      length: s.lengthCm,
      width: s.widthCm,
      height: s.heightCm,
    })),
  };
}

/** One item of a Taobao result list. */
export const TaobaoListItem = Type.Object({
  itemId: OpaqueId('taobao-item', Int('Taobao item id', 1, Number.MAX_SAFE_INTEGER)),
  mpId: OpaqueId(
    'taobao-mp',
    Type.Union([Type.String(), Type.Null()], { description: 'Distribution product id, when distributable' }),
  ),
  title: Type.String({ description: 'Title, original Chinese' }),
  titleTrans: Translated('Title'),
  picUrl: Type.String({ description: 'Main picture' }),
  price: Fen('Lowest list price'),
  promotionPrice: Fen('Lowest promotion price'),
  sales: Int('Units sold', 0, Number.MAX_SAFE_INTEGER),
  shopId: Int('Shop id', 1, Number.MAX_SAFE_INTEGER),
  shopName: Type.String({ description: 'Shop name, original Chinese' }),
  categoryId: Type.String({ description: 'Leaf category id' }),
  shipIn24h: Type.Boolean({ description: 'Ships within 24 hours of payment' }),
});

export function toTaobaoListItem(s: ProductSummary, lang: Language) {
  return {
    itemId: Number(s.productId),
    mpId: s.mpId,
    title: s.title.zh,
    titleTrans: s.title[lang],
    picUrl: s.mainImageUrl,
    price: s.priceFen,
    promotionPrice: s.promotionPriceFen,
    sales: s.sales,
    shopId: Number(s.shopId),
    shopName: s.shopName.zh,
    categoryId: s.categoryId,
    shipIn24h: s.shipIn24h,
  };
}

/**
 * Sort keys only Taobao documents. `tk_rate_desc` ranks by affiliate commission rate, which the
 * distribution programme does not have: it ranks by relevance instead.
 */
export const TAOBAO_SORT_ALIASES = { tk_rate_desc: 'relevance' } as const satisfies Record<string, SearchSort>;

export const TaobaoSort = SortField(
  TAOBAO_SORT_ALIASES,
  'Order of the results: `relevance` (default), `price_asc` and `price_desc` (lowest list price), `sales_desc` ' +
    '(units sold). `tk_rate_desc` (commission rate, from the PandaPon documentation) is accepted and ranks by relevance',
);

/** One hit of a Taobao picture search. */
export const TaobaoImageHit = Type.Object({
  ...TaobaoListItem.properties,
  similarity: Type.Number({
    minimum: 0,
    maximum: 1,
    description: 'How closely the good’s main picture matches, 0 to 1 (1: the same picture)',
  }),
});

export function toTaobaoImageHit(hit: ImageHit, lang: Language) {
  return {
    ...toTaobaoListItem(hit, lang),
    similarity: Math.round(Math.min(1, Math.max(0, hit.similarity)) * 10_000) / 10_000,
  };
}
