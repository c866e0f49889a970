import type { Executor } from '../db/database.js';
import type { AppDeps } from '../deps.js';

/** One outbox event as a handler sees it. */
export interface OutboxEvent<P = unknown> {
  id: string;
  type: string;
  payload: P;
  /** 1 on the first attempt. */
  attempt: number;
}

/**
 * Handles one event. `db` is the transaction that marks the event done when the handler was
 * registered `transactional`, so what it writes commits with that mark or not at all; else the
 * plain connection.
 */
export type OutboxHandler = (event: OutboxEvent, deps: AppDeps, db: Executor) => Promise<void>;

export interface HandlerOptions {
  /** Attempts before the row is marked dead (default 10). */
  maxAttempts?: number;
  /** Delay before attempt n+1 after n failures, in ms (default: exponential from 5 s, capped at 1 h, with jitter). */
  backoffMs?: (failures: number) => number;
  /**
   * Run the handler inside the transaction that marks the event done: its writes and the mark
   * commit together, so the event's effect happens exactly once (at-least-once without it).
   */
  transactional?: boolean;
}

/**
 * For work that waits on an upstream (settling a create or a payment whose answer was lost): every 30 s at first,
 * then up to every 10 min, for about a day.
 */
export const UPSTREAM_RETRY: HandlerOptions = {
  maxAttempts: 150,
  backoffMs: (failures) => Math.min(600_000, 30_000 * 2 ** Math.min(failures - 1, 5)),
};

/** Handlers per event type; modules register theirs when the app is built. */
export class OutboxRegistry {
  private readonly handlers = new Map<string, { handler: OutboxHandler; options: HandlerOptions }>();

  register(type: string, handler: OutboxHandler, options: HandlerOptions = {}): void {
    if (this.handlers.has(type)) throw new Error(`outbox handler for ${type} is already registered`);
    this.handlers.set(type, { handler, options });
  }

  get(type: string): { handler: OutboxHandler; options: HandlerOptions } | undefined {
    return this.handlers.get(type);
  }

  types(): string[] {
    return [...this.handlers.keys()];
  }
}
