import cluster from 'node:cluster';
import { buildApp, MODULES } from './app.js';
import { type Config, loadConfig } from './config.js';
import { migrateToLatest } from './platform/db/database.js';
import type { AppDeps } from './platform/deps.js';
import { startWorkers } from './platform/outbox/worker.js';
import { listenWhileStarting } from './platform/serve/starting-listener.js';

/**
 * Starts the server: migrate, build, start-up hooks, listen, workers; stops cleanly on SIGTERM/SIGINT.
 * `overrides` replace dependencies as in buildApp (an embedding program's own upstream, for example).
 */
export async function serve(config: Config = loadConfig(), overrides: Partial<AppDeps> = {}): Promise<void> {
  const { app, deps } = await buildApp(config, overrides);
  // A process of `ponte serve --processes N` starts on a database its primary has migrated, on a port it shares.
  const starting =
    cluster.isPrimary && config.port !== 0
      ? await listenWhileStarting(config.port, config.host, 'migrations running')
      : undefined;
  try {
    const applied = await migrateToLatest(deps.database);
    if (applied.length > 0) app.log.info({ migrations: applied }, 'database migrated');
    starting?.setReason('starting');
    // Ready before any start-up work: the id node is leased and the change feed listens.
    await app.ready();
    for (const m of MODULES) await m.onStart?.(deps, (text) => process.stdout.write(text));
  } finally {
    await starting?.close();
  }

  const background = config.runWorkers ? startBackgroundWork(deps) : undefined;
  await app.listen({ port: config.port, host: config.host });

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    app.log.info({ signal }, 'shutting down');
    const force = setTimeout(() => {
      app.log.error('shutdown timed out; exiting');
      process.exit(1);
    }, config.shutdownTimeoutMs);
    force.unref();
    try {
      await background?.stop();
      await app.close(); // stops accepting, lets requests in flight finish, closes the database
      process.exit(0);
    } catch (err) {
      app.log.error({ err }, 'shutdown failed');
      process.exit(1);
    }
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
}

/**
 * The server's background work: each module's own (callback delivery, the sandbox sellers, upstream pulls) and the
 * outbox's workers. `stop()` ends the modules' work first, then the workers.
 */
export function startBackgroundWork(deps: AppDeps): { stop: () => Promise<void> } {
  const modules = MODULES.flatMap((m) => (m.startBackground ? [m.startBackground(deps)] : []));
  const workers = startWorkers(deps);
  return {
    stop: async () => {
      await Promise.all(modules.map((stopOne) => stopOne()));
      await workers.stop();
    },
  };
}
