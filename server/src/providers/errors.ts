import { ApiError } from '../platform/http/errors.js';

/**
 * How a provider call fails. Modules never see transport details: an upstream that errors answers
 * 50201, one that does not answer in time 50401, and a refusal the marketplace gives for a business
 * reason (out of stock, wrong state) is a `MarketRejection` the module maps to its own contract code.
 */
export class UpstreamError extends ApiError {
  constructor(
    readonly operation: string,
    reason: string,
  ) {
    super(50201, { reason });
    this.name = 'UpstreamError';
  }
}

export class UpstreamTimeoutError extends ApiError {
  constructor(
    readonly operation: string,
    readonly timeoutMs: number,
  ) {
    super(50401);
    this.name = 'UpstreamTimeoutError';
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
  | 'invalid_value';

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

  /** The contract error for this refusal. */
  toApiError(what?: string): ApiError {
    switch (this.reason) {
      case 'not_found':
        return new ApiError(40401, { what: what ?? this.message });
      case 'out_of_stock':
      case 'below_min_quantity':
        return new ApiError(42202);
      case 'invalid_value':
        return new ApiError(40001, { field: this.field ?? 'request', reason: this.message });
      default:
        return new ApiError(40901, { reason: this.message });
    }
  }
}
