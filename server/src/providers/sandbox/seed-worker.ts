import type { MessagePort } from 'node:worker_threads';
import type { CatalogParams } from './catalog/generate.js';
import { PlatformSearch } from './search-index.js';
import { SandboxStore, type SeedProgress } from './store.js';
import { VOCABULARY } from './vocabulary.js';

export interface SeedTask {
  file: string;
  params: CatalogParams;
  /** Receives a {@link SeedProgress} after every batch. */
  progress: MessagePort;
}

/**
 * The task of `seedInWorker` (seeding.ts), in a worker thread: starts the market over in the store file
 * with its own connection, in one transaction.
 */
export default function seed(task: SeedTask): void {
  const store = new SandboxStore(task.file);
  try {
    store.seed(VOCABULARY, task.params, {
      atomic: true,
      features: (g) => PlatformSearch.features(g),
      onProgress: (p: SeedProgress) => task.progress.postMessage(p),
    });
  } finally {
    store.close();
    task.progress.close();
  }
}
