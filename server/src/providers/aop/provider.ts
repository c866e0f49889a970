import type { AlibabaProvider } from '../alibaba.js';
import type { CallOptions } from '../market.js';
import type { TokenSource } from '../tokens.js';
import type { UpstreamEventSink } from '../types.js';
import type { AopGateway } from './gateway.js';
import { AopGoods, type AopGoodsOptions, GOODS_CAPABILITIES, isAlicdn } from './goods.js';
import { AopOrders, ORDER_CAPABILITIES } from './orders.js';
import { AopRefunds, REFUND_CAPABILITIES } from './refunds.js';

/** The name the API's errors and the capability table give this upstream. */
export const AOP_UPSTREAM = 'aop';

/**
 * Which of 1688's APIs answers each operation of the provider interface, or why none does (docs/adr/0016). The
 * README prints it; a test checks every operation against it through the fake gateway.
 */
export const AOP_CAPABILITIES = { ...GOODS_CAPABILITIES, ...ORDER_CAPABILITIES, ...REFUND_CAPABILITIES };

export interface AopProviderOptions extends AopGoodsOptions {
  gateway: AopGateway;
  /** The token of the 1688 account Ponte buys as: fixed by configuration, or stored by the OAuth flow. */
  tokens: TokenSource;
}

/**
 * 1688's open platform behind the `AlibabaProvider` interface: the goods, order and after-sales operations of
 * `goods.ts`, `orders.ts` and `refunds.ts` over one gateway client and one token. Sellers' actions do not come
 * through this object: 1688 pushes them to Ponte's push route and the reconciliation pulls what a push missed
 * (modules/upstreams), both into the same inbox the sandbox's events enter.
 */
export function createAopProvider(options: AopProviderOptions): AlibabaProvider {
  const { gateway, tokens, ...rest } = options;
  const token = () => tokens.accessToken();
  const goods = new AopGoods(gateway, token, rest);
  const orders = new AopOrders(gateway, token, rest);
  const refunds = new AopRefunds(gateway, token, rest);
  const owns = rest.ownsPictureUrl ?? isAlicdn;
  return {
    platform: '1688',
    getProduct: (id, opts) => goods.getProduct(id, opts),
    getProducts: (ids, opts) => goods.getProducts(ids, opts),
    search: (query, opts) => goods.search(query, opts),
    imageSearch: (query, opts) => goods.imageSearch(query, opts),
    searchShops: (query, opts) => goods.searchShops(query, opts),
    getShop: (shopId, opts) => goods.getShop(shopId, opts),
    getSupplier: (sellerOpenId, opts) => goods.getSupplier(sellerOpenId, opts),
    wangwangUrl: (sellerOpenId, opts) => goods.wangwangUrl(sellerOpenId, opts),
    getCategory: (categoryId, opts) => goods.getCategory(categoryId, opts),
    topCategories: (opts) => goods.topCategories(opts),
    recommend: (query, opts) => goods.recommend(query, opts),
    related: (productId, paging, opts) => goods.related(productId, paging, opts),
    marketingList: (list, query, opts) => goods.marketingList(list, query, opts),
    previewOrder: (request, opts) => orders.previewOrder(request, opts),
    createOrder: (request, opts) => orders.createOrder(request, opts),
    payOrder: (orderId, buyerId, total, opts) => orders.payOrder(orderId, buyerId, total, opts),
    cancelOrder: (request, opts) => orders.cancelOrder(request, opts),
    confirmReceipt: (orderId, buyerId, opts) => orders.confirmReceipt(orderId, buyerId, opts),
    getOrder: (orderId, buyerId, opts) => orders.getOrder(orderId, buyerId, opts),
    ordersByClientRef: (clientRef, buyerId, opts) => orders.ordersByClientRef(clientRef, buyerId, opts),
    logisticsTrace: (orderId, buyerId, opts) => orders.logisticsTrace(orderId, buyerId, opts),
    carriers: (opts) => orders.carriers(opts),
    refundOptions: (orderId, lineId, buyerId, opts) => refunds.refundOptions(orderId, lineId, buyerId, opts),
    createRefund: (request, opts) => refunds.createRefund(request, opts),
    modifyRefund: () => refunds.modifyRefund(),
    cancelRefund: () => refunds.cancelRefund(),
    submitReturnShipment: (refundId, buyerId, shipment, opts) =>
      refunds.submitReturnShipment(refundId, buyerId, shipment, opts),
    getRefund: (refundId, buyerId, opts) => refunds.getRefund(refundId, buyerId, opts),
    refundByClientRef: () => refunds.refundByClientRef(),
    addRefundMessage: () => refunds.addRefundMessage(),
    refundMessages: () => refunds.refundMessages(),
    orderRefunds: (orderId, buyerId, opts?: CallOptions) => refunds.orderRefunds(orderId, buyerId, opts),
    ownsPictureUrl: owns,
    onUpstreamEvent(_sink: UpstreamEventSink) {
      // Pushes and the reconciliation deliver 1688's events (see above); nothing is emitted from here.
    },
  };
}
