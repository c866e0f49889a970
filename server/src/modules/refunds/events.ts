import type { Executor } from '../../platform/db/database.js';
import type { AppDeps } from '../../platform/deps.js';
import type { ShippingAddress, UpstreamEvent } from '../../providers/types.js';
import { lockOrder } from '../orders/index.js';
import { applyRefundChange, type RefundChange } from './apply.js';
import { refundByUpstreamId, refundCreateSettling } from './refunds.repo.js';
import { REFUND_STATUSES, type RefundCause, type RefundStatus } from './refunds.states.js';

/**
 * What the refunds module does when a marketplace reports a seller's (or its clock's) decision about a refund
 * (docs/adr/0008, 0014): runs in the transaction that marks the event handled, so the refund's change, its
 * history, its message and its credit commit together or not at all. The transition table decides whether the
 * event moves the refund; a repeat or an older event changes nothing. An event about a refund not recorded yet is
 * tried again later while a refund create of the platform is settling; otherwise it is not Ponte's, and ignored.
 */
export async function onRefundEvent(db: Executor, deps: AppDeps, event: UpstreamEvent): Promise<void> {
  if (!event.refundId || !event.type.startsWith('refund.')) return;
  const found = await refundByUpstreamId(db, event.platform, event.refundId);
  if (!found) {
    if (await refundCreateSettling(db, event.platform)) {
      throw new Error(`refund ${event.refundId} is not recorded yet while a refund create is settling`);
    }
    return;
  }
  await lockOrder(db, deps, found.order_id);
  const refund = (await refundByUpstreamId(db, event.platform, event.refundId)) ?? found;
  const change = changeOf(event, refund.refund_type);
  if (!change) return;
  // A refusal the buyer's modification already answered (the marketplace counted it before the modification) is
  // stale even when it bears the same millisecond.
  if (event.type === 'refund.refused' && typeof event.data.refuseCount === 'number') {
    if (event.data.refuseCount <= Number(refund.refuse_count)) return;
  }
  await applyRefundChange(db, deps, refund, change);
}

function changeOf(event: UpstreamEvent, type: 'refund' | 'return_refund'): RefundChange | null {
  const data = event.data;
  const reported = typeof data.status === 'string' && REFUND_STATUSES.includes(data.status as RefundStatus);
  let status: RefundStatus;
  switch (event.type) {
    case 'refund.agreed':
      status = reported ? (data.status as RefundStatus) : type === 'refund' ? 'success' : 'wait_buyer_return';
      break;
    case 'refund.refused':
      status = 'seller_refused';
      break;
    case 'refund.goods_received':
    case 'refund.succeeded':
      status = 'success';
      break;
    case 'refund.closed':
      status = 'closed';
      break;
    default:
      return null;
  }
  const automatic = data.automatic === true;
  const cause =
    `upstream:${event.type}${automatic && (event.type === 'refund.agreed' || event.type === 'refund.goods_received') ? ':automatic' : ''}` as RefundCause;
  const fields: RefundChange['fields'] = {};
  if ('deadline' in data) fields.deadline = typeof data.deadline === 'number' ? data.deadline : null;
  if ('timeoutAction' in data) {
    fields.timeout_action =
      data.timeoutAction === 'agree' || data.timeoutAction === 'close' ? data.timeoutAction : null;
  }
  if (typeof data.refuseReason === 'string') fields.refuse_reason = data.refuseReason;
  if (typeof data.refuseCount === 'number') fields.refuse_count = data.refuseCount;
  if (data.returnAddress && typeof data.returnAddress === 'object') {
    fields.return_address = JSON.stringify(data.returnAddress as ShippingAddress);
  }
  const detail =
    typeof data.refuseReason === 'string'
      ? data.refuseReason
      : typeof data.reason === 'string'
        ? data.reason
        : undefined;
  return { status, at: event.at, fields, cause, requested: false, ...(detail ? { detail } : {}) };
}
