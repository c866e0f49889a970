import { EpochMs, Int, type Static, type TSchema, Type } from '../../platform/http/schema.js';
import { PARCEL_BODY_SCHEMAS, PARCEL_MESSAGE_KINDS } from '../freight/message-kinds.js';
import { AlibabaOrder, type AlibabaOrderData } from '../orders/alibaba-order-view.js';
import { TAOBAO_STATUS } from '../orders/orders.states.js';
import { AlibabaRefundDetail, type AlibabaRefundDetailData, UNUSED_FIELDS } from '../refunds/alibaba-view.js';
import { RefundOrderAggregate, type RefundOrderAggregateData } from '../refunds/taobao-view.js';
import { WAREHOUSE_BODY_SCHEMAS, WAREHOUSE_MESSAGE_KINDS } from '../warehouse/message-kinds.js';
import { DISABLED_MESSAGE_TYPE, VERIFICATION_MESSAGE_TYPE } from './callbacks.js';
import { kind } from './message-kind.js';

export type { MessageKind, MessagePlatform } from './message-kind.js';

/**
 * The `messageBody` of every callback message, one schema per kind: the source the OpenAPI `webhooks`, the
 * SDK's message types and the README's examples are generated from, and what the writers' bodies are tested
 * against. A message type alone does not name a body: `ORDER_BUYER_VIEW_ORDER_PRICE_MODIFY` is sent for both
 * platforms, each with its own. Entries are keyed as PandaPon titles its callback pages: the type prefixed by
 * the platform (`TAOBAO_…`, `1688_…`); messages about the callback URL itself have no platform and no prefix.
 */

const MAX_FEN = Number.MAX_SAFE_INTEGER;
const Fen = (description: string) => Int(`${description} (fen)`, 0, MAX_FEN);
const SignedFen = (description: string) => Int(`${description} (fen)`, -MAX_FEN, MAX_FEN);
const Str = (description: string) => Type.String({ description });
const Nullable = <T extends TSchema>(schema: T, description: string) =>
  Type.Union([schema, Type.Null()], { description });
const Time = (description: string) => Nullable(EpochMs(description), `${description} (epoch ms); null until then`);

// -- Taobao ----------------------------------------------------------------------------------------

/** One order line, in the snake_case PandaPon's Taobao callback uses for its `subOrders`. */
const TaobaoSubOrder = Type.Object(
  {
    purchase_order_id: Str('Ponte’s id of the sub purchase order (one per seller) the line belongs to'),
    purchase_order_outer_id: Str('The marketplace’s order id for that seller (Taobao order no.)'),
    purchase_order_line_id: Str('Ponte’s id of this line'),
    purchase_order_line_outer_id: Str('The marketplace’s id of this line (Taobao sub-order)'),
    order_line_no: Nullable(Str('Line number'), 'Your line number (`orderLineNo` at creation); null when none'),
    item_id: Str('Taobao item id'),
    sku_id: Nullable(Str('SKU id'), 'SKU id; null for an item without SKUs'),
    mp_id: Nullable(Str('Distribution id'), 'Distribution product id, when ordered with one'),
    mp_sku_id: Nullable(Str('Distribution SKU id'), 'Distribution SKU id, when ordered with one'),
    item_title: Str('Item title, Chinese original'),
    item_image_url: Str('Item picture'),
    properties: Type.Record(Type.String(), Type.String(), {
      description: 'SKU properties, Chinese original: property name → value',
    }),
    quantity: Int('Units', 1, MAX_FEN),
    price: Fen('Unit price charged by the marketplace'),
    product_amount: Fen('Line amount: unit price × quantity'),
    refunded_amount: Fen('Refunded so far on this line'),
    status: Str('Line status, in the order’s words (`WAIT_BUYER_PAY`, `WAIT_SELLER_SEND_GOODS`, ...)'),
    supplier_id: Str('Seller’s shop id'),
    supplier_nick: Str('Shop name, Chinese original'),
    logistic_company_code: Nullable(Str('Carrier code'), 'Domestic carrier code; null until shipped'),
    logistic_company_name: Nullable(Str('Carrier'), 'Domestic carrier name; null until shipped'),
    logistic_number: Nullable(Str('Tracking number'), 'Domestic tracking number; null until shipped'),
    close_time_without_payment: Nullable(
      EpochMs('Close time'),
      'When the marketplace closes the order if it is still not paid (epoch ms); null once paid',
    ),
    detail_error_code: Type.Null({ description: 'PandaPon’s per-line error code: Ponte reports none here (null)' }),
    create_time: EpochMs('Created (epoch ms)'),
    pay_time: Time('Paid'),
    ship_time: Time('Shipped'),
    currency: Type.Literal('CNY', { description: 'Currency of the amounts' }),
  },
  { description: 'One order line' },
);

