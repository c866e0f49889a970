import { sql } from 'kysely';
import type { Database, Executor } from '../db/database.js';
import { type ChangeFeed, type ChangeListener, Listeners } from './change-feed.js';

const BATCH = 500;

/**
 * Changes as rows of `change_signals`, numbered by a counter every process polls. SQLite write
 * transactions run one at a time, so `max(seq) + 1` taken inside one is unique and commits in order.
 */
export class SqliteChangeFeed implements ChangeFeed {
  private readonly listeners = new Listeners();
  private lastSeq = 0;
  private timer: NodeJS.Timeout | undefined;
  private polling: Promise<void> | undefined;

  constructor(
    private readonly database: Database,
    private readonly pollMs: number,
    private readonly now: () => number,
  ) {}

  async publish(db: Executor, topic: string, key: string): Promise<void> {
    await db
      .insertInto('change_signals')
      .columns(['seq', 'topic', 'item_key', 'created_at'])
      .expression(
        db
          .selectFrom('change_signals')
          .select([
            sql<number>`coalesce(max(seq), 0) + 1`.as('seq'),
            sql<string>`${topic}`.as('topic'),
            sql<string>`${key}`.as('item_key'),
            sql<number>`${this.now()}`.as('created_at'),
          ]),
      )
      .execute();
    this.listeners.change(topic, key);
  }

  subscribe(topic: string, listener: ChangeListener): void {
    this.listeners.add(topic, listener);
  }

  async start(): Promise<void> {
    if (this.timer) return;
    const row = await this.database.db
      .selectFrom('change_signals')
      .select(sql<number | null>`max(seq)`.as('seq'))
      .executeTakeFirst();
    this.lastSeq = Number(row?.seq ?? 0);
    this.timer = setInterval(() => {
      this.polling ??= this.poll().finally(() => {
        this.polling = undefined;
      });
    }, this.pollMs);
    this.timer.unref();
  }

  /** Reads the changes made since the last poll (by any process) and tells the listeners. */
  async poll(): Promise<void> {
    for (;;) {
      let rows: { seq: number; topic: string; item_key: string }[];
      try {
        rows = await this.database.db
          .selectFrom('change_signals')
          .select(['seq', 'topic', 'item_key'])
          .where('seq', '>', this.lastSeq)
          .orderBy('seq')
          .limit(BATCH)
          .execute();
      } catch {
        // The database is closing or busy: try again at the next tick.
        return;
      }
      for (const r of rows) {
        this.lastSeq = Number(r.seq);
        this.listeners.change(r.topic, r.item_key);
      }
      if (rows.length < BATCH) return;
    }
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.polling;
  }
}
