import { UpstreamError } from './errors.js';

/**
 * Where a real upstream's provider gets the access token of the account it acts for (docs/adr/0016): a fixed
 * token from the configuration (1688's self-use apps), or the token the OAuth flow stored, refreshed before it
 * expires. Tokens never leave this object except to the gateway client.
 */
export interface TokenSource {
  /** A token to call the gateway with; throws `UpstreamError` when the upstream has not been authorised yet. */
  accessToken(signal?: AbortSignal): Promise<string>;
  /**
   * The gateway refused the token as expired or invalid: gets a new one (concurrent callers share one refresh)
   * and answers it. Throws `UpstreamError` when no new token can be had (a fixed token, no refresh token, the
   * refresh refused).
   */
  renew(signal?: AbortSignal): Promise<string>;
}

/**
 * No token to call with: the upstream has not been authorised on an account yet. Neither a retry nor the circuit
 * breaker can help; the operator has to authorise (the message says how).
 */
export class UpstreamNotAuthorizedError extends UpstreamError {
  constructor(upstream: string, howTo: string) {
    super('token', `${upstream} is not authorised yet: ${howTo}`);
    this.name = 'UpstreamNotAuthorizedError';
  }
}

/** A token given in the configuration: used as it is, never refreshed. */
export class FixedTokenSource implements TokenSource {
  constructor(
    private readonly upstream: string,
    private readonly token: string,
  ) {}

  async accessToken(): Promise<string> {
    return this.token;
  }

  async renew(): Promise<string> {
    throw new UpstreamError('token', `${this.upstream}'s configured access token was refused and cannot be refreshed`);
  }
}