const TaobaoPriceDto = Type.Object(
  {
    orderId: Str('Ponte’s order id'),
    currency: Type.Literal('CNY', { description: 'Currency of the amounts' }),
    productFee: Fen('Goods'),
    postFee: Fen('Domestic shipping'),
    adjustFee: SignedFen('Sellers’ changes to the price before payment, negative for a discount'),
    totalPrice: Fen('What the order costs: goods + shipping + adjustments'),
    paidAmount: Fen('Debited for this order so far'),
    purchaseAmount: Nullable(Fen('Budget'), 'Your budget (`purchaseAmount` at creation); null when none was given'),
    subPurchaseOrders: Type.Array(
      Type.Object({
        subPurchaseOrderId: Str('Ponte’s id of this sub purchase order (one per seller)'),
        purchaseOrderOuterId: Str('The marketplace’s order id for this seller'),
        productFee: Fen('Goods'),
        postFee: Fen('Domestic shipping'),
        adjustFee: SignedFen('The seller’s change to the price before payment'),
        totalPrice: Fen('What this seller charges'),
      }),
      { description: 'The amounts per seller' },
    ),
  },
  { description: 'The order’s amounts (PandaPon’s purchase-order price)' },
);

const taobaoOrderFields = {
  salesOrderId: Str('Ponte’s order id (PandaPon’s name for it)'),
  orderId: Str('Ponte’s order id (`orderId` of the order endpoints)'),
  userId: Str('The sub-account that placed the order'),
  sellerOrderNumber: Nullable(Str('Number'), 'Your order number on your own platform (`sellerOrderNumber`)'),
  version: Int('The order’s version, as in the envelope', 1, 2_147_483_647),
  subOrders: Type.Array(TaobaoSubOrder, { description: 'Every line of the order, from every seller' }),
  purchaseOrderPriceDTO: TaobaoPriceDto,
};

export const TaobaoOrderPriceMessageBody = Type.Object(taobaoOrderFields, {
  title: 'TaobaoOrderPriceMessageBody',
  description: 'A Taobao order whose price a seller changed before payment, as PandaPon’s price callback carries it',
});

export const TaobaoOrderStatusMessageBody = Type.Object(
  {
    ...taobaoOrderFields,
    status: Type.Union(
      [
        Type.Literal(TAOBAO_STATUS.waitBuyerPay),
        Type.Literal(TAOBAO_STATUS.waitSellerSend),
        Type.Literal(TAOBAO_STATUS.waitBuyerConfirm),
        Type.Literal(TAOBAO_STATUS.finished),
        Type.Literal(TAOBAO_STATUS.closed),
      ],
      {
        description:
          'The order’s status, the least advanced of its open sellers’: `WAIT_BUYER_PAY` (created), ' +
          '`WAIT_SELLER_SEND_GOODS` (paid), `WAIT_BUYER_CONFIRM_GOODS` (shipped), `TRADE_FINISHED`, `TRADE_CLOSED` ' +
          '(cancelled, or not paid in time)',
      },
    ),
    payStatus: Type.Union(
      [Type.Literal('UNPAID'), Type.Literal('PAYING'), Type.Literal('PAID'), Type.Literal('REVERSED')],
      {
        description:
          'Payment: `UNPAID`, `PAYING` (debited, the marketplace has not confirmed yet), `PAID`, or `REVERSED` ' +
          '(the debit was returned)',
      },
    ),
    updateTime: EpochMs('When the order last changed (epoch ms)'),
  },
  {
    title: 'TaobaoOrderStatusMessageBody',
    description: 'A Taobao order after a change of status: the price callback’s body, plus the status now',
  },
);

