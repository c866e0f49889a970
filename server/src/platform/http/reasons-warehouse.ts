import type { Translations } from './i18n.js';

/** The reasons catalogue's words of the warehouse (modules/warehouse: W3, receipts, inspection, storage). */
export const WAREHOUSE_REASONS = {} as const satisfies Record<string, Translations>;
