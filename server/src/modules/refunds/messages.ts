import type { Executor } from '../../platform/db/database.js';
import type { AppDeps } from '../../platform/deps.js';
import { insertMessage } from '../messages/write.js';
import { toAlibabaRefundDetail } from './alibaba-view.js';
import { evidenceUrls } from './evidence.js';
import { historyOf, loadRefundAggregate, type RefundRow } from './refunds.repo.js';
import { ALIBABA_REFUND_STATUS, operatorOf, REFUND_ACTIONS, type RefundCause } from './refunds.states.js';
import { toRefundOrderAggregate } from './taobao-view.js';

/** TM3: PandaPon's Taobao after-sales message. */
export const TAOBAO_REFUND_MESSAGE = 'ORDER_BUYER_VIEW_ORDER_BUYER_REFUND';
/** AM3, 1688's two: a refund made before the trade succeeded, and one after. */
export const ALIBABA_REFUND_IN_SALES = 'ORDER_BUYER_VIEW_ORDER_BUYER_REFUND_IN_SALES';
export const ALIBABA_REFUND_AFTER_SALES = 'ORDER_BUYER_VIEW_ORDER_REFUND_AFTER_SALES';

type Deps = Pick<AppDeps, 'ids' | 'clock' | 'changes' | 'files' | 'config' | 'publicUrl'>;

/**
 * Writes the developer's message about a refund in the caller's transaction, after the change it tells of: the
 * refund's version is raised first, so each message carries a version greater than the last.
 */
export async function writeRefundMessage(
  db: Executor,
  deps: Deps,
  refundId: string,
  cause: RefundCause,
): Promise<string> {
  const now = deps.clock.now();
  await db
    .updateTable('refunds')
    .set((eb) => ({ version: eb('version', '+', 1), updated_at: now }))
    .where('id', '=', refundId)
    .execute();
  const refund = await db.selectFrom('refunds').selectAll().where('id', '=', refundId).executeTakeFirstOrThrow();
  const body = await refundMessageBody(db, deps, refund, cause);
  return insertMessage(db, deps, {
    developId: refund.develop_id,
    userId: refund.user_id,
    platform: refund.platform === 'taobao' ? 0 : 1,
    type: refundMessageType(refund),
    objectType: 'refund',
    objectId: refund.id,
    version: Number(refund.version),
    body: JSON.stringify(body),
  });
}

export function refundMessageType(refund: Pick<RefundRow, 'platform' | 'in_sales'>): string {
  if (refund.platform === 'taobao') return TAOBAO_REFUND_MESSAGE;
  return Number(refund.in_sales) === 1 ? ALIBABA_REFUND_IN_SALES : ALIBABA_REFUND_AFTER_SALES;
}

async function refundMessageBody(db: Executor, deps: Deps, refund: RefundRow, cause: RefundCause) {
  const agg = await loadRefundAggregate(db, refund);
  const links = (keys: string[]) => evidenceUrls(deps, keys);
  if (refund.platform === 'taobao') {
    return {
      distributorId: refund.develop_id,
      currency: 'CNY' as const,
      refundOrderAggregate: toRefundOrderAggregate(agg, 'en', links, deps.clock.now()),
    };
  }
  const detail = toAlibabaRefundDetail(agg, await historyOf(db, refund.id), 'en', links);
  const action = REFUND_ACTIONS[cause];
  return {
    refundId: refund.id,
    orderId: refund.order_id,
    refundAction: action,
    operator: operatorOf(action),
    currentStatus: ALIBABA_REFUND_STATUS[refund.status],
    msgSendTime: deps.clock.now(),
    refund: detail,
  };
}
