import { AuthorizationError, type GrantedToken, type TokenGrant } from '../../platform/upstream/token-store.js';
import { GatewayError } from './errors.js';
import type { AopGateway, AopToken } from './gateway.js';

/**
 * 1688's OAuth endpoints as the token store uses them (docs/adr/0016-real-upstreams.md): the authorise page on
 * `authUrl`, the code exchange and the refresh through the gateway client.
 */
export function aopTokenGrant(gateway: AopGateway, authUrl: string): TokenGrant {
  return {
    upstream: 'aop',
    authorizeUrl: (redirectUri, state) => gateway.authorizeUrl(redirectUri, state, authUrl),
    async exchange(code, redirectUri, signal) {
      try {
        return granted(await gateway.exchangeCode(code, redirectUri, { signal }));
      } catch (err) {
        // `invalid_grant` is OAuth's word for a code that is unknown, used, expired or bound to another address; any
        // other refusal (the app's own credentials) is the upstream's failure, not the browser's.
        if (err instanceof GatewayError && err.code === 'invalid_grant') {
          throw new AuthorizationError('code', `1688 refused the code (${err.gatewayMessage})`);
        }
        throw err;
      }
    },
    async refresh(refreshToken, signal) {
      const token = await gateway.refreshToken(refreshToken, { signal });
      // A refresh answers a new access token only: the stored refresh token keeps its expiry from the exchange.
      if (token.refreshToken === refreshToken) return { ...granted(token), refreshToken: null, refreshExpiresAt: null };
      return granted(token);
    },
  };
}

function granted(token: AopToken): GrantedToken {
  return {
    accessToken: token.accessToken,
    refreshToken: token.refreshToken,
    expiresAt: token.expiresAt,
    refreshExpiresAt: token.refreshExpiresAt,
    owner: token.owner,
    ownerLogin: token.ownerLogin ?? null,
  };
}
