import type { Database, Tx } from './database.js';

interface Pending<T, R> {
  item: T;
  resolve: (result: R) => void;
  reject: (err: unknown) => void;
}

/**
 * Group commit: small independent writes that arrive together (in one turn of the event loop) run
 * in one transaction, so they share one commit instead of paying one each. Each write still runs
 * as its own statement and sees the ones before it in the batch, so a uniqueness check stays exact.
 * Writes run in the order of `orderKey`, so that concurrent batches (other processes) lock rows in
 * the same order and cannot deadlock. If the transaction fails, every write of the batch fails.
 */
export class GroupCommit<T, R> {
  private pending: Pending<T, R>[] = [];
  private scheduled = false;

  constructor(
    private readonly database: Database,
    private readonly write: (trx: Tx, item: T) => Promise<R>,
    private readonly orderKey: (item: T) => string,
    private readonly maxBatch = 200,
  ) {}

  run(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.pending.push({ item, resolve, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled || this.pending.length === 0) return;
    this.scheduled = true;
    // After the I/O callbacks of this turn, so that requests read together are written together.
    setImmediate(() => void this.flush());
  }

  private async flush(): Promise<void> {
    const batch = this.pending.splice(0, this.maxBatch);
    this.scheduled = false;
    this.schedule();
    try {
      const ordered = batch
        .map((p) => ({ p, key: this.orderKey(p.item) }))
        .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
      const results = await this.database.transaction(async (trx) => {
        const out: R[] = [];
        for (const { p } of ordered) out.push(await this.write(trx, p.item));
        return out;
      });
      ordered.forEach(({ p }, i) => {
        p.resolve(results[i] as R);
      });
    } catch (err) {
      for (const p of batch) p.reject(err);
    }
  }
}
