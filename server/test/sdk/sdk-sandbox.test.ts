import { ApiError, PonteAdminClient } from '@ponte/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UpstreamError } from '../../src/providers/errors.js';
import { startServer, type TestServer } from '../harness.js';
import { waitFor } from '../wait.js';

describe('the SDK drives the sandbox market', () => {
  let server: TestServer;
  let admin: PonteAdminClient;

  beforeAll(async () => {
    server = await startServer({ env: { SANDBOX_GOODS: '60' } });
    admin = new PonteAdminClient({ baseUrl: server.baseUrl, token: server.deps.adminToken });
  });
  afterAll(() => server.close());

  it('reads the status, moves the clock, sets the policy and faults', async () => {
    expect((await admin.sandbox.status()).catalog.goodsPerPlatform).toBe(60);
    const before = await admin.sandbox.clock();
    const after = await admin.sandbox.advance(120);
    expect(after.now - before.now).toBeGreaterThanOrEqual(120_000);
    expect((await admin.sandbox.setClockSpeed(30)).speed).toBe(30);
    expect((await admin.sandbox.setPolicy({ refundDecision: 'refuse' })).refundDecision).toBe('refuse');
    expect((await admin.sandbox.policy()).refundDecision).toBe('refuse');
    await admin.sandbox.setFault('search', { errorRate: 1 });
    expect((await admin.sandbox.faults()).map((f) => f.operation)).toEqual(['search']);
    // The provider fails as an upstream failure (50201 once it reaches the HTTP layer).
    await expect(server.deps.market.taobao.search({ keyword: '', page: 1, pageSize: 1 })).rejects.toBeInstanceOf(
      UpstreamError,
    );
    expect(await admin.sandbox.clearFaults('search')).toBe(1);
    const err = await admin.sandbox.setFault('nope', { errorRate: 1 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).code).toBe(40001);
  });

  it('makes sellers act and lists what they did', async () => {
    await admin.sandbox.setPolicy({ reset: true });
    const page = await server.deps.market.alibaba.search({ keyword: '', page: 1, pageSize: 1 });
    const productId = page.items[0]?.productId ?? '';
    const product = await server.deps.market.alibaba.getProduct(productId);
    await admin.sandbox.setStock('1688', productId, 500);
    const [order] = await server.deps.market.alibaba.createOrder({
      lines: [{ productId, skuId: product?.skus[0]?.skuId, quantity: product?.minOrderQuantity ?? 1 }],
      address: { receiver: 'W', phone: '1', province: '广东', city: '东莞', district: '', address: '1' },
      buyerId: 'sdk-buyer',
      clientRef: 'sdk-1',
    });
    const orderId = order?.orderId ?? '';
    expect((await admin.sandbox.modifyPrice('1688', orderId, 999)).totalFen).toBe(999);
    await server.deps.market.alibaba.payOrder(orderId, 'sdk-buyer', 999);
    const shipped = await admin.sandbox.ship('1688', orderId);
    expect(shipped.status).toBe('wait_buyer_receive');
    expect((await admin.sandbox.order('1688', orderId)).lines[0]?.trackingNo).toBeTruthy();
    const events = await admin.sandbox.events({ orderId });
    expect(events.map((e) => e.type)).toEqual(['order.price_modified', 'order.shipped']);
    expect((await admin.sandbox.setListed('1688', productId, false)).status).toBe('delisted');
    expect(await admin.sandbox.reset({ seed: 2 })).toMatchObject({ seed: 2, state: 'done' });
  });

  it('starts a reset without waiting and follows it', async () => {
    const job = await admin.sandbox.reset({ seed: 3, goods: 80, wait: false });
    expect(job).toMatchObject({ state: 'running', seed: 3, goodsPerPlatform: 80, totalGoods: 160 });
    const current = await waitFor(
      async () => {
        const latest = await admin.sandbox.resetJob(job.jobId);
        return latest.state === 'running' ? null : latest;
      },
      { timeoutMs: 60_000, intervalMs: 50, message: 'the reset to finish' },
    );
    expect(current).toMatchObject({ state: 'done', seededGoods: 160, error: null });
    expect((await admin.sandbox.status()).catalog).toEqual({ seed: 3, goodsPerPlatform: 80 });
    const err = await admin.sandbox.resetJob('nosuchjob').catch((e: unknown) => e);
    expect((err as ApiError).code).toBe(40401);
  });
});
