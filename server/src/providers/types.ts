/**
 * What a marketplace (Taobao, 1688) offers Ponte, independent of any wire format. Modules turn these
 * into the contract's fields; providers (the sandbox market, later real upstreams) implement them.
 * Money is integer fen, times are epoch milliseconds of the marketplace's clock.
 */

export type Platform = 'taobao' | '1688';
export type Language = 'zh' | 'en' | 'vi' | 'th' | 'es';
export const LANGUAGES: readonly Language[] = ['zh', 'en', 'vi', 'th', 'es'];

/** Text in every language the platform serves; `zh` is the marketplace's original. */
export type Localized = Record<Language, string>;

// ---------------------------------------------------------------------------------------------
// Goods

export interface ProviderCategory {
  categoryId: string;
  parentId: string | null;
  name: Localized;
  /** From the root to this category, this one included. */
  path: { categoryId: string; name: Localized }[];
  children: { categoryId: string; name: Localized; leaf: boolean }[];
  leaf: boolean;
}

export interface ProviderShop {
  platform: Platform;
  shopId: string;
  shopName: Localized;
  /** Taobao seller nick; on 1688 the Wangwang nickname. */
  userNick: string;
  /** 1688 only: the opaque seller id of the open platform. */
  sellerOpenId: string | null;
  companyName: Localized | null;
  province: Localized | null;
  city: Localized | null;
  /** Out of 5, one decimal. */
  rating: number;
  goodsCount: number;
}

export interface ProviderSkuProperty {
  propId: string;
  propName: Localized;
  valueId: string;
  valueName: Localized;
}

export type ProductStatus = 'active' | 'delisted';

export interface ProviderSku {
  skuId: string;
  properties: ProviderSkuProperty[];
  priceFen: number;
  promotionPriceFen: number;
  stock: number;
  weightG: number;
  lengthCm: number;
  widthCm: number;
  heightCm: number;
  imageUrl: string;
  /** Taobao distribution SKU id, when the product is distributable. */
  mpSkuId: string | null;
  /** `inactive` when the product is delisted or the SKU has no stock. */
  status: 'active' | 'inactive';
}

export interface TierPrice {
  minQuantity: number;
  priceFen: number;
}

export interface ProviderProduct {
  platform: Platform;
  /** Taobao `itemId`, 1688 `offerId`. */
  productId: string;
  title: Localized;
  description: Localized;
  categoryId: string;
  categoryPath: { categoryId: string; name: Localized }[];
  shop: ProviderShop;
  mainImageUrl: string;
  imageUrls: string[];
  /** Lowest SKU price and promotion price. */
  priceFen: number;
  promotionPriceFen: number;
  maxPriceFen: number;
  /** 1688 quantity tiers (empty on Taobao). */
  tierPrices: TierPrice[];
  minOrderQuantity: number;
  sales: number;
  totalStock: number;
  shipIn24h: boolean;
  strictSelection: boolean;
  status: ProductStatus;
  /** Taobao distribution id, or why the product is not distributable. */
  mpId: string | null;
  notDistributableReason: string | null;
  attributes: { name: Localized; value: Localized }[];
  skus: ProviderSku[];
  /** Increases whenever the marketplace changes the product (price, stock, listing). */
  version: number;
}

/** A search hit: enough for a result list, the details come from `getProduct`. */
export interface ProductSummary {
  platform: Platform;
  productId: string;
  title: Localized;
  mainImageUrl: string;
  priceFen: number;
  promotionPriceFen: number;
  tierPrices: TierPrice[];
  minOrderQuantity: number;
  sales: number;
  shopId: string;
  shopName: Localized;
  sellerOpenId: string | null;
  categoryId: string;
  shipIn24h: boolean;
  strictSelection: boolean;
  mpId: string | null;
}

export type SearchSort = 'relevance' | 'price_asc' | 'price_desc' | 'sales_desc';

export interface SearchFilters {
  categoryId?: string;
  shopId?: string;
  priceMinFen?: number;
  priceMaxFen?: number;
  shipIn24h?: boolean;
  strictSelection?: boolean;
}

export interface KeywordSearch extends SearchFilters {
  keyword: string;
  /** The language the keyword is written in, when known; the sandbox detects it anyway. */
  language?: Language;
  sort?: SearchSort;
  /** From 1. */
  page: number;
  pageSize: number;
}

