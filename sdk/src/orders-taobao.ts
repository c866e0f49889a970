import type { OperationBody, OperationData, OperationQuery } from './operations.js';
import type { CallOptions, MutationOptions, RequestOptions } from './transport.js';

/** What the Taobao order resources need from {@link PonteClient}. */
interface SignedRequest {
  request<T>(method: string, path: string, options?: RequestOptions): Promise<T>;
}

type Options = CallOptions & { userId?: string };
type Mutation = MutationOptions & { userId?: string };

export type TaobaoOrder = OperationData<'taobaoGetOrder'>;
export type TaobaoOrderPage = OperationData<'taobaoListOrders'>;
export type TaobaoOrderQuery = OperationQuery<'taobaoListOrders'>;
export type TaobaoCreateOrderBody = OperationBody<'taobaoCreateOrder'>;
export type TaobaoPayResult = OperationData<'taobaoPayOrder'>;
export type TaobaoLogistics = OperationData<'taobaoOrderLogistics'>;
export type TaobaoVoucherInput = OperationBody<'taobaoUploadPayVoucher'>;
export type TaobaoVoucher = OperationData<'taobaoUploadPayVoucher'>;
type Language = NonNullable<TaobaoOrderQuery['language']>;

/** One line of {@link TaobaoOrders.create}: numbers as numbers, encoded for the wire by the SDK. */
export interface TaobaoOrderLineInput {
  itemId: string;
  skuId?: string;
  quantity: number;
  /** The unit price you expect, in fen (kept for the record). */
  price?: number;
  orderLineNo?: string;
  mpId?: string;
  mpSkuId?: string;
}

/** {@link TaobaoOrders.create}'s input: `orderLineList` and `receiver` as values (the SDK sends them as JSON strings). */
export type TaobaoCreateOrderInput = Omit<TaobaoCreateOrderBody, 'orderLineList' | 'receiver'> & {
  orderLineList: TaobaoOrderLineInput[];
  receiver?: Exclude<OperationBody<'taobaoCartCreateOrder'>['orderAddress'], null | undefined>;
};

/** Taobao orders (`/open/order/*`). Amounts are fen. */
export class TaobaoOrders {
  constructor(private readonly client: SignedRequest) {}

  /**
   * Creates an order (T7): one sub purchase order per seller. Retries reuse one `Idempotency-Key`, so a
   * retried creation never buys twice; pass your own `idempotencyKey` to retry across processes.
   * @throws {ApiError} 40401 unknown item or SKU, 42202 stock, 42203 above `purchaseAmount`.
   */
  create(input: TaobaoCreateOrderInput, options: Mutation = {}): Promise<TaobaoOrder> {
    const { orderLineList, receiver, ...rest } = input;
    const body = {
      ...rest,
      orderLineList: JSON.stringify(orderLineList),
      ...(receiver ? { receiver: JSON.stringify(receiver) } : {}),
    };
    return this.client.request('POST', '/open/order', { ...options, body });
  }

  /** One page of orders, newest first (T8). */
  list(query: TaobaoOrderQuery = {}, options: Options = {}): Promise<TaobaoOrderPage> {
    return this.client.request('GET', '/open/order/page', { ...options, query });
  }

  /** Every order matching `query`, page after page (`pageSize` per request, default 50). */
  async *iterate(
    query: Omit<TaobaoOrderQuery, 'pageNo'> = {},
    options: Options = {},
  ): AsyncGenerator<TaobaoOrder, void, undefined> {
    const pageSize = query.pageSize ?? 50;
    for (let pageNo = 1; ; pageNo++) {
      const page = await this.list({ ...query, pageNo, pageSize }, options);
      yield* page.list;
      if (page.list.length < pageSize || pageNo * pageSize >= page.total) return;
    }
  }

  /** An order's details (T14). @throws {ApiError} 40401 when it is not one the caller may see. */
  get(orderId: string, language?: Language, options: Options = {}): Promise<TaobaoOrder> {
    return this.client.request('GET', '/open/order/get', {
      ...options,
      query: language ? { orderId, language } : { orderId },
    });
  }

  /** Cancels an unpaid order (T10). @throws {ApiError} 40901 once a payment has begun. */
  cancel(orderId: string, reason?: string, options: Mutation = {}): Promise<TaobaoOrder> {
    return this.client.request('POST', '/open/order/cancel', {
      ...options,
      body: reason === undefined ? { orderId } : { orderId, reason },
    });
  }

  /**
   * Pays an order from the developer's balance (T12); paying again answers `alreadyPaid: true`.
   * @throws {ApiError} 42201 balance too low, 42203 the seller changed the price (read the order again).
   */
  pay(orderId: string, options: Mutation = {}): Promise<TaobaoPayResult> {
    return this.client.request('POST', '/open/order/pay', { ...options, body: { orderId } });
  }

  /** Uploads the voucher of a bank transfer that pays the order (T9); the operator reviews it. */
  uploadVoucher(input: TaobaoVoucherInput, options: Mutation = {}): Promise<TaobaoVoucher> {
    return this.client.request('POST', '/open/order/pay/voucher/upload', { ...options, body: input });
  }

  /** Sets the pre-warehouse the parcels go to (T11). @throws {ApiError} 40901 once a seller shipped. */
  updateWarehouse(
    input: { orderId: string; warehouseName: string; warehouseAddress: string },
    options: Mutation = {},
  ): Promise<TaobaoOrder> {
    return this.client.request('POST', '/open/order/updateWarehouse', { ...options, body: input });
  }

  /** The chat URL with the seller of an item, or of one of your orders (T13). */
  imLink(sourceType: 'item' | 'order', bizId: string, options: Options = {}): Promise<string> {
    return this.client.request('POST', '/open/order/page/link/get', { ...options, body: { sourceType, bizId } });
  }

  /** The parcels of one sub purchase order (T15); empty before the seller ships. */
  logistics(subPurchaseOrderId: string, language?: Language, options: Options = {}): Promise<TaobaoLogistics> {
    return this.client.request('GET', '/open/order/logistics/detail/get', {
      ...options,
      query: language ? { subPurchaseOrderId, language } : { subPurchaseOrderId },
    });
  }
}
