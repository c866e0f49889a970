import type { Executor } from '../../platform/db/database.js';
import type { AppDeps } from '../../platform/deps.js';
import { insertMessage } from '../messages/write.js';
import { toParcel } from './parcel-view.js';
import { historiesOf, itemIdsOf } from './shipments.repo.js';
import { PARCEL_EVENTS } from './shipments.states.js';

type Deps = Pick<AppDeps, 'ids' | 'clock' | 'changes'>;

/**
 * Writes the developer's message about a parcel in the caller's transaction, after the change it tells of: the
 * shipment's version is raised first, so each message carries a version greater than the last. Ponte's own kind
 * (platform null, `object_type` `shipment`); its type follows the status reached (`PARCEL_PACKED` ...), and its body
 * is the parcel as the developer reads it, with that event.
 */
export async function writeParcelMessage(db: Executor, deps: Deps, shipmentId: string): Promise<string> {
  const now = deps.clock.now();
  await db
    .updateTable('shipments')
    .set((eb) => ({ version: eb('version', '+', 1), updated_at: now }))
    .where('id', '=', shipmentId)
    .execute();
  const row = await db.selectFrom('shipments').selectAll().where('id', '=', shipmentId).executeTakeFirstOrThrow();
  const [histories, items] = await Promise.all([historiesOf(db, [row.id]), itemIdsOf(db, [row.id])]);
  const body = { event: row.status, ...toParcel(row, histories.get(row.id) ?? [], items.get(row.id) ?? []) };
  return insertMessage(db, deps, {
    developId: row.develop_id,
    userId: row.user_id,
    platform: null,
    type: PARCEL_EVENTS[row.status],
    objectType: 'shipment',
    objectId: row.id,
    version: Number(row.version),
    body: JSON.stringify(body),
  });
}