// -- 1688 ------------------------------------------------------------------------------------------

/** The order as `/alibaba/order/detail` answers it, translated fields (`…Trans`) in English. */
export const AlibabaOrderMessageBody = Type.Object(AlibabaOrder.properties, {
  title: 'AlibabaOrderMessageBody',
  description:
    'The 1688 order as `/alibaba/order/detail` answers it, so that one parser reads both; its translated ' +
    '(`…Trans`) fields are in English',
});

// -- After-sales -----------------------------------------------------------------------------------

export const TaobaoRefundMessageBody = Type.Object(
  {
    distributorId: Str('Your developer id'),
    currency: Type.Literal('CNY', { description: 'Currency of the amounts' }),
    refundOrderAggregate: RefundOrderAggregate,
  },
  {
    title: 'TaobaoRefundMessageBody',
    description: 'A Taobao reverse order after a change, as `/open/order/refund/query` answers it',
  },
);

export const AlibabaRefundMessageBody = Type.Object(
  {
    refundId: Str('Refund id (starts with `TQ`)'),
    orderId: Str('Ponte’s 1688 order id'),
    refundAction: Str(
      'What happened: `BUYER_APPLY_REFUND`, `BUYER_MODIFY_REFUND`, `BUYER_CLOSE_REFUND`, `BUYER_SEND_GOODS`, ' +
        '`SELLER_AGREE_REFUND`, `SYSTEM_AGREE_REFUND` (the seller did not answer in time), `SELLER_REFUSE_REFUND`, ' +
        '`SELLER_RECEIVE_GOODS`, `SYSTEM_RECEIVE_GOODS`, `REFUND_SUCCESS`, `SYSTEM_CLOSE_REFUND` (timed out)',
    ),
    operator: Type.Union([Type.Literal('buyer'), Type.Literal('seller'), Type.Literal('system')], {
      description: 'Who did it',
    }),
    currentStatus: Str('The refund’s status now (`waitselleragree`, ..., `refundsuccess`, `refundclose`)'),
    msgSendTime: EpochMs('When the message was written (epoch ms)'),
    refund: AlibabaRefundDetail,
  },
  {
    title: 'AlibabaRefundMessageBody',
    description: 'A 1688 refund after a change: what happened, and the refund as `/alibaba/refund/info` answers it',
  },
);

// -- The callback URL ------------------------------------------------------------------------------

export const CallbackVerificationMessageBody = Type.Object(
  {
    developId: Str('Your developer id'),
    callbackUrl: Str('The URL being saved'),
  },
  { title: 'CallbackVerificationMessageBody', description: 'The URL being saved, and whose it is' },
);

export const CallbackDisabledMessageBody = Type.Object(
  {
    callbackUrl: Str('The URL that no longer receives messages'),
    reason: Type.Union([Type.Literal('gone'), Type.Literal('failing')], {
      description: 'Why: `gone` (it answered 410 Gone) or `failing` (every attempt failed for 5 days)',
    }),
    disabledTime: EpochMs('When delivery stopped (epoch ms)'),
  },
  {
    title: 'CallbackDisabledMessageBody',
    description: 'Delivery to the callback URL stopped; save the URL again to resume it',
  },
);

/** Every body schema, by the name the SDK's types take. */
export const MESSAGE_BODY_SCHEMAS = {
  TaobaoOrderPriceMessageBody,
  TaobaoOrderStatusMessageBody,
  AlibabaOrderMessageBody,
  TaobaoRefundMessageBody,
  AlibabaRefundMessageBody,
  CallbackVerificationMessageBody,
  CallbackDisabledMessageBody,
  ...WAREHOUSE_BODY_SCHEMAS,
  ...PARCEL_BODY_SCHEMAS,
} as const;

// -- The messages ----------------------------------------------------------------------------------

// -- Examples (as the sandbox market's orders produce them) ----------------------------------------

const CREATED = 1796481939554;
const PAID = CREATED + 600_000;
const SHIPPED = PAID + 3_600_000;
const IMAGES = 'https://ponte.example.com/sandbox/images';

