import type { CallOptions } from '../market.js';
import type { TaobaoProvider } from '../taobao.js';
import type { TokenSource } from '../tokens.js';
import type { UpstreamEventSink } from '../types.js';
import type { IopClient } from './gateway.js';
import { GOODS_CAPABILITIES, TaobaoGlobalGoods, type TaobaoGlobalGoodsOptions, UPSTREAM } from './goods.js';
import { ORDER_CAPABILITIES, TaobaoGlobalOrders, type TaobaoGlobalOrdersOptions } from './orders.js';
import { REFUND_CAPABILITIES, TaobaoGlobalRefunds } from './refunds.js';

export const TAOBAO_GLOBAL_UPSTREAM = UPSTREAM;

/**
 * Which of Taobao Global's APIs answers each operation of the provider interface, or why none does
 * (docs/adr/0016). The README prints it; a test checks every operation against it through the fake gateway.
 */
export const TAOBAO_GLOBAL_CAPABILITIES = { ...GOODS_CAPABILITIES, ...ORDER_CAPABILITIES, ...REFUND_CAPABILITIES };

export interface TaobaoGlobalProviderOptions extends TaobaoGlobalGoodsOptions, TaobaoGlobalOrdersOptions {
  client: IopClient;
  /** The distributor account's token: stored by the OAuth flow and refreshed before it expires. */
  tokens: TokenSource;
}

/**
 * Taobao Global's distributor platform behind the `TaobaoProvider` interface: the operations of `goods.ts`,
 * `orders.ts` and `refunds.ts` over one client and the distributor account's token (one account: Ponte's own
 * records keep its developers' orders apart). Sellers' actions arrive as pushes at Ponte's push route and through
 * the reconciliation (modules/upstreams), not through this object.
 */
export function createTaobaoGlobalProvider(options: TaobaoGlobalProviderOptions): TaobaoProvider {
  const { client, tokens, distributionIds, country, pageSize, ...goodsOptions } = options;
  const token = () => tokens.accessToken();
  const goods = new TaobaoGlobalGoods(client, token, goodsOptions);
  const orders = new TaobaoGlobalOrders(client, token, goods, { distributionIds, country, pageSize });
  const refunds = new TaobaoGlobalRefunds(client, token);
  return {
    platform: 'taobao',
    getProduct: (id, opts) => goods.getProduct(id, opts),
    getProducts: (ids, opts) => goods.getProducts(ids, opts),
    getProductByMpId: () => goods.getProductByMpId(),
    search: (query, opts) => goods.search(query, opts),
    imageSearch: (query, opts) => goods.imageSearch(query, opts),
    searchShops: () => goods.searchShops(),
    getShop: () => goods.getShop(),
    chatUrl: (request, opts) => goods.chatUrl(request, opts),
    getCategory: () => goods.getCategory(),
    topCategories: () => goods.topCategories(),
    recommend: () => goods.recommend(),
    related: () => goods.related(),
    marketingList: () => goods.marketingList(),
    previewOrder: (request, opts) => orders.previewOrder(request, opts),
    createOrder: (request, opts) => orders.createOrder(request, opts),
    payOrder: (orderId, buyerId, total, opts) => orders.payOrder(orderId, buyerId, total, opts),
    cancelOrder: (request, opts) => orders.cancelOrder(request, opts),
    confirmReceipt: (orderId, buyerId, opts) => orders.confirmReceipt(orderId, buyerId, opts),
    getOrder: (orderId, buyerId, opts) => orders.getOrder(orderId, buyerId, opts),
    ordersByClientRef: (clientRef, buyerId, opts) => orders.ordersByClientRef(clientRef, buyerId, opts),
    logisticsTrace: (orderId, buyerId, opts) => orders.logisticsTrace(orderId, buyerId, opts),
    carriers: () => orders.carriers(),
    refundOptions: () => refunds.refundOptions(),
    createRefund: () => refunds.createRefund(),
    modifyRefund: () => refunds.modifyRefund(),
    cancelRefund: () => refunds.cancelRefund(),
    submitReturnShipment: () => refunds.submitReturnShipment(),
    getRefund: (refundId, buyerId, opts) => refunds.getRefund(refundId, buyerId, opts),
    refundByClientRef: () => refunds.refundByClientRef(),
    addRefundMessage: () => refunds.addRefundMessage(),
    refundMessages: () => refunds.refundMessages(),
    orderRefunds: (orderId, buyerId, opts?: CallOptions) => refunds.orderRefunds(orderId, buyerId, opts),
    ownsPictureUrl: isTaobaoPicture,
    onUpstreamEvent(_sink: UpstreamEventSink) {
      // Pushes and the reconciliation deliver Taobao Global's events (see above); nothing is emitted from here.
    },
  };
}

const PICTURE_HOSTS = ['alicdn.com', 'taobaocdn.com', 'tbcdn.cn'];

/** Taobao's picture hosts: picture search passes such URLs to the platform instead of fetching them. */
export function isTaobaoPicture(url: string): boolean {
  try {
    const host = new URL(url).hostname;
    return PICTURE_HOSTS.some((h) => host === h || host.endsWith(`.${h}`));
  } catch {
    return false;
  }
}
