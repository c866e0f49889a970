import type { Language } from '../../platform/http/i18n.js';
import { EpochMs, Int, type Static, type TSchema, Type } from '../../platform/http/schema.js';
import { OpaqueId } from '../../platform/http/v2/annotations.js';
import type { Localized, ShippingAddress } from '../../providers/types.js';
import { decodeLine, propertyMap, shopName } from '../orders/index.js';
import type { RefundAggregate } from './refunds.repo.js';
import {
  TAOBAO_GOODS_STATUS,
  TAOBAO_REFUND_STATUS,
  TAOBAO_REFUND_TYPE,
  TAOBAO_TIMEOUT_TYPE,
} from './refunds.states.js';

/**
 * Taobao's reverse orders as PandaPon answers them: the shared `refundOrderAggregate` model (`refundOrder`,
 * `purchaseOrderLine`, `logistics`, `subUserId`) of T16, T20, T25 and the TM3 callback. Money is integer fen,
 * times epoch ms, ids strings.
 */

const MAX_FEN = Number.MAX_SAFE_INTEGER;
const Fen = (description: string, example?: number) => Int(`${description} (fen)`, 0, MAX_FEN, example);
const Str = (description: string, example?: string) =>
  Type.String({ description, ...(example === undefined ? {} : { examples: [example] }) });
const Nullable = <T extends TSchema>(schema: T, description: string) =>
  Type.Union([schema, Type.Null()], { description });

export const RefundStatusText = Str(
  'Reverse order status: `100` waiting for the seller to agree, `200` agreed, return the goods (return and refund), ' +
    '`300` returned, waiting for the seller to receive them, `400` refunded, `-10` refused by the seller (modify it ' +
    'to ask again), `-20` closed (cancelled or timed out)',
  '100',
);
export const RefundTypeInt = Int('Refund type: 1 refund only, 2 return and refund', 1, 2, 1);
export const GoodsStatusInt = Int(
  'Goods status: 1 not shipped by the seller, 2 shipped, not received, 3 received by the buyer, 4 received at the warehouse',
  1,
  4,
  1,
);

export const RefundOrder = Type.Object(
  {
    refundId: Str('Reverse order id', '1796214365581049856'),
    refundOuterId: Nullable(Str('The marketplace’s id'), 'The marketplace’s id of the reverse order (for its support)'),
    refundStatus: RefundStatusText,
    refundType: RefundTypeInt,
    goodsStatus: GoodsStatusInt,
    refundFee: Fen('Amount asked for', 7499),
    refundedFee: Fen('Amount credited to your balance (once refunded)', 0),
    reasonId: Str('Reason id (from the render)', '403769'),
    reasonDesc: Str('Reason, Chinese original', '不想要了'),
    reasonDescTrans: Str('Reason in the requested language', 'I no longer want it'),
    refundDesc: Str('Your description', ''),
    refundImages: Type.Array(Str('Picture URL'), {
      description: 'Evidence pictures: signed links that expire (ask again for fresh ones)',
    }),
    payOrderId: Str('The marketplace’s id of the line (Taobao sub-order)', '3728109134260933749'),
    canEditFee: Type.Boolean({ description: 'Whether the amount may still be changed (`/open/order/refund/modify`)' }),
    feeTips: Str('About the amount', 'At most 74.99 CNY'),
    timeoutType: Nullable(
      Str('What the current step waits for'),
      'What the current step waits for: `sAgreeRefundT` the seller agreeing, `bModifyRefundT` your modification ' +
        'after a refusal, `bSendGoodsT` your return parcel, `sConfirmGoodsT` the seller receiving it; null when closed',
    ),
    timeoutDate: Nullable(
      Str('When the step times out'),
      'When the current step times out (epoch ms, as a string); null when none',
    ),
    remainingTime: Nullable(Str('Time left'), 'Milliseconds left before the timeout (as a string); null when none'),
    sellerRefuseReason: Nullable(Str('Refusal'), 'The seller’s reason, once refused'),
    sellerRefuseReasonDescribe: Nullable(Str('Refusal details'), 'The seller’s reason, once refused'),
    refuseTimes: Int('How many times the seller refused', 0, 1000, 0),
    version: Int('Raised by every change; drop callback messages with a lower one', 1, 2_147_483_647, 1),
    createTime: EpochMs('Submitted'),
    updateTime: EpochMs('Last changed'),
    finishTime: Nullable(EpochMs('Finished'), 'Refunded or closed (epoch ms); null while open'),
  },
  { description: 'The reverse order itself' },
);

