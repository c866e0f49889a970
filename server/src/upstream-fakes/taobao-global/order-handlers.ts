import { isSafeNumber, parse as parseLossless } from 'lossless-json';
import { MarketRejection } from '../../providers/errors.js';
import type { TaobaoProvider } from '../../providers/taobao.js';
import { chinaTime } from '../../providers/taobao-global/orders.js';
import type {
  OrderLineInput,
  PreviewLine,
  ProviderProduct,
  ShippingAddress,
  TraceStatus,
  UpstreamOrder,
  UpstreamOrderStatus,
  UpstreamRefund,
} from '../../providers/types.js';
import { type IopFakeAccount, IopFakeError, type IopHandler, type IopHandlerContext } from './fake.js';
import { WIRE_REFUND_STATUS } from './refund-handlers.js';

/**
 * The fake gateway's order, payment and logistics APIs, answered from a Taobao market (the sandbox's) in
 * the wire shapes Taobao Global documents (see docs/adr/0016-real-upstreams.md): orders placed with
 * distribution ids (`mp_id`, `mp_skuId`), one purchase order per supplier, idempotent on
 * `outer_purchase_id`, money in integer fen, statuses in the platform's words (`BULIDING` misspelt as it
 * is), payment from a balance, asynchronous cancellation, parcels with their trace. Each account's token
 * stands for one buyer of the market.
 */

export interface OrderHandlersOptions {
  market: TaobaoProvider;
  /** The market buyer an account orders as; the account's login name unless given. */
  buyerOf?: (account: IopFakeAccount) => string;
  /** The distributor balance payments draw on, in fen; unlimited unless given. */
  balanceFen?: { value: number };
}

const STATUSES: Record<UpstreamOrderStatus, string> = {
  wait_buyer_pay: 'WAIT_BUYER_P',
  wait_seller_send: 'WAIT_SELLER_SEND_GOODS',
  wait_buyer_receive: 'WAIT_BUYER_CONFIRM_GOODS',
  // Taobao has no step between the buyer's confirmation and the trade's end.
  confirmed: 'TRADE_FINISHED',
  finished: 'TRADE_FINISHED',
  closed: 'TRADE_CLOSED',
};

/** A trace step's parcel status, in the platform's `logistics_status` words. */
const NODE_STATUS: Record<TraceStatus, string> = {
  CONSIGN: 'WAITING_COLLECT',
  ACCEPT: 'COLLECTED',
  TRANSPORT: 'DELIVERING',
  DELIVERING: 'DELIVERING',
  SIGN: 'SIGNED',
};

const REASON_CODES: Record<string, string> = {
  not_found: 'ITEM_NOT_FOUND',
  delisted: 'ITEM_OFF_SHELF',
  out_of_stock: 'INVENTORY_NOT_ENOUGH',
  below_min_quantity: 'BELOW_MIN_BUY_QUANTITY',
  invalid_state: 'ORDER_STATUS_NOT_SUPPORT',
  invalid_value: 'INVALID_PARAMETER',
  price_changed: 'PRICE_CHANGED',
};

type Json = Record<string, unknown>;

/** A decimal id as a JSON number (bigint keeps the digits beyond 2^53). */
function wireId(id: string): bigint | string {
  return /^\d{1,30}$/.test(id) ? BigInt(id) : id;
}

/** A JSON parameter; numbers beyond 2^53 (purchase ids) keep their digits as text. */
function parseJson(params: Record<string, string>, name: string): unknown {
  try {
    return parseLossless(params[name] as string, undefined, (n) => (isSafeNumber(n) ? Number(n) : n));
  } catch {
    throw new IopFakeError('InvalidParameter', `${name} is not JSON`);
  }
}

function jsonList(params: Record<string, string>, name: string): Json[] {
  const value = parseJson(params, name);
  if (!Array.isArray(value)) throw new IopFakeError('InvalidParameter', `${name} must be a JSON array`);
  return value.filter((x): x is Json => x !== null && typeof x === 'object');
}

function idText(value: unknown): string | null {
  if (typeof value === 'string' && value !== '') return value;
  if (typeof value === 'number') return String(value);
  return null;
}

