import { ApiError } from '../platform/http/errors.js';
import { MarketRejection, UpstreamError, UpstreamTimeoutError } from './errors.js';

export interface GuardOptions {
  /** A call that has not answered after this long fails with 50401. */
  timeoutMs: number;
  onFailure?: (operation: string, err: unknown) => void;
}

/**
 * Wraps a provider so that every asynchronous method has a deadline and fails only in the ways
 * modules expect: `MarketRejection` and `ApiError`s pass through, a deadline becomes
 * `UpstreamTimeoutError` (50401), anything else `UpstreamError` (50201). The same guard serves
 * every provider, the sandbox's and real ones alike.
 */
export function guardProvider<T extends object>(provider: T, options: GuardOptions): T {
  const cache = new Map<PropertyKey, unknown>();
  return new Proxy(provider, {
    get(target, prop, receiver) {
      const value: unknown = Reflect.get(target, prop, receiver);
      if (typeof value !== 'function' || prop === 'onUpstreamEvent' || prop === 'constructor') {
        return typeof value === 'function' ? value.bind(target) : value;
      }
      const known = cache.get(prop);
      if (known) return known;
      const operation = String(prop);
      const wrapped = (...args: unknown[]) =>
        guardCall(operation, () => (value as (...a: unknown[]) => unknown).apply(target, args), options);
      cache.set(prop, wrapped);
      return wrapped;
    },
  });
}

export async function guardCall<R>(operation: string, call: () => R | Promise<R>, options: GuardOptions): Promise<R> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new UpstreamTimeoutError(operation, options.timeoutMs)), options.timeoutMs);
  });
  try {
    return await Promise.race([Promise.resolve().then(call), deadline]);
  } catch (err) {
    if (err instanceof MarketRejection || err instanceof ApiError) {
      if (err instanceof UpstreamError || err instanceof UpstreamTimeoutError) options.onFailure?.(operation, err);
      throw err;
    }
    options.onFailure?.(operation, err);
    throw new UpstreamError(operation, err instanceof Error ? err.message : String(err));
  } finally {
    clearTimeout(timer);
  }
}
