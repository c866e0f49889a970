import type { Executor } from '../../platform/db/database.js';
import type { AppDeps } from '../../platform/deps.js';
import { ACCOUNTS, postTransaction } from '../payments/index.js';
import { shipItems } from '../warehouse/index.js';
import { freightCancelKey } from './ledger-keys.js';
import { writeParcelMessage } from './messages.js';
import { moveShipment, type ShipmentRow, shipmentById, shipmentStateConflict } from './shipments.repo.js';
import type { ShipmentCause } from './shipments.states.js';

type Deps = Pick<AppDeps, 'ids' | 'clock' | 'database' | 'changes' | 'config'>;

const fresh = async (db: Executor, id: string) => (await shipmentById(db, id)) as ShipmentRow;

/**
 * Cancels a booked parcel in the caller's transaction (which holds the shipment's lock): the estimate goes back to
 * the developer's balance under `freight-cancel:{shipmentId}`, once. A parcel already cancelled is answered as it is;
 * one packed or later answers 40901 (its goods are boxed and its freight settled).
 */
export async function cancelShipment(
  db: Executor,
  deps: Deps,
  shipment: ShipmentRow,
  cause: Extract<ShipmentCause, 'api:cancel' | 'admin:cancel'>,
): Promise<ShipmentRow> {
  if (shipment.status === 'cancelled') return shipment;
  if (shipment.status !== 'booked') throw shipmentStateConflict(shipment.status, 'cancelled');
  const now = deps.clock.now();
  const estimate = Number(shipment.estimate_fen);
  let cancelTx: string | null = null;
  if (estimate > 0) {
    const posted = await postTransaction(
      db,
      deps,
      {
        idemKey: freightCancelKey(shipment.id),
        kind: 'freight_refund',
        developId: shipment.develop_id,
        memo: `parcel ${shipment.id} cancelled: its estimate refunded`,
        entries: [
          { account: ACCOUNTS.freightClearing, amountFen: -estimate },
          { account: ACCOUNTS.balance(shipment.develop_id), amountFen: estimate },
        ],
      },
      { savepoint: false },
    );
    cancelTx = posted.transactionId;
  }
  await moveShipment(db, deps, shipment, 'cancelled', {
    cause,
    at: now,
    changes: { cancel_tx: cancelTx, cancelled_at: now, hold_reason: null },
  });
  await writeParcelMessage(db, deps, shipment.id);
  return fresh(db, shipment.id);
}

/** A packed parcel leaves the warehouse with the carrier's tracking number; its goods are shipped with it. */
export async function shipShipment(
  db: Executor,
  deps: Deps,
  shipment: ShipmentRow,
  carrier: string,
  trackingNo: string,
): Promise<ShipmentRow> {
  if (shipment.status !== 'packed') throw shipmentStateConflict(shipment.status, 'shipped');
  const now = deps.clock.now();
  await shipItems(db, deps, shipment.id, now);
  await moveShipment(db, deps, shipment, 'shipped', {
    cause: 'admin:ship',
    detail: `${carrier} ${trackingNo}`,
    at: now,
    changes: { carrier, tracking_no: trackingNo, shipped_at: now },
  });
  await writeParcelMessage(db, deps, shipment.id);
  return fresh(db, shipment.id);
}

/** A shipped parcel reached its receiver. */
export async function deliverShipment(db: Executor, deps: Deps, shipment: ShipmentRow): Promise<ShipmentRow> {
  if (shipment.status !== 'shipped') throw shipmentStateConflict(shipment.status, 'delivered');
  const now = deps.clock.now();
  await moveShipment(db, deps, shipment, 'delivered', {
    cause: 'admin:deliver',
    at: now,
    changes: { delivered_at: now },
  });
  await writeParcelMessage(db, deps, shipment.id);
  return fresh(db, shipment.id);
}
