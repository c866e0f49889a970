import type { OperationData, PonteClient } from '@ponte/sdk';
import type { Language } from '../../i18n/index';
import { type GoodsSearch, PAGE_SIZE, type Platform, yuanText, yuanToFen } from './search';

/**
 * Taobao and 1688 answer in shapes of their own; the pages show both through these. Prices are fen, as the API
 * gives them.
 */
export interface GoodsHit {
  platform: Platform;
  id: string;
  title: string;
  titleTrans: string;
  picture: string;
  /** What an order pays: Taobao's promotion price, 1688's lowest wholesale price. */
  price: number;
  /** Taobao's list price when it is above the promotion price. */
  listPrice: number | null;
  sales: number;
  /** Taobao's shop name (Chinese); 1688's search gives none. */
  shop: string | null;
  minOrder: number | null;
  fast: boolean;
  strict: boolean;
  /** 0 to 1 for a picture search. */
  similarity: number | null;
}

export interface HitsPage {
  hits: GoodsHit[];
  total: number;
  pageNo: number;
  pageSize: number;
}

/** The picture of a picture search: its bytes (a `data:` URL) or its address. */
export type SearchPicture = { dataUrl: string } | { address: string };

type TaobaoHit = OperationData<'taobaoSearch'>['list'][number] & { similarity?: number };
type AlibabaHit = OperationData<'alibabaKeywordQuery'>['data'][number] & { similarity?: number };

function taobaoHit(h: TaobaoHit): GoodsHit {
  return {
    platform: 'taobao',
    id: String(h.itemId),
    title: h.title,
    titleTrans: h.titleTrans,
    picture: h.picUrl,
    price: h.promotionPrice,
    listPrice: h.price > h.promotionPrice ? h.price : null,
    sales: h.sales,
    shop: h.shopName,
    minOrder: null,
    fast: h.shipIn24h,
    strict: false,
    similarity: h.similarity ?? null,
  };
}

function alibabaHit(h: AlibabaHit): GoodsHit {
  return {
    platform: '1688',
    id: String(h.offerId),
    title: h.subject,
    titleTrans: h.subjectTrans,
    picture: h.imageUrl,
    price: h.priceInfo.price,
    listPrice: null,
    sales: h.monthSold,
    shop: null,
    minOrder: h.minOrderQuantity,
    fast: h.shipInToday,
    strict: h.strictSelection,
    similarity: h.similarity ?? null,
  };
}

const ALIBABA_SORT = {
  relevance: undefined,
  price_asc: '{"price":"asc"}',
  price_desc: '{"price":"desc"}',
  sales_desc: '{"sales":"desc"}',
} as const;

/** The 1688 filters, shared by its keyword and picture searches. */
function alibabaFilters(s: GoodsSearch) {
  return {
    beginPage: s.page,
    pageSize: PAGE_SIZE,
    ...(ALIBABA_SORT[s.sort] ? { sort: ALIBABA_SORT[s.sort] } : {}),
    ...(s.min !== null ? { priceStart: yuanText(s.min) } : {}),
    ...(s.max !== null ? { priceEnd: yuanText(s.max) } : {}),
    ...(s.cat ? { categoryId: s.cat } : {}),
    ...(s.fast ? { filter: 'shipInToday' } : {}),
  };
}

/** One page of a keyword search, or of a picture search when `picture` is given. */
export async function searchGoods(
  client: PonteClient,
  s: GoodsSearch,
  language: Language,
  picture: SearchPicture | null,
  signal?: AbortSignal,
): Promise<HitsPage> {
  const image = picture
    ? 'dataUrl' in picture
      ? { imageBase64: picture.dataUrl }
      : { imageAddress: picture.address }
    : null;
  if (s.platform === 'taobao') {
    const page = image
      ? await client.taobao.imageSearch({ ...image, pageNo: s.page, pageSize: PAGE_SIZE, language }, { signal })
      : await client.taobao.search(
          {
            pageNo: s.page,
            pageSize: PAGE_SIZE,
            language,
            ...(s.q ? { keyword: s.q } : {}),
            ...(s.sort !== 'relevance' ? { sort: s.sort } : {}),
            ...(s.min !== null ? { priceStart: yuanToFen(s.min) } : {}),
            ...(s.max !== null ? { priceEnd: yuanToFen(s.max) } : {}),
            ...(s.cat ? { categoryId: s.cat } : {}),
            ...(s.fast ? { shipIn24h: true } : {}),
          },
          { signal },
        );
    return { hits: page.list.map(taobaoHit), total: page.total, pageNo: page.pageNo, pageSize: page.pageSize };
  }
  const filters = alibabaFilters(s);
  const page = image
    ? await client.alibaba.imageSearch({ ...image, ...filters, country: language }, { signal })
    : await client.alibaba.search({ ...filters, country: language, ...(s.q ? { keyword: s.q } : {}) }, { signal });
  return {
    hits: page.data.map(alibabaHit),
    total: page.totalRecords,
    pageNo: page.currentPage,
    pageSize: page.pageSize,
  };
}

