import { createHash, randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { UpstreamError } from '../../providers/errors.js';
import { type TokenSource, UpstreamNotAuthorizedError } from '../../providers/tokens.js';
import type { SecretBox } from '../crypto/secret-box.js';
import type { Database } from '../db/database.js';
import type { UpstreamCredentialsTable } from '../db/schema.js';

/**
 * The OAuth tokens of the real upstreams (docs/adr/0016-real-upstreams.md, "Credentials and tokens"): the account
 * owner authorises Ponte in a browser, the callback exchanges the code, and the tokens are kept in
 * `upstream_credentials` sealed with the master key, as access secrets are (ADR 0003). Every process of the deployment
 * reads them from there and refreshes them before they expire; the row's `version` decides which process's refresh is
 * kept. No token, code or state is ever written to the log.
 */

/** The platforms Ponte buys on, as the API's paths name them. */
export type UpstreamPlatform = '1688' | 'taobao';

/** A token as an upstream's OAuth endpoint granted it, with its times as epoch milliseconds. */
export interface GrantedToken {
  accessToken: string;
  /** Null when the upstream handed out no new refresh token: the stored one and its expiry stay. */
  refreshToken: string | null;
  expiresAt: number;
  refreshExpiresAt: number | null;
  /** The account the token acts for, as the upstream identifies it (and names it in its pushes). */
  owner: string;
  /** The account's login name, when the upstream gave it. */
  ownerLogin: string | null;
}

/** One upstream's OAuth endpoints, behind the same shape for every gateway (see the gateways' `token-grant.ts`). */
export interface TokenGrant {
  /** The upstream's name in errors and the status (`aop`, `taobao-global`). */
  upstream: string;
  /** The browser address where the account owner authorises the app; it comes back to `redirectUri` with `state`. */
  authorizeUrl(redirectUri: string, state: string): string;
  /** Exchanges the code the callback received. A code the upstream refuses throws `AuthorizationError` on `code`. */
  exchange(code: string, redirectUri: string, signal?: AbortSignal): Promise<GrantedToken>;
  refresh(refreshToken: string, signal?: AbortSignal): Promise<GrantedToken>;
}

/** An authorisation that cannot complete because of what the browser brought back: the route answers 40001. */
export class AuthorizationError extends Error {
  constructor(
    readonly field: 'state' | 'code',
    readonly reason: string,
  ) {
    super(`${field}: ${reason}`);
    this.name = 'AuthorizationError';
  }
}

/** What the operator may see of a platform's tokens: who they act for and until when, never a token. */
export interface TokenStatus {
  platform: UpstreamPlatform;
  upstream: string;
  authorized: boolean;
  owner: string | null;
  ownerLogin: string | null;
  expiresAt: number | null;
  refreshExpiresAt: number | null;
  authorizedAt: number | null;
  refreshedAt: number | null;
}

/** An authorisation begun: where to send the browser, and until when its `state` is accepted. */
export interface AuthorizationStart {
  url: string;
  state: string;
  expiresAt: number;
}

/** What `refreshIfDue` found and did. */
export type DueRefresh = 'not_authorized' | 'not_due' | 'not_refreshable' | 'refreshed';

/** Where the store reports; pino's and Fastify's loggers fit. */
export interface TokenStoreLog {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
}

export interface StoredTokenSourceOptions {
  database: Database;
  /** The master key's box: the tokens are stored sealed with it. */
  secrets: SecretBox;
  /** Epoch milliseconds: token expiry and the state's lifetime are counted on it. */
  now: () => number;
  platform: UpstreamPlatform;
  grant: TokenGrant;
  /** A token is refreshed this long before it expires. */
  refreshAheadMs: number;
  log: TokenStoreLog;
  /** How long a token read from the database is used without reading it again; 5 s unless given. */
  cacheMs?: number;
  /** How long an authorisation's `state` is accepted; 10 minutes unless given. */
  stateTtlMs?: number;
  /** A refresh or code exchange still unanswered after this long is abandoned; 30 s unless given. */
  refreshTimeoutMs?: number;
  /**
   * After a refresh ahead of expiry failed while the token was still valid, how long `accessToken()` uses that token
   * without trying again; 60 s unless given (so that an upstream refusing refreshes is not asked on every call).
   */
  retryAfterFailureMs?: number;
}

/** A platform's stored tokens, opened. */
interface Credentials {
  accessToken: string;
  refreshToken: string | null;
  expiresAt: number;
  refreshExpiresAt: number | null;
  owner: string;
  ownerLogin: string | null;
  authorizedAt: number;
  refreshedAt: number | null;
  version: number;
}

/** Why a refresh is asked: ahead of expiry, because the gateway refused the token, or by the operator. */
type RefreshCause = 'ahead' | 'renew' | 'force';

/** States are stored as their SHA-256, so that reading the table does not give a usable state. */
function stateKey(state: string): string {
  return createHash('sha256').update(state, 'utf8').digest('hex');
}

/** Waits for `promise`, or stops waiting (the work itself goes on for the other callers) when `signal` aborts. */
function abandonOnAbort<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  signal.throwIfAborted();
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (err: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(err);
      },
    );
  });
}

