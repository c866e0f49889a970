import { MarketRejection, type RejectionReason, UpstreamError, UpstreamUnsupportedError } from '../errors.js';
import type { CallOptions, MarketProvider } from '../market.js';
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
  ProviderSkuProperty,
  ShippingAddress,
  TraceStatus,
  TraceStep,
  UpstreamOrder,
  UpstreamOrderLine,
  UpstreamOrderStatus,
} from '../types.js';
import { TRACE_STATUSES } from '../types.js';
import { businessError, type IopClient, type IopParam } from './gateway.js';
import { localized, type TaobaoGlobalGoods, UPSTREAM } from './goods.js';
import { count, type Json, list, record, text } from './wire.js';

/**
 * The order side of the Taobao provider over Taobao Global's distributor APIs (see
 * docs/adr/0016-real-upstreams.md): `/purchase/order/render` previews, `/purchase/order/create` creates one
 * purchase order per supplier (idempotent on `outer_purchase_id`, which is the caller's `clientRef`),
 * `/purchase/order/batch/pay` pays from the account balance, `/purchase/order/asyn/cancel` cancels,
 * `/purchase/orders/query` reads orders, `/logistics/detail/get` reads parcels. The order APIs take the
 * distribution ids (`mp_id`, `mp_skuId`) and answer money in integer fen.
 */

export type TaobaoOrderOperation =
  | 'previewOrder'
  | 'createOrder'
  | 'payOrder'
  | 'cancelOrder'
  | 'confirmReceipt'
  | 'getOrder'
  | 'ordersByClientRef'
  | 'logisticsTrace'
  | 'carriers';

export type OrderCapability = { api: string } | { unsupported: string };

/** Which API answers each order operation, or why none does. */
export const ORDER_CAPABILITIES: Record<TaobaoOrderOperation, OrderCapability> = {
  previewOrder: { api: '/product/get + /traffic/item/get + /purchase/order/render' },
  createOrder: {
    api: '/product/get + /traffic/item/get + /purchase/order/render + /purchase/order/create + /purchase/orders/query',
  },
  payOrder: { api: '/purchase/orders/query + /purchase/order/batch/pay' },
  cancelOrder: { api: '/purchase/order/asyn/cancel + /purchase/orders/query' },
  // Named by an early revision of one client only; the order query's `can_confirm_receipt` says the action exists.
  confirmReceipt: { api: '/purchase/order/confirm/receipt + /purchase/orders/query' },
  getOrder: { api: '/purchase/orders/query' },
  ordersByClientRef: { api: '/purchase/orders/query' },
  logisticsTrace: { api: '/purchase/orders/query + /logistics/detail/get' },
  carriers: { unsupported: 'the distributor platform documents no carrier list; parcels name their carrier' },
};

/**
 * Business error codes of the order APIs and the refusal each stands for. The platform documents only
 * `INSUFFICIENT_BALANCE_FOR_PAYMENT`; the others are the reading the fake shares, and any code not listed is
 * an `UpstreamError`.
 */
export const ORDER_REFUSALS: Readonly<Record<string, RejectionReason>> = {
  ITEM_NOT_FOUND: 'not_found',
  SKU_NOT_FOUND: 'not_found',
  ORDER_NOT_FOUND: 'not_found',
  ITEM_OFF_SHELF: 'delisted',
  INVENTORY_NOT_ENOUGH: 'out_of_stock',
  BELOW_MIN_BUY_QUANTITY: 'below_min_quantity',
  ORDER_STATUS_NOT_SUPPORT: 'invalid_state',
  INVALID_PARAMETER: 'invalid_value',
  PRICE_CHANGED: 'price_changed',
};

/** Purchase order statuses (`BULIDING` is the platform's own spelling) and Ponte's words for them. */
export const PURCHASE_STATUSES: Readonly<Record<string, UpstreamOrderStatus>> = {
  BULIDING: 'wait_buyer_pay',
  BUILDING: 'wait_buyer_pay',
  WAIT_BUYER_P: 'wait_buyer_pay',
  WAIT_BUYER_PAY: 'wait_buyer_pay',
  WAIT_SELLER_SEND_GOODS: 'wait_seller_send',
  WAIT_BUYER_CONFIRM_GOODS: 'wait_buyer_receive',
  // Taobao's trade word for a trade the buyer confirmed: the platform keeps no separate confirmed step.
  TRADE_FINISHED: 'finished',
  TRADE_SUCCESS: 'finished',
  TRADE_CLOSED: 'closed',
  TRADE_CLOSED_BY_TAOBAO: 'closed',
};

