import type { Language } from '../../platform/http/i18n.js';
import { Int, LanguageField, Text, Type } from '../../platform/http/schema.js';
import { OpaqueId, V2Name } from '../../platform/http/v2/annotations.js';
import type { ProviderProduct, ProviderSku } from '../../providers/types.js';
import type { CartRow } from './carts.repo.js';
import {
  CartId,
  Chinese,
  Count,
  cartProblem,
  Fen,
  ProblemCode,
  ProblemText,
  problemText,
  Quantity,
  readSnapshot,
  SkuProperty,
  Times,
  Translated,
  toSkuProperty,
} from './carts.schemas.js';

/** The 1688 cart's requests and answers, in 1688's words (`offerId`, `specId`, `cartIds`, `enableList`). */

/** 1688's `country`: the language of the translated fields. */
export const CountryField = Type.Optional(
  Type.Enum(['en', 'zh', 'vi', 'th', 'es'], {
    description:
      'Language of the translated (`…Trans`) fields and of `msg` (1688 names it `country`); `language` wins ' +
      'when both are given. Default: `Accept-Language`, then `en`',
    examples: ['en'],
  }),
);

export const OfferId = Type.String({
  pattern: '^[0-9]{1,20}$',
  description: '1688 offer id (an integer, or its digits in a string)',
  examples: ['706627393257'],
});

export const AlibabaCartAddInput = Type.Object(
  {
    offerId: OpaqueId('alibaba-offer', OfferId),
    specId: Type.Optional(
      OpaqueId(
        'alibaba-spec',
        Type.Union([Text('Specification id', 64, '5000000000000001', 1), Type.Null()], {
          description:
            'The specification (SKU) to add, its `specId` from the goods details; required when the offer has ' +
            'specifications',
          examples: ['5000000000000001'],
        }),
      ),
    ),
    quantity: Type.Optional(
      Quantity(
        'Units to add (1 to 9999, default 1); added to the quantity of the specification’s record when the cart ' +
          'has one. The offer’s minimum order quantity is not required here: the list and the preview report it',
        10,
      ),
    ),
    country: CountryField,
    language: LanguageField,
  },
  { additionalProperties: false },
);

export const CartItemInfo = Type.Object(
  {
    id: CartId('Cart id, what `cartIds` take'),
    // `AlibabaCartV2VO` names the offer `offerMapId`.
    offerId: V2Name('offerMapId', OpaqueId('alibaba-offer', Int('1688 offer id', 1, Number.MAX_SAFE_INTEGER))),
    specId: OpaqueId(
      'alibaba-spec',
      Type.Union([Type.String(), Type.Null()], { description: 'Specification id; null when the offer has none' }),
    ),
    skuId: OpaqueId(
      'alibaba-sku',
      Type.Union([Int('SKU id', 1, Number.MAX_SAFE_INTEGER), Type.Null()], {
        description: 'SKU id (the digits of `specId`); null when the offer has no specifications',
      }),
    ),
    itemTitle: Chinese('Title'),
    itemTitleTrans: Translated('Title'),
    itemPic: Type.String({ description: 'Picture of the specification (its colour)' }),
    price: Fen('Today’s price of one unit at the quantity tier the record’s quantity reaches'),
    quantity: Quantity('Units in the cart'),
    amountOnSale: Count('Today’s stock of the specification (0 when the offer or specification is gone)'),
    properties: Type.Array(SkuProperty, { description: 'What the specification is (colour, size...)' }),
    minOrderQuantity: Int('Fewest units one order of the offer may take', 1, 1_000_000),
    reason: ProblemCode('Why the record cannot be ordered as it is (items of `disableList` only)'),
    reasonText: ProblemText,
    ...Times,
  },
  { description: 'A 1688 cart item with today’s values from the market' },
);

const Seller = {
  sellerOpenId: Type.Union([Type.String(), Type.Null()], { description: 'The supplier’s open id' }),
  sellerNickName: Type.String({ description: 'The supplier’s Wangwang nickname' }),
};

export const AlibabaCartItem = Type.Object(
  { ...CartItemInfo.properties, ...Seller },
  { description: 'A 1688 cart item and its supplier' },
);

const CartShopItem = Type.Object(
  { ...Seller, cartItemInfos: Type.Array(CartItemInfo, { description: 'The supplier’s items, newest first' }) },
  { description: 'One supplier’s items (`CartShopItem`)' },
);

export const AlibabaCartList = Type.Object({
  enableList: Type.Array(CartShopItem, {
    description: 'Items that can be ordered, by supplier (the supplier of the newest item first)',
  }),
  disableList: Type.Array(CartShopItem, {
    description:
      'Items that cannot be ordered as they are, by supplier, each with its `reason`: `not_found`, `delisted`, ' +
      '`sku_not_found`, `out_of_stock`, `stock_below_quantity`, `below_min_quantity`',
  }),
});

/**
 * The unit price at the quantity tier `quantity` reaches: 1688's tiers are the offer's, and every
 * specification's price falls in their proportion, to the jiao (10 fen), as the market charges it.
 */
export function tierUnitPrice(product: ProviderProduct, sku: ProviderSku | undefined, quantity: number): number {
  const base = sku?.priceFen ?? product.priceFen;
  const first = product.tierPrices[0];
  if (!first || first.priceFen <= 0) return base;
  let tier = first;
  for (const t of product.tierPrices) if (quantity >= t.minQuantity) tier = t;
  return Math.max(10, Math.round((base * tier.priceFen) / first.priceFen / 10) * 10);
}

/** The cart item with today's offer, or with what it showed when added if the offer is gone. */
export function toAlibabaCartItem(row: CartRow, product: ProviderProduct | undefined, lang: Language) {
  const sku = product?.skus.find((s) => s.skuId === row.sku_id);
  const problem = cartProblem(product, sku, row.sku_id !== '', row.quantity, false);
  const snap = readSnapshot(row.snapshot);
  const title = product?.title ?? snap.title;
  return {
    id: row.id,
    offerId: Number(row.product_id),
    specId: row.sku_id === '' ? null : row.sku_id,
    skuId: row.sku_id === '' ? null : Number(row.sku_id),
    itemTitle: title.zh,
    itemTitleTrans: title[lang],
    itemPic: sku?.imageUrl || (product?.mainImageUrl ?? snap.pic),
    price: product ? tierUnitPrice(product, sku, row.quantity) : snap.priceFen,
    quantity: row.quantity,
    amountOnSale: product?.status === 'active' ? (sku?.stock ?? (row.sku_id ? 0 : product.totalStock)) : 0,
    properties: (sku?.properties ?? snap.properties).map((p) => toSkuProperty(p, lang)),
    minOrderQuantity: product?.minOrderQuantity ?? snap.minOrderQuantity,
    reason: problem,
    reasonText: problemText(problem, lang),
    createTime: row.created_at,
    updateTime: row.updated_at,
    sellerOpenId: row.seller_open_id,
    sellerNickName: product?.shop.userNick ?? snap.sellerNick,
  };
}
