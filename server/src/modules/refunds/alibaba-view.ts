import type { Language } from '../../platform/http/i18n.js';
import { EpochMs, Int, type Static, type TSchema, Type } from '../../platform/http/schema.js';
import { OpaqueId } from '../../platform/http/v2/annotations.js';
import type { Localized, ShippingAddress } from '../../providers/types.js';
import { decodeLine, shopName } from '../orders/index.js';
import type { RefundAggregate, RefundHistoryRow } from './refunds.repo.js';
import { ALIBABA_REFUND_STATUS, actionOf, operatorOf, TAOBAO_GOODS_STATUS } from './refunds.states.js';
import { decoded, type PictureLinks } from './taobao-view.js';

/**
 * 1688's after-sales detail (A20) in the shape PandaPon documents (1688's own refund model): every documented
 * field is present, null where Ponte has nothing to say (the marketplace's internal accounts and flags). Money
 * is integer fen, times epoch ms, ids strings.
 */

const MAX_FEN = Number.MAX_SAFE_INTEGER;
const Str = (description: string) => Type.String({ description });
const N = <T extends TSchema>(schema: T, description: string) => Type.Union([schema, Type.Null()], { description });
const NStr = (description: string) => N(Type.String(), description);
const NInt = (description: string) => N(Type.Integer({ minimum: -MAX_FEN, maximum: MAX_FEN }), description);
const NBool = (description: string) => N(Type.Boolean(), description);
const NTime = (description: string) => N(EpochMs(description), `${description} (epoch ms); null when not yet`);

export const AlibabaRefundStatus = Str(
  '1688 refund status: `waitselleragree` (the seller must agree), `waitbuyersend` (agreed: send the goods back), ' +
    '`waitsellerreceive` (returned, the seller must receive them), `refundsuccess` (refunded), `waitbuyermodify` ' +
    '(refused: modify to ask again), `refundclose` (cancelled or timed out)',
);

