import { randomUUID } from 'node:crypto';
import { ApiError, NetworkError, NOT_AN_ENVELOPE } from './errors.js';
import type { operations } from './generated/openapi.js';
import { rfc3986, type SignatureMethod, signRequest } from './signing.js';

/** The answer to every request, success or failure: `data` is meaningful when `code` is 200. */
export interface Envelope<T = unknown> {
  requestId: string;
  code: number;
  developId: string;
  msg: string;
  data: T;
}

type JsonOf<R> = R extends { content: { 'application/json': infer J } } ? J : never;
/** The `data` of a successful answer of the operation `K` of the OpenAPI document. */
export type OperationData<K extends keyof operations> =
  JsonOf<operations[K]['responses'][200]> extends { data: infer D } ? D : never;
/** The JSON request body of the operation `K`. */
export type OperationBody<K extends keyof operations> = operations[K] extends { requestBody?: infer B }
  ? JsonOf<NonNullable<B>>
  : never;
/** The query parameters of the operation `K`. */
export type OperationQuery<K extends keyof operations> = NonNullable<operations[K]['parameters']['query']>;

export type SubAccount = OperationData<'getSubAccount'>;
export type SubAccountPage = OperationData<'listSubAccounts'>;
export type CreateSubAccountInput = OperationBody<'createSubAccount'>;
export type PagingParams = OperationQuery<'listSubAccounts'>;

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

  /** @param options where to send requests, and how long to wait and retry */
  constructor(options: TransportOptions) {
    this.base = new URL(options.baseUrl);
    this.fetchFn = options.fetch ?? fetch;
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.maxRetries = Math.max(0, options.maxRetries ?? 2);
    this.retryDelayMs = options.retryDelayMs ?? 200;
    this.maxRetryAfterMs = options.maxRetryAfterMs ?? 30_000;
  }

  /** Sends one call (with its retries) and returns the envelope's `data`. */
  async call<T>(
    method: string,
    path: string,
    options: RequestOptions,
    authorize: (method: string, pathAndQuery: string, body: Uint8Array | undefined) => Record<string, string>,
  ): Promise<T> {
    const upper = method.toUpperCase();
    const url = this.url(path, encodeQuery(options.query));
    const body = options.body === undefined ? undefined : Buffer.from(JSON.stringify(options.body), 'utf8');
    const idempotencyKey =
      upper === 'GET' || upper === 'HEAD' ? undefined : (options.idempotencyKey ?? randomUUID().replace(/-/g, ''));
    const prepare = (): Prepared => ({
      method: upper,
      url,
      body,
      headers: {
        accept: 'application/json',
        ...(body ? { 'content-type': 'application/json' } : {}),
        ...(idempotencyKey ? { 'idempotency-key': idempotencyKey } : {}),
        ...authorize(upper, url.pathname + url.search, body),
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

  private async send<T>(prepare: () => Prepared, signal: AbortSignal | undefined): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      const req = prepare();
      const timeout = AbortSignal.timeout(this.timeoutMs);
      let res: Response;
      let text: string;
      try {
        res = await this.fetchFn(req.url.href, {
          method: req.method,
          headers: req.headers,
          body: req.body,
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

/** Options of {@link PonteClient}. */
export interface PonteClientOptions extends TransportOptions {
  accessKey: string;
  accessSecret: string;
  /** The sub-account acting by default (the `user-id` header); a call can override it. */
  userId: string;
  /** `hmac-sha256` (default) or the legacy `md5`, which the operator must enable for the key. */
  signatureMethod?: SignatureMethod;
}

/** Sub-accounts of the calling developer (`/open/user/*`). */
export class UsersResource {
  constructor(private readonly client: PonteClient) {}

  /**
   * Creates a sub-account; only the main account may. Retries reuse one `Idempotency-Key`, so a retried
   * creation never makes two sub-accounts.
   * @throws {ApiError} 40301 when acting as a sub-account, 40901 when `outMemberId` is taken.
   */
  create(input: CreateSubAccountInput, options: MutationOptions & { userId?: string } = {}): Promise<SubAccount> {
    return this.client.request<SubAccount>('POST', '/open/user/create', { ...options, body: input });
  }

  /** One page of sub-accounts: all of the developer's for the main account, only itself for a sub-account. */
  list(params: PagingParams = {}, options: CallOptions & { userId?: string } = {}): Promise<SubAccountPage> {
    return this.client.request<SubAccountPage>('GET', '/open/user/list', { ...options, query: params });
  }

  /**
   * One sub-account by its `userId`.
   * @throws {ApiError} 40401 when it is not one the caller may see.
   */
  get(userId: string, options: CallOptions & { userId?: string } = {}): Promise<SubAccount> {
    return this.client.request<SubAccount>('GET', '/open/user/get', { ...options, query: { userId } });
  }

  /** Every visible sub-account, fetching page after page (`pageSize` per request, default 50). */
  async *iterate(
    params: { pageSize?: number } = {},
    options: CallOptions & { userId?: string } = {},
  ): AsyncGenerator<SubAccount, void, undefined> {
    const pageSize = params.pageSize ?? 50;
    for (let pageNo = 1; ; pageNo++) {
      const page = await this.list({ pageNo, pageSize }, options);
      yield* page.list;
      if (page.list.length < pageSize || pageNo * pageSize >= page.total) return;
    }
  }
}

/**
 * Client of the Ponte API for a developer: signs every request (ARCHITECTURE §5), retries what is safe
 * to retry, and returns the envelope's `data` or throws {@link ApiError} / {@link NetworkError}.
 *
 * ```ts
 * const client = new PonteClient({ baseUrl, accessKey, accessSecret, userId });
 * const sub = await client.users.create({ name: 'Hanoi store' });
 * ```
 */
export class PonteClient {
  /** Sub-accounts. */
  readonly users: UsersResource;
  private readonly transport: Transport;

  /** A client signing as `accessKey` and acting as `userId` unless a call names another sub-account. */
  constructor(private readonly options: PonteClientOptions) {
    this.transport = new Transport(options);
    this.users = new UsersResource(this);
  }

  /**
   * Sends a signed request to any endpoint and returns the envelope's `data`.
   *
   * The body is JSON-encoded once and those bytes are both signed and sent. Network failures and
   * timeouts (and 429/503 with a bounded `Retry-After`) are retried up to `maxRetries` times, each
   * attempt signed anew; requests other than GET carry the same `Idempotency-Key` on every attempt.
   * @throws {ApiError} when the server answers with an error code or without an envelope.
   * @throws {NetworkError} when no reply arrived after the last attempt.
   */
  request<T = unknown>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    const { accessKey, accessSecret, signatureMethod } = this.options;
    const userId = options.userId ?? this.options.userId;
    return this.transport.call<T>(method, path, options, (m, url, body) =>
      signRequest({ method: m, url, body, accessKey, accessSecret, userId, signatureMethod }),
    );
  }
}
