import type { AppDeps } from '../../platform/deps.js';
import type { Platform, ProviderProduct } from '../../providers/types.js';

/**
 * Goods details served from memory for `GOODS_CACHE_SECONDS`, so repeated lookups do not reach the
 * upstream. A `product.changed` upstream event drops the entry at once in the process that receives
 * it; other processes of a deployment see the change when their entry expires.
 */
export class ProductCache {
  private readonly entries = new Map<string, { product: ProviderProduct; until: number }>();

  constructor(
    private readonly ttlMs: number,
    private readonly now: () => number,
    private readonly maxEntries = 10_000,
  ) {}

  async get(
    platform: Platform,
    productId: string,
    load: () => Promise<ProviderProduct | null>,
  ): Promise<ProviderProduct | null> {
    const key = `${platform}:${productId}`;
    const hit = this.entries.get(key);
    if (hit && hit.until > this.now()) {
      this.entries.delete(key);
      this.entries.set(key, hit);
      return hit.product;
    }
    const product = await load();
    if (product && this.ttlMs > 0) {
      this.entries.delete(key);
      this.entries.set(key, { product, until: this.now() + this.ttlMs });
      if (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
    }
    return product;
  }

  invalidate(platform: Platform, productId: string): void {
    this.entries.delete(`${platform}:${productId}`);
  }
}

const caches = new WeakMap<AppDeps, ProductCache>();

/** The cache of one running app. */
export function productCache(deps: AppDeps): ProductCache {
  let cache = caches.get(deps);
  if (!cache) {
    cache = new ProductCache(deps.config.goodsCacheSeconds * 1000, () => deps.clock.now());
    caches.set(deps, cache);
  }
  return cache;
}

/** A product through the cache; the Taobao and 1688 details endpoints use it. */
export function cachedProduct(deps: AppDeps, platform: Platform, productId: string): Promise<ProviderProduct | null> {
  const provider = platform === 'taobao' ? deps.market.taobao : deps.market.alibaba;
  return productCache(deps).get(platform, productId, () => provider.getProduct(productId));
}