export const AlibabaRefundDetail = Type.Object(
  {
    id: NStr('Ponte’s refund id (the same as `refundId`)'),
    refundId: Str('Refund id, starting with `TQ`'),
    refundOuterId: NStr('The marketplace’s id of the refund (for its support)'),
    orderId: OpaqueId('order', Str('Ponte’s 1688 order id')),
    orderEntryIdList: NStr(
      'The sub-order ids (`subItemID`) it is about, as a JSON array in a string. Ids inside a string stay Ponte’s ' +
        'v1 line ids on v2 too, where `orderEntryIds` takes them as they are',
    ),
    orderEntryCountMap: NStr(
      'Goods count per sub-order, as a JSON object in a string, keyed by the v1 line ids of `orderEntryIdList` ' +
        '(also on v2)',
    ),
    status: AlibabaRefundStatus,
    taskStatus: NStr('The same as `status`'),
    disputeRequest: NInt('1 refund only, 2 return and refund'),
    disputeType: NInt('1 during the sale (the trade had not succeeded), 2 after the sale'),
    onlyRefund: NBool('Refund only'),
    refundGoods: NBool('The goods go back to the seller'),
    goodsStatus: NInt(
      'Where the goods were: 1 not shipped, 2 shipped not received, 3 received by the buyer, 4 at the warehouse',
    ),
    goodsStatusCode: NStr('The `goodsStatus` word of the create request (`refundWaitSellerSend`, ...)'),
    goodsReceived: NBool('Whether the buyer had the goods'),
    applyPayment: NInt('Goods amount asked for (fen)'),
    applyCarriage: NInt('Shipping amount asked for (fen)'),
    applyExpect: NInt('Total asked for (fen)'),
    refundPayment: NInt('Credited to your balance (fen), once refunded'),
    refundCarriage: NInt('Shipping part of what was refunded (fen)'),
    applyReason: NStr('Reason, Chinese original'),
    applyReasonTrans: NStr('Reason in the requested language'),
    applyReasonId: NStr('Reason id (from `/alibaba/refund/reason/list`)'),
    applySubReason: NStr('Sub-reason (none)'),
    applySubReasonId: NStr('Sub-reason id (none)'),
    description: NStr('Your description'),
    vouchers: Type.Array(Str('Picture URL'), {
      description: 'Evidence pictures: signed links that expire (ask again for fresh ones)',
    }),
    rejectReason: NStr('The seller’s refusal'),
    rejectReasonId: NStr('Refusal reason id (none)'),
    rejectTimes: NInt('How many times the seller refused'),
    freightBill: NStr('Tracking number of your return parcel'),
    buyerLogisticsName: NStr('Carrier of your return parcel'),
    buyerSendGoods: NBool('Whether you sent the goods back'),
    sellerReceiveAddress: NStr('Where the seller wants the goods back'),
    sellerRealName: NStr('Who receives them'),
    sellerMobile: NStr('Their phone'),
    sellerTel: NStr('Their phone'),
    productName: NStr('Item title, Chinese original'),
    buyerUserId: NStr('The sub-account that created it'),
    buyerLoginId: NStr('The same'),
    buyerMemberId: NStr('The same'),
    sellerUserId: NStr('Seller id'),
    sellerLoginId: NStr('Shop name'),
    sellerMemberId: NStr('Seller id'),
    gmtApply: NTime('Applied'),
    gmtCreate: NTime('Created'),
    gmtModified: NTime('Last changed'),
    gmtTimeOut: NTime('When the current step times out'),
    timeOutOperateType: NStr('What happens then: `AUTO_AGREE` or `AUTO_CLOSE`'),
    gmtCompleted: NTime('Refunded or closed'),
    refundOperationList: NStr(
      'Every step, as a JSON array in a string: `{operateType, operator, from, to, gmtCreate, remark}`',
    ),
    createBy: NStr('Who created it (the sub-account)'),
    createById: NStr('The same'),
    createTime: NTime('Created'),
    updateBy: NStr('Who changed it last'),
    updateById: NStr('The same'),
    updateTime: NTime('Last changed'),
    version: Int('Raised by every change; drop callback messages with a lower one', 1, 2_147_483_647),
    remark: NStr('Your description'),
    alipayPaymentId: NStr('Not used (null)'),
    buyerAlipayId: NStr('Not used (null)'),
    sellerAlipayId: NStr('Not used (null)'),
    canRefundPayment: NInt('Not used (null)'),
    crmModifyRefund: NBool('Not used (null)'),
    disburseChannel: NStr('Not used (null)'),
    extInfo: NStr('Not used (null)'),
    frozenFund: NInt('Not used (null)'),
    gmtFreezed: NTime('Not used'),
    instantRefundType: NStr('Not used (null)'),
    insufficientAccount: NBool('Not used (null)'),
    insufficientBail: NBool('Not used (null)'),
    newRefundReturn: NBool('Not used (null)'),
    prepaidBalance: NInt('Not used (null)'),
    sellerDelayDisburse: NBool('Not used (null)'),
    supportNewSteppay: NBool('Not used (null)'),
    timeOutFreeze: NBool('Not used (null)'),
    tradeTypeStr: NStr('Not used (null)'),
  },
  { description: 'A 1688 refund (after-sales case)' },
);

export type AlibabaRefundDetailData = Static<typeof AlibabaRefundDetail>;

/** The documented fields about 1688's own accounts and flags, which Ponte has nothing to say about. */
export const UNUSED_FIELDS = {
  alipayPaymentId: null,
  buyerAlipayId: null,
  sellerAlipayId: null,
  canRefundPayment: null,
  crmModifyRefund: null,
  disburseChannel: null,
  extInfo: null,
  frozenFund: null,
  gmtFreezed: null,
  instantRefundType: null,
  insufficientAccount: null,
  insufficientBail: null,
  newRefundReturn: null,
  prepaidBalance: null,
  sellerDelayDisburse: null,
  supportNewSteppay: null,
  timeOutFreeze: null,
  tradeTypeStr: null,
} as const;

