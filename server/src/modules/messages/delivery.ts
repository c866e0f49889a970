import { performance } from 'node:perf_hooks';
import { callbackHeaders } from '@ponte/sdk/callbacks';
import { type Selectable, sql } from 'kysely';
import type { Executor } from '../../platform/db/database.js';
import { lockSkipLocked } from '../../platform/db/dialect.js';
import type { CallbackEndpointsTable, MessageAttemptsTable, MessagesTable } from '../../platform/db/schema.js';
import type { AppDeps } from '../../platform/deps.js';
import { randomHex32 } from '../../platform/ids.js';
import { FetchRefused, safePost } from '../../platform/net/safe-fetch.js';
import { disableCallbackUrl, RESPONSE_EXCERPT_BYTES, signingSecrets } from './callbacks.js';
import { deliveredBody } from './wire.js';

/**
 * Delivers the developers' messages to their callback URLs (docs/adr/0013). The `messages` table is the queue: a
 * worker claims due messages in a transaction (PostgreSQL `FOR UPDATE SKIP LOCKED`; SQLite's write lock), moving
 * their `next_attempt_at` past the attempt's deadline, which is the lease: a crashed worker's messages are due again
 * when it passes. A message is claimed only when no earlier version of its object is still pending, so a receiver
 * never gets version N+1 before N was acknowledged or failed. Each process sends at most `poolSize` attempts at once
 * and at most `perUrl` to one developer's URL, so a slow or dead receiver fills its own slots only. Outcomes are
 * written in batches: one transaction for every attempt that finished meanwhile.
 */

/** The waits before the 2nd to 11th attempts (±10 % jitter); after the 11th failure the message is `failed`. */
export const RETRY_SCHEDULE_MS = [
  5_000,
  30_000,
  120_000,
  600_000,
  1_800_000,
  3_600_000,
  3 * 3_600_000,
  6 * 3_600_000,
  12 * 3_600_000,
  24 * 3_600_000,
] as const;
export const JITTER = 0.1;
/** The longest `Retry-After` honoured. */
export const MAX_RETRY_AFTER_MS = 24 * 3_600_000;
/** A URL whose every attempt has failed this long is disabled. */
export const FAILING_DISABLES_AFTER_MS = 5 * 24 * 3_600_000;

type MessageRow = Selectable<MessagesTable>;
type EndpointRow = Selectable<CallbackEndpointsTable>;

/**
 * The wait before the next attempt after `roundAttempts` failed attempts of this round, or null when the schedule
 * has run out. `random` is in [0, 1).
 */
export function retryDelayMs(roundAttempts: number, random: () => number = Math.random): number | null {
  const base = RETRY_SCHEDULE_MS[roundAttempts - 1];
  if (base === undefined) return null;
  return Math.round(base * (1 - JITTER + 2 * JITTER * random()));
}

/** A `Retry-After` header (seconds, or an HTTP date) as milliseconds from `now`, at most a day; null if unusable. */
export function retryAfterMs(header: string | string[] | undefined, now: number): number | null {
  const value = Array.isArray(header) ? header[0] : header;
  if (!value) return null;
  const trimmed = value.trim();
  let ms: number;
  if (/^\d+$/.test(trimmed)) ms = Number(trimmed) * 1000;
  else {
    const at = Date.parse(trimmed);
    if (Number.isNaN(at)) return null;
    ms = at - now;
  }
  return Math.max(0, Math.min(ms, MAX_RETRY_AFTER_MS));
}

/** What one attempt came to. */
export interface AttemptResult {
  message: MessageRow;
  endpoint: EndpointRow;
  startedAt: number;
  durationMs: number;
  status: number | null;
  response: string | null;
  error: string | null;
  retryAfterMs: number | null;
}

export interface DeliveryOptions {
  /** Names this worker in `lease_owner`. */
  owner?: string;
  /** Attempts in flight in this process at most. */
  poolSize?: number;
  /** Attempts in flight to one developer's URL at most. */
  perUrl?: number;
  /** Sleep between polls when nothing is due. */
  pollMs?: number;
  /** Jitter source, in [0, 1). */
  random?: () => number;
  /**
   * How to reach the receivers: `safePost` under the configured address rules unless given (a benchmark may pass
   * its own; tests use the configuration's CALLBACK_ALLOW_PRIVATE).
   */
  post?: typeof safePost;
}

