import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MODULES } from '../../src/app.js';
import { ManualClock } from '../../src/platform/clock.js';
import type { Executor } from '../../src/platform/db/database.js';
import type { AppModule } from '../../src/platform/module.js';
import { enqueue } from '../../src/platform/outbox/outbox.js';
import { OutboxWorker } from '../../src/platform/outbox/worker.js';
import { receiveUpstreamEvent } from '../../src/platform/upstream/inbox.js';
import type { UpstreamEvent } from '../../src/providers/types.js';
import { startServer, type TestServer } from '../harness.js';

/**
 * The upstream-event pipeline: the inbox drops duplicates, events of one object run in order, a
 * module's handler runs in the transaction that marks the event handled, and one that keeps failing
 * goes to the dead letters without holding up other objects' events.
 */

const clock = new ManualClock(Date.UTC(2026, 5, 1, 8));
const handled: string[] = [];
/** Orders whose events the test module refuses, until the test lets them through. */
const failing = new Set<string>();

/** Records what it sees and, in the handling transaction, enqueues a message it can be judged by. */
const observer: AppModule = {
  name: 'observer',
  routes: [],
  registerOutboxHandlers: (registry) => registry.register('test.notice', async () => {}),
  async onUpstreamEvent(db: Executor, deps, event) {
    await enqueue(db, deps, 'test.notice', { eventId: event.eventId });
    if (event.orderId && failing.has(event.orderId)) throw new Error(`order ${event.orderId} cannot be handled`);
    handled.push(event.eventId);
  },
};

let server: TestServer;
let worker: OutboxWorker;
let seq = 0;

function event(orderId: string | null, type: UpstreamEvent['type'] = 'order.shipped'): UpstreamEvent {
  seq += 1;
  return {
    eventId: `test-${seq}`,
    platform: 'taobao',
    type,
    at: clock.now(),
    orderId,
    refundId: null,
    productId: orderId ? null : `p${seq}`,
    data: {},
  };
}

/** Runs the worker until nothing is due now. */
async function drain(): Promise<void> {
  for (let i = 0; i < 100; i++) if ((await worker.runOnce()) === 0) return;
  throw new Error('the outbox did not drain');
}

async function notices(): Promise<string[]> {
  const rows = await server.deps.database.db
    .selectFrom('outbox')
    .select('payload')
    .where('event_type', '=', 'test.notice')
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.map((r) => (JSON.parse(r.payload) as { eventId: string }).eventId);
}

beforeAll(async () => {
  server = await startServer({
    overrides: { clock },
    env: { UPSTREAM_EVENT_MAX_ATTEMPTS: '3' },
    modules: [...MODULES, observer],
  });
  worker = new OutboxWorker(server.deps, { owner: 'test-worker' });
});
afterAll(() => server.close());

beforeEach(async () => {
  handled.length = 0;
  failing.clear();
  await server.deps.database.db.deleteFrom('outbox').execute();
  clock.advance(1000);
});

describe('the inbox', () => {
  it('records an event once: a redelivery is dropped and the modules see it once', async () => {
    const e = event('9001');
    expect(await receiveUpstreamEvent(server.deps, e)).toBe(true);
    expect(await receiveUpstreamEvent(server.deps, e)).toBe(false);
    expect(await receiveUpstreamEvent(server.deps, { ...e, data: { again: true } })).toBe(false);
    const inbox = await server.deps.database.db
      .selectFrom('upstream_inbox')
      .selectAll()
      .where('event_id', '=', e.eventId)
      .execute();
    expect(inbox).toHaveLength(1);
    expect(inbox[0]?.handled_at).toBeNull();
    await drain();
    expect(handled).toEqual([e.eventId]);
    const after = await server.deps.database.db
      .selectFrom('upstream_inbox')
      .select('handled_at')
      .where('event_id', '=', e.eventId)
      .executeTakeFirstOrThrow();
    expect(after.handled_at).toBe(clock.now());
  });

  it('the same event id on another platform is another event', async () => {
    const e = event('9002');
    expect(await receiveUpstreamEvent(server.deps, e)).toBe(true);
    expect(await receiveUpstreamEvent(server.deps, { ...e, platform: '1688' })).toBe(true);
    await drain();
    expect(handled).toEqual([e.eventId, e.eventId]);
  });
});