function taobaoExample(shipped: boolean) {
  const line: Static<typeof TaobaoSubOrder> = {
    purchase_order_id: '917064183414931464',
    purchase_order_outer_id: '3580000000000000001',
    purchase_order_line_id: '917064183414931465',
    purchase_order_line_outer_id: '3590000000000000001',
    order_line_no: '1',
    item_id: '600040000329',
    sku_id: '4000040000576',
    mp_id: '610040000329',
    mp_sku_id: '4100040000576',
    item_title: '简约PU皮瑜伽垫',
    item_image_url: `${IMAGES}/taobao/600040000329/0-khaki.jpg`,
    properties: { 颜色分类: '卡其色' },
    quantity: 1,
    price: 6240,
    product_amount: 6240,
    refunded_amount: 0,
    status: shipped ? 'WAIT_BUYER_CONFIRM_GOODS' : 'WAIT_BUYER_PAY',
    supplier_id: '200040000044',
    supplier_nick: '家居供应链',
    logistic_company_code: shipped ? 'ZTO' : null,
    logistic_company_name: shipped ? '中通快递' : null,
    logistic_number: shipped ? '776395547320680' : null,
    close_time_without_payment: shipped ? null : CREATED + 86_400_000,
    detail_error_code: null,
    create_time: CREATED,
    pay_time: shipped ? PAID : null,
    ship_time: shipped ? SHIPPED : null,
    currency: 'CNY',
  };
  const part = { subPurchaseOrderId: line.purchase_order_id, purchaseOrderOuterId: line.purchase_order_outer_id };
  return {
    salesOrderId: '917064183414931462',
    orderId: '917064183414931462',
    userId: '917064183414931457',
    sellerOrderNumber: 'SO-2026-0001',
    version: shipped ? 4 : 2,
    subOrders: [line],
    purchaseOrderPriceDTO: {
      orderId: '917064183414931462',
      currency: 'CNY' as const,
      productFee: 6240,
      postFee: 500,
      adjustFee: -240,
      totalPrice: 6500,
      paidAmount: shipped ? 6500 : 0,
      purchaseAmount: 7000,
      subPurchaseOrders: [{ ...part, productFee: 6240, postFee: 500, adjustFee: -240, totalPrice: 6500 }],
    },
  };
}

const TAOBAO_PRICE_EXAMPLE = taobaoExample(false);
const TAOBAO_STATUS_EXAMPLE: Static<typeof TaobaoOrderStatusMessageBody> = {
  ...taobaoExample(true),
  status: 'WAIT_BUYER_CONFIRM_GOODS',
  payStatus: 'PAID',
  updateTime: SHIPPED,
};

const ALIBABA_STAGES = ['made', 'price', 'paid', 'shipped', 'confirmed', 'success'] as const;
type AlibabaStage = (typeof ALIBABA_STAGES)[number] | 'buyerClose' | 'sellerClose';

const ALIBABA_STATUS: Record<AlibabaStage, string> = {
  made: 'waitbuyerpay',
  price: 'waitbuyerpay',
  paid: 'waitsellersend',
  shipped: 'waitbuyerreceive',
  confirmed: 'confirm_goods',
  success: 'success',
  buyerClose: 'cancel',
  sellerClose: 'cancel',
};