/** Parcel node statuses (the `logistics_status` words) read as Ponte's trace steps when a node has no action code. */
const NODE_STATUSES: Readonly<Record<string, TraceStatus>> = {
  WAITING_COLLECT: 'CONSIGN',
  COLLECTED: 'ACCEPT',
  TRANSPORT: 'TRANSPORT',
  WAITING_CUSTOMS: 'TRANSPORT',
  CUSTOMS_CLEARANCE: 'TRANSPORT',
  DELIVERING: 'DELIVERING',
  SIGNED: 'SIGN',
};

/** Parcels name their carrier in Chinese only; these are the domestic carriers Ponte knows by code. */
const CARRIER_CODES: ReadonlyArray<readonly [RegExp, string]> = [
  [/顺丰/, 'SF'],
  [/中通/, 'ZTO'],
  [/圆通/, 'YTO'],
  [/申通/, 'STO'],
  [/韵达/, 'YUNDA'],
  [/极兔/, 'JTSD'],
  [/EMS|邮政/i, 'EMS'],
  [/京东/, 'JD'],
];

/** The currency the platform prices Taobao goods in. */
const CURRENCY = 'CNY';

/** The order APIs take and answer distribution ids; Ponte's products and SKUs are named by Taobao's ids. */
export interface DistributionIds {
  /** Records the distribution ids of a product read from the platform. */
  remember(product: ProviderProduct): void;
  /** The Taobao item and SKU a distribution item and SKU stand for, when known. */
  itemOf(mpId: string, mpSkuId: string | null): { productId: string; skuId: string | null } | null;
}

/** Distribution ids kept in memory for as long as the process lives. */
export class MemoryDistributionIds implements DistributionIds {
  private readonly items = new Map<string, { productId: string; skus: Map<string, string> }>();

  remember(product: ProviderProduct): void {
    if (!product.mpId) return;
    const skus = new Map<string, string>();
    for (const sku of product.skus) if (sku.mpSkuId) skus.set(sku.mpSkuId, sku.skuId);
    this.items.set(product.mpId, { productId: product.productId, skus });
  }

  itemOf(mpId: string, mpSkuId: string | null): { productId: string; skuId: string | null } | null {
    const item = this.items.get(mpId);
    if (!item) return null;
    return { productId: item.productId, skuId: mpSkuId === null ? null : (item.skus.get(mpSkuId) ?? null) };
  }
}

export interface TaobaoGlobalOrdersOptions {
  /**
   * Where distribution ids are turned back into Taobao's; in memory unless given. An order line whose item
   * was never read keeps the distribution ids the platform answered.
   */
  distributionIds?: DistributionIds;
  /** The country of the delivery address: Ponte's addresses are its warehouses in China. */
  country?: string;
  /** How many orders `ordersByClientRef` reads per page; 20 unless given. */
  pageSize?: number;
}

/** A request line resolved to its product and distribution ids, or the reason it cannot be ordered. */
interface Resolved {
  index: number;
  input: OrderRequest['lines'][number];
  product: ProviderProduct | null;
  sku: ProviderProduct['skus'][number] | null;
  problem: 'not_found' | null;
}

export class TaobaoGlobalOrders implements Pick<MarketProvider, TaobaoOrderOperation> {
  private readonly ids: DistributionIds;

  constructor(
    private readonly client: IopClient,
    /** The access token acting for a buyer (each distributor sub-account holds its own). */
    private readonly token: (buyerId: string) => Promise<string>,
    /** Resolves products: their distribution ids, titles and SKUs. */
    private readonly goods: TaobaoGlobalGoods,
    private readonly options: TaobaoGlobalOrdersOptions = {},
  ) {
    this.ids = options.distributionIds ?? new MemoryDistributionIds();
  }

  async previewOrder(request: Omit<OrderRequest, 'clientRef'>, opts?: CallOptions): Promise<OrderPreview> {
    const resolved = await this.resolve(request.lines, opts);
    return (await this.render(resolved, request, opts)).preview;
  }

