import type { AlibabaProvider } from '../alibaba.js';
import type { MarketProvider } from '../market.js';
import type { TaobaoProvider } from '../taobao.js';
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
} from '../types.js';
import { CARRIERS } from './market/context.js';
import type { Orders } from './market/orders.js';
import type { Refunds } from './market/refunds.js';
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

  protected call<T>(operation: string, fn: () => T | Promise<T>): Promise<T> {
    return this.market.withFaults(operation, fn);
  }

  // -- goods ---------------------------------------------------------------------------------------

  getProduct(productId: string): Promise<ProviderProduct | null> {
    return this.call('getProduct', () => {
      const row = this.market.catalog.goodRow(this.platform, productId);
      return row ? this.market.catalog.product(row) : null;
    });
  }

  getProducts(productIds: string[]): Promise<ProviderProduct[]> {
    return this.call('getProducts', () =>
      productIds.flatMap((id) => {
        const row = this.market.catalog.goodRow(this.platform, id);
        return row ? [this.market.catalog.product(row)] : [];
      }),
    );
  }

  search(query: KeywordSearch): Promise<SearchPage<ProductSummary>> {
    return this.call('search', () => this.market.searchGoods(this.platform, query));
  }

  imageSearch(query: ImageSearch): Promise<SearchPage<ImageHit>> {
    return this.call('imageSearch', () => this.market.searchImages(this.platform, query));
  }

  searchShops(query: ShopSearch): Promise<SearchPage<ProviderShop>> {
    return this.call('searchShops', () => this.market.searchShops(this.platform, query));
  }

  getShop(shopId: string): Promise<ProviderShop | null> {
    return this.call('getShop', () => this.market.catalog.shop(this.platform, shopId));
  }

  getCategory(categoryId?: string): Promise<ProviderCategory | null> {
    return this.call('getCategory', () => {
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

  topCategories(): Promise<ProviderCategory[]> {
    return this.call('topCategories', () =>
      this.market.catalog.names.topCategoryKeys().map((k) => this.market.catalog.names.category(k)),
    );
  }

  recommend(opts: {
    productIds?: string[];
    categoryId?: string;
    page: number;
    pageSize: number;
  }): Promise<SearchPage<ProductSummary>> {
    return this.call('recommend', () => this.market.recommend(this.platform, opts));
  }

  related(productId: string, opts: { page: number; pageSize: number }): Promise<SearchPage<ProductSummary> | null> {
    return this.call('related', () => this.market.related(this.platform, productId, opts));
  }

  marketingList(
    list: MarketingList,
    query: SearchFilters & { keyword?: string; language?: Language; page: number; pageSize: number },
  ): Promise<SearchPage<ProductSummary>> {
    return this.call('marketingList', () => this.market.marketingList(this.platform, list, query));
  }

  // -- orders ------------------------------------------------------------------------------------------

  previewOrder(request: Omit<OrderRequest, 'clientRef'>): Promise<OrderPreview> {
    return this.call('previewOrder', () => this.orders.preview(request));
  }

  createOrder(request: OrderRequest): Promise<UpstreamOrder[]> {
    return this.call('createOrder', () => this.orders.create(request));
  }

  payOrder(orderId: string, buyerId: string): Promise<UpstreamOrder> {
    return this.call('payOrder', () => this.orders.pay(orderId, buyerId));
  }

  cancelOrder(request: CancelOrder): Promise<UpstreamOrder> {
    return this.call('cancelOrder', () => this.orders.cancel(request));
  }

  confirmReceipt(orderId: string, buyerId: string): Promise<UpstreamOrder> {
    return this.call('confirmReceipt', () => this.orders.confirmReceipt(orderId, buyerId));
  }

  getOrder(orderId: string, buyerId: string): Promise<UpstreamOrder | null> {
    return this.call('getOrder', () => this.orders.get(orderId, buyerId));
  }

  logisticsTrace(orderId: string, buyerId: string): Promise<LogisticsTrace[] | null> {
    return this.call('logisticsTrace', () => this.orders.trace(orderId, buyerId));
  }

  carriers(): Promise<Carrier[]> {
    return this.call('carriers', () => CARRIERS.map(({ code, name }) => ({ code, name })));
  }

  // -- after-sales ---------------------------------------------------------------------------------

  refundOptions(orderId: string, lineId: string, buyerId: string): Promise<RefundOptions> {
    return this.call('refundOptions', () => this.refunds.options(orderId, lineId, buyerId));
  }

  createRefund(request: RefundRequest): Promise<UpstreamRefund> {
    return this.call('createRefund', () => this.refunds.create(request));
  }

  modifyRefund(change: RefundChange): Promise<UpstreamRefund> {
    return this.call('modifyRefund', () => this.refunds.modify(change));
  }

  cancelRefund(refundId: string, buyerId: string): Promise<UpstreamRefund> {
    return this.call('cancelRefund', () => this.refunds.cancel(refundId, buyerId));
  }

  submitReturnShipment(refundId: string, buyerId: string, shipment: ReturnShipment): Promise<UpstreamRefund> {
    return this.call('submitReturnShipment', () => this.refunds.submitReturn(refundId, buyerId, shipment));
  }

  getRefund(refundId: string, buyerId: string): Promise<UpstreamRefund | null> {
    return this.call('getRefund', () => this.refunds.get(refundId, buyerId));
  }

  addRefundMessage(
    refundId: string,
    buyerId: string,
    message: { text: string; images?: string[] },
  ): Promise<RefundMessage> {
    return this.call('addRefundMessage', () =>
      this.refunds.addMessage(refundId, buyerId, message.text, message.images ?? []),
    );
  }

  refundMessages(refundId: string, buyerId: string): Promise<RefundMessage[]> {
    return this.call('refundMessages', () => this.refunds.messages(refundId, buyerId));
  }

  orderRefunds(orderId: string, buyerId: string): Promise<UpstreamRefund[]> {
    return this.call('orderRefunds', () => this.refunds.ofOrder(orderId, buyerId));
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

  getProductByMpId(mpId: string): Promise<ProviderProduct | null> {
    return this.call('getProductByMpId', () => {
      const row = this.market.catalog.goodRowByMpId(mpId);
      return row ? this.market.catalog.product(row) : null;
    });
  }
}

export class SandboxAlibaba extends SandboxPlatform implements AlibabaProvider {
  declare readonly platform: '1688';

  constructor(market: SandboxMarket, orders: Orders, refunds: Refunds) {
    super(market, '1688', orders, refunds);
  }

  getSupplier(sellerOpenId: string): Promise<ProviderShop | null> {
    return this.call('getSupplier', () => this.market.catalog.shopByOpenId(sellerOpenId));
  }

  wangwangUrl(sellerOpenId: string): Promise<string | null> {
    return this.call('wangwangUrl', () => {
      const shop = this.market.catalog.shopByOpenId(sellerOpenId);
      if (!shop) return null;
      return `https://amos.alicdn.com/getcid.aw?v=3&groupid=0&s=1&charset=utf-8&uid=${encodeURIComponent(shop.userNick)}&site=cnalichn`;
    });
  }
}
