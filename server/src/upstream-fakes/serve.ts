import type { SandboxMarket } from '../providers/sandbox/sandbox.js';
import { type AopFake, type AopFakeOptions, buildAopFake } from './aop/fake.js';
import { aopGoodsHandlers } from './aop/goods-handlers.js';
import { aopOrderHandlers } from './aop/order-handlers.js';
import { aopRefundHandlers } from './aop/refund-handlers.js';
import { buildIopFake, type IopFake, type IopFakeAccount } from './taobao-global/fake.js';
import { goodsHandlers } from './taobao-global/goods-handlers.js';
import { orderHandlers } from './taobao-global/order-handlers.js';
import { refundHandlers } from './taobao-global/refund-handlers.js';

/**
 * Both marketplaces' gateways, faked over one sandbox market (docs/adr/0016): what `ponte fake-upstream` serves for
 * local development, and what the tests point the real providers at. Each fake keeps its gateway's protocol
 * (signatures, tokens, envelopes, errors); its business answers come from the market, so the sandbox's sellers
 * (their policy, the control API) act on the orders placed through it.
 */

export interface FakeApp {
  appKey: string;
  appSecret: string;
}

export interface FakeUpstreamsOptions {
  market: SandboxMarket;
  aop: FakeApp & {
    /** The 1688 member the app acts for: the buyer of its orders, and who `/oauth/authorize` signs in as. */
    member: string;
    accessTokenTtlMs?: number;
    /** This fake's own clock (its tokens expire by it), when it differs from `now`. */
    now?: () => number;
  };
  taobao: FakeApp & {
    /** The distributor account the app acts for. */
    account: IopFakeAccount;
    accessTokenTtlSeconds?: number;
  };
  now?: () => number;
}

export interface FakeUpstreams {
  aop: AopFake;
  /** The business APIs the 1688 fake answered, by `namespace:name`, in order (the Taobao fake keeps `calls`). */
  readonly aopCalls: readonly string[];
  taobao: IopFake;
  /** Starts both (on loopback and free ports unless given); answers their base URLs. */
  listen(ports?: { aop?: number; taobao?: number }, host?: string): Promise<{ aop: string; taobao: string }>;
  close(): Promise<void>;
}

export function buildFakeUpstreams(options: FakeUpstreamsOptions): FakeUpstreams {
  const { market } = options;
  const now = options.now ?? Date.now;
  const refundIdsOf = (buyer: string) =>
    (
      market.store.db.prepare("select refund_id from refunds where platform = '1688' and buyer_id = ?").all(buyer) as {
        refund_id: string;
      }[]
    ).map((r) => r.refund_id);
  const aopCalls: string[] = [];
  const aopHandlers = {
    ...aopGoodsHandlers({ market: market.alibaba }),
    ...aopOrderHandlers({ market: market.alibaba }),
    ...aopRefundHandlers({ market: market.alibaba, refundIdsOf }),
  };
  for (const [api, spec] of Object.entries(aopHandlers)) {
    const handle = spec.handle;
    spec.handle = (params, ctx) => {
      aopCalls.push(api);
      return handle(params, ctx);
    };
  }
  const aopOptions: AopFakeOptions = {
    appKey: options.aop.appKey,
    appSecret: options.aop.appSecret,
    now: options.aop.now ?? now,
    authorizingMember: options.aop.member,
    accessTokenTtlMs: options.aop.accessTokenTtlMs,
    handlers: aopHandlers,
  };
  const aop = buildAopFake(aopOptions);
  const taobao = buildIopFake({
    appKey: options.taobao.appKey,
    appSecret: options.taobao.appSecret,
    now,
    accounts: [options.taobao.account],
    accessTokenTtlSeconds: options.taobao.accessTokenTtlSeconds,
    handlers: {
      ...goodsHandlers({ market: market.taobao }),
      ...orderHandlers({ market: market.taobao }),
      ...refundHandlers({ market: market.taobao }),
    },
  });
  return {
    aop,
    aopCalls,
    taobao,
    async listen(ports = {}, host = '127.0.0.1') {
      return { aop: await aop.listen(ports.aop ?? 0, host), taobao: await taobao.listen(ports.taobao ?? 0, host) };
    },
    async close() {
      await Promise.all([aop.close(), taobao.close()]);
    },
  };
}