type Outcome = MessageAttemptsTable['outcome'];

/** Rows per multi-row statement (well under SQLite's 32,766 parameters). */
const ROWS_PER_STATEMENT = 200;
/** How long a step waits for more outcomes after the first one. */
const OUTCOME_LINGER_MS = 5;

/** Claims, sends and records callback deliveries; `start()` runs it in the background, `runOnce()` on demand. */
export class DeliveryWorker {
  readonly owner: string;
  private readonly poolSize: number;
  private readonly perUrl: number;
  private readonly pollMs: number;
  private readonly random: () => number;
  private readonly post: typeof safePost;
  /** Attempts in flight, by developer. */
  private readonly inFlight = new Map<string, number>();
  private total = 0;
  private finished: AttemptResult[] = [];
  private running = false;
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  /** Opened secrets by their sealed text (opening one costs a decryption). */
  private readonly opened = new Map<string, string>();

  constructor(
    private readonly deps: AppDeps,
    options: DeliveryOptions = {},
  ) {
    this.owner = options.owner ?? `callbacks-${process.pid}-${randomHex32().slice(0, 8)}`;
    this.poolSize = options.poolSize ?? deps.config.callbacks.poolSize;
    this.perUrl = options.perUrl ?? deps.config.callbacks.perUrl;
    this.pollMs = options.pollMs ?? 100;
    this.random = options.random ?? Math.random;
    this.post = options.post ?? safePost;
  }

  /** The free slots that make a claim worth its transaction while attempts are in flight. */
  private get claimBatch(): number {
    return Math.max(1, Math.floor(this.poolSize / 4));
  }

  /** How long a claim holds a message: past the attempt's deadline, with room for a slow commit. */
  private get leaseMs(): number {
    return this.deps.config.callbacks.timeoutMs * 2 + 30_000;
  }

  /** Developers whose URL has all its slots in flight. */
  private busyDevelopers(): string[] {
    return [...this.inFlight].filter(([, n]) => n >= this.perUrl).map(([developId]) => developId);
  }

  /** Whether a claim would find anything: a plain read, which takes no write lock (an idle poll). */
  private async anyDue(now: number): Promise<boolean> {
    const row = await dueMessages(this.deps.database.db, now, this.busyDevelopers())
      .select('m.id')
      .limit(1)
      .executeTakeFirst();
    return row !== undefined;
  }

  /** Claims up to `limit` due messages, at most what each developer's free slots take, fairly across developers. */
  async claim(limit: number): Promise<{ message: MessageRow; endpoint: EndpointRow }[]> {
    const now = this.deps.clock.now();
    if (!(await this.anyDue(now))) return [];
    return this.deps.database.transaction((trx) => this.claimIn(trx, limit, now));
  }

  private async claimIn(
    trx: Executor,
    limit: number,
    now: number,
  ): Promise<{ message: MessageRow; endpoint: EndpointRow }[]> {
    const { database } = this.deps;
    const busy = this.busyDevelopers();
    const candidates = await lockSkipLocked(
      database.kind,
      dueMessages(trx, now, busy)
        .select(['m.id', 'm.develop_id'])
        .orderBy('m.next_attempt_at')
        .limit(Math.max(limit * 4, 64)),
    ).execute();
    const picked = this.fairPick(candidates, limit);
    if (picked.length === 0) return [];
    await trx
      .updateTable('messages')
      .set((eb) => ({
        next_attempt_at: now + this.leaseMs,
        lease_owner: this.owner,
        attempts: eb('attempts', '+', 1),
        round_attempts: eb('round_attempts', '+', 1),
      }))
      .where('id', 'in', picked)
      .where('delivery', '=', 'pending')
      .execute();
    const rows = await trx.selectFrom('messages').selectAll().where('id', 'in', picked).execute();
    const developers = [...new Set(rows.map((r) => r.develop_id))];
    const endpoints = new Map(
      (await trx.selectFrom('callback_endpoints').selectAll().where('develop_id', 'in', developers).execute()).map(
        (e) => [e.develop_id, e],
      ),
    );
    const claimed: { message: MessageRow; endpoint: EndpointRow }[] = [];
    const orphaned: string[] = [];
    for (const message of rows) {
      const endpoint = endpoints.get(message.develop_id);
      if (endpoint && endpoint.enabled === 1) claimed.push({ message, endpoint });
      else orphaned.push(message.id);
    }
    // No enabled URL any more (disabled meanwhile): held, as if written now.
    if (orphaned.length > 0) {
      await trx
        .updateTable('messages')
        .set({ delivery: 'held', next_attempt_at: null, lease_owner: null })
        .where('id', 'in', orphaned)
        .execute();
    }
    return claimed;
  }