/** A 1688 order at one stage of its life: what the message of that stage carries. */
function alibabaExample(stage: AlibabaStage): AlibabaOrderData {
  // Closed orders were closed unpaid, right after creation.
  const step = (ALIBABA_STAGES as readonly string[]).indexOf(stage);
  const at = (s: (typeof ALIBABA_STAGES)[number], time: number) => (step >= ALIBABA_STAGES.indexOf(s) ? time : null);
  const status = ALIBABA_STATUS[stage];
  const repriced = step >= ALIBABA_STAGES.indexOf('price');
  const total = repriced ? 29430 : 29480;
  const paidAt = at('paid', PAID);
  const shippedAt = at('shipped', SHIPPED);
  const receivedAt = at('confirmed', SHIPPED + 2 * 86_400_000);
  const closedAt = { buyerClose: CREATED + 60_000, sellerClose: CREATED + 86_400_000 }[stage as 'buyerClose'] ?? null;
  const completeAt = closedAt ?? at('success', SHIPPED + 2 * 86_400_000 + 3_600_000);
  const closeReason =
    { buyerClose: 'buyer: buyerCancel', sellerClose: 'timeout: not paid in time' }[stage as 'buyerClose'] ?? null;
  const version = step < 0 ? 2 : step + 1;
  const subItemID = '917064199035703301';
  return {
    baseInfo: {
      id: '917064199035703298',
      idOfStr: '917064199035703298',
      status,
      tradeType: 'fxassure',
      flowTemplateCode: 'general',
      totalAmount: total,
      sumProductPayment: 28380,
      shippingFee: 1100,
      discount: total - 29480,
      paidAmount: paidAt === null ? 0 : total,
      refund: 0,
      payState: paidAt === null ? 'unpaid' : 'paid',
      createTime: CREATED,
      modifyTime: completeAt ?? receivedAt ?? shippedAt ?? paidAt ?? (repriced ? CREATED + 300_000 : CREATED),
      payTime: paidAt,
      allDeliveredTime: shippedAt,
      receivingTime: receivedAt,
      completeTime: completeAt,
      closeReason,
      buyerID: '917064199035703297',
      sellerID: 'BBBhSDT8tJHDb7CzlflkVt2lK',
      sellerOpenId: 'BBBhSDT8tJHDb7CzlflkVt2lK',
      sellerContact: { companyName: '品质批发', companyNameTrans: 'Quality Wholesale' },
      remark: '请尽快发货',
      receiverInfo: {
        toFullName: '张三',
        toMobile: '15251667788',
        toPhone: '0517-88990077',
        toPost: '310051',
        toArea: '浙江省 杭州市 滨江区 长河街道网商路699号',
        toDivisionCode: null,
      },
      refundStatus: null,
    },
    productItems: [
      {
        subItemID,
        subItemIDString: subItemID,
        productID: 700040000057,
        skuID: 5000040000096,
        specId: '5000040000096',
        name: '复古TPU软胶单肩包',
        nameTrans: 'vintage soft TPU shoulder bag',
        productImgUrl: [`${IMAGES}/1688/700040000057/0-grey.jpg`],
        skuInfos: [
          { name: '颜色分类', nameTrans: 'Colour', value: '灰色', valueTrans: 'grey' },
          { name: '尺寸', nameTrans: 'Size', value: '小号', valueTrans: 'Small' },
        ],
        quantity: 3,
        price: 9460,
        itemAmount: 28380,
        refund: 0,
        status,
        logisticsStatus: receivedAt !== null ? 3 : shippedAt !== null ? 2 : 1,
        gmtCreate: CREATED,
      },
    ],
    nativeLogistics: {
      contactPerson: '张三',
      mobile: '15251667788',
      telephone: '0517-88990077',
      province: '浙江省',
      city: '杭州市',
      area: '滨江区',
      address: '长河街道网商路699号',
      zip: '310051',
      logisticsItems:
        shippedAt === null
          ? []
          : [
              {
                logisticsBillNo: '9806304256103',
                logisticsCompanyNo: 'EMS',
                logisticsCompanyName: '中国邮政EMS',
                subItemIds: subItemID,
                deliveredTime: shippedAt,
              },
            ],
    },
    tradeTerms: [{ payStatus: paidAt === null ? '1' : '2', payTime: paidAt, payWay: 'balance', phasAmount: total }],
    guaranteesTerms: { assuranceInfo: null, assuranceType: null, qualityAssuranceType: null },
    orderRateInfo: { buyerRateStatus: 6, sellerRateStatus: 6 },
    extAttributes: [
      { key: 'upstreamOrderId', value: '240000000000000001', description: 'The order’s id on the marketplace' },
      { key: 'version', value: String(version), description: 'Raised by every change a message tells of' },
    ],
    orderInvoiceInfo: null,
  };
}

const REFUND_AT = SHIPPED + 86_400_000;