export const PurchaseOrderLine = Type.Object(
  {
    salesOrderId: OpaqueId('order', Str('Ponte’s order id', '1795432287562383360')),
    purchaseOrderId: OpaqueId(
      'order-part',
      Str('Ponte’s id of the sub purchase order (one per seller)', '1795432287562383361'),
    ),
    purchaseOrderLineId: OpaqueId(
      'order-line',
      Str('Ponte’s id of the line (`subOrderId` of the render and submit)', '1795432287562383362'),
    ),
    supplierId: Str('Seller’s shop id', '42'),
    supplierNick: Str('Shop name, Chinese original', '最二感'),
    salesMarket: Str('Where the line was bought', 'TAOBAO_BUYER'),
    itemTitle: Str('Item title, Chinese original'),
    itemImageUrl: Str('Item picture'),
    properties: Type.Record(Type.String(), Type.String(), {
      description: 'SKU properties, Chinese original',
      examples: [{ 颜色分类: '假两件毛衣女', 尺码: 'L' }],
    }),
    quantity: Int('Quantity', 1, 1_000_000, 1),
    price: Fen('Unit price', 7499),
    productFee: Fen('Line amount', 7499),
    postFee: Fen('Shipping charged on the line', 0),
    totalPrice: Fen('What the line cost', 7499),
    currency: Type.Literal('CNY'),
    createTime: EpochMs('When the order was created'),
  },
  { description: 'The order line the reverse order is about' },
);

const LogisticsCompany = Type.Object({
  logisticCompanyCode: Str('Carrier code', 'ZTO'),
  logisticsCompanyName: Str('Carrier', '中通快递'),
});

export const RefundLogistics = Type.Object(
  {
    receiverAddress: Nullable(
      Type.Object({
        receiver: Str('Who receives the returned goods'),
        phone: Str('Their phone'),
        detailAddress: Str('Where to send them'),
      }),
      'Where the seller wants the goods back (once agreed to a return)',
    ),
    sellerAgreeReturnDescribe: Nullable(Str('Seller’s note'), 'The seller’s note with the return address'),
    logisticsCompany: Nullable(LogisticsCompany, 'The carrier of your return parcel, once sent'),
    logisticsNo: Nullable(Str('Tracking number'), 'The return parcel’s tracking number, once sent'),
    buyerPhone: Nullable(Str('Phone'), 'Your phone given with the parcel'),
    returnGoodsDesc: Nullable(Str('Note'), 'Your note given with the parcel'),
    returnTime: Nullable(EpochMs('Sent'), 'When the parcel was sent (epoch ms)'),
  },
  { description: 'The return of the goods (return and refund); null until the seller agrees to a return' },
);

export const RefundOrderAggregate = Type.Object(
  {
    refundOrder: RefundOrder,
    purchaseOrderLine: PurchaseOrderLine,
    logistics: Nullable(
      RefundLogistics,
      'The return of the goods; null for a refund only, or before the seller agrees',
    ),
    subUserId: Str('The sub-account that submitted it', '2100007340000'),
  },
  { description: 'A reverse order with the line it is about (PandaPon’s `refundOrderAggregate`)' },
);

export const RefundEnvelope = {
  distributorId: Str('Your developer id', '2100007344019'),
  currency: Type.Literal('CNY', { description: 'Currency of the amounts' }),
};

export const RefundAggregateData = Type.Object({ ...RefundEnvelope, refundOrderAggregate: RefundOrderAggregate });

export type RefundOrderAggregateData = Static<typeof RefundOrderAggregate>;

/** How a view turns stored picture keys into links (signed, time-limited). */
export type PictureLinks = (keys: string[]) => string[];

