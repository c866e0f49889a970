import type { OperationBody, OperationData, OperationQuery } from './operations.js';
import type { CallOptions, MutationOptions, RequestOptions } from './transport.js';

/** What the cart resources need from {@link PonteClient}. */
interface SignedRequest {
  request<T>(method: string, path: string, options?: RequestOptions): Promise<T>;
}

type Options = CallOptions & { userId?: string };
type Mutation = MutationOptions & { userId?: string };

export type TaobaoCartAddInput = OperationBody<'taobaoCartAdd'>;
export type TaobaoCartItem = OperationData<'taobaoCartAdd'>;
export type TaobaoCartList = OperationData<'taobaoCartList'>;
export type TaobaoCartPreviewInput = OperationBody<'taobaoCartPreviewOrder'>;
export type TaobaoCartPreview = OperationData<'taobaoCartPreviewOrder'>;
export type TaobaoCartOrderInput = OperationBody<'taobaoCartCreateOrder'>;
export type TaobaoCartOrder = OperationData<'taobaoCartCreateOrder'>;
type TaobaoLanguage = NonNullable<OperationQuery<'taobaoCartList'>['language']>;

export type AlibabaCartAddInput = OperationBody<'alibabaCartAdd'>;
export type AlibabaCartItem = OperationData<'alibabaCartAdd'>;
export type AlibabaCartList = OperationData<'alibabaCartList'>;
export type AlibabaCartPreviewInput = OperationBody<'alibabaCartPreviewOrder'>;
export type AlibabaCartPreview = OperationData<'alibabaCartPreviewOrder'>;
export type AlibabaCartOrderInput = OperationBody<'alibabaCartCreateOrder'>;
export type AlibabaCartOrders = OperationData<'alibabaCartCreateOrder'>;
type AlibabaLanguage = NonNullable<OperationQuery<'alibabaCartList'>['country']>;

/**
 * The Taobao cart of the acting sub-account (`/open/cart/*`). Record ids are decimal strings; amounts
 * are fen. Adding and editing retry with one `Idempotency-Key`, so a retried add never adds twice.
 */
export class TaobaoCart {
  constructor(private readonly client: SignedRequest) {}

  /**
   * Adds units of a distributable SKU (T30); a SKU already in the cart gets its quantity raised.
   * @throws {ApiError} 40401 unknown or delisted product or SKU, 42202 stock, 40901 cart full.
   */
  add(input: TaobaoCartAddInput, options: Mutation = {}): Promise<TaobaoCartItem> {
    return this.client.request('POST', '/open/cart/add', { ...options, body: input });
  }

  /** The cart with today's prices and stock, by shop, invalid records apart (T28). */
  list(language?: TaobaoLanguage, options: Options = {}): Promise<TaobaoCartList> {
    return this.client.request('GET', '/open/cart/list', { ...options, ...(language ? { query: { language } } : {}) });
  }

  /** Sets a record's quantity (T31). @throws {ApiError} 42202 above the stock, 40401 unknown record. */
  updateQuantity(id: string, quantity: number, options: Mutation = {}): Promise<TaobaoCartItem> {
    return this.client.request('POST', '/open/cart/update/quantity', { ...options, body: { id, quantity } });
  }

  /** Deletes records, all or none (T29). @throws {ApiError} 40401 when one is not the caller's. */
  delete(ids: string[], options: Mutation = {}): Promise<{ ids: string[] }> {
    return this.client.request('POST', '/open/cart/delete', { ...options, body: { ids } });
  }

  /** What ordering the records would cost, per seller, with each line's problem (T27). */
  preview(input: TaobaoCartPreviewInput, options: Options = {}): Promise<TaobaoCartPreview> {
    return this.client.request('POST', '/open/cart/preview/order', { ...options, body: input });
  }
  /** Orders cart records (T26) and removes them from the cart. Retries reuse one `Idempotency-Key`. */
  createOrder(input: TaobaoCartOrderInput, options: Mutation = {}): Promise<TaobaoCartOrder> {
    return this.client.request('POST', '/open/cart/create/order', { ...options, body: input });
  }
}

/** The 1688 cart of the acting sub-account (`/alibaba/cart/*`). Cart ids are decimal strings; amounts are fen. */
export class AlibabaCart {
  constructor(private readonly client: SignedRequest) {}

  /**
   * Adds units of an offer's specification (A30); the minimum order quantity is reported, not required.
   * @throws {ApiError} 40401 unknown or delisted offer or specification, 42202 stock, 40901 cart full.
   */
  add(input: AlibabaCartAddInput, options: Mutation = {}): Promise<AlibabaCartItem> {
    return this.client.request('POST', '/alibaba/cart/add', { ...options, body: input });
  }

  /** The cart by supplier, `enableList` and `disableList` (A31). */
  list(country?: AlibabaLanguage, options: Options = {}): Promise<AlibabaCartList> {
    return this.client.request('GET', '/alibaba/cart/list', { ...options, ...(country ? { query: { country } } : {}) });
  }

  /** Sets an item's quantity (A29). @throws {ApiError} 42202 above the stock, 40401 unknown item. */
  updateQuantity(cartId: string, quantity: number, options: Mutation = {}): Promise<AlibabaCartItem> {
    return this.client.request('POST', '/alibaba/cart/update/quantity', { ...options, body: { cartId, quantity } });
  }

  /** Deletes items, all or none (A27). @throws {ApiError} 40401 when one is not the caller's. */
  delete(cartIds: string[], options: Mutation = {}): Promise<{ cartIds: string[] }> {
    return this.client.request('POST', '/alibaba/cart/delete', { ...options, body: { cartIds } });
  }

  /** 1688's order preview of cart items (A28): per supplier, with each line's problem. */
  preview(input: AlibabaCartPreviewInput, options: Options = {}): Promise<AlibabaCartPreview> {
    return this.client.request('POST', '/alibaba/cart/preview/order', { ...options, body: input });
  }
  /** Orders cart records (A26), one order per supplier, and removes the ordered ones from the cart. */
  createOrder(input: AlibabaCartOrderInput, options: Mutation = {}): Promise<AlibabaCartOrders> {
    return this.client.request('POST', '/alibaba/cart/create/order', { ...options, body: input });
  }
}
