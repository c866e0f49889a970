import { invalidParameter } from '../../platform/http/errors.js';
import type { Language } from '../../platform/http/i18n.js';
import { EpochMs, Id, Int, type Static, Text, type TSchema, Type } from '../../platform/http/schema.js';
import { OpaqueId } from '../../platform/http/v2/annotations.js';
import type { Localized, ProviderSkuProperty } from '../../providers/types.js';
import type { LineRow, PartRow } from './orders.repo.js';
import { TAOBAO_STATUS } from './orders.states.js';
import type { OrderAggregate, PartAggregate, Receiver } from './orders.types.js';
// Not orders.service.js: message bodies are built from this file, and the service writes messages.
import { decodeLine, receiverOf } from './queries.js';

/**
 * The Taobao order endpoints' schemas and views (T7–T15, T26). PandaPon documents the requests but not
 * the answers; these use the words of its order lines (`purchaseOrderLineId`, `supplierNick`, `itemTitle`,
 * `productFee`, `postFee`, `totalPrice`, `currency`). Money is integer fen; times are epoch ms.
 */

const MAX_FEN = Number.MAX_SAFE_INTEGER;
export const Fen = (description: string, example?: number) => Int(`${description} (fen)`, 0, MAX_FEN, example);
const SignedFen = (description: string, example?: number) => Int(`${description} (fen)`, -MAX_FEN, MAX_FEN, example);
const Nullable = <T extends TSchema>(schema: T, description: string) =>
  Type.Union([schema, Type.Null()], { description });
const Str = (description: string, example?: string) =>
  Type.String({ description, ...(example === undefined ? {} : { examples: [example] }) });
const Translated = (description: string, example?: string) =>
  Str(`${description}, in the requested language (the Chinese original is beside it)`, example);

export const TaobaoStatus = Type.Union(
  Object.values(TAOBAO_STATUS).map((s) => Type.Literal(s)),
  {
    description:
      'Taobao order status: `WAIT_BUYER_PAY` (created, not paid), `WAIT_SELLER_SEND_GOODS` (paid), ' +
      '`WAIT_BUYER_CONFIRM_GOODS` (shipped), `TRADE_FINISHED`, `TRADE_CLOSED` (cancelled, not paid in time, refunded)',
    examples: ['WAIT_BUYER_PAY'],
  },
);

const StatusText = (what: string) =>
  Str(
    `${what}: \`WAIT_BUYER_PAY\`, \`WAIT_SELLER_SEND_GOODS\`, \`WAIT_BUYER_CONFIRM_GOODS\`, \`TRADE_FINISHED\` or \`TRADE_CLOSED\``,
    'WAIT_SELLER_SEND_GOODS',
  );

const PayStatus = Str(
  'Payment: `UNPAID`, `PAYING` (debited, the marketplace has not confirmed yet), `PAID`, or `REVERSED` (the debit was returned)',
  'PAID',
);

// -- Receiver ---------------------------------------------------------------------------------------

/** The receiver as the contract writes it (T7 `receiver`, T26 `orderAddress`). */
export const ReceiverView = Type.Object(
  {
    name: Str('Receiver name', 'a测试aa'),
    phone: Str('Landline phone, may be empty', ''),
    mobile_phone: Str('Mobile phone', '15068763421'),
    country: Str('Country', '中国'),
    state: Str('Province', '浙江省'),
    city: Str('City', '杭州市'),
    district: Str('District, may be empty', '余杭区'),
    address: Str('Street and number', '测试地址'),
    zip: Str('Postcode, may be empty', '11111'),
  },
  { description: 'Who receives the parcels, in the contract’s field names (`state` is the province)' },
);

export function toReceiverView(r: Receiver) {
  return {
    name: r.name,
    phone: r.phone,
    mobile_phone: r.mobilePhone,
    country: r.country,
    state: r.province,
    city: r.city,
    district: r.district,
    address: r.address,
    zip: r.zip,
  };
}