/** A JSON column's value, or `fallback` when it is empty or not JSON. */
export function decoded<T>(json: string | null, fallback: T): T {
  if (!json) return fallback;
  try {
    return JSON.parse(json) as T;
  } catch {
    return fallback;
  }
}

const yuan = (fen: number) => (fen / 100).toFixed(2);

/** What the seller says with the return address (the marketplace gives no note of its own). */
export const SELLER_RETURN_NOTE = '请按地址寄回，并填写退货单号';

export function toRefundOrderAggregate(
  agg: RefundAggregate,
  lang: Language,
  links: PictureLinks,
  now: number,
): RefundOrderAggregateData {
  const { refund: r, line, part, order } = agg;
  const { title, skuProperties } = decodeLine(line);
  const reason = decoded<Partial<Localized>>(r.reason_text, {});
  const request = decoded<{ carrierName?: string; buyerPhone?: string }>(r.request, {});
  const open = r.status !== 'success' && r.status !== 'closed';
  const deadline = r.deadline === null ? null : Number(r.deadline);
  const address = decoded<ShippingAddress | null>(r.return_address, null);
  const amount = Number(r.amount_fen);
  const editable = r.status === 'wait_seller_agree' || r.status === 'seller_refused';
  return {
    refundOrder: {
      refundId: r.id,
      refundOuterId: r.upstream_refund_id,
      refundStatus: TAOBAO_REFUND_STATUS[r.status],
      refundType: TAOBAO_REFUND_TYPE[r.refund_type],
      goodsStatus: TAOBAO_GOODS_STATUS[r.goods_status],
      refundFee: amount,
      refundedFee: Number(r.credited_fen),
      reasonId: r.reason_id,
      reasonDesc: reason.zh ?? r.reason_id,
      reasonDescTrans: reason[lang] || reason.zh || r.reason_id,
      refundDesc: r.description,
      refundImages: links(decoded<string[]>(r.images, [])),
      payOrderId: line.upstream_line_id,
      canEditFee: editable,
      feeTips: `${yuan(amount)} CNY`,
      timeoutType: open ? TAOBAO_TIMEOUT_TYPE[r.status] : null,
      timeoutDate: open && deadline !== null ? String(deadline) : null,
      remainingTime: open && deadline !== null ? String(Math.max(0, deadline - now)) : null,
      sellerRefuseReason: r.refuse_reason,
      sellerRefuseReasonDescribe: r.refuse_reason,
      refuseTimes: Number(r.refuse_count),
      version: Math.max(1, Number(r.version)),
      createTime: Number(r.created_at),
      updateTime: Number(r.updated_at),
      finishTime: r.completed_at === null ? null : Number(r.completed_at),
    },
    purchaseOrderLine: {
      salesOrderId: order.id,
      purchaseOrderId: part.id,
      purchaseOrderLineId: line.id,
      supplierId: part.shop_id,
      supplierNick: shopName(part).zh,
      salesMarket: 'TAOBAO_BUYER',
      itemTitle: title.zh,
      itemImageUrl: line.image_url,
      properties: propertyMap(skuProperties, 'zh'),
      quantity: line.quantity,
      price: Number(line.unit_price_fen),
      productFee: Number(line.amount_fen),
      postFee: 0,
      totalPrice: Number(line.amount_fen),
      currency: 'CNY',
      createTime: Number(order.created_at),
    },
    logistics:
      address || r.return_tracking
        ? {
            receiverAddress: address
              ? {
                  receiver: address.receiver,
                  phone: address.phone,
                  detailAddress: [address.province, address.city, address.district, address.address].join(''),
                }
              : null,
            sellerAgreeReturnDescribe: address ? SELLER_RETURN_NOTE : null,
            logisticsCompany: r.return_carrier
              ? { logisticCompanyCode: r.return_carrier, logisticsCompanyName: request.carrierName ?? r.return_carrier }
              : null,
            logisticsNo: r.return_tracking,
            buyerPhone: request.buyerPhone ?? null,
            returnGoodsDesc: r.return_description,
            returnTime: r.return_shipped_at === null ? null : Number(r.return_shipped_at),
          }
        : null,
    subUserId: r.user_id,
  };
}
