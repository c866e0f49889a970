import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/**
 * Checkpoints a SQLite WAL file from a worker thread. With every signed request writing a nonce, the
 * automatic checkpoint (copying the WAL back into the database file, with an fsync) would otherwise
 * run inside request handling every few hundred commits and stall the event loop. A PASSIVE
 * checkpoint does not block readers or writers; the request path's own connection keeps a large
 * automatic checkpoint only as a fallback.
 */
const WORKER = `
const { workerData, parentPort } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file);
db.pragma('busy_timeout = 5000');
const timer = setInterval(() => {
  try { db.pragma('wal_checkpoint(PASSIVE)'); } catch (err) { parentPort.postMessage(String(err)); }
}, workerData.intervalMs);
parentPort.on('message', () => { clearInterval(timer); db.close(); process.exit(0); });
`;

export interface Checkpointer {
  stop(): Promise<void>;
}

export function startCheckpointer(file: string, intervalMs = 250): Checkpointer {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(WORKER, { eval: true, workerData: { file, driver, intervalMs } });
  worker.unref();
  return {
    stop: async () => {
      const exited = new Promise((resolve) => worker.once('exit', resolve));
      worker.ref(); // keep this thread alive until the checkpointer has closed its connection
      worker.postMessage('stop');
      await exited;
    },
  };
}
