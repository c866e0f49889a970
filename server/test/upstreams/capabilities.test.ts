import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AlibabaProvider } from '../../src/providers/alibaba.js';
import { AopGateway } from '../../src/providers/aop/gateway.js';
import { AOP_CAPABILITIES, AOP_UPSTREAM, createAopProvider } from '../../src/providers/aop/provider.js';
import { UpstreamUnsupportedError } from '../../src/providers/errors.js';
import { type CallOptions, type MarketProvider, PROVIDER_OPERATIONS } from '../../src/providers/market.js';
import { SandboxMarket } from '../../src/providers/sandbox/sandbox.js';
import type { TaobaoProvider } from '../../src/providers/taobao.js';
import { IopClient } from '../../src/providers/taobao-global/gateway.js';
import {
  createTaobaoGlobalProvider,
  TAOBAO_GLOBAL_CAPABILITIES,
  TAOBAO_GLOBAL_UPSTREAM,
} from '../../src/providers/taobao-global/provider.js';
import { FixedTokenSource } from '../../src/providers/tokens.js';
import { buildFakeUpstreams, type FakeUpstreams } from '../../src/upstream-fakes/serve.js';
import { quiet, WAREHOUSE } from './fixtures.js';

/**
 * The capability tables the README prints (docs/adr/0016), checked against the assembled providers over the fakes:
 * every operation of the platform's interface is in its table; an operation marked unsupported answers the
 * documented `UpstreamUnsupportedError` naming the operation and the upstream, before any call; a mapped one is
 * answered through the gateway by an API its entry names.
 */

const MEMBER = 'b2b-2207000009';
const ACCOUNT = { account: 'capabilities-distributor', userId: '2200000000019' };

let market: SandboxMarket;
let fakes: FakeUpstreams;
let aop: AlibabaProvider;
let taobao: TaobaoProvider;

beforeAll(async () => {
  market = new SandboxMarket({
    file: ':memory:',
    baseUrl: () => 'http://market.test',
    catalog: { seed: 9, goodsPerPlatform: 80 },
  });
  market.ensureSeeded();
  const apps = { aop: { appKey: '8100001', appSecret: 'cap-aop' }, taobao: { appKey: '510001', appSecret: 'cap-iop' } };
  fakes = buildFakeUpstreams({
    market,
    aop: { ...apps.aop, member: MEMBER },
    taobao: { ...apps.taobao, account: ACCOUNT },
  });
  const urls = await fakes.listen();
  const gateway = new AopGateway({ baseUrl: urls.aop, ...apps.aop, now: Date.now, log: quiet });
  aop = createAopProvider({
    gateway,
    tokens: new FixedTokenSource(AOP_UPSTREAM, fakes.aop.issueToken(MEMBER).accessToken),
    language: 'en',
  });
  const client = new IopClient({ baseUrl: urls.taobao, ...apps.taobao, now: Date.now, log: quiet });
  const token = await client.createToken(fakes.taobao.issueCode(ACCOUNT.account));
  taobao = createTaobaoGlobalProvider({
    client,
    tokens: new FixedTokenSource(TAOBAO_GLOBAL_UPSTREAM, token.accessToken),
    language: 'en',
    now: Date.now,
    chatAccount: async () => ({ loginName: ACCOUNT.account, password: 'any' }),
  });
}, 60_000);
afterAll(async () => {
  await fakes?.close();
  await market?.close();
});

/** The operations of one platform's interface: the common ones and its own. */
function operationsOf(provider: MarketProvider): string[] {
  return Object.keys(PROVIDER_OPERATIONS).filter((op) => typeof (provider as never)[op] === 'function');
}

