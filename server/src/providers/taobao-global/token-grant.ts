import { AuthorizationError, type GrantedToken, type TokenGrant } from '../../platform/upstream/token-store.js';
import { GatewayError } from './errors.js';
import type { IopClient, IopToken } from './gateway.js';

/** The refusals of `/auth/token/create` that mean the code itself is bad (unknown, used, expired, missing). */
const BAD_CODE = new Set(['InvalidCode', 'MissingParameter']);

/**
 * Taobao Global's OAuth endpoints as the token store uses them (docs/adr/0016-real-upstreams.md): the authorise page
 * `{authUrl}/oauth/authorize`, the code exchange (`/auth/token/create`) and the refresh (`/auth/token/refresh`)
 * through the gateway client.
 */
export function iopTokenGrant(client: IopClient, authUrl: string, appKey: string): TokenGrant {
  return {
    upstream: 'taobao-global',
    authorizeUrl(redirectUri, state) {
      const query = new URLSearchParams({
        response_type: 'code',
        force_auth: 'true',
        redirect_uri: redirectUri,
        client_id: appKey,
        state,
      });
      return `${authUrl.replace(/\/+$/, '')}/oauth/authorize?${query}`;
    },
    // The gateway binds the code to the app, not to the address: the exchange takes no redirect address.
    async exchange(code, _redirectUri, signal) {
      try {
        return granted(await client.createToken(code, { signal }));
      } catch (err) {
        if (err instanceof GatewayError && BAD_CODE.has(err.code)) {
          throw new AuthorizationError('code', `Taobao Global refused the code (${err.code})`);
        }
        throw err;
      }
    },
    async refresh(refreshToken, signal) {
      return granted(await client.refreshToken(refreshToken, { signal }));
    },
  };
}

/**
 * The owner is the account's user id (what the platform's messages name), falling back to its other ids; the login
 * name (`Company:caigou01` for a sub-account) is what the operator recognises.
 */
function granted(token: IopToken): GrantedToken {
  const { owner } = token;
  return {
    accessToken: token.accessToken,
    refreshToken: token.refreshToken,
    expiresAt: token.expiresAt,
    refreshExpiresAt: token.refreshExpiresAt,
    owner: owner.userId ?? owner.accountId ?? owner.account,
    ownerLogin: owner.account === '' ? null : owner.account,
  };
}
