import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reconcileOnce, startReconciliation } from '../../../src/modules/upstreams/reconcile.js';
import { ManualClock } from '../../../src/platform/clock.js';
import { AopGateway } from '../../../src/providers/aop/gateway.js';
import { createAopProvider } from '../../../src/providers/aop/provider.js';
import { SandboxMarket } from '../../../src/providers/sandbox/sandbox.js';
import { IopClient } from '../../../src/providers/taobao-global/gateway.js';
import { createTaobaoGlobalProvider } from '../../../src/providers/taobao-global/provider.js';
import { FixedTokenSource } from '../../../src/providers/tokens.js';
import type { AopFake } from '../../../src/upstream-fakes/aop/fake.js';
import { type AopPushes, startAopPushes } from '../../../src/upstream-fakes/aop/pushes.js';
import { buildFakeUpstreams, type FakeUpstreams } from '../../../src/upstream-fakes/serve.js';
import type { IopFake } from '../../../src/upstream-fakes/taobao-global/fake.js';
import { type IopPushes, startIopPushes } from '../../../src/upstream-fakes/taobao-global/pushes.js';
import { type Credentials, startServer, type TestServer } from '../../harness.js';
import { quiet } from '../../upstreams/fixtures.js';
import { waitFor } from '../../wait.js';
import { RECEIVER } from '../orders/taobao-fixtures.js';

// Pushes from the real upstreams, end to end (docs/adr/0016-real-upstreams.md): Ponte runs on the real providers,
// which talk to the fake gateways, which answer from the same sandbox market the app's control API drives. A
// seller's action there becomes a signed push from the fake to Ponte's push route; Ponte reads the order again and
// its record moves. A lost push is recovered by one reconciliation pass.

const AOP_KEY = '8123456';
const AOP_SECRET = 'push-secret-aop';
const IOP_KEY = '500778';
const IOP_SECRET = 'push-secret-iop';
const MEMBER = 'b2b-2207000001';
const ACCOUNT = 'ponte-distributor';

let clock: ManualClock;
let market: SandboxMarket;
let aop: AopFake;
let iop: IopFake;
let fakes: FakeUpstreams;
let server: TestServer;
let dev: Credentials;
let aopPushes: AopPushes;
let iopPushes: IopPushes;

beforeAll(async () => {
  clock = new ManualClock(Date.now());
  market = new SandboxMarket({
    file: ':memory:',
    realNow: () => clock.now(),
    baseUrl: () => 'http://market.test',
    catalog: { seed: 4, goodsPerPlatform: 150 },
  });
  market.ensureSeeded();
  // Sellers keep their prices and ship only when the test says.
  market.policy.update({ priceModifyRate: 0, shipAfterMs: 30 * 86_400_000 });

  fakes = buildFakeUpstreams({
    market,
    now: Date.now,
    aop: { appKey: AOP_KEY, appSecret: AOP_SECRET, member: MEMBER },
    taobao: { appKey: IOP_KEY, appSecret: IOP_SECRET, account: { account: ACCOUNT, userId: '2200000000011' } },
  });
  ({ aop, taobao: iop } = fakes);
  const { aop: aopUrl, taobao: iopUrl } = await fakes.listen();
  const alibaba = createAopProvider({
    gateway: new AopGateway({ baseUrl: aopUrl, appKey: AOP_KEY, appSecret: AOP_SECRET, now: Date.now, log: quiet }),
    tokens: new FixedTokenSource('aop', aop.issueToken(MEMBER).accessToken),
    language: 'en',
  });

  const client = new IopClient({ baseUrl: iopUrl, appKey: IOP_KEY, appSecret: IOP_SECRET, now: Date.now, log: quiet });
  const iopToken = (await client.createToken(iop.issueCode(ACCOUNT))).accessToken;
  const taobao = createTaobaoGlobalProvider({
    client,
    tokens: new FixedTokenSource('taobao-global', iopToken),
    language: 'en',
    now: () => Date.now(),
  });

  server = await startServer({
    env: {
      UPSTREAM_1688: 'aop',
      AOP_GATEWAY_URL: aopUrl,
      AOP_APP_KEY: AOP_KEY,
      AOP_APP_SECRET: AOP_SECRET,
      UPSTREAM_TAOBAO: 'taobao-global',
      TAOBAO_GLOBAL_GATEWAY_URL: iopUrl,
      TAOBAO_GLOBAL_APP_KEY: IOP_KEY,
      TAOBAO_GLOBAL_APP_SECRET: IOP_SECRET,
      UPSTREAM_TIMEOUT_MS: '5000',
      RATE_LIMIT_PER_SECOND: '10000',
      RATE_LIMIT_BURST: '10000',
    },
    overrides: { clock, market: { alibaba, taobao }, sandbox: market },
  });
  aopPushes = startAopPushes({ fake: aop, market, url: `${server.baseUrl}/upstream/push/1688` });
  iopPushes = startIopPushes({ fake: iop, market, url: `${server.baseUrl}/upstream/push/taobao` });
  dev = await server.createDeveloper('Push buyer');
  const topUp = await server.admin('POST', `/admin/developers/${dev.developId}/topups`, {
    amount: 100_000_000,
    reference: 'push-test-topup',
  });
  expect(topUp.body.code, topUp.text).toBe(200);
}, 60_000);

