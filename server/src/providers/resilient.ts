import { MarketRejection, UpstreamError, UpstreamUnsupportedError } from './errors.js';
import { type CallOptions, type MarketProvider, PROVIDER_OPERATIONS, type ProviderOperation } from './market.js';
import { type TokenSource, UpstreamNotAuthorizedError } from './tokens.js';

/** The longest wait between two attempts, however many came before. */
const BACKOFF_CAP_MS = 10_000;

export interface ResilienceOptions {
  /** The upstream's name (`aop`, `taobao-global`), for logs and for the error an open circuit answers. */
  upstream: string;
  /** Extra attempts after the first one, for calls that may be repeated. */
  retries: number;
  /** The first backoff; it doubles with each attempt, with full jitter, up to 10 s. */
  retryBaseMs: number;
  /** Consecutive failed calls of one operation that open its circuit. */
  breakerFailures: number;
  /** How long an open circuit refuses calls before it lets one trial call through. */
  breakerOpenMs: number;
  /** When given, a gateway's `auth` refusal renews the token once and repeats the call once. */
  tokens?: TokenSource;
  /** Writes the upstream makes idempotent (a create carrying the caller's reference), which may be repeated. */
  idempotentWrites?: ReadonlySet<ProviderOperation>;
  now?: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  random?: () => number;
  log: { info(fields: object, msg: string): void; warn(fields: object, msg: string): void };
}

export type CircuitPhase = 'closed' | 'open' | 'half_open';

/** One operation's circuit, as a status page shows it. */
export interface CircuitStatus {
  operation: ProviderOperation;
  state: CircuitPhase;
  /** Consecutive failed calls so far. */
  failures: number;
  /** Epoch ms until which the circuit refuses calls; null while it is closed. */
  openUntil: number | null;
}

interface Circuit {
  failures: number;
  /** Set while the circuit is open or half-open; null while it is closed. */
  openUntil: number | null;
  /** Whether the one trial call of a half-open circuit is under way. */
  trial: boolean;
}

/**
 * What a call's outcome says about the upstream's health: `failure` when it looks down or throttling,
 * `healthy` when it answered (a success, or a refusal about the request itself), `neutral` when the outcome
 * says nothing about it (the caller gave up, the provider refused locally, a bug).
 */
type Verdict = 'failure' | 'healthy' | 'neutral';

const circuitsOf = new WeakMap<object, () => CircuitStatus[]>();

function isOperation(prop: PropertyKey): prop is ProviderOperation {
  return typeof prop === 'string' && Object.hasOwn(PROVIDER_OPERATIONS, prop);
}

/**
 * Wraps a real upstream's provider so that transient failures are retried where repeating is safe, a refused
 * token is renewed once, and an operation whose upstream keeps failing is refused at once by its circuit
 * breaker instead of waiting on a dead gateway (docs/adr/0016-real-upstreams.md, § Resilience). It sits under
 * `guardProvider`, whose deadline and signal bound the whole call, retries and backoff included.
 */
