import type { Selectable } from 'kysely';
import type { AuthContext } from '../../platform/auth/credentials.js';
import type { Executor } from '../../platform/db/database.js';
import { lockRow } from '../../platform/db/dialect.js';
import type {
  WarehouseExceptionsTable,
  WarehouseItemHistoryTable,
  WarehouseItemStatus,
  WarehouseItemsTable,
} from '../../platform/db/schema.js';
import type { AppDeps } from '../../platform/deps.js';
import { ApiError } from '../../platform/http/errors.js';
import { phrase } from '../../platform/http/reasons.js';
import { canMove } from './items.states.js';

export type WarehouseItemRow = Selectable<WarehouseItemsTable>;
export type WarehouseItemHistoryRow = Selectable<WarehouseItemHistoryTable>;
export type WarehouseExceptionRow = Selectable<WarehouseExceptionsTable>;

type Deps = Pick<AppDeps, 'ids' | 'clock' | 'database'>;

/** A new item's values, less what every new item starts with. */
export type NewItem = Omit<
  WarehouseItemRow,
  | 'id'
  | 'status'
  | 'quantity_received'
  | 'condition'
  | 'photos'
  | 'weight_g'
  | 'length_cm'
  | 'width_cm'
  | 'height_cm'
  | 'attributes'
  | 'note'
  | 'refund_id'
  | 'shipment_id'
  | 'storage_fee_fen'
  | 'storage_tx'
  | 'version'
  | 'created_at'
  | 'updated_at'
  | 'received_at'
  | 'inspected_at'
  | 'packed_at'
  | 'shipped_at'
>;

/**
 * Records an expected item once: a second expectation with the same dedupe key (the same line and tracking number,
 * told twice or concurrently) finds the first. Answers the item and whether it is new.
 */
export async function insertExpectedItem(
  db: Executor,
  deps: Deps,
  item: NewItem,
  cause: string,
  at: number,
  detail: string | null = null,
): Promise<{ item: WarehouseItemRow; created: boolean }> {
  const id = `WI${deps.ids.next(at)}`;
  const inserted = await db
    .insertInto('warehouse_items')
    .values({
      ...item,
      id,
      status: 'expected',
      quantity_received: null,
      condition: null,
      photos: '[]',
      weight_g: null,
      length_cm: null,
      width_cm: null,
      height_cm: null,
      attributes: null,
      note: null,
      refund_id: null,
      shipment_id: null,
      storage_fee_fen: 0,
      storage_tx: null,
      version: 1,
      created_at: at,
      updated_at: at,
      received_at: null,
      inspected_at: null,
      packed_at: null,
      shipped_at: null,
    })
    .onConflict((oc) => oc.column('dedupe_key').doNothing())
    .returningAll()
    .executeTakeFirst();
  if (inserted) {
    await insertItemHistory(db, deps, { item_id: id, from_status: null, to_status: 'expected', cause, detail, at });
    return { item: inserted, created: true };
  }
  const existing = await db
    .selectFrom('warehouse_items')
    .selectAll()
    .where('dedupe_key', '=', item.dedupe_key)
    .executeTakeFirstOrThrow();
  return { item: existing, created: false };
}

export async function itemById(db: Executor, itemId: string): Promise<WarehouseItemRow | null> {
  if (!/^WI[0-9]{1,20}$/.test(itemId)) return null;
  return (await db.selectFrom('warehouse_items').selectAll().where('id', '=', itemId).executeTakeFirst()) ?? null;
}

/** The item, locked for the rest of the transaction (PostgreSQL; SQLite's write transactions run one at a time). */
export async function lockItem(db: Executor, deps: Pick<AppDeps, 'database'>, itemId: string) {
  await lockRow(deps.database.kind, db, 'warehouse_items', 'id', itemId);
  return itemById(db, itemId);
}

/**
 * An item the caller may see: its developer's, and for a sub-account only its own. Anything else is null, the
 * same for an unknown id and another developer's (the caller answers 40401).
 */
export async function findOwnItem(db: Executor, auth: AuthContext, itemId: string): Promise<WarehouseItemRow | null> {
  const item = await itemById(db, itemId);
  if (!item || item.develop_id !== auth.developId) return null;
  if (!auth.isMainAccount && item.user_id !== auth.userId) return null;
  return item;
}