afterAll(async () => {
  aopPushes?.stop();
  iopPushes?.stop();
  await server?.close();
  await fakes?.close();
  market?.close();
});

/** The upstream order id and status of a Ponte order's (only) part. */
async function partOf(orderId: string): Promise<{ upstreamOrderId: string; status: string }> {
  const row = await server.deps.database.db
    .selectFrom('order_parts')
    .select(['upstream_order_id as upstreamOrderId', 'status'])
    .where('order_id', '=', orderId)
    .executeTakeFirstOrThrow();
  return row;
}

/** How many upstream events the inbox holds about an upstream order. */
async function inboxCount(platform: '1688' | 'taobao', upstreamOrderId: string): Promise<number> {
  const row = await server.deps.database.db
    .selectFrom('upstream_inbox')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('platform', '=', platform)
    .where('object_key', '=', `order:${upstreamOrderId}`)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

async function ship(platform: '1688' | 'taobao', upstreamOrderId: string): Promise<void> {
  const r = await server.admin('POST', `/sandbox/${platform}/orders/${upstreamOrderId}/ship`, {});
  expect(r.body.code, r.text).toBe(200);
}

// -- 1688 -----------------------------------------------------------------------------------------

const ORDERABLE_1688 = `select g.id as offerId, s.sku_id as specId, g.min_order_quantity as moq
  from goods g join skus s on s.platform = g.platform and s.good_id = g.id
  where g.platform = '1688' and g.status = 'active' and s.stock >= 100 and g.min_order_quantity <= 5
  order by g.idx, s.sku_id limit 1 offset ?`;

let offers1688 = 0;

/** An unpaid 1688 order placed through Ponte's API: Ponte's id and the upstream's. */
async function new1688Order(): Promise<{ orderId: string; upstreamOrderId: string }> {
  const offer = market.store.db.prepare(ORDERABLE_1688).get(offers1688++) as {
    offerId: string;
    specId: string;
    moq: number;
  };
  const created = await server.signed<{ orderId: string }>(dev, 'POST', '/alibaba/order/create', {
    body: {
      flow: 'general',
      addressParam: {
        fullName: '张三',
        mobile: '15251667788',
        provinceText: '浙江省',
        cityText: '杭州市',
        areaText: '滨江区',
        address: '网商路699号',
      },
      cargoParamList: [{ offerId: offer.offerId, specId: offer.specId, quantity: Math.max(offer.moq, 2) }],
    },
  });
  expect(created.body.code, created.text).toBe(200);
  const { orderId } = created.body.data;
  return { orderId, upstreamOrderId: (await partOf(orderId)).upstreamOrderId };
}

/** A paid 1688 order placed through Ponte's API. */
async function paid1688Order(): Promise<{ orderId: string; upstreamOrderId: string }> {
  const order = await new1688Order();
  const pay = await server.signed(dev, 'GET', `/alibaba/order/pay/url?orderId=${order.orderId}`);
  expect(pay.body.code, pay.text).toBe(200);
  expect((await partOf(order.orderId)).status).toBe('waitsellersend');
  return order;
}

describe('1688 pushes', () => {
  it('moves the order when a signed push tells of the seller’s shipment, and records a redelivery once', async () => {
    const { orderId, upstreamOrderId } = await paid1688Order();
    const before = aopPushes.sent.length;
    await ship('1688', upstreamOrderId);
    const pushed = aopPushes.sent.slice(before);
    expect(pushed.map((p) => [p.topic, p.status])).toEqual([['ORDER_BUYER_VIEW_ANNOUNCE_SENDGOODS', 200]]);
    const recorded = await inboxCount('1688', upstreamOrderId);
    expect(recorded).toBe(1);
    await server.drainOutbox();
    expect((await partOf(orderId)).status).toBe('waitbuyerreceive');
    const line = await server.deps.database.db
      .selectFrom('order_lines')
      .select(['tracking_no', 'status'])
      .where('order_id', '=', orderId)
      .executeTakeFirstOrThrow();
    expect(line.tracking_no).toMatch(/\S/);

    // 1688 sends the same message again: confirmed, nothing new recorded.
    const again = await aopPushes.redeliver(pushed[0] as (typeof pushed)[number]);
    expect(again).toEqual({ status: 200, body: 'success' });
    expect(await inboxCount('1688', upstreamOrderId)).toBe(recorded);
  });

  it('refuses a push whose signature does not match, and records nothing', async () => {
    const { orderId, upstreamOrderId } = await paid1688Order();
    aopPushes.setDropping(true);
    try {
      await ship('1688', upstreamOrderId);
    } finally {
      aopPushes.setDropping(false);
    }
    const message = JSON.stringify({
      msgId: 1,
      type: 'ORDER_BUYER_VIEW_ANNOUNCE_SENDGOODS',
      userInfo: MEMBER,
      gmtBorn: Date.now(),
      data: { orderId: upstreamOrderId, currentStatus: 'waitbuyerreceive', buyerMemberId: MEMBER },
    });
    const forged = await fetch(`${server.baseUrl}/upstream/push/1688`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ message, _aop_signature: '0123456789ABCDEF0123456789ABCDEF01234567' }),
    });
    expect(forged.status).toBe(401);
    expect(await inboxCount('1688', upstreamOrderId)).toBe(0);
    await server.drainOutbox();
    expect((await partOf(orderId)).status).toBe('waitsellersend');
  });

  it('recovers a lost push in one reconciliation pass, and a late delivery of it changes nothing', async () => {
    const { orderId, upstreamOrderId } = await paid1688Order();
    const before = aopPushes.sent.length;
    aopPushes.drop(1);
    await ship('1688', upstreamOrderId);
    const lost = aopPushes.sent.slice(before);
    expect(lost.map((p) => p.status)).toEqual(['dropped']);
    await server.drainOutbox();
    expect((await partOf(orderId)).status).toBe('waitsellersend');

    const reports = await reconcileOnce(server.deps);
    expect(reports.find((r) => r.platform === '1688')).toMatchObject({ failed: 0 });
    expect(await inboxCount('1688', upstreamOrderId)).toBe(1);
    await server.drainOutbox();
    expect((await partOf(orderId)).status).toBe('waitbuyerreceive');

    // The lost message arrives after all: the reconciliation already recorded its change.
    expect((await aopPushes.redeliver(lost[0] as (typeof lost)[number])).status).toBe(200);
    expect(await inboxCount('1688', upstreamOrderId)).toBe(1);
    // A second pass finds nothing new.
    const again = await reconcileOnce(server.deps);
    expect(again.every((r) => r.recorded === 0)).toBe(true);
  });
});

