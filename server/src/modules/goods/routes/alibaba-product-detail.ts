import { notFound } from '../../../platform/http/errors.js';
import type { Language } from '../../../platform/http/i18n.js';
import { defineRoute } from '../../../platform/http/route.js';
import { Int, type Static, Type } from '../../../platform/http/schema.js';
import { OpaqueId } from '../../../platform/http/v2/annotations.js';
import type { Localized, ProviderProduct, ProviderSku } from '../../../providers/types.js';
import { answerLanguage, CountryField, OfferId, SearchFields } from '../alibaba.schemas.js';
import { cachedProduct } from '../goods.cache.js';

const Fen = (description: string) => Int(`${description} (fen)`, 0, Number.MAX_SAFE_INTEGER);
const Count = (description: string) => Int(description, 0, Number.MAX_SAFE_INTEGER);
const Chinese = (description: string) => Type.String({ description: `${description}, original Chinese` });
const Trans = (description: string) => Type.String({ description: `${description}, in the requested language` });

const SkuAttribute = Type.Object({
  attributeId: Type.String({ description: 'Attribute id (1627207: colour)' }),
  attributeName: Chinese('Attribute name'),
  attributeNameTrans: Trans('Attribute name'),
  value: Chinese('Value'),
  valueTrans: Trans('Value'),
  skuImageUrl: Type.Union([Type.String(), Type.Null()], {
    description: 'Picture of this value (on the first attribute, usually the colour); null on the others',
  }),
});

const SkuInfo = Type.Object({
  skuId: OpaqueId('alibaba-sku', Int('SKU id', 1, Number.MAX_SAFE_INTEGER)),
  specId: OpaqueId(
    'alibaba-spec',
    Type.String({ description: 'Specification id: what orders and carts take as `specId`' }),
  ),
  price: Fen('Price of one unit at the first quantity tier'),
  amountOnSale: Count('Stock'),
  skuAttributes: Type.Array(SkuAttribute, { description: 'What this SKU is (colour, size...)' }),
  weight: Count('Weight of one unit, grams'),
  length: Count('Package length, cm'),
  width: Count('Package width, cm'),
  height: Count('Package height, cm'),
});

const AlibabaProduct = Type.Object({
  offerId: OpaqueId('alibaba-offer', Int('1688 offer id', 1, Number.MAX_SAFE_INTEGER)),
  categoryId: Int('Leaf category id', 0, Number.MAX_SAFE_INTEGER),
  categoryName: Chinese('Leaf category name'),
  categoryNameTrans: Trans('Leaf category name'),
  subject: Chinese('Title'),
  subjectTrans: Trans('Title'),
  description: Type.String({ description: 'Description page (HTML): the text in Chinese and the pictures' }),
  descriptionTrans: Type.String({ description: 'The description page (HTML) in the requested language' }),
  productImage: Type.Object(
    { images: Type.Array(Type.String(), { description: 'Picture URLs, the main one first' }) },
    { description: 'Pictures' },
  ),
  productAttribute: Type.Array(
    Type.Object({
      attributeId: Type.String({ description: 'Attribute id' }),
      attributeName: Chinese('Attribute name'),
      value: Chinese('Value'),
      attributeNameTrans: Trans('Attribute name'),
      valueTrans: Trans('Value'),
    }),
    { description: 'Attributes of the good (material, style...)' },
  ),
  productSkuInfos: Type.Array(SkuInfo, { description: 'The specifications one can order' }),
  productSaleInfo: Type.Object(
    {
      amountOnSale: Count('Stock over all specifications'),
      priceRangeList: Type.Array(
        Type.Object({
          startQuantity: Int('From this many units in one order', 1, Number.MAX_SAFE_INTEGER),
          price: Fen('Unit price from this quantity on; each specification’s own price falls in the same proportion'),
        }),
        {
          description: 'Quantity tiers: the more units one order takes, the lower the unit price',
        },
      ),
      quoteType: Int('1: each specification has its own price; 2: and prices fall by quantity tier', 0, 2),
      unitInfo: Type.Object(
        { unit: Chinese('Unit of sale'), transUnit: Trans('Unit of sale') },
        { description: 'Unit of sale' },
      ),
    },
    { description: 'Stock and prices' },
  ),
  productShippingInfo: Type.Object(
    {
      sendGoodsAddressText: Chinese('Where the goods ship from (province and city)'),
      sendGoodsAddressTextTrans: Trans('Where the goods ship from'),
      weight: Count('Weight of one unit of the heaviest specification, grams'),
      shipIn24h: Type.Boolean({ description: 'Ships within 24 hours of payment' }),
    },
    { description: 'Shipping' },
  ),
  minOrderQuantity: Int('Fewest units one order may take', 1, 1_000_000),
  batchNumber: Int('Units are ordered in multiples of this from `minOrderQuantity` (1: any quantity)', 1, 1_000_000),
  sellerOpenId: Type.Union([Type.String(), Type.Null()], { description: 'The supplier’s open id' }),
  companyName: Chinese('The supplier’s company'),
  companyNameTrans: Trans('The supplier’s company'),
  status: Type.Union([Type.Literal('published'), Type.Literal('delisted')], {
    description: '`published`, or `delisted` when the supplier took the good off sale',
  }),
  strictSelection: Type.Boolean({ description: '1688 strict selection (严选): quality-checked supplier goods' }),
});

