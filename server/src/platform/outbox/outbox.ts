import type { Executor } from '../db/database.js';
import type { AppDeps } from '../deps.js';

export const DEFAULT_MAX_ATTEMPTS = 10;

export interface EnqueueOptions {
  /** Not before this time (epoch ms); default now. */
  availableAt?: number;
  maxAttempts?: number;
  /** Events with the same key are handled one at a time, in the order they were enqueued. */
  orderingKey?: string;
  /** The row's id, when the caller needs it before enqueueing (default: a new id). */
  id?: string;
}

/**
 * Writes an event to the outbox in the caller's transaction: it is delivered only if that
 * transaction commits. Returns the event id.
 */
export async function enqueue(
  db: Executor,
  deps: Pick<AppDeps, 'ids' | 'clock'>,
  type: string,
  payload: unknown,
  options: EnqueueOptions = {},
): Promise<string> {
  const now = deps.clock.now();
  const id = options.id ?? deps.ids.next(now);
  await db
    .insertInto('outbox')
    .values({
      id,
      event_type: type,
      payload: JSON.stringify(payload),
      status: 'pending',
      max_attempts: options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
      available_at: options.availableAt ?? now,
      lease_owner: null,
      lease_until: null,
      last_error: null,
      ordering_key: options.orderingKey ?? null,
      created_at: now,
      updated_at: now,
    })
    .execute();
  return id;
}

/** Exponential from 5 s, doubling, capped at 1 h, with ±20 % jitter so retries do not bunch. */
export function defaultBackoffMs(failures: number): number {
  const base = Math.min(5000 * 2 ** Math.max(0, failures - 1), 3_600_000);
  return Math.round(base * (0.8 + Math.random() * 0.4));
}
