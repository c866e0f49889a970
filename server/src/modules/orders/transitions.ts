import type { Insertable } from 'kysely';
import type { Executor } from '../../platform/db/database.js';
import { prepared } from '../../platform/db/prepared.js';
import type { OrderHistoryTable } from '../../platform/db/schema.js';
import type { AppDeps } from '../../platform/deps.js';
import { lockOrder, partsOf } from './orders.repo.js';
import {
  assertTransition,
  canTransition,
  closedStatus,
  finishedStatus,
  orderStatusOf,
  paidStatus,
  shippedStatus,
} from './orders.states.js';
import type { PartRow } from './orders.types.js';

type Deps = Pick<AppDeps, 'ids' | 'clock' | 'database'>;

export interface StatusChange {
  cause: string;
  detail?: string;
  /** When the change happened upstream (events); now by default. */
  at?: number;
}

/**
 * Moves one part to `to` through the platform's transition table, with a history row, then the order to
 * the status its parts give it (another history row when it changes). Returns whether the part moved:
 * a part already in `to` is left alone (events arrive at least once).
 */
export async function movePart(
  db: Executor,
  deps: Deps,
  part: PartRow,
  to: string,
  change: StatusChange,
): Promise<boolean> {
  if (part.status === to) return false;
  assertTransition(part.platform, part.status, to);
  await lockOrder(db, deps, part.order_id);
  const now = deps.clock.now();
  const at = change.at ?? now;
  const times = partTimes(part.platform, to, at);
  const moved = await db
    .updateTable('order_parts')
    .set({
      status: to,
      updated_at: now,
      ...times,
      ...(change.detail && times.closed_at ? { close_reason: change.detail } : {}),
    })
    .where('id', '=', part.id)
    .where('status', '=', part.status)
    .executeTakeFirst();
  if (Number(moved.numUpdatedRows) !== 1) throw new Error(`part ${part.id} changed under a status move`);
  await db
    .updateTable('order_lines')
    .set({ status: to })
    .where('part_id', '=', part.id)
    .where('status', '=', part.status)
    .execute();
  await history(db, deps, part.order_id, part.id, part.status, to, change, at);
  await settleOrderStatus(db, deps, part.order_id, change, at);
  return true;
}

/** Whether `movePart` would accept the move (for events that may arrive after a later one was applied). */
export function partCanMove(part: PartRow, to: string): boolean {
  return part.status !== to && canTransition(part.platform, part.status, to);
}

/** Sets the order's status to what its parts give, with a history row when it changes. */
async function settleOrderStatus(db: Executor, deps: Deps, orderId: string, change: StatusChange, at: number) {
  const order = await db
    .selectFrom('orders')
    .select(['status', 'platform'])
    .where('id', '=', orderId)
    .executeTakeFirstOrThrow();
  const parts = await partsOf(db, orderId);
  const to = orderStatusOf(
    order.platform,
    parts.map((p) => p.status),
  );
  if (to === order.status) return;
  const now = deps.clock.now();
  await db
    .updateTable('orders')
    .set({
      status: to,
      updated_at: now,
      ...(to === closedStatus(order.platform) ? { closed_at: at, close_reason: change.detail ?? change.cause } : {}),
    })
    .where('id', '=', orderId)
    .execute();
  await history(db, deps, orderId, null, order.status, to, change, at);
}

async function history(
  db: Executor,
  deps: Deps,
  orderId: string,
  partId: string | null,
  from: string | null,
  to: string,
  change: StatusChange,
  at: number,
): Promise<void> {
  await insertHistory(db, [historyRow(deps, orderId, partId, from, to, change, at)]);
}

/** The history row of one status change, for callers that write several at once (insertHistory). */
export function historyRow(
  deps: Pick<AppDeps, 'ids' | 'clock'>,
  orderId: string,
  partId: string | null,
  from: string | null,
  to: string,
  change: StatusChange,
  at: number,
): Insertable<OrderHistoryTable> {
  return {
    id: deps.ids.next(deps.clock.now()),
    order_id: orderId,
    part_id: partId,
    from_status: from,
    to_status: to,
    cause: change.cause,
    detail: change.detail ?? null,
    at,
  };
}

export async function insertHistory(db: Executor, rows: Insertable<OrderHistoryTable>[]): Promise<void> {
  for (const row of rows) {
    await insertHistoryRow(db, {
      id: row.id,
      orderId: row.order_id,
      partId: row.part_id ?? null,
      from: row.from_status ?? null,
      to: row.to_status,
      cause: row.cause,
      detail: row.detail ?? null,
      at: row.at,
    });
  }
}

type HistoryArgs = {
  id: string;
  orderId: string;
  partId: string | null;
  from: string | null;
  to: string;
  cause: string;
  detail: string | null;
  at: number;
};

const insertHistoryRow = prepared((db, a: HistoryArgs) =>
  db.insertInto('order_history').values({
    id: a.id,
    order_id: a.orderId,
    part_id: a.partId,
    from_status: a.from,
    to_status: a.to,
    cause: a.cause,
    detail: a.detail,
    at: a.at,
  }),
);

/** The times a part records when it reaches `to`. */
export function partTimes(
  platform: PartRow['platform'],
  to: string,
  at: number,
): Partial<Record<'paid_at' | 'shipped_at' | 'received_at' | 'closed_at', number>> {
  const times: Partial<Record<'paid_at' | 'shipped_at' | 'received_at' | 'closed_at', number>> = {};
  if (to === paidStatus(platform)) times.paid_at = at;
  if (to === shippedStatus(platform)) times.shipped_at = at;
  if (to === finishedStatus(platform) || to === 'confirm_goods') times.received_at = at;
  if (to === closedStatus(platform)) times.closed_at = at;
  return times;
}

/** The first history row of an order (its creation). */
export async function recordCreation(db: Executor, deps: Deps, orderId: string, status: string, cause: string) {
  await history(db, deps, orderId, null, null, status, { cause }, deps.clock.now());
}
