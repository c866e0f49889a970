import { randomUUID, utf8Encode } from '#crypto';
import { ApiError, NetworkError, NOT_AN_ENVELOPE } from './errors.js';
import { rfc3986 } from './signing.js';

/**
 * The HTTP layer shared by the developer and operator clients: query encoding, signing, retries with
 * a stable idempotency key, and envelope unwrapping.
 */

/** The answer to every request, success or failure: `data` is meaningful when `code` is 200. */
export interface Envelope<T = unknown> {
  requestId: string;
  code: number;
  developId: string;
  msg: string;
  data: T;
}

type Scalar = string | number | boolean | bigint;
/** A query value: arrays repeat the name; `undefined` and `null` leave the parameter out. */
export type QueryValue = Scalar | readonly Scalar[] | null | undefined;
export type Query = Record<string, QueryValue>;

/** Encodes a query with only RFC 3986 unreserved characters left as they are, in the order given. */
export function encodeQuery(query: Query | undefined): string {
  const parts: string[] = [];
  for (const [name, value] of Object.entries(query ?? {})) {
    if (value === undefined || value === null) continue;
    for (const item of Array.isArray(value) ? value : [value]) parts.push(`${rfc3986(name)}=${rfc3986(String(item))}`);
  }
  return parts.join('&');
}

/** Options of one call. */
export interface CallOptions {
  /** Cancels the call, retries included. */
  signal?: AbortSignal;
}

/** Options of one call that changes something. */
export interface MutationOptions extends CallOptions {
  /** Sent as `Idempotency-Key` on every attempt; a random one is generated when absent. */
  idempotencyKey?: string;
}

/** Options of {@link PonteClient.request}. */
export interface RequestOptions extends MutationOptions {
  query?: Query;
  /** JSON-encoded once; the encoded bytes are signed and sent. */
  body?: unknown;
  /** Act as this sub-account instead of the client's `userId`. */
  userId?: string;
}

/** Transport settings shared by {@link PonteClient} and the operator client. */
export interface TransportOptions {
  /** Server origin, optionally with a path prefix: `https://api.example.com` or `https://example.com/ponte`. */
  baseUrl: string;
  /** Per attempt, in milliseconds (default 30000). */
  timeoutMs?: number;
  /** Retries after a network failure, a timeout, a 429 or a 503 (default 2). */
  maxRetries?: number;
  /** Base of the exponential back-off between retries, in milliseconds (default 200). */
  retryDelayMs?: number;
  /** A 429 or 503 whose `Retry-After` asks for longer than this (milliseconds, default 30000) is not retried. */
  maxRetryAfterMs?: number;
  /** The `fetch` to use (default: the global one). */
  fetch?: typeof fetch;
  /**
   * Headers sent with every request (read at each attempt when a function), such as `Accept-Language`, which picks
   * the language of the server's messages. The signed system headers and `Idempotency-Key` cannot be replaced.
   */
  headers?: Record<string, string> | (() => Record<string, string>);
}

interface Prepared {
  method: string;
  url: URL;
  body: Uint8Array | undefined;
  headers: Record<string, string>;
}

const MAX_BACKOFF_MS = 10_000;

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
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

