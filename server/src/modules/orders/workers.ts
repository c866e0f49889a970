import type { AppDeps } from '../../platform/deps.js';
import { ApiError } from '../../platform/http/errors.js';
import type { OutboxRegistry } from '../../platform/outbox/registry.js';
import { VOUCHER_APPROVED_EVENT, type VoucherApprovedPayload } from '../payments/index.js';
import { FINISH_CREATE_EVENT, finishCreate } from './create.js';
import { orderById } from './orders.repo.js';
import { payOrder, SETTLE_PAYMENT_EVENT, settleStuckPayment } from './pay.js';

/** Retries for work that waits on an upstream: every 30 s at first, then up to every 10 min, for about a day. */
const upstreamBackoff = (failures: number) => Math.min(600_000, 30_000 * 2 ** Math.min(failures - 1, 5));

/** The orders module's background work, run by the outbox workers. */
export function registerOrderWorkers(registry: OutboxRegistry): void {
  registry.register(
    FINISH_CREATE_EVENT,
    (event, deps) => finishCreate(deps, (event.payload as { orderId: string }).orderId),
    {
      maxAttempts: 150,
      backoffMs: upstreamBackoff,
    },
  );
  registry.register(
    SETTLE_PAYMENT_EVENT,
    (event, deps) => settleStuckPayment(deps, (event.payload as { paymentId: string }).paymentId),
    { maxAttempts: 150, backoffMs: upstreamBackoff },
  );
  registry.register(
    VOUCHER_APPROVED_EVENT,
    (event, deps) => payWithVoucher(deps, event.payload as VoucherApprovedPayload),
    {
      maxAttempts: 150,
      backoffMs: upstreamBackoff,
    },
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