/** The developer's items by id (any status), for packing; missing ids are absent from the answer. */
export async function itemsByIds(db: Executor, developId: string, itemIds: string[]): Promise<WarehouseItemRow[]> {
  const ids = [...new Set(itemIds)].filter((id) => /^WI[0-9]{1,20}$/.test(id));
  if (ids.length === 0) return [];
  return db
    .selectFrom('warehouse_items')
    .selectAll()
    .where('develop_id', '=', developId)
    .where('id', 'in', ids)
    .orderBy('id')
    .execute();
}

export async function historyOf(db: Executor, itemId: string): Promise<WarehouseItemHistoryRow[]> {
  return db.selectFrom('warehouse_item_history').selectAll().where('item_id', '=', itemId).orderBy('id').execute();
}

export async function insertItemHistory(
  db: Executor,
  deps: Pick<AppDeps, 'ids' | 'clock'>,
  row: Omit<WarehouseItemHistoryRow, 'id'>,
): Promise<void> {
  await db
    .insertInto('warehouse_item_history')
    .values({ id: deps.ids.next(deps.clock.now()), ...row })
    .execute();
}

/** What else changes with a move (received/inspected/packed times, measurements, the parcel it goes into). */
export type ItemChanges = Partial<
  Omit<WarehouseItemRow, 'id' | 'status' | 'version' | 'updated_at' | 'develop_id' | 'user_id' | 'dedupe_key'>
>;

/**
 * Moves an item to `to` through the transition table, with `changes`, a new version and a history row; the update
 * is conditional on the status it was read in, so that of two concurrent moves one wins and the other answers
 * 40901. A move the table does not allow answers 40901 naming the item and its status.
 */
export async function moveItem(
  db: Executor,
  deps: Pick<AppDeps, 'ids' | 'clock'>,
  item: WarehouseItemRow,
  to: WarehouseItemStatus,
  options: { cause: string; detail?: string | null; at: number; changes?: ItemChanges },
): Promise<WarehouseItemRow> {
  if (!canMove(item.status, to)) throw itemStateConflict(item, to);
  const updated = await db
    .updateTable('warehouse_items')
    .set({ ...options.changes, status: to, version: item.version + 1, updated_at: options.at })
    .where('id', '=', item.id)
    .where('status', '=', item.status)
    .where('version', '=', item.version)
    .returningAll()
    .executeTakeFirst();
  if (!updated) throw itemStateConflict((await itemById(db, item.id)) ?? item, to);
  await insertItemHistory(db, deps, {
    item_id: item.id,
    from_status: item.status,
    to_status: to,
    cause: options.cause,
    detail: options.detail ?? null,
    at: options.at,
  });
  return updated;
}

/** 40901: the item is not in a status that allows the change asked. */
export function itemStateConflict(item: Pick<WarehouseItemRow, 'id' | 'status'>, to: WarehouseItemStatus): ApiError {
  return new ApiError(40901, { reason: phrase('warehouseItemState', { id: item.id, status: item.status, to }) });
}

/** Every item still expected with that domestic tracking number, oldest first. */
export async function expectedByTracking(db: Executor, trackingNo: string): Promise<WarehouseItemRow[]> {
  return db
    .selectFrom('warehouse_items')
    .selectAll()
    .where('tracking_no', '=', trackingNo)
    .where('status', '=', 'expected')
    .orderBy('id')
    .execute();
}

/** Every item with that tracking number that has arrived (in any later status), oldest first. */
export async function arrivedByTracking(db: Executor, trackingNo: string): Promise<WarehouseItemRow[]> {
  return db
    .selectFrom('warehouse_items')
    .selectAll()
    .where('tracking_no', '=', trackingNo)
    .where('received_at', 'is not', null)
    .orderBy('id')
    .execute();
}

export async function exceptionById(db: Executor, exceptionId: string): Promise<WarehouseExceptionRow | null> {
  if (!/^WX[0-9]{1,20}$/.test(exceptionId)) return null;
  return (
    (await db.selectFrom('warehouse_exceptions').selectAll().where('id', '=', exceptionId).executeTakeFirst()) ?? null
  );
}

export async function openExceptionByTracking(db: Executor, trackingNo: string): Promise<WarehouseExceptionRow | null> {
  return (
    (await db
      .selectFrom('warehouse_exceptions')
      .selectAll()
      .where('tracking_no', '=', trackingNo)
      .where('status', '=', 'open')
      .orderBy('id')
      .executeTakeFirst()) ?? null
  );
}

/** Reads JSON arrays stored as text (photos, item ids): an unreadable value reads as empty. */
export function jsonList(text: string | null): string[] {
  if (!text) return [];
  try {
    const value: unknown = JSON.parse(text);
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
  } catch {
    return [];
  }
}
