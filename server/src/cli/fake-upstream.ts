import path from 'node:path';
import type { Command } from 'commander';
import { loadConfig } from '../config.js';
import { SandboxMarket } from '../providers/sandbox/sandbox.js';
import { startAopPushes } from '../upstream-fakes/aop/pushes.js';
import { buildFakeUpstreams } from '../upstream-fakes/serve.js';
import { startIopPushes } from '../upstream-fakes/taobao-global/pushes.js';

/** The fakes' apps: fixed, so that a restarted fake keeps working with the settings it printed the first time. */
const AOP_APP = { appKey: '1000001', appSecret: 'fake-aop-app-secret' };
const IOP_APP = { appKey: '500001', appSecret: 'fake-taobao-global-app-secret' };

function port(name: string, raw: string): number {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new Error(`--${name}: expected a port number, got "${raw}"`);
  return n;
}

interface FakeUpstreamOptions {
  aopPort: string;
  taobaoPort: string;
  host: string;
  goods: string;
  seed: string;
  pushTo: string;
}

/**
 * `ponte fake-upstream`: both gateways' fakes (docs/adr/0016) over a sandbox market of their own
 * (`<PONTE_DATA_DIR>/fake-upstream.db`), for trying the real providers on a machine with no marketplace account.
 * Prints the settings that point a server at them, and runs until interrupted.
 */
export function registerFakeUpstreamCommand(program: Command): void {
  program
    .command('fake-upstream')
    .description("Run fakes of 1688's and Taobao Global's gateways over a sandbox market, for local development")
    .option('--aop-port <port>', "the 1688 gateway's port", '4688')
    .option('--taobao-port <port>', "the Taobao Global gateway's port", '4689')
    .option('--host <host>', 'the address to listen on', '127.0.0.1')
    .option('--goods <n>', 'goods per platform in the fakes’ market', '1000')
    .option('--seed <n>', 'the catalog’s random seed', '1')
    .option(
      '--push-to <url>',
      'the Ponte server the fakes push sellers’ actions to (its /upstream/push/1688 and /upstream/push/taobao)',
      `http://127.0.0.1:${process.env.PORT || 3000}`,
    )
    .action(async (opts: FakeUpstreamOptions) => {
      const config = loadConfig();
      const market = new SandboxMarket({
        file: path.join(config.dataDir, 'fake-upstream.db'),
        baseUrl: () => `http://${opts.host}:${opts.aopPort}`,
        catalog: { goodsPerPlatform: Number(opts.goods), seed: Number(opts.seed) },
      });
      market.ensureSeeded();
      const fakes = buildFakeUpstreams({
        market,
        aop: { ...AOP_APP, member: 'b2b-fake0000001' },
        taobao: { ...IOP_APP, account: { account: 'fake-distributor', userId: '2200000000001' } },
      });
      const urls = await fakes.listen(
        { aop: port('aop-port', opts.aopPort), taobao: port('taobao-port', opts.taobaoPort) },
        opts.host,
      );
      const ponte = opts.pushTo.replace(/\/+$/, '');
      const pushes = [
        startAopPushes({ fake: fakes.aop, market, url: `${ponte}/upstream/push/1688` }),
        startIopPushes({ fake: fakes.taobao, market, url: `${ponte}/upstream/push/taobao` }),
      ];
      const settings = [
        'UPSTREAM_1688=aop',
        `AOP_GATEWAY_URL=${urls.aop}`,
        `AOP_AUTH_URL=${urls.aop}`,
        `AOP_APP_KEY=${AOP_APP.appKey}`,
        `AOP_APP_SECRET=${AOP_APP.appSecret}`,
        'UPSTREAM_TAOBAO=taobao-global',
        `TAOBAO_GLOBAL_GATEWAY_URL=${urls.taobao}`,
        `TAOBAO_GLOBAL_AUTH_URL=${urls.taobao}`,
        `TAOBAO_GLOBAL_APP_KEY=${IOP_APP.appKey}`,
        `TAOBAO_GLOBAL_APP_SECRET=${IOP_APP.appSecret}`,
      ];
      process.stdout.write(
        `fake 1688 gateway (AOP):         ${urls.aop}\n` +
          `fake Taobao Global gateway (IOP): ${urls.taobao}\n` +
          `sellers' actions pushed to:      ${ponte}/upstream/push/{1688,taobao}\n\n` +
          `Point a server at them with:\n\n  ${settings.join(' \\\n  ')} \\\n  npm start\n\n` +
          'then authorise it: `ponte upstream authorize 1688` and `ponte upstream authorize taobao`.\n',
      );
      const stop = async () => {
        for (const p of pushes) p.stop();
        await fakes.close();
        await market.close();
        process.exit(0);
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
}
