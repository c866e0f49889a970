import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/platform/clock.js';
import { upstreamApiError } from '../../src/platform/http/upstream-errors.js';
import { UpstreamOutcomeUnknown, UpstreamTimeoutError } from '../../src/providers/errors.js';
import { guardProvider } from '../../src/providers/guard.js';
import type { MarketProvider } from '../../src/providers/market.js';
import { SandboxMarket } from '../../src/providers/sandbox/sandbox.js';
import type { OrderRequest } from '../../src/providers/types.js';
import { waitFor } from '../wait.js';
import { WAREHOUSE_ADDRESS } from './fixtures.js';

/**
 * Upstream writes that time out are never reported as failed while they may have happened: the
 * call's signal aborts at the deadline, then the guard asks the marketplace what the write did and
 * answers its result, a timeout (it did not happen), or an unknown outcome. It never repeats the write.
 */

const TIMEOUT_MS = 150;

let market: SandboxMarket;
let calls: Map<string, number>;
/** How each call that reached the marketplace ended, by operation (absent while it runs). */
let ended: Map<string, 'answered' | 'failed'>;
let guarded: MarketProvider;

beforeEach(() => {
  const real = new ManualClock(Date.UTC(2026, 0, 5, 8));
  market = new SandboxMarket({
    file: ':memory:',
    realNow: () => real.now(),
    baseUrl: () => 'http://market.test',
    catalog: { seed: 5, goodsPerPlatform: 120 },
  });
  market.ensureSeeded();
  market.policy.update({ priceModifyRate: 0 });
  calls = new Map();
  ended = new Map();
  // Counts every call that reaches the marketplace.
  const counting = new Proxy(market.taobao, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        calls.set(String(prop), (calls.get(String(prop)) ?? 0) + 1);
        const call = value.apply(target, args) as Promise<unknown>;
        call.then(
          () => ended.set(String(prop), 'answered'),
          () => ended.set(String(prop), 'failed'),
        );
        return call;
      };
    },
  });
  guarded = guardProvider(counting, { timeoutMs: TIMEOUT_MS });
});

afterEach(() => market.close());

function request(clientRef: string): OrderRequest {
  const row = market.store.db
    .prepare(
      `select g.id as productId, s.sku_id as skuId from goods g join skus s on s.platform = g.platform and s.good_id = g.id
       where g.platform = 'taobao' and g.status = 'active' and s.stock >= 100 order by g.idx limit 1`,
    )
    .get() as { productId: string; skuId: string };
  return { lines: [{ ...row, quantity: 1 }], address: WAREHOUSE_ADDRESS, buyerId: 'buyer-9', clientRef };
}

const ordersOf = (clientRef: string) =>
  market.store.db.prepare('select count(*) from orders where client_ref = ?').pluck().get(clientRef) as number;

describe('a write whose answer is lost', () => {
  it('is reconciled from the marketplace: the order it made is the answer, made once', async () => {
    market.faults.set({ operation: 'createOrder', errorRate: 0, timeoutRate: 0, lostReplyRate: 1, latencyMs: 0 });
    const orders = await guarded.createOrder(request('lost-1'));
    expect(orders).toHaveLength(1);
    expect(orders[0]).toMatchObject({ clientRef: 'lost-1', status: 'wait_buyer_pay' });
    expect(ordersOf('lost-1')).toBe(1);
    expect(calls.get('createOrder')).toBe(1);
    expect(calls.get('ordersByClientRef')).toBe(1);
  });

  it('a payment whose answer is lost answers the paid order', async () => {
    const [order] = await guarded.createOrder(request('lost-2'));
    market.faults.set({ operation: 'payOrder', errorRate: 0, timeoutRate: 0, lostReplyRate: 1, latencyMs: 0 });
    const paid = await guarded.payOrder(order?.orderId ?? '', 'buyer-9', order?.totalFen ?? 0);
    expect(paid).toMatchObject({ orderId: order?.orderId, status: 'wait_seller_send' });
    expect(calls.get('payOrder')).toBe(1);
    expect(calls.get('getOrder')).toBe(1);
    // A caller that retries anyway gets the same order: paying is idempotent per order and amount.
    market.faults.clear();
    expect(await guarded.payOrder(order?.orderId ?? '', 'buyer-9', order?.totalFen ?? 0)).toEqual(paid);
  });
});

