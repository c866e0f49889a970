import type { ShipmentStatus } from '../../platform/db/schema.js';
import type { ReasonId } from '../../platform/http/reasons.js';

/**
 * An international parcel's lifecycle as a transition table (docs/adr/0015): booked from a preview, packed (weighed
 * and settled) at the warehouse, shipped abroad, delivered; cancelled only while nothing is packed. Every change goes
 * through `canMove` and writes a `shipment_history` row.
 */
export type { ShipmentStatus };

const TRANSITIONS: Record<ShipmentStatus, readonly ShipmentStatus[]> = {
  booked: ['packed', 'cancelled'],
  packed: ['shipped'],
  shipped: ['delivered'],
  delivered: [],
  cancelled: [],
};

/** Every status, in the order a parcel goes through them. */
export const SHIPMENT_STATUSES: readonly ShipmentStatus[] = ['booked', 'packed', 'shipped', 'delivered', 'cancelled'];

export function canMove(from: ShipmentStatus, to: ShipmentStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

/** What moved a parcel, as its history rows and callback messages name it. */
export type ShipmentCause = 'api:book' | 'api:cancel' | 'admin:pack' | 'admin:ship' | 'admin:deliver' | 'admin:cancel';

/** The callback message's `event` for the status a change reached. */
export const PARCEL_EVENTS = {
  booked: 'PARCEL_BOOKED',
  packed: 'PARCEL_PACKED',
  shipped: 'PARCEL_SHIPPED',
  delivered: 'PARCEL_DELIVERED',
  cancelled: 'PARCEL_CANCELLED',
} as const satisfies Record<ShipmentStatus, string>;

/** The words of a 40901 that names the action a parcel's status does not allow. */
export const ACTION_WORDS: Record<Exclude<ShipmentStatus, 'booked'>, ReasonId> = {
  packed: 'parcelActionPacked',
  shipped: 'parcelActionShipped',
  delivered: 'parcelActionDelivered',
  cancelled: 'parcelActionCancelled',
};
