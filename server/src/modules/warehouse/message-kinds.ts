/** The warehouse's callback messages (docs/adr/0015): one kind per change of a warehouse item. */
export const WAREHOUSE_BODY_SCHEMAS = {} as const;

export const WAREHOUSE_MESSAGE_KINDS = {} as const;
