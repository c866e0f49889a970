import { stringify as stringifyLossless } from 'lossless-json';
import type { SandboxMarket } from '../../providers/sandbox/sandbox.js';
import type { UpstreamEvent } from '../../providers/types.js';
import { type PushQueue, startPushQueue } from '../push-queue.js';
import type { IopFake } from './fake.js';

/**
 * The fake gateway's push emitter (docs/adr/0016-real-upstreams.md): every change the sandbox market's Taobao
 * sellers (and its clock) make becomes the message Taobao Global pushes for it, signed by the fake (`Authorization`
 * over the app key and the body) and POSTed as JSON: type 3 for an order's status, 8 for a price change, 9 for a
 * refund (whose documented payload was not found: it names the purchase order and the refund the same way).
 * Messages name the purchase order and its status; a subscriber reads the order to learn the rest. Logistics steps
 * and goods changes are not pushed: nothing Ponte records follows them.
 *
 * Pushes can be lost on purpose (`drop`, `setDropping`) to show what the subscriber's reconciliation recovers.
 */

export interface IopPushesOptions {
  fake: IopFake;
  market: SandboxMarket;
  /** The subscriber's push address (Ponte's `/upstream/push/taobao`). */
  url: string;
  /** The distributor's seller id the envelopes carry. */
  sellerId?: string;
  site?: string;
}

export interface IopPushRecord {
  /** The message as sent. */
  message: Record<string, unknown>;
  messageType: number;
  /** The subscriber's HTTP status, `dropped` for a push lost on purpose, 0 when it could not be reached. */
  status: number | 'dropped';
}

export interface IopPushes extends PushQueue<IopPushRecord> {
  /** Sends a message again as it was sent (a redelivery). */
  redeliver(record: IopPushRecord): Promise<{ status: number }>;
}

/** The purchase order's status word each order event leaves it in. */
const ORDER_STATUS: Partial<Record<UpstreamEvent['type'], string>> = {
  'order.shipped': 'WAIT_BUYER_CONFIRM_GOODS',
  'order.finished': 'TRADE_FINISHED',
  'order.closed': 'TRADE_CLOSED',
};

/** The platform's refund status codes (100 waiting for the seller ... 400 success, -10 refused, -20 closed). */
const REFUND_STATUS: Record<string, number> = {
  wait_seller_agree: 100,
  wait_buyer_return: 200,
  wait_seller_receive: 300,
  success: 400,
  seller_refused: -10,
  closed: -20,
};

const idOf = (id: string): bigint | string => (/^\d{1,30}$/.test(id) ? BigInt(id) : id);

/** `123.45`: fen as yuan text, without going through floating point. */
const yuan = (fen: number): string => `${Math.trunc(fen / 100)}.${String(Math.abs(fen % 100)).padStart(2, '0')}`;

/** The envelope Taobao Global pushes for a market event, or null when it pushes none. */
export function iopMessageOf(
  event: UpstreamEvent,
  envelope: { sellerId: string; site: string },
): { messageType: number; message: Record<string, unknown> } | null {
  if (!event.orderId) return null;
  const purchaseId = idOf(event.orderId);
  const wrap = (messageType: number, data: Record<string, unknown>) => ({
    messageType,
    message: {
      seller_id: envelope.sellerId,
      message_type: messageType,
      data,
      timestamp: Math.floor(event.at / 1000),
      site: envelope.site,
    },
  });
  if (event.type === 'order.price_modified') {
    return wrap(8, {
      purchaseOrderId: purchaseId,
      purchaseMarket: 'PANAMA',
      purchaseOrderPriceDTO: { purchaseCurrency: 'CNY', purchaseTotalFee: yuan(Number(event.data.newTotalFen)) },
    });
  }
  const status = ORDER_STATUS[event.type];
  if (status) {
    const lineIds = Array.isArray(event.data.lineIds) ? (event.data.lineIds as string[]) : [];
    return wrap(3, {
      business_time: event.at,
      purchase_id: purchaseId,
      seller_id: envelope.sellerId,
      status,
      sku_list: lineIds.map((lineId) => ({
        order_line_no: lineId,
        status,
        logistic_company_name: event.data.carrierName ?? '',
        logistic_number: event.data.trackingNo ?? '',
      })),
    });
  }
  if (event.type.startsWith('refund.') && event.refundId) {
    return wrap(9, {
      business_time: event.at,
      purchase_id: purchaseId,
      refund_id: idOf(event.refundId),
      status: REFUND_STATUS[String(event.data.status)] ?? null,
    });
  }
  return null;
}

/** Subscribes to the market's Taobao events and pushes each to `url` as Taobao Global would. */
export function startIopPushes(options: IopPushesOptions): IopPushes {
  const envelope = { sellerId: options.sellerId ?? '2100000927014', site: options.site ?? 'taobao_hk' };
  const send = async (record: IopPushRecord) =>
    (await options.fake.push(options.url, stringifyLossless(record.message) ?? '{}')).status;
  const queue = startPushQueue<IopPushRecord>(
    options.market,
    'taobao',
    (event) => {
      const made = iopMessageOf(event, envelope);
      return made ? { ...made, status: 'dropped' } : null;
    },
    send,
  );
  return { ...queue, redeliver: async (record) => ({ status: await send(record) }) };
}