// -- Decoding ----------------------------------------------------------------------------------------

export const shopName = (part: PartRow): Localized => JSON.parse(part.shop_name) as Localized;

/** `{"颜色分类": "红色", "尺码": "L"}` in the language asked (`zh`: the original). */
export function propertyMap(props: ProviderSkuProperty[], lang: Language): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of props) out[p.propName[lang] || p.propName.zh] = p.valueName[lang] || p.valueName.zh;
  return out;
}

export const payStatusOf = (state: string): string => state.toUpperCase();

// -- Order lines, sub purchase orders, orders ----------------------------------------------------------

export const TaobaoOrderLine = Type.Object({
  purchaseOrderLineId: OpaqueId('order-line', Str('Ponte’s id of this line', '1795432287562383362')),
  purchaseOrderLineOuterId: Str('The marketplace’s id of this line (Taobao sub-order)', '3728109134260933749'),
  orderLineNo: Nullable(Str('Line number'), 'Your line number (`orderLineNo` of the create request)'),
  itemId: OpaqueId('taobao-item', Str('Taobao item id', '672991141190')),
  skuId: OpaqueId('taobao-sku', Nullable(Str('SKU id'), 'SKU id; null for an item without SKUs')),
  mpId: OpaqueId('taobao-mp', Nullable(Str('Distribution id'), 'Distribution product id, when ordered with one')),
  mpSkuId: OpaqueId(
    'taobao-mp-sku',
    Nullable(Str('Distribution SKU id'), 'Distribution SKU id, when ordered with one'),
  ),
  itemTitle: Str('Item title, Chinese original', '英皇保罗男士长款银行皮夹钱包'),
  itemTitleTrans: Translated('Item title', 'Emperor Paul men’s long wallet'),
  itemImageUrl: Str('Item picture (of the SKU’s colour when it has one)'),
  properties: Type.Record(Type.String(), Type.String(), {
    description: 'SKU properties, Chinese original: property name → value',
    examples: [{ 颜色分类: '黄色', 参考身高: '52cm' }],
  }),
  propertiesTrans: Type.Record(Type.String(), Type.String(), {
    description: 'SKU properties in the requested language',
    examples: [{ Color: 'Yellow', 'Reference height': '52cm' }],
  }),
  quantity: Int('Quantity', 1, 1_000_000, 2),
  price: Fen('Unit price charged by the marketplace', 689),
  totalPrice: Fen('Line amount: unit price × quantity', 1378),
  refundedFee: Fen('Refunded so far on this line', 0),
  status: StatusText('Line status'),
  logisticsCompanyCode: Nullable(Str('Carrier code'), 'Domestic carrier code, once shipped (e.g. `ZTO`)'),
  logisticsCompanyName: Nullable(Str('Carrier'), 'Domestic carrier name, once shipped (e.g. 中通快递)'),
  mailNo: Nullable(Str('Tracking number'), 'Domestic tracking number, once shipped'),
});

export const SubPurchaseOrder = Type.Object({
  subPurchaseOrderId: OpaqueId(
    'order-part',
    Str('Ponte’s id of this sub purchase order (one per seller)', '1795432287562383361'),
  ),
  purchaseOrderOuterId: Str('The marketplace’s order id for this seller (Taobao order no.)', '3728109134260933749'),
  status: StatusText('Status of this seller’s order'),
  payStatus: PayStatus,
  supplierId: Str('Seller’s shop id', '42'),
  supplierNick: Str('Shop name, Chinese original', '英皇保罗旗舰店'),
  supplierNickTrans: Translated('Shop name', 'Emperor Paul flagship store'),
  productFee: Fen('Goods amount', 1378),
  postFee: Fen('Domestic shipping', 0),
  adjustFee: SignedFen('The seller’s change to the price before payment, negative for a discount', 0),
  totalPrice: Fen('What this seller charges: goods + shipping + adjustment', 1378),
  paidAmount: Fen('Paid to this seller', 0),
  currency: Str('Currency of the amounts', 'CNY'),
  createTime: EpochMs('Created'),
  payTime: Nullable(EpochMs('Paid'), 'Paid; null before'),
  shipTime: Nullable(EpochMs('Shipped'), 'Shipped by the seller; null before'),
  receiveTime: Nullable(EpochMs('Received'), 'Receipt confirmed; null before'),
  closeTime: Nullable(EpochMs('Closed'), 'Closed; null unless closed'),
  closeReason: Nullable(Str('Why'), 'Why it closed'),
  orderLines: Type.Array(TaobaoOrderLine, { description: 'The lines bought from this seller' }),
});