  async createOrder(request: OrderRequest, opts?: CallOptions): Promise<UpstreamOrder[]> {
    if (request.lines.length === 0) throw new MarketRejection('invalid_value', 'no order lines', 'lines');
    const resolved = await this.resolve(request.lines, opts);
    const { preview, lines } = await this.render(resolved, request, opts);
    const blocked = lines.findIndex((l) => l.problem !== null);
    if (blocked >= 0) {
      // A retry after the first create took the last stock must still answer the orders it made.
      const existing = await this.ordersByClientRef(request.clientRef, request.buyerId, opts);
      if (existing.length > 0) return existing;
      const line = lines[blocked] as PreviewLine;
      throw new MarketRejection(
        line.problem ?? 'not_found',
        `product ${line.productId}${line.skuId ? ` SKU ${line.skuId}` : ''} cannot be ordered: ${line.problem}`,
        `lines[${blocked}]`,
      );
    }
    const orderLines = resolved.map((r) => {
      const line = lines[r.index];
      return {
        item_id: r.product?.mpId,
        sku_id: r.sku?.mpSkuId,
        quantity: r.input.quantity,
        price: line?.unitPriceFen,
        currency: CURRENCY,
        order_line_no: String(r.index + 1),
      };
    });
    const body = await this.call(
      request.buyerId,
      '/purchase/order/create',
      {
        outer_purchase_id: request.clientRef,
        purchase_amount: preview.totalFen,
        order_line_list: orderLines,
        receiver: this.receiver(request.address),
        order_remark: request.buyerMessage,
        support_partial_success: false,
      },
      opts,
    );
    const data = this.checked('createOrder', body);
    const ids = list(data.order_list)
      .map((o) => text(o.purchase_id))
      .filter((id): id is string => id !== null);
    if (ids.length === 0) throw new UpstreamError('createOrder', '/purchase/order/create answered no purchase order');
    const orders = await this.query(request.buyerId, { purchase_ids: ids.map(purchaseId) }, opts);
    return ids.map((id) => {
      const order = orders.find((o) => o.orderId === id);
      if (!order) throw new UpstreamError('createOrder', `purchase order ${id} is not found after its creation`);
      return order;
    });
  }

  async payOrder(
    orderId: string,
    buyerId: string,
    expectedTotalFen: number,
    opts?: CallOptions,
  ): Promise<UpstreamOrder> {
    // The payment API takes no amount: the total is checked against the order as it is read just before.
    const order = await this.mustGet(orderId, buyerId, opts);
    if (!payableAt(order, orderId, expectedTotalFen)) return order;
    const body = await this.call(
      buyerId,
      '/purchase/order/batch/pay',
      { purchaseOrderIdList: [purchaseId(orderId)] },
      opts,
    );
    const data = this.checked('payOrder', body);
    const failure = list(data.pay_failed_results).find((f) => text(f.gspOrderId) === orderId);
    const failed = Array.isArray(data.pay_failure_purchase_order_ids)
      ? data.pay_failure_purchase_order_ids.map(text).includes(orderId)
      : false;
    if (failure || failed) {
      const code = text(failure?.errorCode) ?? 'PAY_FAILED';
      throw refusal('payOrder', code, text(failure?.errorMessage) ?? code);
    }
    return this.mustGet(orderId, buyerId, opts);
  }

  async cancelOrder(request: CancelOrder, opts?: CallOptions): Promise<UpstreamOrder> {
    const body = await this.call(
      request.buyerId,
      '/purchase/order/asyn/cancel',
      { purchase_id: purchaseId(request.orderId), cancel_reason: request.reason },
      opts,
    );
    this.checked('cancelOrder', body, false);
    // The cancellation is asynchronous: the order is answered as the platform has it now.
    return this.mustGet(request.orderId, request.buyerId, opts);
  }

  async confirmReceipt(orderId: string, buyerId: string, opts?: CallOptions): Promise<UpstreamOrder> {
    const body = await this.call(
      buyerId,
      '/purchase/order/confirm/receipt',
      { purchase_id: purchaseId(orderId) },
      opts,
    );
    this.checked('confirmReceipt', body, false);
    return this.mustGet(orderId, buyerId, opts);
  }

  async getOrder(orderId: string, buyerId: string, opts?: CallOptions): Promise<UpstreamOrder | null> {
    if (!/^\d{1,30}$/.test(orderId)) return null;
    const [order] = await this.query(buyerId, { purchase_ids: [BigInt(orderId)] }, opts);
    return order && order.orderId === orderId ? order : null;
  }

