import type { Language, Translations } from '../../platform/http/i18n.js';
import { EpochMs, Id, Int, type TSchema, Type } from '../../platform/http/schema.js';
import type { Localized, ProviderProduct, ProviderSku, ProviderSkuProperty } from '../../providers/types.js';

/** What both carts share: quantities, ids, SKU properties, the snapshot and the words of their problems. */

export const MAX_QUANTITY = 9999;
/** Records per sub-account and platform. */
export const MAX_CART_ITEMS = 200;

export const Fen = (description: string) => Int(`${description} (fen)`, 0, Number.MAX_SAFE_INTEGER);
export const Count = (description: string) => Int(description, 0, Number.MAX_SAFE_INTEGER);
export const Quantity = (description: string, example = 2) => Int(description, 1, MAX_QUANTITY, example);
export const Chinese = (description: string) => Type.String({ description: `${description}, original Chinese` });
export const Translated = (description: string) =>
  Type.String({ description: `${description}, in the request language (the original Chinese is beside it)` });

/** An optional field that may also be null (the contract's `string|null`). */
export const nullable = <T extends TSchema>(schema: T, description: string, example?: unknown) =>
  Type.Optional(
    Type.Union([schema, Type.Null()], { description, ...(example === undefined ? {} : { examples: [example] }) }),
  );

export const CartId = (description: string) =>
  Id(`${description}: a decimal string (a JSON number is accepted)`, '1795432287562383360');

export const CartIds = (description: string) =>
  Type.Array(CartId('A cart record id'), {
    minItems: 1,
    maxItems: MAX_CART_ITEMS,
    description: `${description}: 1 to ${MAX_CART_ITEMS} cart record ids`,
    examples: [['1795432287562383360']],
  });

export const Times = {
  createTime: EpochMs('Added to the cart at'),
  updateTime: EpochMs('Last change (quantity added or edited)'),
};

export const SkuProperty = Type.Object({
  propId: Type.String({ description: 'Property id, e.g. 1627207 (颜色分类)' }),
  propName: Chinese('Property name'),
  propNameTrans: Translated('Property name'),
  valueId: Type.String({ description: 'Value id' }),
  valueName: Chinese('Value'),
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

/**
 * What the buyer saw when adding, stored with the record (column `snapshot`): a record whose product
 * is gone is still shown with it. Today's values come from the market.
 */
export interface Snapshot {
  title: Localized;
  pic: string;
  properties: ProviderSkuProperty[];
  priceFen: number;
  promotionPriceFen: number;
  shopName: Localized;
  sellerNick: string;
  minOrderQuantity: number;
}

export function snapshotOf(product: ProviderProduct, sku: ProviderSku | undefined): Snapshot {
  return {
    title: product.title,
    pic: sku?.imageUrl || product.mainImageUrl,
    properties: sku?.properties ?? [],
    priceFen: sku?.priceFen ?? product.priceFen,
    promotionPriceFen: sku?.promotionPriceFen ?? product.promotionPriceFen,
    shopName: product.shop.shopName,
    sellerNick: product.shop.userNick,
    minOrderQuantity: product.minOrderQuantity,
  };
}

export function readSnapshot(json: string): Snapshot {
  return JSON.parse(json) as Snapshot;
}

/**
 * Why a record cannot be ordered as it is. The list and the previews give the code and its text in
 * the request language. A preview gives only the marketplace's own codes (`not_found`, `delisted`,
 * `out_of_stock`, `below_min_quantity`).
 */
export const CART_PROBLEMS = {
  not_found: {
    en: 'The product no longer exists',
    zh: '商品已不存在',
    vi: 'Sản phẩm không còn tồn tại',
    th: 'ไม่มีสินค้านี้แล้ว',
    es: 'El producto ya no existe',
  },
  not_distributable: {
    en: 'The product can no longer be distributed',
    zh: '该商品已不可分销',
    vi: 'Sản phẩm không còn được phân phối',
    th: 'สินค้านี้ไม่สามารถจัดจำหน่ายได้แล้ว',
    es: 'El producto ya no se puede distribuir',
  },
  delisted: {
    en: 'The product is delisted',
    zh: '商品已下架',
    vi: 'Sản phẩm đã ngừng bán',
    th: 'สินค้านี้ถูกนำออกจากการขายแล้ว',
    es: 'El producto está retirado de la venta',
  },
  sku_not_found: {
    en: 'This specification no longer exists',
    zh: '该规格已不存在',
    vi: 'Phân loại này không còn tồn tại',
    th: 'ไม่มีตัวเลือกสินค้านี้แล้ว',
    es: 'Esta variante ya no existe',
  },
  out_of_stock: {
    en: 'Out of stock',
    zh: '库存不足',
    vi: 'Hết hàng',
    th: 'สินค้าหมด',
    es: 'Sin existencias',
  },
  stock_below_quantity: {
    en: 'The stock is below the quantity in the cart',
    zh: '库存少于购物车中的数量',
    vi: 'Tồn kho ít hơn số lượng trong giỏ hàng',
    th: 'สินค้าคงคลังน้อยกว่าจำนวนในรถเข็น',
    es: 'Las existencias son inferiores a la cantidad del carrito',
  },
  below_min_quantity: {
    en: 'Below the minimum order quantity',
    zh: '低于起订量',
    vi: 'Dưới số lượng đặt hàng tối thiểu',
    th: 'ต่ำกว่าจำนวนสั่งซื้อขั้นต่ำ',
    es: 'Por debajo de la cantidad mínima de pedido',
  },
} as const satisfies Record<string, Translations>;

export type CartProblem = keyof typeof CART_PROBLEMS;
export const CART_PROBLEM_CODES = Object.keys(CART_PROBLEMS) as CartProblem[];

export const ProblemCode = (description: string) =>
  Type.Union([Type.Enum(CART_PROBLEM_CODES), Type.Null()], {
    description: `${description}: ${CART_PROBLEM_CODES.map((c) => `\`${c}\``).join(', ')}; null when none`,
  });
export const ProblemText = Type.Union([Type.String(), Type.Null()], {
  description: 'The problem in words, in the request language; null when none',
});

export function problemText(problem: CartProblem | null, lang: Language): string | null {
  return problem ? CART_PROBLEMS[problem][lang] : null;
}

/**
 * What keeps a record of `quantity` units from being ordered today, or null. `mpRequired`: Taobao
 * records are bought through the distribution programme, so a product that left it is one problem more.
 */
export function cartProblem(
  product: ProviderProduct | undefined,
  sku: ProviderSku | undefined,
  hasSku: boolean,
  quantity: number,
  mpRequired: boolean,
): CartProblem | null {
  if (!product) return 'not_found';
  if (product.status !== 'active') return 'delisted';
  if (mpRequired && product.mpId === null) return 'not_distributable';
  if (hasSku && (!sku || (mpRequired && sku.mpSkuId === null))) return 'sku_not_found';
  const stock = sku ? sku.stock : product.totalStock;
  if (stock <= 0) return 'out_of_stock';
  if (stock < quantity) return 'stock_below_quantity';
  if (quantity < product.minOrderQuantity) return 'below_min_quantity';
  return null;
}
