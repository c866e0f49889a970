/**
 * The ledger keys of a parcel's money (docs/adr/0015): each movement is one ledger transaction under its key, so that
 * it happens once whoever posts it and however often (a retried or concurrent request finds the first).
 */

/** The estimate charged at booking: the developer's balance → `freight:clearing`. */
export const freightBookKey = (shipmentId: string) => `freight-book:${shipmentId}`;

/** The settlement at packing: the gap charged, or the surplus refunded. */
export const freightSettleKey = (shipmentId: string) => `freight-settle:${shipmentId}`;

/** The estimate refunded when a booked parcel is cancelled. */
export const freightCancelKey = (shipmentId: string) => `freight-cancel:${shipmentId}`;