  async ordersByClientRef(clientRef: string, buyerId: string, opts?: CallOptions): Promise<UpstreamOrder[]> {
    const pageSize = this.options.pageSize ?? 20;
    const found: UpstreamOrder[] = [];
    for (let page = 1; ; page++) {
      const { orders, total } = await this.queryPage(
        buyerId,
        { outer_purchase_id: clientRef, page_no: page, page_size: pageSize },
        opts,
      );
      found.push(...orders.filter((o) => o.clientRef === clientRef));
      if (orders.length < pageSize || page * pageSize >= total) break;
    }
    return found.sort((a, b) => compareIds(a.orderId, b.orderId));
  }

  async logisticsTrace(orderId: string, buyerId: string, opts?: CallOptions): Promise<LogisticsTrace[] | null> {
    const order = await this.getOrder(orderId, buyerId, opts);
    if (!order) return null;
    const traces = new Map<string, LogisticsTrace>();
    for (const line of order.lines) {
      if (!line.shipment) continue;
      const known = traces.get(line.shipment.trackingNo);
      if (known) {
        known.lineIds.push(line.lineId);
        continue;
      }
      const body = await this.call(
        buyerId,
        '/logistics/detail/get',
        { purchase_order_line_id: purchaseId(line.lineId) },
        opts,
      );
      const data = this.checked('logisticsTrace', body);
      for (const parcel of list(data.pnm_logistics_details)) {
        const trackingNo = text(parcel.mail_no) ?? '';
        if (traces.has(trackingNo)) continue;
        const carrierName = text(list(parcel.logistics_partner)[0]?.company) ?? line.shipment.carrierName;
        traces.set(trackingNo, {
          orderId,
          lineIds: trackingNo === line.shipment.trackingNo ? [line.lineId] : [],
          carrierCode: carrierCode(carrierName),
          carrierName,
          trackingNo,
          steps: list(parcel.logistics_traces).map(toStep),
        });
      }
    }
    return [...traces.values()];
  }

  async carriers(): Promise<Carrier[]> {
    throw new UpstreamUnsupportedError('carriers', UPSTREAM);
  }

  // -- calls ---------------------------------------------------------------------------------------

  private async call(
    buyerId: string,
    api: string,
    params: Record<string, IopParam>,
    opts: CallOptions | undefined,
  ): Promise<Json> {
    opts?.signal?.throwIfAborted();
    const accessToken = await this.token(buyerId);
    const { body } = await this.client.call(api, params, { accessToken, signal: opts?.signal });
    return body;
  }

  /**
   * The `data` of an answer (at the top or in `result`), after its business error if it reports one: a known
   * refusal becomes `MarketRejection`, any other an `UpstreamError`. `needsData`: an answer without data is
   * unreadable.
   */
  private checked(operation: string, body: Json, needsData = true): Json {
    const failure = businessError(body);
    if (failure) throw refusal(operation, failure.code, failure.message);
    const data = record(body.data) ?? record(record(body.result)?.data);
    if (!data && needsData) throw new UpstreamError(operation, 'the answer carries no data');
    return data ?? {};
  }

  /** The order, or the refusal a write gets for an order that is not this buyer's. */
  private async mustGet(orderId: string, buyerId: string, opts?: CallOptions): Promise<UpstreamOrder> {
    const order = await this.getOrder(orderId, buyerId, opts);
    if (!order) throw new MarketRejection('not_found', `order ${orderId}`);
    return order;
  }

  private async query(buyerId: string, params: Record<string, IopParam>, opts?: CallOptions) {
    return (await this.queryPage(buyerId, params, opts)).orders;
  }

  private async queryPage(
    buyerId: string,
    params: Record<string, IopParam>,
    opts?: CallOptions,
  ): Promise<{ orders: UpstreamOrder[]; total: number }> {
    const body = await this.call(buyerId, '/purchase/orders/query', params, opts);
    let data: Json;
    try {
      data = this.checked('getOrder', body);
    } catch (err) {
      if (err instanceof MarketRejection && err.reason === 'not_found') return { orders: [], total: 0 };
      throw err;
    }
    const orders = list(data.purchase_orders).map((o) => this.toOrder(o, buyerId));
    return { orders, total: count(data.results_total) ?? orders.length };
  }

  // -- preview ---------------------------------------------------------------------------------------

