import type { Executor } from '../../platform/db/database.js';
import type { AppDeps } from '../../platform/deps.js';
import { ApiError, invalidParameter, notFound } from '../../platform/http/errors.js';
import { phrase } from '../../platform/http/reasons.js';
import { checkTimeRange, type MessageScope } from './queries.js';
import { MESSAGE_RETENTION_MS } from './retention.js';

/**
 * Redelivery (docs/adr/0013): one message, or every message of a time range (optionally only the failed ones), is
 * queued again for a fresh round of the retry schedule. Its attempts keep counting, and a delivery carries the same
 * `webhook-id` as before, so receivers that drop repeats drop it too. An attempt in flight when a message is queued
 * again no longer holds it (its lease is dropped) and records its outcome in the attempts log only.
 */

/** The longest range redelivered at once. */
export const REDELIVER_RANGE_MAX_MS = 30 * 24 * 3_600_000;
/** A range may start this much before the retention horizon: callers compute "30 days ago" on their own clocks. */
export const RETENTION_CLOCK_ALLOWANCE_MS = 3_600_000;

const DAY_MS = 24 * 3_600_000;

export interface RedeliverInput {
  messageId?: string | undefined;
  startTime?: number | undefined;
  endTime?: number | undefined;
  onlyFailed?: boolean | undefined;
}

type Range = { startTime: number; endTime: number; onlyFailed: boolean };

/** The input's form: one message, or a range; 40001 when it is neither or both. */
function formOf(input: RedeliverInput, now: number): { messageId: string } | Range {
  const { messageId, startTime, endTime, onlyFailed } = input;
  const ranged = startTime !== undefined || endTime !== undefined || onlyFailed !== undefined;
  if (messageId !== undefined) {
    if (ranged) throw invalidParameter('messageId', 'redeliverOneForm');
    return { messageId };
  }
  if (startTime === undefined && endTime === undefined) throw invalidParameter('messageId', 'redeliverOneForm');
  if (startTime === undefined) throw invalidParameter('startTime', 'requiredWith', { other: 'endTime' });
  if (endTime === undefined) throw invalidParameter('endTime', 'requiredWith', { other: 'startTime' });
  checkTimeRange(startTime, endTime);
  if (endTime - startTime > REDELIVER_RANGE_MAX_MS) {
    throw invalidParameter('endTime', 'rangeAtMostDays', { days: REDELIVER_RANGE_MAX_MS / DAY_MS });
  }
  if (startTime < now - MESSAGE_RETENTION_MS - RETENTION_CLOCK_ALLOWANCE_MS) {
    throw invalidParameter('startTime', 'withinRetention', { days: MESSAGE_RETENTION_MS / DAY_MS });
  }
  return { startTime, endTime, onlyFailed: onlyFailed === true };
}

/** 40901 unless the developer has an enabled callback URL: nothing would deliver what is queued. */
async function requireEnabledUrl(db: Executor, developId: string): Promise<void> {
  const endpoint = await db
    .selectFrom('callback_endpoints')
    .select('enabled')
    .where('develop_id', '=', developId)
    .executeTakeFirst();
  if (endpoint?.enabled !== 1) throw new ApiError(40901, { reason: phrase('callbackDisabled') });
}

/**
 * Queues again, in `db`'s transaction, the scope's message `messageId` (40401 when it is not one the scope sees) or
 * every message of the scope written in [startTime, endTime) (only the `failed` ones with `onlyFailed`), whatever
 * their state: `pending` and due now, at the start of the retry schedule. A range is one statement over the
 * developer's time index. Refused (40901) when the developer has no enabled callback URL. How many were queued.
 */
export async function redeliverMessages(
  deps: Pick<AppDeps, 'clock'>,
  db: Executor,
  scope: MessageScope,
  input: RedeliverInput,
): Promise<number> {
  const now = deps.clock.now();
  const form = formOf(input, now);
  let q = db
    .updateTable('messages')
    .set({ delivery: 'pending', next_attempt_at: now, round_attempts: 0, lease_owner: null })
    .where('develop_id', '=', scope.developId);
  if (scope.userId !== null) q = q.where('user_id', '=', scope.userId);
  if ('messageId' in form) {
    let visible = db.selectFrom('messages').select('id').where('id', '=', form.messageId);
    visible = visible.where('develop_id', '=', scope.developId);
    if (scope.userId !== null) visible = visible.where('user_id', '=', scope.userId);
    // Not found comes first: a message the caller may not see says nothing about the developer's URL.
    if (!(await visible.executeTakeFirst())) throw notFound('message', form.messageId);
    q = q.where('id', '=', form.messageId);
  } else {
    q = q.where('created_at', '>=', form.startTime).where('created_at', '<', form.endTime);
    if (form.onlyFailed) q = q.where('delivery', '=', 'failed');
  }
  await requireEnabledUrl(db, scope.developId);
  const result = await q.executeTakeFirst();
  return Number(result.numUpdatedRows);
}
