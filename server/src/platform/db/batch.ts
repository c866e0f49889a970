interface Pending<T, R> {
  item: T;
  resolve: (result: R) => void;
  reject: (err: unknown) => void;
}

/**
 * Gathers small independent requests of one kind (a nonce to record, a token to take) and hands them to `handle` in
 * batches: one statement and one round trip to the database for many requests instead of one each. Items that
 * arrive while `maxInFlight` batches are out wait for the next, so under load the batches grow and the number of
 * statements does not; when the database is idle an item leaves at the end of the event loop's turn. `handle` answers
 * each item in order; if it throws, every item of its batch fails with that error.
 */
export class Batcher<T, R> {
  private pending: Pending<T, R>[] = [];
  private scheduled = false;
  private inFlight = 0;

  constructor(
    private readonly handle: (items: T[]) => Promise<R[]>,
    private readonly options: { maxBatch?: number; maxInFlight?: number } = {},
  ) {}

  run(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.pending.push({ item, resolve, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled || this.pending.length === 0 || this.inFlight >= (this.options.maxInFlight ?? 2)) return;
    this.scheduled = true;
    // After the I/O callbacks of this turn, so that requests read together leave together.
    setImmediate(() => void this.flush());
  }

  private async flush(): Promise<void> {
    this.scheduled = false;
    const batch = this.pending.splice(0, this.options.maxBatch ?? 500);
    if (batch.length === 0) return;
    this.inFlight++;
    this.schedule();
    try {
      const results = await this.handle(batch.map((p) => p.item));
      batch.forEach((p, i) => {
        p.resolve(results[i] as R);
      });
    } catch (err) {
      for (const p of batch) p.reject(err);
    } finally {
      this.inFlight--;
      this.schedule();
    }
  }
}
