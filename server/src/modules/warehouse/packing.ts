import type { Executor } from '../../platform/db/database.js';
import type { AppDeps } from '../../platform/deps.js';
import { ACCOUNTS, postTransaction } from '../payments/index.js';
import { itemStateConflict, lockItem, moveItem, type WarehouseItemRow } from './items.repo.js';
import { storageFeeKey, storageOf } from './storage.js';

type Deps = Pick<AppDeps, 'ids' | 'clock' | 'database' | 'config'>;

/**
 * Packs each `stored` item into the shipment, in the caller's transaction (freight's pack, docs/adr/0015): the item
 * → `packed` with the shipment's id, and its storage fee past the free days charged once under `storage:{itemId}`
 * (the developer's balance → `warehouse:storage`; a balance short of it throws 42201, which the caller lets undo
 * the whole pack). An item that is not `stored` (or was moved by a concurrent request) answers 40901 naming it.
 * Answers the storage fees charged now, in total (a fee charged by an earlier pack of the same item counts 0).
 */
export async function packItems(
  db: Executor,
  deps: Deps,
  items: WarehouseItemRow[],
  shipmentId: string,
  at: number,
): Promise<{ storageFeeFen: number }> {
  let storageFeeFen = 0;
  // One order everywhere, so that concurrent packs lock rows in the same order.
  const ordered = [...new Map(items.map((i) => [i.id, i])).values()].sort((a, b) => (a.id < b.id ? -1 : 1));
  for (const given of ordered) {
    const item = (await lockItem(db, deps, given.id)) ?? given;
    if (item.status !== 'stored') throw itemStateConflict(item, 'packed');
    const storage = storageOf({ received_at: item.received_at, packed_at: at }, at, deps.config.warehouse);
    let storageTx = item.storage_tx;
    let fee = Number(item.storage_fee_fen);
    if (storage.feeFen > 0 && storageTx === null) {
      const posted = await postTransaction(db, deps, {
        idemKey: storageFeeKey(item.id),
        kind: 'storage_fee',
        developId: item.develop_id,
        ...(item.order_id ? { orderId: item.order_id } : {}),
        memo: `storage of ${item.id}: ${storage.chargeableDays} day(s) past ${deps.config.warehouse.freeDays} free`,
        entries: [
          { account: ACCOUNTS.balance(item.develop_id), amountFen: -storage.feeFen },
          { account: ACCOUNTS.storageFees, amountFen: storage.feeFen },
        ],
      });
      storageTx = posted.transactionId;
      if (posted.created) {
        fee = storage.feeFen;
        storageFeeFen += storage.feeFen;
      }
    }
    await moveItem(db, deps, item, 'packed', {
      cause: 'admin:pack',
      detail: `parcel ${shipmentId}`,
      at,
      changes: { shipment_id: shipmentId, packed_at: at, storage_fee_fen: fee, storage_tx: storageTx },
    });
  }
  return { storageFeeFen };
}

/** The shipment's packed items → `shipped`, in the caller's transaction (freight's ship). */
export async function shipItems(db: Executor, deps: Deps, shipmentId: string, at: number): Promise<void> {
  const items = await db
    .selectFrom('warehouse_items')
    .selectAll()
    .where('shipment_id', '=', shipmentId)
    .where('status', '=', 'packed')
    .orderBy('id')
    .execute();
  for (const item of items) {
    await moveItem(db, deps, item, 'shipped', {
      cause: 'admin:ship',
      detail: `parcel ${shipmentId}`,
      at,
      changes: { shipped_at: at },
    });
  }
}
