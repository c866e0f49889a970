import type { SandboxMarket } from '../../src/providers/sandbox/sandbox.js';
import type { ShippingAddress } from '../../src/providers/types.js';
import type { AopFake } from '../../src/upstream-fakes/aop/fake.js';
import { buildFakeUpstreams } from '../../src/upstream-fakes/serve.js';

/** What the upstream gateways' tests share: a log that keeps quiet, and the consolidation warehouse as the receiver. */

export const quiet = { info: () => {}, warn: () => {} };

/** Ponte's warehouse in China, where marketplace orders are delivered. */
export const WAREHOUSE: ShippingAddress = {
  receiver: 'Ponte Warehouse',
  phone: '13800000000',
  province: '广东省',
  city: '东莞市',
  district: '虎门镇',
  address: '集货仓 1 号',
  postcode: '523900',
};

/**
 * The 1688 gateway's fake over `market`, listening on loopback: every business API it has (`buildFakeUpstreams`'s),
 * the APIs it answered in order, and its base URL.
 */
export async function aopFakeOver(
  market: SandboxMarket,
  app: { appKey: string; appSecret: string },
  member: string,
): Promise<{ fake: AopFake; calls: readonly string[]; baseUrl: string }> {
  const fakes = buildFakeUpstreams({
    market,
    aop: { ...app, member },
    // Not listened on: these tests need 1688's gateway only.
    taobao: { appKey: 'unused', appSecret: 'unused', account: { account: 'unused', userId: '0' } },
  });
  return { fake: fakes.aop, calls: fakes.aopCalls, baseUrl: await fakes.aop.listen() };
}
