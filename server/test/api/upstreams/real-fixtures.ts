import { randomBytes } from 'node:crypto';
import { PonteAdminClient, PonteClient } from '@ponte/sdk';
import { expect } from 'vitest';
import { SecretBox } from '../../../src/platform/crypto/secret-box.js';
import { SandboxMarket } from '../../../src/providers/sandbox/sandbox.js';
import { type AopPushes, startAopPushes } from '../../../src/upstream-fakes/aop/pushes.js';
import { buildFakeUpstreams, type FakeUpstreams } from '../../../src/upstream-fakes/serve.js';
import { type IopPushes, startIopPushes } from '../../../src/upstream-fakes/taobao-global/pushes.js';
import { type Credentials, startServer, type TestServer } from '../../harness.js';
import { waitFor } from '../../wait.js';

/**
 * A Ponte server whose two platforms are on their real providers (`UPSTREAM_1688=aop`,
 * `UPSTREAM_TAOBAO=taobao-global`), pointed over HTTP at the protocol-faithful fakes of both gateways, which answer
 * from a sandbox market: the same market the server's sandbox control API acts on, so that a test makes sellers act
 * as it does with the sandbox itself.
 */

export const AOP_APP = { appKey: '8123456', appSecret: 'aop-app-secret-Qw9' };
export const IOP_APP = { appKey: '512345', appSecret: 'iop-app-secret-Zx3' };
const MASTER_KEY = randomBytes(32);
export const MEMBER = 'b2b-2207000001';
export const DISTRIBUTOR = { account: 'ponte-distributor', userId: '2200000000011' };

export interface RealUpstreamServer {
  server: TestServer;
  market: SandboxMarket;
  fakes: FakeUpstreams;
  urls: { aop: string; taobao: string };
  /** How far the 1688 fake's clock runs ahead of real time (its tokens expire by it). */
  aopSkew: { ms: number };
  dev: Credentials;
  client: PonteClient;
  admin: PonteAdminClient;
  /** The operator authorises Ponte on the platform's account: the authorise URL, the browser's round trip. */
  authorize(platform: '1688' | 'taobao'): Promise<void>;
  /** The fakes' pushes to Ponte's push routes, as each upstream sends them. */
  pushes: { aop: AopPushes; taobao: IopPushes };
  /** Runs the outbox until `condition` holds (pushes arrive on their own time). */
  until<T>(condition: () => Promise<T>, what: string): Promise<NonNullable<T>>;
  close(): Promise<void>;
}

export async function startRealUpstreamServer(env: Record<string, string> = {}): Promise<RealUpstreamServer> {
  const market = new SandboxMarket({
    file: ':memory:',
    realNow: () => Date.now(),
    baseUrl: () => 'http://market.test',
    catalog: { seed: 4, goodsPerPlatform: 150 },
  });
  market.ensureSeeded();
  // No surprise price changes, and sellers ship when a test says so.
  market.policy.update({ priceModifyRate: 0, shipAfterMs: 10 * 365 * 86_400_000 });
  const aopSkew = { ms: 0 };
  const fakes = buildFakeUpstreams({
    market,
    // The 1688 fake's clock can be moved ahead so that its tokens expire (the Taobao fake checks request times).
    aop: { ...AOP_APP, member: MEMBER, now: () => Date.now() + aopSkew.ms },
    taobao: { ...IOP_APP, account: DISTRIBUTOR },
  });
  const urls = await fakes.listen();
  const server = await startServer({
    env: {
      UPSTREAM_1688: 'aop',
      AOP_GATEWAY_URL: urls.aop,
      AOP_AUTH_URL: urls.aop,
      AOP_APP_KEY: AOP_APP.appKey,
      AOP_APP_SECRET: AOP_APP.appSecret,
      UPSTREAM_TAOBAO: 'taobao-global',
      TAOBAO_GLOBAL_GATEWAY_URL: urls.taobao,
      TAOBAO_GLOBAL_AUTH_URL: urls.taobao,
      TAOBAO_GLOBAL_APP_KEY: IOP_APP.appKey,
      // Given sealed with the master key (`ponte upstream seal-secret`): the server opens it.
      PONTE_MASTER_KEY: MASTER_KEY.toString('base64'),
      TAOBAO_GLOBAL_APP_SECRET: new SecretBox(MASTER_KEY).seal(IOP_APP.appSecret),
      UPSTREAM_TIMEOUT_MS: '5000',
      UPSTREAM_RETRY_BASE_MS: '5',
      RATE_LIMIT_PER_SECOND: '10000',
      RATE_LIMIT_BURST: '10000',
      ...env,
    },
    overrides: { sandbox: market },
  });
  const pushes = {
    aop: startAopPushes({ fake: fakes.aop, market, url: `${server.baseUrl}/upstream/push/1688` }),
    taobao: startIopPushes({ fake: fakes.taobao, market, url: `${server.baseUrl}/upstream/push/taobao` }),
  };
  const dev = await server.createDeveloper('Real upstreams');
  const client = new PonteClient({ baseUrl: server.baseUrl, ...dev });
  const admin = new PonteAdminClient({ baseUrl: server.baseUrl, token: server.deps.adminToken });
  return {
    server,
    market,
    fakes,
    urls,
    aopSkew,
    dev,
    client,
    admin,
    pushes,
    until(condition, what) {
      return waitFor(
        async () => {
          await server.drainOutbox();
          return condition();
        },
        { timeoutMs: 10_000, message: what },
      );
    },
    async authorize(platform) {
      const started = await server.admin<{ url: string; redirectUri: string }>(
        'POST',
        `/admin/upstreams/${platform}/authorize`,
      );
      expect(started.body.code, started.text).toBe(200);
      // The account owner's browser: the upstream's page sends it back to Ponte's callback with a code.
      const page = await fetch(started.body.data.url, { redirect: 'manual' });
      expect(page.status).toBe(302);
      const back = page.headers.get('location') ?? '';
      expect(back.startsWith(started.body.data.redirectUri)).toBe(true);
      const landed = await fetch(back);
      expect(landed.status, await landed.clone().text()).toBe(200);
    },
    async close() {
      pushes.aop.stop();
      pushes.taobao.stop();
      await server.close();
      await fakes.close();
      await market.close();
    },
  };
}
