import { type Selectable, sql } from 'kysely';
import type { AuthContext } from '../../platform/auth/credentials.js';
import type { Executor } from '../../platform/db/database.js';
import { type DialectKind, lockName } from '../../platform/db/dialect.js';
import type { CartItemsTable } from '../../platform/db/schema.js';

export type CartRow = Selectable<CartItemsTable>;
export type CartPlatform = CartItemsTable['platform'];

const ID = /^[0-9]{1,20}$/;

/**
 * A cart belongs to one sub-account (docs/architecture.md §6): every read is scoped by developer,
 * sub-account and platform, so another developer's, a sibling sub-account's and the other platform's
 * records are not found, the same as unknown ids.
 */
function own(db: Executor, auth: AuthContext, platform: CartPlatform) {
  return db
    .selectFrom('cart_items')
    .selectAll()
    .where('develop_id', '=', auth.developId)
    .where('user_id', '=', auth.userId)
    .where('platform', '=', platform);
}

/** The sub-account's cart on one platform, newest first. */
export function listOwn(db: Executor, auth: AuthContext, platform: CartPlatform): Promise<CartRow[]> {
  return own(db, auth, platform).orderBy('id', 'desc').execute();
}

/** The records of `ids` that are the sub-account's, in any order. */
export async function findOwn(
  db: Executor,
  auth: AuthContext,
  platform: CartPlatform,
  ids: string[],
): Promise<CartRow[]> {
  const valid = ids.filter((id) => ID.test(id));
  if (valid.length === 0) return [];
  return own(db, auth, platform).where('id', 'in', valid).execute();
}

export async function countOwn(db: Executor, auth: AuthContext, platform: CartPlatform): Promise<number> {
  const row = await db
    .selectFrom('cart_items')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('user_id', '=', auth.userId)
    .where('platform', '=', platform)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * Inserts the record, or adds its quantity to the sub-account's record of the same SKU, in one
 * statement (the unique index `cart_items_sku`): concurrent adds of one SKU end in one row holding their
 * sum. The snapshot becomes the latest one seen. Answers the row as it now is.
 */
export function upsert(db: Executor, row: CartRow): Promise<CartRow> {
  return db
    .insertInto('cart_items')
    .values(row)
    .onConflict((oc) =>
      oc.columns(['user_id', 'platform', 'product_id', 'sku_id']).doUpdateSet({
        quantity: sql<number>`cart_items.quantity + excluded.quantity`,
        snapshot: sql<string>`excluded.snapshot`,
        mp_id: sql<string | null>`excluded.mp_id`,
        mp_sku_id: sql<string | null>`excluded.mp_sku_id`,
        shop_id: sql<string>`excluded.shop_id`,
        seller_open_id: sql<string | null>`excluded.seller_open_id`,
        updated_at: sql<number>`excluded.updated_at`,
      }),
    )
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Sets the quantity (and the latest snapshot) of one of the sub-account's records; null when it is not one. */
export async function setQuantity(
  db: Executor,
  auth: AuthContext,
  platform: CartPlatform,
  id: string,
  change: { quantity: number; snapshot: string; updated_at: number },
): Promise<CartRow | null> {
  const row = await db
    .updateTable('cart_items')
    .set(change)
    .where('id', '=', id)
    .where('develop_id', '=', auth.developId)
    .where('user_id', '=', auth.userId)
    .where('platform', '=', platform)
    .returningAll()
    .executeTakeFirst();
  return row ?? null;
}

export async function deleteByIds(db: Executor, ids: string[]): Promise<number> {
  if (ids.length === 0) return 0;
  const result = await db.deleteFrom('cart_items').where('id', 'in', ids).executeTakeFirst();
  return Number(result.numDeletedRows);
}

/**
 * Serialises the cart changes of one sub-account on PostgreSQL, so that its record limit holds under
 * concurrent adds; SQLite's write transactions are serial already.
 */
export async function lockCart(kind: DialectKind, trx: Executor, userId: string): Promise<void> {
  await lockName(kind, trx, 30_000_000_000, `cart:${userId}`);
}
