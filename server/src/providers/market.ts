import type {
  CancelOrder,
  Carrier,
  ImageHit,
  ImageSearch,
  KeywordSearch,
  Language,
  LogisticsTrace,
  MarketingList,
  OrderPreview,
  OrderRequest,
  Platform,
  ProductSummary,
  ProviderCategory,
  ProviderProduct,
  ProviderShop,
  RefundChange,
  RefundMessage,
  RefundOptions,
  RefundRequest,
  ReturnShipment,
  SearchFilters,
  SearchPage,
  ShopSearch,
  UpstreamEventSink,
  UpstreamOrder,
  UpstreamRefund,
} from './types.js';

/**
 * What Taobao and 1688 have in common. Lookups answer null for an unknown id; a refusal for a
 * business reason throws `MarketRejection`; a failing or slow upstream throws `UpstreamError` /
 * `UpstreamTimeoutError` (see errors.ts). Every call that changes something takes the buyer's id
 * and, when it creates something, a `clientRef` that makes a retry safe. Every operation takes
 * `CallOptions` last: a provider stops work when its `signal` aborts (the caller's deadline passed).
 */
export interface MarketProvider {
  readonly platform: Platform;

  // Goods
  getProduct(productId: string, opts?: CallOptions): Promise<ProviderProduct | null>;
  /** In the order asked; unknown ids are left out. */
  getProducts(productIds: string[], opts?: CallOptions): Promise<ProviderProduct[]>;
  search(query: KeywordSearch, opts?: CallOptions): Promise<SearchPage<ProductSummary>>;
  imageSearch(query: ImageSearch, opts?: CallOptions): Promise<SearchPage<ImageHit>>;
  /** Shops whose name matches the keyword. */
  searchShops(query: ShopSearch, opts?: CallOptions): Promise<SearchPage<ProviderShop>>;
  getShop(shopId: string, opts?: CallOptions): Promise<ProviderShop | null>;
  /** The top-level categories when `categoryId` is omitted. */
  getCategory(categoryId?: string, opts?: CallOptions): Promise<ProviderCategory | null>;
  topCategories(opts?: CallOptions): Promise<ProviderCategory[]>;
  /** Popular goods, leaning towards the given products' categories when some are given. */
  recommend(
    query: { productIds?: string[]; categoryId?: string; page: number; pageSize: number },
    opts?: CallOptions,
  ): Promise<SearchPage<ProductSummary>>;
  /** Goods related to one product (same category, similar title or picture); never the product itself. */
  related(
    productId: string,
    paging: { page: number; pageSize: number },
    opts?: CallOptions,
  ): Promise<SearchPage<ProductSummary> | null>;
  marketingList(
    list: MarketingList,
    query: SearchFilters & { keyword?: string; language?: Language; page: number; pageSize: number },
    opts?: CallOptions,
  ): Promise<SearchPage<ProductSummary>>;

  // Orders
  previewOrder(request: Omit<OrderRequest, 'clientRef'>, opts?: CallOptions): Promise<OrderPreview>;
  /** One order per seller; lines that cannot be ordered make the whole call fail (nothing is created). */
  createOrder(request: OrderRequest, opts?: CallOptions): Promise<UpstreamOrder[]>;
  /**
   * Pays an unpaid order at `expectedTotalFen`, the total the buyer agreed to (and Ponte debited): the
   * marketplace refuses with `price_changed` when the order's total is no longer that amount (the seller
   * changed it). Paying an order already paid at that amount answers the order, so a retry converges.
   */
  payOrder(orderId: string, buyerId: string, expectedTotalFen: number, opts?: CallOptions): Promise<UpstreamOrder>;
  cancelOrder(request: CancelOrder, opts?: CallOptions): Promise<UpstreamOrder>;
  confirmReceipt(orderId: string, buyerId: string, opts?: CallOptions): Promise<UpstreamOrder>;
  getOrder(orderId: string, buyerId: string, opts?: CallOptions): Promise<UpstreamOrder | null>;
  /** The orders a `createOrder` with this `clientRef` made (empty when it made none): how a lost answer is reconciled. */
  ordersByClientRef(clientRef: string, buyerId: string, opts?: CallOptions): Promise<UpstreamOrder[]>;
  logisticsTrace(orderId: string, buyerId: string, opts?: CallOptions): Promise<LogisticsTrace[] | null>;
  carriers(opts?: CallOptions): Promise<Carrier[]>;

