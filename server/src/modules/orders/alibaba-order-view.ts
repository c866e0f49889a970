import type { Language } from '../../platform/http/i18n.js';
import { EpochMs, Int, type Static, type TSchema, Type } from '../../platform/http/schema.js';
import { OpaqueId, OpaqueIdList } from '../../platform/http/v2/annotations.js';
import type { Localized } from '../../providers/types.js';
import type { LineRow, OrderRow, PartRow } from './orders.repo.js';
import type { OrderAggregate, Receiver } from './orders.types.js';
import { decodeLine, receiverOf } from './queries.js';

/**
 * A 1688 order as 1688's buyer view describes it (`baseInfo`, `productItems`, `nativeLogistics`,
 * `tradeTerms`...), built from Ponte's own order: what A19, A13 and the AM1/AM2 messages carry. 1688's
 * field names are kept; unlike 1688, money is integer fen and times epoch milliseconds everywhere, and
 * ids are decimal strings (they exceed 2^53), except offer and SKU ids, which goods answer as integers.
 */

const Fen = (description: string) => Int(`${description}, in fen`, -Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);
const IdString = (description: string) => Type.String({ description, examples: ['1795432287562383360'] });
const Nullable = <T extends TSchema>(schema: T, description: string) =>
  Type.Union([schema, Type.Null()], { description });
const Time = (description: string) => Nullable(EpochMs(description), `${description} (epoch ms); null until then`);
const Chinese = (description: string) => Type.String({ description: `${description}, original Chinese` });
const Trans = (description: string) => Type.String({ description: `${description}, in the requested language` });

const ReceiverInfo = Type.Object(
  {
    toFullName: Type.String({ description: 'Receiver’s name' }),
    toMobile: Type.String({ description: 'Receiver’s mobile phone' }),
    toPhone: Type.String({ description: 'Receiver’s landline' }),
    toPost: Type.String({ description: 'Postcode' }),
    toArea: Type.String({ description: 'Province, city, district and street in one line' }),
    toDivisionCode: Nullable(Type.String(), 'Administrative division code (not kept: null)'),
  },
  { description: 'Where the order goes' },
);

const BaseInfo = Type.Object(
  {
    id: OpaqueId('order', IdString('Order id (`orderId` of the other 1688 order endpoints)')),
    idOfStr: OpaqueId('order', IdString('The same id; 1688 repeats it as a string')),
    status: Type.String({
      description:
        '`waitbuyerpay` (unpaid), `waitsellersend` (paid), `waitbuyerreceive` (shipped), `confirm_goods` ' +
        '(receipt confirmed), `success` (finished), `cancel` (closed)',
      examples: ['waitbuyerpay'],
    }),
    tradeType: Nullable(Type.String(), 'The `tradeType` the order was created with, as given (null: none)'),
    flowTemplateCode: Nullable(Type.String(), 'The `flow` the order was created with'),
    totalAmount: Fen('What the order costs: goods, plus shipping, plus the seller’s change'),
    sumProductPayment: Fen('Goods'),
    shippingFee: Fen('Domestic shipping'),
    discount: Fen('The seller’s change to the price before payment (negative: a discount)'),
    paidAmount: Fen('Paid so far from the balance'),
    refund: Fen('Refunded so far'),
    payState: Type.String({
      description: '`unpaid`, `paying` (debited, being confirmed upstream), `paid` or `reversed`',
      examples: ['unpaid'],
    }),
    createTime: EpochMs('Created (epoch ms)'),
    modifyTime: EpochMs('Last changed (epoch ms)'),
    payTime: Time('Paid'),
    allDeliveredTime: Time('Shipped by the seller'),
    receivingTime: Time('Receipt confirmed'),
    completeTime: Time('Finished or closed'),
    closeReason: Nullable(Type.String(), 'Why it was closed (the buyer’s `cancelReason`, or the seller’s)'),
    buyerID: Type.String({ description: 'The sub-account that placed the order (its `userId`)' }),
    sellerID: Nullable(Type.String(), 'The supplier’s open id (`sellerOpenId`)'),
    sellerOpenId: Nullable(Type.String(), 'The supplier’s open id, for the Wangwang link and its shop'),
    sellerContact: Type.Object(
      { companyName: Chinese('Shop name'), companyNameTrans: Trans('Shop name') },
      { description: 'The seller' },
    ),
    remark: Type.String({ description: 'The buyer’s message to the seller (`message` at creation)' }),
    receiverInfo: ReceiverInfo,
    refundStatus: Nullable(
      Type.String(),
      'Always null: a refund has its own record, version and messages (`/alibaba/refund/info`, the refunded amounts ' +
        'are `refund` here and on each item)',
    ),
  },
  { description: 'The order itself' },
);

