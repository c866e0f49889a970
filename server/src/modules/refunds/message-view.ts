import type { AppDeps } from '../../platform/deps.js';
import { EpochMs, Type } from '../../platform/http/schema.js';
import type { RefundMessage } from '../../providers/types.js';
import { evidenceUrls } from './evidence.js';

/** One message of a reverse order's conversation, as T21 and T23 answer it. */
export const RefundMessageView = Type.Object({
  messageId: Type.String({ description: 'Message id (increasing)' }),
  refundId: Type.String({ description: 'Reverse order id' }),
  senderType: Type.Union([Type.Literal('buyer'), Type.Literal('seller'), Type.Literal('system')], {
    description: 'Who wrote it: you (`buyer`), the seller, or the marketplace (`system`, e.g. a timeout)',
  }),
  content: Type.String({ description: 'The text' }),
  images: Type.Array(Type.String(), { description: 'Pictures: signed links that expire' }),
  createTime: EpochMs('When it was written (epoch ms)'),
});

export function toRefundMessageView(deps: AppDeps, refundId: string, m: RefundMessage) {
  const own = m.images.filter((k) => k.startsWith('evidence/'));
  const signed = evidenceUrls(deps, own);
  return {
    messageId: m.messageId,
    refundId,
    senderType: m.from,
    content: m.text,
    images: m.images.map((k) => (k.startsWith('evidence/') ? (signed[own.indexOf(k)] as string) : k)),
    createTime: m.time,
  };
}
