import { sql } from 'kysely';
import type { AuthContext } from '../../platform/auth/credentials.js';
import type { Executor } from '../../platform/db/database.js';
import type { AppDeps } from '../../platform/deps.js';
import { ApiError, invalidParameter, notFound } from '../../platform/http/errors.js';
import { upstreamApiError } from '../../platform/http/upstream-errors.js';
import { enqueue } from '../../platform/outbox/outbox.js';
import { MarketRejection } from '../../providers/errors.js';
import type { MarketProvider } from '../../providers/market.js';
import type { OrderPreview, ShippingAddress, UpstreamOrder } from '../../providers/types.js';
import { removeCartItems } from '../carts/index.js';
import { writeOrderMessage } from './messages.js';
import { loadAggregate } from './orders.repo.js';
import { initialStatus, platformStatus } from './orders.states.js';
import type { LineRequest, OrderAggregate, OrderRow, PlaceOrderInput, Platform, Receiver } from './orders.types.js';
import { recordCreation } from './transitions.js';

/** Outbox job that finishes a create whose answer never came (the process died, the upstream timed out). */
export const FINISH_CREATE_EVENT = 'orders.finish_create';
const MAX_ALIBABA_LINES = 50;

export function marketOf(deps: Pick<AppDeps, 'market'>, platform: Platform): MarketProvider {
  return platform === 'taobao' ? deps.market.taobao : deps.market.alibaba;
}

export function shippingAddress(r: Receiver): ShippingAddress {
  return {
    receiver: r.name,
    phone: r.mobilePhone || r.phone,
    province: r.province,
    city: r.city,
    district: r.district,
    address: r.address,
    ...(r.zip ? { postcode: r.zip } : {}),
  };
}

const providerLines = (lines: LineRequest[]) =>
  lines.map((l) => ({ productId: l.productId, ...(l.skuId ? { skuId: l.skuId } : {}), quantity: l.quantity }));

/** The market's preview of these lines: prices, shipping, and what cannot be ordered. */
export function previewLines(
  deps: Pick<AppDeps, 'market'>,
  platform: Platform,
  lines: LineRequest[],
  buyerId: string,
  receiver?: Receiver,
): Promise<OrderPreview> {
  const address = receiver
    ? shippingAddress(receiver)
    : { receiver: '', phone: '', province: '', city: '', district: '', address: '' };
  return marketOf(deps, platform).previewOrder({ lines: providerLines(lines), address, buyerId });
}

/** Refuses lines the market cannot sell, naming the line; checks the budget. */
function checkPreview(input: PlaceOrderInput, preview: OrderPreview): void {
  for (const group of preview.groups) {
    for (const line of group.lines) {
      if (!line.problem) continue;
      const index = input.lines.findIndex(
        (l) => l.productId === line.productId && (l.skuId ?? '') === (line.skuId ?? ''),
      );
      if (line.problem === 'out_of_stock' || line.problem === 'below_min_quantity') throw new ApiError(42202);
      const thing = input.platform === 'taobao' ? 'item' : 'offer';
      if (line.problem === 'not_found' && line.skuId && index >= 0) {
        throw notFound('sku', `${line.productId}/${line.skuId}`);
      }
      throw notFound(thing, line.productId);
    }
  }
  if (input.platform === '1688' && preview.groups.length > 1)
    throw invalidParameter(input.linesField, 'oneSellerPerOrder');
  if (input.budgetFen !== undefined && preview.totalFen > input.budgetFen) {
    throw new ApiError(42203);
  }
}

function clientRefOf(actor: AuthContext, input: PlaceOrderInput, orderId: string): string {
  if (!input.idempotencyKey) return `${input.platform}:${orderId}`;
  return `${input.platform}:${actor.developId}:${input.idempotencyKey}${input.refSuffix ? `:${input.refSuffix}` : ''}`;
}

