import type { CallOptions, MarketProvider } from './market.js';
import type { ProviderShop } from './types.js';

/** 1688. Beyond the common market: suppliers named by an opaque `sellerOpenId`, and their chat links. */
export interface AlibabaProvider extends MarketProvider {
  readonly platform: '1688';
  getSupplier(sellerOpenId: string, opts?: CallOptions): Promise<ProviderShop | null>;
  /** The Wangwang (AliIM) chat URL for a supplier. */
  wangwangUrl(sellerOpenId: string, opts?: CallOptions): Promise<string | null>;
}
