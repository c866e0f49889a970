import { parse as parseLossless } from 'lossless-json';
import { verifyIopPush } from '../../providers/taobao-global/sign.js';

/**
 * Taobao Global's pushes (docs/adr/0016-real-upstreams.md): a JSON POST `{seller_id, message_type, data,
 * timestamp, site}` whose `Authorization` header is the lower-case hex HMAC-SHA256, keyed with the app secret, of
 * the app key followed by the raw body. Ponte does not act on what a message says (messages are unordered): it reads
 * from it which purchase order to read again.
 *
 * The answer: a bad signature is refused with 401. The references say only that a message is sent again after an
 * answer other than 200 or a timeout, and document no body: an accepted message is answered HTTP 200 with an empty
 * JSON object.
 */

/** The body of the answer to an accepted message. */
export const IOP_PUSH_ACK = '{}';

/** Message types (`message_type`) that name a purchase order: order status, price change, refund. */
export const IOP_ORDER_STATUS = 3;
export const IOP_PRICE_CHANGE = 8;
export const IOP_REFUND = 9;

export interface IopPushTarget {
  messageType: number;
  /** The purchase order to read again, or null for a message about goods (types 11 to 18). */
  orderId: string | null;
}

export type IopPushReading = { ok: true; target: IopPushTarget } | { ok: false; reason: 'signature' | 'malformed' };

export interface IopPushInput {
  rawBody: Buffer;
  authorization: string | undefined;
  appKey: string;
  appSecret: string;
}

/** Verifies a pushed message over its body byte for byte as received, then reads what it names. */
export function readIopPush(input: IopPushInput): IopPushReading {
  const signed = verifyIopPush({
    appKey: input.appKey,
    appSecret: input.appSecret,
    rawBody: input.rawBody,
    authorization: input.authorization,
  });
  if (!signed) return { ok: false, reason: 'signature' };
  let envelope: unknown;
  try {
    // Every number as its text: purchase ids exceed 2^53.
    envelope = parseLossless(input.rawBody.toString('utf8'), undefined, (n: string) => n);
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  if (typeof envelope !== 'object' || envelope === null || Array.isArray(envelope)) {
    return { ok: false, reason: 'malformed' };
  }
  const e = envelope as Record<string, unknown>;
  const messageType = Number(e.message_type);
  if (!Number.isInteger(messageType)) return { ok: false, reason: 'malformed' };
  let data: unknown = e.data;
  if (typeof data === 'string') {
    try {
      data = parseLossless(data, undefined, (n: string) => n);
    } catch {
      data = {};
    }
  }
  const d = typeof data === 'object' && data !== null ? (data as Record<string, unknown>) : {};
  const named =
    messageType === IOP_ORDER_STATUS || messageType === IOP_PRICE_CHANGE || messageType === IOP_REFUND
      ? // Type 8 is written in camelCase (`purchaseOrderId`), the others in snake case.
        (idText(d.purchase_id) ?? idText(d.purchaseOrderId))
      : null;
  return { ok: true, target: { messageType, orderId: named } };
}

const idText = (value: unknown): string | null =>
  typeof value === 'string' && /^\d{1,30}$/.test(value.trim()) ? value.trim() : null;
