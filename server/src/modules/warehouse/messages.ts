import type { Executor } from '../../platform/db/database.js';
import type { AppDeps } from '../../platform/deps.js';
import { insertMessage } from '../messages/write.js';
import type { WarehouseItemRow } from './items.repo.js';
import { WAREHOUSE_MESSAGE_TYPES, type WarehouseEvent } from './message-kinds.js';
import { toWarehouseItem } from './warehouse.schemas.js';

type Deps = Pick<AppDeps, 'ids' | 'clock' | 'changes' | 'files' | 'config'>;

/**
 * Writes the developer's message about an item in the caller's transaction, after the change it tells of: every
 * change raises the item's version, so each message carries a version greater than the last (docs/adr/0015).
 * Ponte's own message: no platform; titles in English, photos as signed links.
 */
export async function writeItemMessage(
  db: Executor,
  deps: Deps,
  item: WarehouseItemRow,
  event: WarehouseEvent,
): Promise<string> {
  const body = { event, ...toWarehouseItem(deps, item, 'en') };
  return insertMessage(db, deps, {
    developId: item.develop_id,
    userId: item.user_id,
    platform: null,
    type: WAREHOUSE_MESSAGE_TYPES[event],
    objectType: 'warehouse_item',
    objectId: item.id,
    version: Number(item.version),
    body: JSON.stringify(body),
  });
}
