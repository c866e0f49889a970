import type { AuthContext } from '../../platform/auth/credentials.js';
import type { Executor } from '../../platform/db/database.js';
import type { AppDeps } from '../../platform/deps.js';
import { ApiError, invalidParameter, notFound } from '../../platform/http/errors.js';
import { phrase } from '../../platform/http/reasons.js';
import type { ProviderProduct, ProviderSku } from '../../providers/types.js';
import {
  type CartPlatform,
  type CartRow,
  countOwn,
  deleteByIds,
  findOwn,
  lockCart,
  setQuantity,
  upsert,
} from './carts.repo.js';
import { MAX_CART_ITEMS, MAX_QUANTITY, snapshotOf } from './carts.schemas.js';

type Deps = Pick<AppDeps, 'database' | 'ids' | 'clock'>;

/** The field a platform's requests name their cart ids with. */
const IDS_FIELD: Record<CartPlatform, string> = { taobao: 'ids', '1688': 'cartIds' };

/**
 * The sub-account's records of `ids`, in the order asked (an id asked twice once). 40001 on the ids
 * field for an empty list; 40401 for the first id that is not one of its records on this platform.
 */
export async function requireOwn(
  db: Executor,
  auth: AuthContext,
  platform: CartPlatform,
  ids: string[],
): Promise<CartRow[]> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) throw invalidParameter(IDS_FIELD[platform], 'atLeastOneId');
  const rows = new Map((await findOwn(db, auth, platform, unique)).map((r) => [r.id, r]));
  return unique.map((id) => {
    const row = rows.get(id);
    if (!row) throw notFound('cartItem', id);
    return row;
  });
}

/** What an add puts in the cart, resolved from the market before the transaction. */
export interface CartAdd {
  platform: CartPlatform;
  product: ProviderProduct;
  sku: ProviderSku | undefined;
  quantity: number;
}

/**
 * Adds the SKU to the sub-account's cart in one transaction, raising the quantity of its record when
 * there is one. The sum must stay within 1..9999 (40001 on `quantity`) and the stock (42202); a new
 * record must stay within the cart's limit (40901). A refusal rolls the change back.
 */
export function addToCart(deps: Deps, auth: AuthContext, add: CartAdd): Promise<CartRow> {
  const { product, sku, platform } = add;
  return deps.database.transaction(async (trx) => {
    await lockCart(deps.database.kind, trx, auth.userId);
    const now = deps.clock.now();
    const fresh: CartRow = {
      id: deps.ids.next(now),
      platform,
      develop_id: auth.developId,
      user_id: auth.userId,
      product_id: product.productId,
      sku_id: sku?.skuId ?? '',
      mp_id: platform === 'taobao' ? product.mpId : null,
      mp_sku_id: platform === 'taobao' ? (sku?.mpSkuId ?? null) : null,
      shop_id: product.shop.shopId,
      seller_open_id: product.shop.sellerOpenId,
      quantity: add.quantity,
      snapshot: JSON.stringify(snapshotOf(product, sku)),
      created_at: now,
      updated_at: now,
    };
    const row = await upsert(trx, fresh);
    checkQuantity(row.quantity, sku ? sku.stock : product.totalStock);
    if (row.id === fresh.id && (await countOwn(trx, auth, platform)) > MAX_CART_ITEMS) {
      throw new ApiError(40901, { reason: phrase('cartLimit', { max: MAX_CART_ITEMS }) });
    }
    return row;
  });
}

function checkQuantity(quantity: number, stock: number): void {
  if (quantity > MAX_QUANTITY) throw invalidParameter('quantity', 'cartQuantityMax', { quantity, max: MAX_QUANTITY });
  if (quantity > stock) throw new ApiError(42202);
}

/** Sets a record's quantity, checked against today's stock; 40401 when the record went meanwhile. */
export async function changeQuantity(
  deps: Deps,
  auth: AuthContext,
  row: CartRow,
  market: { product: ProviderProduct; sku: ProviderSku | undefined },
  quantity: number,
): Promise<CartRow> {
  checkQuantity(quantity, market.sku ? market.sku.stock : market.product.totalStock);
  const change = {
    quantity,
    snapshot: JSON.stringify(snapshotOf(market.product, market.sku)),
    updated_at: deps.clock.now(),
  };
  const updated = await deps.database.transaction((trx) => setQuantity(trx, auth, row.platform, row.id, change));
  if (!updated) throw notFound('cartItem', row.id);
  return updated;
}

/** Deletes the sub-account's records of `ids`: all of them, or none when one is not its own (40401). */
export async function deleteOwn(
  db: Executor,
  auth: AuthContext,
  platform: CartPlatform,
  ids: string[],
): Promise<string[]> {
  const rows = await requireOwn(db, auth, platform, ids);
  await deleteByIds(
    db,
    rows.map((r) => r.id),
  );
  return rows.map((r) => r.id);
}

/** A cart record as an order takes it. */
export interface CartLine {
  cartItemId: string;
  productId: string;
  /** Null when the product has no SKUs. */
  skuId: string | null;
  mpId: string | null;
  mpSkuId: string | null;
  quantity: number;
  sellerOpenId: string | null;
}

/**
 * The records `ids` of the calling sub-account's cart on `platform`, as order lines, in the order
 * asked. Throws 40001 (on `ids` for Taobao, `cartIds` for 1688) for an empty list and 40401 for an id
 * that is not one of the sub-account's records on that platform.
 */
export async function cartLinesForOrder(
  db: Executor,
  auth: AuthContext,
  platform: CartPlatform,
  ids: string[],
): Promise<CartLine[]> {
  const rows = await requireOwn(db, auth, platform, ids);
  return rows.map((r) => ({
    cartItemId: r.id,
    productId: r.product_id,
    skuId: r.sku_id === '' ? null : r.sku_id,
    mpId: r.mp_id,
    mpSkuId: r.mp_sku_id,
    quantity: r.quantity,
    sellerOpenId: r.seller_open_id,
  }));
}

/** Removes ordered records, in the transaction that records the order. Answers how many were removed. */
export function removeCartItems(trx: Executor, ids: string[]): Promise<number> {
  return deleteByIds(trx, [...new Set(ids)]);
}
