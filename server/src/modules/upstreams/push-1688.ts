import { parseAopJson } from '../../providers/aop/json.js';
import { type AopPushMessage, PushRejected, readPush } from '../../providers/aop/push.js';

/**
 * 1688's pushes (docs/adr/0016-real-upstreams.md): a form POST of `message` (the envelope as JSON text) and
 * `_aop_signature` (HMAC-SHA1 of the app secret over `"message" + message`, as requests are signed with an
 * empty path). Ponte does not act on what a message says (messages come late, twice and out of order): it
 * reads from it which order to read again.
 *
 * The answer: a bad signature is refused with 401, as the published receivers do. The references leave open which
 * answer confirms a message (only that 1688 sends again what was not confirmed): an accepted message is answered
 * HTTP 200, the status every published receiver relies on, with the body `success`, a reading kept in one constant
 * below so that it changes in one place if the real gateway wants another.
 */

/** The body of the answer to an accepted message. */
export const AOP_PUSH_ACK = 'success';

/** What a message asks Ponte to read again: an order (its refunds included), or nothing. */
export interface AopPushTarget {
  topic: string;
  msgId: string;
  orderId: string | null;
  refundId: string | null;
}

export type AopPushReading = { ok: true; target: AopPushTarget } | { ok: false; reason: 'signature' | 'malformed' };

/** Reads and verifies a pushed form from its raw body, exactly as received. */
export function readAopPush(rawBody: string, appSecret: string): AopPushReading {
  let message: AopPushMessage;
  try {
    message = readPush(new URLSearchParams(rawBody), appSecret);
  } catch (err) {
    if (err instanceof PushRejected) return { ok: false, reason: err.reason };
    throw err;
  }
  return { ok: true, target: targetOf(message) };
}

/** A message's `data`: an object in the documentation, JSON text in some clients' types. */
function dataOf(message: AopPushMessage): Record<string, unknown> {
  let data = message.data;
  if (typeof data === 'string') {
    try {
      data = parseAopJson(data);
    } catch {
      return {};
    }
  }
  return typeof data === 'object' && data !== null && !Array.isArray(data) ? (data as Record<string, unknown>) : {};
}

const idText = (value: unknown): string | null =>
  (typeof value === 'string' && value.trim() !== '') || typeof value === 'number' || typeof value === 'bigint'
    ? String(value).trim()
    : null;

/**
 * The order a message is about: order topics (`ORDER_BUYER_VIEW_*`, `ORDER_BATCH_PAY`) and refund topics carry
 * `data.orderId`; a logistics trace names its orders in `orderLogsItems`. Other topics (goods, for example) name
 * nothing Ponte reads again here.
 */
function targetOf(message: AopPushMessage): AopPushTarget {
  const data = dataOf(message);
  let orderId = idText(data.orderId);
  if (!orderId && message.type.startsWith('LOGISTICS_')) {
    const model = data.OrderLogisticsTracingModel as { orderLogsItems?: { orderId?: unknown }[] } | undefined;
    orderId = idText(model?.orderLogsItems?.[0]?.orderId);
  }
  const ordersTopic = message.type.startsWith('ORDER_') || message.type.startsWith('LOGISTICS_');
  return {
    topic: message.type,
    msgId: message.msgId,
    orderId: ordersTopic ? orderId : null,
    refundId: ordersTopic ? idText(data.refundId) : null,
  };
}