  private async resolve(lines: OrderRequest['lines'], opts?: CallOptions): Promise<Resolved[]> {
    const ids = [...new Set(lines.map((l) => l.productId))];
    const products = await this.goods.getProducts(ids, opts);
    for (const p of products) this.ids.remember(p);
    return lines.map((input, index) => {
      const product = products.find((p) => p.productId === input.productId) ?? null;
      const sku = product
        ? ((input.skuId
            ? product.skus.find((s) => s.skuId === input.skuId)
            : product.skus.length === 1
              ? product.skus[0]
              : undefined) ?? null)
        : null;
      // A product without distribution ids cannot be ordered through the platform at all.
      const orderable = product?.mpId && sku?.mpSkuId;
      return { index, input, product, sku, problem: orderable ? null : 'not_found' };
    });
  }

  private async render(
    resolved: Resolved[],
    request: Omit<OrderRequest, 'clientRef'>,
    opts?: CallOptions,
  ): Promise<{ preview: OrderPreview; lines: PreviewLine[] }> {
    const sent = resolved.filter((r) => r.problem === null);
    let data: Json = {};
    if (sent.length > 0) {
      const body = await this.call(
        request.buyerId,
        '/purchase/order/render',
        {
          render_item_List: sent.map((r) => ({
            item_id: r.product?.mpId,
            sku_id: r.sku?.mpSkuId,
            quantity: r.input.quantity,
          })),
          receiver_address: this.receiver(request.address),
        },
        opts,
      );
      data = this.checked('previewOrder', body);
    }
    const unavailable = list(data.unavailable_sku_list);
    const groups = new Map<string, PreviewGroup>();
    /** Each request line's preview, in the request's order. */
    const lines: PreviewLine[] = [];
    const sellerGroups = list(data.render_item_list);
    for (const r of resolved) {
      const shopId = r.product?.shop.shopId ?? '';
      const seller = sellerGroups.find((g) =>
        list(g.item_price_infos).some((i) => sameLine(i, r) && text(g.seller_id) !== null),
      );
      const key = seller ? (text(seller.seller_id) ?? shopId) : shopId;
      let group = groups.get(key);
      if (!group) {
        group = {
          shopId: key,
          shopName: r.product?.shop.shopName ?? localized('', null),
          sellerOpenId: null,
          lines: [],
          goodsFen: 0,
          shippingFen: seller ? (count(seller.mainland_shipping_fee) ?? 0) : 0,
          totalFen: 0,
        };
        groups.set(key, group);
      }
      const info = seller ? list(seller.item_price_infos).find((i) => sameLine(i, r)) : undefined;
      const refused = unavailable.find((u) => sameLine(u, r));
      const unit = info ? unitPrice(info) : (r.sku?.promotionPriceFen ?? 0);
      const problem: PreviewLine['problem'] =
        r.problem ?? (refused ? lineProblem(text(refused.error_code)) : info ? null : 'not_found');
      const line: PreviewLine = {
        ...r.input,
        ...(r.sku ? { skuId: r.sku.skuId } : {}),
        title: r.product?.title ?? localized('', null),
        skuProperties: r.sku?.properties ?? [],
        unitPriceFen: r.sku ? unit : 0,
        amountFen: r.sku ? unit * r.input.quantity : 0,
        available: problem === null,
        problem,
        stock: r.sku?.stock ?? 0,
      };
      group.lines.push(line);
      lines.push(line);
      if (line.available) group.goodsFen += line.amountFen;
    }
    let totalFen = 0;
    for (const group of groups.values()) {
      const seller = sellerGroups.find((g) => text(g.seller_id) === group.shopId);
      const orderFee = seller ? count(seller.order_fee) : null;
      group.totalFen = orderFee ?? group.goodsFen + group.shippingFen;
      totalFen += group.totalFen;
    }
    return {
      preview: { groups: [...groups.values()], totalFen: count(data.total_real_pay_price) ?? totalFen },
      lines,
    };
  }

  private receiver(address: ShippingAddress): Json {
    return {
      name: address.receiver,
      phone: address.phone,
      mobile_phone: address.phone,
      country: this.options.country ?? 'CN',
      state: address.province,
      city: address.city,
      district: address.district,
      address: address.address,
      ...(address.postcode ? { zip: address.postcode } : {}),
    };
  }

  // -- orders ------------------------------------------------------------------------------------------

