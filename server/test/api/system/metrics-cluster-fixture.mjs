import cluster from 'node:cluster';

// Two HTTP processes on one port under node:cluster, as `ponte serve` runs several, for metrics.test.ts: the primary
// migrates the database, answers the workers' requests for the metrics of every process (servePrimaryMetrics) and
// writes `ready` on stdout once both workers listen; each worker serves the app on PORT. SIGTERM stops them all.
// It runs the compiled server (server/dist, which test/processes.ts rebuilds from the sources when they changed), as
// `ponte serve` does, with the settings in the environment.

const WORKERS = 2;
const { loadConfig } = await import('../../../dist/src/config.js');
const config = loadConfig();

if (cluster.isPrimary) {
  const { migrateToLatest, openDatabase } = await import('../../../dist/src/platform/db/database.js');
  const { servePrimaryMetrics } = await import('../../../dist/src/platform/metrics/index.js');
  // Connections go to the workers in turn, so that requests sent one per connection reach both.
  cluster.schedulingPolicy = cluster.SCHED_RR;
  const database = openDatabase(config);
  await migrateToLatest(database);
  await database.close();
  const stopAnswering = servePrimaryMetrics();
  const workers = Array.from({ length: WORKERS }, () => cluster.fork());
  const stop = (code) => {
    stopAnswering();
    for (const w of workers) if (!w.isDead()) w.process.kill('SIGKILL');
    process.exit(code);
  };
  process.once('SIGTERM', () => stop(0));
  try {
    await Promise.all(
      workers.map(
        (w) =>
          new Promise((resolve, reject) => {
            w.once('listening', () => resolve());
            w.once('exit', (code) => reject(new Error(`a worker exited before it listened (code ${code})`)));
          }),
      ),
    );
  } catch (err) {
    process.stderr.write(`${err.message}\n`);
    stop(1);
  }
  process.stdout.write('ready\n');
} else {
  const { buildApp } = await import('../../../dist/src/app.js');
  const { app } = await buildApp(config);
  await app.listen({ port: config.port, host: config.host });
}
