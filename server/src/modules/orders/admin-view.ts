import { invalidParameter } from '../../platform/http/errors.js';
import type { Language } from '../../platform/http/i18n.js';
import { EpochMs, Id, Int, type TSchema, Type } from '../../platform/http/schema.js';
import type { UpstreamOrderStatus } from '../../providers/types.js';
import { platformStatus, STATUSES } from './orders.states.js';
import type { LineRow, OrderAggregate, PartAggregate, Platform } from './orders.types.js';
import { decodeLine } from './queries.js';
import { propertyMap, shopName } from './taobao.schemas.js';

/**
 * The operator's view of orders of every developer and both platforms (`/admin/orders`): one row shape for the list
 * and the detail, with the status in the marketplace-neutral words beside the platform's own.
 */

/** The neutral order statuses, in the order an order goes through them (the closed one last). */
export const ORDER_STATUSES = [
  'wait_buyer_pay',
  'wait_seller_send',
  'wait_buyer_receive',
  'confirmed',
  'finished',
  'closed',
] as const satisfies readonly UpstreamOrderStatus[];

/**
 * A platform word's neutral status. Taobao has one word for a confirmed and a finished order (`TRADE_FINISHED`): it
 * reads as `finished`, which comes later in ORDER_STATUSES and so overwrites `confirmed` here.
 */
const NEUTRAL: Record<Platform, Record<string, UpstreamOrderStatus>> = { taobao: {}, '1688': {} };
for (const platform of ['taobao', '1688'] as const) {
  for (const status of ORDER_STATUSES) NEUTRAL[platform][platformStatus(platform, status)] = status;
}

export function neutralStatus(platform: Platform, word: string): UpstreamOrderStatus {
  const found = NEUTRAL[platform][word];
  if (!found) throw new Error(`no neutral status for the ${platform} status ${word}`);
  return found;
}

/** Both platforms' own words (Taobao's are upper case, 1688's lower case: none is the other's). */
const PLATFORM_WORDS: readonly string[] = [...STATUSES.taobao, ...STATUSES['1688']];

/** What the status filter takes: a neutral word, or either platform's own (`WAIT_BUYER_PAY`, `waitbuyerpay`, …). */
export const STATUS_FILTER: readonly string[] = [...ORDER_STATUSES, ...PLATFORM_WORDS];

/**
 * The stored (platform) words a filter value selects: a neutral word every platform word that reads as it, a
 * platform word itself; 40001 naming `status` for any other value.
 */
export function statusWordsOf(value: string): string[] {
  if (PLATFORM_WORDS.includes(value)) return [value];
  const words = (['taobao', '1688'] as const).flatMap((p) =>
    Object.entries(NEUTRAL[p]).flatMap(([word, neutral]) => (neutral === value ? [word] : [])),
  );
  if (words.length === 0) throw invalidParameter('status', 'oneOf', { values: STATUS_FILTER.join(', ') });
  return words;
}

const MAX_FEN = Number.MAX_SAFE_INTEGER;
const Fen = (description: string, example: number) => Int(`${description} (fen)`, 0, MAX_FEN, example);
const SignedFen = (description: string, example: number) => Int(`${description} (fen)`, -MAX_FEN, MAX_FEN, example);
const Nullable = <T extends TSchema>(schema: T, description: string) =>
  Type.Union([schema, Type.Null()], { description });
const Str = (description: string, example: string) => Type.String({ description, examples: [example] });
const Time = (description: string) => Nullable(EpochMs(description), `${description} (epoch ms); null until then`);

export const OrderPlatform = Type.Union([Type.Literal('taobao'), Type.Literal('1688')], {
  description: 'The marketplace',
  examples: ['taobao'],
});

export const NeutralStatus = Type.Enum([...ORDER_STATUSES], {
  description:
    'Where the order is, in words of both platforms: `wait_buyer_pay` (Taobao `WAIT_BUYER_PAY`, 1688 ' +
    '`waitbuyerpay`), `wait_seller_send` (`WAIT_SELLER_SEND_GOODS`, `waitsellersend`), `wait_buyer_receive` ' +
    '(`WAIT_BUYER_CONFIRM_GOODS`, `waitbuyerreceive`), `confirmed` (1688 `confirm_goods`; a Taobao receipt ' +
    'finishes the order), `finished` (`TRADE_FINISHED`, `success`), `closed` (`TRADE_CLOSED`, `cancel`)',
  examples: ['wait_seller_send'],
});

const PlatformStatus = Str(
  'The status in the platform’s own words, as the developer reads it (Taobao `status`, 1688 `baseInfo.status`)',
  'WAIT_SELLER_SEND_GOODS',
);