const describe = (err: unknown) => (err instanceof Error ? err.message : String(err));

/**
 * The token a real upstream's provider calls the gateway with, kept in the database (one row per platform) and
 * refreshed before it expires; it also runs the OAuth flow that stores it. One per platform and process.
 */
export class StoredTokenSource implements TokenSource {
  readonly platform: UpstreamPlatform;
  readonly upstream: string;
  private readonly cacheMs: number;
  private readonly stateTtlMs: number;
  private readonly refreshTimeoutMs: number;
  private readonly retryAfterFailureMs: number;
  /** The last row read or written, and when (monotonic time, so that a test's fixed clock does not pin it). */
  private cached: { credentials: Credentials; at: number } | null = null;
  /** The version of the token last handed to a caller: a `renew()` is about that one. */
  private handedVersion: number | null = null;
  /** The refresh under way in this process, which concurrent callers share. */
  private inflight: Promise<Credentials> | null = null;
  private lastFailureAt = Number.NEGATIVE_INFINITY;

  constructor(private readonly options: StoredTokenSourceOptions) {
    this.platform = options.platform;
    this.upstream = options.grant.upstream;
    this.cacheMs = options.cacheMs ?? 5000;
    this.stateTtlMs = options.stateTtlMs ?? 10 * 60_000;
    this.refreshTimeoutMs = options.refreshTimeoutMs ?? 30_000;
    this.retryAfterFailureMs = options.retryAfterFailureMs ?? 60_000;
  }

  /**
   * The stored token, refreshed first when it expires within `refreshAheadMs` and can be refreshed. When that
   * refresh fails and the token is still valid, the failure is logged and the token used.
   */
  async accessToken(signal?: AbortSignal): Promise<string> {
    const credentials = await this.current();
    const now = this.options.now();
    if (credentials.expiresAt - now > this.options.refreshAheadMs) return this.hand(credentials);
    const valid = credentials.expiresAt > now;
    if (!this.refreshable(credentials, now)) {
      if (valid) return this.hand(credentials);
      throw this.expired(credentials);
    }
    if (valid && now - this.lastFailureAt < this.retryAfterFailureMs) return this.hand(credentials);
    try {
      return this.hand(await this.shared('ahead', credentials.version, signal));
    } catch (err) {
      if (signal?.aborted) throw err;
      if (credentials.expiresAt <= this.options.now()) throw err;
      this.options.log.warn(
        { platform: this.platform, upstream: this.upstream, expiresAt: credentials.expiresAt, error: describe(err) },
        'upstream token refresh failed; the current token is still valid',
      );
      return this.hand(credentials);
    }
  }

  /**
   * The gateway refused the token: refreshes it (concurrent callers in the process share one refresh) unless another
   * process already did, and answers the new token. Throws `UpstreamError` when there is no refresh token or the
   * upstream refuses it.
   */
  async renew(signal?: AbortSignal): Promise<string> {
    return this.hand(await this.shared('renew', this.handedVersion, signal));
  }