/** `Retry-After` in milliseconds (delta-seconds or an HTTP date), or undefined when absent or unreadable. */
function retryAfterMs(headers: Headers): number | undefined {
  const raw = headers.get('retry-after')?.trim();
  if (!raw) return undefined;
  if (/^\d+$/.test(raw)) return Number(raw) * 1000;
  const at = Date.parse(raw);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

function isEnvelope(value: unknown): value is Envelope {
  const v = value as Partial<Envelope> | null;
  return typeof v === 'object' && v !== null && typeof v.code === 'number' && typeof v.msg === 'string';
}

/** Turns a reply into the envelope's `data`, or throws {@link ApiError}. */
export function unwrapEnvelope<T>(status: number, headers: Headers, text: string): T {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  const retryAfter = retryAfterMs(headers);
  const retryAfterSeconds = retryAfter === undefined ? undefined : Math.ceil(retryAfter / 1000);
  if (!isEnvelope(parsed)) {
    const excerpt = text.length > 200 ? `${text.slice(0, 200)}…` : text;
    throw new ApiError({
      code: NOT_AN_ENVELOPE,
      msg: `HTTP ${status} without a Ponte envelope: ${excerpt}`,
      requestId: headers.get('x-request-id') ?? '',
      httpStatus: status,
      developId: '',
      retryAfterSeconds,
    });
  }
  if (parsed.code !== 200) {
    throw new ApiError({
      code: parsed.code,
      msg: parsed.msg,
      requestId: typeof parsed.requestId === 'string' ? parsed.requestId : (headers.get('x-request-id') ?? ''),
      httpStatus: status,
      developId: typeof parsed.developId === 'string' ? parsed.developId : '',
      retryAfterSeconds,
    });
  }
  return parsed.data as T;
}

/**
 * Sends requests with a per-attempt timeout and bounded retries, and unwraps envelopes. `authorize`
 * is called before every attempt, so each attempt carries fresh credentials (a new nonce and timestamp).
 * Used by the clients of this package; not part of the public API.
 */
export class Transport {
  private readonly base: URL;
  private readonly fetchFn: typeof fetch;
  private readonly timeoutMs: number;
  private readonly maxRetries: number;
  private readonly retryDelayMs: number;
  private readonly maxRetryAfterMs: number;
  private readonly extraHeaders: TransportOptions['headers'];

  /** @param options where to send requests, and how long to wait and retry */
  constructor(options: TransportOptions) {
    this.base = new URL(options.baseUrl);
    // Called as a plain function: a browser's fetch refuses to run with another `this` ("Illegal invocation").
    this.fetchFn = options.fetch ?? ((input, init) => fetch(input, init));
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.maxRetries = Math.max(0, options.maxRetries ?? 2);
    this.retryDelayMs = options.retryDelayMs ?? 200;
    this.maxRetryAfterMs = options.maxRetryAfterMs ?? 30_000;
    this.extraHeaders = options.headers;
  }

  /** Sends one call (with its retries) and returns the envelope's `data`. */
  async call<T>(
    method: string,
    path: string,
    options: RequestOptions,
    authorize: (
      method: string,
      pathAndQuery: string,
      body: Uint8Array | undefined,
    ) => Record<string, string> | Promise<Record<string, string>>,
  ): Promise<T> {
    const upper = method.toUpperCase();
    const url = this.url(path, encodeQuery(options.query));
    const body = options.body === undefined ? undefined : utf8Encode(JSON.stringify(options.body));
    const idempotencyKey =
      upper === 'GET' || upper === 'HEAD' ? undefined : (options.idempotencyKey ?? randomUUID().replace(/-/g, ''));
    const prepare = async (): Promise<Prepared> => ({
      method: upper,
      url,
      body,
      headers: {
        ...(typeof this.extraHeaders === 'function' ? this.extraHeaders() : this.extraHeaders),
        accept: 'application/json',
        ...(body ? { 'content-type': 'application/json' } : {}),
        ...(idempotencyKey ? { 'idempotency-key': idempotencyKey } : {}),
        ...(await authorize(upper, url.pathname + url.search, body)),
      },
    });
    return this.send<T>(prepare, options.signal);
  }

  /** The URL as it will be sent: the base's path prefix, the path, and the query. */
  private url(path: string, query: string): URL {
    const q = path.indexOf('?');
    const pathOnly = q < 0 ? path : path.slice(0, q);
    const search = [q < 0 ? '' : path.slice(q + 1), query].filter((s) => s !== '').join('&');
    const prefix = this.base.pathname.replace(/\/+$/, '');
    const rel = pathOnly.startsWith('/') ? pathOnly : `/${pathOnly}`;
    // Parsed once: the signed path and query are exactly what `fetch` sends (escapes normalised by URL).
    return new URL(`${this.base.origin}${prefix}${rel}${search ? `?${search}` : ''}`);
  }

  private backoff(attempt: number): number {
    const exp = Math.min(MAX_BACKOFF_MS, this.retryDelayMs * 2 ** (attempt - 1));
    return exp / 2 + Math.random() * (exp / 2);
  }

  private async send<T>(prepare: () => Promise<Prepared>, signal: AbortSignal | undefined): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      const req = await prepare();
      const timeout = AbortSignal.timeout(this.timeoutMs);
      let res: Response;
      let text: string;
      try {
        res = await this.fetchFn(req.url.href, {
          method: req.method,
          headers: req.headers,
          body: req.body as Uint8Array<ArrayBuffer> | undefined,
          signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
        });
        text = await res.text();
      } catch (err) {
        if (signal?.aborted) throw signal.reason ?? err;
        if (attempt > this.maxRetries) {
          const what = timeout.aborted ? `timed out after ${this.timeoutMs} ms` : 'failed';
          throw new NetworkError(`${req.method} ${req.url.pathname} ${what} (${attempt} attempts)`, {
            attempts: attempt,
            timedOut: timeout.aborted,
            cause: err,
          });
        }
        await sleep(this.backoff(attempt), signal);
        continue;
      }
      if ((res.status === 429 || res.status === 503) && attempt <= this.maxRetries) {
        const wait = retryAfterMs(res.headers) ?? this.backoff(attempt);
        if (wait <= this.maxRetryAfterMs) {
          await sleep(wait, signal);
          continue;
        }
      }
      return unwrapEnvelope<T>(res.status, res.headers, text);
    }
  }
}
