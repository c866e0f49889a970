import { MessageChannel } from 'node:worker_threads';
import { Piscina } from 'piscina';
import type { CatalogParams } from './catalog/generate.js';
import type { SeedTask } from './seed-worker.js';
import type { SeedProgress } from './store.js';
import { workerScript } from './workers.js';

/** A reseed running in a worker thread. */
export interface SeedingWorker {
  /** Resolves once the new catalog is committed; rejects when seeding failed or was stopped. */
  readonly done: Promise<void>;
  /** Stops seeding; the store keeps its old catalog (the new one is one transaction, never committed). */
  terminate(): Promise<void>;
}

/**
 * Starts the market over in the store `file` from a worker thread (`seed-worker.ts`), with its own
 * connection and in one transaction: the event loop stays free, and readers elsewhere see the old
 * catalog until the new one is complete. The thread ends with the task.
 */
export function seedInWorker(
  file: string,
  params: CatalogParams,
  onProgress?: (p: SeedProgress) => void,
): SeedingWorker {
  const script = workerScript('seed-worker');
  const pool = new Piscina<SeedTask, void>({
    filename: script.filename.href,
    execArgv: script.execArgv,
    minThreads: 0,
    maxThreads: 1,
  });
  const { port1, port2 } = new MessageChannel();
  port1.on('message', (p: SeedProgress) => onProgress?.(p));
  const done = pool.run({ file, params, progress: port2 }, { transferList: [port2] }).finally(async () => {
    port1.close();
    await pool.destroy();
  });
  return {
    done,
    terminate: async () => {
      port1.close();
      await pool.destroy();
    },
  };
}