export const TaobaoOrder = Type.Object({
  orderId: OpaqueId('order', Str('Ponte’s order id', '1795432287562383360')),
  userId: Str('The sub-account that placed the order', '2100007340000'),
  status: StatusText('Order status, the least advanced of its open sub purchase orders'),
  payStatus: PayStatus,
  currency: Str('Currency of the amounts', 'CNY'),
  productFee: Fen('Goods amount', 1378),
  postFee: Fen('Domestic shipping', 0),
  adjustFee: SignedFen('Sellers’ changes to the price before payment', 0),
  totalPrice: Fen('What the order costs: goods + shipping + adjustments; what payment debits', 1378),
  paidAmount: Fen('Debited for this order', 0),
  purchaseAmount: Type.Union([Fen('Budget'), Type.Null()], {
    description: 'Your budget (`purchaseAmount` of the create request); null when none was given',
  }),
  sellerOrderNumber: Nullable(Str('Number'), 'Your order number on your own platform'),
  orderSource: Nullable(Str('Source'), 'Your e-commerce platform (e.g. `lazada`)'),
  receiver: ReceiverView,
  warehouseName: Nullable(Str('Warehouse'), 'Pre-warehouse name (T11)'),
  warehouseAddress: Nullable(Str('Address'), 'Pre-warehouse address (T11)'),
  version: Int('Raised by every change a message tells of; drop messages with a lower one', 1, 2_147_483_647, 1),
  language: Str('Language of the `…Trans` fields', 'en'),
  createTime: EpochMs('Created'),
  updateTime: EpochMs('Last changed'),
  payTime: Nullable(EpochMs('Paid'), 'Paid; null before'),
  closeTime: Nullable(EpochMs('Closed'), 'Closed; null unless closed'),
  closeReason: Nullable(Str('Why'), 'Why it closed'),
  subPurchaseOrders: Type.Array(SubPurchaseOrder, {
    description: 'One per seller: the marketplace makes one order per seller',
  }),
});

function toLine(line: LineRow, lang: Language) {
  const { title, skuProperties: props } = decodeLine(line);
  return {
    purchaseOrderLineId: line.id,
    purchaseOrderLineOuterId: line.upstream_line_id,
    orderLineNo: line.order_line_no,
    itemId: line.product_id,
    skuId: line.sku_id,
    mpId: line.mp_id,
    mpSkuId: line.mp_sku_id,
    itemTitle: title.zh,
    itemTitleTrans: title[lang] || title.zh,
    itemImageUrl: line.image_url,
    properties: propertyMap(props, 'zh'),
    propertiesTrans: propertyMap(props, lang),
    quantity: line.quantity,
    price: line.unit_price_fen,
    totalPrice: line.amount_fen,
    refundedFee: line.refunded_fen,
    status: line.status,
    logisticsCompanyCode: line.carrier_code,
    logisticsCompanyName: line.carrier_name,
    mailNo: line.tracking_no,
  };
}

