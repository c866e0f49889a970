import type { Updateable } from 'kysely';
import type { Executor } from '../../platform/db/database.js';
import type { RefundsTable } from '../../platform/db/schema.js';
import type { AppDeps } from '../../platform/deps.js';
import type { UpstreamRefund } from '../../providers/types.js';
import { creditRefund } from './credit.js';
import { writeRefundMessage } from './messages.js';
import { insertRefundHistory, type RefundRow } from './refunds.repo.js';
import { canMove, isOpen, type RefundCause, type RefundStatus } from './refunds.states.js';

type Deps = Pick<AppDeps, 'ids' | 'clock' | 'database' | 'changes' | 'log' | 'files' | 'config' | 'publicUrl'>;

/** A change the marketplace reported: the status it reached, when (market time), and what else it changed. */
export interface RefundChange {
  status: RefundStatus;
  at: number;
  fields: Updateable<RefundsTable>;
  cause: RefundCause;
  detail?: string;
  /**
   * The caller's own request (`api:`): the marketplace answered it, so its state is recorded even when the status
   * stays, and even off the table (the marketplace is the authority). Events must follow the table.
   */
  requested: boolean;
}

/**
 * Records a change of a refund in the caller's transaction (which holds the order's lock): the transition table
 * decides whether an event moves it (a repeat, or an event older than the refund's last change, changes nothing);
 * each change writes a history row and a message, and reaching success credits the money once. Returns whether
 * anything changed.
 */
export async function applyRefundChange(db: Executor, deps: Deps, refund: RefundRow, change: RefundChange) {
  if (change.at < Number(refund.upstream_at)) return false;
  const from = refund.status;
  const to = change.status;
  if (!change.requested) {
    if (from === to) {
      // A repeat: the money of a success is still made sure of (a create recorded late, a crash between steps).
      if (to === 'success' && refund.credit_tx === null) await creditRefund(db, deps, refund, change.at);
      return false;
    }
    if (!canMove(from, to)) {
      // The marketplace decides whether money was paid or the case is over: an end it reports is followed from any
      // open state (a step Ponte missed must never keep a credit back); any other move off the table is ignored.
      const end = (to === 'success' || to === 'closed') && isOpen(from);
      deps.log.info(
        { refundId: refund.id, from, to, cause: change.cause },
        end
          ? 'refund reached its end from a state the table does not lead from'
          : 'refund event does not apply; ignored',
      );
      if (!end) return false;
    }
  }
  const now = deps.clock.now();
  const terminal = to === 'success' || to === 'closed';
  await db
    .updateTable('refunds')
    .set({
      ...change.fields,
      status: to,
      upstream_at: Math.max(change.at, Number(refund.upstream_at)),
      updated_at: now,
      ...(terminal && refund.completed_at === null ? { completed_at: change.at } : {}),
      ...(terminal ? { deadline: null, timeout_action: null } : {}),
    })
    .where('id', '=', refund.id)
    .execute();
  await insertRefundHistory(db, deps, {
    refund_id: refund.id,
    from_status: from,
    to_status: to,
    cause: change.cause,
    detail: change.detail ?? null,
    at: change.at,
  });
  if (to === 'success') {
    const fresh = await db.selectFrom('refunds').selectAll().where('id', '=', refund.id).executeTakeFirstOrThrow();
    await creditRefund(db, deps, fresh, change.at);
  }
  await writeRefundMessage(db, deps, refund.id, change.cause);
  return true;
}

/** What the marketplace's record of a refund says, as columns of Ponte's. */
export function fieldsOf(up: UpstreamRefund): Updateable<RefundsTable> {
  return {
    upstream_refund_id: up.refundId,
    refund_type: up.refundType,
    goods_status: up.goodsStatus,
    reason_id: up.reason.reasonId,
    reason_text: JSON.stringify(up.reason.text),
    amount_fen: up.amountFen,
    description: up.description,
    deadline: up.deadline,
    timeout_action: up.timeoutAction,
    return_address: up.returnAddress ? JSON.stringify(up.returnAddress) : null,
    return_carrier: up.returnShipment?.carrierCode ?? null,
    return_tracking: up.returnShipment?.trackingNo ?? null,
    return_description: up.returnShipment?.description ?? null,
    return_shipped_at: up.returnShipment?.shippedAt ?? null,
    refuse_reason: up.refuseReason,
    refuse_count: up.refuseCount,
  };
}

/** A requested change: the marketplace's answer to the caller's create, modification, cancel or return. */
export function requestedChange(up: UpstreamRefund, cause: RefundCause): RefundChange {
  return {
    status: up.status,
    at: up.updatedAt,
    fields: fieldsOf(up),
    cause,
    requested: true,
  };
}