  /** Round-robin over developers in order of their earliest due message, within their free slots. */
  private fairPick(candidates: { id: string; develop_id: string }[], limit: number): string[] {
    const queues = new Map<string, string[]>();
    for (const c of candidates) {
      const q = queues.get(c.develop_id);
      if (q) q.push(c.id);
      else queues.set(c.develop_id, [c.id]);
    }
    const free = new Map([...queues.keys()].map((d) => [d, this.perUrl - (this.inFlight.get(d) ?? 0)]));
    const picked: string[] = [];
    let progress = true;
    while (picked.length < limit && progress) {
      progress = false;
      for (const [developId, q] of queues) {
        if (picked.length >= limit) break;
        const slots = free.get(developId) ?? 0;
        const next = q.shift();
        if (slots <= 0 || next === undefined) continue;
        picked.push(next);
        free.set(developId, slots - 1);
        progress = true;
      }
    }
    return picked;
  }

  /** Sends one message to its developer's URL; never throws. */
  async attempt(message: MessageRow, endpoint: EndpointRow): Promise<AttemptResult> {
    const startedAt = this.deps.clock.now();
    const t0 = performance.now();
    const body = deliveredBody(message);
    const secrets = signingSecrets((sealed) => this.open(sealed), endpoint, startedAt);
    const headers = {
      ...callbackHeaders(secrets, message.id, Math.floor(startedAt / 1000), body),
      'content-type': 'application/json',
      'user-agent': 'Ponte-Callbacks/1',
    };
    const result: AttemptResult = {
      message,
      endpoint,
      startedAt,
      durationMs: 0,
      status: null,
      response: null,
      error: null,
      retryAfterMs: null,
    };
    try {
      const reply = await this.post(endpoint.url, headers, body, {
        timeoutMs: this.deps.config.callbacks.timeoutMs,
        maxBytes: RESPONSE_EXCERPT_BYTES,
        allowPrivate: this.deps.config.callbacks.allowPrivate,
      });
      result.status = reply.status;
      result.response = reply.excerpt;
      if (reply.status >= 300 && reply.status < 400) result.error = 'redirects are not followed';
      else if (reply.status < 200 || reply.status > 299) result.error = `answered HTTP ${reply.status}`;
      result.retryAfterMs = retryAfterMs(reply.headers['retry-after'], startedAt);
    } catch (err) {
      result.error = err instanceof FetchRefused ? err.message : `cannot deliver (${(err as Error).message})`;
    }
    result.durationMs = Math.round(performance.now() - t0);
    // Counted as it ends: the POST was made, whether or not its outcome gets recorded.
    const endedAt = startedAt + result.durationMs;
    this.deps.metrics.callbackAttempt(
      this.outcomeOf(result),
      result.durationMs / 1000,
      (endedAt - message.created_at) / 1000,
    );
    return result;
  }

  private open(sealed: string): string {
    let secret = this.opened.get(sealed);
    if (secret === undefined) {
      secret = this.deps.secrets.open(sealed);
      if (this.opened.size > 10_000) this.opened.clear();
      this.opened.set(sealed, secret);
    }
    return secret;
  }

  /** Writes the outcomes of finished attempts, all in one transaction. */
  async record(results: AttemptResult[]): Promise<void> {
    if (results.length === 0) return;
    const now = this.deps.clock.now();
    const gone = await this.deps.database.transaction((trx) => this.recordIn(trx, results, now));
    this.logGone(gone);
  }

  private logGone(gone: string[]): void {
    for (const developId of gone) this.deps.log.warn({ developId }, 'callback URL answered 410 Gone: disabled');
  }

