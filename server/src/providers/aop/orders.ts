import { MarketRejection, type RejectionReason, UpstreamError } from '../errors.js';
import type { CallOptions } from '../market.js';
import { payableAt } from '../payable.js';
import type {
  CancelOrder,
  Carrier,
  LogisticsTrace,
  OrderPreview,
  OrderRequest,
  PreviewGroup,
  PreviewLine,
  ProviderProduct,
  ShippingAddress,
  TraceStep,
  UpstreamOrder,
  UpstreamOrderLine,
  UpstreamOrderStatus,
} from '../types.js';
import { TRACE_STATUSES } from '../types.js';
import type { AopGateway, AopParamValue } from './gateway.js';
import { parseAopDate } from './gateway.js';
import { AopGoods, type AopGoodsOptions } from './goods.js';
import { count, idText, yuanToFen } from './values.js';
import { type Json, list, obj, same, text, truthy } from './wire.js';

/**
 * The order operations of the 1688 provider over the open platform's trade and logistics APIs (ADR 0016): the
 * preview and the cross-border order creation (fen), the buyer's view of an order (yuan), payment without a
 * password, cancelling, confirming receipt, and the buyer's logistics views. Ids stay text, statuses become the
 * neutral words, and the caller's `clientRef` travels as 1688's idempotent `outOrderId`.
 */

export type OrderOperation =
  | 'previewOrder'
  | 'createOrder'
  | 'payOrder'
  | 'cancelOrder'
  | 'confirmReceipt'
  | 'getOrder'
  | 'ordersByClientRef'
  | 'logisticsTrace'
  | 'carriers';

/** The APIs the order operations call, as `namespace:name`. */
export const AOP_ORDER_APIS = {
  preview: 'com.alibaba.trade:alibaba.createOrder.preview',
  create: 'com.alibaba.trade:alibaba.trade.createCrossOrder',
  pay: 'com.alibaba.trade:alibaba.trade.pay.protocolPay.preparePay',
  cancel: 'com.alibaba.trade:alibaba.trade.cancel',
  get: 'com.alibaba.trade:alibaba.trade.get.buyerView',
  list: 'com.alibaba.trade:alibaba.trade.getBuyerOrderList',
  confirm: 'com.alibaba.trade:trade.receivegoods.confirm',
  logistics: 'com.alibaba.logistics:alibaba.trade.getLogisticsInfos.buyerView',
  trace: 'com.alibaba.logistics:alibaba.trade.getLogisticsTraceInfo.buyerView',
  carriers: 'com.alibaba.logistics:alibaba.logistics.OpQueryLogisticCompanyList',
} as const;

const DETAIL_API = 'com.alibaba.fenxiao.crossborder:product.search.queryProductDetail';

/** Which API answers each order operation, or why none does. */
export const ORDER_CAPABILITIES: Record<OrderOperation, { api: string } | { unsupported: string }> = {
  previewOrder: { api: `${DETAIL_API} + ${AOP_ORDER_APIS.preview}` },
  createOrder: { api: `${AOP_ORDER_APIS.list} + ${AOP_ORDER_APIS.create}` },
  payOrder: { api: `${AOP_ORDER_APIS.get} + ${AOP_ORDER_APIS.pay}` },
  cancelOrder: { api: AOP_ORDER_APIS.cancel },
  confirmReceipt: { api: `${AOP_ORDER_APIS.get} + ${AOP_ORDER_APIS.confirm}` },
  getOrder: { api: AOP_ORDER_APIS.get },
  ordersByClientRef: { api: AOP_ORDER_APIS.list },
  logisticsTrace: { api: `${AOP_ORDER_APIS.get} + ${AOP_ORDER_APIS.logistics} + ${AOP_ORDER_APIS.trace}` },
  carriers: { api: AOP_ORDER_APIS.carriers },
};

/** The order flow and business type Ponte orders under: general goods, bought cross-border. */
export const AOP_ORDER_FLOW = 'general';
export const AOP_BIZ_TYPE = 'cross';

/** 1688's order status words and the neutral ones. */
export const AOP_ORDER_STATUSES: Record<string, UpstreamOrderStatus> = {
  waitbuyerpay: 'wait_buyer_pay',
  waitsellersend: 'wait_seller_send',
  waitbuyerreceive: 'wait_buyer_receive',
  confirm_goods: 'confirmed',
  success: 'finished',
  cancel: 'closed',
  terminated: 'closed',
};

