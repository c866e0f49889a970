import type { Executor } from '../db/database.js';

/** What a process does when it hears of a change: drop one item, or everything after a gap. */
export interface ChangeListener {
  onChange(key: string): void;
  /** Changes may have been missed (a lost connection): forget everything the topic covers. */
  onReset(): void;
}

/**
 * Tells every process of a deployment that something changed, so that each drops what it keeps in
 * memory (cached goods details, for one). `publish` writes in the caller's transaction: other processes
 * hear of the change once it commits (NOTIFY on PostgreSQL; a change counter polled on SQLite), and
 * this process's listeners are told at once (dropping a cache entry early is always safe).
 */
export interface ChangeFeed {
  publish(db: Executor, topic: string, key: string): Promise<void>;
  subscribe(topic: string, listener: ChangeListener): void;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** Listeners by topic, shared by the implementations. */
export class Listeners {
  private readonly byTopic = new Map<string, ChangeListener[]>();

  add(topic: string, listener: ChangeListener): void {
    this.byTopic.set(topic, [...(this.byTopic.get(topic) ?? []), listener]);
  }

  change(topic: string, key: string): void {
    for (const l of this.byTopic.get(topic) ?? []) l.onChange(key);
  }

  resetAll(): void {
    for (const list of this.byTopic.values()) for (const l of list) l.onReset();
  }
}