export function resilientProvider<T extends MarketProvider>(provider: T, options: ResilienceOptions): T {
  const now = options.now ?? Date.now;
  const circuits = new Map<ProviderOperation, Circuit>();
  const circuit = (operation: ProviderOperation): Circuit => {
    let known = circuits.get(operation);
    if (!known) {
      known = { failures: 0, openUntil: null, trial: false };
      circuits.set(operation, known);
    }
    return known;
  };
  const cache = new Map<PropertyKey, unknown>();
  const proxy = new Proxy(provider, {
    get(target, prop, receiver) {
      const value: unknown = Reflect.get(target, prop, receiver);
      if (typeof value !== 'function') return value;
      if (!isOperation(prop)) return value.bind(target);
      const known = cache.get(prop);
      if (known) return known;
      const run = (args: unknown[]) => (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
      const wrapped = (...args: unknown[]) => guarded(prop, args, run, circuit(prop), options, now);
      cache.set(prop, wrapped);
      return wrapped;
    },
  });
  circuitsOf.set(proxy, () =>
    (Object.keys(PROVIDER_OPERATIONS) as ProviderOperation[]).map((operation) =>
      status(operation, circuits.get(operation), now()),
    ),
  );
  return proxy;
}

/** Each operation's circuit of a provider made by `resilientProvider`, or null for any other provider. */
export function circuitState(provider: MarketProvider): CircuitStatus[] | null {
  return circuitsOf.get(provider)?.() ?? null;
}

function status(operation: ProviderOperation, circuit: Circuit | undefined, at: number): CircuitStatus {
  if (!circuit || circuit.openUntil === null) {
    return { operation, state: 'closed', failures: circuit?.failures ?? 0, openUntil: null };
  }
  const state = at < circuit.openUntil && !circuit.trial ? 'open' : 'half_open';
  return { operation, state, failures: circuit.failures, openUntil: circuit.openUntil };
}

/** One call through the operation's circuit breaker. */
async function guarded(
  operation: ProviderOperation,
  args: unknown[],
  run: (args: unknown[]) => Promise<unknown>,
  circuit: Circuit,
  options: ResilienceOptions,
  now: () => number,
): Promise<unknown> {
  const { upstream } = options;
  let trial = false;
  if (circuit.openUntil !== null) {
    const at = now();
    if (circuit.trial) {
      throw new UpstreamError(
        operation,
        `${upstream} is failing: circuit open for ${operation}, a trial call is under way`,
      );
    }
    if (at < circuit.openUntil) {
      const seconds = Math.ceil((circuit.openUntil - at) / 1000);
      throw new UpstreamError(
        operation,
        `${upstream} is failing: circuit open for ${operation} for another ${seconds} s`,
      );
    }
    // Due for a trial: this call is the one let through; others are refused until it ends.
    circuit.trial = true;
    trial = true;
  }
  const renewal = { failed: false };
  try {
    const result = await attempts(operation, args, run, options, trial, renewal);
    settle(operation, circuit, 'healthy', options, now);
    return result;
  } catch (err) {
    // A token that cannot be renewed is the authorisation's problem, not the operation's upstream being down.
    settle(operation, circuit, renewal.failed ? 'neutral' : verdict(err, signalOf(operation, args)), options, now);
    throw err;
  } finally {
    if (trial) circuit.trial = false;
  }
}

/** Updates a circuit after a call: opens it after enough failures, closes it on a healthy answer. */
function settle(
  operation: ProviderOperation,
  circuit: Circuit,
  outcome: Verdict,
  options: ResilienceOptions,
  now: () => number,
): void {
  const { upstream, log } = options;
  if (outcome === 'neutral') return;
  if (outcome === 'healthy') {
    if (circuit.openUntil !== null) log.info({ upstream, operation }, 'upstream circuit closed');
    circuit.failures = 0;
    circuit.openUntil = null;
    return;
  }
  circuit.failures += 1;
  // A failed trial opens the circuit again at once; a closed circuit opens after enough failures in a row.
  if (circuit.openUntil !== null || circuit.failures >= options.breakerFailures) {
    circuit.openUntil = now() + options.breakerOpenMs;
    log.warn(
      { upstream, operation, failures: circuit.failures, openMs: options.breakerOpenMs },
      'upstream circuit opened',
    );
  }
}

/**
 * Runs the call, repeating it after transient failures when the operation may be repeated, and once after a
 * renewed token. A circuit's trial call is a probe: it makes one attempt, so that a still-failing upstream is
 * found out quickly.
 */
async function attempts(
  operation: ProviderOperation,
  args: unknown[],
  run: (args: unknown[]) => Promise<unknown>,
  options: ResilienceOptions,
  trial: boolean,
  renewal: { failed: boolean },
): Promise<unknown> {
  const { upstream, log, tokens } = options;
  const signal = signalOf(operation, args);
  const { write } = PROVIDER_OPERATIONS[operation];
  const repeatable = !write || (options.idempotentWrites?.has(operation) ?? false);
  const retries = repeatable && !trial ? options.retries : 0;
  let renewed = false;
  let retry = 0;
  for (;;) {
    try {
      return await run(args);
    } catch (err) {
      if (signal?.aborted) throw err;
      const kind = kindOf(err);
      // The gateway refused the token before doing anything, so even a write that is not idempotent is safe
      // to repeat once with a new one.
      if (kind === 'auth' && tokens && !renewed) {
        renewed = true;
        log.info({ upstream, operation }, 'upstream refused the access token: renewing it and calling again');
        try {
          await tokens.renew(signal);
        } catch (renewErr) {
          renewal.failed = true;
          throw renewErr;
        }
        signal?.throwIfAborted();
        continue;
      }
      if (retry >= retries || !isTransient(err)) throw err;
      const delayMs = backoff(retry, kind === 'rate_limited', options);
      retry += 1;
      log.warn(
        { upstream, operation, attempt: retry, kind: kind ?? 'unknown', error: messageOf(err), delayMs },
        'upstream call failed: trying again',
      );
      try {
        await (options.sleep ?? sleep)(delayMs, signal);
      } catch (sleepErr) {
        // An abort while waiting ends the call with the failure that made it wait, which says more than the abort.
        if (signal?.aborted) throw err;
        throw sleepErr;
      }
      if (signal?.aborted) throw err;
    }
  }
}

/**
 * The wait before retry number `retry` (from 0): full jitter over an exponential step. A throttled call waits
 * at least half the step, so that it does not come back to the gateway before the limit had a chance to pass.
 */
function backoff(retry: number, throttled: boolean, options: ResilienceOptions): number {
  const step = Math.min(BACKOFF_CAP_MS, options.retryBaseMs * 2 ** retry);
  const random = (options.random ?? Math.random)();
  return Math.round(throttled ? step / 2 + (random * step) / 2 : random * step);
}

/** Either gateway's error kind, read structurally since each gateway has its own `GatewayError` class. */
function kindOf(err: unknown): string | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const kind = (err as { kind?: unknown }).kind;
  return typeof kind === 'string' ? kind : undefined;
}

