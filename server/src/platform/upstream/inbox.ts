import type { UpstreamEvent } from '../../providers/types.js';
import type { Executor } from '../db/database.js';
import type { AppDeps } from '../deps.js';
import type { AppModule } from '../module.js';
import { enqueue } from '../outbox/outbox.js';
import type { OutboxRegistry } from '../outbox/registry.js';

/** The outbox event type that carries an upstream event to the modules. */
export const UPSTREAM_EVENT = 'upstream.event';

/** The object whose events must be handled in order: the order (refund events too), else the refund or product. */
export function objectKeyOf(event: UpstreamEvent): string {
  if (event.orderId) return `order:${event.orderId}`;
  if (event.refundId) return `refund:${event.refundId}`;
  if (event.productId) return `product:${event.productId}`;
  return `event:${event.eventId}`;
}

/**
 * Records an upstream event in the inbox and queues it for the modules, in one transaction. An event
 * already recorded (the same platform and event id, redelivered by the upstream) is dropped: returns
 * false. When this resolves, the event is durable and the upstream may consider it delivered.
 */
export async function receiveUpstreamEvent(
  deps: Pick<AppDeps, 'database' | 'ids' | 'clock'>,
  event: UpstreamEvent,
): Promise<boolean> {
  const objectKey = objectKeyOf(event);
  const now = deps.clock.now();
  return deps.database.transaction(async (trx) => {
    const outboxId = deps.ids.next(now);
    const recorded = await trx
      .insertInto('upstream_inbox')
      .values({
        platform: event.platform,
        event_id: event.eventId,
        event_type: event.type,
        object_key: objectKey,
        payload: JSON.stringify(event),
        outbox_id: outboxId,
        received_at: now,
        handled_at: null,
      })
      .onConflict((oc) => oc.columns(['platform', 'event_id']).doNothing())
      .executeTakeFirst();
    if (Number(recorded.numInsertedOrUpdatedRows ?? 0) === 0) return false;
    await enqueue(trx, deps, UPSTREAM_EVENT, event, { id: outboxId, orderingKey: `${event.platform}:${objectKey}` });
    return true;
  });
}

/** Hands one event to every module that reacts to upstream events, in the handling transaction. */
async function handleUpstreamEvent(modules: AppModule[], db: Executor, deps: AppDeps, event: UpstreamEvent) {
  for (const m of modules) await m.onUpstreamEvent?.(db, deps, event);
  await db
    .updateTable('upstream_inbox')
    .set({ handled_at: deps.clock.now() })
    .where('platform', '=', event.platform)
    .where('event_id', '=', event.eventId)
    .execute();
}

/**
 * Registers the handler of queued upstream events: each runs every module's `onUpstreamEvent` inside
 * the transaction that marks it done, one event of an object at a time, and is dead-lettered after
 * `maxAttempts` failures without holding up other objects' events.
 */
export function registerUpstreamEventHandler(
  registry: OutboxRegistry,
  modules: AppModule[],
  options: { maxAttempts: number },
): void {
  registry.register(
    UPSTREAM_EVENT,
    async (event, deps, db) => {
      const upstream = event.payload as UpstreamEvent;
      deps.log.debug({ event: upstream, attempt: event.attempt }, 'upstream event');
      await handleUpstreamEvent(modules, db, deps, upstream);
    },
    { transactional: true, maxAttempts: options.maxAttempts },
  );
}
