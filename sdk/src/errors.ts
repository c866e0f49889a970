/**
 * The two ways a call can fail: the server answered with an error envelope ({@link ApiError}), or no
 * answer came back at all, even after retries ({@link NetworkError}).
 */

/** `code` of an {@link ApiError} raised for a reply that was not a Ponte envelope (a proxy's HTML page, say). */
export const NOT_AN_ENVELOPE = 0;

export interface ApiErrorFields {
  /** The five-digit error code of the envelope, or {@link NOT_AN_ENVELOPE}. */
  code: number;
  /** The envelope's message, in the request's language. */
  msg: string;
  /** The request id to quote when reporting the problem ('' when the server sent none). */
  requestId: string;
  /** The HTTP status of the reply. */
  httpStatus: number;
  /** The calling developer's id, as the server reported it ('' when it did not know the caller). */
  developId: string;
  /** Seconds the server asked to wait before retrying (`Retry-After`), when it sent one. */
  retryAfterSeconds?: number | undefined;
}

/** The server answered with an error envelope (any `code` other than 200), or with something that is not one. */
export class ApiError extends Error {
  readonly code: number;
  readonly msg: string;
  readonly requestId: string;
  readonly httpStatus: number;
  readonly developId: string;
  readonly retryAfterSeconds: number | undefined;

  constructor(fields: ApiErrorFields) {
    super(`${fields.code} ${fields.msg}${fields.requestId ? ` (requestId ${fields.requestId})` : ''}`);
    this.name = 'ApiError';
    this.code = fields.code;
    this.msg = fields.msg;
    this.requestId = fields.requestId;
    this.httpStatus = fields.httpStatus;
    this.developId = fields.developId;
    this.retryAfterSeconds = fields.retryAfterSeconds;
  }
}

/** No reply could be read (connection refused or dropped, timeout), after every allowed retry. */
export class NetworkError extends Error {
  /** How many times the request was sent. */
  readonly attempts: number;
  /** True when the last attempt ended because it took longer than the client's `timeoutMs`. */
  readonly timedOut: boolean;

  constructor(message: string, options: { attempts: number; timedOut: boolean; cause?: unknown }) {
    super(message, { cause: options.cause });
    this.name = 'NetworkError';
    this.attempts = options.attempts;
    this.timedOut = options.timedOut;
  }
}