function refusalCode(err: MarketRejection, notFound = 'ITEM_NOT_FOUND'): string {
  return err.reason === 'not_found' ? notFound : (REASON_CODES[err.reason] ?? 'INVALID_PARAMETER');
}

function address(value: unknown): ShippingAddress {
  const a = (value ?? {}) as Json;
  return {
    receiver: String(a.name ?? ''),
    phone: String(a.phone ?? a.mobile_phone ?? ''),
    province: String(a.state ?? ''),
    city: String(a.city ?? ''),
    district: String(a.district ?? ''),
    address: String(a.address ?? ''),
    ...(a.zip ? { postcode: String(a.zip) } : {}),
  };
}

export function orderHandlers(options: OrderHandlersOptions): Record<string, IopHandler> {
  const { market } = options;
  /** Which order a sub-order belongs to: `/logistics/detail/get` names the sub-order only. */
  const lineOrders = new Map<string, string>();

  function buyer(ctx: IopHandlerContext): string {
    if (!ctx.account) throw new IopFakeError('IllegalAccessToken');
    return options.buyerOf ? options.buyerOf(ctx.account) : ctx.account.account;
  }

  /** A line sent with distribution ids (any of the key spellings clients use) as the market's line. */
  async function marketLine(
    line: Json,
  ): Promise<{ input: OrderLineInput; product: ProviderProduct | null; mpId: string; mpSkuId: string | null }> {
    const mpId = idText(line.item_id ?? line.itemId) ?? '';
    const mpSkuId = idText(line.sku_id ?? line.skuId);
    const quantity = Number(line.quantity);
    if (!Number.isSafeInteger(quantity) || quantity < 1) {
      throw new IopFakeError('InvalidParameter', 'quantity must be a positive integer');
    }
    const product = mpId ? await market.getProductByMpId(mpId) : null;
    const sku = product?.skus.find((s) => s.mpSkuId === mpSkuId);
    return {
      // An unknown distribution id stays unknown to the market.
      input: { productId: product?.productId ?? `mp:${mpId}`, skuId: sku?.skuId ?? `mp:${mpSkuId}`, quantity },
      product,
      mpId,
      mpSkuId,
    };
  }

  async function subOrder(order: UpstreamOrder, line: UpstreamOrder['lines'][number], refunds: UpstreamRefund[]) {
    lineOrders.set(line.lineId, order.orderId);
    // A sub-order names its latest refund (the list is newest first).
    const refund = refunds.find((r) => r.lineId === line.lineId);
    const product = await market.getProduct(line.productId);
    const sku = product?.skus.find((s) => s.skuId === line.skuId);
    const props = (lang: 'zh' | 'en') =>
      JSON.stringify(
        line.skuProperties.map((p) => ({
          prop_id: p.propId,
          prop_name: p.propName[lang],
          value_id: p.valueId,
          value_name: p.valueName[lang],
        })),
      );
    return {
      sub_purchase_order_id: wireId(line.lineId),
      status: STATUSES[line.status],
      item_id: product?.mpId ?? line.productId,
      sku_id: wireId(sku?.mpSkuId ?? line.skuId ?? ''),
      title: line.title.zh,
      quantity: line.quantity,
      purchase_amount: line.amountFen,
      product_amount: line.amountFen,
      pay_amount: order.paidAt === null ? 0 : line.amountFen,
      purchase_currency: 'CNY',
      purchase_order_outer_id: `4${order.orderId.slice(1)}`,
      purchase_order_line_outer_id: `4${line.lineId.slice(1)}`,
      close_time_without_payment: 0,
      close_reason: line.status === 'closed' ? (order.closeReason ?? '') : '',
      can_confirm_receipt: line.status === 'wait_buyer_receive',
      refund_id: refund ? wireId(refund.refundId) : '',
      refund_status: refund ? WIRE_REFUND_STATUS[refund.status] : 0,
      sku_info: { skuPv: { zh: props('zh'), en: props('en') }, skuImgUrl: line.imageUrl },
      option_fields: {
        SKU_IMG_URL: line.imageUrl,
        shopId: order.shopId,
        shopName: order.shopName.zh,
        supplierNick: product?.shop.userNick ?? '',
      },
      logistic_orders: line.shipment
        ? [
            {
              logistic_company_name: line.shipment.carrierName,
              logistic_number: line.shipment.trackingNo,
              rts_time: line.shipment.shippedAt,
            },
          ]
        : [],
      international_logistic_orders: [],
    };
  }

  async function purchaseOrder(order: UpstreamOrder) {
    const refunds = await market.orderRefunds(order.orderId, order.buyerId);
    const modified = Math.max(
      order.createdAt,
      order.paidAt ?? 0,
      order.shippedAt ?? 0,
      order.receivedAt ?? 0,
      order.closedAt ?? 0,
    );
    return {
      purchase_id: wireId(order.orderId),
      outer_purchase_id: order.clientRef,
      status: STATUSES[order.status],
      purchase_amount: order.totalFen,
      product_amount: order.goodsFen,
      domestic_post_fee: order.shippingFen,
      pay_amount: order.paidAt === null ? 0 : order.totalFen,
      purchase_currency: 'CNY',
      pay_currency: 'CNY',
      created_time: order.createdAt,
      pay_time: order.paidAt ?? 0,
      modify_time: modified,
      next_close_time_without_payment: 0,
      order_remark: order.buyerMessage,
      source_market: 'TB',
      supplier_nick: (await market.getShop(order.shopId).catch(() => null))?.userNick ?? '',
      receiver: {
        name: order.address.receiver,
        phone: order.address.phone,
        country: 'CN',
        state: order.address.province,
        city: order.address.city,
        district: order.address.district,
        address: order.address.address,
        zip: order.address.postcode ?? '',
      },
      sub_purchase_orders: await Promise.all(order.lines.map((l) => subOrder(order, l, refunds))),
    };
  }

  return {
    '/purchase/order/render': {
      required: ['render_item_List'],
      handle: async (params, ctx) => {
        const buyerId = buyer(ctx);
        const lines = await Promise.all(jsonList(params, 'render_item_List').map(marketLine));
        const preview = await market.previewOrder({
          lines: lines.map((l) => l.input),
          address: address(params.receiver_address ? parseJson(params, 'receiver_address') : null),
          buyerId,
        });
        // The market's preview lines are grouped by seller; each is matched back to the wire line it came from.
        const unused = [...lines];
        const wireOf = (l: PreviewLine) => {
          const at = unused.findIndex((x) => x.input.productId === l.productId && x.input.quantity === l.quantity);
          return at >= 0 ? unused.splice(at, 1)[0] : undefined;
        };
        const unavailable: Json[] = [];
        const groups = preview.groups.map((g) => {
          const infos: Json[] = [];
          for (const l of g.lines) {
            const wire = wireOf(l);
            if (!l.available) {
              unavailable.push({
                item_id: wire?.mpId ?? '',
                sku_id: wire?.mpSkuId ?? '',
                reason: l.problem,
                error_code: REASON_CODES[l.problem ?? 'not_found'],
              });
              continue;
            }
            const sku = wire?.product?.skus.find((s) => s.skuId === l.skuId);
            infos.push({
              item_id: wire?.mpId ?? '',
              sku_id: wireId(wire?.mpSkuId ?? ''),
              quantity: l.quantity,
              origin_price: { amount: sku?.priceFen ?? l.unitPriceFen, currency: 'CNY' },
              discount_price: { amount: l.unitPriceFen, currency: 'CNY' },
            });
          }
          return {
            seller_id: wireId(g.shopId),
            nick: g.shopName.zh,
            item_price_infos: infos,
            mainland_shipping_fee: g.shippingFen,
            order_fee: g.totalFen,
            currency_code: 'CNY',
          };
        });
        return {
          result: {
            success: true,
            data: {
              render_item_list: groups.filter((g) => g.item_price_infos.length > 0),
              unavailable_sku_list: unavailable,
              total_real_pay_price: preview.totalFen,
            },
          },
        };
      },
    },
    '/purchase/order/create': {
      required: ['outer_purchase_id', 'purchase_amount', 'order_line_list', 'receiver'],
      handle: async (params, ctx) => {
        const buyerId = buyer(ctx);
        const clientRef = params.outer_purchase_id as string;
        const wire = jsonList(params, 'order_line_list');
        const lines = await Promise.all(wire.map(marketLine));
        let orders: UpstreamOrder[];
        try {
          orders = await market.createOrder({
            lines: lines.map((l) => l.input),
            address: address(parseJson(params, 'receiver')),
            buyerId,
            buyerMessage: params.order_remark,
            clientRef,
          });
        } catch (err) {
          if (!(err instanceof MarketRejection)) throw err;
          return {
            data: {
              outer_purchase_id: clientRef,
              success: false,
              error_code: refusalCode(err),
              error_message: err.message,
            },
          };
        }
        return {
          data: {
            outer_purchase_id: clientRef,
            success: true,
            order_list: await Promise.all(
              orders.map(async (o) => ({
                purchase_id: wireId(o.orderId),
                supplier_nick: (await market.getShop(o.shopId).catch(() => null))?.userNick ?? '',
                source_market: 'TB',
                estimate_amount: o.totalFen,
                estimate_currency: 'CNY',
                order_line_list: o.lines.map((l) => {
                  lineOrders.set(l.lineId, o.orderId);
                  const at = lines.findIndex((x) => x.input.productId === l.productId && x.input.skuId === l.skuId);
                  return {
                    sub_purchase_order_id: wireId(l.lineId),
                    item_id: lines[at]?.mpId ?? '',
                    sku_id: wireId(lines[at]?.mpSkuId ?? ''),
                    order_line_no: String(wire[at]?.order_line_no ?? wire[at]?.orderLineNo ?? at + 1),
                    quantity: l.quantity,
                  };
                }),
              })),
            ),
          },
        };
      },
    },
    '/purchase/order/batch/pay': {
      required: ['purchaseOrderIdList'],
      handle: async (params, ctx) => {
        const buyerId = buyer(ctx);
        const ids = (parseJson(params, 'purchaseOrderIdList') as unknown[]).map(idText);
        if (ids.length === 0 || ids.length > 10 || ids.some((id) => id === null)) {
          throw new IopFakeError('InvalidParameter', 'purchaseOrderIdList holds 1 to 10 purchase ids');
        }
        const willPay: string[] = [];
        const failed: { gspOrderId: string; errorCode: string; errorMessage: string }[] = [];
        for (const id of ids as string[]) {
          const order = await market.getOrder(id, buyerId);
          if (!order) {
            failed.push({ gspOrderId: id, errorCode: 'ORDER_NOT_FOUND', errorMessage: 'The order does not exist' });
            continue;
          }
          const balance = options.balanceFen;
          if (balance && balance.value < order.totalFen) {
            failed.push({
              gspOrderId: id,
              errorCode: 'INSUFFICIENT_BALANCE_FOR_PAYMENT',
              errorMessage: 'The account balance is not enough for this payment',
            });
            continue;
          }
          try {
            // The platform pays what the order costs now.
            await market.payOrder(id, buyerId, order.totalFen);
            if (balance) balance.value -= order.totalFen;
            willPay.push(id);
          } catch (err) {
            if (!(err instanceof MarketRejection)) throw err;
            failed.push({ gspOrderId: id, errorCode: refusalCode(err, 'ORDER_NOT_FOUND'), errorMessage: err.message });
          }
        }
        // This API writes `success` as text.
        return {
          success: 'true',
          data: {
            will_pay_purchase_order_ids: willPay.map(wireId),
            pay_failure_purchase_order_ids: failed.map((f) => wireId(f.gspOrderId)),
            pay_failed_results: failed.map((f) => ({ ...f, gspOrderId: wireId(f.gspOrderId) })),
          },
        };
      },
    },
    '/purchase/order/asyn/cancel': {
      required: ['purchase_id'],
      handle: async (params, ctx) => {
        try {
          await market.cancelOrder({
            orderId: params.purchase_id as string,
            buyerId: buyer(ctx),
            reason: params.cancel_reason ?? params.cancel_remark ?? '',
          });
          return { success: true };
        } catch (err) {
          if (!(err instanceof MarketRejection)) throw err;
          return { success: false, error_code: refusalCode(err, 'ORDER_NOT_FOUND'), error_msg: err.message };
        }
      },
    },
    '/purchase/order/confirm/receipt': {
      required: ['purchase_id'],
      handle: async (params, ctx) => {
        try {
          await market.confirmReceipt(params.purchase_id as string, buyer(ctx));
          return { success: true };
        } catch (err) {
          if (!(err instanceof MarketRejection)) throw err;
          return { success: false, error_code: refusalCode(err, 'ORDER_NOT_FOUND'), error_msg: err.message };
        }
      },
    },
    '/purchase/orders/query': async (params, ctx) => {
      const buyerId = buyer(ctx);
      const page = Number(params.page_no ?? '1');
      const pageSize = Number(params.page_size ?? '20');
      if (!Number.isSafeInteger(page) || page < 1 || !Number.isSafeInteger(pageSize) || pageSize < 1 || pageSize > 50) {
        throw new IopFakeError('InvalidParameter', 'page_no or page_size is not valid');
      }
      let orders: UpstreamOrder[] = [];
      if (params.purchase_ids) {
        const ids = (parseJson(params, 'purchase_ids') as unknown[]).map(idText);
        for (const id of ids) {
          const order = id ? await market.getOrder(id, buyerId) : null;
          if (order) orders.push(order);
        }
      } else if (params.outer_purchase_id) {
        orders = await market.ordersByClientRef(params.outer_purchase_id, buyerId);
      } else {
        throw new IopFakeError('MissingParameter', 'purchase_ids or outer_purchase_id is required');
      }
      if (params.outer_purchase_id) orders = orders.filter((o) => o.clientRef === params.outer_purchase_id);
      const slice = orders.slice((page - 1) * pageSize, page * pageSize);
      return {
        success: true,
        data: {
          results_total: orders.length,
          page_no: page,
          page_size: pageSize,
          purchase_orders: await Promise.all(slice.map(purchaseOrder)),
        },
      };
    },
    '/logistics/detail/get': {
      required: ['purchase_order_line_id'],
      handle: async (params, ctx) => {
        const lineId = params.purchase_order_line_id as string;
        const orderId = lineOrders.get(lineId);
        const traces = orderId ? await market.logisticsTrace(orderId, buyer(ctx)) : null;
        if (!orderId || !traces) {
          return {
            result: { success: false, error_code: 'ORDER_NOT_FOUND', error_msg: 'The sub-order does not exist' },
          };
        }
        const order = await market.getOrder(orderId, buyer(ctx));
        return {
          result: {
            success: true,
            data: {
              purchase_order_outer_id: wireId(`4${orderId.slice(1)}`),
              pnm_logistics_details: traces
                .filter((t) => t.lineIds.includes(lineId))
                .map((t) => {
                  const last = t.steps[t.steps.length - 1];
                  return {
                    mail_no: t.trackingNo,
                    logistics_status: last ? NODE_STATUS[last.status] : 'WAITING_COLLECT',
                    logistics_desc: last?.description.zh ?? '',
                    logistics_partner: [{ company: t.carrierName }],
                    goods_number: t.lineIds.length,
                    receiver: order
                      ? {
                          name: order.address.receiver,
                          phone: order.address.phone,
                          province: order.address.province,
                          city: order.address.city,
                          district: order.address.district,
                          address: order.address.address,
                        }
                      : {},
                    logistics_goods: (order?.lines ?? [])
                      .filter((l) => t.lineIds.includes(l.lineId))
                      .map((l) => ({ title: l.title.zh, quantity: l.quantity, image_url: l.imageUrl })),
                    logistics_traces: t.steps.map((s) => ({
                      time: chinaTime(s.time),
                      action: s.status,
                      status: NODE_STATUS[s.status],
                      status_desc: s.description.zh,
                      standerd_desc: s.description.zh,
                      province: s.province.zh,
                      city: s.city.zh,
                      facility_name: s.facility,
                    })),
                  };
                }),
            },
          },
        };
      },
    },
  };
}
