import type { AuthContext } from '../../platform/auth/credentials.js';
import type { Executor } from '../../platform/db/database.js';
import type { AppDeps } from '../../platform/deps.js';
import { ApiError, invalidParameter, notFound } from '../../platform/http/errors.js';
import { phrase } from '../../platform/http/reasons.js';
import { upstreamApiError } from '../../platform/http/upstream-errors.js';
import { enqueue } from '../../platform/outbox/outbox.js';
import { MarketRejection, UpstreamTimeoutError } from '../../providers/errors.js';
import { refundMadeBy } from '../../providers/reconcile.js';
import type { GoodsStatus, RefundType, UpstreamRefund } from '../../providers/types.js';
import { closedStatus, lockOrder, marketOf, type Platform } from '../orders/index.js';
import { fieldsOf } from './apply.js';
import { creditRefund } from './credit.js';
import { writeRefundMessage } from './messages.js';
import {
  findOwnLine,
  insertRefundHistory,
  loadRefundAggregate,
  openRefundsOfLine,
  type RefundAggregate,
  type RefundRow,
  roomOnLine,
} from './refunds.repo.js';

/** Outbox job that settles a create whose answer never came (the process died, the upstream timed out). */
export const FINISH_REFUND_CREATE_EVENT = 'refunds.finish_create';

/** The request fields a platform names what a marketplace refuses by (`refundFee`, `applyPayment`, ...). */
export interface RefundFieldNames {
  line: string;
  refundType: string;
  goodsStatus: string;
  reasonId: string;
  amount: string;
}

export interface CreateRefundInput {
  platform: Platform;
  /** Ponte's order line id. */
  lineId: string;
  refundType: RefundType;
  goodsStatus: GoodsStatus;
  reasonId: string;
  /** Everything asked for, shipping included. */
  amountFen: number;
  /** 1688 `applyCarriage`: the shipping part of `amountFen`. */
  carriageFen: number;
  description: string;
  /** File-store keys of the evidence pictures (already checked and stored). */
  imageKeys: string[];
  /** The platform's own words of the request, kept for its view. */
  request: Record<string, unknown>;
  /** What makes a retry find the same refund: the request's Idempotency-Key when it has one. */
  idempotencyKey?: string;
  fields: RefundFieldNames;
}

/** What is left to refund on a line: its amount less what was credited, within what its part was paid. */
export async function refundableOf(db: Executor, lineId: string): Promise<number> {
  const room = await roomOnLine(db, lineId);
  return room.paid ? Math.max(0, Math.min(room.leftOnLine, room.leftOnPart)) : 0;
}

/**
 * Creates a refund (docs/adr/0014), marketplace first: under the order's lock the line's state and amounts are
 * checked and the refund is recorded `creating` with the reference it sends upstream; the marketplace is asked;
 * its answer completes the record, with a history row and a message, in one transaction. A marketplace refusal
 * leaves nothing; an answer that never came is settled by a worker asking for the refund by its reference. A retry
 * with the same Idempotency-Key finds the same refund, here and upstream.
 */
export async function createRefund(
  deps: AppDeps,
  actor: AuthContext,
  input: CreateRefundInput,
): Promise<RefundAggregate> {
  const found = await findOwnLine(deps.database.db, actor, input.platform, input.lineId);
  if (!found) throw notFound('orderLine', input.lineId);
  const clientRef = input.idempotencyKey
    ? `refund:${input.platform}:${actor.developId}:${actor.userId}:${input.idempotencyKey}`
    : `refund:${input.platform}:${deps.ids.next(deps.clock.now())}`;
  const intent = await deps.database.transaction(async (trx) => {
    const existing = await trx.selectFrom('refunds').selectAll().where('client_ref', '=', clientRef).executeTakeFirst();
    if (existing) {
      // The key made a refund before (its stored reply expired, or the first try failed): only the same request
      // may find it again.
      if (!sameRequest(existing, input)) throw new ApiError(40902);
      return existing;
    }
    await lockOrder(trx, deps, found.order.id);
    return recordIntent(trx, deps, input, found, clientRef);
  });
  if (intent.create_state === 'created') return loadRefundAggregate(deps.database.db, intent);

  const { line, part, order } = found;
  let upstream: UpstreamRefund;
  try {
    upstream = await marketOf(deps, input.platform).createRefund({
      orderId: part.upstream_order_id,
      lineId: line.upstream_line_id,
      buyerId: order.user_id,
      refundType: input.refundType,
      goodsStatus: input.goodsStatus,
      reasonId: input.reasonId,
      amountFen: input.amountFen,
      description: input.description,
      images: input.imageKeys,
      clientRef,
    });
  } catch (err) {
    if (err instanceof MarketRejection) {
      await forgetIntent(deps.database.db, intent.id);
      throw refusalError(err, input.fields);
    }
    // The guard's timeout on a write means the marketplace certainly made nothing (it asked): the line is free at
    // once. Any other failure may hide a refund made; the worker settles it by the reference.
    if (err instanceof UpstreamTimeoutError) await forgetIntent(deps.database.db, intent.id);
    throw err;
  }
  return deps.database.transaction(async (trx) => {
    await lockOrder(trx, deps, intent.order_id);
    await recordCreated(trx, deps, intent, upstream, 'api:create');
    const row = await trx.selectFrom('refunds').selectAll().where('id', '=', intent.id).executeTakeFirstOrThrow();
    return loadRefundAggregate(trx, row);
  });
}

