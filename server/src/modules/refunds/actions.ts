import type { Updateable } from 'kysely';
import type { AuthContext } from '../../platform/auth/credentials.js';
import type { RefundsTable } from '../../platform/db/schema.js';
import type { AppDeps } from '../../platform/deps.js';
import { ApiError, invalidParameter, notFound } from '../../platform/http/errors.js';
import { phrase } from '../../platform/http/reasons.js';
import { MarketRejection } from '../../providers/errors.js';
import type {
  Carrier,
  GoodsStatus,
  RefundMessage,
  RefundOptions,
  RefundType,
  UpstreamRefund,
} from '../../providers/types.js';
import { lockOrder, marketOf, type Platform } from '../orders/index.js';
import { applyRefundChange, requestedChange } from './apply.js';
import { buyerOf, type RefundFieldNames, refundableOf, refusalError } from './create.js';
import {
  findOwnLine,
  findOwnRefund,
  loadRefundAggregate,
  openRefundsOfLine,
  type RefundAggregate,
  type RefundRow,
} from './refunds.repo.js';
import type { RefundCause, RefundStatus } from './refunds.states.js';

/**
 * What a buyer does to a refund once made: modify it, cancel it, send the goods back, talk to the seller. Each goes
 * to the marketplace first (it decides) and records what it answers, under the order's lock, through the same
 * `applyRefundChange` the marketplace's events go through.
 */

/** The caller's refund, or 40401 (the same for an unknown id and another developer's). */
export async function ownRefund(deps: AppDeps, actor: AuthContext, platform: Platform, refundId: string) {
  const refund = await findOwnRefund(deps.database.db, actor, platform, refundId);
  if (!refund) throw notFound('refund', refundId);
  return refund;
}

function requireStatus(refund: RefundRow, allowed: RefundStatus[], action: string, statusWord: string): void {
  if (!allowed.includes(refund.status)) {
    throw new ApiError(40901, { reason: phrase('refundState', { status: statusWord, action }) });
  }
}

/** Records the marketplace's answer to the caller's request and answers the refund as it now is. */
/**
 * Records the marketplace's answer to the caller's request (under the order's lock) and answers the refund as it now
 * is; `extra` adds what the request itself brought (pictures, the parcel's carrier name) to the same change.
 */
async function record(
  deps: AppDeps,
  refund: RefundRow,
  up: UpstreamRefund,
  cause: RefundCause,
  extra: (current: RefundRow) => Updateable<RefundsTable> = () => ({}),
) {
  return deps.database.transaction(async (trx) => {
    await lockOrder(trx, deps, refund.order_id);
    const before = await trx.selectFrom('refunds').selectAll().where('id', '=', refund.id).executeTakeFirstOrThrow();
    // What the request brought is recorded even when the marketplace's answer is older than its last event.
    const brought = extra(before);
    if (Object.keys(brought).length > 0) {
      await trx.updateTable('refunds').set(brought).where('id', '=', refund.id).execute();
    }
    const current = await trx.selectFrom('refunds').selectAll().where('id', '=', refund.id).executeTakeFirstOrThrow();
    await applyRefundChange(trx, deps, current, requestedChange(up, cause));
    const row = await trx.selectFrom('refunds').selectAll().where('id', '=', refund.id).executeTakeFirstOrThrow();
    return loadRefundAggregate(trx, row);
  });
}

async function upstreamCall<T>(call: () => Promise<T>, fields: RefundFieldNames): Promise<T> {
  try {
    return await call();
  } catch (err) {
    if (err instanceof MarketRejection) throw refusalError(err, fields);
    throw err;
  }
}

export interface ModifyRefundInput {
  refundType?: RefundType;
  goodsStatus?: GoodsStatus;
  reasonId?: string;
  amountFen?: number;
  description?: string;
  imageKeys?: string[];
  fields: RefundFieldNames;
}

/** Changes a refund the seller has not agreed to (waiting, or refused: it goes back to waiting for the seller). */
export async function modifyRefund(
  deps: AppDeps,
  refund: RefundRow,
  statusWord: string,
  input: ModifyRefundInput,
): Promise<RefundAggregate> {
  requireStatus(refund, ['wait_seller_agree', 'seller_refused'], 'be modified', statusWord);
  if (input.amountFen !== undefined) {
    // Its own amount is open: what is left of the line is what it may ask for.
    const left = await refundableOf(deps.database.db, refund.line_id);
    if (input.amountFen > left) throw invalidParameter(input.fields.amount, 'refundAmountAbove', { max: left });
  }
  const up = await upstreamCall(
    async () =>
      marketOf(deps, refund.platform).modifyRefund({
        refundId: refund.upstream_refund_id as string,
        buyerId: await buyerOf(deps.database.db, refund),
        ...(input.refundType ? { refundType: input.refundType } : {}),
        ...(input.goodsStatus ? { goodsStatus: input.goodsStatus } : {}),
        ...(input.reasonId ? { reasonId: input.reasonId } : {}),
        ...(input.amountFen !== undefined ? { amountFen: input.amountFen } : {}),
        ...(input.description !== undefined ? { description: input.description } : {}),
        ...(input.imageKeys ? { images: input.imageKeys } : {}),
      }),
    input.fields,
  );
  const imageKeys = input.imageKeys;
  return record(deps, refund, up, 'api:modify', () => (imageKeys ? { images: JSON.stringify(imageKeys) } : {}));
}