describe('1688 pushes, more changes', () => {
  it('applies a seller’s price change before payment', async () => {
    const { orderId, upstreamOrderId } = await new1688Order();
    const before = await server.deps.database.db
      .selectFrom('orders')
      .select('total_fen')
      .where('id', '=', orderId)
      .executeTakeFirstOrThrow();
    const total = Number(before.total_fen) - 100;
    const r = await server.admin('POST', `/sandbox/1688/orders/${upstreamOrderId}/price`, { totalFen: total });
    expect(r.body.code, r.text).toBe(200);
    expect(aopPushes.sent.at(-1)).toMatchObject({ topic: 'ORDER_BUYER_VIEW_ORDER_PRICE_MODIFY', status: 200 });
    await server.drainOutbox();
    const after = await server.deps.database.db
      .selectFrom('orders')
      .select(['total_fen', 'adjust_fen'])
      .where('id', '=', orderId)
      .executeTakeFirstOrThrow();
    expect([Number(after.total_fen), Number(after.adjust_fen)]).toEqual([total, -100]);
  });

  it('answers 503 while the order cannot be read, so that 1688 pushes again, and records it when it can', async () => {
    const { orderId, upstreamOrderId } = await paid1688Order();
    aopPushes.drop(1);
    await ship('1688', upstreamOrderId);
    const lost = aopPushes.sent.at(-1);
    if (!lost) throw new Error('no message');
    aop.setRateLimited(true);
    try {
      expect((await aopPushes.redeliver(lost)).status).toBe(503);
    } finally {
      aop.setRateLimited(false);
    }
    expect(await inboxCount('1688', upstreamOrderId)).toBe(0);
    expect(await aopPushes.redeliver(lost)).toEqual({ status: 200, body: 'success' });
    await server.drainOutbox();
    expect((await partOf(orderId)).status).toBe('waitbuyerreceive');
  });

  it('recovers a refund decision whose pushes were lost, and credits it once', async () => {
    const { orderId } = await paid1688Order();
    const reasons = await server.signed<{ maxApplyPayment: number; reasons: { id: string }[] }>(
      dev,
      'POST',
      '/alibaba/refund/reason/list',
      { body: { orderId, goodsStatus: 'refundWaitSellerSend' } },
    );
    expect(reasons.body.code, reasons.text).toBe(200);
    const applyPayment = reasons.body.data.maxApplyPayment - 100;
    const created = await server.signed<{ refundId: string }>(dev, 'POST', '/alibaba/refund/detail/create', {
      body: {
        orderId,
        disputeRequest: 'refund',
        applyPayment,
        applyCarriage: 0,
        applyReasonId: reasons.body.data.reasons[0]?.id,
        description: '不想要了，请退款',
        goodsStatus: 'refundWaitSellerSend',
      },
    });
    expect(created.body.code, created.text).toBe(200);
    const refundOf = () =>
      server.deps.database.db
        .selectFrom('refunds')
        .select(['upstream_refund_id', 'status', 'credited_fen'])
        .where('id', '=', created.body.data.refundId)
        .executeTakeFirstOrThrow();
    const upstreamRefundId = (await refundOf()).upstream_refund_id;
    expect(upstreamRefundId).toBeTruthy();

    aopPushes.setDropping(true);
    try {
      const agree = await server.admin('POST', `/sandbox/1688/refunds/${upstreamRefundId}/agree`, {});
      expect(agree.body.code, agree.text).toBe(200);
    } finally {
      aopPushes.setDropping(false);
    }
    await server.drainOutbox();
    expect((await refundOf()).status).toBe('wait_seller_agree');

    await reconcileOnce(server.deps);
    await server.drainOutbox();
    expect(await refundOf()).toMatchObject({ status: 'success', credited_fen: applyPayment });
    // The lost messages arrive after all: nothing more is recorded or credited.
    const inbox = await inboxCount('1688', (await partOf(orderId)).upstreamOrderId);
    for (const lost of aopPushes.undelivered.filter((m) => m.topic.includes('REFUND'))) {
      expect((await aopPushes.redeliver(lost)).status).toBe(200);
    }
    await server.drainOutbox();
    expect(await inboxCount('1688', (await partOf(orderId)).upstreamOrderId)).toBe(inbox);
    expect(await refundOf()).toMatchObject({ status: 'success', credited_fen: applyPayment });
  });
});