function toSubPurchaseOrder({ part, lines }: PartAggregate, lang: Language) {
  const name = shopName(part);
  return {
    subPurchaseOrderId: part.id,
    purchaseOrderOuterId: part.upstream_order_id,
    status: part.status,
    payStatus: payStatusOf(part.pay_state),
    supplierId: part.shop_id,
    supplierNick: name.zh,
    supplierNickTrans: name[lang] || name.zh,
    productFee: part.goods_fen,
    postFee: part.shipping_fen,
    adjustFee: part.adjust_fen,
    totalPrice: part.total_fen,
    paidAmount: part.paid_fen,
    currency: 'CNY',
    createTime: part.created_at,
    payTime: part.paid_at,
    shipTime: part.shipped_at,
    receiveTime: part.received_at,
    closeTime: part.closed_at,
    closeReason: part.close_reason,
    orderLines: lines.map((l) => toLine(l, lang)),
  };
}

export function toTaobaoOrder(agg: OrderAggregate, lang: Language) {
  const o = agg.order;
  return {
    orderId: o.id,
    userId: o.user_id,
    status: o.status,
    payStatus: payStatusOf(o.pay_state),
    currency: 'CNY',
    productFee: o.goods_fen,
    postFee: o.shipping_fen,
    adjustFee: o.adjust_fen,
    totalPrice: o.total_fen,
    paidAmount: o.paid_fen,
    purchaseAmount: o.budget_fen,
    sellerOrderNumber: o.seller_order_number,
    orderSource: o.order_source,
    receiver: toReceiverView(receiverOf(o)),
    warehouseName: o.warehouse_name,
    warehouseAddress: o.warehouse_address,
    version: o.version,
    language: lang,
    createTime: o.created_at,
    updateTime: o.updated_at,
    payTime: o.paid_at,
    closeTime: o.closed_at,
    closeReason: o.close_reason,
    subPurchaseOrders: agg.parts.map((p) => toSubPurchaseOrder(p, lang)),
  };
}

export const OrderIdField = OpaqueId(
  'order',
  Id('Ponte’s order id (`orderId` of the create answer)', '1795432287562383360'),
);
export const ReasonField = Text('Why (kept in the order’s history)', 200, '不想要了');

// -- Requests ---------------------------------------------------------------------------------------

const ReceiverPart = (description: string, max: number, example: string) =>
  Type.Optional(Type.Union([Text(description, max), Type.Null()], { description, examples: [example] }));

/** The receiver of T7 (`receiver`) and T26 (`orderAddress`): every part a string or null, as documented. */
export const ReceiverInput = Type.Object(
  {
    name: ReceiverPart('Receiver name; required', 64, 'a测试aa'),
    phone: ReceiverPart('Landline phone', 20, ''),
    mobile_phone: ReceiverPart('Mobile phone (the marketplace gets it, else `phone`)', 20, '15068763421'),
    country: ReceiverPart('Country; default 中国', 64, '中国'),
    state: ReceiverPart('Province; required', 64, '浙江省'),
    city: ReceiverPart('City; required', 64, '杭州市'),
    district: ReceiverPart('District', 64, '余杭区'),
    address: ReceiverPart('Street and number; required', 256, '测试地址'),
    zip: ReceiverPart('Postcode', 20, '11111'),
  },
  { additionalProperties: false },
);
export type ReceiverInputValue = Static<typeof ReceiverInput>;

const REQUIRED_PARTS = ['name', 'state', 'city', 'address'] as const;

/**
 * The receiver with every required part checked (40001 naming `{field}.name`, `{field}.state`, ...). The
 * phones are optional, as PandaPon documents them (its own cart example has neither): the marketplace
 * gets `mobile_phone`, else `phone`.
 */
export function receiverFrom(input: ReceiverInputValue, field: string): Receiver {
  const get = (k: keyof ReceiverInputValue) => (input[k] ?? '').trim();
  for (const k of REQUIRED_PARTS) if (!get(k)) throw invalidParameter(`${field}.${k}`, 'required');
  return {
    name: get('name'),
    phone: get('phone'),
    mobilePhone: get('mobile_phone'),
    country: get('country') || '中国',
    province: get('state'),
    city: get('city'),
    district: get('district'),
    address: get('address'),
    zip: get('zip'),
  };
}
