import { stringifyAopJson } from '../../providers/aop/json.js';
import type { SandboxMarket } from '../../providers/sandbox/sandbox.js';
import type { UpstreamEvent } from '../../providers/types.js';
import { type PushQueue, startPushQueue } from '../push-queue.js';
import type { AopFake } from './fake.js';

/**
 * The fake gateway's push emitter (docs/adr/0016-real-upstreams.md): every change the sandbox market's 1688 sellers
 * (and its clock) make becomes the message 1688 pushes for it, signed by the fake and POSTed to the subscriber's
 * address as a form. Messages name the order (and refund) and its status, as 1688's do; a subscriber reads the
 * order to learn the rest. Logistics steps and goods changes are not pushed: nothing Ponte records follows them.
 *
 * Pushes can be lost on purpose (`drop`, `setDropping`) to show what the subscriber's reconciliation recovers. A
 * message lost, or answered with anything but 200, is kept in `undelivered`; the fake does not serve 1688's message
 * query APIs, so nothing sends it again.
 */

export interface AopPushesOptions {
  fake: AopFake;
  market: SandboxMarket;
  /** The subscriber's push address (Ponte's `/upstream/push/1688`). */
  url: string;
  /** The seller's member id the messages name; the fake has one seller account for every shop. */
  sellerMemberId?: string;
}

export interface AopPushRecord {
  /** The message as sent (the envelope's JSON text), byte for byte what was signed. */
  message: string;
  topic: string;
  /** The subscriber's HTTP status, or `dropped` for a push lost on purpose, or 0 when it could not be reached. */
  status: number | 'dropped';
}

export interface AopPushes extends PushQueue<AopPushRecord> {
  /** Sends a message again exactly as it was sent (a redelivery). */
  redeliver(record: AopPushRecord): Promise<{ status: number; body: string }>;
}

/** 1688's topics, and the status each reports, for an order event of the market. */
const ORDER_TOPICS: Partial<Record<UpstreamEvent['type'], { topic: string; status: string }>> = {
  'order.price_modified': { topic: 'ORDER_BUYER_VIEW_ORDER_PRICE_MODIFY', status: 'waitbuyerpay' },
  'order.shipped': { topic: 'ORDER_BUYER_VIEW_ANNOUNCE_SENDGOODS', status: 'waitbuyerreceive' },
  'order.finished': { topic: 'ORDER_BUYER_VIEW_ORDER_SUCCESS', status: 'success' },
  'order.closed': { topic: 'ORDER_BUYER_VIEW_ORDER_SELLER_CLOSE', status: 'cancel' },
};

/** The `refundAction` word of a refund event of the market. */
function refundAction(event: UpstreamEvent): string | null {
  const automatic = event.data.automatic === true;
  switch (event.type) {
    case 'refund.agreed':
      return automatic ? 'SYSTEM_AGREE_REFUND' : 'SELLER_AGREE_REFUND';
    case 'refund.refused':
      return 'SELLER_REFUSE_REFUND';
    case 'refund.goods_received':
      return automatic ? 'SYSTEM_RECEIVE_GOODS' : 'SELLER_RECEIVE_GOODS';
    case 'refund.succeeded':
      return 'REFUND_SUCCESS';
    case 'refund.closed':
      return 'SYSTEM_CLOSE_REFUND';
    default:
      return null;
  }
}

/** `2018-05-30 19:34:27`: `msgSendTime` in China's time. */
function chinaText(ms: number): string {
  const d = new Date(ms + 8 * 3_600_000);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getUTCFullYear()}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}`;
}

const orderIdOf = (id: string): bigint | string => (/^\d{1,30}$/.test(id) ? BigInt(id) : id);

/** The envelope 1688 pushes for a market event (without `msgId` and `gmtBorn`, which the fake adds), or null. */
export function aopMessageOf(event: UpstreamEvent, sellerMemberId: string): Record<string, unknown> | null {
  if (!event.orderId) return null;
  const buyerMemberId = typeof event.data.buyerId === 'string' ? event.data.buyerId : '';
  const base = {
    orderId: orderIdOf(event.orderId),
    buyerMemberId,
    sellerMemberId,
    msgSendTime: chinaText(event.at),
  };
  const order = ORDER_TOPICS[event.type];
  if (order) {
    const topic =
      event.type === 'order.closed' && String(event.data.reason ?? '').startsWith('buyer')
        ? 'ORDER_BUYER_VIEW_ORDER_BUYER_CLOSE'
        : order.topic;
    return { type: topic, userInfo: buyerMemberId, data: { ...base, currentStatus: order.status } };
  }
  const action = refundAction(event);
  if (action && event.refundId) {
    return {
      type: 'ORDER_BUYER_VIEW_ORDER_BUYER_REFUND_IN_SALES',
      userInfo: buyerMemberId,
      data: { ...base, refundId: event.refundId, refundAction: action, operator: action.split('_')[0]?.toLowerCase() },
    };
  }
  return null;
}

/** Subscribes to the market's 1688 events and pushes each to `url` as 1688 would. */
export function startAopPushes(options: AopPushesOptions): AopPushes {
  const sellerMemberId = options.sellerMemberId ?? 'b2b-seller-sandbox';
  let pushed = 0n;
  const queue = startPushQueue<AopPushRecord>(
    options.market,
    '1688',
    (event) => {
      const envelope = aopMessageOf(event, sellerMemberId);
      if (!envelope) return null;
      // The message text is fixed here, so that a redelivery is the same message, id included; message ids are long
      // integers, written with all their digits.
      pushed += 1n;
      const message = stringifyAopJson({ msgId: 2n * 10n ** 17n + pushed, gmtBorn: event.at, ...envelope });
      return { message, topic: String(envelope.type), status: 'dropped' };
    },
    async (record) => (await options.fake.push(options.url, record.message)).status,
  );
  return { ...queue, redeliver: (record) => options.fake.push(options.url, record.message) };
}