  private toOrder(o: Json, buyerId: string): UpstreamOrder {
    const status = orderStatus(o.status);
    const subs = list(o.sub_purchase_orders);
    const lines = subs.map((s) => this.toLine(s));
    const goodsFen = count(o.product_amount) ?? lines.reduce((sum, l) => sum + l.amountFen, 0);
    const shippingFen = count(o.domestic_post_fee) ?? 0;
    const totalFen = count(o.purchase_amount) ?? goodsFen + shippingFen;
    const receiver = record(o.receiver) ?? {};
    const options = record(subs[0]?.option_fields) ?? {};
    const modified = time(o.modify_time);
    const shippedTimes = lines.map((l) => l.shipment?.shippedAt ?? null).filter((t): t is number => t !== null);
    const shipped = status === 'wait_buyer_receive' || status === 'confirmed' || status === 'finished';
    return {
      platform: 'taobao',
      orderId: text(o.purchase_id) ?? '',
      buyerId,
      clientRef: text(o.outer_purchase_id) ?? '',
      shopId: text(options.shopId) ?? '',
      // The platform names the shop in Chinese only.
      shopName: localized(text(options.shopName) ?? '', null),
      sellerOpenId: null,
      status,
      lines,
      goodsFen,
      shippingFen,
      adjustFen: totalFen - goodsFen - shippingFen,
      totalFen,
      address: {
        receiver: text(receiver.name) ?? '',
        phone: text(receiver.phone) ?? text(receiver.mobile_phone) ?? '',
        province: text(receiver.state) ?? '',
        city: text(receiver.city) ?? '',
        district: text(receiver.district) ?? '',
        address: text(receiver.address) ?? '',
        ...(text(receiver.zip) ? { postcode: text(receiver.zip) as string } : {}),
      },
      buyerMessage: text(o.order_remark) ?? '',
      createdAt: time(o.created_time) ?? 0,
      paidAt: time(o.pay_time),
      // The query carries no shipping, receipt or closing time of the order: a parcel's dispatch time and the
      // order's last change stand for them.
      shippedAt: shipped && shippedTimes.length > 0 ? Math.max(...shippedTimes) : null,
      receivedAt: status === 'finished' ? modified : null,
      closedAt: status === 'closed' ? modified : null,
      closeReason: subs.map((s) => text(s.close_reason)).find((r) => !!r) ?? null,
    };
  }

  private toLine(s: Json): UpstreamOrderLine {
    const mpId = text(s.item_id) ?? '';
    const mpSkuId = text(s.sku_id);
    const item = this.ids.itemOf(mpId, mpSkuId);
    const quantity = count(s.quantity) ?? 0;
    const amountFen = count(s.product_amount) ?? count(s.purchase_amount) ?? 0;
    const skuInfo = record(s.sku_info);
    const pv = record(skuInfo?.skuPv);
    const options = record(s.option_fields);
    const logistics = list(s.logistic_orders)[0];
    const trackingNo = text(logistics?.logistic_number);
    const carrierName = text(logistics?.logistic_company_name) ?? '';
    return {
      lineId: text(s.sub_purchase_order_id) ?? '',
      productId: item?.productId ?? mpId,
      skuId: item ? item.skuId : mpSkuId,
      title: localized(text(s.title) ?? '', null),
      skuProperties: skuProperties(pv?.zh ?? options?.zh, pv?.en ?? options?.en),
      imageUrl: text(skuInfo?.skuImgUrl) ?? text(options?.SKU_IMG_URL) ?? '',
      quantity,
      unitPriceFen: quantity > 0 ? Math.round(amountFen / quantity) : 0,
      amountFen,
      status: orderStatus(s.status),
      shipment: trackingNo
        ? {
            carrierCode: carrierCode(carrierName),
            carrierName,
            trackingNo,
            shippedAt: time(logistics?.rts_time) ?? 0,
          }
        : null,
      // The query names a line's refund and its status, not the amount refunded: refunds are read on their own.
      refundedFen: 0,
    };
  }
}

// -- mapping helpers -----------------------------------------------------------------------------------

/** A purchase or sub-order id as the exact JSON number the platform types it as; no such order otherwise. */
function purchaseId(id: string): bigint {
  if (!/^\d{1,30}$/.test(id)) throw new MarketRejection('not_found', `order ${id}`);
  return BigInt(id);
}

