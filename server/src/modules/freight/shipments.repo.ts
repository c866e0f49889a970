import type { Selectable, Updateable } from 'kysely';
import type { AuthContext } from '../../platform/auth/credentials.js';
import type { Executor } from '../../platform/db/database.js';
import { lockRow } from '../../platform/db/dialect.js';
import type { ShipmentHistoryTable, ShipmentsTable } from '../../platform/db/schema.js';
import type { AppDeps } from '../../platform/deps.js';
import { ApiError } from '../../platform/http/errors.js';
import { phrase } from '../../platform/http/reasons.js';
import type { FreightChannel, GoodsAttribute } from './quote.js';
import type { LineGoods, Receiver } from './renders.repo.js';
import { ACTION_WORDS, canMove, type ShipmentCause, type ShipmentStatus } from './shipments.states.js';

export type ShipmentRow = Selectable<ShipmentsTable>;
export type ShipmentHistoryRow = Selectable<ShipmentHistoryTable>;

/** One booked line, as `shipments.lines` holds it. */
export interface BookedLine extends LineGoods {
  /** Its place in the preview's `renderItems` (from 0). */
  renderLine: number;
  /** The goods attributes the preview read from the product (inspection's, when found, win at packing). */
  attributes: GoodsAttribute[];
  /** The line's quote on the parcel's channel (fen) and the weight it was billed on. */
  estimateFen: number;
  chargeableWeightG: number;
}

export const SHIPMENT_ID_PATTERN = /^PP[0-9]{1,20}$/;

export const bookedLines = (row: Pick<ShipmentRow, 'lines'>): BookedLine[] => JSON.parse(row.lines) as BookedLine[];
export const bookedChannel = (row: Pick<ShipmentRow, 'channel'>): FreightChannel =>
  JSON.parse(row.channel) as FreightChannel;
export const shipmentReceiver = (row: Pick<ShipmentRow, 'receiver'>): Receiver => JSON.parse(row.receiver) as Receiver;

export async function shipmentById(db: Executor, shipmentId: string): Promise<ShipmentRow | null> {
  if (!SHIPMENT_ID_PATTERN.test(shipmentId)) return null;
  return (await db.selectFrom('shipments').selectAll().where('id', '=', shipmentId).executeTakeFirst()) ?? null;
}

/**
 * A parcel the caller may see: its developer's, and for a sub-account only its own. Anything else is null, the same
 * for an unknown id and another developer's (the caller answers 40401).
 */
export async function findOwnShipment(
  db: Executor,
  auth: AuthContext,
  shipmentId: string,
): Promise<ShipmentRow | null> {
  const row = await shipmentById(db, shipmentId);
  if (!row || row.develop_id !== auth.developId) return null;
  if (!auth.isMainAccount && row.user_id !== auth.userId) return null;
  return row;
}

/** The shipment, locked for the rest of the transaction (PostgreSQL; SQLite's write transactions run one at a time). */
export async function lockShipment(
  db: Executor,
  deps: Pick<AppDeps, 'database'>,
  shipmentId: string,
): Promise<ShipmentRow | null> {
  if (!SHIPMENT_ID_PATTERN.test(shipmentId)) return null;
  await lockRow(deps.database.kind, db, 'shipments', 'id', shipmentId);
  return shipmentById(db, shipmentId);
}

export async function shipmentsOfRender(db: Executor, renderId: string): Promise<ShipmentRow[]> {
  return db.selectFrom('shipments').selectAll().where('render_id', '=', renderId).orderBy('id').execute();
}

export async function insertShipment(db: Executor, row: ShipmentRow): Promise<void> {
  await db.insertInto('shipments').values(row).execute();
}

/** The history of each shipment, oldest first, in one query. */
export async function historiesOf(db: Executor, shipmentIds: string[]): Promise<Map<string, ShipmentHistoryRow[]>> {
  const out = new Map<string, ShipmentHistoryRow[]>(shipmentIds.map((id) => [id, []]));
  if (shipmentIds.length === 0) return out;
  const rows = await db
    .selectFrom('shipment_history')
    .selectAll()
    .where('shipment_id', 'in', shipmentIds)
    .orderBy('at')
    .orderBy('id')
    .execute();
  for (const row of rows) out.get(row.shipment_id)?.push(row);
  return out;
}

/** The warehouse items packed into each shipment (the warehouse records the shipment on its items). */
export async function itemIdsOf(db: Executor, shipmentIds: string[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>(shipmentIds.map((id) => [id, []]));
  if (shipmentIds.length === 0) return out;
  const rows = await db
    .selectFrom('warehouse_items')
    .select(['id', 'shipment_id'])
    .where('shipment_id', 'in', shipmentIds)
    .orderBy('id')
    .execute();
  for (const row of rows) if (row.shipment_id) out.get(row.shipment_id)?.push(row.id);
  return out;
}

export async function insertShipmentHistory(
  db: Executor,
  deps: Pick<AppDeps, 'ids' | 'clock'>,
  row: Omit<ShipmentHistoryRow, 'id'>,
): Promise<void> {
  await db
    .insertInto('shipment_history')
    .values({ id: deps.ids.next(deps.clock.now()), ...row })
    .execute();
}

/** 40901: the parcel's status does not allow the change asked. */
export function shipmentStateConflict(status: ShipmentStatus, to: Exclude<ShipmentStatus, 'booked'>): ApiError {
  return new ApiError(40901, { reason: phrase('parcelState', { status, action: phrase(ACTION_WORDS[to]) }) });
}

/**
 * Moves a shipment to `to` through the transition table, with `changes` and a history row, in the caller's
 * transaction (which holds the shipment's lock). The update is conditional on the status it was read in, so that of
 * two concurrent moves one wins and the other answers 40901. The message is the caller's to write, after the move.
 */
export async function moveShipment(
  db: Executor,
  deps: Pick<AppDeps, 'ids' | 'clock'>,
  shipment: ShipmentRow,
  to: Exclude<ShipmentStatus, 'booked'>,
  options: { cause: ShipmentCause; detail?: string | null; at: number; changes?: Updateable<ShipmentsTable> },
): Promise<void> {
  if (!canMove(shipment.status, to)) throw shipmentStateConflict(shipment.status, to);
  const moved = await db
    .updateTable('shipments')
    .set({ ...options.changes, status: to, updated_at: options.at })
    .where('id', '=', shipment.id)
    .where('status', '=', shipment.status)
    .executeTakeFirst();
  if (Number(moved.numUpdatedRows) !== 1) {
    const now = await shipmentById(db, shipment.id);
    throw shipmentStateConflict(now?.status ?? shipment.status, to);
  }
  await insertShipmentHistory(db, deps, {
    shipment_id: shipment.id,
    from_status: shipment.status,
    to_status: to,
    cause: options.cause,
    detail: options.detail ?? null,
    at: options.at,
  });
}