export interface SearchPage<T> {
  total: number;
  page: number;
  pageSize: number;
  items: T[];
}

/** Picture search input: the bytes, or a URL the provider may fetch (already checked by the caller). */
export type ImageInput = { bytes: Buffer } | { url: string };

export interface ImageSearch extends SearchFilters {
  image: ImageInput;
  page: number;
  pageSize: number;
}

export interface ImageHit extends ProductSummary {
  /** 0..1, how closely the picture matches. */
  similarity: number;
}

export interface ShopSearch {
  keyword: string;
  page: number;
  pageSize: number;
}

export type MarketingList = 'strict_selection' | 'global_selection' | 'hot_selling';

// ---------------------------------------------------------------------------------------------
// Orders

export interface OrderLineInput {
  productId: string;
  /** Required when the product has SKUs. */
  skuId?: string;
  quantity: number;
}

export interface ShippingAddress {
  receiver: string;
  phone: string;
  province: string;
  city: string;
  district: string;
  address: string;
  postcode?: string;
}

export interface OrderRequest {
  lines: OrderLineInput[];
  address: ShippingAddress;
  /** Who buys: the Ponte developer (or sub-account) the order is placed for. */
  buyerId: string;
  buyerMessage?: string;
  /**
   * The caller's id for this request: the same value returns the orders already created instead
   * of creating new ones, so a retried call never buys twice.
   */
  clientRef: string;
}

export interface PreviewLine extends OrderLineInput {
  title: Localized;
  skuProperties: ProviderSkuProperty[];
  unitPriceFen: number;
  amountFen: number;
  /** False when the line cannot be ordered; `problem` says why. */
  available: boolean;
  problem: 'not_found' | 'delisted' | 'out_of_stock' | 'below_min_quantity' | null;
  stock: number;
}

/** One seller's part of a preview: the marketplace creates one order per seller. */
export interface PreviewGroup {
  shopId: string;
  shopName: Localized;
  sellerOpenId: string | null;
  lines: PreviewLine[];
  goodsFen: number;
  shippingFen: number;
  totalFen: number;
}

export interface OrderPreview {
  groups: PreviewGroup[];
  totalFen: number;
}

/**
 * The marketplace's order status, the same words for both platforms; modules map them to
 * Taobao's (`WAIT_BUYER_PAY` ...) and 1688's (`waitbuyerpay` ...).
 */
export type UpstreamOrderStatus =
  | 'wait_buyer_pay'
  | 'wait_seller_send'
  | 'wait_buyer_receive'
  | 'confirmed'
  | 'finished'
  | 'closed';

export interface Shipment {
  carrierCode: string;
  carrierName: string;
  trackingNo: string;
  shippedAt: number;
}

export interface UpstreamOrderLine {
  lineId: string;
  productId: string;
  skuId: string | null;
  title: Localized;
  skuProperties: ProviderSkuProperty[];
  imageUrl: string;
  quantity: number;
  unitPriceFen: number;
  amountFen: number;
  status: UpstreamOrderStatus;
  shipment: Shipment | null;
  /** Refunded so far on this line. */
  refundedFen: number;
}

export interface UpstreamOrder {
  platform: Platform;
  orderId: string;
  buyerId: string;
  clientRef: string;
  shopId: string;
  shopName: Localized;
  sellerOpenId: string | null;
  status: UpstreamOrderStatus;
  lines: UpstreamOrderLine[];
  goodsFen: number;
  shippingFen: number;
  /** The seller's change to the price before payment (negative for a discount). */
  adjustFen: number;
  totalFen: number;
  address: ShippingAddress;
  buyerMessage: string;
  createdAt: number;
  paidAt: number | null;
  shippedAt: number | null;
  receivedAt: number | null;
  closedAt: number | null;
  closeReason: string | null;
}

export interface CancelOrder {
  orderId: string;
  buyerId: string;
  reason: string;
}

export type TraceStatus = 'CONSIGN' | 'ACCEPT' | 'TRANSPORT' | 'DELIVERING' | 'SIGN';
export const TRACE_STATUSES: readonly TraceStatus[] = ['CONSIGN', 'ACCEPT', 'TRANSPORT', 'DELIVERING', 'SIGN'];

export interface TraceStep {
  status: TraceStatus;
  time: number;
  description: Localized;
  province: Localized;
  city: Localized;
  facility: string;
}