  // After-sales
  refundOptions(orderId: string, lineId: string, buyerId: string, opts?: CallOptions): Promise<RefundOptions>;
  createRefund(request: RefundRequest, opts?: CallOptions): Promise<UpstreamRefund>;
  modifyRefund(change: RefundChange, opts?: CallOptions): Promise<UpstreamRefund>;
  cancelRefund(refundId: string, buyerId: string, opts?: CallOptions): Promise<UpstreamRefund>;
  submitReturnShipment(
    refundId: string,
    buyerId: string,
    shipment: ReturnShipment,
    opts?: CallOptions,
  ): Promise<UpstreamRefund>;
  getRefund(refundId: string, buyerId: string, opts?: CallOptions): Promise<UpstreamRefund | null>;
  /** The refund a `createRefund` with this `clientRef` made, or null. */
  refundByClientRef(clientRef: string, buyerId: string, opts?: CallOptions): Promise<UpstreamRefund | null>;
  addRefundMessage(
    refundId: string,
    buyerId: string,
    message: { text: string; images?: string[] },
    opts?: CallOptions,
  ): Promise<RefundMessage>;
  refundMessages(refundId: string, buyerId: string, opts?: CallOptions): Promise<RefundMessage[]>;
  /** Refunds of one order, newest first. */
  orderRefunds(orderId: string, buyerId: string, opts?: CallOptions): Promise<UpstreamRefund[]>;

  /**
   * Whether a picture URL is one this marketplace serves itself (its own picture host): picture
   * search then passes the URL through and the provider reads it, instead of Ponte fetching it.
   */
  ownsPictureUrl(url: string): boolean;

  /**
   * The one entry point for what sellers do (ship, change a price, decide a refund): the provider
   * calls `sink` for every upstream event, at least once and in order per order.
   */
  onUpstreamEvent(sink: UpstreamEventSink): void;
}

/** What the platform passes to every provider operation. */
export interface CallOptions {
  /** Aborted when the caller stops waiting (its deadline passed); a provider should not start work after it. */
  signal?: AbortSignal;
}

/**
 * Every operation of the providers, by name, with the number of arguments before its `CallOptions`
 * and whether it changes something upstream. Faults are injected per operation; the guard gives
 * each call its deadline and signal, and reconciles writes whose answer did not come (ADR 0007).
 */
export const PROVIDER_OPERATIONS = {
  getProduct: { arity: 1, write: false },
  getProducts: { arity: 1, write: false },
  getProductByMpId: { arity: 1, write: false },
  search: { arity: 1, write: false },
  imageSearch: { arity: 1, write: false },
  searchShops: { arity: 1, write: false },
  getShop: { arity: 1, write: false },
  getSupplier: { arity: 1, write: false },
  wangwangUrl: { arity: 1, write: false },
  chatUrl: { arity: 1, write: false },
  getCategory: { arity: 1, write: false },
  topCategories: { arity: 0, write: false },
  recommend: { arity: 1, write: false },
  related: { arity: 2, write: false },
  marketingList: { arity: 2, write: false },
  previewOrder: { arity: 1, write: false },
  createOrder: { arity: 1, write: true },
  payOrder: { arity: 3, write: true },
  cancelOrder: { arity: 1, write: true },
  confirmReceipt: { arity: 2, write: true },
  getOrder: { arity: 2, write: false },
  ordersByClientRef: { arity: 2, write: false },
  logisticsTrace: { arity: 2, write: false },
  carriers: { arity: 0, write: false },
  refundOptions: { arity: 3, write: false },
  createRefund: { arity: 1, write: true },
  modifyRefund: { arity: 1, write: true },
  cancelRefund: { arity: 2, write: true },
  submitReturnShipment: { arity: 3, write: true },
  getRefund: { arity: 2, write: false },
  refundByClientRef: { arity: 2, write: false },
  addRefundMessage: { arity: 3, write: true },
  refundMessages: { arity: 2, write: false },
  orderRefunds: { arity: 2, write: false },
} as const satisfies Record<string, { arity: number; write: boolean }>;

export type ProviderOperation = keyof typeof PROVIDER_OPERATIONS;
