import type { Executor } from '../db/database.js';
import { prepared } from '../db/prepared.js';
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
  await insertEvent(db, {
    id,
    type,
    payload: JSON.stringify(payload),
    maxAttempts: options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
    availableAt: options.availableAt ?? now,
    orderingKey: options.orderingKey ?? null,
    now,
  });
  return id;
}

type EventRow = {
  id: string;
  type: string;
  payload: string;
  maxAttempts: number;
  availableAt: number;
  orderingKey: string | null;
  now: number;
};

const insertEvent = prepared((db, a: EventRow) =>
  db.insertInto('outbox').values({
    id: a.id,
    event_type: a.type,
    payload: a.payload,
    status: 'pending',
    max_attempts: a.maxAttempts,
    available_at: a.availableAt,
    lease_owner: null,
    lease_until: null,
    last_error: null,
    ordering_key: a.orderingKey,
    created_at: a.now,
    updated_at: a.now,
  }),
);

/** Exponential from 5 s, doubling, capped at 1 h, with ±20 % jitter so retries do not bunch. */
export function defaultBackoffMs(failures: number): number {
  const base = Math.min(5000 * 2 ** Math.max(0, failures - 1), 3_600_000);
  return Math.round(base * (0.8 + Math.random() * 0.4));
}