const TAOBAO_REFUND_EXAMPLE: RefundOrderAggregateData = {
  refundOrder: {
    refundId: '917064312457437184',
    refundOuterId: '110000000017',
    refundStatus: '400',
    refundType: 1,
    goodsStatus: 2,
    refundFee: 6240,
    refundedFee: 6240,
    reasonId: '403769',
    reasonDesc: '不想要了',
    reasonDescTrans: 'I no longer want it',
    refundDesc: 'Ordered the wrong colour',
    refundImages: [],
    payOrderId: '3590000000000000001',
    canEditFee: false,
    feeTips: '62.40 CNY',
    timeoutType: null,
    timeoutDate: null,
    remainingTime: null,
    sellerRefuseReason: null,
    sellerRefuseReasonDescribe: null,
    refuseTimes: 0,
    version: 2,
    createTime: REFUND_AT,
    updateTime: REFUND_AT + 3_600_000,
    finishTime: REFUND_AT + 3_600_000,
  },
  purchaseOrderLine: {
    salesOrderId: '917064183414931462',
    purchaseOrderId: '917064183414931464',
    purchaseOrderLineId: '917064183414931465',
    supplierId: '200040000044',
    supplierNick: '家居供应链',
    salesMarket: 'TAOBAO_BUYER',
    itemTitle: '简约PU皮瑜伽垫',
    itemImageUrl: `${IMAGES}/taobao/600040000329/0-khaki.jpg`,
    properties: { 颜色分类: '卡其色' },
    quantity: 1,
    price: 6240,
    productFee: 6240,
    postFee: 0,
    totalPrice: 6240,
    currency: 'CNY',
    createTime: CREATED,
  },
  logistics: null,
  subUserId: '917064183414931457',
};

function alibabaRefundExample(afterSales: boolean): Static<typeof AlibabaRefundMessageBody> {
  const at = afterSales ? SHIPPED + 3 * 86_400_000 : PAID + 60_000;
  const refund: AlibabaRefundDetailData = {
    id: 'TQ917064399287648256',
    refundId: 'TQ917064399287648256',
    refundOuterId: 'TQ0000000000000021',
    orderId: '917064199035703298',
    orderEntryIdList: '["917064199035703301"]',
    orderEntryCountMap: '{"917064199035703301":3}',
    status: 'waitselleragree',
    taskStatus: 'waitselleragree',
    disputeRequest: 1,
    disputeType: afterSales ? 2 : 1,
    onlyRefund: true,
    refundGoods: false,
    goodsStatus: afterSales ? 3 : 1,
    goodsStatusCode: afterSales ? 'aftersaleBuyerReceived' : 'refundWaitSellerSend',
    goodsReceived: afterSales,
    applyPayment: 28380,
    applyCarriage: 0,
    applyExpect: 28380,
    refundPayment: null,
    refundCarriage: null,
    applyReason: afterSales ? '质量问题' : '我不想要了',
    applyReasonTrans: afterSales ? 'Quality problem' : 'I no longer want it',
    applyReasonId: afterSales ? '403770' : '150013',
    applySubReason: null,
    applySubReasonId: null,
    description: afterSales ? '拉链坏了' : '不想要了',
    vouchers: [],
    rejectReason: null,
    rejectReasonId: null,
    rejectTimes: 0,
    freightBill: null,
    buyerLogisticsName: null,
    buyerSendGoods: false,
    sellerReceiveAddress: null,
    sellerRealName: null,
    sellerMobile: null,
    sellerTel: null,
    productName: '复古TPU软胶单肩包',
    buyerUserId: '917064199035703297',
    buyerLoginId: '917064199035703297',
    buyerMemberId: '917064199035703297',
    sellerUserId: 'BBBhSDT8tJHDb7CzlflkVt2lK',
    sellerLoginId: '品质批发',
    sellerMemberId: 'BBBhSDT8tJHDb7CzlflkVt2lK',
    gmtApply: at,
    gmtCreate: at,
    gmtModified: at,
    gmtTimeOut: at + 2 * 86_400_000,
    timeOutOperateType: 'AUTO_AGREE',
    gmtCompleted: null,
    refundOperationList:
      `[{"operateType":"BUYER_APPLY_REFUND","operator":"buyer","from":null,"to":"waitselleragree","gmtCreate":${at},` +
      '"remark":null}]',
    createBy: '917064199035703297',
    createById: '917064199035703297',
    createTime: at,
    updateBy: 'buyer',
    updateById: '917064199035703297',
    updateTime: at,
    version: 1,
    remark: afterSales ? '拉链坏了' : '不想要了',
    ...UNUSED_FIELDS,
  };
  return {
    refundId: refund.refundId,
    orderId: refund.orderId,
    refundAction: 'BUYER_APPLY_REFUND',
    operator: 'buyer',
    currentStatus: 'waitselleragree',
    msgSendTime: at,
    refund,
  };
}

