import { sql } from 'kysely';
import pg from 'pg';
import type { Executor } from '../db/database.js';
import { type ChangeFeed, type ChangeListener, Listeners } from './change-feed.js';

const CHANNEL = 'ponte_changes';
const RECONNECT_MS = 1000;

/**
 * Changes as PostgreSQL notifications: `pg_notify` in the caller's transaction is delivered to every
 * listening process when it commits. Each process keeps one connection of its own for LISTEN; when it
 * drops, notifications may have been missed, so the listeners are reset before listening again.
 */
export class PostgresChangeFeed implements ChangeFeed {
  private readonly listeners = new Listeners();
  private client: pg.Client | undefined;
  private stopped = true;
  private retry: NodeJS.Timeout | undefined;

  constructor(
    private readonly connectionString: string,
    private readonly onError: (err: unknown) => void = () => {},
  ) {}

  async publish(db: Executor, topic: string, key: string): Promise<void> {
    await sql`select pg_notify(${CHANNEL}, ${JSON.stringify([topic, key])})`.execute(db);
    this.listeners.change(topic, key);
  }

  subscribe(topic: string, listener: ChangeListener): void {
    this.listeners.add(topic, listener);
  }

  async start(): Promise<void> {
    if (!this.stopped) return;
    this.stopped = false;
    await this.connect();
  }

  private async connect(): Promise<void> {
    const client = new pg.Client({ connectionString: this.connectionString });
    client.on('notification', (msg) => {
      try {
        const [topic, key] = JSON.parse(msg.payload ?? '[]') as [string, string];
        if (typeof topic === 'string' && typeof key === 'string') this.listeners.change(topic, key);
      } catch (err) {
        this.onError(err);
      }
    });
    const lost = (err?: unknown) => {
      if (err) this.onError(err);
      if (this.client !== client) return;
      this.client = undefined;
      client.end().catch(() => {});
      this.reconnectLater();
    };
    client.on('error', lost);
    client.on('end', () => lost());
    try {
      await client.connect();
      await client.query(`listen ${CHANNEL}`);
      this.client = client;
    } catch (err) {
      client.end().catch(() => {});
      this.onError(err);
      this.reconnectLater();
    }
  }

  private reconnectLater(): void {
    if (this.stopped) return;
    // Whatever was announced while not listening is unknown: drop everything now.
    this.listeners.resetAll();
    clearTimeout(this.retry);
    this.retry = setTimeout(() => void this.connect(), RECONNECT_MS);
    this.retry.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retry);
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => {});
  }
}
