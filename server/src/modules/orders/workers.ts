import type { AppDeps } from '../../platform/deps.js';
import { ApiError } from '../../platform/http/errors.js';
import { type OutboxRegistry, UPSTREAM_RETRY } from '../../platform/outbox/registry.js';
import { VOUCHER_APPROVED_EVENT, type VoucherApprovedPayload } from '../payments/index.js';
import { FINISH_CREATE_EVENT, finishCreate } from './create.js';
import { orderById } from './orders.repo.js';
import { payOrder, SETTLE_PAYMENT_EVENT, settleStuckPayment } from './pay.js';

/** The orders module's background work, run by the outbox workers. */
export function registerOrderWorkers(registry: OutboxRegistry): void {
  registry.register(
    FINISH_CREATE_EVENT,
    (event, deps) => finishCreate(deps, (event.payload as { orderId: string }).orderId),
    UPSTREAM_RETRY,
  );
  registry.register(
    SETTLE_PAYMENT_EVENT,
    (event, deps) => settleStuckPayment(deps, (event.payload as { paymentId: string }).paymentId),
    UPSTREAM_RETRY,
  );
  registry.register(
    VOUCHER_APPROVED_EVENT,
    (event, deps) => payWithVoucher(deps, event.payload as VoucherApprovedPayload),
    UPSTREAM_RETRY,
  );
}

/**
 * An approved voucher credited the balance; this pays the order it names from it. An order that can no
 * longer be paid (closed, already paid) keeps the credit in the balance; an upstream that cannot answer
 * leaves the payment to its own settle job.
 */
async function payWithVoucher(deps: AppDeps, payload: VoucherApprovedPayload): Promise<void> {
  const order = await orderById(deps.database.db, payload.orderId);
  if (!order || order.develop_id !== payload.developId) return;
  const actor = { developId: order.develop_id, userId: order.user_id, accessKey: '', isMainAccount: false };
  try {
    await payOrder(deps, actor, order.platform, order.id, { kind: 'voucher', voucherId: payload.voucherId });
  } catch (err) {
    if (err instanceof ApiError && err.code < 50000) {
      deps.log.info(
        { orderId: order.id, voucherId: payload.voucherId, code: err.code },
        'voucher credit kept in the balance',
      );
      return;
    }
    const still = await orderById(deps.database.db, order.id);
    if (still?.pay_state === 'paying') return;
    throw err;
  }
}