  /** Writes the outcomes of finished attempts in `trx`; the developers whose URL answered 410. */
  private async recordIn(trx: Executor, results: AttemptResult[], now: number): Promise<string[]> {
    const gone = new Map<string, EndpointRow>();
    const failing = new Map<string, EndpointRow>();
    const succeeded = new Map<string, EndpointRow>();
    const delivered: string[] = [];
    const attempts: MessageAttemptsTable[] = [];
    const others: { result: AttemptResult; outcome: Outcome }[] = [];
    for (const r of results) {
      const outcome = this.outcomeOf(r);
      attempts.push({
        message_id: r.message.id,
        attempt: r.message.attempts,
        develop_id: r.message.develop_id,
        url: r.endpoint.url,
        attempted_at: r.startedAt,
        status: r.status,
        duration_ms: r.durationMs,
        response: r.response,
        error: r.error,
        outcome,
      });
      if (outcome === 'delivered') {
        delivered.push(r.message.id);
        succeeded.set(r.message.develop_id, r.endpoint);
      } else {
        others.push({ result: r, outcome });
        if (outcome === 'gone') gone.set(r.message.develop_id, r.endpoint);
        else failing.set(r.message.develop_id, r.endpoint);
      }
    }
    for (let i = 0; i < attempts.length; i += ROWS_PER_STATEMENT) {
      await trx
        .insertInto('message_attempts')
        .values(attempts.slice(i, i + ROWS_PER_STATEMENT))
        .onConflict((oc) => oc.columns(['message_id', 'attempt']).doNothing())
        .execute();
    }
    // Only messages this worker still holds change: a redelivery meanwhile has queued them afresh.
    for (let i = 0; i < delivered.length; i += ROWS_PER_STATEMENT) {
      await trx
        .updateTable('messages')
        .set({ delivery: 'delivered', delivered_at: now, next_attempt_at: null, lease_owner: null })
        .where('id', 'in', delivered.slice(i, i + ROWS_PER_STATEMENT))
        .where('lease_owner', '=', this.owner)
        .where('delivery', '=', 'pending')
        .execute();
    }
    for (const { result, outcome } of others) await this.settle(trx, result, outcome, now);
    for (const [developId, endpoint] of succeeded) {
      // A URL seen failing when its messages were claimed is failing no more (one that began failing since then
      // is cleared by its next success).
      if (failing.has(developId) || endpoint.failing_since === null) continue;
      await trx
        .updateTable('callback_endpoints')
        .set({ failing_since: null })
        .where('develop_id', '=', developId)
        .where('failing_since', 'is not', null)
        .execute();
    }
    for (const [developId, endpoint] of failing) {
      if (succeeded.has(developId) || gone.has(developId)) continue;
      await trx
        .updateTable('callback_endpoints')
        .set({ failing_since: now })
        .where('develop_id', '=', developId)
        .where('failing_since', 'is', null)
        .execute();
      const since = endpoint.failing_since ?? now;
      if (now - since >= FAILING_DISABLES_AFTER_MS) {
        await disableCallbackUrl(trx, this.deps, developId, endpoint.url, 'failing');
      }
    }
    for (const [developId, endpoint] of gone) {
      await disableCallbackUrl(trx, this.deps, developId, endpoint.url, 'gone');
    }
    return [...gone.keys()];
  }

  private outcomeOf(r: AttemptResult): Outcome {
    if (r.status !== null && r.status >= 200 && r.status <= 299) return 'delivered';
    if (r.status === 410) return 'gone';
    // The round's last attempt: the schedule has no wait after it.
    return r.message.round_attempts > RETRY_SCHEDULE_MS.length ? 'failed' : 'retry';
  }

  /** A failed attempt's message: retried later, failed, or held (410), if this worker still holds it. */
  private async settle(trx: Executor, r: AttemptResult, outcome: Outcome, now: number): Promise<void> {
    let change: { delivery?: 'failed' | 'held'; next_attempt_at: number | null; lease_owner: null };
    if (outcome === 'failed') change = { delivery: 'failed', next_attempt_at: null, lease_owner: null };
    else if (outcome === 'gone') {
      // The URL is disabled (record): this message is held with the developer's other pending ones.
      change = { delivery: 'held', next_attempt_at: null, lease_owner: null };
    } else {
      const wait = Math.max(retryDelayMs(r.message.round_attempts, this.random) ?? 0, r.retryAfterMs ?? 0);
      change = { next_attempt_at: now + wait, lease_owner: null };
    }
    await trx
      .updateTable('messages')
      .set(change)
      .where('id', '=', r.message.id)
      .where('lease_owner', '=', this.owner)
      .where('attempts', '=', r.message.attempts)
      .where('delivery', '=', 'pending')
      .execute();
  }