/**
 * Places one order (ADR 0011): checks the lines with the market's preview, records the order as
 * `creating` with the reference it sends upstream, creates it upstream, then records the parts and
 * lines (and removes the cart records) in one transaction. A retry with the same Idempotency-Key finds
 * the same order, upstream and here; a create whose answer never came is finished by a worker.
 */
export async function placeOrder(deps: AppDeps, actor: AuthContext, input: PlaceOrderInput): Promise<OrderAggregate> {
  if (input.lines.length === 0) throw invalidParameter(input.linesField, 'required');
  if (input.platform === '1688' && input.lines.length > MAX_ALIBABA_LINES) {
    throw invalidParameter(input.linesField, 'atMostItems', { max: MAX_ALIBABA_LINES });
  }
  const now = deps.clock.now();
  const newId = deps.ids.next(now);
  const clientRef = clientRefOf(actor, input, newId);
  const existing = await deps.database.db
    .selectFrom('orders')
    .selectAll()
    .where('client_ref', '=', clientRef)
    .executeTakeFirst();
  if (existing?.create_state === 'created') return loadAggregate(deps.database.db, existing);

  const preview = await previewLines(deps, input.platform, input.lines, actor.userId, input.receiver);
  if (!existing) checkPreview(input, preview);
  const order = existing ?? (await recordIntent(deps, actor, input, newId, clientRef));

  let upstream: UpstreamOrder[];
  try {
    upstream = await marketOf(deps, input.platform).createOrder({
      lines: providerLines(input.lines),
      address: shippingAddress(input.receiver),
      buyerId: order.user_id,
      ...(input.buyerMessage ? { buyerMessage: input.buyerMessage } : {}),
      clientRef,
    });
  } catch (err) {
    if (err instanceof MarketRejection) await forgetIntent(deps.database.db, order.id);
    throw err;
  }
  const total = upstream.reduce((n, o) => n + o.totalFen, 0);
  if (input.budgetFen !== undefined && total > input.budgetFen) {
    await abandonUpstream(deps, input.platform, upstream, order.user_id);
    await forgetIntent(deps.database.db, order.id);
    throw new ApiError(42203);
  }
  return deps.database.transaction(async (trx) => {
    await recordCreated(trx, deps, order, upstream);
    const row = await trx.selectFrom('orders').selectAll().where('id', '=', order.id).executeTakeFirstOrThrow();
    return loadAggregate(trx, row);
  });
}

async function recordIntent(
  deps: AppDeps,
  actor: AuthContext,
  input: PlaceOrderInput,
  orderId: string,
  clientRef: string,
): Promise<OrderRow> {
  const now = deps.clock.now();
  const row: OrderRow = {
    id: orderId,
    platform: input.platform,
    develop_id: actor.developId,
    user_id: actor.userId,
    status: initialStatus(input.platform),
    create_state: 'creating',
    pay_state: 'unpaid',
    client_ref: clientRef,
    request: JSON.stringify({
      lines: input.lines,
      receiver: input.receiver,
      buyerMessage: input.buyerMessage ?? '',
      ...input.options,
    }),
    goods_fen: 0,
    shipping_fen: 0,
    adjust_fen: 0,
    total_fen: 0,
    paid_fen: 0,
    budget_fen: input.budgetFen ?? null,
    seller_order_number: input.sellerOrderNumber ?? null,
    order_source: input.orderSource ?? null,
    receiver: JSON.stringify(input.receiver),
    buyer_message: input.buyerMessage ?? '',
    warehouse_name: null,
    warehouse_address: null,
    version: 0,
    created_at: now,
    updated_at: now,
    paid_at: null,
    closed_at: null,
    close_reason: null,
  };
  await deps.database.transaction(async (trx) => {
    await trx.insertInto('orders').values(row).execute();
    await enqueue(
      trx,
      deps,
      FINISH_CREATE_EVENT,
      { orderId },
      { availableAt: now + Math.max(deps.config.orders.settleDelayMs, 2 * deps.config.upstreamTimeoutMs) },
    );
  });
  return row;
}

