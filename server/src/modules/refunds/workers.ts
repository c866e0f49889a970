import type { OutboxRegistry } from '../../platform/outbox/registry.js';
import { FINISH_REFUND_CREATE_EVENT, finishRefundCreate } from './create.js';

/** Retries for work that waits on an upstream: every 30 s at first, then up to every 10 min, for about a day. */
const upstreamBackoff = (failures: number) => Math.min(600_000, 30_000 * 2 ** Math.min(failures - 1, 5));

/** The refunds module's background work, run by the outbox workers. */
export function registerRefundWorkers(registry: OutboxRegistry): void {
  registry.register(
    FINISH_REFUND_CREATE_EVENT,
    (event, deps) => finishRefundCreate(deps, (event.payload as { refundId: string }).refundId),
    { maxAttempts: 150, backoffMs: upstreamBackoff },
  );
}