/** Every message Ponte sends, by PandaPon's name for its callback page. */
export const MESSAGE_BODIES = {
  TAOBAO_ORDER_BUYER_VIEW_ORDER_PRICE_MODIFY: kind({
    messageType: 'ORDER_BUYER_VIEW_ORDER_PRICE_MODIFY',
    platform: 0,
    schema: TaobaoOrderPriceMessageBody,
    description:
      'A seller changed the price of a Taobao order before payment (`purchaseOrderPriceDTO` has the new amounts).',
    example: TAOBAO_PRICE_EXAMPLE,
  }),
  TAOBAO_ORDER_BUYER_VIEW_ORDER_STATUS_CHANGE: kind({
    messageType: 'ORDER_BUYER_VIEW_ORDER_STATUS_CHANGE',
    platform: 0,
    schema: TaobaoOrderStatusMessageBody,
    description:
      'A Taobao order was created, paid, shipped (by each seller), finished, cancelled or closed unpaid: `status` says which.',
    example: TAOBAO_STATUS_EXAMPLE,
  }),
  '1688_ORDER_BUYER_VIEW_BUYER_MAKE': kind({
    messageType: 'ORDER_BUYER_VIEW_BUYER_MAKE',
    platform: 1,
    schema: AlibabaOrderMessageBody,
    description: 'A 1688 order was created (`waitbuyerpay`).',
    example: alibabaExample('made'),
  }),
  '1688_ORDER_BUYER_VIEW_ORDER_PRICE_MODIFY': kind({
    messageType: 'ORDER_BUYER_VIEW_ORDER_PRICE_MODIFY',
    platform: 1,
    schema: AlibabaOrderMessageBody,
    description: 'The seller changed the price of a 1688 order before payment (`baseInfo.discount`, `totalAmount`).',
    example: alibabaExample('price'),
  }),
  '1688_ORDER_BUYER_VIEW_ORDER_PAY': kind({
    messageType: 'ORDER_BUYER_VIEW_ORDER_PAY',
    platform: 1,
    schema: AlibabaOrderMessageBody,
    description: 'A 1688 order was paid from the balance (`waitsellersend`).',
    example: alibabaExample('paid'),
  }),
  '1688_ORDER_BUYER_VIEW_ANNOUNCE_SENDGOODS': kind({
    messageType: 'ORDER_BUYER_VIEW_ANNOUNCE_SENDGOODS',
    platform: 1,
    schema: AlibabaOrderMessageBody,
    description:
      'The seller shipped a 1688 order (`waitbuyerreceive`; the parcels in `nativeLogistics.logisticsItems`).',
    example: alibabaExample('shipped'),
  }),
  '1688_ORDER_BUYER_VIEW_ORDER_COMFIRM_RECEIVEGOODS': kind({
    messageType: 'ORDER_BUYER_VIEW_ORDER_COMFIRM_RECEIVEGOODS',
    platform: 1,
    schema: AlibabaOrderMessageBody,
    description: 'Receipt of a 1688 order was confirmed (`confirm_goods`). The type keeps 1688’s spelling.',
    example: alibabaExample('confirmed'),
  }),
  '1688_ORDER_BUYER_VIEW_ORDER_SUCCESS': kind({
    messageType: 'ORDER_BUYER_VIEW_ORDER_SUCCESS',
    platform: 1,
    schema: AlibabaOrderMessageBody,
    description: 'A 1688 order finished (`success`), after a confirmed receipt or the market’s automatic one.',
    example: alibabaExample('success'),
  }),
  '1688_ORDER_BUYER_VIEW_ORDER_BUYER_CLOSE': kind({
    messageType: 'ORDER_BUYER_VIEW_ORDER_BUYER_CLOSE',
    platform: 1,
    schema: AlibabaOrderMessageBody,
    description: 'The buyer cancelled a 1688 order before payment (`cancel`; `baseInfo.closeReason` says why).',
    example: alibabaExample('buyerClose'),
  }),
  '1688_ORDER_BUYER_VIEW_ORDER_SELLER_CLOSE': kind({
    messageType: 'ORDER_BUYER_VIEW_ORDER_SELLER_CLOSE',
    platform: 1,
    schema: AlibabaOrderMessageBody,
    description: 'The seller or the market closed a 1688 order, e.g. not paid within a day (`cancel`).',
    example: alibabaExample('sellerClose'),
  }),
  TAOBAO_ORDER_BUYER_VIEW_ORDER_BUYER_REFUND: kind({
    messageType: 'ORDER_BUYER_VIEW_ORDER_BUYER_REFUND',
    platform: 0,
    schema: TaobaoRefundMessageBody,
    description:
      'A Taobao reverse order changed: submitted, modified, agreed, refused, its parcel sent or received, refunded ' +
      '(`400`: `refundedFee` was credited to your balance), cancelled or timed out (`-20`).',
    example: { distributorId: '917064183414931456', currency: 'CNY', refundOrderAggregate: TAOBAO_REFUND_EXAMPLE },
  }),
  '1688_ORDER_BUYER_VIEW_ORDER_BUYER_REFUND_IN_SALES': kind({
    messageType: 'ORDER_BUYER_VIEW_ORDER_BUYER_REFUND_IN_SALES',
    platform: 1,
    schema: AlibabaRefundMessageBody,
    description:
      'A 1688 refund made before the trade succeeded changed (`refundAction` says how; `refundsuccess`: ' +
      '`refund.refundPayment` was credited to your balance).',
    example: alibabaRefundExample(false),
  }),
  '1688_ORDER_BUYER_VIEW_ORDER_REFUND_AFTER_SALES': kind({
    messageType: 'ORDER_BUYER_VIEW_ORDER_REFUND_AFTER_SALES',
    platform: 1,
    schema: AlibabaRefundMessageBody,
    description: 'A 1688 refund made after the trade succeeded (`success`) changed, as above.',
    example: alibabaRefundExample(true),
  }),
  CALLBACK_VERIFICATION: kind({
    messageType: VERIFICATION_MESSAGE_TYPE,
    platform: null,
    schema: CallbackVerificationMessageBody,
    description:
      'Sent when a callback URL is saved, and only to it: the URL is saved when it answers 2xx. Its `version` is 0.',
    example: { developId: '2100007340000', callbackUrl: 'https://reseller.example/ponte/callbacks' },
  }),
  CALLBACK_DISABLED: kind({
    messageType: DISABLED_MESSAGE_TYPE,
    platform: null,
    schema: CallbackDisabledMessageBody,
    description:
      'Delivery to the callback URL stopped: it answered 410 Gone, or every attempt failed for 5 days. As the URL is ' +
      'disabled this one is held, not POSTed: list or pull it, or redeliver it once the URL is saved again.',
    example: {
      callbackUrl: 'https://reseller.example/ponte/callbacks',
      reason: 'gone',
      disabledTime: 1733385600000,
    },
  }),
  // Ponte's own: the warehouse's goods and the international parcels (docs/adr/0015), no platform.
  ...WAREHOUSE_MESSAGE_KINDS,
  ...PARCEL_MESSAGE_KINDS,
} as const;

export type MessageKindName = keyof typeof MESSAGE_BODIES;

/** The kind of a message: its type and platform name it (undefined for a type Ponte does not send). */
export function messageKindOf(messageType: string, platform: number | null): MessageKindName | undefined {
  return (Object.keys(MESSAGE_BODIES) as MessageKindName[]).find(
    (name) => MESSAGE_BODIES[name].messageType === messageType && MESSAGE_BODIES[name].platform === platform,
  );
}