function refusal(operation: string, code: string, message: string): Error {
  const reason = ORDER_REFUSALS[code.toUpperCase()];
  return reason ? new MarketRejection(reason, message) : new UpstreamError(operation, `${code}: ${message}`);
}

function lineProblem(code: string | null): PreviewLine['problem'] {
  const reason = code ? ORDER_REFUSALS[code.toUpperCase()] : undefined;
  return reason === 'delisted' || reason === 'out_of_stock' || reason === 'below_min_quantity' ? reason : 'not_found';
}

function orderStatus(value: unknown): UpstreamOrderStatus {
  const word = (text(value) ?? '').toUpperCase();
  const status = PURCHASE_STATUSES[word];
  if (!status) throw new UpstreamError('getOrder', `unknown purchase order status ${word || '(none)'}`);
  return status;
}

/** Whether a render or create line (`item_id` / `sku_id` are distribution ids) is this request line. */
function sameLine(item: Json, r: Resolved): boolean {
  return (
    r.product?.mpId != null &&
    text(item.item_id) === r.product.mpId &&
    (text(item.sku_id) ?? null) === (r.sku?.mpSkuId ?? null)
  );
}

/** The price charged per unit: the discounted one when the render gives it. */
function unitPrice(info: Json): number {
  return money(info.discount_price) ?? money(info.origin_price) ?? 0;
}

/** A render amount: `{amount, currency}` in fen, or a bare amount. */
function money(value: unknown): number | null {
  const amount = record(value)?.amount ?? value;
  return count(amount);
}

/** SKU properties from the query's property JSON (`[{prop_id, prop_name, value_id, value_name}]`). */
function skuProperties(zh: unknown, en: unknown): ProviderSkuProperty[] {
  const originals = parseList(zh);
  const translations = parseList(en);
  return originals.map((p, i) => {
    const t =
      translations.find((x) => text(x.prop_id) === text(p.prop_id) && text(x.value_id) === text(p.value_id)) ??
      translations[i];
    return {
      propId: text(p.prop_id) ?? '',
      propName: localized(text(p.prop_name) ?? '', text(t?.prop_name)),
      valueId: text(p.value_id) ?? '',
      valueName: localized(text(p.value_name) ?? '', text(t?.value_name)),
    };
  });
}

function parseList(value: unknown): Json[] {
  if (Array.isArray(value)) return list(value);
  if (typeof value !== 'string' || value.trim() === '') return [];
  try {
    return list(JSON.parse(value));
  } catch {
    return [];
  }
}

function carrierCode(name: string): string {
  for (const [pattern, code] of CARRIER_CODES) if (pattern.test(name)) return code;
  return name;
}

function toStep(node: Json): TraceStep {
  const action = (text(node.action) ?? '').toUpperCase();
  const status = (TRACE_STATUSES as readonly string[]).includes(action)
    ? (action as TraceStatus)
    : (NODE_STATUSES[(text(node.status) ?? '').toUpperCase()] ?? 'TRANSPORT');
  // Nodes are described in Chinese only.
  return {
    status,
    time: time(node.time) ?? 0,
    description: localized(text(node.status_desc) ?? text(node.standerd_desc) ?? '', null),
    province: localized(text(node.province) ?? '', null),
    city: localized(text(node.city) ?? '', null),
    facility: text(node.facility_name) ?? '',
  };
}

/**
 * Epoch milliseconds from the platform's times: epoch milliseconds (number or digits), or
 * `yyyy-MM-dd HH:mm:ss` in China's time (UTC+8), as Taobao writes times. Null for none (0 or empty).
 */
export function time(value: unknown): number | null {
  if (typeof value === 'number') return Number.isSafeInteger(value) && value > 0 ? value : null;
  const t = text(value)?.trim();
  if (!t) return null;
  if (/^\d+$/.test(t)) return Number(t) > 0 ? Number(t) : null;
  const m = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})$/.exec(t);
  if (!m) return null;
  const ms = Date.parse(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}+08:00`);
  return Number.isNaN(ms) ? null : ms;
}

/** Epoch milliseconds as `yyyy-MM-dd HH:mm:ss` in China's time. */
export function chinaTime(ms: number): string {
  return new Date(ms + 8 * 3_600_000).toISOString().slice(0, 19).replace('T', ' ');
}

function compareIds(a: string, b: string): number {
  return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
}