/** Whether a refund found by the caller's key is the one this request asks for: the same line (its other fields may
 * have been modified since). */
function sameRequest(row: RefundRow, input: CreateRefundInput): boolean {
  return row.line_id === input.lineId && row.platform === input.platform;
}

/** A marketplace's refusal in the words of the caller's request: its field names, not the provider's. */
export function refusalError(err: MarketRejection, fields: RefundFieldNames): ApiError {
  if (err.reason === 'invalid_value') {
    const field =
      err.field === 'refundType'
        ? fields.refundType
        : err.field === 'goodsStatus'
          ? fields.goodsStatus
          : err.field === 'reasonId'
            ? fields.reasonId
            : err.field === 'refundFee'
              ? fields.amount
              : (err.field ?? 'request');
    return new ApiError(40001, { field, reason: phrase('marketRefusedValue', { detail: err.message }) });
  }
  return upstreamApiError(err) ?? new ApiError(50201, { reason: err.message });
}

async function recordIntent(
  trx: Executor,
  deps: AppDeps,
  input: CreateRefundInput,
  found: NonNullable<Awaited<ReturnType<typeof findOwnLine>>>,
  clientRef: string,
): Promise<RefundRow> {
  const { line, order } = found;
  // Read again under the order's lock: a payment or a close may have landed since the line was found.
  const part = await trx
    .selectFrom('order_parts')
    .selectAll()
    .where('id', '=', found.part.id)
    .executeTakeFirstOrThrow();
  if (part.pay_state !== 'paid' || part.status === closedStatus(input.platform)) {
    throw new ApiError(40901, { reason: phrase('refundLineNotPaid') });
  }
  const open = await openRefundsOfLine(trx, line.id);
  if (open.length > 0) {
    throw new ApiError(40901, { reason: phrase('refundOpenExists', { id: open[0]?.id ?? '' }) });
  }
  const left = await refundableOf(trx, line.id);
  if (left <= 0) throw new ApiError(40901, { reason: phrase('refundNothingLeft') });
  if (input.amountFen > left) throw invalidParameter(input.fields.amount, 'refundAmountAbove', { max: left });
  const now = deps.clock.now();
  const seq = deps.ids.next(now);
  const row: RefundRow = {
    id: input.platform === '1688' ? `TQ${seq}` : seq,
    platform: input.platform,
    develop_id: order.develop_id,
    // A refund belongs with its order: the sub-account that placed it sees it (and the main account), whoever asked.
    user_id: order.user_id,
    order_id: order.id,
    part_id: part.id,
    line_id: line.id,
    create_state: 'creating',
    client_ref: clientRef,
    upstream_refund_id: null,
    refund_type: input.refundType,
    goods_status: input.goodsStatus,
    reason_id: input.reasonId,
    reason_text: JSON.stringify({}),
    amount_fen: input.amountFen,
    carriage_fen: input.carriageFen,
    description: input.description,
    images: JSON.stringify(input.imageKeys),
    request: JSON.stringify(input.request),
    status: 'wait_seller_agree',
    upstream_at: 0,
    version: 0,
    in_sales: input.platform === '1688' && part.status === 'success' ? 0 : 1,
    refuse_reason: null,
    refuse_count: 0,
    deadline: null,
    timeout_action: null,
    return_address: null,
    return_carrier: null,
    return_tracking: null,
    return_description: null,
    return_images: null,
    return_shipped_at: null,
    credit_tx: null,
    credited_fen: 0,
    created_at: now,
    updated_at: now,
    completed_at: null,
  };
  await trx.insertInto('refunds').values(row).execute();
  await enqueue(
    trx,
    deps,
    FINISH_REFUND_CREATE_EVENT,
    { refundId: row.id },
    { availableAt: now + Math.max(deps.config.orders.settleDelayMs, 2 * deps.config.upstreamTimeoutMs) },
  );
  return row;
}

