/** The international parcels' callback messages (docs/adr/0015): one kind per change of a parcel. */
export const PARCEL_BODY_SCHEMAS = {} as const;

export const PARCEL_MESSAGE_KINDS = {} as const;
