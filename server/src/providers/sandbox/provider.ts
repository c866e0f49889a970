import type { AlibabaProvider } from '../alibaba.js';
import type { CallOptions, MarketProvider } from '../market.js';
import type { TaobaoProvider } from '../taobao.js';
import type {
  CancelOrder,
  Carrier,
  ChatLink,
  ChatLinkRequest,
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
} from '../types.js';
import { CARRIERS } from './market/context.js';
import type { Orders } from './market/orders.js';
import type { Refunds } from './market/refunds.js';
import { parseSandboxImageUrl } from './picture-url.js';
import type { SandboxMarket } from './sandbox.js';

/**
 * One platform of the sandbox market behind the provider interface. Every call passes through the
 * market's fault injection first, so tests and operators can make any operation slow or failing.
 */
class SandboxPlatform implements MarketProvider {
  constructor(
    protected readonly market: SandboxMarket,
    readonly platform: Platform,
    private readonly orders: Orders,
    private readonly refunds: Refunds,
  ) {}

  protected call<T>(operation: string, opts: CallOptions | undefined, fn: () => T | Promise<T>): Promise<T> {
    return this.market.withFaults(operation, fn, opts?.signal);
  }

  // -- goods ---------------------------------------------------------------------------------------

  getProduct(productId: string, opts?: CallOptions): Promise<ProviderProduct | null> {
    return this.call('getProduct', opts, () => {
      const row = this.market.catalog.goodRow(this.platform, productId);
      return row ? this.market.catalog.product(row) : null;
    });
  }

  getProducts(productIds: string[], opts?: CallOptions): Promise<ProviderProduct[]> {
    return this.call('getProducts', opts, () =>
      productIds.flatMap((id) => {
        const row = this.market.catalog.goodRow(this.platform, id);
        return row ? [this.market.catalog.product(row)] : [];
      }),
    );
  }

  search(query: KeywordSearch, opts?: CallOptions): Promise<SearchPage<ProductSummary>> {
    return this.call('search', opts, () => this.market.searchGoods(this.platform, query));
  }

  imageSearch(query: ImageSearch, opts?: CallOptions): Promise<SearchPage<ImageHit>> {
    return this.call('imageSearch', opts, () => this.market.searchImages(this.platform, query));
  }

  searchShops(query: ShopSearch, opts?: CallOptions): Promise<SearchPage<ProviderShop>> {
    return this.call('searchShops', opts, () => this.market.searchShops(this.platform, query));
  }

  getShop(shopId: string, opts?: CallOptions): Promise<ProviderShop | null> {
    return this.call('getShop', opts, () => this.market.catalog.shop(this.platform, shopId));
  }

  getCategory(categoryId?: string, opts?: CallOptions): Promise<ProviderCategory | null> {
    return this.call('getCategory', opts, () => {
      const names = this.market.catalog.names;
      if (categoryId === undefined) {
        return {
          categoryId: '0',
          parentId: null,
          name: {
            zh: '全部类目',
            en: 'All categories',
            vi: 'Tất cả danh mục',
            th: 'ทุกหมวดหมู่',
            es: 'Todas las categorías',
          },
          path: [],
          children: names.topCategoryKeys().map((k) => {
            const c = names.category(k);
            return { categoryId: c.categoryId, name: c.name, leaf: c.leaf };
          }),
          leaf: false,
        };
      }
      const key = names.categoryKey(categoryId);
      return key ? names.category(key) : null;
    });
  }

  topCategories(opts?: CallOptions): Promise<ProviderCategory[]> {
    return this.call('topCategories', opts, () =>
      this.market.catalog.names.topCategoryKeys().map((k) => this.market.catalog.names.category(k)),
    );
  }

  recommend(
    query: { productIds?: string[]; categoryId?: string; page: number; pageSize: number },
    opts?: CallOptions,
  ): Promise<SearchPage<ProductSummary>> {
    return this.call('recommend', opts, () => this.market.recommend(this.platform, query));
  }

  related(
    productId: string,
    paging: { page: number; pageSize: number },
    opts?: CallOptions,
  ): Promise<SearchPage<ProductSummary> | null> {
    return this.call('related', opts, () => this.market.related(this.platform, productId, paging));
  }

  marketingList(
    list: MarketingList,
    query: SearchFilters & { keyword?: string; language?: Language; page: number; pageSize: number },
    opts?: CallOptions,
  ): Promise<SearchPage<ProductSummary>> {
    return this.call('marketingList', opts, () => this.market.marketingList(this.platform, list, query));
  }

  // -- orders ------------------------------------------------------------------------------------------

  previewOrder(request: Omit<OrderRequest, 'clientRef'>, opts?: CallOptions): Promise<OrderPreview> {
    return this.call('previewOrder', opts, () => this.orders.preview(request));
  }

  createOrder(request: OrderRequest, opts?: CallOptions): Promise<UpstreamOrder[]> {
    return this.call('createOrder', opts, () => this.orders.create(request));
  }

  payOrder(orderId: string, buyerId: string, expectedTotalFen: number, opts?: CallOptions): Promise<UpstreamOrder> {
    return this.call('payOrder', opts, () => this.orders.pay(orderId, buyerId, expectedTotalFen));
  }

  cancelOrder(request: CancelOrder, opts?: CallOptions): Promise<UpstreamOrder> {
    return this.call('cancelOrder', opts, () => this.orders.cancel(request));
  }