describe('handling', () => {
  it('runs the events of one object in the order received, one at a time', async () => {
    const events = [event('9100'), event('9100', 'order.finished'), event('9101'), event('9100', 'order.closed')];
    for (const e of events) await receiveUpstreamEvent(server.deps, e);
    // One claim takes only the first event of each order.
    const claimed = await worker.claim();
    expect(claimed.map((r) => (JSON.parse(r.payload) as UpstreamEvent).eventId).sort()).toEqual(
      [events[0]?.eventId, events[2]?.eventId].sort(),
    );
    for (const row of claimed) await worker.process(row);
    await drain();
    const ofOrder = handled.filter((id) => id !== events[2]?.eventId);
    expect(ofOrder).toEqual([events[0]?.eventId, events[1]?.eventId, events[3]?.eventId]);
  });

  it('commits what a handler writes only with the event: a failed attempt leaves nothing behind', async () => {
    const bad = event('9200');
    const good = event('9201');
    failing.add('9200');
    await receiveUpstreamEvent(server.deps, bad);
    await receiveUpstreamEvent(server.deps, good);
    await drain();
    // The failed handler's notice was rolled back with its attempt; the good one's committed.
    expect(await notices()).toEqual([good.eventId]);
    const row = await server.deps.database.db
      .selectFrom('outbox')
      .selectAll()
      .where('event_type', '=', 'upstream.event')
      .where('ordering_key', '=', 'taobao:order:9200')
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: 'pending', attempts: 1 });
    expect(row.last_error).toContain('cannot be handled');
  });

  it('dead-letters an event that keeps failing, without holding up other objects; retried, it runs and releases those behind it', async () => {
    failing.add('9300');
    const first = event('9300');
    const behind = event('9300', 'order.finished');
    await receiveUpstreamEvent(server.deps, first);
    await receiveUpstreamEvent(server.deps, behind);
    for (let attempt = 0; attempt < 3; attempt++) {
      const other = event(`94${attempt}`);
      await receiveUpstreamEvent(server.deps, other);
      await drain();
      // Other orders' events are handled while 9300 fails.
      expect(handled).toContain(other.eventId);
      clock.advance(3_600_000 * 2); // past any backoff
    }
    expect(handled).not.toContain(first.eventId);
    expect(handled).not.toContain(behind.eventId);

    const list = await server.admin<{
      total: number;
      list: {
        id: string;
        type: string;
        orderingKey: string;
        attempts: number;
        lastError: string;
        payload: UpstreamEvent;
      }[];
    }>('GET', '/admin/dead-letters?type=upstream.event');
    expect(list.body.code).toBe(200);
    expect(list.body.data.total).toBe(1);
    const dead = list.body.data.list[0];
    expect(dead).toMatchObject({ type: 'upstream.event', orderingKey: 'taobao:order:9300', attempts: 3 });
    expect(dead?.payload.eventId).toBe(first.eventId);
    expect(dead?.lastError).toContain('cannot be handled');

    // The event behind the dead one waits for it.
    await drain();
    expect(handled).not.toContain(behind.eventId);

    failing.delete('9300');
    const retried = await server.admin('POST', `/admin/dead-letters/${dead?.id}/retry`);
    expect(retried.body).toMatchObject({ code: 200, data: { status: 'pending', attempts: 0 } });
    await drain();
    expect(handled.slice(-2)).toEqual([first.eventId, behind.eventId]);
    const again = await server.admin<{ total: number }>('GET', '/admin/dead-letters');
    expect(again.body.data.total).toBe(0);
    const unknown = await server.admin('POST', `/admin/dead-letters/${dead?.id}/retry`);
    expect(unknown.body.code).toBe(40401);
  });

  it('a discarded dead letter releases the events behind it without running', async () => {
    failing.add('9500');
    const first = event('9500');
    const behind = event('9500', 'order.finished');
    await receiveUpstreamEvent(server.deps, first);
    await receiveUpstreamEvent(server.deps, behind);
    for (let attempt = 0; attempt < 3; attempt++) {
      await drain();
      clock.advance(3_600_000 * 2);
    }
    const list = await server.admin<{ list: { id: string }[] }>('GET', '/admin/dead-letters');
    expect(list.body.data.list).toHaveLength(1);
    failing.delete('9500');
    const discarded = await server.admin('POST', `/admin/dead-letters/${list.body.data.list[0]?.id}/discard`);
    expect(discarded.body).toMatchObject({ code: 200, data: { status: 'done' } });
    await drain();
    expect(handled).toEqual([behind.eventId]);
  });
});