/** Cancels a refund the seller has not paid yet, nor received a returned parcel of. */
export async function cancelRefund(deps: AppDeps, refund: RefundRow, statusWord: string): Promise<RefundAggregate> {
  requireStatus(refund, ['wait_seller_agree', 'seller_refused', 'wait_buyer_return'], 'be cancelled', statusWord);
  const up = await upstreamCall(
    async () =>
      marketOf(deps, refund.platform).cancelRefund(
        refund.upstream_refund_id as string,
        await buyerOf(deps.database.db, refund),
      ),
    NO_FIELDS,
  );
  return record(deps, refund, up, 'api:cancel');
}

export interface ReturnInput {
  carrierCode: string;
  trackingNo: string;
  description?: string;
  /** Kept with the refund for its views. */
  carrierName?: string;
  buyerPhone?: string;
  imageKeys?: string[];
  fields: { carrier: string; tracking: string };
}

/** Sends the goods back: the carrier (one of the marketplace's) and the tracking number, after the seller agreed. */
export async function submitReturn(
  deps: AppDeps,
  refund: RefundRow,
  statusWord: string,
  input: ReturnInput,
): Promise<RefundAggregate> {
  requireStatus(refund, ['wait_buyer_return'], 'take a return parcel', statusWord);
  const carriers = await marketOf(deps, refund.platform).carriers();
  const carrier = carriers.find((c) => c.code === input.carrierCode);
  if (!carrier) throw invalidParameter(input.fields.carrier, 'carrierUnknown', { code: input.carrierCode });
  const up = await upstreamCall(
    async () =>
      marketOf(deps, refund.platform).submitReturnShipment(
        refund.upstream_refund_id as string,
        await buyerOf(deps.database.db, refund),
        {
          carrierCode: input.carrierCode,
          trackingNo: input.trackingNo,
          ...(input.description ? { description: input.description } : {}),
        },
      ),
    { ...NO_FIELDS, refundType: input.fields.carrier },
  );
  return record(deps, refund, up, 'api:return', (current) => ({
    request: JSON.stringify({
      ...(JSON.parse(current.request) as Record<string, unknown>),
      carrierName: input.carrierName ?? carrier.name.zh,
      ...(input.buyerPhone ? { buyerPhone: input.buyerPhone } : {}),
    }),
    ...(input.imageKeys ? { return_images: JSON.stringify(input.imageKeys) } : {}),
  }));
}

const NO_FIELDS: RefundFieldNames = {
  line: 'refundId',
  refundType: 'refundType',
  goodsStatus: 'goodsStatus',
  reasonId: 'reasonId',
  amount: 'refundFee',
};

/** Where the seller wants the goods back, and the carriers a return may use. */
export async function returnLogistics(
  deps: AppDeps,
  refund: RefundRow,
  statusWord: string,
): Promise<{ agg: RefundAggregate; carriers: Carrier[] }> {
  requireStatus(refund, ['wait_buyer_return', 'wait_seller_receive', 'success'], 'have a return', statusWord);
  if (refund.refund_type !== 'return_refund') {
    throw new ApiError(40901, { reason: phrase('refundState', { status: statusWord, action: 'have a return' }) });
  }
  const carriers = await marketOf(deps, refund.platform).carriers();
  return { agg: await loadRefundAggregate(deps.database.db, refund), carriers };
}

export async function addRefundMessage(
  deps: AppDeps,
  refund: RefundRow,
  text: string,
  imageKeys: string[],
): Promise<RefundMessage> {
  return upstreamCall(
    async () =>
      marketOf(deps, refund.platform).addRefundMessage(
        refund.upstream_refund_id as string,
        await buyerOf(deps.database.db, refund),
        { text, images: imageKeys },
      ),
    NO_FIELDS,
  );
}

/** The conversation about a refund, oldest first, the seller's replies and the marketplace's notes included. */
export async function refundMessages(deps: AppDeps, refund: RefundRow): Promise<RefundMessage[]> {
  const messages = await upstreamCall(
    async () =>
      marketOf(deps, refund.platform).refundMessages(
        refund.upstream_refund_id as string,
        await buyerOf(deps.database.db, refund),
      ),
    NO_FIELDS,
  );
  return [...messages].sort((a, b) => a.time - b.time || Number(a.messageId) - Number(b.messageId));
}

/** The marketplace's options for a refund of one of the caller's lines (reasons, goods states, maximum). */
export async function lineRefundOptions(
  deps: AppDeps,
  actor: AuthContext,
  platform: Platform,
  lineId: string,
  lineField: string,
): Promise<{ options: RefundOptions; left: number; found: NonNullable<Awaited<ReturnType<typeof findOwnLine>>> }> {
  const found = await findOwnLine(deps.database.db, actor, platform, lineId);
  if (!found) throw notFound('orderLine', lineId);
  const left = await refundableOf(deps.database.db, lineId);
  const options = await upstreamCall(
    () =>
      marketOf(deps, platform).refundOptions(
        found.part.upstream_order_id,
        found.line.upstream_line_id,
        found.order.user_id,
      ),
    { ...NO_FIELDS, line: lineField },
  );
  // A refund Ponte has open or still creating on the line holds it, whatever the marketplace has heard of yet.
  const open = await openRefundsOfLine(deps.database.db, lineId);
  const allowed = options.allowed && left > 0 && open.length === 0;
  return { options: { ...options, maxRefundFen: Math.min(options.maxRefundFen, left), allowed }, left, found };
}