// -- Taobao Global --------------------------------------------------------------------------------

const ORDERABLE_TAOBAO = `select g.id as itemId, min(s.sku_id) as skuId from goods g
  join skus s on s.platform = g.platform and s.good_id = g.id
  where g.platform = 'taobao' and g.status = 'active' and g.mp_id is not null and s.mp_sku_id is not null
    and s.stock >= 50 and g.min_order_quantity <= 1
  group by g.id order by g.id limit 1 offset ?`;

let skusTaobao = 0;

/** A paid Taobao order placed through Ponte's API (one seller): Ponte's id and the upstream's. */
async function paidTaobaoOrder(): Promise<{ orderId: string; upstreamOrderId: string }> {
  const sku = market.store.db.prepare(ORDERABLE_TAOBAO).get(skusTaobao++) as { itemId: string; skuId: string };
  const created = await server.signed<{ orderId: string }>(dev, 'POST', '/open/order', {
    body: {
      orderLineList: [{ itemId: sku.itemId, skuId: sku.skuId, quantity: 1, orderLineNo: '1' }],
      receiver: RECEIVER,
    },
  });
  expect(created.body.code, created.text).toBe(200);
  const { orderId } = created.body.data;
  const pay = await server.signed(dev, 'POST', '/open/order/pay', { body: { orderId } });
  expect(pay.body.code, pay.text).toBe(200);
  const part = await partOf(orderId);
  expect(part.status).toBe('WAIT_SELLER_SEND_GOODS');
  return { orderId, upstreamOrderId: part.upstreamOrderId };
}

