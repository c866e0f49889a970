import type { Selectable } from 'kysely';
import type { AuthContext } from '../../platform/auth/credentials.js';
import type { Executor } from '../../platform/db/database.js';
import type { MessageAttemptsTable, MessageDelivery, MessagesTable } from '../../platform/db/schema.js';
import type { AppDeps } from '../../platform/deps.js';
import { invalidParameter, notFound } from '../../platform/http/errors.js';
import { callbackSettingsOf } from './callbacks.js';
import { deliveredBody, platformOf } from './wire.js';

/**
 * Reading a developer's messages (docs/adr/0013): the paged listing, one message's attempts, and the pull after a
 * cursor. The listings and the pull go through `messages_developer_time` (develop_id, created_at, id), ordered by
 * the written time, then the id, never by the id alone (ids grow a digit on 2027-07-22, after which text order is
 * not time order). Two messages of one millisecond have ids of one length, so the id orders them.
 */

/** Whose messages a caller sees: a developer's, or only one sub-account's (`userId`). */
export interface MessageScope {
  developId: string;
  /** Only this sub-account's messages; null for all of the developer's. */
  userId: string | null;
}

/** A sub-account sees the messages of its own objects; the main account all of its developer's. */
export function scopeOf(auth: AuthContext): MessageScope {
  return { developId: auth.developId, userId: auth.isMainAccount ? null : auth.userId };
}

type MessageRow = Selectable<MessagesTable>;

function scoped(db: Executor, scope: MessageScope) {
  let q = db.selectFrom('messages').where('develop_id', '=', scope.developId);
  if (scope.userId !== null) q = q.where('user_id', '=', scope.userId);
  return q;
}

/** Refuses a time range whose end is not after its start, naming the end's field. */
export function checkTimeRange(
  start: number | undefined,
  end: number | undefined,
  fields: { start: string; end: string } = { start: 'startTime', end: 'endTime' },
): void {
  if (start !== undefined && end !== undefined && end <= start) {
    throw invalidParameter(fields.end, 'afterField', { other: fields.start });
  }
}

export interface MessageFilters {
  messageType?: string;
  messagePlatform?: 0 | 1;
  objectId?: string;
  status?: MessageDelivery;
  /** Written at or after (epoch ms). */
  startTime?: number;
  /** Written before (epoch ms). */
  endTime?: number;
}

/** A message as the listings answer it: the delivered fields, what it is about, and its delivery state. */
export function toMessageItem(r: MessageRow) {
  return {
    messageId: r.id,
    messageType: r.message_type,
    messagePlatform: platformOf(r),
    objectType: r.object_type,
    objectId: r.object_id,
    version: Number(r.version),
    messageBody: JSON.parse(r.body) as unknown,
    timestamp: Number(r.created_at),
    status: r.delivery,
    attemptCount: Number(r.attempts),
    nextAttemptTime: r.delivery === 'pending' && r.next_attempt_at !== null ? Number(r.next_attempt_at) : null,
    deliveredTime: r.delivered_at === null ? null : Number(r.delivered_at),
  };
}

/** One page of the scope's messages matching `filters`, newest first. */
export async function listMessages(
  db: Executor,
  scope: MessageScope,
  filters: MessageFilters,
  page: { pageNo?: number | undefined; pageSize?: number | undefined },
) {
  checkTimeRange(filters.startTime, filters.endTime);
  const pageNo = page.pageNo ?? 1;
  const pageSize = page.pageSize ?? 20;
  let q = scoped(db, scope);
  if (filters.startTime !== undefined) q = q.where('created_at', '>=', filters.startTime);
  if (filters.endTime !== undefined) q = q.where('created_at', '<', filters.endTime);
  if (filters.messageType !== undefined) q = q.where('message_type', '=', filters.messageType);
  if (filters.messagePlatform !== undefined) q = q.where('message_platform', '=', filters.messagePlatform);
  if (filters.objectId !== undefined) q = q.where('object_id', '=', filters.objectId);
  if (filters.status !== undefined) q = q.where('delivery', '=', filters.status);
  const count = await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const rows = await q
    .selectAll()
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(pageSize)
    .offset((pageNo - 1) * pageSize)
    .execute();
  return { total: Number(count.n), pageNo, pageSize, messages: rows.map(toMessageItem) };
}

function toAttempt(a: Selectable<MessageAttemptsTable>) {
  return {
    attempt: Number(a.attempt),
    attemptTime: Number(a.attempted_at),
    url: a.url,
    httpStatus: a.status === null ? null : Number(a.status),
    durationMs: Number(a.duration_ms),
    response: a.response,
    error: a.error,
    outcome: a.outcome,
  };
}

/**
 * A message with every attempt to deliver it, oldest first; within `scope` (the operator passes none). 40401 for an
 * unknown message and for one outside the scope alike.
 */