/** The upstream refused the create: nothing was made there, nothing stays here. */
async function forgetIntent(db: Executor, orderId: string): Promise<void> {
  await db.deleteFrom('orders').where('id', '=', orderId).where('create_state', '=', 'creating').execute();
}

/** Cancels orders made upstream that the buyer will not take (over budget); best effort, logged. */
async function abandonUpstream(deps: AppDeps, platform: Platform, orders: UpstreamOrder[], buyerId: string) {
  for (const o of orders) {
    try {
      await marketOf(deps, platform).cancelOrder({ orderId: o.orderId, buyerId, reason: 'over the buyer budget' });
    } catch (err) {
      deps.log.warn({ err, upstreamOrderId: o.orderId }, 'could not cancel an order made over budget');
    }
  }
}

/**
 * Records what the upstream made for an order still `creating`: its parts and lines, its amounts and the
 * creation message; removes the cart records it came from. Does nothing if another process did it first.
 */
export async function recordCreated(db: Executor, deps: AppDeps, order: OrderRow, upstream: UpstreamOrder[]) {
  const now = deps.clock.now();
  const sum = (f: (o: UpstreamOrder) => number) => upstream.reduce((n, o) => n + f(o), 0);
  const claimed = await db
    .updateTable('orders')
    .set({
      create_state: 'created',
      goods_fen: sum((o) => o.goodsFen),
      shipping_fen: sum((o) => o.shippingFen),
      adjust_fen: sum((o) => o.adjustFen),
      total_fen: sum((o) => o.totalFen),
      updated_at: now,
    })
    .where('id', '=', order.id)
    .where('create_state', '=', 'creating')
    .executeTakeFirst();
  if (Number(claimed.numUpdatedRows) !== 1) return;
  const requested = (JSON.parse(order.request) as { lines: LineRequest[] }).lines;
  const unused = [...requested];
  for (const o of upstream) {
    const partId = deps.ids.next(now);
    await db
      .insertInto('order_parts')
      .values({
        id: partId,
        order_id: order.id,
        platform: order.platform,
        upstream_order_id: o.orderId,
        shop_id: o.shopId,
        shop_name: JSON.stringify(o.shopName),
        seller_open_id: o.sellerOpenId,
        status: platformStatus(order.platform, o.status),
        pay_state: 'unpaid',
        goods_fen: o.goodsFen,
        shipping_fen: o.shippingFen,
        adjust_fen: o.adjustFen,
        total_fen: o.totalFen,
        paid_fen: 0,
        created_at: o.createdAt,
        updated_at: now,
        paid_at: null,
        shipped_at: null,
        received_at: null,
        closed_at: null,
        close_reason: null,
      })
      .execute();
    for (const [position, line] of o.lines.entries()) {
      const i = unused.findIndex((l) => l.productId === line.productId && (l.skuId ?? null) === (line.skuId ?? null));
      const asked = i >= 0 ? unused.splice(i, 1)[0] : undefined;
      await db
        .insertInto('order_lines')
        .values({
          id: deps.ids.next(now),
          order_id: order.id,
          part_id: partId,
          position,
          upstream_line_id: line.lineId,
          order_line_no: asked?.orderLineNo ?? null,
          product_id: line.productId,
          sku_id: line.skuId,
          mp_id: asked?.mpId ?? null,
          mp_sku_id: asked?.mpSkuId ?? null,
          title: JSON.stringify(line.title),
          sku_properties: JSON.stringify(line.skuProperties),
          image_url: line.imageUrl,
          quantity: line.quantity,
          unit_price_fen: line.unitPriceFen,
          amount_fen: line.amountFen,
          status: platformStatus(order.platform, line.status),
          carrier_code: null,
          carrier_name: null,
          tracking_no: null,
          refunded_fen: 0,
        })
        .execute();
    }
  }
  const cartItemIds = requested.flatMap((l) => (l.cartItemId ? [l.cartItemId] : []));
  if (cartItemIds.length > 0) await removeCartItems(db, cartItemIds);
  await recordCreation(db, deps, order.id, initialStatus(order.platform), 'api:create');
  await writeOrderMessage(db, deps, order.id, 'created');
}