  /** Refreshes the token now, whatever its expiry (the operator's request); answers the status. */
  async refreshNow(signal?: AbortSignal): Promise<TokenStatus> {
    return this.statusOf(await this.shared('force', null, signal));
  }

  /** The background worker's pass: refreshes the token when it expires within `refreshAheadMs`. */
  async refreshIfDue(signal?: AbortSignal): Promise<DueRefresh> {
    const credentials = await this.read();
    if (!credentials) return 'not_authorized';
    const now = this.options.now();
    if (credentials.expiresAt - now > this.options.refreshAheadMs) return 'not_due';
    if (!this.refreshable(credentials, now)) {
      this.options.log.warn(
        { platform: this.platform, upstream: this.upstream, expiresAt: credentials.expiresAt },
        `upstream token cannot be refreshed: run ponte upstream authorize ${this.platform}`,
      );
      return 'not_refreshable';
    }
    await this.shared('ahead', credentials.version, signal);
    return 'refreshed';
  }

  /** Begins an authorisation: a one-time `state` (256 random bits, stored hashed) and the upstream's address. */
  async beginAuthorization(redirectUri: string): Promise<AuthorizationStart> {
    const { db } = this.options.database;
    const now = this.options.now();
    const state = randomBytes(32).toString('base64url');
    const expiresAt = now + this.stateTtlMs;
    // States nobody came back with are dropped here: the table holds only authorisations under way.
    await db.deleteFrom('upstream_oauth_states').where('expires_at', '<=', now).execute();
    await db
      .insertInto('upstream_oauth_states')
      .values({ state: stateKey(state), platform: this.platform, redirect_uri: redirectUri, expires_at: expiresAt })
      .execute();
    this.options.log.info(
      { platform: this.platform, upstream: this.upstream, expiresAt },
      'upstream authorisation begun',
    );
    return { url: this.options.grant.authorizeUrl(redirectUri, state), state, expiresAt };
  }

  /**
   * Completes an authorisation with what the browser brought back: consumes the state (once; an unknown, used or
   * expired one throws `AuthorizationError` on `state`), exchanges the code and stores the tokens sealed. Answers
   * the status.
   */
  async completeAuthorization(state: string, code: string, signal?: AbortSignal): Promise<TokenStatus> {
    const { db } = this.options.database;
    const key = stateKey(state);
    // Deleting it is what consumes it: of two callbacks with the same state, one deletes the row and reads it.
    const pending = await db
      .deleteFrom('upstream_oauth_states')
      .where('state', '=', key)
      .where('platform', '=', this.platform)
      .returningAll()
      .executeTakeFirst();
    if (!pending) throw new AuthorizationError('state', 'unknown or already used');
    if (pending.expires_at <= this.options.now()) throw new AuthorizationError('state', 'expired');

    const granted = await this.options.grant.exchange(
      code,
      pending.redirect_uri,
      signal ?? AbortSignal.timeout(this.refreshTimeoutMs),
    );
    const now = this.options.now();
    const row = {
      platform: this.platform,
      access_token: this.options.secrets.seal(granted.accessToken),
      refresh_token: granted.refreshToken === null ? null : this.options.secrets.seal(granted.refreshToken),
      expires_at: granted.expiresAt,
      refresh_expires_at: granted.refreshExpiresAt,
      owner: granted.owner,
      owner_login: granted.ownerLogin,
      authorized_at: now,
      refreshed_at: null,
      version: 1,
    };
    const written = await db
      .insertInto('upstream_credentials')
      .values(row)
      .onConflict((oc) =>
        oc.column('platform').doUpdateSet({
          access_token: sql<string>`excluded.access_token`,
          refresh_token: sql<string | null>`excluded.refresh_token`,
          expires_at: sql<number>`excluded.expires_at`,
          refresh_expires_at: sql<number | null>`excluded.refresh_expires_at`,
          owner: sql<string>`excluded.owner`,
          owner_login: sql<string | null>`excluded.owner_login`,
          authorized_at: sql<number>`excluded.authorized_at`,
          refreshed_at: sql<number | null>`excluded.refreshed_at`,
          version: sql<number>`upstream_credentials.version + 1`,
        }),
      )
      .returning('version')
      .executeTakeFirstOrThrow();
    const credentials = this.open({ ...row, version: Number(written.version) });
    this.remember(credentials);
    this.lastFailureAt = Number.NEGATIVE_INFINITY;
    this.options.log.info(
      { platform: this.platform, upstream: this.upstream, owner: granted.owner, expiresAt: granted.expiresAt },
      'upstream authorised',
    );
    return this.statusOf(credentials);
  }

