import type { AlibabaProvider } from '../../providers/alibaba.js';
import { parseAopJson } from '../../providers/aop/json.js';
import { AOP_ORDER_APIS, AOP_ORDER_STATUSES } from '../../providers/aop/orders.js';
import { fenToYuan } from '../../providers/aop/values.js';
import { MarketRejection, type RejectionReason } from '../../providers/errors.js';
import type {
  OrderLineInput,
  ShippingAddress,
  UpstreamOrder,
  UpstreamOrderLine,
  UpstreamOrderStatus,
} from '../../providers/types.js';
import {
  type AopFakeApi,
  type AopFakeContext,
  type AopFakeParams,
  AopFakeRefusal,
  AopWholeBody,
  aopDate,
} from './fake.js';
import { aopSkuNumber } from './goods-handlers.js';

/**
 * The trade and logistics APIs of 1688's open platform in the fake gateway, answered from a marketplace behind the
 * provider interface (the sandbox's 1688), in the wire shapes the documentation gives (ADR 0016): the preview and
 * the order creation in fen, the buyer's view in yuan with `success` as text, the documented misspellings
 * (`orderPreviewResuslt`, `orderAmmount`), and the documented refusal codes. The buyer is the account of the token:
 * the marketplace's orders are that member's.
 */

/** 1688's status word for each neutral one (a closed order is `cancel`). */
const WIRE_STATUS: Record<UpstreamOrderStatus, string> = {
  wait_buyer_pay: 'waitbuyerpay',
  wait_seller_send: 'waitsellersend',
  wait_buyer_receive: 'waitbuyerreceive',
  confirmed: 'confirm_goods',
  finished: 'success',
  closed: 'cancel',
};
for (const [wire, status] of Object.entries(AOP_ORDER_STATUSES)) {
  if (wire !== 'terminated' && WIRE_STATUS[status] !== wire) throw new Error(`status ${wire} is not mapped back`);
}

/** The preview's refusal for a line the marketplace cannot sell. */
const PREVIEW_CODES: Record<string, string> = {
  not_found: '500_003',
  delisted: '500_001',
  out_of_stock: '500_004',
  below_min_quantity: '500_005',
};

/** The code of the trade APIs for a refusal of the marketplace, as the provider reads them back. */
const TRADE_CODES: Record<RejectionReason, string> = {
  not_found: 'ORDER_NOT_EXIST',
  invalid_state: 'ORDER_STATUS_ERROR',
  price_changed: 'PAY_AMOUNT_ERROR',
  delisted: '500_001',
  out_of_stock: '500_004',
  below_min_quantity: '500_005',
  invalid_value: '500_002',
};

/** An object parameter, read with its long ids whole (order ids exceed 2^53). */
function jsonParam(params: AopFakeParams, name: string): unknown {
  const value = params[name];
  if (typeof value !== 'string') throw new AopFakeRefusal('gw.ParamMissing', `Missing required parameter: ${name}`);
  return parseAopJson(value);
}