export interface ProductValue {
  id: string;
  name: string;
  nameTrans: string;
  picture: string | null;
}

export interface ProductProperty {
  id: string;
  name: string;
  nameTrans: string;
  values: ProductValue[];
}

export interface ProductSku {
  id: string;
  /** What the cart takes for this SKU (Taobao's `mpSkuId`, 1688's `specId`); null when it cannot be ordered. */
  cartId: string | null;
  price: number;
  listPrice: number | null;
  stock: number;
  active: boolean;
  picture: string | null;
  /** Property id → value id. */
  values: Record<string, string>;
}

export interface ProductView {
  platform: Platform;
  id: string;
  title: string;
  titleTrans: string;
  pictures: string[];
  properties: ProductProperty[];
  skus: ProductSku[];
  /** Lowest and highest price an order pays over the SKUs. */
  price: { min: number; max: number };
  listPrice: { min: number; max: number } | null;
  stock: number;
  sales: number | null;
  minQuantity: number;
  step: number;
  unit: string;
  unitTrans: string;
  delisted: boolean;
  /** Taobao's distribution id, what its cart takes; null on 1688 and for an item that is not distributable. */
  mpId: string | null;
  /** Taobao: the item cannot be bought through the API (not distributable), with the reason when given. */
  notDistributable: { reason: string | null } | null;
  fast: boolean;
  strict: boolean | null;
  category: { id: string; name: string; nameTrans: string };
  seller:
    | { platform: 'taobao'; shopId: string; shopName: string; shopNameTrans: string; nick: string }
    | {
        platform: '1688';
        openId: string | null;
        company: string;
        companyTrans: string;
        from: string;
        fromTrans: string;
      };
  description: { text: string[]; textTrans: string[]; pictures: string[] };
  attributes: { name: string; nameTrans: string; value: string; valueTrans: string }[];
  tiers: { from: number; price: number }[];
  /** The SKU prices fall with the quantity tiers (1688 `quoteType` 2). */
  tiered: boolean;
}

const range = (values: number[]) =>
  values.length ? { min: Math.min(...values), max: Math.max(...values) } : { min: 0, max: 0 };

function taobaoProduct(p: OperationData<'taobaoGetProduct'>): ProductView {
  const properties = new Map<string, ProductProperty>();
  for (const sku of p.skuList) {
    for (const prop of sku.properties) {
      let property = properties.get(prop.propId);
      if (!property) {
        property = { id: prop.propId, name: prop.propName, nameTrans: prop.propNameTrans, values: [] };
        properties.set(prop.propId, property);
      }
      if (!property.values.some((v) => v.id === prop.valueId)) {
        property.values.push({
          id: prop.valueId,
          name: prop.valueName,
          nameTrans: prop.valueNameTrans,
          picture: prop.propId === sku.properties[0]?.propId ? sku.picUrl : null,
        });
      }
    }
  }
  const skus: ProductSku[] = p.skuList.map((s) => ({
    id: s.skuId,
    cartId: p.mpId ? s.mpSkuId : null,
    price: s.promotionPrice,
    listPrice: s.price > s.promotionPrice ? s.price : null,
    stock: s.quantity,
    active: s.status === 'active',
    picture: s.picUrl,
    values: Object.fromEntries(s.properties.map((x) => [x.propId, x.valueId])),
  }));
  const listed = p.skuList.some((s) => s.price > s.promotionPrice);
  return {
    platform: 'taobao',
    id: String(p.itemId),
    title: p.title,
    titleTrans: p.titleTrans,
    pictures: p.picUrls,
    properties: [...properties.values()],
    skus,
    price: skus.length ? range(skus.map((s) => s.price)) : { min: p.promotionPrice, max: p.promotionPrice },
    listPrice: listed ? range(p.skuList.map((s) => s.price)) : null,
    stock: p.quantity,
    sales: p.sales,
    minQuantity: Math.max(1, p.beginAmount),
    step: 1,
    unit: p.productUnit,
    unitTrans: '',
    delisted: p.status === 'delisted',
    mpId: p.mpId,
    notDistributable: p.mpId ? null : { reason: p.noMpReason },
    fast: p.shipIn24h,
    strict: null,
    category: { id: p.categoryId, name: p.categoryName, nameTrans: p.categoryNameTrans },
    seller: {
      platform: 'taobao',
      shopId: String(p.shopId),
      shopName: p.shopName,
      shopNameTrans: p.shopNameTrans,
      nick: p.userNick,
    },
    description: { text: paragraphs(p.description), textTrans: paragraphs(p.descriptionTrans), pictures: [] },
    attributes: [],
    tiers: [],
    tiered: false,
  };
}