  /** Who the stored token acts for and until when, read from the database; never a token. */
  async status(): Promise<TokenStatus> {
    return this.statusOf(await this.read());
  }

  private statusOf(credentials: Credentials | null): TokenStatus {
    return {
      platform: this.platform,
      upstream: this.upstream,
      authorized: credentials !== null,
      owner: credentials?.owner ?? null,
      ownerLogin: credentials?.ownerLogin ?? null,
      expiresAt: credentials?.expiresAt ?? null,
      refreshExpiresAt: credentials?.refreshExpiresAt ?? null,
      authorizedAt: credentials?.authorizedAt ?? null,
      refreshedAt: credentials?.refreshedAt ?? null,
    };
  }

  private hand(credentials: Credentials): string {
    this.handedVersion = credentials.version;
    return credentials.accessToken;
  }

  private refreshable(credentials: Credentials, now: number): boolean {
    return (
      credentials.refreshToken !== null && (credentials.refreshExpiresAt === null || credentials.refreshExpiresAt > now)
    );
  }

  private notAuthorized(): UpstreamError {
    return new UpstreamNotAuthorizedError(this.upstream, `run ponte upstream authorize ${this.platform}`);
  }

  private expired(credentials: Credentials): UpstreamError {
    return new UpstreamError(
      'token',
      `${this.upstream}'s access token expired at ${new Date(credentials.expiresAt).toISOString()} and cannot be ` +
        `refreshed: run ponte upstream authorize ${this.platform}`,
    );
  }

  /** The credentials from memory when read moments ago, else from the database. */
  private async current(): Promise<Credentials> {
    const hit = this.cached;
    if (hit && performance.now() - hit.at < this.cacheMs) return hit.credentials;
    const credentials = await this.read();
    if (!credentials) throw this.notAuthorized();
    return credentials;
  }

  /** Reads the row (and remembers it); null when the platform was never authorised. */
  private async read(): Promise<Credentials | null> {
    const row = await this.options.database.db
      .selectFrom('upstream_credentials')
      .selectAll()
      .where('platform', '=', this.platform)
      .executeTakeFirst();
    if (!row) {
      this.cached = null;
      return null;
    }
    const credentials = this.open(row);
    this.remember(credentials);
    return credentials;
  }

  private remember(credentials: Credentials): void {
    this.cached = { credentials, at: performance.now() };
  }

  private open(row: UpstreamCredentialsTable): Credentials {
    const { secrets } = this.options;
    return {
      accessToken: secrets.openOnce(row.access_token),
      refreshToken: row.refresh_token === null ? null : secrets.openOnce(row.refresh_token),
      // bigint columns come back as numbers on both dialects; Number() keeps that true for a driver that differs.
      expiresAt: Number(row.expires_at),
      refreshExpiresAt: row.refresh_expires_at === null ? null : Number(row.refresh_expires_at),
      owner: row.owner,
      ownerLogin: row.owner_login,
      authorizedAt: Number(row.authorized_at),
      refreshedAt: row.refreshed_at === null ? null : Number(row.refreshed_at),
      version: Number(row.version),
    };
  }

  /** Joins the refresh under way in this process, or starts one. */
  private shared(cause: RefreshCause, seenVersion: number | null, signal?: AbortSignal): Promise<Credentials> {
    if (!this.inflight) {
      this.inflight = this.refresh(cause, seenVersion).finally(() => {
        this.inflight = null;
      });
    }
    return abandonOnAbort(this.inflight, signal);
  }