const PayState = Type.Union(
  [Type.Literal('unpaid'), Type.Literal('paying'), Type.Literal('paid'), Type.Literal('reversed')],
  {
    description:
      '`unpaid`, `paying` (debited, the marketplace has not confirmed yet: a worker settles it), `paid`, or ' +
      '`reversed` (the debit was given back)',
    examples: ['paid'],
  },
);

export const AdminOrder = Type.Object(
  {
    orderId: Id('Ponte’s order id'),
    platform: OrderPlatform,
    developId: Id('The developer'),
    userId: Id('The sub-account that placed it', '2100007340000'),
    createState: Type.Union([Type.Literal('creating'), Type.Literal('created'), Type.Literal('failed')], {
      description:
        '`creating` while the marketplace’s answer to the create is not recorded yet (a worker settles it: no ' +
        'lines or amounts until then), `created`, or `failed`',
      examples: ['created'],
    }),
    status: NeutralStatus,
    platformStatus: PlatformStatus,
    payState: PayState,
    currency: Str('Currency of the amounts', 'CNY'),
    goods: Fen('Goods', 1378),
    shipping: Fen('Domestic shipping', 0),
    adjust: SignedFen('The sellers’ changes to the price before payment, negative for a discount', 0),
    total: Fen('What the order costs: goods + shipping + adjustments; what payment debits', 1378),
    paid: Fen('Debited for it', 1378),
    refunded: Fen('Credited back by refunds of its lines so far', 0),
    lineCount: Int('Number of lines', 0, 10_000, 2),
    firstLineTitle: Nullable(
      Str('Title, Chinese original', '英皇保罗男士长款银行皮夹钱包'),
      'The first line’s title, Chinese original; null while it has no lines',
    ),
    firstLineTitleTrans: Nullable(
      Str('Title in the request’s language (Accept-Language)', 'Emperor Paul men’s long wallet'),
      'The first line’s title in the request’s language; null while it has no lines',
    ),
    firstLinePicture: Nullable(
      Str('Picture URL', 'https://img.alicdn.com/imgextra/i1/O1CN01.jpg'),
      'The first line’s picture (a thumbnail for lists); null while it has no lines',
    ),
    upstreamOrderIds: Type.Array(Str('Marketplace order id', '3728109134260933749'), {
      description: 'The marketplace’s order ids, one per seller (empty while `creating`)',
    }),
    sellerOrderNumber: Nullable(Str('Number', 'SO-1001'), 'The developer’s own order number, when given'),
    orderSource: Nullable(Str('Source', 'lazada'), 'The developer’s e-commerce platform, when given'),
    closeReason: Nullable(Str('Why', '不想要了'), 'Why it closed'),
    version: Int('Raised by every change a callback message tells of', 0, 2_147_483_647, 1),
    createTime: EpochMs('When it was placed'),
    updateTime: EpochMs('Last change'),
    payTime: Time('Paid'),
    closeTime: Time('Closed'),
  },
  { description: 'An order, as the operator sees it' },
);

export function toAdminOrder(agg: OrderAggregate, lang: Language) {
  const o = agg.order;
  const lines = agg.parts.flatMap((p) => p.lines);
  const first = lines[0];
  const title = first ? decodeLine(first).title : null;
  return {
    orderId: o.id,
    platform: o.platform,
    developId: o.develop_id,
    userId: o.user_id,
    createState: o.create_state,
    status: neutralStatus(o.platform, o.status),
    platformStatus: o.status,
    payState: o.pay_state,
    currency: 'CNY',
    goods: Number(o.goods_fen),
    shipping: Number(o.shipping_fen),
    adjust: Number(o.adjust_fen),
    total: Number(o.total_fen),
    paid: Number(o.paid_fen),
    refunded: lines.reduce((n, l) => n + Number(l.refunded_fen), 0),
    lineCount: lines.length,
    firstLineTitle: title ? title.zh : null,
    firstLineTitleTrans: title ? title[lang] || title.zh : null,
    firstLinePicture: first ? first.image_url : null,
    upstreamOrderIds: agg.parts.map((p) => p.part.upstream_order_id),
    sellerOrderNumber: o.seller_order_number,
    orderSource: o.order_source,
    closeReason: o.close_reason,
    version: Number(o.version),
    createTime: Number(o.created_at),
    updateTime: Number(o.updated_at),
    payTime: o.paid_at === null ? null : Number(o.paid_at),
    closeTime: o.closed_at === null ? null : Number(o.closed_at),
  };
}

// -- The detail's parts and lines --------------------------------------------------------------------