const SkuInfo = Type.Object({
  name: Chinese('Property'),
  nameTrans: Trans('Property'),
  value: Chinese('Value'),
  valueTrans: Trans('Value'),
});

const ProductItem = Type.Object({
  subItemID: OpaqueId('order-line', IdString('Order line id')),
  subItemIDString: OpaqueId('order-line', IdString('The same id as a string, as 1688 repeats it')),
  productID: OpaqueId('alibaba-offer', Int('Offer id', 0, Number.MAX_SAFE_INTEGER)),
  skuID: OpaqueId(
    'alibaba-sku',
    Nullable(Int('SKU id', 0, Number.MAX_SAFE_INTEGER), 'SKU id (null: the offer has no specifications)'),
  ),
  specId: OpaqueId('alibaba-spec', Nullable(Type.String(), 'Specification id, as `cargoParamList` takes it')),
  name: Chinese('Title'),
  nameTrans: Trans('Title'),
  productImgUrl: Type.Array(Type.String(), { description: 'Pictures of the line (the SKU’s first)' }),
  skuInfos: Type.Array(SkuInfo, { description: 'What the SKU is (colour, size...)' }),
  quantity: Int('Units', 1, Number.MAX_SAFE_INTEGER),
  price: Fen('Unit price'),
  itemAmount: Fen('Line amount: unit price × quantity'),
  refund: Fen('Refunded on this line'),
  status: Type.String({ description: 'The line’s status, in the order’s words' }),
  logisticsStatus: Int('1: not shipped, 2: shipped, 3: received', 1, 3),
  gmtCreate: EpochMs('Created (epoch ms)'),
});

const LogisticsItem = Type.Object({
  logisticsBillNo: Type.String({ description: 'Tracking number' }),
  logisticsCompanyNo: Type.String({ description: 'Carrier code (see `/alibaba/logistics/company/list`)' }),
  logisticsCompanyName: Type.String({ description: 'Carrier name' }),
  subItemIds: OpaqueIdList(
    'order-line',
    ',',
    Type.String({ description: 'The order lines in this parcel (their `subItemID`s), comma-separated (1688’s form)' }),
  ),
  deliveredTime: Time('Shipped'),
});

const NativeLogistics = Type.Object(
  {
    contactPerson: Type.String({ description: 'Receiver’s name' }),
    mobile: Type.String({ description: 'Receiver’s mobile phone' }),
    telephone: Type.String({ description: 'Receiver’s landline' }),
    province: Type.String({ description: 'Province' }),
    city: Type.String({ description: 'City' }),
    area: Type.String({ description: 'District' }),
    address: Type.String({ description: 'Street and number' }),
    zip: Type.String({ description: 'Postcode' }),
    logisticsItems: Type.Array(LogisticsItem, { description: 'Parcels the seller sent (empty before shipping)' }),
  },
  { description: 'Domestic delivery: the receiver and the seller’s parcels' },
);

const TradeTerm = Type.Object({
  payStatus: Type.String({ description: '`1`: not paid, `2`: paid', examples: ['1'] }),
  payTime: Time('Paid'),
  payWay: Type.String({ description: '`balance`: the developer’s Ponte balance' }),
  phasAmount: Fen('Amount of this payment phase (1688’s spelling); the whole order'),
});