/** The marketplace refused the create: nothing was made there, nothing stays here. */
async function forgetIntent(db: Executor, refundId: string): Promise<void> {
  await db.deleteFrom('refunds').where('id', '=', refundId).where('create_state', '=', 'creating').execute();
}

/**
 * Records what the marketplace made for a refund still `creating` (in the caller's transaction, under the order's
 * lock), with its first history row and message; a refund already past its first step (settled late) is recorded
 * as it now is, and credited if it succeeded. Does nothing if another process did it first.
 */
export async function recordCreated(
  db: Executor,
  deps: AppDeps,
  intent: RefundRow,
  up: UpstreamRefund,
  cause: 'api:create' | 'worker:create',
): Promise<void> {
  const claimed = await db
    .updateTable('refunds')
    .set({
      ...fieldsOf(up),
      create_state: 'created',
      status: up.status,
      upstream_at: up.updatedAt,
      updated_at: deps.clock.now(),
      ...(up.status === 'success' || up.status === 'closed' ? { completed_at: up.updatedAt } : {}),
    })
    .where('id', '=', intent.id)
    .where('create_state', '=', 'creating')
    .executeTakeFirst();
  if (Number(claimed.numUpdatedRows) !== 1) return;
  await insertRefundHistory(db, deps, {
    refund_id: intent.id,
    from_status: null,
    to_status: up.status,
    cause,
    detail: null,
    at: up.createdAt,
  });
  if (up.status === 'success') {
    const row = await db.selectFrom('refunds').selectAll().where('id', '=', intent.id).executeTakeFirstOrThrow();
    await creditRefund(db, deps, row, up.updatedAt);
  }
  await writeRefundMessage(db, deps, intent.id, cause);
}

/**
 * The worker's side of a create: finds what an interrupted create made upstream (by its reference) and records
 * it, or drops the intent when the marketplace made nothing. An upstream that cannot be asked throws, and the
 * outbox tries again later.
 */
export async function finishRefundCreate(deps: AppDeps, refundId: string): Promise<void> {
  const intent = await deps.database.db.selectFrom('refunds').selectAll().where('id', '=', refundId).executeTakeFirst();
  if (intent?.create_state !== 'creating') return;
  const buyerId = await buyerOf(deps.database.db, intent);
  const target = await deps.database.db
    .selectFrom('order_parts as p')
    .innerJoin('order_lines as l', 'l.part_id', 'p.id')
    .select(['p.upstream_order_id', 'l.upstream_line_id'])
    .where('l.id', '=', intent.line_id)
    .executeTakeFirstOrThrow();
  const made = await refundMadeBy(marketOf(deps, intent.platform), {
    clientRef: intent.client_ref,
    orderId: target.upstream_order_id,
    lineId: target.upstream_line_id,
    buyerId,
    since: intent.created_at,
  });
  if (!made) {
    await forgetIntent(deps.database.db, refundId);
    return;
  }
  await deps.database.transaction(async (trx) => {
    await lockOrder(trx, deps, intent.order_id);
    await recordCreated(trx, deps, intent, made, 'worker:create');
  });
}

/** The marketplace's buyer of a refund: the sub-account that placed its order. */
export async function buyerOf(db: Executor, refund: Pick<RefundRow, 'order_id'>): Promise<string> {
  const order = await db
    .selectFrom('orders')
    .select('user_id')
    .where('id', '=', refund.order_id)
    .executeTakeFirstOrThrow();
  return order.user_id;
}
