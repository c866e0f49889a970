import { availableParallelism } from 'node:os';
import { LRUCache } from 'lru-cache';
import { Piscina } from 'piscina';
// On glibc Linux sharp must be loaded by the main thread before worker threads load it (sharp's docs).
import 'sharp';
import type { GoodRow } from './catalog/reader.js';
import { IMAGE_VIEWS } from './catalog/reader.js';
import type { ImageSpec } from './images/render.js';
import { imageSpecOf } from './images/spec.js';
import type { PictureTask } from './picture-worker.js';
import { VOCABULARY } from './vocabulary.js';
import { workerScript } from './workers.js';

/** Which picture of a product: a view (0 = main), optionally in one SKU colour, and its format. */
export interface ImageFile {
  view: number;
  colour: string | null;
  format: 'jpeg' | 'webp' | 'png';
}

export interface PictureOptions {
  /** Worker threads rendering pictures; by default min(2, cores − 1), at least 1. */
  workers?: number;
  /** Pictures that may wait for a worker; one more fails at once with {@link PicturesBusy}. Default 64. */
  queue?: number;
  /** Bytes of encoded pictures kept in memory; default 64 MiB, 0 keeps none. */
  cacheBytes?: number;
}

/** Every worker is busy and the queue is full: the caller should come back shortly. */
export class PicturesBusy extends Error {
  readonly retryAfterSeconds = 1;
  constructor() {
    super('too many sandbox pictures are being drawn; retry shortly');
    this.name = 'PicturesBusy';
  }
}

export function defaultPictureWorkers(): number {
  return Math.max(1, Math.min(2, availableParallelism() - 1));
}

/** The picture a product's good row describes; null for a view or colour it does not have. */
export function imageSpec(
  row: Pick<GoodRow, 'category' | 'product_type' | 'colours' | 'image_seed'>,
  view: number,
  colour: string | null,
): ImageSpec | null {
  const colours = JSON.parse(row.colours) as string[];
  const key = colour ?? colours[0];
  if (!key || !colours.includes(key) || !Number.isInteger(view) || view < 0 || view >= IMAGE_VIEWS) return null;
  return imageSpecOf(
    VOCABULARY,
    { imageSeed: row.image_seed, category: row.category, productType: row.product_type, colours },
    { view, colour: key },
  );
}

/**
 * The goods' pictures, drawn and encoded in a pool of worker threads (about 25 ms of CPU each, which on
 * the main thread would hold up every other request), and kept encoded in an LRU bounded by bytes.
 * Pictures are deterministic, so a cached one never goes stale, and concurrent requests for the same
 * picture share one render. The pool starts with the first picture and its idle threads do not keep
 * the process alive.
 */
export class ProductPictures {
  private readonly workers: number;
  private readonly queue: number;
  private readonly cache: LRUCache<string, Buffer> | null;
  private readonly pending = new Map<string, Promise<Buffer>>();
  private pool: Piscina<PictureTask, Uint8Array> | null = null;
  /** Renders handed to the pool and not settled yet (running or queued). */
  private active = 0;
  private closed = false;

  constructor(options: PictureOptions = {}) {
    this.workers = Math.max(1, options.workers || defaultPictureWorkers());
    this.queue = Math.max(0, options.queue ?? 64);
    const cacheBytes = options.cacheBytes ?? 64 * 1024 * 1024;
    this.cache =
      cacheBytes > 0 ? new LRUCache<string, Buffer>({ maxSize: cacheBytes, sizeCalculation: (b) => b.length }) : null;
  }

  /** The encoded picture; null when the good has no such view or colour. Rejects with PicturesBusy when full. */
  render(
    row: Pick<GoodRow, 'category' | 'product_type' | 'colours' | 'image_seed'>,
    file: ImageFile,
  ): Promise<Buffer | null> {
    const spec = imageSpec(row, file.view, file.colour);
    if (!spec) return Promise.resolve(null);
    const key = `${spec.imageSeed}:${spec.productType}:${spec.rgb.join(',')}:${spec.view}:${file.format}`;
    const cached = this.cache?.get(key);
    if (cached) return Promise.resolve(cached);
    let pending = this.pending.get(key);
    if (!pending) {
      pending = this.draw({ spec, format: file.format });
      this.pending.set(key, pending);
      pending.then(
        (bytes) => {
          this.cache?.set(key, bytes);
          this.pending.delete(key);
        },
        () => this.pending.delete(key),
      );
    }
    return pending;
  }

  /** Stops the worker threads; renders in flight fail. */
  async close(): Promise<void> {
    this.closed = true;
    const pool = this.pool;
    this.pool = null;
    await pool?.destroy();
  }

  private async draw(task: PictureTask): Promise<Buffer> {
    if (this.closed) throw new Error('the sandbox market is closed');
    if (this.active >= this.workers + this.queue) throw new PicturesBusy();
    this.pool ??= this.createPool();
    this.active++;
    try {
      const bytes = await this.pool.run(task);
      // A Buffer crosses the thread boundary as a plain Uint8Array (a copy).
      return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    } finally {
      this.active--;
    }
  }

  private createPool(): Piscina<PictureTask, Uint8Array> {
    const script = workerScript('picture-worker');
    return new Piscina<PictureTask, Uint8Array>({
      filename: script.filename.href,
      execArgv: script.execArgv,
      minThreads: 0,
      maxThreads: this.workers,
      // Bounded by `active` above; this only backs it up.
      maxQueue: this.queue + this.workers,
      idleTimeout: 60_000,
    });
  }
}