const ExtAttribute = Type.Object({
  key: Type.String({ description: 'Name' }),
  value: Type.String({ description: 'Value' }),
  description: Type.String({ description: 'What it is' }),
});

export const AlibabaOrder = Type.Object({
  baseInfo: BaseInfo,
  productItems: Type.Array(ProductItem, { description: 'The order lines' }),
  nativeLogistics: NativeLogistics,
  tradeTerms: Type.Array(TradeTerm, { description: 'Payment phases: one, the whole order' }),
  guaranteesTerms: Type.Object(
    {
      assuranceInfo: Nullable(Type.String(), 'Seller’s guarantee (none kept: null)'),
      assuranceType: Nullable(Type.String(), 'Guarantee type (none kept: null)'),
      qualityAssuranceType: Nullable(Type.String(), 'Quality guarantee (none kept: null)'),
    },
    { description: 'Guarantees (1688 names them; Ponte keeps none)' },
  ),
  orderRateInfo: Type.Object(
    {
      buyerRateStatus: Int('6: no rating needed (ratings are not offered)', 4, 6),
      sellerRateStatus: Int('6: no rating needed', 4, 6),
    },
    { description: 'Ratings' },
  ),
  extAttributes: Type.Array(ExtAttribute, { description: 'Ponte’s own facts: the marketplace’s order id, version' }),
  orderInvoiceInfo: Type.Null({ description: 'Invoices are not offered: null' }),
});
export type AlibabaOrderData = Static<typeof AlibabaOrder>;

function decoded<T>(json: string, fallback: T): T {
  try {
    return JSON.parse(json) as T;
  } catch {
    return fallback;
  }
}

const text = (value: Localized | undefined, lang: Language | 'zh') => value?.[lang] ?? value?.zh ?? '';
const numeric = (id: string | null) => (id && /^[0-9]{1,15}$/.test(id) ? Number(id) : null);

/** The options 1688 creates take that Ponte keeps with the order's request, when it kept them. */
function createOptions(order: OrderRow): { flow: string | null; tradeType: string | null } {
  const request = decoded<Record<string, unknown>>(order.request, {});
  const pick = (name: string) => (typeof request[name] === 'string' ? (request[name] as string) : null);
  return { flow: pick('flow'), tradeType: pick('tradeType') };
}

function receiverInfo(r: Receiver): Static<typeof ReceiverInfo> {
  return {
    toFullName: r.name,
    toMobile: r.mobilePhone,
    toPhone: r.phone,
    toPost: r.zip,
    toArea: [r.province, r.city, r.district, r.address].filter(Boolean).join(' '),
    toDivisionCode: null,
  };
}

function baseInfo(agg: OrderAggregate, part: PartRow | undefined, receiver: Receiver, lang: Language) {
  const { order } = agg;
  const shopName = decoded<Localized | undefined>(part?.shop_name ?? '{}', undefined);
  const refund = agg.parts.flatMap((p) => p.lines).reduce((n, l) => n + Number(l.refunded_fen), 0);
  const { flow, tradeType } = createOptions(order);
  const finished = order.status === 'success' || order.status === 'cancel';
  return {
    id: order.id,
    idOfStr: order.id,
    status: order.status,
    tradeType,
    flowTemplateCode: flow,
    totalAmount: Number(order.total_fen),
    sumProductPayment: Number(order.goods_fen),
    shippingFee: Number(order.shipping_fen),
    discount: Number(order.adjust_fen),
    paidAmount: Number(order.paid_fen),
    refund,
    payState: order.pay_state,
    createTime: Number(order.created_at),
    modifyTime: Number(order.updated_at),
    payTime: order.paid_at === null ? null : Number(order.paid_at),
    allDeliveredTime: part?.shipped_at == null ? null : Number(part.shipped_at),
    receivingTime: part?.received_at == null ? null : Number(part.received_at),
    completeTime: finished ? Number(order.closed_at ?? part?.updated_at ?? order.updated_at) : null,
    closeReason: order.close_reason ?? part?.close_reason ?? null,
    buyerID: order.user_id,
    sellerID: part?.seller_open_id ?? null,
    sellerOpenId: part?.seller_open_id ?? null,
    sellerContact: { companyName: text(shopName, 'zh'), companyNameTrans: text(shopName, lang) },
    remark: order.buyer_message,
    receiverInfo: receiverInfo(receiver),
    refundStatus: null,
  };
}

