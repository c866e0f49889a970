import type { AuthContext } from '../../platform/auth/credentials.js';
import type { AppDeps } from '../../platform/deps.js';
import { ApiError, notFound } from '../../platform/http/errors.js';
import { phrase } from '../../platform/http/reasons.js';
import type { LogisticsTrace, UpstreamOrder } from '../../providers/types.js';
import { marketOf } from './create.js';
import { writeOrderMessage } from './messages.js';
import { findOwnOrder, findOwnOrderOfPart, loadAggregate, lockOrder, orderById } from './orders.repo.js';
import { closedStatus, initialStatus, platformStatus, shippedStatus } from './orders.states.js';
import type { OrderAggregate, OrderRow, PartAggregate, Platform } from './orders.types.js';
import { settleOrderPayState } from './pay.js';
import { movePart } from './transitions.js';

/** 1688 refuses to cancel an order in its first seconds (docs/architecture.md §7). */
export const ALIBABA_CANCEL_GRACE_MS = 10_000;

async function visibleOrder(deps: AppDeps, actor: AuthContext, platform: Platform, orderId: string): Promise<OrderRow> {
  const order = await findOwnOrder(deps.database.db, actor, platform, orderId);
  if (!order) throw notFound('order', orderId);
  return order;
}

async function reload(deps: AppDeps, orderId: string): Promise<OrderAggregate> {
  return loadAggregate(deps.database.db, (await orderById(deps.database.db, orderId)) as OrderRow);
}

/**
 * Cancels an unpaid order: every open part upstream, then the order here. A part the upstream had
 * already closed is closed here too. Refused once a payment has begun.
 */
export async function cancelOrder(
  deps: AppDeps,
  actor: AuthContext,
  platform: Platform,
  orderId: string,
  reason: string,
): Promise<OrderAggregate> {
  const order = await visibleOrder(deps, actor, platform, orderId);
  if (order.pay_state !== 'unpaid' || order.status !== initialStatus(platform)) {
    throw new ApiError(40901, { reason: phrase('cancelOnlyBeforePayment') });
  }
  if (platform === '1688' && deps.clock.now() - order.created_at < ALIBABA_CANCEL_GRACE_MS) {
    throw new ApiError(40901, { reason: phrase('cancelTooEarly', { seconds: ALIBABA_CANCEL_GRACE_MS / 1000 }) });
  }
  const agg = await loadAggregate(deps.database.db, order);
  const open = agg.parts.filter((p) => p.part.status === initialStatus(platform) && p.part.pay_state === 'unpaid');
  const closed: UpstreamOrder[] = [];
  for (const { part } of open) {
    closed.push(
      await marketOf(deps, platform).cancelOrder({ orderId: part.upstream_order_id, buyerId: order.user_id, reason }),
    );
  }
  await deps.database.transaction(async (trx) => {
    await lockOrder(trx, deps, order.id);
    for (const { part } of open) {
      const fresh = await trx.selectFrom('order_parts').selectAll().where('id', '=', part.id).executeTakeFirstOrThrow();
      if (fresh.status === closedStatus(platform)) continue;
      await movePart(trx, deps, fresh, closedStatus(platform), { cause: 'api:cancel', detail: `buyer: ${reason}` });
    }
    await settleOrderPayState(trx, deps, order.id, null);
    if (closed.length > 0) await writeOrderMessage(trx, deps, order.id, 'buyer_close');
  });
  return reload(deps, order.id);
}

