import type { AuthContext } from '../../platform/auth/credentials.js';
import type { Executor } from '../../platform/db/database.js';
import type { AppDeps } from '../../platform/deps.js';
import { invalidParameter, notFound } from '../../platform/http/errors.js';
import type { Language } from '../../platform/http/i18n.js';
import type { Static } from '../../platform/http/schema.js';
import type { ProviderProduct } from '../../providers/types.js';
import { type AlibabaCartList, toAlibabaCartItem } from './alibaba-cart.schemas.js';
import {
  type AddressParam,
  type AlibabaOrderPreviewData,
  toAlibabaPreview,
  toAlibabaShippingAddress,
} from './alibaba-preview.js';
import { type CartRow, listOwn } from './carts.repo.js';
import { addToCart, changeQuantity, requireOwn } from './carts.service.js';

type Item = ReturnType<typeof toAlibabaCartItem>;

/** The offer on sale and its specification; 40401 when either is gone, 40001 when a needed specId is missing. */
function requireSpec(product: ProviderProduct | null, offerId: string, specId: string | null | undefined) {
  if (product?.status !== 'active') throw notFound('offer', offerId);
  if (product.skus.length === 0) return { product, sku: undefined };
  if (!specId) throw invalidParameter('specId', 'required');
  const sku = product.skus.find((s) => s.skuId === specId);
  if (!sku) throw notFound('sku', specId);
  return { product, sku };
}

/** A30: adds units of the specification; the minimum order quantity is left to the list and the preview. */
export async function addAlibaba(
  deps: AppDeps,
  auth: AuthContext,
  input: { offerId: string; specId?: string | null; quantity?: number | null },
  lang: Language,
): Promise<Item> {
  const { product, sku } = requireSpec(
    await deps.market.alibaba.getProduct(input.offerId),
    input.offerId,
    input.specId,
  );
  const row = await addToCart(deps, auth, { platform: '1688', product, sku, quantity: input.quantity ?? 1 });
  return toAlibabaCartItem(row, product, lang);
}

type ShopItem = Static<typeof AlibabaCartList>['enableList'][number];

function bySeller(items: Item[]): ShopItem[] {
  const sellers = new Map<string, ShopItem>();
  for (const { sellerOpenId, sellerNickName, ...info } of items) {
    const key = sellerOpenId ?? `nick:${sellerNickName}`;
    let seller = sellers.get(key);
    if (!seller) {
      seller = { sellerOpenId, sellerNickName, cartItemInfos: [] };
      sellers.set(key, seller);
    }
    seller.cartItemInfos.push(info);
  }
  return [...sellers.values()];
}

/** A31: the cart with today's offers, split into what can be ordered and what cannot, by supplier. */
export async function listAlibaba(
  deps: AppDeps,
  db: Executor,
  auth: AuthContext,
  lang: Language,
): Promise<Static<typeof AlibabaCartList>> {
  const rows = await listOwn(db, auth, '1688');
  const products =
    rows.length === 0 ? [] : await deps.market.alibaba.getProducts([...new Set(rows.map((r) => r.product_id))]);
  const byId = new Map(products.map((p) => [p.productId, p]));
  const items = rows.map((row) => toAlibabaCartItem(row, byId.get(row.product_id), lang));
  return {
    enableList: bySeller(items.filter((i) => i.reason === null)),
    disableList: bySeller(items.filter((i) => i.reason !== null)),
  };
}

/** A29: sets an item's quantity, within today's stock (42202); the minimum order quantity is not required. */
export async function updateAlibabaQuantity(
  deps: AppDeps,
  auth: AuthContext,
  cartId: string,
  quantity: number,
  lang: Language,
): Promise<Item> {
  const [row] = (await requireOwn(deps.database.db, auth, '1688', [cartId])) as [CartRow];
  const product = await deps.market.alibaba.getProduct(row.product_id);
  const market = requireSpec(product, row.product_id, row.sku_id || null);
  const updated = await changeQuantity(deps, auth, row, market, quantity);
  return toAlibabaCartItem(updated, market.product, lang);
}

/** A28: the market's preview of ordering the cart items, in 1688's words. */
export async function previewAlibaba(
  deps: AppDeps,
  db: Executor,
  auth: AuthContext,
  input: { cartIds: string[]; addressParam?: Static<typeof AddressParam> | null },
  lang: Language,
): Promise<AlibabaOrderPreviewData> {
  const rows = await requireOwn(db, auth, '1688', input.cartIds);
  const preview = await deps.market.alibaba.previewOrder({
    lines: rows.map((r) => ({
      productId: r.product_id,
      ...(r.sku_id ? { skuId: r.sku_id } : {}),
      quantity: r.quantity,
    })),
    address: toAlibabaShippingAddress(input.addressParam),
    buyerId: auth.userId,
  });
  return toAlibabaPreview(preview, lang);
}
