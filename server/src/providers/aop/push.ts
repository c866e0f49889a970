import { parseAopJson } from './json.js';
import { verifyPush } from './sign.js';

/**
 * Messages 1688 pushes to the app's address: a form POST with `message` (the envelope as JSON text) and
 * `_aop_signature` over the posted fields (ADR 0016). Messages may come more than once and out of order;
 * whoever consumes them deduplicates on `msgId` and orders by the state they report.
 */

/** A pushed message's envelope. `msgId` stays exact (ids may exceed 2^53). */
export interface AopPushMessage {
  msgId: string;
  /** The topic, e.g. `ORDER_BUYER_VIEW_ORDER_PAY`. */
  type: string;
  /** The member id of the account the message is about. */
  userInfo: string | undefined;
  /** When the message was made (epoch ms). */
  gmtBorn: number | undefined;
  /** The topic's data; an object in the documentation, JSON text in some clients' types: kept as sent. */
  data: unknown;
  /** Every envelope field, as parsed. */
  envelope: Record<string, unknown>;
}

/** Why a pushed form was not accepted. */
export class PushRejected extends Error {
  constructor(readonly reason: 'signature' | 'malformed') {
    super(reason === 'signature' ? 'the push signature does not match' : 'the pushed message is not a JSON envelope');
    this.name = 'PushRejected';
  }
}

/**
 * Checks a pushed form's signature and reads its envelope. `fields` is the decoded form (a urlencoded
 * body through `URLSearchParams`). Throws `PushRejected`; the receiver answers 401 to a bad signature.
 */
export function readPush(
  fields: Record<string, string | undefined> | URLSearchParams,
  appSecret: string,
): AopPushMessage {
  const form = fields instanceof URLSearchParams ? Object.fromEntries(fields) : fields;
  if (!verifyPush(form, appSecret)) throw new PushRejected('signature');
  let envelope: unknown;
  try {
    envelope = parseAopJson(form.message ?? '');
  } catch {
    throw new PushRejected('malformed');
  }
  if (typeof envelope !== 'object' || envelope === null || Array.isArray(envelope)) throw new PushRejected('malformed');
  const e = envelope as Record<string, unknown>;
  if ((typeof e.msgId !== 'string' && typeof e.msgId !== 'number') || typeof e.type !== 'string') {
    throw new PushRejected('malformed');
  }
  const born = Number(e.gmtBorn);
  return {
    msgId: String(e.msgId),
    type: e.type,
    userInfo: e.userInfo === undefined ? undefined : String(e.userInfo),
    gmtBorn: Number.isFinite(born) && e.gmtBorn !== undefined ? born : undefined,
    data: e.data,
    envelope: e,
  };
}