function productItem(line: LineRow, order: OrderRow, lang: Language): Static<typeof ProductItem> {
  const { title, skuProperties: properties } = decodeLine(line);
  const received = order.status === 'confirm_goods' || order.status === 'success';
  return {
    subItemID: line.id,
    subItemIDString: line.id,
    productID: numeric(line.product_id) ?? 0,
    skuID: numeric(line.sku_id),
    specId: line.sku_id,
    name: text(title, 'zh'),
    nameTrans: text(title, lang),
    productImgUrl: line.image_url ? [line.image_url] : [],
    skuInfos: properties.map((p) => ({
      name: p.propName.zh,
      nameTrans: p.propName[lang],
      value: p.valueName.zh,
      valueTrans: p.valueName[lang],
    })),
    quantity: line.quantity,
    price: Number(line.unit_price_fen),
    itemAmount: Number(line.amount_fen),
    refund: Number(line.refunded_fen),
    status: line.status,
    logisticsStatus: line.tracking_no === null ? 1 : received ? 3 : 2,
    gmtCreate: Number(order.created_at),
  };
}

/** One logistics item per parcel (tracking number), with the lines it holds. */
function logisticsItems(lines: LineRow[], part: PartRow | undefined): Static<typeof LogisticsItem>[] {
  const parcels = new Map<string, Static<typeof LogisticsItem>>();
  for (const line of lines) {
    if (line.tracking_no === null) continue;
    const parcel = parcels.get(line.tracking_no);
    if (parcel) {
      parcel.subItemIds += `,${line.id}`;
      continue;
    }
    parcels.set(line.tracking_no, {
      logisticsBillNo: line.tracking_no,
      logisticsCompanyNo: line.carrier_code ?? '',
      logisticsCompanyName: line.carrier_name ?? '',
      subItemIds: line.id,
      deliveredTime: part?.shipped_at == null ? null : Number(part.shipped_at),
    });
  }
  return [...parcels.values()];
}

/** The 1688 buyer view of an order; translated fields (`…Trans`) in `lang`. */
export function toAlibabaOrder(agg: OrderAggregate, lang: Language): AlibabaOrderData {
  const { order } = agg;
  const part = agg.parts[0]?.part;
  const lines = agg.parts.flatMap((p) => p.lines);
  const receiver = receiverOf(order);
  return {
    baseInfo: baseInfo(agg, part, receiver, lang),
    productItems: lines.map((line) => productItem(line, order, lang)),
    nativeLogistics: {
      contactPerson: receiver.name,
      mobile: receiver.mobilePhone,
      telephone: receiver.phone,
      province: receiver.province,
      city: receiver.city,
      area: receiver.district,
      address: receiver.address,
      zip: receiver.zip,
      logisticsItems: logisticsItems(lines, part),
    },
    tradeTerms: [
      {
        payStatus: order.paid_at === null ? '1' : '2',
        payTime: order.paid_at === null ? null : Number(order.paid_at),
        payWay: 'balance',
        phasAmount: Number(order.total_fen),
      },
    ],
    guaranteesTerms: { assuranceInfo: null, assuranceType: null, qualityAssuranceType: null },
    orderRateInfo: { buyerRateStatus: 6, sellerRateStatus: 6 },
    extAttributes: [
      {
        key: 'upstreamOrderId',
        value: part?.upstream_order_id ?? '',
        description: 'The order’s id on the marketplace',
      },
      { key: 'version', value: String(order.version), description: 'Raised by every change a message tells of' },
    ],
    orderInvoiceInfo: null,
  };
}
