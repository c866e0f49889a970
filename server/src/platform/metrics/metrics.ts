import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { CallOutcome } from '../../providers/guard.js';
import type { Clock } from '../clock.js';
import type { Database, Executor } from '../db/database.js';
import { ponteVersion } from '../package-root.js';
import type { CommitHooks } from './commit-hooks.js';
import { registerDatabaseGauges } from './database-gauges.js';

/** The labels of one answered HTTP request (docs in the README's "Metrics and health"). */
export interface HttpLabels {
  /** The route's template (`/admin/developers/:developId`), or `unmatched`. */
  route: string;
  method: string;
  status: number;
  /** The envelope's code, or `none` for an answer outside the envelope. */
  code: number | 'none';
}

/** How a callback delivery attempt ended: `message_attempts.outcome`. */
export type CallbackOutcome = 'delivered' | 'retry' | 'failed' | 'gone';
const CALLBACK_OUTCOMES: CallbackOutcome[] = ['delivered', 'retry', 'failed', 'gone'];

/** What guardProvider tells of each call (its `observe` option), for one platform's provider. */
export type UpstreamObserver = (operation: string, outcome: CallOutcome, seconds: number) => void;

/** Ponte's metrics in one registry, with what records them; `/metrics` renders `registry`. */
export interface Metrics {
  readonly registry: Registry;
  /** One answered HTTP request and how long it took. */
  httpRequest(labels: HttpLabels, seconds: number): void;
  /** The observer of the guarded provider of `platform`, served by `upstream` (sandbox, aop, taobao-global, …). */
  upstreamObserver(platform: string, upstream: string): UpstreamObserver;
  /**
   * One callback delivery attempt: how it ended, how long the POST took, and how long after the message was written
   * it ended (the delivery's lag, recorded when delivered).
   */
  callbackAttempt(outcome: CallbackOutcome, seconds: number, sinceWrittenSeconds: number): void;
  /** A ledger transaction posted in `db`: counted once `db`'s transaction commits, never if it rolls back. */
  ledgerPosted(db: Executor, kind: string): void;
}

export interface MetricsOptions {
  database: Database;
  clock: Clock;
  /** The outbox's handled types (OutboxRegistry.types): each is a topic, reported even with nothing pending. */
  topics: () => string[];
  /** The after-commit callbacks of `database`'s transactions (it must be the database they wrap). */
  commits: CommitHooks;
  /** Where a failed read at scrape time is told (the scrape answers without those gauges). */
  log: { warn(fields: object, message: string): void };
}

/** Request latencies: 1 ms to 10 s. */
const HTTP_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
/** Upstream calls and callback POSTs: 5 ms to 30 s (deadlines are seconds long). */
const CALL_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
/** A message's delivery lag: from a second to a day, as retries are spread over days. */
const LAG_BUCKETS = [0.1, 0.5, 1, 5, 15, 60, 300, 900, 3600, 4 * 3600, 12 * 3600, 24 * 3600];

export function createMetrics(options: MetricsOptions): Metrics {
  const own = new Registry();
  new Gauge({
    name: 'ponte_build_info',
    help: 'The running Ponte version (always 1)',
    labelNames: ['version'],
    registers: [own],
    aggregator: 'first',
  }).set({ version: ponteVersion() }, 1);
  const httpRequest = httpMetrics(own);
  const upstreamObserver = upstreamMetrics(own);
  const callbackAttempt = callbackMetrics(own);
  const ledgerPosted = ledgerMetrics(own, options.commits);
  registerDatabaseGauges(own, options);
  // Merged once all of the app's own are registered: a merge holds the metrics registered by then.
  const registry = Registry.merge([own, processMetrics()]);
  return { registry, httpRequest, upstreamObserver, callbackAttempt, ledgerPosted };
}

function httpMetrics(registry: Registry): Metrics['httpRequest'] {
  const labelNames = ['route', 'method', 'status', 'code'] as const;
  const requests = new Counter({
    name: 'ponte_http_requests_total',
    help: 'HTTP requests answered, by route template, method, HTTP status and envelope code',
    labelNames,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'ponte_http_request_duration_seconds',
    help: 'Time from receiving a request to sending its answer',
    labelNames,
    buckets: HTTP_BUCKETS,
    registers: [registry],
  });
  return (labels, seconds) => {
    requests.inc(labels);
    duration.observe(labels, seconds);
  };
}

function upstreamMetrics(registry: Registry): Metrics['upstreamObserver'] {
  const calls = new Counter({
    name: 'ponte_upstream_calls_total',
    help: 'Calls to the upstream marketplaces, by platform, upstream, operation and outcome',
    labelNames: ['platform', 'upstream', 'operation', 'outcome'],
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'ponte_upstream_call_duration_seconds',
    help: 'Time an upstream call took, reconciliation of a timed-out write included',
    labelNames: ['platform', 'operation'],
    buckets: CALL_BUCKETS,
    registers: [registry],
  });
  return (platform, upstream) => (operation, outcome, seconds) => {
    calls.inc({ platform, upstream, operation, outcome });
    duration.observe({ platform, operation }, seconds);
  };
}

function callbackMetrics(registry: Registry): Metrics['callbackAttempt'] {
  const attempts = new Counter({
    name: 'ponte_callback_delivery_attempts_total',
    help: 'Callback delivery attempts, by outcome: delivered, retry (failed, tried again later), failed (gave up), gone (410)',
    labelNames: ['outcome'],
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'ponte_callback_delivery_duration_seconds',
    help: "Time a callback POST took until the receiver's answer (or the failure)",
    labelNames: ['outcome'],
    buckets: CALL_BUCKETS,
    registers: [registry],
  });
  const lag = new Histogram({
    name: 'ponte_callback_delivery_lag_seconds',
    help: 'Time from writing a message to its delivery being acknowledged, retries included',
    buckets: LAG_BUCKETS,
    registers: [registry],
  });
  // Every outcome from the start, at 0: a series that appears only at its first increment loses that one to rate().
  for (const outcome of CALLBACK_OUTCOMES) {
    attempts.inc({ outcome }, 0);
    duration.zero({ outcome });
  }
  return (outcome, seconds, sinceWrittenSeconds) => {
    attempts.inc({ outcome });
    duration.observe({ outcome }, seconds);
    if (outcome === 'delivered') lag.observe(Math.max(0, sinceWrittenSeconds));
  };
}

/**
 * Counted in memory once the posting's transaction commits (CommitHooks), not read from the database when scraped:
 * a count of ledger_transactions by kind would scan the whole table (no index has `kind`), which only grows.
 */
function ledgerMetrics(registry: Registry, commits: CommitHooks): Metrics['ledgerPosted'] {
  const transactions = new Counter({
    name: 'ponte_ledger_transactions_total',
    help: 'Ledger transactions committed, by kind',
    labelNames: ['kind'],
    registers: [registry],
  });
  return (db, kind) => commits.after(db, () => transactions.inc({ kind }));
}

let processRegistry: Registry | undefined;

/**
 * prom-client's default metrics (CPU, resident memory, heap, event-loop lag, GC, handles): they measure the process,
 * which has one event-loop monitor and one GC observer however many apps it builds (tests build many), so they are
 * made once per process and registered in every app's registry.
 */
function processMetrics(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry });
  }
  return processRegistry;
}