function alibabaProduct(p: OperationData<'alibabaProductDetail'>): ProductView {
  const properties = new Map<string, ProductProperty>();
  for (const sku of p.productSkuInfos) {
    for (const attr of sku.skuAttributes) {
      let property = properties.get(attr.attributeId);
      if (!property) {
        property = { id: attr.attributeId, name: attr.attributeName, nameTrans: attr.attributeNameTrans, values: [] };
        properties.set(attr.attributeId, property);
      }
      // 1688 names a value by its text: the Chinese value is its id.
      if (!property.values.some((v) => v.id === attr.value)) {
        property.values.push({
          id: attr.value,
          name: attr.value,
          nameTrans: attr.valueTrans,
          picture: attr.skuImageUrl,
        });
      }
    }
  }
  const skus: ProductSku[] = p.productSkuInfos.map((s) => ({
    id: s.specId,
    cartId: s.specId,
    price: s.price,
    listPrice: null,
    stock: s.amountOnSale,
    active: s.amountOnSale > 0,
    picture: s.skuAttributes.find((a) => a.skuImageUrl)?.skuImageUrl ?? null,
    values: Object.fromEntries(s.skuAttributes.map((a) => [a.attributeId, a.value])),
  }));
  const tiers = p.productSaleInfo.priceRangeList.map((t) => ({ from: t.startQuantity, price: t.price }));
  const description = readHtml(p.description);
  const descriptionTrans = readHtml(p.descriptionTrans);
  return {
    platform: '1688',
    id: String(p.offerId),
    title: p.subject,
    titleTrans: p.subjectTrans,
    pictures: p.productImage.images,
    properties: [...properties.values()],
    skus,
    price: skus.length ? range(skus.map((s) => s.price)) : range(tiers.map((t) => t.price)),
    listPrice: null,
    stock: p.productSaleInfo.amountOnSale,
    sales: null,
    minQuantity: p.minOrderQuantity,
    step: p.batchNumber,
    unit: p.productSaleInfo.unitInfo.unit,
    unitTrans: p.productSaleInfo.unitInfo.transUnit,
    delisted: p.status === 'delisted',
    mpId: null,
    notDistributable: null,
    fast: p.productShippingInfo.shipIn24h,
    strict: p.strictSelection,
    category: { id: String(p.categoryId), name: p.categoryName, nameTrans: p.categoryNameTrans },
    seller: {
      platform: '1688',
      openId: p.sellerOpenId,
      company: p.companyName,
      companyTrans: p.companyNameTrans,
      from: p.productShippingInfo.sendGoodsAddressText,
      fromTrans: p.productShippingInfo.sendGoodsAddressTextTrans,
    },
    description: {
      text: description.text,
      textTrans: descriptionTrans.text,
      pictures: descriptionTrans.pictures.length ? descriptionTrans.pictures : description.pictures,
    },
    attributes: p.productAttribute.map((a) => ({
      name: a.attributeName,
      nameTrans: a.attributeNameTrans,
      value: a.value,
      valueTrans: a.valueTrans,
    })),
    tiers,
    tiered: p.productSaleInfo.quoteType === 2 && tiers.length > 1,
  };
}

const paragraphs = (text: string): string[] =>
  text
    .split(/\n+/)
    .map((s) => s.trim())
    .filter(Boolean);

/**
 * The text and pictures of a description page given as HTML. It is parsed into an inert document (nothing in it
 * runs or loads) and only its words and its pictures' http(s) addresses are kept: the page never renders its HTML.
 */
export function readHtml(html: string): { text: string[]; pictures: string[] } {
  if (!html.trim()) return { text: [], pictures: [] };
  const doc = new DOMParser().parseFromString(html, 'text/html');
  const pictures = [...doc.querySelectorAll('img')]
    .map((img) => img.getAttribute('src')?.trim() ?? '')
    .filter((src) => /^https?:\/\//i.test(src));
  const blocks = [...doc.body.querySelectorAll('p, li, h1, h2, h3, h4, h5, h6, td')]
    .filter((el) => !el.querySelector('p, li, td'))
    .map((el) => el.textContent?.replace(/\s+/g, ' ').trim() ?? '')
    .filter(Boolean);
  const text = blocks.length ? blocks : paragraphs(doc.body.textContent ?? '');
  return { text, pictures: [...new Set(pictures)] };
}

/** A product's page data: Taobao's item or 1688's offer, in the console's language. */
export async function loadProduct(
  client: PonteClient,
  platform: Platform,
  id: string,
  language: Language,
  signal?: AbortSignal,
): Promise<ProductView> {
  if (platform === 'taobao') return taobaoProduct(await client.taobao.get(id, language, { signal }));
  return alibabaProduct(await client.alibaba.detail({ offerId: id, country: language }, { signal }));
}

/** Adds units of a SKU to the acting sub-account's cart of the product's marketplace. */
export async function addToCart(
  client: PonteClient,
  product: ProductView,
  sku: ProductSku | null,
  quantity: number,
  language: Language,
) {
  if (product.platform === 'taobao') {
    // The page offers the button only for a distributable SKU; this guards the types.
    if (!product.mpId || !sku?.cartId) throw new Error('not a distributable SKU');
    return client.taobao.cart.add({ mpId: product.mpId, mpSkuId: sku.cartId, quantity, language });
  }
  return client.alibaba.cart.add({
    offerId: product.id,
    ...(sku?.cartId ? { specId: sku.cartId } : {}),
    quantity,
    country: language,
  });
}