/** 1688: the buyer confirms the goods arrived (`waitbuyerreceive` → `confirm_goods`). */
export async function confirmReceipt(
  deps: AppDeps,
  actor: AuthContext,
  platform: Platform,
  orderId: string,
): Promise<OrderAggregate> {
  const order = await visibleOrder(deps, actor, platform, orderId);
  const agg = await loadAggregate(deps.database.db, order);
  const waiting = agg.parts.filter((p) => p.part.status === shippedStatus(platform));
  if (waiting.length === 0) throw new ApiError(40901, { reason: phrase('confirmOnlyAfterShipping') });
  const results: UpstreamOrder[] = [];
  for (const { part } of waiting) {
    results.push(await marketOf(deps, platform).confirmReceipt(part.upstream_order_id, order.user_id));
  }
  await deps.database.transaction(async (trx) => {
    await lockOrder(trx, deps, order.id);
    for (const [i, { part }] of waiting.entries()) {
      const to = platformStatus(platform, results[i]?.status ?? 'confirmed');
      const fresh = await trx.selectFrom('order_parts').selectAll().where('id', '=', part.id).executeTakeFirstOrThrow();
      if (fresh.status !== to) await movePart(trx, deps, fresh, to, { cause: 'api:confirm_receipt' });
    }
    await writeOrderMessage(trx, deps, order.id, 'confirmed');
  });
  return reload(deps, order.id);
}

/** Taobao: where the sellers should send the goods (the consolidation warehouse), until the first one ships. */
export async function updateWarehouse(
  deps: AppDeps,
  actor: AuthContext,
  orderId: string,
  change: { warehouseName: string; warehouseAddress: string },
): Promise<OrderAggregate> {
  const order = await visibleOrder(deps, actor, 'taobao', orderId);
  return deps.database.transaction(async (trx) => {
    const shipped = await trx
      .selectFrom('order_lines')
      .select('id')
      .where('order_id', '=', order.id)
      .where('tracking_no', 'is not', null)
      .executeTakeFirst();
    if (shipped || order.status === closedStatus('taobao')) {
      throw new ApiError(40901, { reason: phrase('warehouseAfterShipping') });
    }
    await trx
      .updateTable('orders')
      .set({
        warehouse_name: change.warehouseName,
        warehouse_address: change.warehouseAddress,
        updated_at: deps.clock.now(),
      })
      .where('id', '=', order.id)
      .execute();
    const row = (await orderById(trx, order.id)) as OrderRow;
    return loadAggregate(trx, row);
  });
}

/** The upstream's parcel traces of each part of an order. */
export async function traceOrder(
  deps: AppDeps,
  actor: AuthContext,
  platform: Platform,
  orderId: string,
): Promise<Array<{ part: PartAggregate; traces: LogisticsTrace[] }>> {
  const order = await visibleOrder(deps, actor, platform, orderId);
  const agg = await loadAggregate(deps.database.db, order);
  return tracesOf(deps, order, agg.parts);
}

export async function tracesOf(deps: AppDeps, order: OrderRow, parts: PartAggregate[]) {
  const out: Array<{ part: PartAggregate; traces: LogisticsTrace[] }> = [];
  for (const part of parts) {
    const traces = part.lines.some((l) => l.tracking_no)
      ? ((await marketOf(deps, order.platform).logisticsTrace(part.part.upstream_order_id, order.user_id)) ?? [])
      : [];
    out.push({ part, traces });
  }
  return out;
}

/** The Taobao IM chat with the seller of an item, or of one of the caller's orders (Ponte's order or part id). */
export async function chatLink(
  deps: AppDeps,
  actor: AuthContext,
  request: { sourceType: 'item' | 'order'; bizId: string },
): Promise<string> {
  let bizId = request.bizId;
  let buyerId = actor.userId;
  if (request.sourceType === 'order') {
    const db = deps.database.db;
    const order =
      (await findOwnOrder(db, actor, 'taobao', bizId)) ?? (await findOwnOrderOfPart(db, actor, 'taobao', bizId));
    if (!order) throw notFound('order', bizId);
    const parts = (await loadAggregate(db, order)).parts;
    const part = parts.find((p) => p.part.id === bizId) ?? parts[0];
    if (!part) throw notFound('order', bizId);
    bizId = part.part.upstream_order_id;
    buyerId = order.user_id;
  }
  const link = await deps.market.taobao.chatUrl({ sourceType: request.sourceType, bizId, buyerId });
  if (!link) throw notFound(request.sourceType === 'item' ? 'item' : 'order', request.bizId);
  return link.url;
}
