import { randomUUID } from 'node:crypto';
import type { CatalogParams } from './catalog/generate.js';
import type { SeedProgress } from './store.js';

export type ResetState = 'running' | 'done' | 'failed';

/** A reset of the market (`POST /sandbox/reset`), as its caller can follow it. */
export interface ResetJob {
  readonly id: string;
  readonly params: CatalogParams;
  state: ResetState;
  /** Goods written so far, both platforms together, out of `total`. */
  done: number;
  readonly total: number;
  readonly startedAt: number;
  finishedAt: number | null;
  /** Why it failed; null unless `state` is `failed`. */
  error: unknown;
  /** Settles when the job ends, whichever way (never rejects: read `state`). */
  readonly finished: Promise<void>;
}

/** Jobs kept for polling after they ended, newest last. */
const KEEP = 20;

/**
 * The market's resets, one at a time, in memory: a job is known to the process that runs it, for as
 * long as it is among the last few.
 */
export class ResetJobs {
  private readonly jobs = new Map<string, ResetJob>();
  private current: ResetJob | null = null;

  running(): ResetJob | null {
    return this.current;
  }

  get(id: string): ResetJob | null {
    return this.jobs.get(id) ?? null;
  }

  /** Starts `run` as a job; the caller checks {@link running} first, as only one reset runs at a time. */
  start(params: CatalogParams, run: (onProgress: (p: SeedProgress) => void) => Promise<void>): ResetJob {
    if (this.current) throw new Error(`reset ${this.current.id} is still running`);
    const platforms = ['taobao', '1688'];
    let resolveFinished = () => {};
    const job: ResetJob = {
      id: randomUUID().replace(/-/g, ''),
      params,
      state: 'running',
      done: 0,
      total: params.goodsPerPlatform * platforms.length,
      startedAt: Date.now(),
      finishedAt: null,
      error: null,
      finished: new Promise<void>((resolve) => {
        resolveFinished = resolve;
      }),
    };
    const onProgress = (p: SeedProgress) => {
      job.done = platforms.indexOf(p.platform) * params.goodsPerPlatform + p.done;
    };
    const end = (state: ResetState, error: unknown) => {
      job.state = state;
      job.error = error;
      job.finishedAt = Date.now();
      if (state === 'done') job.done = job.total;
      this.current = null;
      resolveFinished();
    };
    this.current = job;
    this.jobs.set(job.id, job);
    for (const id of this.jobs.keys()) if (this.jobs.size > KEEP) this.jobs.delete(id);
    Promise.resolve()
      .then(() => run(onProgress))
      .then(
        () => end('done', null),
        (err: unknown) => end('failed', err),
      );
    return job;
  }
}
