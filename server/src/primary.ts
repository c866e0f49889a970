import cluster, { type Worker } from 'node:cluster';
import type { Config } from './config.js';
import { migrateToLatest, openDatabase } from './platform/db/database.js';
import { createLogger } from './platform/logging.js';
import { servePrimaryMetrics } from './platform/metrics/index.js';
import { listenWhileStarting } from './platform/serve/starting-listener.js';

/** A process that dies sooner than this after it started counts as a crash loop: its restart waits, longer each time. */
const STABLE_AFTER_MS = 10_000;
const MAX_RESTART_DELAY_MS = 30_000;

/**
 * `ponte serve` with `PONTE_PROCESSES` above 1 (or `--processes N`): this process is the primary. It migrates the
 * database (answering `/readyz` with 50301 meanwhile), then forks the HTTP processes (node:cluster; they share the
 * port, the primary hands each new connection to one of them in turn). Each runs the whole server (`serve()` in
 * main.ts), background workers included: the workers claim their jobs with leases in the database, so several
 * processes share them and the jobs of a process that dies return to the others. The first process starts alone,
 * since it does the first start's work (the sandbox catalog, the demo developer); the others follow once it
 * listens. A process that dies is started again, at once unless it keeps dying young. SIGTERM or SIGINT stops every
 * process gracefully, then the primary.
 */
export async function servePrimary(config: Config): Promise<void> {
  const log = createLogger(config).child({ component: 'primary' });
  const database = openDatabase(config);
  const starting =
    config.port !== 0 ? await listenWhileStarting(config.port, config.host, 'migrations running') : undefined;
  try {
    const applied = await migrateToLatest(database);
    if (applied.length > 0) log.info({ migrations: applied }, 'database migrated');
  } finally {
    await database.close();
    await starting?.close();
  }

  // A scrape of /metrics reaches one process, which asks this one for every process's figures.
  const stopMetrics = servePrimaryMetrics();
  const env = { PONTE_PROCESSES: String(config.processes) };
  const slots: (Worker | undefined)[] = Array.from({ length: config.processes }, () => undefined);
  const startedAt = new Map<Worker, number>();
  const restartDelay = Array.from({ length: config.processes }, () => 0);
  let stopping = false;

  const fork = (slot: number): Worker => {
    const worker = cluster.fork(env);
    slots[slot] = worker;
    startedAt.set(worker, Date.now());
    worker.once('listening', () => log.info({ pid: worker.process.pid, slot }, 'server process listening'));
    worker.once('exit', (code, signal) => {
      const lived = Date.now() - (startedAt.get(worker) ?? 0);
      startedAt.delete(worker);
      if (slots[slot] === worker) slots[slot] = undefined;
      if (stopping) return;
      restartDelay[slot] =
        lived < STABLE_AFTER_MS ? Math.min(MAX_RESTART_DELAY_MS, Math.max(500, (restartDelay[slot] ?? 0) * 2)) : 0;
      log.error({ pid: worker.process.pid, code, signal, restartInMs: restartDelay[slot] }, 'server process died');
      setTimeout(() => {
        if (!stopping) fork(slot);
      }, restartDelay[slot]).unref();
    });
    return worker;
  };
  const listening = (worker: Worker) =>
    new Promise<void>((resolve, reject) => {
      worker.once('listening', () => resolve());
      worker.once('exit', (code, signal) =>
        reject(new Error(`the first server process exited before it listened (code ${code}, signal ${signal})`)),
      );
    });

  try {
    await listening(fork(0));
  } catch (err) {
    stopping = true; // a process that cannot start (configuration, database) would only die again
    throw err;
  }
  for (let slot = 1; slot < config.processes; slot++) fork(slot);
  log.info({ processes: config.processes, port: config.port }, 'serving');

  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    stopMetrics();
    log.info({ signal }, 'shutting down');
    const running = slots.filter((w): w is Worker => w !== undefined && !w.isDead());
    const force = setTimeout(() => {
      log.error('shutdown timed out; killing the server processes');
      for (const w of running) w.process.kill('SIGKILL');
      process.exit(1);
    }, config.shutdownTimeoutMs + 2_000);
    force.unref();
    let left = running.length;
    if (left === 0) process.exit(0);
    for (const w of running) {
      w.once('exit', () => {
        if (--left === 0) process.exit(0);
      });
      w.process.kill('SIGTERM');
    }
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}