/**
 * The refusal codes of the trade APIs and the rejection each is. The cancel and preview codes are documented; the
 * ones the documentation does not give (an unknown order to view or confirm, a payment at another amount) are read
 * the same way by the fake: `ORDER_NOT_EXIST`, `ORDER_STATUS_ERROR`, `PAY_AMOUNT_ERROR`.
 */
export const AOP_REFUSALS: Record<string, RejectionReason> = {
  ORDER_NOT_EXIST: 'not_found',
  '400_3': 'not_found',
  '404': 'not_found',
  'order.nopermission.buyer': 'not_found',
  ORDER_STATUS_ERROR: 'invalid_state',
  CLOSE_ORDER_TOO_FAST: 'invalid_state',
  PAY_AMOUNT_ERROR: 'price_changed',
  '500_001': 'delisted',
  '500_002': 'invalid_value',
  '500_003': 'not_found',
  '500_004': 'out_of_stock',
  '500_005': 'below_min_quantity',
};

/** Integer fen as 1688's trade APIs write them (a Long, sometimes as text). */
function fen(value: unknown, what: string): number {
  if (typeof value === 'number' && Number.isSafeInteger(value)) return value;
  if (typeof value === 'string' && /^-?\d+$/.test(value)) return Number(value);
  throw new TypeError(`${what}: not a whole number of fen (${String(value)})`);
}

/** A date field (`20180614101942000+0800`) as epoch ms, null when absent. */
function date(value: unknown): number | null {
  const t = text(value);
  return t ? parseAopDate(t) : null;
}

/** `2018-07-24 21:55:33`, China's time, as epoch ms. */
function chinaTime(value: unknown): number {
  const m = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/.exec(text(value));
  if (!m) return 0;
  const n = m.slice(1).map(Number) as [number, number, number, number, number, number];
  return Date.UTC(n[0], n[1] - 1, n[2], n[3], n[4], n[5]) - 8 * 3_600_000;
}

/**
 * The refusal a trade answer carries, if any: `success` false (a boolean or text) with `errorCode` or `code` and a
 * message under one of the names the APIs use (`errorMessage`, `errorMsg`, `erroMsg`, `errorInfo`, `message`).
 */
function refusalOf(api: string, envelope: Json): Error | undefined {
  if (!('success' in envelope) || truthy(envelope.success)) return undefined;
  const code = text(envelope.errorCode ?? envelope.code);
  const message =
    text(envelope.errorMessage ?? envelope.errorMsg ?? envelope.erroMsg ?? envelope.errorInfo ?? envelope.message) ||
    code;
  const reason = AOP_REFUSALS[code];
  return reason ? new MarketRejection(reason, message) : new UpstreamError(api, `${code || 'refused'}: ${message}`);
}

export type AopOrdersOptions = AopGoodsOptions;

export class AopOrders {
  private readonly goods: AopGoods;
  /** The supplier of each offer seen (an offer never changes supplier), so that reading orders costs no detail call. */
  private readonly sellers = new Map<string, string | null>();

  constructor(
    private readonly gateway: AopGateway,
    private readonly token: () => Promise<string>,
    options: AopOrdersOptions = {},
  ) {
    this.goods = new AopGoods(gateway, token, options);
  }

