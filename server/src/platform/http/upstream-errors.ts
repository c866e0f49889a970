import {
  MarketRejection,
  UpstreamError,
  UpstreamOutcomeUnknown,
  UpstreamTimeoutError,
  UpstreamUnsupportedError,
} from '../../providers/errors.js';
import { ApiError } from './errors.js';
import { phrase } from './reasons.js';

/**
 * The one place where provider failures become API errors: an operation the configured upstream has no API for is 50101 (HTTP 501), an upstream error 50201, a deadline
 * 50401, a write whose outcome is unknown 50402, and a marketplace's refusal the contract code of its
 * reason (a payment whose agreed total is no longer the order's: 42203). Returns null for anything
 * that is not a provider failure. The marketplace's own text (in English, or its language) goes
 * inside a frame in the request's language; 50201's message is itself that frame.
 */
export function upstreamApiError(err: unknown): ApiError | null {
  if (err instanceof UpstreamUnsupportedError) {
    return new ApiError(50101, { upstream: err.upstream, operation: err.operation });
  }
  if (err instanceof UpstreamError) return new ApiError(50201, { reason: err.reason });
  if (err instanceof UpstreamTimeoutError) return new ApiError(50401);
  if (err instanceof UpstreamOutcomeUnknown) return new ApiError(50402);
  if (!(err instanceof MarketRejection)) return null;
  switch (err.reason) {
    case 'not_found':
      return new ApiError(40401, { what: phrase('marketHasNo', { detail: err.message }) });
    case 'out_of_stock':
    case 'below_min_quantity':
      return new ApiError(42202);
    case 'price_changed':
      return new ApiError(42203);
    case 'invalid_value':
      return new ApiError(40001, {
        field: err.field ?? 'request',
        reason: phrase('marketRefusedValue', { detail: err.message }),
      });
    default:
      return new ApiError(40901, { reason: phrase('marketRefused', { detail: err.message }) });
  }
}