export interface LogisticsTrace {
  orderId: string;
  lineIds: string[];
  carrierCode: string;
  carrierName: string;
  trackingNo: string;
  steps: TraceStep[];
}

export interface Carrier {
  code: string;
  name: Localized;
}

// ---------------------------------------------------------------------------------------------
// After-sales

/** `refund`: money only; `return_refund`: the buyer sends the goods back first. */
export type RefundType = 'refund' | 'return_refund';

/** Where the goods are: not shipped, shipped not received, received by the buyer, at the warehouse. */
export type GoodsStatus = 'not_shipped' | 'in_transit' | 'received' | 'at_warehouse';

export type UpstreamRefundStatus =
  | 'wait_seller_agree'
  | 'wait_buyer_return'
  | 'wait_seller_receive'
  | 'success'
  | 'seller_refused'
  | 'closed';

export interface RefundReason {
  reasonId: string;
  text: Localized;
  /** Whether the buyer must add a picture (proof) with this reason. */
  needsProof: boolean;
}

export interface RefundOptions {
  reasons: RefundReason[];
  goodsStatuses: GoodsStatus[];
  refundTypes: RefundType[];
  maxRefundFen: number;
  /** False when the line cannot have a refund now (nothing left to refund, order closed). */
  allowed: boolean;
}

export interface RefundRequest {
  orderId: string;
  lineId: string;
  buyerId: string;
  refundType: RefundType;
  goodsStatus: GoodsStatus;
  reasonId: string;
  amountFen: number;
  description?: string;
  images?: string[];
  /** As on `OrderRequest`: a retried request returns the refund already created. */
  clientRef: string;
}

export interface ReturnShipment {
  carrierCode: string;
  trackingNo: string;
  description?: string;
}

export interface UpstreamRefund {
  platform: Platform;
  refundId: string;
  orderId: string;
  lineId: string;
  buyerId: string;
  clientRef: string;
  refundType: RefundType;
  goodsStatus: GoodsStatus;
  status: UpstreamRefundStatus;
  reason: RefundReason;
  amountFen: number;
  description: string;
  images: string[];
  /** When the current step times out, and what happens then. */
  deadline: number | null;
  timeoutAction: 'agree' | 'close' | null;
  /** Where a returned parcel goes (set when the seller agrees to a return). */
  returnAddress: ShippingAddress | null;
  returnShipment: (ReturnShipment & { shippedAt: number }) | null;
  refuseReason: string | null;
  refuseCount: number;
  createdAt: number;
  updatedAt: number;
}

export interface RefundChange {
  refundId: string;
  buyerId: string;
  refundType?: RefundType;
  goodsStatus?: GoodsStatus;
  reasonId?: string;
  amountFen?: number;
  description?: string;
  images?: string[];
}

export interface RefundMessage {
  messageId: string;
  refundId: string;
  from: 'buyer' | 'seller' | 'system';
  text: string;
  images: string[];
  time: number;
}

// ---------------------------------------------------------------------------------------------
// Talking to sellers

/** A chat with the seller about one item, or about one of the buyer's orders. */
export interface ChatLinkRequest {
  sourceType: 'item' | 'order';
  /** The item id, or the marketplace's order id (not Ponte's). */
  bizId: string;
  buyerId: string;
}

/** A chat page that logs the buyer in by itself, until `expiresAt` (epoch ms, real time). */
export interface ChatLink {
  url: string;
  expiresAt: number;
}

// ---------------------------------------------------------------------------------------------
// Upstream events: what the marketplace reports its sellers (and its clock) did.

export type UpstreamEventType =
  | 'order.price_modified'
  | 'order.shipped'
  | 'order.closed'
  | 'order.finished'
  | 'logistics.updated'
  | 'refund.agreed'
  | 'refund.refused'
  | 'refund.goods_received'
  | 'refund.succeeded'
  | 'refund.closed'
  | 'product.changed';

export interface UpstreamEvent {
  /** Increasing per marketplace; a consumer may see one twice, never out of order per order. */
  eventId: string;
  platform: Platform;
  type: UpstreamEventType;
  at: number;
  orderId: string | null;
  refundId: string | null;
  productId: string | null;
  /** Facts about the change (old and new price, tracking, refusal reason...). */
  data: Record<string, unknown>;
}

/** Where providers report upstream events: the platform's inbox, from which modules react (docs/adr/0008). */
export type UpstreamEventSink = (event: UpstreamEvent) => Promise<void>;
