import type { Kysely } from 'kysely';
import type { AuthContext } from '../../platform/auth/credentials.js';
import type { Executor } from '../../platform/db/database.js';
import { lockRow } from '../../platform/db/dialect.js';
import { prepared } from '../../platform/db/prepared.js';
import type { DB } from '../../platform/db/schema.js';
import type { AppDeps } from '../../platform/deps.js';
import type { LineRow, OrderAggregate, OrderRow, PartRow, Platform } from './orders.types.js';

export type { LineRow, OrderRow, PartRow, Platform } from './orders.types.js';

/**
 * An order the caller may see: its developer's, and for a sub-account only its own. Orders still being
 * created upstream (or whose create failed) are not visible. Anything else is null, the same for an
 * unknown id and another developer's (the caller answers 40401).
 */
export async function findOwnOrder(
  db: Executor,
  auth: AuthContext,
  platform: Platform,
  orderId: string,
): Promise<OrderRow | null> {
  if (!/^[0-9]{1,20}$/.test(orderId)) return null;
  const args = { orderId, platform, developId: auth.developId, userId: auth.userId };
  const found = auth.isMainAccount ? await ownOrder(db, args) : await ownUserOrder(db, args);
  return found.rows[0] ?? null;
}

type OwnOrderArgs = { orderId: string; platform: Platform; developId: string; userId: string };

const developerOrder = (db: Kysely<DB>, a: OwnOrderArgs) =>
  db
    .selectFrom('orders')
    .selectAll()
    .where('id', '=', a.orderId)
    .where('platform', '=', a.platform)
    .where('develop_id', '=', a.developId)
    .where('create_state', '=', 'created');

const ownOrder = prepared(developerOrder);
const ownUserOrder = prepared((db, a: OwnOrderArgs) => developerOrder(db, a).where('user_id', '=', a.userId));

/** The order a sub purchase order (part) id belongs to, when the caller may see it; else null, as `findOwnOrder`. */
export async function findOwnOrderOfPart(
  db: Executor,
  auth: AuthContext,
  platform: Platform,
  partId: string,
): Promise<OrderRow | null> {
  if (!/^[0-9]{1,20}$/.test(partId)) return null;
  const part = await db.selectFrom('order_parts').select('order_id').where('id', '=', partId).executeTakeFirst();
  return part ? findOwnOrder(db, auth, platform, part.order_id) : null;
}

const orderRow = prepared((db, a: { orderId: string }) =>
  db.selectFrom('orders').selectAll().where('id', '=', a.orderId),
);
const partRows = prepared((db, a: { orderId: string }) =>
  db.selectFrom('order_parts').selectAll().where('order_id', '=', a.orderId).orderBy('id'),
);
const lineRows = prepared((db, a: { orderId: string }) =>
  db.selectFrom('order_lines').selectAll().where('order_id', '=', a.orderId).orderBy('part_id').orderBy('position'),
);

/** Locks nothing; reads one order by id (workers, event handlers). */
export async function orderById(db: Executor, orderId: string): Promise<OrderRow | null> {
  return (await orderRow(db, { orderId })).rows[0] ?? null;
}

export async function partsOf(db: Executor, orderId: string): Promise<PartRow[]> {
  return (await partRows(db, { orderId })).rows;
}

export async function linesOf(db: Executor, orderId: string): Promise<LineRow[]> {
  return (await lineRows(db, { orderId })).rows;
}

/** The part an upstream order id belongs to (event handlers). */
export async function partByUpstreamId(
  db: Executor,
  platform: Platform,
  upstreamOrderId: string,
): Promise<PartRow | null> {
  return (
    (await db
      .selectFrom('order_parts')
      .selectAll()
      .where('platform', '=', platform)
      .where('upstream_order_id', '=', upstreamOrderId)
      .executeTakeFirst()) ?? null
  );
}

/** The order with its parts and their lines, as views and messages need it. */
export async function loadAggregate(db: Executor, order: OrderRow): Promise<OrderAggregate> {
  const [parts, lines] = await Promise.all([partsOf(db, order.id), linesOf(db, order.id)]);
  return { order, parts: parts.map((part) => ({ part, lines: lines.filter((l) => l.part_id === part.id) })) };
}

/** Several orders' aggregates in three queries (lists). */
export async function loadAggregates(db: Executor, orders: OrderRow[]): Promise<OrderAggregate[]> {
  if (orders.length === 0) return [];
  const ids = orders.map((o) => o.id);
  const [parts, lines] = await Promise.all([
    db.selectFrom('order_parts').selectAll().where('order_id', 'in', ids).orderBy('id').execute(),
    db
      .selectFrom('order_lines')
      .selectAll()
      .where('order_id', 'in', ids)
      .orderBy('part_id')
      .orderBy('position')
      .execute(),
  ]);
  return orders.map((order) => ({
    order,
    parts: parts
      .filter((p) => p.order_id === order.id)
      .map((part) => ({ part, lines: lines.filter((l) => l.part_id === part.id) })),
  }));
}

/**
 * Makes the transactions that change one order take turns until the end of the caller's transaction
 * (PostgreSQL; SQLite's writes are serial anyway): an order's status and pay state are derived from all
 * its parts, which two events of different sellers may change at once.
 */
export function lockOrder(db: Executor, deps: Pick<AppDeps, 'database'>, orderId: string): Promise<void> {
  return lockRow(deps.database.kind, db, 'orders', 'id', orderId);
}