  /**
   * The lines grouped by supplier, each read from the offer's detail (title, specification, stock, minimum), and
   * each supplier's lines that can be ordered priced by 1688's preview (goods, shipping, the unit price reached).
   */
  async previewOrder(request: Omit<OrderRequest, 'clientRef'>, opts?: CallOptions): Promise<OrderPreview> {
    const products = new Map<string, ProviderProduct | null>();
    for (const line of request.lines) {
      if (products.has(line.productId)) continue;
      const product = await this.goods.getProduct(line.productId, opts);
      products.set(line.productId, product);
      if (product) this.sellers.set(line.productId, product.shop.sellerOpenId);
    }
    const groups = new Map<string, PreviewGroup>();
    for (const input of request.lines) {
      const product = products.get(input.productId) ?? null;
      const line = previewLine(input, product);
      const shopId = product?.shop.shopId ?? '';
      let group = groups.get(shopId);
      if (!group) {
        group = {
          shopId,
          shopName: product?.shop.shopName ?? same(''),
          sellerOpenId: product?.shop.sellerOpenId ?? null,
          lines: [],
          goodsFen: 0,
          shippingFen: 0,
          totalFen: 0,
        };
        groups.set(shopId, group);
      }
      group.lines.push(line);
    }
    let totalFen = 0;
    for (const group of groups.values()) {
      const open = group.lines.filter((l) => l.available);
      if (open.length > 0) {
        const body = await this.call(
          AOP_ORDER_APIS.preview,
          {
            addressParam: addressParam(request.address),
            cargoParamList: open.map(cargo),
            flow: AOP_ORDER_FLOW,
            isvBizType: AOP_BIZ_TYPE,
          },
          opts,
        );
        const failure = refusalOf(AOP_ORDER_APIS.preview, body);
        if (failure) throw failure;
        // The preview answers in `orderPreviewResuslt`, so spelt; one entry per supplier.
        const entry = obj(list(body.orderPreviewResuslt)[0]);
        const cargos = list(entry.cargoList).map(obj);
        for (const line of open) {
          const c = cargos.find((x) => text(x.offerId) === line.productId && text(x.specId) === (line.skuId ?? ''));
          if (c?.finalUnitPrice !== undefined) {
            line.unitPriceFen = fen(c.finalUnitPrice, 'finalUnitPrice');
            line.amountFen = line.unitPriceFen * line.quantity;
          }
        }
        group.goodsFen = fen(entry.sumPaymentNoCarriage, 'sumPaymentNoCarriage');
        group.shippingFen = fen(entry.sumCarriage, 'sumCarriage');
        group.totalFen = fen(entry.sumPayment, 'sumPayment');
      }
      totalFen += group.totalFen;
    }
    return { groups: [...groups.values()], totalFen };
  }

  /**
   * Creates the order with the caller's `clientRef` as `outOrderId`: the orders a call with the same reference made
   * are answered instead. 1688 takes one supplier per order: lines of several suppliers are refused.
   */
  async createOrder(request: OrderRequest, opts?: CallOptions): Promise<UpstreamOrder[]> {
    const existing = await this.ordersByClientRef(request.clientRef, request.buyerId, opts);
    if (existing.length > 0) return existing;
    if (request.lines.length === 0) throw new MarketRejection('invalid_value', 'no order lines', 'lines');
    const preview = await this.previewOrder(request, opts);
    for (const line of preview.groups.flatMap((g) => g.lines)) {
      if (line.problem) {
        const index = request.lines.findIndex((l) => l.productId === line.productId);
        throw new MarketRejection(
          line.problem,
          `${line.productId} cannot be ordered (${line.problem})`,
          `lines[${index}]`,
        );
      }
    }
    const [group, ...others] = preview.groups;
    if (!group || others.length > 0) {
      throw new MarketRejection('invalid_value', '1688 takes the goods of one supplier per order', 'lines');
    }
    const body = await this.call(
      AOP_ORDER_APIS.create,
      {
        flow: AOP_ORDER_FLOW,
        isvBizType: AOP_BIZ_TYPE,
        addressParam: addressParam(request.address),
        // The lines as the preview resolved them: a product with one specification gets its `specId`.
        cargoParamList: group.lines.map(cargo),
        outOrderId: request.clientRef,
        ...(request.buyerMessage ? { message: request.buyerMessage } : {}),
      },
      opts,
    );
    const result = obj(body.result);
    const failure = refusalOf(AOP_ORDER_APIS.create, result);
    if (failure) throw failure;
    // A split order leaves `orderId` empty and lists its parts (`orderAmmount`, so spelt) in `orderList`.
    const ids = text(result.orderId)
      ? [idText(result.orderId, AOP_ORDER_APIS.create, 'orderId')]
      : list(result.orderList).map((o) => idText(obj(o).orderId, AOP_ORDER_APIS.create, 'orderList.orderId'));
    const orders: UpstreamOrder[] = [];
    for (const id of ids) orders.push(await this.mustGet(id, request.buyerId, opts));
    return orders;
  }

  /**
   * Pays through 1688's password-free payment at `expectedTotalFen`, after reading the order: another total is
   * refused (`price_changed`) before anything is paid, and an order already paid at that total is answered as it
   * is. The payment's own answer may say unpaid on a timeout though it went through, so the order is read again.
   */
  async payOrder(
    orderId: string,
    buyerId: string,
    expectedTotalFen: number,
    opts?: CallOptions,
  ): Promise<UpstreamOrder> {
    const order = await this.mustGet(orderId, buyerId, opts);
    if (!payableAt(order, orderId, expectedTotalFen)) return order;
    const body = await this.call(
      AOP_ORDER_APIS.pay,
      {
        tradeWithholdPreparePayParam: {
          orderId: BigInt(orderId),
          payAmount: expectedTotalFen,
          opRequestId: `pay-${orderId}-${expectedTotalFen}`,
        },
      },
      opts,
    );
    const failure = refusalOf(AOP_ORDER_APIS.pay, obj(body.result));
    if (failure) throw failure;
    return this.mustGet(orderId, buyerId, opts);
  }

