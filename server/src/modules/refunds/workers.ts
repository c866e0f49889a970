import { type OutboxRegistry, UPSTREAM_RETRY } from '../../platform/outbox/registry.js';
import { FINISH_REFUND_CREATE_EVENT, finishRefundCreate } from './create.js';

/** The refunds module's background work, run by the outbox workers. */
export function registerRefundWorkers(registry: OutboxRegistry): void {
  registry.register(
    FINISH_REFUND_CREATE_EVENT,
    (event, deps) => finishRefundCreate(deps, (event.payload as { refundId: string }).refundId),
    UPSTREAM_RETRY,
  );
}