/** A failure that the same call later may not meet: the network, an unreadable answer, a throttle. */
function isTransient(err: unknown): boolean {
  if (!(err instanceof UpstreamError) || err instanceof UpstreamUnsupportedError) return false;
  if (err instanceof UpstreamNotAuthorizedError) return false;
  const kind = kindOf(err);
  return kind === undefined || kind === 'unknown' || kind === 'rate_limited';
}

/**
 * Whether a failed call counts against the circuit. The breaker is about the upstream being down or throttling:
 * refusals about the request (a marketplace's rejection, bad parameters, an API the app may not call, a bad
 * signature, a token refused even after renewal) show a gateway that answers. An abort is the caller's decision;
 * an operation the provider has no API for, or an error that is no upstream's, says nothing about the upstream.
 */
function verdict(err: unknown, signal: AbortSignal | undefined): Verdict {
  if (signal?.aborted) return 'neutral';
  if (err instanceof MarketRejection) return 'healthy';
  if (err instanceof UpstreamUnsupportedError || err instanceof UpstreamNotAuthorizedError) return 'neutral';
  if (!(err instanceof UpstreamError)) return 'neutral';
  return isTransient(err) ? 'failure' : 'healthy';
}

function signalOf(operation: ProviderOperation, args: unknown[]): AbortSignal | undefined {
  const opts = args[PROVIDER_OPERATIONS[operation].arity] as CallOptions | undefined;
  return opts?.signal;
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Waits `ms`, or until `signal` aborts (then rejects with its reason). */
function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
