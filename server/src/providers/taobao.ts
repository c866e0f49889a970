import type { CallOptions, MarketProvider } from './market.js';
import type { ProviderProduct } from './types.js';

/**
 * Taobao through its distribution programme. Beyond the common market: distribution ids
 * (`mpId` / `mpSkuId`) and resolving a product from the ways buyers share it.
 */
export interface TaobaoProvider extends MarketProvider {
  readonly platform: 'taobao';
  /** The product a distribution id (`mpId`) stands for. */
  getProductByMpId(mpId: string, opts?: CallOptions): Promise<ProviderProduct | null>;
}