const UNIT: Localized = { zh: '件', en: 'piece', vi: 'cái', th: 'ชิ้น', es: 'pieza' };

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The description page: the text, then the pictures after the main one, as 1688 serves it. */
function descriptionHtml(text: string, images: string[]): string {
  const pictures = images
    .slice(1)
    .map((url) => `<p><img src="${escapeHtml(url)}"/></p>`)
    .join('');
  return `<div class="detail"><p>${escapeHtml(text)}</p>${pictures}</div>`;
}

/** A stable numeric id for an attribute name (FNV-1a), since the catalog names attributes only. */
function attributeId(name: string): string {
  let h = 0x811c9dc5;
  for (const c of name) h = Math.imul(h ^ (c.codePointAt(0) ?? 0), 0x01000193);
  return String(h >>> 0);
}

function toSkuInfo(s: ProviderSku, lang: Language): Static<typeof SkuInfo> {
  return {
    skuId: Number(s.skuId),
    specId: s.skuId,
    price: s.priceFen,
    amountOnSale: s.stock,
    skuAttributes: s.properties.map((p, i) => ({
      attributeId: p.propId,
      attributeName: p.propName.zh,
      attributeNameTrans: p.propName[lang],
      value: p.valueName.zh,
      valueTrans: p.valueName[lang],
      skuImageUrl: i === 0 ? s.imageUrl : null,
    })),
    weight: s.weightG,
    length: s.lengthCm,
    width: s.widthCm,
    height: s.heightCm,
  };
}

function toAlibabaProduct(p: ProviderProduct, lang: Language): Static<typeof AlibabaProduct> {
  const leaf = p.categoryPath[p.categoryPath.length - 1];
  const from = (l: Language) =>
    [p.shop.province?.[l], p.shop.city?.[l]].filter(Boolean).join(l === 'zh' || l === 'th' ? '' : ' ');
  return {
    offerId: Number(p.productId),
    categoryId: Number(p.categoryId),
    categoryName: leaf?.name.zh ?? '',
    categoryNameTrans: leaf?.name[lang] ?? '',
    subject: p.title.zh,
    subjectTrans: p.title[lang],
    description: descriptionHtml(p.description.zh, p.imageUrls),
    descriptionTrans: descriptionHtml(p.description[lang], p.imageUrls),
    productImage: { images: p.imageUrls },
    productAttribute: p.attributes.map((a) => ({
      attributeId: attributeId(a.name.zh),
      attributeName: a.name.zh,
      value: a.value.zh,
      attributeNameTrans: a.name[lang],
      valueTrans: a.value[lang],
    })),
    productSkuInfos: p.skus.map((s) => toSkuInfo(s, lang)),
    productSaleInfo: {
      amountOnSale: p.totalStock,
      priceRangeList: p.tierPrices.map((t) => ({ startQuantity: t.minQuantity, price: t.priceFen })),
      quoteType: p.tierPrices.length > 0 ? 2 : 1,
      unitInfo: { unit: UNIT.zh, transUnit: UNIT[lang] },
    },
    productShippingInfo: {
      sendGoodsAddressText: from('zh'),
      sendGoodsAddressTextTrans: from(lang),
      weight: Math.max(0, ...p.skus.map((s) => s.weightG)),
      shipIn24h: p.shipIn24h,
    },
    minOrderQuantity: p.minOrderQuantity,
    batchNumber: 1,
    sellerOpenId: p.shop.sellerOpenId,
    companyName: p.shop.companyName?.zh ?? p.shop.shopName.zh,
    companyNameTrans: p.shop.companyName?.[lang] ?? p.shop.shopName[lang],
    status: p.status === 'active' ? 'published' : 'delisted',
    strictSelection: p.strictSelection,
  };
}

export default defineRoute({
  method: 'POST',
  url: '/alibaba/product/detail/get',
  operationId: 'alibabaProductDetail',
  summary: 'Query 1688 goods details by offer id',
  description:
    'The good with its specifications (SKUs), pictures, attributes, quantity price tiers, stock and supplier. ' +
    'Texts are in Chinese with the `…Trans` fields in `country` (a language); prices are in fen, weights in ' +
    'grams. Order a specification with its `specId`. A good taken off sale answers with `status` `delisted`. ' +
    'Details are cached for `GOODS_CACHE_SECONDS`; a change of the good upstream drops the cached copy.',
  tags: ['1688 goods'],
  auth: 'signed',
  errors: [40401, 50201, 50401],
  body: Type.Object(
    {
      offerId: OfferId('1688 offer id'),
      country: CountryField,
      outMemberId: SearchFields.outMemberId,
    },
    { additionalProperties: false },
  ),
  data: AlibabaProduct,
  handler: async ({ deps, body, lang }) => {
    const product = await cachedProduct(deps, '1688', body.offerId);
    if (!product) throw notFound('offer', body.offerId);
    return toAlibabaProduct(product, answerLanguage(body, lang));
  },
});
