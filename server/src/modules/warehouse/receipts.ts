import type { Executor } from '../../platform/db/database.js';
import { lockName } from '../../platform/db/dialect.js';
import type { AppDeps } from '../../platform/deps.js';
import { ApiError, invalidParameter, notFound } from '../../platform/http/errors.js';
import { phrase } from '../../platform/http/reasons.js';
import {
  arrivedByTracking,
  exceptionById,
  expectedByTracking,
  lockItem,
  moveItem,
  openExceptionByTracking,
  type WarehouseExceptionRow,
  type WarehouseItemRow,
} from './items.repo.js';
import { writeItemMessage } from './messages.js';

type Deps = Pick<AppDeps, 'ids' | 'clock' | 'database' | 'changes' | 'files' | 'config'>;

/**
 * Serialises the receipts of one domestic tracking number on PostgreSQL (two operators scanning the same parcel get
 * one outcome: its items received once, or one exception); SQLite's write transactions are serial already.
 */
async function lockTracking(db: Executor, deps: Deps, trackingNo: string): Promise<void> {
  await lockName(deps.database.kind, db, 40_000_000_000, `warehouse-tracking:${trackingNo}`);
}

export type ReceiptOutcome = 'received' | 'already_received' | 'exception';

export interface Receipt {
  outcome: ReceiptOutcome;
  items: WarehouseItemRow[];
  exception: WarehouseExceptionRow | null;
}

/**
 * A domestic parcel arrives (docs/adr/0015): every item still `expected` with its tracking number → `received`, with
 * its message. A parcel received before answers the items it matched then and changes nothing; a parcel that
 * matches nothing opens an exception for the operator (or answers the one already open for it).
 */
export async function receiveParcel(
  db: Executor,
  deps: Deps,
  input: { trackingNo: string; carrier?: string | undefined; note?: string | undefined },
): Promise<Receipt> {
  const trackingNo = input.trackingNo.trim();
  await lockTracking(db, deps, trackingNo);
  const at = deps.clock.now();
  const expected = await expectedByTracking(db, trackingNo);
  if (expected.length > 0) {
    const items: WarehouseItemRow[] = [];
    for (const found of expected) {
      const item = (await lockItem(db, deps, found.id)) ?? found;
      items.push(
        await receiveItem(db, deps, item, { carrier: input.carrier, note: input.note, cause: 'admin:receipt', at }),
      );
    }
    // Items of the parcel received before (goods declared by W3 after it arrived) are part of the answer too.
    const earlier = (await arrivedByTracking(db, trackingNo)).filter((i) => !items.some((x) => x.id === i.id));
    return { outcome: 'received', items: [...items, ...earlier].sort(byId), exception: null };
  }
  const arrived = await arrivedByTracking(db, trackingNo);
  if (arrived.length > 0) return { outcome: 'already_received', items: arrived, exception: null };
  const open = await openExceptionByTracking(db, trackingNo);
  if (open) return { outcome: 'exception', items: [], exception: open };
  const exception: WarehouseExceptionRow = {
    id: `WX${deps.ids.next(at)}`,
    tracking_no: trackingNo,
    carrier: input.carrier?.trim() || null,
    status: 'open',
    note: input.note?.trim() || null,
    photos: '[]',
    resolution: null,
    item_ids: '[]',
    created_at: at,
    resolved_at: null,
  };
  await db.insertInto('warehouse_exceptions').values(exception).execute();
  return { outcome: 'exception', items: [], exception };
}

const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** One expected item → `received` (storage days count from now), with its message. */
async function receiveItem(
  db: Executor,
  deps: Deps,
  item: WarehouseItemRow,
  o: { carrier?: string | undefined; note?: string | undefined; cause: string; detail?: string; at: number },
): Promise<WarehouseItemRow> {
  const moved = await moveItem(db, deps, item, 'received', {
    cause: o.cause,
    detail: o.detail ?? o.note?.trim() ?? null,
    at: o.at,
    changes: { received_at: o.at, carrier: o.carrier?.trim() || item.carrier },
  });
  await writeItemMessage(db, deps, moved, 'received');
  return moved;
}

/** 40901: the exception was resolved already. */
function exceptionResolved(x: WarehouseExceptionRow): ApiError {
  return new ApiError(40901, { reason: phrase('warehouseExceptionResolved', { id: x.id, status: x.status }) });
}

export type Resolution = { action: 'match'; itemIds: string[]; note?: string } | { action: 'return'; note?: string };

/**
 * Resolves an open exception (docs/adr/0015): `match` receives the expected items the operator names (each must be
 * `expected`: 40901 naming one that is not; an unknown id answers 40001 naming it), `return` records the parcel sent
 * back; a resolved one answers 40901. It takes turns with the receipts of the same tracking number.
 */
export async function resolveException(
  db: Executor,
  deps: Deps,
  exceptionId: string,
  resolution: Resolution,
): Promise<{ exception: WarehouseExceptionRow; items: WarehouseItemRow[] }> {
  const found = await exceptionById(db, exceptionId);
  if (!found) throw notFound('warehouseException', exceptionId);
  await lockTracking(db, deps, found.tracking_no);
  const x = (await exceptionById(db, exceptionId)) ?? found;
  if (x.status !== 'open') throw exceptionResolved(x);
  const at = deps.clock.now();
  const note = resolution.note?.trim() || null;
  if (resolution.action === 'return') {
    await db
      .updateTable('warehouse_exceptions')
      .set({ status: 'returned', resolution: note ? `return: ${note}` : 'return', resolved_at: at })
      .where('id', '=', x.id)
      .execute();
    return { exception: (await exceptionById(db, x.id)) as WarehouseExceptionRow, items: [] };
  }
  if (resolution.itemIds.length === 0) throw invalidParameter('itemIds', 'warehouseMatchItems');
  const ids = [...new Set(resolution.itemIds)];
  const items: WarehouseItemRow[] = [];
  for (const id of ids) {
    const item = await lockItem(db, deps, id);
    if (!item) throw invalidParameter(`itemIds[${resolution.itemIds.indexOf(id)}]`, 'warehouseItemUnknown', { id });
    items.push(
      await receiveItem(db, deps, item, {
        carrier: x.carrier ?? undefined,
        cause: 'admin:match',
        detail: `parcel ${x.tracking_no} (exception ${x.id})${note ? `: ${note}` : ''}`,
        at,
      }),
    );
  }
  await db
    .updateTable('warehouse_exceptions')
    .set({
      status: 'matched',
      resolution: note ? `match: ${note}` : 'match',
      item_ids: JSON.stringify(items.map((i) => i.id)),
      resolved_at: at,
    })
    .where('id', '=', x.id)
    .execute();
  return { exception: (await exceptionById(db, x.id)) as WarehouseExceptionRow, items };
}