describe('a write that never reached the marketplace', () => {
  it('times out (safe to retry): the abort stopped it, and the check finds nothing', async () => {
    market.faults.set({ operation: 'createOrder', errorRate: 0, timeoutRate: 0, lostReplyRate: 0, latencyMs: 10_000 });
    const err = await guarded.createOrder(request('slow-1')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UpstreamTimeoutError);
    expect(upstreamApiError(err)?.code).toBe(50401);
    // The deadline's signal ended the marketplace call long before its 10 s latency: it will never act.
    await waitFor(() => ended.get('createOrder') === 'failed', { timeoutMs: 3000, message: 'the aborted call to end' });
    expect(ordersOf('slow-1')).toBe(0);
    expect(calls.get('createOrder')).toBe(1);
    expect(calls.get('ordersByClientRef')).toBe(1);
  });

  it('a payment stopped by its deadline leaves the order unpaid: a timeout', async () => {
    const [order] = await guarded.createOrder(request('slow-pay'));
    market.faults.set({ operation: 'payOrder', errorRate: 0, timeoutRate: 0, lostReplyRate: 0, latencyMs: 10_000 });
    const err = await guarded.payOrder(order?.orderId ?? '', 'buyer-9', order?.totalFen ?? 0).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UpstreamTimeoutError);
    await waitFor(() => ended.get('payOrder') === 'failed', { timeoutMs: 3000, message: 'the aborted payment to end' });
    expect((await market.taobao.getOrder(order?.orderId ?? '', 'buyer-9'))?.status).toBe('wait_buyer_pay');
  });

  it('an order found paid at another total was not paid by this call: a timeout', async () => {
    const [order] = await guarded.createOrder(request('other-total'));
    const total = order?.totalFen ?? 0;
    await guarded.payOrder(order?.orderId ?? '', 'buyer-9', total);
    market.faults.set({ operation: 'payOrder', errorRate: 0, timeoutRate: 1, lostReplyRate: 0, latencyMs: 0 });
    const err = await guarded.payOrder(order?.orderId ?? '', 'buyer-9', total + 100).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UpstreamTimeoutError);
  });

  it('a hung call that did nothing is a timeout too', async () => {
    market.faults.set({ operation: 'createOrder', errorRate: 0, timeoutRate: 1, lostReplyRate: 0, latencyMs: 0 });
    const err = await guarded.createOrder(request('hung-1')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UpstreamTimeoutError);
    // The hung call is let go rather than left waiting for ever.
    await waitFor(() => ended.get('createOrder') === 'failed', { timeoutMs: 3000, message: 'the hung call to end' });
    expect(ordersOf('hung-1')).toBe(0);
  });
});

describe('a write whose outcome cannot be learnt', () => {
  it('is neither success nor failure: 50402, retry with the same reference', async () => {
    market.faults.set({ operation: 'createOrder', errorRate: 0, timeoutRate: 0, lostReplyRate: 1, latencyMs: 0 });
    market.faults.set({ operation: 'ordersByClientRef', errorRate: 0, timeoutRate: 1, lostReplyRate: 0, latencyMs: 0 });
    const err = await guarded.createOrder(request('unknown-1')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UpstreamOutcomeUnknown);
    expect(upstreamApiError(err)?.code).toBe(50402);
    // It did happen; a retry with the same clientRef returns the same order instead of a second one.
    market.faults.clear();
    const again = await guarded.createOrder(request('unknown-1'));
    expect(again).toHaveLength(1);
    expect(ordersOf('unknown-1')).toBe(1);
  });

  it('a write with no way to ask is an unknown outcome, never a failure', async () => {
    const [order] = await guarded.createOrder(request('msg-1'));
    await guarded.payOrder(order?.orderId ?? '', 'buyer-9', order?.totalFen ?? 0);
    market.faults.set({ operation: 'addRefundMessage', errorRate: 0, timeoutRate: 1, lostReplyRate: 0, latencyMs: 0 });
    const err = await guarded.addRefundMessage('123', 'buyer-9', { text: 'hello' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UpstreamOutcomeUnknown);
  });
});
