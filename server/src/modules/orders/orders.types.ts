import type { Selectable } from 'kysely';
import type { OrderLinesTable, OrderPartsTable, OrdersTable } from '../../platform/db/schema.js';
import type { Localized, ProviderSkuProperty } from '../../providers/types.js';
import type { OrderAddress } from '../accounts/index.js';

export type OrderRow = Selectable<OrdersTable>;
export type PartRow = Selectable<OrderPartsTable>;
export type LineRow = Selectable<OrderLinesTable>;
export type Platform = OrdersTable['platform'];

/** An order with its parts (one per seller) and their lines: what views and messages are built from. */
export interface OrderAggregate {
  order: OrderRow;
  parts: PartAggregate[];
}

export interface PartAggregate {
  part: PartRow;
  lines: LineRow[];
}

/**
 * The receiver of an order, independent of the platform's field names (stored as JSON on the order): the
 * shape of a saved address. 1688's `townText` is prefixed to `address`.
 */
export type Receiver = OrderAddress;

/** One line a buyer asks for. */
export interface LineRequest {
  productId: string;
  skuId?: string;
  quantity: number;
  /** Taobao: the caller's line number (`orderLineNo`). */
  orderLineNo?: string;
  mpId?: string;
  mpSkuId?: string;
  /** The caller's unit price (Taobao `price`), kept for the record; the market's price is charged. */
  clientPriceFen?: number;
  /** The cart record this line comes from: removed in the transaction that records the order. */
  cartItemId?: string;
}

export interface PlaceOrderInput {
  platform: Platform;
  lines: LineRequest[];
  receiver: Receiver;
  buyerMessage?: string;
  /** Taobao `purchaseAmount`: refused with 42203 when the market's total is higher. */
  budgetFen?: number;
  sellerOrderNumber?: string;
  orderSource?: string;
  /**
   * What makes a retry find the same order: the request's Idempotency-Key when it has one. Without it
   * every call is a new order.
   */
  idempotencyKey?: string;
  /** 1688 batch creates: one order per seller, each with its own reference derived from this suffix. */
  refSuffix?: string;
  /** The request field named by errors about lines (`orderLineList`, `cargoParamList`, `ids`, `cartIds`). */
  linesField: string;
  /** 1688's create options, kept with the order (`flow`, `tradeType`, `shopPromotionId`). */
  options?: { flow?: string; tradeType?: string; shopPromotionId?: string };
}

/** What a line's title and properties look like once decoded from their JSON columns. */
export interface LineDetails {
  title: Localized;
  skuProperties: ProviderSkuProperty[];
}

/** How a payment request ended. */
export type PayOutcome =
  /** Every part paid upstream. */
  | { kind: 'paid'; alreadyPaid: boolean }
  /** Debited; the upstream's answer did not come: a worker finishes it (the order stays `paying`). */
  | { kind: 'pending' };