  async cancelOrder(request: CancelOrder, opts?: CallOptions): Promise<UpstreamOrder> {
    const body = await this.call(
      AOP_ORDER_APIS.cancel,
      {
        webSite: '1688',
        tradeID: BigInt(numeric(request.orderId)),
        cancelReason: 'buyerCancel',
        remark: request.reason,
      },
      opts,
    );
    const failure = refusalOf(AOP_ORDER_APIS.cancel, body);
    if (failure) throw failure;
    return this.mustGet(request.orderId, request.buyerId, opts);
  }

  /** Confirms receipt of every line of the order. */
  async confirmReceipt(orderId: string, buyerId: string, opts?: CallOptions): Promise<UpstreamOrder> {
    const order = await this.mustGet(orderId, buyerId, opts);
    const body = await this.call(
      AOP_ORDER_APIS.confirm,
      { orderId: BigInt(orderId), orderEntryIds: order.lines.map((l) => BigInt(l.lineId)) },
      opts,
    );
    const failure = refusalOf(AOP_ORDER_APIS.confirm, obj(body.result));
    if (failure) throw failure;
    return this.mustGet(orderId, buyerId, opts);
  }

  /**
   * The order as the buyer's view shows it. 1688 knows one buyer, the account of the token: `buyerId` is the
   * Ponte buyer the caller names, answered as given (Ponte's own records keep its buyers' orders apart).
   */
  async getOrder(orderId: string, buyerId: string, opts?: CallOptions): Promise<UpstreamOrder | null> {
    if (!/^\d+$/.test(orderId)) return null;
    const body = await this.call(AOP_ORDER_APIS.get, { webSite: '1688', orderId: BigInt(orderId) }, opts);
    const failure = refusalOf(AOP_ORDER_APIS.get, body);
    if (failure instanceof MarketRejection && failure.reason === 'not_found') return null;
    if (failure) throw failure;
    return this.order(obj(body.result), buyerId, opts);
  }

  /** The orders whose `outOrderId` is `clientRef`, by the buyer's order list. */
  async ordersByClientRef(clientRef: string, buyerId: string, opts?: CallOptions): Promise<UpstreamOrder[]> {
    const body = await this.call(AOP_ORDER_APIS.list, { page: 1, pageSize: 20, outOrderId: clientRef }, opts);
    const failure = refusalOf(AOP_ORDER_APIS.list, body);
    if (failure) throw failure;
    const found: UpstreamOrder[] = [];
    for (const trade of list(body.result)) {
      const order = await this.order(obj(trade), buyerId, opts);
      if (order.clientRef === clientRef) found.push(order);
    }
    return found.sort((a, b) => (BigInt(a.orderId) < BigInt(b.orderId) ? -1 : 1));
  }

