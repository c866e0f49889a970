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
 * and, when it creates something, a `clientRef` that makes a retry safe.
 */
export interface MarketProvider {
  readonly platform: Platform;

  // Goods
  getProduct(productId: string): Promise<ProviderProduct | null>;
  /** In the order asked; unknown ids are left out. */
  getProducts(productIds: string[]): Promise<ProviderProduct[]>;
  search(query: KeywordSearch): Promise<SearchPage<ProductSummary>>;
  imageSearch(query: ImageSearch): Promise<SearchPage<ImageHit>>;
  /** Shops whose name matches the keyword. */
  searchShops(query: ShopSearch): Promise<SearchPage<ProviderShop>>;
  getShop(shopId: string): Promise<ProviderShop | null>;
  /** The top-level categories when `categoryId` is omitted. */
  getCategory(categoryId?: string): Promise<ProviderCategory | null>;
  topCategories(): Promise<ProviderCategory[]>;
  /** Popular goods, leaning towards the given products' categories when some are given. */
  recommend(opts: {
    productIds?: string[];
    categoryId?: string;
    page: number;
    pageSize: number;
  }): Promise<SearchPage<ProductSummary>>;
  /** Goods related to one product (same category, similar title or picture); never the product itself. */
  related(productId: string, opts: { page: number; pageSize: number }): Promise<SearchPage<ProductSummary> | null>;
  marketingList(
    list: MarketingList,
    query: SearchFilters & { keyword?: string; language?: Language; page: number; pageSize: number },
  ): Promise<SearchPage<ProductSummary>>;

  // Orders
  previewOrder(request: Omit<OrderRequest, 'clientRef'>): Promise<OrderPreview>;
  /** One order per seller; lines that cannot be ordered make the whole call fail (nothing is created). */
  createOrder(request: OrderRequest): Promise<UpstreamOrder[]>;
  payOrder(orderId: string, buyerId: string): Promise<UpstreamOrder>;
  cancelOrder(request: CancelOrder): Promise<UpstreamOrder>;
  confirmReceipt(orderId: string, buyerId: string): Promise<UpstreamOrder>;
  getOrder(orderId: string, buyerId: string): Promise<UpstreamOrder | null>;
  logisticsTrace(orderId: string, buyerId: string): Promise<LogisticsTrace[] | null>;
  carriers(): Promise<Carrier[]>;

  // After-sales
  refundOptions(orderId: string, lineId: string, buyerId: string): Promise<RefundOptions>;
  createRefund(request: RefundRequest): Promise<UpstreamRefund>;
  modifyRefund(change: RefundChange): Promise<UpstreamRefund>;
  cancelRefund(refundId: string, buyerId: string): Promise<UpstreamRefund>;
  submitReturnShipment(refundId: string, buyerId: string, shipment: ReturnShipment): Promise<UpstreamRefund>;
  getRefund(refundId: string, buyerId: string): Promise<UpstreamRefund | null>;
  addRefundMessage(
    refundId: string,
    buyerId: string,
    message: { text: string; images?: string[] },
  ): Promise<RefundMessage>;
  refundMessages(refundId: string, buyerId: string): Promise<RefundMessage[]>;
  /** Refunds of one order, newest first. */
  orderRefunds(orderId: string, buyerId: string): Promise<UpstreamRefund[]>;

  /**
   * The one entry point for what sellers do (ship, change a price, decide a refund): the provider
   * calls `sink` for every upstream event, at least once and in order per order.
   */
  onUpstreamEvent(sink: UpstreamEventSink): void;
}

/** Every operation of the providers, by name: faults are injected per operation. */
export const PROVIDER_OPERATIONS = [
  'getProduct',
  'getProducts',
  'getProductByMpId',
  'search',
  'imageSearch',
  'searchShops',
  'getShop',
  'getSupplier',
  'wangwangUrl',
  'getCategory',
  'topCategories',
  'recommend',
  'related',
  'marketingList',
  'previewOrder',
  'createOrder',
  'payOrder',
  'cancelOrder',
  'confirmReceipt',
  'getOrder',
  'logisticsTrace',
  'carriers',
  'refundOptions',
  'createRefund',
  'modifyRefund',
  'cancelRefund',
  'submitReturnShipment',
  'getRefund',
  'addRefundMessage',
  'refundMessages',
  'orderRefunds',
] as const;
