import { performance } from 'node:perf_hooks';
import { callbackHeaders } from '@ponte/sdk/callbacks';
import type { Selectable } from 'kysely';
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
  private flushing: Promise<void> | undefined;
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

  /** How long a claim holds a message: past the attempt's deadline, with room for a slow commit. */
  private get leaseMs(): number {
    return this.deps.config.callbacks.timeoutMs * 2 + 30_000;
  }

  /** Claims up to `limit` due messages, at most what each developer's free slots take, fairly across developers. */
  async claim(limit: number): Promise<{ message: MessageRow; endpoint: EndpointRow }[]> {
    const { database, clock } = this.deps;
    const now = clock.now();
    const busy = [...this.inFlight].filter(([, n]) => n >= this.perUrl).map(([developId]) => developId);
    // A plain read first: an idle poll takes no write lock.
    const anyDue = await dueMessages(database.db, now, busy).select('m.id').limit(1).executeTakeFirst();
    if (!anyDue) return [];
    return database.transaction(async (trx) => {
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
    });
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
    const gone = new Map<string, EndpointRow>();
    const failing = new Map<string, EndpointRow>();
    const succeeded = new Set<string>();
    await this.deps.database.transaction(async (trx) => {
      const attempts: MessageAttemptsTable[] = [];
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
        await this.settle(trx, r, outcome, now);
        if (outcome === 'delivered') succeeded.add(r.message.develop_id);
        else if (outcome === 'gone') gone.set(r.message.develop_id, r.endpoint);
        else failing.set(r.message.develop_id, r.endpoint);
      }
      for (let i = 0; i < attempts.length; i += 200) {
        await trx
          .insertInto('message_attempts')
          .values(attempts.slice(i, i + 200))
          .onConflict((oc) => oc.columns(['message_id', 'attempt']).doNothing())
          .execute();
      }
      for (const developId of succeeded) {
        if (failing.has(developId)) continue;
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
    });
    for (const [developId] of gone) this.deps.log.warn({ developId }, 'callback URL answered 410 Gone: disabled');
  }

  private outcomeOf(r: AttemptResult): Outcome {
    if (r.status !== null && r.status >= 200 && r.status <= 299) return 'delivered';
    if (r.status === 410) return 'gone';
    return retryDelayMs(r.message.round_attempts, () => 0.5) === null ? 'failed' : 'retry';
  }

  /** The message's new state after one attempt, if this worker still holds it (a redelivery may have taken it). */
  private async settle(trx: Executor, r: AttemptResult, outcome: Outcome, now: number): Promise<void> {
    const held = (q: ReturnType<typeof trx.updateTable<'messages'>>) =>
      q.where('id', '=', r.message.id).where('lease_owner', '=', this.owner).where('attempts', '=', r.message.attempts);
    if (outcome === 'delivered') {
      await held(
        trx
          .updateTable('messages')
          .set({ delivery: 'delivered', delivered_at: now, next_attempt_at: null, lease_owner: null }),
      ).execute();
    } else if (outcome === 'failed') {
      await held(
        trx.updateTable('messages').set({ delivery: 'failed', next_attempt_at: null, lease_owner: null }),
      ).execute();
    } else if (outcome === 'retry') {
      const wait = Math.max(retryDelayMs(r.message.round_attempts, this.random) ?? 0, r.retryAfterMs ?? 0);
      await held(trx.updateTable('messages').set({ next_attempt_at: now + wait, lease_owner: null })).execute();
    } else {
      // 410: the URL is disabled below; this message is held with the developer's other pending ones.
      await held(
        trx.updateTable('messages').set({ delivery: 'held', next_attempt_at: null, lease_owner: null }),
      ).execute();
    }
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

  private async run(): Promise<void> {
    while (this.running) {
      let claimed = 0;
      const free = this.poolSize - this.total;
      if (free > 0) {
        try {
          const batch = await this.claim(free);
          claimed = batch.length;
          for (const c of batch) this.dispatch(c.message, c.endpoint);
        } catch (err) {
          this.deps.log.error({ err }, 'claiming callback messages failed');
        }
      }
      if (!this.running) break;
      // A full pool waits for a slot; an empty claim waits for the poll (or a slot, which may unblock a developer).
      if (free <= 0 || claimed === 0) await this.sleep(free <= 0 ? 60_000 : this.pollMs);
    }
    while (this.total > 0) await this.sleep(50);
    await this.flush();
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
      void this.flush();
      this.wake?.();
    });
  }

  /** Records what finished; one flush at a time, each taking everything finished so far. */
  private flush(): Promise<void> {
    if (this.flushing) return this.flushing;
    if (this.finished.length === 0) return Promise.resolve();
    this.flushing = (async () => {
      try {
        while (this.finished.length > 0) {
          const batch = this.finished;
          this.finished = [];
          try {
            await this.record(batch);
          } catch (err) {
            // The messages stay leased and are tried again when the lease ends.
            this.deps.log.error({ err, messages: batch.length }, 'recording callback attempts failed');
          }
        }
      } finally {
        this.flushing = undefined;
      }
    })();
    return this.flushing;
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

/** Pending messages that are due, whose developer has a free slot, and that are first of their object. */
function dueMessages(db: Executor, now: number, busy: string[]) {
  let q = db
    .selectFrom('messages as m')
    .where('m.delivery', '=', 'pending')
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
            .where('p.delivery', '=', 'pending'),
        ),
      ),
    );
  if (busy.length > 0) q = q.where('m.develop_id', 'not in', busy);
  return q;
}