  /**
   * The parcels of an order: the waybills (carrier, lines) from the logistics view, their steps from the trace.
   * 1688's steps carry a time and a remark only: a step's status is read from its place in the trace (the first is
   * the shipment, then pickup, transport, delivery and signing), and the remark is the description in every
   * language; province, city and facility are not given.
   */
  async logisticsTrace(orderId: string, buyerId: string, opts?: CallOptions): Promise<LogisticsTrace[] | null> {
    const order = await this.getOrder(orderId, buyerId, opts);
    if (!order) return null;
    if (order.lines.every((l) => l.shipment === null)) return [];
    const params = { orderId: BigInt(orderId), webSite: '1688' };
    const infos = await this.call(AOP_ORDER_APIS.logistics, params, opts);
    const infoFailure = refusalOf(AOP_ORDER_APIS.logistics, infos);
    if (infoFailure) throw infoFailure;
    const traced = await this.call(AOP_ORDER_APIS.trace, params, opts);
    const traceFailure = refusalOf(AOP_ORDER_APIS.trace, traced);
    if (traceFailure) throw traceFailure;
    const carrierCodes = new Map<string, string>();
    for (const line of order.lines) {
      if (line.shipment) carrierCodes.set(line.shipment.trackingNo, line.shipment.carrierCode);
    }
    const steps = new Map<string, Json[]>();
    for (const t of list(traced.logisticsTrace).map(obj)) {
      steps.set(text(t.logisticsBillNo), list(t.logisticsSteps).map(obj));
    }
    return list(infos.result).map((i) => {
      const info = obj(i);
      const trackingNo = text(info.logisticsBillNo);
      return {
        orderId,
        lineIds: text(info.orderEntryIds)
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean),
        // The logistics view names the carrier without its code: the order's waybill of the same number has it.
        carrierCode: carrierCodes.get(trackingNo) ?? '',
        carrierName: text(info.logisticsCompanyName),
        trackingNo,
        steps: (steps.get(trackingNo) ?? []).map((s, index): TraceStep => {
          const status = TRACE_STATUSES[Math.min(index, TRACE_STATUSES.length - 1)] ?? 'CONSIGN';
          return {
            status,
            time: chinaTime(s.acceptTime),
            description: same(text(s.remark)),
            province: same(''),
            city: same(''),
            facility: '',
          };
        }),
      };
    });
  }

  /** 1688's carriers: the code is the company number (`companyNo`), the name is Chinese only. */
  async carriers(opts?: CallOptions): Promise<Carrier[]> {
    const body = await this.call(AOP_ORDER_APIS.carriers, {}, opts);
    const failure = refusalOf(AOP_ORDER_APIS.carriers, body);
    if (failure) throw failure;
    return list(body.result).map((c) => ({ code: text(obj(c).companyNo), name: same(text(obj(c).companyName)) }));
  }

  // -- helpers -------------------------------------------------------------------------------------

  private async call(api: string, params: Record<string, AopParamValue>, opts?: CallOptions): Promise<Json> {
    const accessToken = await this.token();
    return obj(await this.gateway.call(api, params, { accessToken, signal: opts?.signal }));
  }

  /** The `sellerOpenId` of an offer, from its detail; null when the offer is gone. */
  private async sellerOf(productId: string, opts?: CallOptions): Promise<string | null> {
    if (!this.sellers.has(productId)) {
      const product = await this.goods.getProduct(productId, opts);
      if (!product) return null;
      this.sellers.set(productId, product.shop.sellerOpenId);
    }
    return this.sellers.get(productId) ?? null;
  }

  private async mustGet(orderId: string, buyerId: string, opts?: CallOptions): Promise<UpstreamOrder> {
    const order = await this.getOrder(orderId, buyerId, opts);
    if (!order) throw new MarketRejection('not_found', `order ${orderId}`);
    return order;
  }

  /**
   * An order of the buyer's view (amounts in yuan). The view names the seller by its account, not by the
   * `sellerOpenId` the catalogue uses: the first line's offer gives it, so that an order's shop is the shop of its
   * goods. Line titles and properties are the Chinese the order recorded, in every language.
   */
  private async order(trade: Json, buyerId: string, opts?: CallOptions): Promise<UpstreamOrder> {
    const api = AOP_ORDER_APIS.get;
    const base = obj(trade.baseInfo);
    const orderId = text(base.idOfStr) || idText(base.id, api, 'id');
    const status = statusOf(text(base.status));
    const logistics = obj(trade.nativeLogistics);
    const shipments = new Map<string, UpstreamOrderLine['shipment']>();
    for (const item of list(logistics.logisticsItems).map(obj)) {
      const shipment = {
        carrierCode: text(item.logisticsCompanyNo) || text(item.logisticsCompanyId),
        carrierName: text(item.logisticsCompanyName),
        trackingNo: text(item.logisticsBillNo),
        shippedAt: date(item.deliveredTime) ?? 0,
      };
      for (const id of text(item.subItemIds).split(',')) if (id.trim()) shipments.set(id.trim(), shipment);
    }
    const lines: UpstreamOrderLine[] = list(trade.productItems).map((p) => {
      const item = obj(p);
      const lineId = text(item.subItemIDString) || idText(item.subItemID, api, 'subItemID');
      const name = text(item.name);
      return {
        lineId,
        productId: idText(item.productID, api, 'productID'),
        skuId: text(item.specId) || null,
        title: same(name),
        skuProperties: list(item.skuInfos).map((s) => {
          const sku = obj(s);
          return {
            propId: text(sku.name),
            propName: same(text(sku.name)),
            valueId: `${text(sku.name)}:${text(sku.value)}`,
            valueName: same(text(sku.value)),
          };
        }),
        imageUrl: text(list(item.productImgUrl)[0]),
        quantity: count(item.quantity),
        unitPriceFen: yuanToFen(item.price, 'price'),
        amountFen: yuanToFen(item.itemAmount, 'itemAmount'),
        status: statusOf(text(item.status)),
        shipment: shipments.get(lineId) ?? null,
        refundedFen: item.refund === undefined ? 0 : yuanToFen(item.refund, 'refund'),
      };
    });
    const goodsFen = yuanToFen(base.sumProductPayment, 'sumProductPayment');
    const shippingFen = yuanToFen(base.shippingFee, 'shippingFee');
    const totalFen = yuanToFen(base.totalAmount, 'totalAmount');
    const contact = obj(base.sellerContact);
    const shopName = text(contact.shopName) || text(contact.companyName);
    const first = lines[0];
    const sellerOpenId = first ? await this.sellerOf(first.productId, opts) : null;
    const closed = status === 'closed';
    return {
      platform: '1688',
      orderId,
      buyerId,
      clientRef: text(base.outOrderId),
      shopId: sellerOpenId ?? text(base.sellerID),
      shopName: same(shopName),
      sellerOpenId,
      status,
      lines,
      goodsFen,
      shippingFen,
      adjustFen: totalFen - goodsFen - shippingFen,
      totalFen,
      address: addressOf(logistics, obj(base.receiverInfo)),
      buyerMessage: text(base.buyerFeedback),
      createdAt: date(base.createTime) ?? 0,
      paidAt: date(base.payTime),
      shippedAt: date(base.allDeliveredTime),
      receivedAt: date(base.receivingTime),
      closedAt: closed ? date(base.modifyTime) : null,
      closeReason: closed ? [text(base.closeReason), text(base.closeRemark)].filter(Boolean).join(': ') || null : null,
    };
  }
}