export const AdminOrderPart = Type.Object({
  partId: Id('Ponte’s id of the seller’s part (Taobao sub purchase order)'),
  upstreamOrderId: Str('The marketplace’s order id for this seller', '3728109134260933749'),
  shopId: Str('The seller’s shop id', '42'),
  shopName: Str('Shop name, Chinese original', '英皇保罗旗舰店'),
  shopNameTrans: Str('Shop name in the request’s language', 'Emperor Paul flagship store'),
  status: NeutralStatus,
  platformStatus: PlatformStatus,
  payState: PayState,
  goods: Fen('Goods', 1378),
  shipping: Fen('Domestic shipping', 0),
  adjust: SignedFen('The seller’s change to the price before payment', 0),
  total: Fen('What this seller charges', 1378),
  paid: Fen('Paid to this seller', 1378),
  createTime: EpochMs('Created at the marketplace'),
  payTime: Time('Paid'),
  shipTime: Time('Shipped by the seller'),
  receiveTime: Time('Receipt confirmed'),
  closeTime: Time('Closed'),
  closeReason: Nullable(Str('Why', '卖家缺货'), 'Why it closed'),
});

export const AdminOrderLine = Type.Object({
  lineId: Id('Ponte’s id of the line (Taobao `purchaseOrderLineId`, 1688 `subItemID`)'),
  partId: Id('The seller’s part it belongs to'),
  upstreamOrderId: Str('The marketplace’s order id of its part', '3728109134260933749'),
  upstreamLineId: Str('The marketplace’s id of the line', '3728109134260933750'),
  orderLineNo: Nullable(Str('Line number', '1'), 'The developer’s line number, when given'),
  productId: Str('Item (Taobao) or offer (1688) id', '672991141190'),
  skuId: Nullable(Str('SKU id', '5016042822039'), 'SKU id; null for an item without SKUs'),
  title: Str('Title, Chinese original', '英皇保罗男士长款银行皮夹钱包'),
  titleTrans: Str('Title in the request’s language', 'Emperor Paul men’s long wallet'),
  properties: Type.Record(Type.String(), Type.String(), {
    description: 'SKU properties, Chinese original: property name → value',
    examples: [{ 颜色分类: '黄色' }],
  }),
  propertiesTrans: Type.Record(Type.String(), Type.String(), {
    description: 'SKU properties in the request’s language',
    examples: [{ Color: 'Yellow' }],
  }),
  picture: Str('Picture URL', 'https://img.alicdn.com/imgextra/i1/O1CN01.jpg'),
  quantity: Int('Quantity', 1, 1_000_000, 2),
  price: Fen('Unit price charged by the marketplace', 689),
  amount: Fen('Line amount: unit price × quantity', 1378),
  refunded: Fen('Credited back by refunds of this line so far', 0),
  status: NeutralStatus,
  platformStatus: PlatformStatus,
  carrierCode: Nullable(Str('Carrier code', 'ZTO'), 'Domestic carrier code, once shipped'),
  carrierName: Nullable(Str('Carrier', '中通快递'), 'Domestic carrier name, once shipped'),
  trackingNo: Nullable(Str('Tracking number', '78561234567890'), 'Domestic tracking number, once shipped'),
});

export function toAdminOrderPart({ part }: PartAggregate, lang: Language) {
  const name = shopName(part);
  const time = (v: number | null) => (v === null ? null : Number(v));
  return {
    partId: part.id,
    upstreamOrderId: part.upstream_order_id,
    shopId: part.shop_id,
    shopName: name.zh,
    shopNameTrans: name[lang] || name.zh,
    status: neutralStatus(part.platform, part.status),
    platformStatus: part.status,
    payState: part.pay_state,
    goods: Number(part.goods_fen),
    shipping: Number(part.shipping_fen),
    adjust: Number(part.adjust_fen),
    total: Number(part.total_fen),
    paid: Number(part.paid_fen),
    createTime: Number(part.created_at),
    payTime: time(part.paid_at),
    shipTime: time(part.shipped_at),
    receiveTime: time(part.received_at),
    closeTime: time(part.closed_at),
    closeReason: part.close_reason,
  };
}

export function toAdminOrderLine(line: LineRow, platform: Platform, upstreamOrderId: string, lang: Language) {
  const { title, skuProperties } = decodeLine(line);
  return {
    lineId: line.id,
    partId: line.part_id,
    upstreamOrderId,
    upstreamLineId: line.upstream_line_id,
    orderLineNo: line.order_line_no,
    productId: line.product_id,
    skuId: line.sku_id,
    title: title.zh,
    titleTrans: title[lang] || title.zh,
    properties: propertyMap(skuProperties, 'zh'),
    propertiesTrans: propertyMap(skuProperties, lang),
    picture: line.image_url,
    quantity: Number(line.quantity),
    price: Number(line.unit_price_fen),
    amount: Number(line.amount_fen),
    refunded: Number(line.refunded_fen),
    status: neutralStatus(platform, line.status),
    platformStatus: line.status,
    carrierCode: line.carrier_code,
    carrierName: line.carrier_name,
    trackingNo: line.tracking_no,
  };
}
