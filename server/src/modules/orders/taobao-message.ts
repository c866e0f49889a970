import type { LineRow, PartRow } from './orders.repo.js';
import type { OrderAggregate } from './orders.types.js';
import { decodeLine } from './queries.js';
import { payStatusOf, propertyMap, shopName } from './taobao.schemas.js';

/**
 * The `messageBody` of Taobao order messages (docs/architecture.md §9): TM1
 * `ORDER_BUYER_VIEW_ORDER_PRICE_MODIFY` as PandaPon documents it (`salesOrderId`, `subOrders`,
 * `purchaseOrderPriceDTO`; sub-order fields in snake_case, as its page names them), and TM2
 * `ORDER_BUYER_VIEW_ORDER_STATUS_CHANGE` (ours), the same with the order's current status. One sub-order
 * per order line: Taobao's sub-order is a line. Texts are the Chinese originals (a message has no
 * request language). Receivers keep the message with the highest `version` per order.
 */

/** Taobao closes an order that is not paid within a day (docs/architecture.md §7). */
const UNPAID_CLOSE_MS = 24 * 3600 * 1000;

function subOrder(order: OrderAggregate['order'], part: PartRow, line: LineRow) {
  const unpaid = part.status === 'WAIT_BUYER_PAY';
  const { title, skuProperties } = decodeLine(line);
  return {
    purchase_order_id: part.id,
    purchase_order_outer_id: part.upstream_order_id,
    purchase_order_line_id: line.id,
    purchase_order_line_outer_id: line.upstream_line_id,
    order_line_no: line.order_line_no,
    item_id: line.product_id,
    sku_id: line.sku_id,
    mp_id: line.mp_id,
    mp_sku_id: line.mp_sku_id,
    item_title: title.zh,
    item_image_url: line.image_url,
    properties: propertyMap(skuProperties, 'zh'),
    quantity: line.quantity,
    price: line.unit_price_fen,
    product_amount: line.amount_fen,
    refunded_amount: line.refunded_fen,
    status: line.status,
    supplier_id: part.shop_id,
    supplier_nick: shopName(part).zh,
    logistic_company_code: line.carrier_code,
    logistic_company_name: line.carrier_name,
    logistic_number: line.tracking_no,
    close_time_without_payment: unpaid ? order.created_at + UNPAID_CLOSE_MS : null,
    detail_error_code: null,
    create_time: part.created_at,
    pay_time: part.paid_at,
    ship_time: part.shipped_at,
    currency: 'CNY',
  };
}

function priceOf(agg: OrderAggregate) {
  const o = agg.order;
  return {
    orderId: o.id,
    currency: 'CNY',
    productFee: o.goods_fen,
    postFee: o.shipping_fen,
    adjustFee: o.adjust_fen,
    totalPrice: o.total_fen,
    paidAmount: o.paid_fen,
    purchaseAmount: o.budget_fen,
    subPurchaseOrders: agg.parts.map(({ part }) => ({
      subPurchaseOrderId: part.id,
      purchaseOrderOuterId: part.upstream_order_id,
      productFee: part.goods_fen,
      postFee: part.shipping_fen,
      adjustFee: part.adjust_fen,
      totalPrice: part.total_fen,
    })),
  };
}

export function taobaoOrderMessageBody(agg: OrderAggregate, kind: 'price' | 'status'): Record<string, unknown> {
  const o = agg.order;
  const body: Record<string, unknown> = {
    salesOrderId: o.id,
    orderId: o.id,
    userId: o.user_id,
    sellerOrderNumber: o.seller_order_number,
    version: o.version,
    subOrders: agg.parts.flatMap(({ part, lines }) => lines.map((line) => subOrder(o, part, line))),
    purchaseOrderPriceDTO: priceOf(agg),
  };
  if (kind === 'status') {
    body.status = o.status;
    body.payStatus = payStatusOf(o.pay_state);
    body.updateTime = o.updated_at;
  }
  return body;
}