export function toAlibabaRefundDetail(
  agg: RefundAggregate,
  history: RefundHistoryRow[],
  lang: Language,
  links: PictureLinks,
): AlibabaRefundDetailData {
  const { refund: r, line, part } = agg;
  const { title } = decodeLine(line);
  const reason = decoded<Partial<Localized>>(r.reason_text, {});
  const request = decoded<{ goodsStatus?: string; carrierName?: string; counts?: Record<string, number> }>(
    r.request,
    {},
  );
  const address = decoded<ShippingAddress | null>(r.return_address, null);
  const open = r.status !== 'success' && r.status !== 'closed';
  const amount = Number(r.amount_fen);
  const carriage = Number(r.carriage_fen);
  const credited = Number(r.credited_fen);
  const status = ALIBABA_REFUND_STATUS[r.status];
  const last = history.at(-1);
  const shop = shopName(part);
  return {
    id: r.id,
    refundId: r.id,
    refundOuterId: r.upstream_refund_id,
    orderId: r.order_id,
    orderEntryIdList: JSON.stringify([line.id]),
    orderEntryCountMap: JSON.stringify(request.counts ?? { [line.id]: line.quantity }),
    status,
    taskStatus: status,
    disputeRequest: r.refund_type === 'refund' ? 1 : 2,
    disputeType: Number(r.in_sales) === 1 ? 1 : 2,
    onlyRefund: r.refund_type === 'refund',
    refundGoods: r.refund_type === 'return_refund',
    goodsStatus: TAOBAO_GOODS_STATUS[r.goods_status],
    goodsStatusCode: request.goodsStatus ?? null,
    goodsReceived: r.goods_status === 'received' || r.goods_status === 'at_warehouse',
    applyPayment: amount - carriage,
    applyCarriage: carriage,
    applyExpect: amount,
    refundPayment: r.status === 'success' ? credited : null,
    refundCarriage: r.status === 'success' ? Math.min(carriage, credited) : null,
    applyReason: reason.zh ?? r.reason_id,
    applyReasonTrans: reason[lang] || reason.zh || r.reason_id,
    applyReasonId: r.reason_id,
    applySubReason: null,
    applySubReasonId: null,
    description: r.description,
    vouchers: links(decoded<string[]>(r.images, [])),
    rejectReason: r.refuse_reason,
    rejectReasonId: null,
    rejectTimes: Number(r.refuse_count),
    freightBill: r.return_tracking,
    buyerLogisticsName: r.return_carrier ? (request.carrierName ?? r.return_carrier) : null,
    buyerSendGoods: r.return_tracking !== null,
    sellerReceiveAddress: address ? [address.province, address.city, address.district, address.address].join('') : null,
    sellerRealName: address?.receiver ?? null,
    sellerMobile: address?.phone ?? null,
    sellerTel: address?.phone ?? null,
    productName: title.zh,
    buyerUserId: r.user_id,
    buyerLoginId: r.user_id,
    buyerMemberId: r.user_id,
    sellerUserId: part.seller_open_id,
    sellerLoginId: shop.zh,
    sellerMemberId: part.seller_open_id,
    gmtApply: Number(r.created_at),
    gmtCreate: Number(r.created_at),
    gmtModified: Number(r.updated_at),
    gmtTimeOut: open && r.deadline !== null ? Number(r.deadline) : null,
    timeOutOperateType: open && r.timeout_action ? (r.timeout_action === 'agree' ? 'AUTO_AGREE' : 'AUTO_CLOSE') : null,
    gmtCompleted: r.completed_at === null ? null : Number(r.completed_at),
    refundOperationList: JSON.stringify(
      history.map((h) => ({
        operateType: actionOf(h.cause),
        operator: operatorOf(actionOf(h.cause)),
        from:
          h.from_status === null ? null : ALIBABA_REFUND_STATUS[h.from_status as keyof typeof ALIBABA_REFUND_STATUS],
        to: ALIBABA_REFUND_STATUS[h.to_status as keyof typeof ALIBABA_REFUND_STATUS],
        gmtCreate: Number(h.at),
        remark: h.detail,
      })),
    ),
    createBy: r.user_id,
    createById: r.user_id,
    createTime: Number(r.created_at),
    updateBy: last ? operatorOf(actionOf(last.cause)) : r.user_id,
    updateById: last && operatorOf(actionOf(last.cause)) !== 'buyer' ? null : r.user_id,
    updateTime: Number(r.updated_at),
    version: Math.max(1, Number(r.version)),
    remark: r.description,
    ...UNUSED_FIELDS,
  };
}
