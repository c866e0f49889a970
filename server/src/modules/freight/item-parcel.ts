import type { AppDeps } from '../../platform/deps.js';
import { notFound } from '../../platform/http/errors.js';
import type { ProviderProduct, ProviderSku } from '../../providers/types.js';
import { goodsAttributes } from './attributes.js';
import { type ParcelSpec, stacked } from './quote.js';

/**
 * The parcel `quantity` units of a marketplace SKU make, from the upstream's weight and size of the SKU: the item is
 * looked up on Taobao, then on 1688 (the contract's logistics endpoints do not name the marketplace).
 */
export async function itemParcel(
  deps: Pick<AppDeps, 'market'>,
  itemId: string,
  skuId: string,
  quantity: number,
): Promise<{ product: ProviderProduct; sku: ProviderSku; parcel: ParcelSpec }> {
  const product =
    (await deps.market.taobao.getProduct(itemId)) ?? (await deps.market.alibaba.getProduct(itemId)) ?? null;
  if (!product) throw notFound('item', itemId);
  const sku = product.skus.find((s) => s.skuId === skuId);
  if (!sku) throw notFound('sku', `${itemId}/${skuId}`);
  return { product, sku, parcel: stacked(sku, quantity, goodsAttributes(product)) };
}