  confirmReceipt(orderId: string, buyerId: string, opts?: CallOptions): Promise<UpstreamOrder> {
    return this.call('confirmReceipt', opts, () => this.orders.confirmReceipt(orderId, buyerId));
  }

  getOrder(orderId: string, buyerId: string, opts?: CallOptions): Promise<UpstreamOrder | null> {
    return this.call('getOrder', opts, () => this.orders.get(orderId, buyerId));
  }

  ordersByClientRef(clientRef: string, buyerId: string, opts?: CallOptions): Promise<UpstreamOrder[]> {
    return this.call('ordersByClientRef', opts, () => this.orders.byClientRef(clientRef, buyerId));
  }

  logisticsTrace(orderId: string, buyerId: string, opts?: CallOptions): Promise<LogisticsTrace[] | null> {
    return this.call('logisticsTrace', opts, () => this.orders.trace(orderId, buyerId));
  }

  carriers(opts?: CallOptions): Promise<Carrier[]> {
    return this.call('carriers', opts, () => CARRIERS.map(({ code, name }) => ({ code, name })));
  }

  // -- after-sales ---------------------------------------------------------------------------------

  refundOptions(orderId: string, lineId: string, buyerId: string, opts?: CallOptions): Promise<RefundOptions> {
    return this.call('refundOptions', opts, () => this.refunds.options(orderId, lineId, buyerId));
  }

  createRefund(request: RefundRequest, opts?: CallOptions): Promise<UpstreamRefund> {
    return this.call('createRefund', opts, () => this.refunds.create(request));
  }

  modifyRefund(change: RefundChange, opts?: CallOptions): Promise<UpstreamRefund> {
    return this.call('modifyRefund', opts, () => this.refunds.modify(change));
  }

  cancelRefund(refundId: string, buyerId: string, opts?: CallOptions): Promise<UpstreamRefund> {
    return this.call('cancelRefund', opts, () => this.refunds.cancel(refundId, buyerId));
  }

  submitReturnShipment(
    refundId: string,
    buyerId: string,
    shipment: ReturnShipment,
    opts?: CallOptions,
  ): Promise<UpstreamRefund> {
    return this.call('submitReturnShipment', opts, () => this.refunds.submitReturn(refundId, buyerId, shipment));
  }

  getRefund(refundId: string, buyerId: string, opts?: CallOptions): Promise<UpstreamRefund | null> {
    return this.call('getRefund', opts, () => this.refunds.get(refundId, buyerId));
  }

  refundByClientRef(clientRef: string, buyerId: string, opts?: CallOptions): Promise<UpstreamRefund | null> {
    return this.call('refundByClientRef', opts, () => this.refunds.byClientRef(clientRef, buyerId));
  }

  addRefundMessage(
    refundId: string,
    buyerId: string,
    message: { text: string; images?: string[] },
    opts?: CallOptions,
  ): Promise<RefundMessage> {
    return this.call('addRefundMessage', opts, () =>
      this.refunds.addMessage(refundId, buyerId, message.text, message.images ?? []),
    );
  }

  refundMessages(refundId: string, buyerId: string, opts?: CallOptions): Promise<RefundMessage[]> {
    return this.call('refundMessages', opts, () => this.refunds.messages(refundId, buyerId));
  }

  orderRefunds(orderId: string, buyerId: string, opts?: CallOptions): Promise<UpstreamRefund[]> {
    return this.call('orderRefunds', opts, () => this.refunds.ofOrder(orderId, buyerId));
  }

  ownsPictureUrl(url: string): boolean {
    return parseSandboxImageUrl(url)?.platform === this.platform;
  }

  onUpstreamEvent(sink: UpstreamEventSink): void {
    this.market.events.subscribe(this.platform, sink);
  }
}

export class SandboxTaobao extends SandboxPlatform implements TaobaoProvider {
  declare readonly platform: 'taobao';

  constructor(market: SandboxMarket, orders: Orders, refunds: Refunds) {
    super(market, 'taobao', orders, refunds);
  }

  getProductByMpId(mpId: string, opts?: CallOptions): Promise<ProviderProduct | null> {
    return this.call('getProductByMpId', opts, () => {
      const row = this.market.catalog.goodRowByMpId(mpId);
      return row ? this.market.catalog.product(row) : null;
    });
  }

  chatUrl(request: ChatLinkRequest, opts?: CallOptions): Promise<ChatLink | null> {
    return this.call('chatUrl', opts, () => this.market.chat.link('taobao', request));
  }
}

export class SandboxAlibaba extends SandboxPlatform implements AlibabaProvider {
  declare readonly platform: '1688';

  constructor(market: SandboxMarket, orders: Orders, refunds: Refunds) {
    super(market, '1688', orders, refunds);
  }

  getSupplier(sellerOpenId: string, opts?: CallOptions): Promise<ProviderShop | null> {
    return this.call('getSupplier', opts, () => this.market.catalog.shopByOpenId(sellerOpenId));
  }

  wangwangUrl(sellerOpenId: string, opts?: CallOptions): Promise<string | null> {
    return this.call('wangwangUrl', opts, () => {
      const shop = this.market.catalog.shopByOpenId(sellerOpenId);
      if (!shop) return null;
      return `https://amos.alicdn.com/getcid.aw?v=3&groupid=0&s=1&charset=utf-8&uid=${encodeURIComponent(shop.userNick)}&site=cnalichn`;
    });
  }
}