function obj(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function str(value: unknown): string {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'bigint' ? String(value) : '';
}

/** Yuan as the buyer's view writes it (a BigDecimal: a JSON number whose digits are the yuan). */
function yuan(fen: number): number {
  return Number(fenToYuan(fen));
}

/** `2018-07-24 21:55:33`: the logistics trace's time form, in China's time. */
function chinaTime(ms: number): string {
  const d = new Date(ms + 8 * 3_600_000);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getUTCFullYear()}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(
    d.getUTCMinutes(),
  )}:${p(d.getUTCSeconds())}`;
}

function cargoLines(params: AopFakeParams): OrderLineInput[] {
  const cargos = jsonParam(params, 'cargoParamList');
  if (!Array.isArray(cargos) || cargos.length === 0) {
    throw new AopFakeRefusal('gw.ParamInvalid', 'cargoParamList must be a non-empty array');
  }
  return cargos.map((c) => {
    const cargo = obj(c);
    const specId = str(cargo.specId);
    return { productId: str(cargo.offerId), ...(specId ? { skuId: specId } : {}), quantity: Number(cargo.quantity) };
  });
}

function addressOf(params: AopFakeParams): ShippingAddress {
  const a = obj(jsonParam(params, 'addressParam'));
  const postcode = str(a.postCode);
  return {
    receiver: str(a.fullName),
    phone: str(a.mobile) || str(a.phone),
    province: str(a.provinceText),
    city: str(a.cityText),
    district: str(a.areaText),
    address: str(a.address),
    ...(postcode ? { postcode } : {}),
  };
}

function owner(ctx: AopFakeContext): string {
  if (!ctx.owner) throw new AopFakeRefusal('401', 'Request need user authorized', 401);
  return ctx.owner;
}

/** The buyer's view of an order (`TradeInfo`): amounts in yuan, dates in the gateway's form, ids as Longs. */
export function tradeInfo(order: UpstreamOrder, buyer: string): Record<string, unknown> {
  const date = (ms: number | null) => (ms === null ? undefined : aopDate(ms));
  const [closeReason, ...remark] = (order.closeReason ?? '').split(': ');
  const parcels = new Map<string, { shipment: NonNullable<UpstreamOrderLine['shipment']>; lineIds: string[] }>();
  for (const line of order.lines) {
    if (!line.shipment) continue;
    const parcel = parcels.get(line.shipment.trackingNo) ?? { shipment: line.shipment, lineIds: [] };
    parcel.lineIds.push(line.lineId);
    parcels.set(line.shipment.trackingNo, parcel);
  }
  const a = order.address;
  return {
    baseInfo: {
      id: BigInt(order.orderId),
      idOfStr: order.orderId,
      status: WIRE_STATUS[order.status],
      sumProductPayment: yuan(order.goodsFen),
      shippingFee: yuan(order.shippingFen),
      totalAmount: yuan(order.totalFen),
      createTime: date(order.createdAt),
      payTime: date(order.paidAt),
      allDeliveredTime: date(order.shippedAt),
      receivingTime: date(order.receivedAt),
      modifyTime: date(order.closedAt ?? order.receivedAt ?? order.shippedAt ?? order.paidAt ?? order.createdAt),
      // The marketplace writes why it closed as `who: why`: 1688 gives the kind and the remark apart.
      ...(order.closeReason
        ? { closeReason: closeReason === 'buyer' ? 'buyerCancel' : 'other', closeRemark: remark.join(': ') }
        : {}),
      buyerFeedback: order.buyerMessage,
      outOrderId: order.clientRef,
      buyerID: buyer,
      sellerID: order.shopId,
      sellerContact: { shopName: order.shopName.zh, companyName: order.shopName.zh },
      receiverInfo: {
        toFullName: a.receiver,
        toMobile: a.phone,
        toPost: a.postcode ?? '',
        toArea: [a.province, a.city, a.district, a.address].join(' '),
      },
      tradeType: '50060',
    },
    productItems: order.lines.map((l) => ({
      subItemID: BigInt(l.lineId),
      subItemIDString: l.lineId,
      productID: BigInt(l.productId),
      ...(l.skuId ? { skuID: aopSkuNumber(l.skuId), specId: l.skuId } : {}),
      name: l.title.zh,
      price: yuan(l.unitPriceFen),
      itemAmount: yuan(l.amountFen),
      quantity: l.quantity,
      refund: yuan(l.refundedFen),
      status: WIRE_STATUS[l.status],
      productImgUrl: [l.imageUrl],
      skuInfos: l.skuProperties.map((p) => ({ name: p.propName.zh, value: p.valueName.zh })),
      logisticsStatus: l.shipment ? 2 : 1,
    })),
    nativeLogistics: {
      contactPerson: a.receiver,
      mobile: a.phone,
      province: a.province,
      city: a.city,
      area: a.district,
      address: a.address,
      zip: a.postcode ?? '',
      logisticsItems: [...parcels.values()].map(({ shipment, lineIds }) => ({
        logisticsBillNo: shipment.trackingNo,
        logisticsCompanyNo: shipment.carrierCode,
        logisticsCompanyName: shipment.carrierName,
        subItemIds: lineIds.join(','),
        deliveredTime: aopDate(shipment.shippedAt),
      })),
    },
  };
}

export interface AopOrderHandlerOptions {
  /** The marketplace the answers come from (`market.alibaba` of a sandbox). */
  market: AlibabaProvider;
}

/** The handler map of the trade and logistics APIs, to pass to `buildAopFake({ handlers })`. */
export function aopOrderHandlers(options: AopOrderHandlerOptions): Record<string, AopFakeApi> {
  const { market } = options;

  /** A flat trade refusal (`success` false, `errorCode`, `errorMessage`). */
  const flatRefusal = (code: string, message: string) =>
    new AopWholeBody({ success: false, errorCode: code, errorMessage: message });

  return {
    [AOP_ORDER_APIS.preview]: {
      required: ['addressParam', 'cargoParamList'],
      json: ['addressParam', 'cargoParamList'],
      handle: async (params, ctx) => {
        const preview = await market.previewOrder({
          lines: cargoLines(params),
          address: addressOf(params),
          buyerId: owner(ctx),
        });
        const refuse = (code: string, message: string) =>
          new AopWholeBody({ success: false, errorCode: code, errorMsg: message });
        if (preview.groups.length > 1) return refuse('500_002', '不支持多个卖家的商品一起下单');
        const group = preview.groups[0];
        const bad = group?.lines.find((l) => !l.available);
        if (!group || bad) return refuse(PREVIEW_CODES[bad?.problem ?? 'not_found'] ?? '500_003', '商品不可下单');
        return new AopWholeBody({
          orderPreviewResuslt: [
            {
              sumPayment: group.totalFen,
              sumCarriage: group.shippingFen,
              sumPaymentNoCarriage: group.goodsFen,
              discountFee: 0,
              tradeModeNameList: ['assureTrade'],
              tradeModelList: [{ tradeType: 'assureTrade', name: '担保交易', opSupport: true }],
              flowFlag: 'general',
              cargoList: group.lines.map((l) => ({
                offerId: BigInt(l.productId),
                specId: l.skuId ?? '',
                ...(l.skuId ? { skuId: aopSkuNumber(l.skuId) } : {}),
                amount: l.amountFen,
                finalUnitPrice: l.unitPriceFen,
              })),
              shopPromotionList: [],
            },
          ],
          success: true,
          errorCode: '',
          errorMsg: '',
        });
      },
    },
    [AOP_ORDER_APIS.create]: {
      required: ['flow', 'addressParam', 'cargoParamList'],
      json: ['addressParam', 'cargoParamList'],
      handle: async (params, ctx) => {
        const buyerId = owner(ctx);
        const lines = cargoLines(params);
        const address = addressOf(params);
        const refuse = (code: string, message: string) =>
          new AopWholeBody({ result: { success: false, code, message }, success: false, code, message });
        if (lines.length > 50) return refuse('500_002', 'at most 50 SKUs per order');
        // One supplier per order, as the preview checks it.
        const preview = await market.previewOrder({ lines, address, buyerId });
        if (preview.groups.length > 1) return refuse('500_002', '不支持多个卖家的商品一起下单');
        const outOrderId = str(params.outOrderId) || ctx.requestId;
        const message = str(params.message);
        try {
          const orders = await market.createOrder({
            lines,
            address,
            buyerId,
            clientRef: outOrderId,
            ...(message ? { buyerMessage: message } : {}),
          });
          const [one] = orders;
          const total = orders.reduce((n, o) => n + o.totalFen, 0);
          return new AopWholeBody({
            result: {
              orderId: orders.length === 1 && one ? BigInt(one.orderId) : '',
              totalSuccessAmount: total,
              postFee: orders.reduce((n, o) => n + o.shippingFen, 0),
              success: true,
              code: '200',
              message: '',
              failedOfferList: [],
              orderList: orders.map((o) => ({
                orderId: BigInt(o.orderId),
                orderAmmount: o.totalFen,
                postFee: o.shippingFen,
              })),
            },
            success: true,
            code: '200',
            message: '',
          });
        } catch (err) {
          if (err instanceof MarketRejection) return refuse(TRADE_CODES[err.reason], err.message);
          throw err;
        }
      },
    },
    [AOP_ORDER_APIS.pay]: {
      required: ['tradeWithholdPreparePayParam'],
      json: ['tradeWithholdPreparePayParam'],
      handle: async (params, ctx) => {
        const param = obj(jsonParam(params, 'tradeWithholdPreparePayParam'));
        const refuse = (code: string, message: string) =>
          new AopWholeBody({ result: { success: false, code, message } });
        try {
          await market.payOrder(str(param.orderId), owner(ctx), Number(param.payAmount));
        } catch (err) {
          if (err instanceof MarketRejection) return refuse(TRADE_CODES[err.reason], err.message);
          throw err;
        }
        return new AopWholeBody({
          result: { success: true, code: '200', message: '', result: { payChannel: 'alipay', paySuccess: true } },
        });
      },
    },
    [AOP_ORDER_APIS.cancel]: {
      required: ['webSite', 'tradeID', 'cancelReason'],
      handle: async (params, ctx) => {
        const buyerId = owner(ctx);
        const orderId = str(params.tradeID);
        const order = await market.getOrder(orderId, buyerId);
        if (!order) return flatRefusal('ORDER_NOT_EXIST', '订单不存在');
        if (order.status !== 'wait_buyer_pay') return flatRefusal('ORDER_STATUS_ERROR', '只有未付款的订单可以取消');
        try {
          await market.cancelOrder({ orderId, buyerId, reason: str(params.remark) || str(params.cancelReason) });
        } catch (err) {
          // The status was checked just above: the marketplace refusing the state is the first seconds' rule.
          if (err instanceof MarketRejection && err.reason === 'invalid_state') {
            return flatRefusal('CLOSE_ORDER_TOO_FAST', '订单创建后10秒内不能取消');
          }
          throw err;
        }
        return new AopWholeBody({ success: true });
      },
    },
    [AOP_ORDER_APIS.get]: {
      required: ['webSite', 'orderId'],
      handle: async (params, ctx) => {
        const buyer = owner(ctx);
        const order = await market.getOrder(str(params.orderId), buyer);
        // The buyer's view writes `success` as text.
        if (!order)
          return new AopWholeBody({ success: 'false', errorCode: 'ORDER_NOT_EXIST', errorMessage: '订单不存在' });
        return new AopWholeBody({ result: tradeInfo(order, buyer), success: 'true', errorCode: '', errorMessage: '' });
      },
    },
    [AOP_ORDER_APIS.list]: {
      handle: async (params, ctx) => {
        const buyer = owner(ctx);
        const outOrderId = str(params.outOrderId);
        // The fake lists a buyer's orders by their external id only, the one query Ponte makes.
        if (!outOrderId) throw new AopFakeRefusal('gw.ParamInvalid', 'this gateway lists orders by outOrderId only');
        const orders = await market.ordersByClientRef(outOrderId, buyer);
        return new AopWholeBody({
          result: orders.map((o) => tradeInfo(o, buyer)),
          totalRecord: orders.length,
          errorCode: '',
          errorMessage: '',
        });
      },
    },
    [AOP_ORDER_APIS.confirm]: {
      required: ['orderId', 'orderEntryIds'],
      json: ['orderEntryIds'],
      handle: async (params, ctx) => {
        try {
          await market.confirmReceipt(str(params.orderId), owner(ctx));
        } catch (err) {
          if (err instanceof MarketRejection) {
            return new AopWholeBody({
              result: { success: false, errorCode: TRADE_CODES[err.reason], errorInfo: err.message },
            });
          }
          throw err;
        }
        return new AopWholeBody({ result: { success: true, errorCode: '', errorInfo: '' } });
      },
    },
    [AOP_ORDER_APIS.logistics]: {
      required: ['orderId', 'webSite'],
      handle: async (params, ctx) => {
        const traces = await market.logisticsTrace(str(params.orderId), owner(ctx));
        if (!traces) return flatRefusal('404', '订单不存在');
        return new AopWholeBody({
          result: traces.map((t) => ({
            logisticsId: `BX${t.trackingNo}`,
            logisticsBillNo: t.trackingNo,
            logisticsCompanyName: t.carrierName,
            status: t.steps.at(-1)?.status ?? 'CONSIGN',
            orderEntryIds: t.lineIds.join(','),
          })),
          success: true,
        });
      },
    },
    [AOP_ORDER_APIS.trace]: {
      required: ['orderId', 'webSite'],
      handle: async (params, ctx) => {
        const orderId = str(params.orderId);
        const traces = await market.logisticsTrace(orderId, owner(ctx));
        if (!traces) return flatRefusal('404', '订单不存在');
        // The documented answer for an order with no parcel yet.
        if (traces.length === 0) return new AopWholeBody({ errorMessage: '该订单没有物流跟踪信息。', success: true });
        return new AopWholeBody({
          logisticsTrace: traces.map((t) => ({
            logisticsId: `BX${t.trackingNo}`,
            orderId: BigInt(orderId),
            logisticsBillNo: t.trackingNo,
            logisticsSteps: t.steps.map((s) => ({ acceptTime: chinaTime(s.time), remark: s.description.zh })),
          })),
          crossPackageFulfillmentDTO: [],
          errorCode: '',
          errorMessage: '',
          success: true,
        });
      },
    },
    [AOP_ORDER_APIS.carriers]: {
      handle: async () => {
        const carriers = await market.carriers();
        return new AopWholeBody({
          result: carriers.map((c, i) => ({
            id: 100 + i,
            companyName: c.name.zh,
            companyNo: c.code,
            companyPhone: '',
            supportPrint: 'true',
            spelling: c.code.toLowerCase(),
          })),
          success: true,
          errorCode: '',
          errorMessage: '',
        });
      },
    },
  };
}