/**
 * The worker's side of a create: finds what an interrupted create made upstream (by its reference) and
 * records it, or drops the intent when the upstream made nothing. An upstream that cannot be asked
 * throws, and the outbox tries again later.
 */
export async function finishCreate(deps: AppDeps, orderId: string): Promise<void> {
  const order = await deps.database.db.selectFrom('orders').selectAll().where('id', '=', orderId).executeTakeFirst();
  if (order?.create_state !== 'creating') return;
  const made = await marketOf(deps, order.platform).ordersByClientRef(order.client_ref, order.user_id);
  if (made.length === 0) {
    await forgetIntent(deps.database.db, orderId);
    return;
  }
  await deps.database.transaction((trx) => recordCreated(trx, deps, order, made));
}

/**
 * The orders a create with this Idempotency-Key already recorded (one, or one per seller): what a retry of
 * an order from the cart answers, since the first attempt removed the cart records it ordered.
 */
export async function placedOrders(
  deps: AppDeps,
  actor: AuthContext,
  platform: Platform,
  idempotencyKey: string,
): Promise<OrderAggregate[]> {
  const ref = `${platform}:${actor.developId}:${idempotencyKey}`;
  const rows = await deps.database.db
    .selectFrom('orders')
    .selectAll()
    .where((eb) =>
      eb.or([eb('client_ref', '=', ref), eb(sql<string>`substr(client_ref, 1, ${ref.length + 1})`, '=', `${ref}:`)]),
    )
    .where('create_state', '=', 'created')
    .orderBy('id')
    .execute();
  return Promise.all(rows.map((row) => loadAggregate(deps.database.db, row)));
}

/** What one seller's order of a several-seller create became. */
export type SellerResult = {
  sellerOpenId: string;
  offerIds: string[];
  result: { ok: true; aggregate: OrderAggregate } | { ok: false; error: ApiError };
};

/**
 * 1688 across several sellers: one order per seller, each all or nothing; a seller's failure is reported
 * beside the others' orders. Lines whose seller is unknown are grouped by the market's preview.
 */
export async function placeAlibabaOrders(
  deps: AppDeps,
  actor: AuthContext,
  input: PlaceOrderInput,
): Promise<SellerResult[]> {
  if (input.lines.length === 0) throw invalidParameter(input.linesField, 'required');
  const preview = await previewLines(deps, '1688', input.lines, actor.userId, input.receiver);
  const groups = new Map<string, LineRequest[]>();
  for (const line of input.lines) {
    const group = preview.groups.find((g) =>
      g.lines.some((p) => p.productId === line.productId && (p.skuId ?? '') === (line.skuId ?? '')),
    );
    const seller = group ? (group.sellerOpenId ?? group.shopId) : `unknown:${line.productId}`;
    groups.set(seller, [...(groups.get(seller) ?? []), line]);
  }
  const results: SellerResult[] = [];
  for (const [sellerOpenId, lines] of groups) {
    const offerIds = [...new Set(lines.map((l) => l.productId))];
    try {
      const aggregate = await placeOrder(deps, actor, { ...input, lines, refSuffix: sellerOpenId });
      results.push({ sellerOpenId, offerIds, result: { ok: true, aggregate } });
    } catch (err) {
      const error = err instanceof ApiError ? err : upstreamApiError(err);
      if (!error) throw err;
      results.push({
        sellerOpenId: sellerOpenId.startsWith('unknown:') ? '' : sellerOpenId,
        offerIds,
        result: { ok: false, error },
      });
    }
  }
  return results;
}
