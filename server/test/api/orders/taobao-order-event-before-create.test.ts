import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTaobaoServer, type TaobaoServer } from './taobao-fixtures.js';

// An upstream event can come before Ponte has recorded its order: the marketplace created the order, but its answer
// was lost (or the process died before recording it), so the create settles later in a worker (docs/adr/0011). The
// seller's price change meanwhile must not be dropped: it is tried again until the order is recorded, then applied,
// with its message.

let t: TaobaoServer;
beforeAll(async () => {
  t = await startTaobaoServer();
});
afterAll(() => t?.close());

it("applies a seller's price change that came before the order's create was settled", async () => {
  const policy = await t.server.admin('PUT', '/sandbox/policy', { priceModifyRate: 1, priceModifyAfterMs: 1_000 });
  expect(policy.body.code, policy.text).toBe(200);
  // The create's answer is lost, and so is the lookup that would reconcile it at once.
  const fault = await t.server.admin('PUT', '/sandbox/faults/createOrder', { lostReplyRate: 1 });
  expect(fault.body.code, fault.text).toBe(200);
  const lookup = await t.server.admin('PUT', '/sandbox/faults/ordersByClientRef', { errorRate: 1 });
  expect(lookup.body.code, lookup.text).toBe(200);
  const [sku] = t.skus;
  if (!sku) throw new Error('a SKU is needed');
  let created: Awaited<ReturnType<TaobaoServer['create']>>;
  try {
    created = await t.create(t.dev, [{ sku }]);
  } finally {
    await t.server.admin('DELETE', '/sandbox/faults');
  }
  // The marketplace made the order; Ponte does not know its outcome yet.
  expect(created.body.code, created.text).not.toBe(200);
  const [row] = await t.server.deps.database.db
    .selectFrom('orders')
    .select(['id', 'create_state'])
    .where('develop_id', '=', t.dev.developId)
    .execute();
  expect(row?.create_state).toBe('creating');
  const orderId = row?.id as string;

  // The seller changes the price before the create settles: the event waits (tried again later).
  await t.advance(2_000);
  const waiting = await t.server.deps.database.db
    .selectFrom('outbox')
    .select(['status', 'attempts'])
    .where('event_type', '=', 'upstream.event')
    .where('status', '=', 'pending')
    .execute();
  expect(waiting.length).toBeGreaterThan(0);

  // The create settles (the marketplace has the order), then the event applies.
  await t.advance(60_000);
  await t.advance(60_000);
  const order = await t.detail(t.dev, orderId);
  expect(order.status).toBe('WAIT_BUYER_PAY');
  const types = (await t.messages(t.dev, orderId)).map((m) => m.messageType);
  expect(types).toContain('ORDER_BUYER_VIEW_ORDER_PRICE_MODIFY');
  const dead = await t.server.deps.database.db.selectFrom('outbox').select('id').where('status', '=', 'dead').execute();
  expect(dead).toEqual([]);
});