describe('Taobao Global pushes', () => {
  it('moves the order when a signed push tells of the seller’s shipment, and records a redelivery once', async () => {
    const { orderId, upstreamOrderId } = await paidTaobaoOrder();
    const before = iopPushes.sent.length;
    await ship('taobao', upstreamOrderId);
    const pushed = iopPushes.sent.slice(before);
    expect(pushed.map((p) => [p.messageType, p.status])).toEqual([[3, 200]]);
    const recorded = await inboxCount('taobao', upstreamOrderId);
    expect(recorded).toBe(1);
    await server.drainOutbox();
    expect((await partOf(orderId)).status).toBe('WAIT_BUYER_CONFIRM_GOODS');

    expect((await iopPushes.redeliver(pushed[0] as (typeof pushed)[number])).status).toBe(200);
    expect(await inboxCount('taobao', upstreamOrderId)).toBe(recorded);
  });

  it('refuses a push whose signature does not match, and records nothing', async () => {
    const { orderId, upstreamOrderId } = await paidTaobaoOrder();
    iopPushes.setDropping(true);
    try {
      await ship('taobao', upstreamOrderId);
    } finally {
      iopPushes.setDropping(false);
    }
    const body = `{"seller_id":"2100000927014","message_type":3,"data":{"purchase_id":${upstreamOrderId},"status":"WAIT_BUYER_CONFIRM_GOODS"},"timestamp":1650939687,"site":"taobao_hk"}`;
    const forged = await fetch(`${server.baseUrl}/upstream/push/taobao`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'ab'.repeat(32) },
      body,
    });
    expect(forged.status).toBe(401);
    const unsigned = await fetch(`${server.baseUrl}/upstream/push/taobao`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    expect(unsigned.status).toBe(401);
    expect(await inboxCount('taobao', upstreamOrderId)).toBe(0);
    await server.drainOutbox();
    expect((await partOf(orderId)).status).toBe('WAIT_SELLER_SEND_GOODS');
  });

  it('recovers a lost push in one reconciliation pass', async () => {
    const { orderId, upstreamOrderId } = await paidTaobaoOrder();
    iopPushes.drop(1);
    await ship('taobao', upstreamOrderId);
    await server.drainOutbox();
    expect((await partOf(orderId)).status).toBe('WAIT_SELLER_SEND_GOODS');

    const reports = await reconcileOnce(server.deps);
    expect(reports.find((r) => r.platform === 'taobao')).toMatchObject({ failed: 0 });
    expect(await inboxCount('taobao', upstreamOrderId)).toBe(1);
    await server.drainOutbox();
    expect((await partOf(orderId)).status).toBe('WAIT_BUYER_CONFIRM_GOODS');
  });
});

describe('the scheduled reconciliation', () => {
  it('runs a pass every interval, one at a time, until stopped', async () => {
    const { orderId, upstreamOrderId } = await paidTaobaoOrder();
    iopPushes.drop(1);
    await ship('taobao', upstreamOrderId);
    const config = server.deps.config;
    const fast = { ...config, upstreams: { ...config.upstreams, reconcileIntervalMs: 20 } };
    const stop = startReconciliation({ ...server.deps, config: fast });
    try {
      await waitFor(() => inboxCount('taobao', upstreamOrderId), {
        message: 'the reconciliation to record the shipment',
      });
    } finally {
      await stop();
    }
    await server.drainOutbox();
    expect((await partOf(orderId)).status).toBe('WAIT_BUYER_CONFIRM_GOODS');
  });
});

describe('push routes of a platform on the sandbox', () => {
  it('answer 404', async () => {
    const sandboxServer = await startServer({ env: { SANDBOX_GOODS: '20' } });
    try {
      for (const platform of ['1688', 'taobao']) {
        const r = await fetch(`${sandboxServer.baseUrl}/upstream/push/${platform}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: '{}',
        });
        expect(r.status, platform).toBe(404);
      }
    } finally {
      await sandboxServer.close();
    }
  });
});
