/**
 * How a provider call fails, in the marketplace's terms. These classes know nothing of the API's
 * wire codes: the platform maps them to error codes in one place (`platform/http/upstream-errors.ts`).
 */

/** The upstream answered with an error, or could not be reached. */
export class UpstreamError extends Error {
  constructor(
    readonly operation: string,
    readonly reason: string,
  ) {
    super(`${operation}: ${reason}`);
    this.name = 'UpstreamError';
  }
}

/**
 * An operation of the provider interface that the configured upstream has no known API for (ADR 0016). It is never
 * answered with a made-up success: the caller learns which operation and which upstream.
 */
export class UpstreamUnsupportedError extends UpstreamError {
  constructor(
    operation: string,
    readonly upstream: string,
  ) {
    super(operation, `${upstream} has no API for ${operation}`);
    this.name = 'UpstreamUnsupportedError';
  }
}

/** The upstream did not answer in time; for a write, it is known not to have happened (see ADR 0007). */
export class UpstreamTimeoutError extends Error {
  constructor(
    readonly operation: string,
    readonly timeoutMs: number,
  ) {
    super(`${operation}: no answer within ${timeoutMs} ms`);
    this.name = 'UpstreamTimeoutError';
  }
}

/**
 * A write timed out and asking the upstream afterwards could not tell whether it happened. The
 * caller must not treat it as failed: a retry carrying the same reference (`clientRef`) is safe.
 */
export class UpstreamOutcomeUnknown extends Error {
  constructor(
    readonly operation: string,
    readonly reason: string,
  ) {
    super(`${operation}: outcome unknown (${reason})`);
    this.name = 'UpstreamOutcomeUnknown';
  }
}

export type RejectionReason =
  /** The product, SKU, order or refund does not exist (for this buyer). */
  | 'not_found'
  /** The product is delisted. */
  | 'delisted'
  /** Not enough stock, or fewer than the minimum order quantity. */
  | 'out_of_stock'
  | 'below_min_quantity'
  /** The order or refund is not in a state that allows the action. */
  | 'invalid_state'
  /** A value the marketplace refuses (an amount above the maximum, an unknown reason id...). */
  | 'invalid_value'
  /** A payment's expected total is not the order's total any more (the seller changed the price). */
  | 'price_changed';

/** The marketplace understood the request and refused it. */
export class MarketRejection extends Error {
  constructor(
    readonly reason: RejectionReason,
    message: string,
    /** The request field at fault, when there is one. */
    readonly field?: string,
  ) {
    super(message);
    this.name = 'MarketRejection';
  }
}

/** Whether an error is one of the provider failures above (the guard lets these through unchanged). */
export function isProviderFailure(err: unknown): boolean {
  return (
    err instanceof UpstreamError ||
    err instanceof UpstreamTimeoutError ||
    err instanceof UpstreamOutcomeUnknown ||
    err instanceof MarketRejection
  );
}