  /**
   * Refreshes the stored token and writes the result over the version read. When another process wrote first (a
   * newer version), its token is taken instead: of two processes that refreshed at once, one write wins and the
   * other reads it. `seenVersion` is the version the caller had: when the row has moved past it, it is already new.
   */
  private async refresh(cause: RefreshCause, seenVersion: number | null): Promise<Credentials> {
    const stored = await this.read();
    if (!stored) throw this.notAuthorized();
    const now = this.options.now();
    if (cause !== 'force') {
      if (seenVersion !== null && stored.version !== seenVersion) return stored;
      if (cause === 'ahead' && stored.expiresAt - now > this.options.refreshAheadMs) return stored;
    }
    if (stored.refreshToken === null) {
      throw new UpstreamError(
        'token',
        `${this.upstream}'s token has no refresh token: run ponte upstream authorize ${this.platform}`,
      );
    }
    if (stored.refreshExpiresAt !== null && stored.refreshExpiresAt <= now) {
      throw new UpstreamError(
        'token',
        `${this.upstream}'s refresh token expired at ${new Date(stored.refreshExpiresAt).toISOString()}: ` +
          `run ponte upstream authorize ${this.platform}`,
      );
    }

    let granted: GrantedToken;
    try {
      granted = await this.options.grant.refresh(stored.refreshToken, AbortSignal.timeout(this.refreshTimeoutMs));
    } catch (err) {
      // An upstream that replaces the refresh token refuses the old one once another process has used it: that
      // process's token is then in the database.
      const latest = await this.read();
      if (latest && latest.version !== stored.version) return latest;
      this.lastFailureAt = this.options.now();
      this.options.log.warn(
        { platform: this.platform, upstream: this.upstream, error: describe(err) },
        'upstream token refresh refused',
      );
      if (err instanceof UpstreamError) throw err;
      throw new UpstreamError('token', `${this.upstream}'s token refresh failed: ${describe(err)}`);
    }

    const refreshedAt = this.options.now();
    // No new refresh token (1688's refresh): the stored one keeps its expiry.
    const keepsRefresh = granted.refreshToken === null || granted.refreshToken === stored.refreshToken;
    const next: Credentials = {
      accessToken: granted.accessToken,
      refreshToken: granted.refreshToken ?? stored.refreshToken,
      expiresAt: granted.expiresAt,
      refreshExpiresAt: keepsRefresh ? (granted.refreshExpiresAt ?? stored.refreshExpiresAt) : granted.refreshExpiresAt,
      owner: granted.owner || stored.owner,
      ownerLogin: granted.ownerLogin ?? stored.ownerLogin,
      authorizedAt: stored.authorizedAt,
      refreshedAt,
      version: stored.version + 1,
    };
    const { secrets } = this.options;
    const written = await this.options.database.db
      .updateTable('upstream_credentials')
      .set({
        access_token: secrets.seal(next.accessToken),
        refresh_token: next.refreshToken === null ? null : secrets.seal(next.refreshToken),
        expires_at: next.expiresAt,
        refresh_expires_at: next.refreshExpiresAt,
        owner: next.owner,
        owner_login: next.ownerLogin,
        refreshed_at: refreshedAt,
        version: next.version,
      })
      .where('platform', '=', this.platform)
      .where('version', '=', stored.version)
      .executeTakeFirst();
    if (Number(written.numUpdatedRows) === 0) {
      // Another process refreshed (or the owner authorised again) meanwhile: its token is the one kept.
      const winner = await this.read();
      if (!winner) throw this.notAuthorized();
      this.options.log.info(
        { platform: this.platform, upstream: this.upstream },
        'upstream token was refreshed by another process',
      );
      return winner;
    }
    this.remember(next);
    this.lastFailureAt = Number.NEGATIVE_INFINITY;
    this.options.log.info(
      { platform: this.platform, upstream: this.upstream, cause, expiresAt: next.expiresAt },
      'upstream token refreshed',
    );
    return next;
  }
}