function statusOf(word: string): UpstreamOrderStatus {
  const status = AOP_ORDER_STATUSES[word];
  if (!status) throw new UpstreamError(AOP_ORDER_APIS.get, `unknown order status ${word}`);
  return status;
}

function numeric(orderId: string): string {
  if (!/^\d+$/.test(orderId)) throw new MarketRejection('not_found', `order ${orderId}`);
  return orderId;
}

/** A line of the preview read from its offer, with the problem that keeps it from being ordered. */
function previewLine(input: OrderRequest['lines'][number], product: ProviderProduct | null): PreviewLine {
  const line: PreviewLine = {
    ...input,
    title: product?.title ?? same(''),
    skuProperties: [],
    unitPriceFen: 0,
    amountFen: 0,
    available: false,
    problem: 'not_found',
    stock: 0,
  };
  if (!product) return line;
  const sku = input.skuId
    ? product.skus.find((s) => s.skuId === input.skuId)
    : product.skus.length === 1
      ? product.skus[0]
      : undefined;
  if (!sku) return line;
  line.skuId = sku.skuId;
  line.skuProperties = sku.properties;
  line.stock = sku.stock;
  line.unitPriceFen = sku.priceFen;
  line.amountFen = sku.priceFen * input.quantity;
  line.problem =
    product.status !== 'active'
      ? 'delisted'
      : input.quantity < product.minOrderQuantity
        ? 'below_min_quantity'
        : sku.stock < input.quantity
          ? 'out_of_stock'
          : null;
  line.available = line.problem === null;
  return line;
}

/** A line as `cargoParamList` takes it: the offer (a Long), its `specId`, the quantity. */
function cargo(line: { productId: string; skuId?: string; quantity: number }): Json {
  return {
    offerId: BigInt(line.productId),
    ...(line.skuId ? { specId: line.skuId } : {}),
    quantity: line.quantity,
  };
}

/** The address as `addressParam` takes it, written out in text (no address id or district code). */
function addressParam(a: ShippingAddress): Json {
  return {
    fullName: a.receiver,
    mobile: a.phone,
    phone: a.phone,
    postCode: a.postcode ?? '',
    provinceText: a.province,
    cityText: a.city,
    areaText: a.district,
    address: a.address,
  };
}

/** The delivery address: the order's domestic logistics, else the receiver's fields. */
function addressOf(logistics: Json, receiver: Json): ShippingAddress {
  const postcode = text(logistics.zip) || text(receiver.toPost);
  return {
    receiver: text(logistics.contactPerson) || text(receiver.toFullName),
    phone: text(logistics.mobile) || text(receiver.toMobile),
    province: text(logistics.province),
    city: text(logistics.city),
    district: text(logistics.area),
    address: text(logistics.address),
    ...(postcode ? { postcode } : {}),
  };
}
