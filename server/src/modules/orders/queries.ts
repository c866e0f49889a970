import type { AuthContext } from '../../platform/auth/credentials.js';
import type { Executor } from '../../platform/db/database.js';
import { notFound } from '../../platform/http/errors.js';
import type { ProviderSkuProperty } from '../../providers/types.js';
import { findOwnOrder, findOwnOrderOfPart, loadAggregate, loadAggregates } from './orders.repo.js';
import type {
  LineDetails,
  LineRow,
  OrderAggregate,
  OrderRow,
  PartAggregate,
  Platform,
  Receiver,
} from './orders.types.js';

export async function getOrder(
  db: Executor,
  actor: AuthContext,
  platform: Platform,
  orderId: string,
): Promise<OrderAggregate> {
  const order = await findOwnOrder(db, actor, platform, orderId);
  if (!order) throw notFound('order', orderId);
  return loadAggregate(db, order);
}

export interface OrderFilter {
  status?: string;
  startTime?: number;
  endTime?: number;
  sellerOrderNumber?: string;
  /** A sub-account of the caller's developer (the main account only; a sub-account sees its own anyway). */
  userId?: string;
  page: number;
  pageSize: number;
}

/** The caller's orders of one platform, newest first. */
export async function listOrders(
  db: Executor,
  actor: AuthContext,
  platform: Platform,
  filter: OrderFilter,
): Promise<{ total: number; items: OrderAggregate[] }> {
  let q = db
    .selectFrom('orders')
    .where('develop_id', '=', actor.developId)
    .where('platform', '=', platform)
    .where('create_state', '=', 'created');
  if (!actor.isMainAccount) q = q.where('user_id', '=', actor.userId);
  else if (filter.userId) q = q.where('user_id', '=', filter.userId);
  if (filter.status) q = q.where('status', '=', filter.status);
  if (filter.startTime !== undefined) q = q.where('created_at', '>=', filter.startTime);
  if (filter.endTime !== undefined) q = q.where('created_at', '<=', filter.endTime);
  if (filter.sellerOrderNumber) q = q.where('seller_order_number', '=', filter.sellerOrderNumber);
  const count = await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const rows: OrderRow[] = await q
    .selectAll()
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(filter.pageSize)
    .offset((filter.page - 1) * filter.pageSize)
    .execute();
  return { total: Number(count.n), items: await loadAggregates(db, rows) };
}

/** A sub purchase order the caller may see, with its order (Taobao logistics). */
export async function partForLogistics(
  db: Executor,
  actor: AuthContext,
  subPurchaseOrderId: string,
): Promise<{ aggregate: OrderAggregate; part: PartAggregate }> {
  const order = await findOwnOrderOfPart(db, actor, 'taobao', subPurchaseOrderId);
  if (!order) throw notFound('subPurchaseOrder', subPurchaseOrderId);
  const aggregate = await loadAggregate(db, order);
  const part = aggregate.parts.find((p) => p.part.id === subPurchaseOrderId);
  if (!part) throw notFound('subPurchaseOrder', subPurchaseOrderId);
  return { aggregate, part };
}

export function decodeLine(line: LineRow): LineDetails {
  return {
    title: JSON.parse(line.title) as LineDetails['title'],
    skuProperties: JSON.parse(line.sku_properties) as ProviderSkuProperty[],
  };
}

export function receiverOf(order: OrderRow): Receiver {
  return JSON.parse(order.receiver) as Receiver;
}
