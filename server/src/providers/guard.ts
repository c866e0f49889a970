import { performance } from 'node:perf_hooks';
import {
  isProviderFailure,
  MarketRejection,
  UpstreamError,
  UpstreamOutcomeUnknown,
  UpstreamTimeoutError,
  UpstreamUnsupportedError,
} from './errors.js';
import { type CallOptions, type MarketProvider, PROVIDER_OPERATIONS, type ProviderOperation } from './market.js';
import { NOT_DONE, RECONCILERS } from './reconcile.js';

export interface GuardOptions {
  /** A call that has not answered after this long is abandoned (its signal aborts). */
  timeoutMs: number;
  onFailure?: (operation: string, err: unknown) => void;
  /** Told of every call once it has ended: how it ended and how long it took, in seconds (metrics). */
  observe?: (operation: string, outcome: CallOutcome, seconds: number) => void;
}

/**
 * How a call ended: `ok` (a timed-out write that the check found done included), `rejected` (the marketplace refused:
 * MarketRejection), `unsupported` (no API for it), `timeout`, `outcome_unknown` (a write that may have happened), or
 * `error` (any other failure).
 */
export type CallOutcome = 'ok' | 'rejected' | 'unsupported' | 'timeout' | 'outcome_unknown' | 'error';

function isOperation(prop: PropertyKey): prop is ProviderOperation {
  return typeof prop === 'string' && Object.hasOwn(PROVIDER_OPERATIONS, prop);
}

/**
 * Wraps a provider so that every operation has a deadline and fails only in the ways modules expect
 * (see errors.ts). At the deadline the call's signal aborts. A read then fails with
 * `UpstreamTimeoutError`; a write may have happened, so the upstream is asked (reconcile.ts): the
 * write's result when it did, `UpstreamTimeoutError` when it certainly did not, and
 * `UpstreamOutcomeUnknown` when the upstream cannot tell (ADR 0007). The same guard serves every
 * provider, the sandbox's and real ones alike.
 */
export function guardProvider<T extends MarketProvider>(provider: T, options: GuardOptions): T {
  const cache = new Map<PropertyKey, unknown>();
  return new Proxy(provider, {
    get(target, prop, receiver) {
      const value: unknown = Reflect.get(target, prop, receiver);
      if (typeof value !== 'function') return value;
      if (!isOperation(prop)) return value.bind(target);
      const known = cache.get(prop);
      if (known) return known;
      const { arity, write } = PROVIDER_OPERATIONS[prop];
      const wrapped = (...args: unknown[]) => {
        const started = performance.now();
        const call = (opts: CallOptions) => {
          const full = args.slice(0, arity);
          while (full.length < arity) full.push(undefined);
          return (value as (...a: unknown[]) => unknown).apply(target, [...full, opts]);
        };
        const result = write
          ? guardWrite(prop, target, args, call, options)
          : guardCall(prop, (signal) => call({ signal }), options);
        return options.observe ? observed(prop, started, result, options.observe) : result;
      };
      cache.set(prop, wrapped);
      return wrapped;
    },
  });
}

class Deadline extends Error {}

/**
 * Runs `call` with a signal that aborts after `timeoutMs`. Provider failures pass through; the
 * deadline becomes `UpstreamTimeoutError`; anything else becomes `UpstreamError`.
 */
export async function guardCall<R>(
  operation: string,
  call: (signal: AbortSignal) => R | Promise<R>,
  options: GuardOptions,
): Promise<R> {
  try {
    return await withDeadline(call, options.timeoutMs);
  } catch (err) {
    throw failure(operation, err, options);
  }
}

async function guardWrite(
  operation: ProviderOperation,
  provider: MarketProvider,
  args: unknown[],
  call: (opts: CallOptions) => unknown,
  options: GuardOptions,
): Promise<unknown> {
  try {
    return await withDeadline((signal) => call({ signal }), options.timeoutMs);
  } catch (err) {
    if (!(err instanceof Deadline)) throw failure(operation, err, options);
  }
  // No answer in time: the write may or may not have happened. Ask instead of repeating it.
  const reconcile = RECONCILERS[operation];
  if (!reconcile) {
    const unknown = new UpstreamOutcomeUnknown(operation, 'no way to ask the upstream what this write did');
    options.onFailure?.(operation, unknown);
    throw unknown;
  }
  let outcome: unknown;
  try {
    outcome = await withDeadline((signal) => reconcile(provider, args, { signal }), options.timeoutMs);
  } catch (err) {
    const reason = err instanceof Deadline ? 'the upstream did not answer the check either' : errorText(err);
    const unknown = new UpstreamOutcomeUnknown(operation, reason);
    options.onFailure?.(operation, unknown);
    throw unknown;
  }
  if (outcome !== NOT_DONE) return outcome;
  const timeout = new UpstreamTimeoutError(operation, options.timeoutMs);
  options.onFailure?.(operation, timeout);
  throw timeout;
}

async function withDeadline<R>(call: (signal: AbortSignal) => R | Promise<R>, timeoutMs: number): Promise<R> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const reason = new Deadline();
      controller.abort(reason);
      reject(reason);
    }, timeoutMs);
  });
  try {
    return await Promise.race([Promise.resolve().then(() => call(controller.signal)), deadline]);
  } finally {
    clearTimeout(timer);
  }
}

function failure(operation: string, err: unknown, options: GuardOptions): Error {
  if (err instanceof Deadline) {
    const timeout = new UpstreamTimeoutError(operation, options.timeoutMs);
    options.onFailure?.(operation, timeout);
    return timeout;
  }
  if (isProviderFailure(err)) {
    if (err instanceof UpstreamError) options.onFailure?.(operation, err);
    return err as Error;
  }
  options.onFailure?.(operation, err);
  return new UpstreamError(operation, errorText(err));
}

/** `result`, once it settles told to `observe` with its outcome and the time since `started`. */
function observed<R>(
  operation: string,
  started: number,
  result: Promise<R>,
  observe: NonNullable<GuardOptions['observe']>,
): Promise<R> {
  const report = (outcome: CallOutcome) => observe(operation, outcome, (performance.now() - started) / 1000);
  return result.then(
    (value) => {
      report('ok');
      return value;
    },
    (err: unknown) => {
      report(outcomeOf(err));
      throw err;
    },
  );
}

function outcomeOf(err: unknown): CallOutcome {
  if (err instanceof MarketRejection) return 'rejected';
  if (err instanceof UpstreamUnsupportedError) return 'unsupported';
  if (err instanceof UpstreamTimeoutError) return 'timeout';
  if (err instanceof UpstreamOutcomeUnknown) return 'outcome_unknown';
  return 'error';
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