/** Plausible arguments for every operation: real goods of the market, and made-up ids where a lookup is enough. */
function argumentsFor(platform: 'taobao' | '1688', buyerId: string): Record<string, unknown[]> {
  const good = market.store.db
    .prepare(
      `select g.id as productId, s.sku_id as skuId from goods g join skus s on s.platform = g.platform and s.good_id = g.id
       where g.platform = ? and g.status = 'active' and s.stock > 10 limit 1`,
    )
    .get(platform) as { productId: string; skuId: string };
  const lines = [{ productId: good.productId, skuId: good.skuId, quantity: 1 }];
  const orderId = '9000000000000000001';
  const refundId = '9100000000000000001';
  return {
    getProduct: [good.productId],
    getProducts: [[good.productId]],
    getProductByMpId: ['1234'],
    search: [{ keyword: '', page: 1, pageSize: 5 }],
    imageSearch: [{ image: { url: 'https://img.alicdn.com/x.jpg' }, page: 1, pageSize: 5 }],
    searchShops: [{ keyword: 'x', page: 1, pageSize: 5 }],
    getShop: ['1'],
    getSupplier: ['seller-1'],
    wangwangUrl: ['seller-1'],
    chatUrl: [{ sourceType: 'item', bizId: good.productId, buyerId }],
    getCategory: [undefined],
    topCategories: [],
    recommend: [{ page: 1, pageSize: 5 }],
    related: [good.productId, { page: 1, pageSize: 5 }],
    marketingList: ['hot', { page: 1, pageSize: 5 }],
    previewOrder: [{ lines, address: WAREHOUSE, buyerId }],
    createOrder: [{ lines, address: WAREHOUSE, buyerId, clientRef: `cap-${platform}` }],
    payOrder: [orderId, buyerId, 100],
    cancelOrder: [{ orderId, buyerId, reason: 'buyerCancel' }],
    confirmReceipt: [orderId, buyerId],
    getOrder: [orderId, buyerId],
    ordersByClientRef: ['cap-none', buyerId],
    logisticsTrace: [orderId, buyerId],
    carriers: [],
    refundOptions: [orderId, '1', buyerId],
    createRefund: [
      {
        orderId,
        lineId: '1',
        buyerId,
        refundType: 'refund',
        goodsStatus: 'not_shipped',
        reasonId: '1',
        amountFen: 1,
        clientRef: 'cap-refund',
      },
    ],
    modifyRefund: [{ refundId, buyerId, amountFen: 1 }],
    cancelRefund: [refundId, buyerId],
    submitReturnShipment: [refundId, buyerId, { carrierCode: 'SF', trackingNo: 'SF1' }],
    getRefund: [refundId, buyerId],
    refundByClientRef: ['cap-refund', buyerId],
    addRefundMessage: [refundId, buyerId, { text: 'hello' }],
    refundMessages: [refundId, buyerId],
    orderRefunds: [orderId, buyerId],
  };
}

describe.each([
  {
    name: '1688 (AOP)',
    provider: () => aop as MarketProvider,
    table: AOP_CAPABILITIES as Record<string, { api: string } | { unsupported: string }>,
    upstream: AOP_UPSTREAM,
    buyer: MEMBER,
    calls: () => fakes.aopCalls.map((api) => api),
  },
  {
    name: 'Taobao Global (IOP)',
    provider: () => taobao as MarketProvider,
    table: TAOBAO_GLOBAL_CAPABILITIES as Record<string, { api: string } | { unsupported: string }>,
    upstream: TAOBAO_GLOBAL_UPSTREAM,
    buyer: ACCOUNT.account,
    calls: () => fakes.taobao.calls.map((c) => c.api),
  },
])('$name', ({ provider, table, upstream, buyer, calls }) => {
  it('lists every operation of its interface, and no other', () => {
    expect(Object.keys(table).sort()).toEqual(operationsOf(provider()).sort());
  });

  it('answers each operation as its table says', async () => {
    const p = provider();
    const args = argumentsFor(p.platform, buyer);
    for (const [operation, capability] of Object.entries(table)) {
      const before = calls().length;
      const call = (p as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>)[operation];
      const given = args[operation];
      if (!call || !given) throw new Error(`no call or arguments for ${operation}`);
      const outcome = await call.apply(p, [...given, {} satisfies CallOptions]).then(
        () => null,
        (err: unknown) => err,
      );
      const made = calls().slice(before);
      if ('unsupported' in capability) {
        expect(outcome, operation).toBeInstanceOf(UpstreamUnsupportedError);
        expect((outcome as UpstreamUnsupportedError).operation).toBe(operation);
        expect((outcome as UpstreamUnsupportedError).upstream).toBe(upstream);
        expect(made, `${operation} reached the gateway`).toEqual([]);
      } else {
        expect(outcome, `${operation}: ${String(outcome)}`).not.toBeInstanceOf(UpstreamUnsupportedError);
        // Answered through the gateway, by an API its entry names (a lookup of an unknown id asks too).
        const named = capability.api.split(' + ').map((a) => a.replace(/[,(].*$/, '').trim());
        expect(
          made.some((api) => named.includes(api)),
          `${operation} called ${made.join(', ') || 'nothing'}, its table names ${named.join(', ')}`,
        ).toBe(true);
      }
    }
  }, 60_000);
});
