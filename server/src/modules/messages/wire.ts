import type { Selectable } from 'kysely';
import type { MessagesTable } from '../../platform/db/schema.js';

/**
 * A message as receivers get it: PandaPon's `{messageType, messageBody, messagePlatform, timestamp}` plus the
 * stable `messageId` and the object's `version` (docs/adr/0013).
 */

type Row = Pick<
  Selectable<MessagesTable>,
  'id' | 'message_type' | 'message_platform' | 'body' | 'created_at' | 'version'
>;

/** 0 Taobao, 1 1688; null for the messages about the callback URL itself (stored as -1). */
export function platformOf(row: Pick<Row, 'message_platform'>): number | null {
  return row.message_platform < 0 ? null : row.message_platform;
}

/** The exact body a delivery POSTs: the stored `messageBody` JSON is embedded as it is, not parsed again. */
export function deliveredBody(row: Row): string {
  return (
    `{"messageId":${JSON.stringify(row.id)},"messageType":${JSON.stringify(row.message_type)},` +
    `"messagePlatform":${JSON.stringify(platformOf(row))},"messageBody":${row.body},` +
    `"timestamp":${Number(row.created_at)},"version":${Number(row.version)}}`
  );
}
