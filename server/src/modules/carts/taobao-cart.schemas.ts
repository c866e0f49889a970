import type { Language } from '../../platform/http/i18n.js';
import { Int, LanguageField, type Static, Text, type TSchema, Type } from '../../platform/http/schema.js';
import { OpaqueId, V2Extra, V2Name } from '../../platform/http/v2/annotations.js';
import type { ProviderProduct, ShippingAddress } from '../../providers/types.js';
import type { CartRow } from './carts.repo.js';
import {
  CartId,
  CartIds,
  type CartProblem,
  Chinese,
  Count,
  cartProblem,
  Fen,
  nullable,
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

/** The Taobao cart's requests and answers, named as the add request (T30) names its fields. */

const Digits = Type.String({ pattern: '^[0-9]{1,20}$' });
const Ignored = ' (the client’s copy: ignored, Ponte reads it from the market)';
const Informational = ' (informational: Ponte prices the record from the market)';

/** `nullable` whose own schema (inside the optional) carries v2 marks. */
const markedNullable = <T extends TSchema>(
  mark: (s: TSchema) => TSchema,
  schema: T,
  description: string,
  example: unknown,
) => Type.Optional(mark(Type.Union([schema, Type.Null()], { description, examples: [example] })));

/** What PandaPon's v2 page adds to the request; checked, then left out of what the cart reads. */
const V2_ADD_EXTRA = {
  aliShopId: Type.Union([Text('Shop id', 64), Type.Null()], {
    description: `The seller’s shop id${Informational}`,
    examples: ['42'],
  }),
  priceRanges: Type.Union(
    [
      Type.Array(
        Type.Object({
          startQuantity: Int('Fewest units this price applies to', 0, 1_000_000, 1),
          price: Type.Number({ minimum: 0, description: 'Unit price from that quantity on' }),
        }),
        { maxItems: 50 },
      ),
      Type.Null(),
    ],
    {
      description: `Quantity price tiers the client saw${Informational}`,
      examples: [[{ startQuantity: 1, price: 576 }]],
    },
  ),
  quoteType: Type.Union([Int('Quote type', 0, 100), Type.Null()], {
    description: `How the client’s copy quotes prices${Informational}`,
    examples: [1],
  }),
};

const AddFields = Type.Object(
  {
    mpId: OpaqueId(
      'taobao-mp',
      Text('Distribution product id, as the goods endpoints give it', 64, '2041000000000001', 1),
    ),
    mpSkuId: OpaqueId('taobao-mp-sku', Text('Distribution SKU id of the SKU to add', 64, '4000500000000000', 1)),
    quantity: Type.Optional(
      Quantity(
        'Units to add (1 to 9999, default 1); added to the quantity of the SKU’s record when the cart has one',
        71,
      ),
    ),
    language: LanguageField,
    userId: nullable(Text('Platform user id', 64), 'Platform user id; ignored: the cart is the `user-id` header’s'),
    platform: nullable(Int('Platform code', 0, 100), `Platform code${Ignored}`, 1),
    // `itemMapId` on PandaPon's v2 page.
    itemId: markedNullable(
      (s) => V2Name('itemMapId', OpaqueId('taobao-item', s)),
      Digits,
      `Taobao item id${Ignored}`,
      '2048175493257375',
    ),
    skuId: markedNullable((s) => OpaqueId('taobao-sku', s), Text('SKU id', 64), `SKU id${Ignored}`, '85'),
    itemTitle: nullable(Text('Title', 1000), `Title${Ignored}`),
    itemPic: nullable(Text('Picture URL', 2048), `Picture${Ignored}`),
    price: nullable(Fen('Price'), `Price, fen${Ignored}`, 689),
    promotionPrice: nullable(Fen('Promotion price'), `Promotion price, fen${Ignored}`, 576),
    properties: nullable(
      Type.Union([Type.String({ maxLength: 10_000 }), Type.Array(Type.Object({}), { maxItems: 50 })]),
      `SKU properties, a JSON string${Ignored}`,
    ),
    shopId: nullable(Digits, `Shop id${Ignored}`, '42'),
    shopName: nullable(Text('Shop name', 256), `Shop name${Ignored}`),
    skuQuantity: nullable(Text('Stock', 20), `Stock of the SKU${Ignored}`, '94'),
    userNick: nullable(Text('User nick', 128), 'User nick; ignored'),
  },
  { additionalProperties: false },
);

export const TaobaoCartAddInput = V2Extra(V2_ADD_EXTRA, AddFields);

/** The goods ids of a record or preview line (opaque on v2). */
const goodsIds = (skuDescription: string) => ({
  itemId: OpaqueId('taobao-item', Int('Taobao item id', 1, Number.MAX_SAFE_INTEGER)),
  skuId: OpaqueId('taobao-sku', Type.String({ description: skuDescription })),
  mpId: OpaqueId('taobao-mp', Type.Union([Type.String(), Type.Null()], { description: 'Distribution product id' })),
  mpSkuId: OpaqueId('taobao-mp-sku', Type.Union([Type.String(), Type.Null()], { description: 'Distribution SKU id' })),
});

export const TaobaoCartItem = Type.Object(
  {
    id: CartId('Cart record id'),
    ...goodsIds('SKU id; empty when the item has no SKUs'),
    itemTitle: Chinese('Title'),
    itemTitleTrans: Translated('Title'),
    itemPic: Type.String({ description: 'Picture of the SKU (its colour)' }),
    price: Fen('Today’s list price of the SKU'),
    promotionPrice: Fen('Today’s promotion price of the SKU: what an order pays'),
    properties: Type.Array(SkuProperty, { description: 'What the SKU is (colour, size...)' }),
    quantity: Quantity('Units in the cart'),
    shopId: Int('Shop id', 1, Number.MAX_SAFE_INTEGER),
    shopName: Chinese('Shop name'),
    shopNameTrans: Translated('Shop name'),
    skuQuantity: Count('Today’s stock of the SKU (0 when the item or SKU is gone)'),
    minOrderQuantity: Int('Fewest units one order may take', 1, 1_000_000),
    reason: ProblemCode('Why the record cannot be ordered as it is (records of `invalidList` only)'),
    reasonText: ProblemText,
    ...Times,
  },
  {
    description:
      'A Taobao cart record with today’s title, prices and stock from the market; when the item is gone, what ' +
      'it showed when added',
  },
);

export const TaobaoCartList = Type.Object({
  shopList: Type.Array(
    Type.Object({
      shopId: Int('Shop id', 1, Number.MAX_SAFE_INTEGER),
      shopName: Chinese('Shop name'),
      shopNameTrans: Translated('Shop name'),
      items: Type.Array(TaobaoCartItem, { description: 'The shop’s records, newest first' }),
    }),
    { description: 'The records that can be ordered, grouped by shop (the shop of the newest record first)' },
  ),
  invalidList: Type.Array(TaobaoCartItem, {
    description:
      'The records that cannot be ordered as they are, newest first, each with its `reason`: `not_found`, ' +
      '`not_distributable`, `delisted`, `sku_not_found`, `out_of_stock`, `stock_below_quantity`, `below_min_quantity`',
  }),
  total: Count('Records in the cart'),
});

/** The cart record with today's product, or with what it showed when added if the product is gone. */
export function toTaobaoCartItem(row: CartRow, product: ProviderProduct | undefined, lang: Language) {
  const sku = product?.skus.find((s) => s.skuId === row.sku_id);
  const problem: CartProblem | null = cartProblem(product, sku, row.sku_id !== '', row.quantity, true);
  const snap = readSnapshot(row.snapshot);
  const title = product?.title ?? snap.title;
  const shopName = product?.shop.shopName ?? snap.shopName;
  return {
    id: row.id,
    itemId: Number(row.product_id),
    skuId: row.sku_id,
    mpId: row.mp_id,
    mpSkuId: row.mp_sku_id,
    itemTitle: title.zh,
    itemTitleTrans: title[lang],
    itemPic: sku?.imageUrl || (product?.mainImageUrl ?? snap.pic),
    price: sku?.priceFen ?? snap.priceFen,
    promotionPrice: sku?.promotionPriceFen ?? snap.promotionPriceFen,
    properties: (sku?.properties ?? snap.properties).map((p) => toSkuProperty(p, lang)),
    quantity: row.quantity,
    shopId: Number(row.shop_id),
    shopName: shopName.zh,
    shopNameTrans: shopName[lang],
    skuQuantity: product?.status === 'active' ? (sku?.stock ?? 0) : 0,
    minOrderQuantity: product?.minOrderQuantity ?? snap.minOrderQuantity,
    reason: problem,
    reasonText: problemText(problem, lang),
    createTime: row.created_at,
    updateTime: row.updated_at,
  };
}

// ---------------------------------------------------------------------------------------------
// Preview (T27); the order address as the cart's create order (T26) takes it

const AddressPart = (description: string, example: string) => nullable(Text(description, 256), description, example);

export const OrderAddressInput = Type.Object(
  {
    name: AddressPart('Receiver', 'a测试aa'),
    phone: AddressPart('Phone', ''),
    mobile_phone: AddressPart('Mobile phone', '15068763421'),
    country: AddressPart('Country', '中国'),
    state: AddressPart('Province or state', '浙江省'),
    city: AddressPart('City', '杭州市'),
    district: AddressPart('District', '余杭区'),
    address: AddressPart('Street address', '测试地址'),
    zip: AddressPart('Postcode', '11111'),
  },
  { additionalProperties: false, description: 'Where the order is delivered (`OrderAddress`)' },
);

export function toShippingAddress(a: Static<typeof OrderAddressInput> | undefined | null): ShippingAddress {
  return {
    receiver: a?.name ?? '',
    phone: a?.mobile_phone || a?.phone || '',
    province: a?.state ?? '',
    city: a?.city ?? '',
    district: a?.district ?? '',
    address: a?.address ?? '',
    ...(a?.zip ? { postcode: a.zip } : {}),
  };
}

export const TaobaoCartPreviewInput = Type.Object(
  {
    ids: CartIds('The records to preview'),
    orderAddress: nullable(OrderAddressInput, 'Where the order would be delivered (optional)'),
    userId: nullable(Text('Platform user id', 64), 'Platform user id; ignored: the cart is the `user-id` header’s'),
    language: LanguageField,
  },
  { additionalProperties: false },
);

const PreviewLine = Type.Object({
  id: CartId('Cart record id'),
  ...goodsIds('SKU id'),
  itemTitle: Chinese('Title'),
  itemTitleTrans: Translated('Title'),
  itemPic: Type.String({ description: 'Picture' }),
  properties: Type.Array(SkuProperty, { description: 'What the SKU is' }),
  quantity: Quantity('Units'),
  unitPrice: Fen('Price of one unit an order would pay today'),
  amount: Fen('unitPrice × quantity'),
  skuQuantity: Count('Today’s stock of the SKU'),
  problem: ProblemCode('Why the line cannot be ordered'),
  problemText: ProblemText,
});

export const TaobaoCartPreview = Type.Object({
  groups: Type.Array(
    Type.Object({
      shopId: Int('Shop id', 1, Number.MAX_SAFE_INTEGER),
      shopName: Chinese('Shop name'),
      shopNameTrans: Translated('Shop name'),
      lines: Type.Array(PreviewLine),
      goodsAmount: Fen('The orderable lines’ amounts'),
      shippingFee: Fen('Domestic shipping of the orderable lines to the warehouse'),
      totalAmount: Fen('goodsAmount + shippingFee'),
      canOrder: Type.Boolean({ description: 'Every line of this seller can be ordered' }),
    }),
    { description: 'One group per seller: an order makes one seller order of each' },
  ),
  goodsAmount: Fen('The orderable lines’ amounts'),
  shippingFee: Fen('Shipping over all sellers'),
  totalAmount: Fen('What an order of the orderable lines would cost: goodsAmount + shippingFee'),
  canOrder: Type.Boolean({ description: 'Every line can be ordered' }),
});
