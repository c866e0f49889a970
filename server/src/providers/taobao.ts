import type { CallOptions, MarketProvider } from './market.js';
import type { ChatLink, ChatLinkRequest, ProviderProduct } from './types.js';

/**
 * Taobao through its distribution programme. Beyond the common market: distribution ids
 * (`mpId` / `mpSkuId`), resolving a product from the ways buyers share it, and chats with sellers.
 */
export interface TaobaoProvider extends MarketProvider {
  readonly platform: 'taobao';
  /** The product a distribution id (`mpId`) stands for. */
  getProductByMpId(mpId: string, opts?: CallOptions): Promise<ProviderProduct | null>;
  /**
   * A link to a chat page with the seller of an item, or of one of the buyer's orders, that logs the
   * buyer in by itself for a while. Null when the item, or this buyer's order, does not exist.
   */
  chatUrl(request: ChatLinkRequest, opts?: CallOptions): Promise<ChatLink | null>;
}
