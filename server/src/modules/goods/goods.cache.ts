import type { AppDeps } from '../../platform/deps.js';
import type { Platform, ProviderProduct } from '../../providers/types.js';

/** The change-feed topic of a product's details changing upstream; keys are `{platform}:{productId}`. */
export const PRODUCT_CHANGED = 'goods.product';

/**
 * Goods details served from memory for `GOODS_CACHE_SECONDS`, so repeated lookups do not reach the
 * upstream. A `product.changed` upstream event drops the entry in every process of the deployment,
 * through the change feed.
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

  /** Drops one entry by its key (`{platform}:{productId}`, the change feed's key). */
  invalidateKey(key: string): void {
    this.entries.delete(key);
  }

  clear(): void {
    this.entries.clear();
  }
}

const caches = new WeakMap<AppDeps, ProductCache>();

/** The cache of one running app. */
export function productCache(deps: AppDeps): ProductCache {
  let cache = caches.get(deps);
  if (!cache) {
    const created = new ProductCache(deps.config.goodsCacheSeconds * 1000, () => deps.clock.now());
    deps.changes.subscribe(PRODUCT_CHANGED, {
      onChange: (key) => created.invalidateKey(key),
      onReset: () => created.clear(),
    });
    caches.set(deps, created);
    cache = created;
  }
  return cache;
}

/** A product through the cache; the Taobao and 1688 details endpoints use it. */
export function cachedProduct(deps: AppDeps, platform: Platform, productId: string): Promise<ProviderProduct | null> {
  const provider = platform === 'taobao' ? deps.market.taobao : deps.market.alibaba;
  return productCache(deps).get(platform, productId, () => provider.getProduct(productId));
}
