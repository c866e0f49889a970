import path from 'node:path';
import { buildApp } from './app.js';
import { type Config, loadConfig } from './config.js';
import { migrateToLatest } from './platform/db/database.js';
import { ensureDemoDeveloper } from './platform/lifecycle.js';
import { startWorkers } from './platform/outbox/worker.js';

/** Starts the server: migrate, build, first-start setup, listen, workers; stops cleanly on SIGTERM/SIGINT. */
export async function serve(config: Config = loadConfig()): Promise<void> {
  const { app, deps } = await buildApp(config);
  const applied = await migrateToLatest(deps.database);
  if (applied.length > 0) app.log.info({ migrations: applied }, 'database migrated');

  if (config.createDemoDeveloper) {
    const demo = await ensureDemoDeveloper(config, deps);
    if (demo) {
      const file = path.join(config.dataDir, 'demo-credentials.json');
      process.stdout.write(
        `\nPonte created a demo developer (also written to ${file}):\n` +
          `  developId    ${demo.developId}\n  userId       ${demo.userId}\n` +
          `  accessKey    ${demo.accessKey}\n  accessSecret ${demo.accessSecret}\n` +
          `The admin token is in ${config.adminToken ? 'PONTE_ADMIN_TOKEN' : path.join(config.dataDir, 'admin-token')}.\n\n`,
      );
    }
  }

  if (deps.sandbox) {
    const started = Date.now();
    if (deps.sandbox.ensureSeeded()) {
      const { goods, seed } = config.sandbox;
      app.log.info({ goodsPerPlatform: goods, seed, ms: Date.now() - started }, 'sandbox market seeded');
      process.stdout.write(
        `The sandbox market has ${goods} goods on Taobao and ${goods} on 1688 (seed ${seed}), in ${config.sandbox.file}.\n`,
      );
    }
    // Build the search indexes now rather than in the first search request (seconds at a million goods).
    const indexing = Date.now();
    deps.sandbox.searchIndex('taobao');
    deps.sandbox.searchIndex('1688');
    app.log.info({ ms: Date.now() - indexing }, 'sandbox market indexes loaded');
    if (config.runWorkers) deps.sandbox.start(1000, (err) => app.log.error({ err }, 'sandbox market tick failed'));
  }

  const workers = config.runWorkers ? startWorkers(deps) : undefined;
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
      await workers?.stop();
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
