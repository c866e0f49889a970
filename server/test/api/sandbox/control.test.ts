import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '../../../src/platform/http/errors.js';
import { defineRoute } from '../../../src/platform/http/route.js';
import { Strict, Text, Type } from '../../../src/platform/http/schema.js';
import type { UpstreamEvent } from '../../../src/providers/types.js';
import { type Credentials, startServer, type TestServer } from '../../harness.js';
import { waitFor } from '../../wait.js';

/** A contract-style route over the provider interface, to see how provider failures reach clients. */
const probe = defineRoute({
  method: 'POST',
  url: '/open/test/product/probe',
  operationId: 'testProbe',
  summary: 'Test route: look a product up through the Taobao provider',
  tags: ['Test'],
  auth: 'signed',
  errors: [40401, 50201, 50401],
  body: Strict({ itemId: Text('Item id', 40) }),
  data: Type.Object({ title: Type.String() }),
  handler: async ({ deps, body }) => {
    const product = await deps.market.taobao.getProduct(body.itemId);
    if (!product) throw new ApiError(40401, { what: `item ${body.itemId}` });
    return { title: product.title.en };
  },
});

const ADDRESS = { receiver: 'W', phone: '13800000000', province: '广东', city: '东莞', district: '', address: '1号' };

describe('the sandbox control API', () => {
  let server: TestServer;
  let dev: Credentials;
  let itemId: string;
  const events: UpstreamEvent[] = [];

  beforeAll(async () => {
    server = await startServer({
      env: { SANDBOX_GOODS: '120', SANDBOX_SEED: '5', UPSTREAM_TIMEOUT_MS: '150' },
      routes: [probe],
    });
    dev = await server.createDeveloper();
    server.deps.market.taobao.onUpstreamEvent(async (e) => {
      events.push(e);
    });
    const page = await server.deps.market.taobao.search({ keyword: '', page: 1, pageSize: 1 });
    itemId = page.items[0]?.productId ?? '';
  });
  afterAll(() => server.close());

  it('needs the operator token', async () => {
    const r = await server.request('GET', '/sandbox/status');
    expect(r.body.code).toBe(40106);
  });

  it('reports the catalog, the clock and the counts', async () => {
    const r = await server.admin<{
      catalog: { seed: number; goodsPerPlatform: number };
      taobao: { goods: number };
      alibaba: { goods: number; shops: number };
    }>('GET', '/sandbox/status');
    expect(r.body.code).toBe(200);
    expect(r.body.data.catalog).toEqual({ seed: 5, goodsPerPlatform: 120 });
    expect(r.body.data.taobao.goods).toBe(120);
    expect(r.body.data.alibaba.shops).toBeGreaterThan(0);
  });

  it('injected faults surface at the contract API as 50201 and 50401 in the envelope', async () => {
    const ok = await server.signed<{ title: string }>(dev, 'POST', '/open/test/product/probe', { body: { itemId } });
    expect(ok.body.code).toBe(200);
    expect(ok.body.data.title.length).toBeGreaterThan(3);

    let r = await server.admin('PUT', '/sandbox/faults/getProduct', { errorRate: 1 });
    expect(r.body.code).toBe(200);
    const failed = await server.signed(dev, 'POST', '/open/test/product/probe', { body: { itemId } });
    expect(failed.status).toBe(502);
    expect(failed.body).toMatchObject({ code: 50201, data: null });
    expect(failed.body.msg).toMatch(/upstream/i);

    r = await server.admin('PUT', '/sandbox/faults/getProduct', { timeoutRate: 1 });
    const timedOut = await server.signed(dev, 'POST', '/open/test/product/probe', { body: { itemId } });
    expect(timedOut.status).toBe(504);
    expect(timedOut.body.code).toBe(50401);

    r = await server.admin('PUT', '/sandbox/faults/getProduct', { latencyMs: 60 });
    const started = Date.now();
    expect((await server.signed(dev, 'POST', '/open/test/product/probe', { body: { itemId } })).body.code).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(55);

    const list = await server.admin<{ list: { operation: string }[] }>('GET', '/sandbox/faults');
    expect(list.body.data.list.map((f) => f.operation)).toEqual(['getProduct']);
    expect((await server.admin('DELETE', '/sandbox/faults')).body.data).toEqual({ removed: 1 });
    expect((await server.signed(dev, 'POST', '/open/test/product/probe', { body: { itemId } })).body.code).toBe(200);
  });

  it('refuses unknown operations and rates outside 0..1, naming the field', async () => {
    let r = await server.admin('PUT', '/sandbox/faults/stealMoney', { errorRate: 1 });
    expect(r.body.code).toBe(40001);
    expect(r.body.msg).toMatch(/operation/);
    r = await server.admin('PUT', '/sandbox/faults/search', { errorRate: 2 });
    expect(r.body.code).toBe(40001);
    expect(r.body.msg).toMatch(/errorRate/);
    r = await server.admin('PUT', '/sandbox/policy', { priceModifyPercent: [5, -5] });
    expect(r.body.code).toBe(40001);
    expect(r.body.msg).toMatch(/priceModifyPercent/);
  });

  it('serves product pictures: JPEG by default, WebP and SKU colours on request, 304 on a matching ETag', async () => {
    const product = await server.deps.market.taobao.getProduct(itemId);
    const main = await fetch(product?.mainImageUrl ?? '');
    expect(main.status).toBe(200);
    expect(main.headers.get('content-type')).toBe('image/jpeg');
    const bytes = Buffer.from(await main.arrayBuffer());
    const meta = await sharp(bytes).metadata();
    expect(meta.format).toBe('jpeg');
    expect(meta.width).toBeGreaterThanOrEqual(400);

    const etag = main.headers.get('etag') ?? '';
    const again = await fetch(product?.mainImageUrl ?? '', { headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);

    const sku = product?.skus[0];
    const webp = await fetch((sku?.imageUrl ?? '').replace(/\.jpg$/, '.webp'));
    expect(webp.headers.get('content-type')).toBe('image/webp');

    const missing = await server.request('GET', `/sandbox/images/taobao/${itemId}/0-notacolour.jpg`);
    expect(missing.status).toBe(404);
    expect(missing.body.code).toBe(40401);
  });

  it('drives sellers now: ship, change a price, agree a refund; and lists the events', async () => {
    const product = await server.deps.market.taobao.getProduct(itemId);
    const sku = product?.skus.find((s) => s.stock >= 5);
    await server.admin('PUT', '/sandbox/policy', { priceModifyRate: 0, refundDecision: 'refuse' });
    const [order] = await server.deps.market.taobao.createOrder({
      lines: [{ productId: itemId, skuId: sku?.skuId, quantity: 1 }],
      address: ADDRESS,
      buyerId: dev.userId,
      clientRef: 'control-1',
    });
    const orderId = order?.orderId ?? '';

    const priced = await server.admin<{ totalFen: number }>('POST', `/sandbox/taobao/orders/${orderId}/price`, {
      totalFen: 1234,
    });
    expect(priced.body.data.totalFen).toBe(1234);
    expect(events.find((e) => e.type === 'order.price_modified')?.data.newTotalFen).toBe(1234);

    const early = await server.admin('POST', `/sandbox/taobao/orders/${orderId}/ship`);
    expect(early.body.code).toBe(40901);

    await server.deps.market.taobao.payOrder(orderId, dev.userId, 1234);
    const shipped = await server.admin<{ status: string; lines: { trackingNo: string; carrierCode: string }[] }>(
      'POST',
      `/sandbox/taobao/orders/${orderId}/ship`,
      { carrierCode: 'ZTO', trackingNo: '78000000000001' },
    );
    expect(shipped.body.data.status).toBe('wait_buyer_receive');
    expect(shipped.body.data.lines[0]).toMatchObject({ carrierCode: 'ZTO', trackingNo: '78000000000001' });

    const advanced = await server.admin<{ actions: number }>('POST', '/sandbox/clock/advance', {
      seconds: 5 * 8 * 3600,
    });
    expect(advanced.body.data.actions).toBeGreaterThanOrEqual(1);
    const trace = await server.deps.market.taobao.logisticsTrace(orderId, dev.userId);
    expect(trace?.[0]?.steps.at(-1)?.status).toBe('SIGN');

    const refund = await server.deps.market.taobao.createRefund({
      orderId,
      lineId: order?.lines[0]?.lineId ?? '',
      buyerId: dev.userId,
      refundType: 'refund',
      goodsStatus: 'received',
      reasonId: '403769',
      amountFen: 100,
      clientRef: 'control-refund',
    });
    const agreed = await server.admin<{ status: string }>('POST', `/sandbox/taobao/refunds/${refund.refundId}/agree`);
    expect(agreed.body.data.status).toBe('success');
    const again = await server.admin('POST', `/sandbox/taobao/refunds/${refund.refundId}/refuse`);
    expect(again.body.code).toBe(40901);

    const listed = await server.admin<{ list: { type: string; seq: number }[] }>(
      'GET',
      `/sandbox/events?orderId=${orderId}`,
    );
    const types = listed.body.data.list.map((e) => e.type);
    expect(types).toEqual(
      expect.arrayContaining(['order.price_modified', 'order.shipped', 'logistics.updated', 'refund.agreed']),
    );
    expect(listed.body.data.list.length).toBeGreaterThanOrEqual(4);
    const after = listed.body.data.list[1]?.seq ?? 0;
    const later = await server.admin<{ list: { seq: number }[] }>(
      'GET',
      `/sandbox/events?orderId=${orderId}&afterSeq=${after}`,
    );
    // The two events up to `afterSeq` are left out and the rest kept.
    expect(later.body.data.list).toHaveLength(listed.body.data.list.length - 2);
    expect(later.body.data.list.every((e) => e.seq > after)).toBe(true);

    const unknown = await server.admin('POST', '/sandbox/1688/orders/999/ship');
    expect(unknown.body.code).toBe(40401);
  });

  it('changes stock and delists goods, which searches and orders then see', async () => {
    const product = await server.deps.market.taobao.getProduct(itemId);
    const r = await server.admin<{ totalStock: number }>('PUT', `/sandbox/taobao/goods/${itemId}/stock`, { stock: 0 });
    expect(r.body.data.totalStock).toBe(0);
    const preview = await server.deps.market.taobao.previewOrder({
      lines: [{ productId: itemId, skuId: product?.skus[0]?.skuId, quantity: 1 }],
      address: ADDRESS,
      buyerId: dev.userId,
    });
    expect(preview.groups[0]?.lines[0]?.problem).toBe('out_of_stock');

    const title = product?.title.en ?? '';
    const before = await server.deps.market.taobao.search({ keyword: title, page: 1, pageSize: 50 });
    expect(before.items.map((i) => i.productId)).toContain(itemId);
    expect((await server.admin('POST', `/sandbox/taobao/goods/${itemId}/delist`)).body.data).toEqual({
      productId: itemId,
      status: 'delisted',
    });
    const after = await server.deps.market.taobao.search({ keyword: title, page: 1, pageSize: 50 });
    expect(after.items.map((i) => i.productId)).not.toContain(itemId);
    expect((await server.deps.market.taobao.getProduct(itemId))?.status).toBe('delisted');
    await server.admin('POST', `/sandbox/taobao/goods/${itemId}/relist`);
    const back = await server.deps.market.taobao.search({ keyword: title, page: 1, pageSize: 50 });
    expect(back.items.map((i) => i.productId)).toContain(itemId);
    expect(events.filter((e) => e.type === 'product.changed' && e.productId === itemId).length).toBeGreaterThanOrEqual(
      3,
    );
  });

  it('moves the clock and sets its speed', async () => {
    const before = await server.admin<{ now: number }>('GET', '/sandbox/clock');
    const after = await server.admin<{ now: number; speed: number }>('POST', '/sandbox/clock/advance', {
      seconds: 3600,
    });
    expect(after.body.data.now - before.body.data.now).toBeGreaterThanOrEqual(3_600_000);
    const fast = await server.admin<{ speed: number }>('PUT', '/sandbox/clock', { speed: 60 });
    expect(fast.body.data.speed).toBe(60);
    const bad = await server.admin('POST', '/sandbox/clock/advance', { seconds: -1 });
    expect(bad.body.code).toBe(40001);
  });

  it('reseeds: the same seed gives the same catalog, another seed another one, and orders are forgotten', async () => {
    const first = await server.deps.market.alibaba.search({ keyword: '', page: 1, pageSize: 5, sort: 'price_asc' });
    const reset = await server.admin<{ seed: number; goodsPerPlatform: number }>('POST', '/sandbox/reset', {
      seed: 5,
      goods: 120,
    });
    expect(reset.body.data).toMatchObject({ seed: 5, goodsPerPlatform: 120, state: 'done', seededGoods: 240 });
    const same = await server.deps.market.alibaba.search({ keyword: '', page: 1, pageSize: 5, sort: 'price_asc' });
    expect(same.items).toEqual(first.items);
    const status = await server.admin<{ taobao: { orders: number } }>('GET', '/sandbox/status');
    expect(status.body.data.taobao.orders).toBe(0);

    await server.admin('POST', '/sandbox/reset', { seed: 6 });
    const other = await server.deps.market.alibaba.search({ keyword: '', page: 1, pageSize: 5, sort: 'price_asc' });
    expect(other.items.map((i) => i.productId)).not.toEqual(first.items.map((i) => i.productId));
  });
});

describe('a reset of a large catalog', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startServer({ env: { SANDBOX_GOODS: '60', SANDBOX_SEED: '3' } });
    server.deps.sandbox?.ensureSeeded();
  });
  afterAll(() => server.close());

  interface Job {
    jobId: string;
    state: string;
    seededGoods: number;
    totalGoods: number;
  }
  type Status = { catalog: { goodsPerPlatform: number }; taobao: { goods: number } };

  it('seeds in a worker thread: the server answers meanwhile, from the old catalog, and one reset runs at a time', async () => {
    // 20,000 goods in all: seconds of work, which on the event loop would have held up everything else.
    const started = await server.admin<Job>('POST', '/sandbox/reset', { goods: 10_000, seed: 4, wait: false });
    expect(started.body.data).toMatchObject({ state: 'running', totalGoods: 20_000 });
    const { jobId } = started.body.data;

    const health = await server.request<{ status: string }>('GET', '/healthz');
    expect(health.body.data.status).toBe('ok');
    const during = await server.admin<Status>('GET', '/sandbox/status');
    const again = await server.admin('POST', '/sandbox/reset', { goods: 10 });
    const change = await server.admin('PUT', '/sandbox/faults/getProduct', { errorRate: 1 });
    const job = await server.admin<Job>('GET', `/sandbox/reset/${jobId}`);
    // Still running after the other requests were answered: seeding did not hold up the event loop.
    expect(job.body.data.state).toBe('running');
    expect(during.body.data).toMatchObject({ catalog: { goodsPerPlatform: 60 }, taobao: { goods: 60 } });
    expect(again.body.code).toBe(40901);
    // Changes wait for the new catalog: refused in the envelope, not failed on a busy store.
    expect(change.status).toBe(409);
    expect(change.body.msg).toContain('being reset');

    const state = await waitFor(
      async () => {
        const latest = (await server.admin<Job>('GET', `/sandbox/reset/${jobId}`)).body.data;
        return latest.state === 'running' ? null : latest;
      },
      { timeoutMs: 150_000, intervalMs: 100, message: 'the reset to finish' },
    );
    expect(state).toMatchObject({ state: 'done', seededGoods: 20_000 });
    const after = await server.admin<Status>('GET', '/sandbox/status');
    expect(after.body.data).toMatchObject({ catalog: { goodsPerPlatform: 10_000 }, taobao: { goods: 10_000 } });
    const page = await server.deps.market.taobao.search({ keyword: '', page: 1, pageSize: 1 });
    expect(page.total).toBe(10_000);

    expect((await server.admin('GET', '/sandbox/reset/nosuchjob')).body.code).toBe(40401);
  }, 180_000);
});

describe('product pictures when the drawing threads are full', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startServer({
      env: { SANDBOX_GOODS: '20', SANDBOX_PICTURE_WORKERS: '1', SANDBOX_PICTURE_QUEUE: '0' },
    });
  });
  afterAll(() => server.close());

  it('answers 503 with Retry-After at once rather than queueing without end', async () => {
    const page = await server.deps.market.taobao.search({ keyword: '', page: 1, pageSize: 6 });
    const replies = await Promise.all(
      page.items.map((item) => server.request('GET', `/sandbox/images/taobao/${item.productId}/0.png`)),
    );
    const busy = replies.filter((r) => r.status === 503);
    expect(replies.some((r) => r.status === 200)).toBe(true);
    expect(busy.length).toBeGreaterThan(0);
    expect(busy[0]?.body.code).toBe(50301);
    expect(busy[0]?.headers.get('retry-after')).toBe('1');
  });
});