export async function messageAttempts(db: Executor, messageId: string, scope: MessageScope | null) {
  const row = await (scope ? scoped(db, scope) : db.selectFrom('messages'))
    .selectAll()
    .where('id', '=', messageId)
    .executeTakeFirst();
  if (!row) throw notFound('message', messageId);
  const attempts = await db
    .selectFrom('message_attempts')
    .selectAll()
    .where('message_id', '=', messageId)
    .orderBy('attempt')
    .execute();
  return { developId: row.develop_id, message: toMessageItem(row), attempts: attempts.map(toAttempt) };
}

// -- Pull ----------------------------------------------------------------------------------------

/**
 * The settling window of the pull: only messages written longer ago than this are answered. On PostgreSQL a
 * transaction may commit its message after another that was written later has committed (and been pulled), so a
 * cursor past a still uncommitted message would skip it for good. Every message commits within this window of
 * being written (it is written in the change's transaction, which is short), so the cursor never passes a message
 * that could still appear. SQLite commits one transaction at a time, but the rule is the same on both.
 */
export const PULL_SETTLE_MS = 2_000;

/** Where a pull resumes: after the message written at `createdAt` with `id`. */
export interface PullCursor {
  createdAt: number;
  id: string;
}

const CURSOR = /^(0|[1-9][0-9]{0,15})\.([1-9][0-9]{0,19})$/;

/** The cursor as answered (`<createdAt>.<id>`), checked strictly: anything else is 40001 naming `cursor`. */
export function parseCursor(raw: string): PullCursor {
  const m = CURSOR.exec(raw);
  const createdAt = Number(m?.[1]);
  if (!m?.[2] || !Number.isSafeInteger(createdAt) || createdAt > 8_640_000_000_000_000) {
    throw invalidParameter('cursor', 'cursorFormat');
  }
  return { createdAt, id: m[2] };
}

export function formatCursor(c: PullCursor): string {
  return `${c.createdAt}.${c.id}`;
}

/**
 * Up to `limit` of the scope's messages written after the cursor (from the oldest kept without one) and longer
 * than PULL_SETTLE_MS before `now`, in the order they were written; the answer's JSON, each message exactly as a
 * delivery POSTs it plus its `status`.
 */
export async function pullMessages(
  db: Executor,
  scope: MessageScope,
  cursor: PullCursor | null,
  limit: number,
  now: number,
): Promise<string> {
  let q = scoped(db, scope)
    .select(['id', 'message_type', 'message_platform', 'body', 'created_at', 'version', 'delivery'])
    .where('created_at', '<', now - PULL_SETTLE_MS);
  if (cursor) {
    const { createdAt, id } = cursor;
    q = q
      .where('created_at', '>=', createdAt)
      .where((eb) => eb.or([eb('created_at', '>', createdAt), eb('id', '>', id)]));
  }
  const rows = await q
    .orderBy('created_at')
    .orderBy('id')
    .limit(limit + 1)
    .execute();
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  const next = last
    ? formatCursor({ createdAt: Number(last.created_at), id: last.id })
    : cursor && formatCursor(cursor);
  // The stored body is embedded as it is (deliveredBody), so a pulled message is the bytes a delivery sends.
  const messages = page.map((r) => `${deliveredBody(r).slice(0, -1)},"status":${JSON.stringify(r.delivery)}}`);
  return `{"messages":[${messages.join(',')}],"cursor":${JSON.stringify(next)},"hasMore":${rows.length > limit}}`;
}

// -- The operator's view -------------------------------------------------------------------------

const DELIVERY_STATUSES: readonly MessageDelivery[] = ['held', 'pending', 'delivered', 'failed'];

type CallbackReadDeps = Pick<AppDeps, 'config' | 'clock' | 'ids' | 'secrets' | 'changes'>;

/**
 * A developer's delivery state: the callback settings as the developer reads them, how long its URL has been
 * failing, its kept messages counted by delivery status, and the latest attempt (through `message_attempts_developer`).
 */
export async function callbackState(deps: CallbackReadDeps, db: Executor, developId: string) {
  const settings = await callbackSettingsOf(deps, db, developId);
  const endpoint = await db
    .selectFrom('callback_endpoints')
    .select('failing_since')
    .where('develop_id', '=', developId)
    .executeTakeFirst();
  const byStatus = await db
    .selectFrom('messages')
    .select(['delivery', (eb) => eb.fn.countAll<number>().as('n')])
    .where('develop_id', '=', developId)
    .groupBy('delivery')
    .execute();
  const counts = Object.fromEntries(DELIVERY_STATUSES.map((s) => [s, 0])) as Record<MessageDelivery, number>;
  for (const r of byStatus) counts[r.delivery] = Number(r.n);
  const last = await db
    .selectFrom('message_attempts')
    .selectAll()
    .where('develop_id', '=', developId)
    .orderBy('attempted_at', 'desc')
    .orderBy('attempt', 'desc')
    .limit(1)
    .executeTakeFirst();
  return {
    developId,
    settings,
    failingSince: endpoint?.failing_since == null ? null : Number(endpoint.failing_since),
    counts,
    lastAttempt: last ? { messageId: last.message_id, ...toAttempt(last) } : null,
  };
}
