import type { Config } from '../../config.js';
import type { WarehouseItemRow } from './items.repo.js';

const DAY_MS = 86_400_000;

/**
 * Storage of one item at `now` (docs/adr/0015): every started day from receipt until it is packed (or until `now`
 * while it is still on the shelf) counts; the first `freeDays` are free, each further one costs `feePerDayFen`.
 * Nothing counts before the goods are received.
 */
export function storageOf(
  item: Pick<WarehouseItemRow, 'received_at' | 'packed_at'>,
  now: number,
  config: Config['warehouse'],
): { days: number; chargeableDays: number; feeFen: number } {
  if (item.received_at === null) return { days: 0, chargeableDays: 0, feeFen: 0 };
  const end = item.packed_at ?? now;
  const days = Math.max(0, Math.ceil((Number(end) - Number(item.received_at)) / DAY_MS));
  const chargeableDays = Math.max(0, days - config.freeDays);
  return { days, chargeableDays, feeFen: chargeableDays * config.feePerDayFen };
}

/** The ledger key that makes an item's storage fee charged once, whoever packs it and however often. */
export const storageFeeKey = (itemId: string) => `storage:${itemId}`;
