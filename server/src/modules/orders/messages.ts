import type { Executor } from '../../platform/db/database.js';
import type { AppDeps } from '../../platform/deps.js';
import { insertMessage } from '../messages/write.js';
import { alibabaOrderMessageBody } from './alibaba-message.js';
import { loadAggregate, orderById } from './orders.repo.js';
import type { OrderAggregate } from './orders.types.js';
import { taobaoOrderMessageBody } from './taobao-message.js';

/** What happened to an order, as a message tells it. */
export type OrderTopic =
  | 'created'
  | 'price'
  | 'paid'
  | 'shipped'
  | 'confirmed'
  | 'finished'
  | 'buyer_close'
  | 'seller_close';

/** 1688 has one message type per transition (docs/architecture.md §9); Taobao one for price, one for status. */
const ALIBABA_TYPES: Record<OrderTopic, string> = {
  created: 'ORDER_BUYER_VIEW_BUYER_MAKE',
  price: 'ORDER_BUYER_VIEW_ORDER_PRICE_MODIFY',
  paid: 'ORDER_BUYER_VIEW_ORDER_PAY',
  shipped: 'ORDER_BUYER_VIEW_ANNOUNCE_SENDGOODS',
  // 1688's own spelling.
  confirmed: 'ORDER_BUYER_VIEW_ORDER_COMFIRM_RECEIVEGOODS',
  finished: 'ORDER_BUYER_VIEW_ORDER_SUCCESS',
  buyer_close: 'ORDER_BUYER_VIEW_ORDER_BUYER_CLOSE',
  seller_close: 'ORDER_BUYER_VIEW_ORDER_SELLER_CLOSE',
};

export function messageTypeOf(platform: OrderAggregate['order']['platform'], topic: OrderTopic): string {
  if (platform === '1688') return ALIBABA_TYPES[topic];
  return topic === 'price' ? 'ORDER_BUYER_VIEW_ORDER_PRICE_MODIFY' : 'ORDER_BUYER_VIEW_ORDER_STATUS_CHANGE';
}

/**
 * Writes the developer's message about an order in the caller's transaction, after the change it tells
 * of: the order's version is raised first, so each message carries a version greater than the last.
 */
export async function writeOrderMessage(
  db: Executor,
  deps: Pick<AppDeps, 'ids' | 'clock' | 'changes'>,
  orderId: string,
  topic: OrderTopic,
): Promise<string> {
  const now = deps.clock.now();
  await db
    .updateTable('orders')
    .set((eb) => ({ version: eb('version', '+', 1), updated_at: now }))
    .where('id', '=', orderId)
    .execute();
  const order = await orderById(db, orderId);
  if (!order) throw new Error(`order ${orderId} vanished while writing its message`);
  return insertOrderMessage(db, deps, await loadAggregate(db, order), topic);
}

/**
 * Writes the message about an order from its aggregate as it now stands, whose `version` the caller has
 * raised already in this transaction (see writeOrderMessage).
 */
export async function insertOrderMessage(
  db: Executor,
  deps: Pick<AppDeps, 'ids' | 'clock' | 'changes'>,
  agg: OrderAggregate,
  topic: OrderTopic,
): Promise<string> {
  const { order } = agg;
  const body =
    order.platform === 'taobao'
      ? taobaoOrderMessageBody(agg, topic === 'price' ? 'price' : 'status')
      : alibabaOrderMessageBody(agg);
  return insertMessage(db, deps, {
    developId: order.develop_id,
    userId: order.user_id,
    platform: order.platform === 'taobao' ? 0 : 1,
    type: messageTypeOf(order.platform, topic),
    objectType: 'order',
    objectId: order.id,
    version: order.version,
    body: JSON.stringify(body),
  });
}
