import type { WarehouseItemStatus } from '../../platform/db/schema.js';

/**
 * A warehouse item's lifecycle as a transition table (docs/adr/0015): goods are expected, received, inspected,
 * stored, packed into a parcel and shipped abroad; an unmatched, damaged, wrong or short delivery is an exception,
 * which ends with the goods sent back. Every change goes through `canMove` and writes a history row.
 */
const TRANSITIONS: Record<WarehouseItemStatus, readonly WarehouseItemStatus[]> = {
  expected: ['received', 'exception'],
  received: ['inspected', 'exception'],
  inspected: ['stored', 'exception'],
  stored: ['packed'],
  packed: ['shipped'],
  shipped: [],
  exception: ['returned'],
  returned: [],
};

/** Every status, in the order goods go through them. */
export const ITEM_STATUSES: readonly WarehouseItemStatus[] = [
  'expected',
  'received',
  'inspected',
  'stored',
  'packed',
  'shipped',
  'exception',
  'returned',
];

export const ITEM_CONDITIONS = ['ok', 'damaged', 'wrong_item', 'short'] as const;
export type ItemCondition = (typeof ITEM_CONDITIONS)[number];

export function canMove(from: WarehouseItemStatus, to: WarehouseItemStatus): boolean {
  return TRANSITIONS[from].includes(to);
}
