import type { AppDeps } from '../../platform/deps.js';
import type { StartReport } from '../../platform/module.js';

/**
 * The sandbox market's start-up, when it is this server's upstream: the catalog seeded on a first
 * start, and the search indexes loaded before the server listens (seconds at a million goods).
 */
export async function startSandbox(deps: AppDeps, report: StartReport): Promise<void> {
  const sandbox = deps.sandbox;
  if (!sandbox) return;
  const started = Date.now();
  if (sandbox.ensureSeeded()) {
    const { goods, seed, file } = deps.config.sandbox;
    deps.log.info({ goodsPerPlatform: goods, seed, ms: Date.now() - started }, 'sandbox market seeded');
    report(`The sandbox market has ${goods} goods on Taobao and ${goods} on 1688 (seed ${seed}), in ${file}.\n`);
  }
  const indexing = Date.now();
  sandbox.searchIndex('taobao');
  sandbox.searchIndex('1688');
  deps.log.info({ ms: Date.now() - indexing }, 'sandbox market indexes loaded');
}

/** The simulated sellers act on the market clock, in processes that run background work. */
export function runSandboxSellers(deps: AppDeps): () => Promise<void> {
  const sandbox = deps.sandbox;
  if (!sandbox) return async () => {};
  sandbox.start(1000, (err) => deps.log.error({ err }, 'sandbox market tick failed'));
  return () => sandbox.stop();
}