  /** Claims what is due, sends it and records the outcomes; how many attempts it made. */
  async runOnce(): Promise<number> {
    const claimed = await this.claim(this.poolSize);
    const results = await Promise.all(claimed.map((c) => this.attempt(c.message, c.endpoint)));
    await this.record(results);
    return results.length;
  }

  /** Delivers in the background until `stop()`. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  /**
   * The background loop. Each step is one transaction: the outcomes of the attempts that finished since the last
   * step, and a claim for the free slots. A step waits for a quarter of the pool to be free (or for the poll when
   * nothing is in flight), so that a transaction serves many deliveries.
   */
  private async run(): Promise<void> {
    while (this.running) {
      const results = this.finished.splice(0);
      const free = this.poolSize - this.total;
      const now = this.deps.clock.now();
      let batch: { message: MessageRow; endpoint: EndpointRow }[] = [];
      try {
        const claim = free > 0 && (results.length > 0 || (await this.anyDue(now)));
        if (results.length > 0 || claim) {
          const [gone, claimed] = await this.deps.database.transaction(async (trx) => {
            const gone = results.length > 0 ? await this.recordIn(trx, results, now) : [];
            return [gone, claim ? await this.claimIn(trx, free, now) : []] as const;
          });
          this.logGone(gone);
          batch = claimed;
        }
      } catch (err) {
        // Outcomes not written leave their messages leased: they are tried again when the lease ends.
        this.deps.log.error({ err }, 'a callback delivery step failed');
      }
      for (const c of batch) this.dispatch(c.message, c.endpoint);
      if (!this.running) break;
      if (this.total === 0 && batch.length === 0) await this.sleep(this.pollMs);
      else await this.awaitOutcomes();
    }
    while (this.total > 0) await this.sleep(50);
    const rest = this.finished.splice(0);
    try {
      await this.record(rest);
    } catch (err) {
      this.deps.log.error({ err }, 'recording callback attempts failed');
    }
  }

  private dispatch(message: MessageRow, endpoint: EndpointRow): void {
    const developId = message.develop_id;
    this.inFlight.set(developId, (this.inFlight.get(developId) ?? 0) + 1);
    this.total++;
    void this.attempt(message, endpoint).then((result) => {
      const left = (this.inFlight.get(developId) ?? 1) - 1;
      if (left === 0) this.inFlight.delete(developId);
      else this.inFlight.set(developId, left);
      this.total--;
      this.finished.push(result);
      this.wake?.();
    });
  }

  /**
   * With attempts in flight: waits for a quarter of the pool's outcomes, or a few milliseconds after the first one
   * (outcomes are not kept waiting), or the poll interval (new messages of other developers are claimed even while
   * a slow receiver holds its slots).
   */
  private async awaitOutcomes(): Promise<void> {
    const deadline = Date.now() + this.pollMs;
    while (this.running && this.total > 0 && this.finished.length < this.claimBatch) {
      if (this.finished.length > 0) {
        await new Promise((resolve) => setTimeout(resolve, OUTCOME_LINGER_MS));
        return;
      }
      const left = deadline - Date.now();
      if (left <= 0) return;
      await this.sleep(left);
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(done, ms);
      const self = this;
      function done() {
        clearTimeout(t);
        if (self.wake === done) self.wake = undefined;
        resolve();
      }
      this.wake = done;
    });
  }

  /** Stops claiming, lets the attempts in flight finish and records them. */
  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
  }
}

const PENDING_M = sql<boolean>`m.delivery = 'pending'`;
const PENDING_P = sql<boolean>`p.delivery = 'pending'`;

/** Pending messages that are due, whose developer has a free slot, and that are first of their object. */
export function dueMessages(db: Executor, now: number, busy: string[]) {
  let q = db
    .selectFrom('messages as m')
    // A literal, not a parameter: the planner then knows that the partial index `messages_due` covers the query.
    .where(PENDING_M)
    .where('m.next_attempt_at', '<=', now)
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('messages as p')
            .select('p.id')
            .whereRef('p.develop_id', '=', 'm.develop_id')
            .whereRef('p.object_id', '=', 'm.object_id')
            .whereRef('p.version', '<', 'm.version')
            .where(PENDING_P),
        ),
      ),
    );
  if (busy.length > 0) q = q.where('m.develop_id', 'not in', busy);
  return q;
}
