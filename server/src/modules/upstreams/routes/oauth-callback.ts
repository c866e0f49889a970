import type { FastifyInstance, FastifyReply } from 'fastify';
import type { AppDeps } from '../../../platform/deps.js';
import { ApiError } from '../../../platform/http/errors.js';
import { AuthorizationError, type TokenStatus, type UpstreamPlatform } from '../../../platform/upstream/token-store.js';
import { tokenStoreOf } from '../platforms.js';

/** Longer than any code or state an upstream hands out, short enough to refuse garbage before any lookup. */
const MAX_PARAM = 1024;

function param(query: Record<string, unknown>, name: string): string | undefined {
  const value = query[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function invalid(field: string, reason: string): ApiError {
  return new ApiError(40001, { field, reason });
}

const escapeHtml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string,
  );

/** A small page for the owner's browser: which account was authorised, and until when. */
function page(status: TokenStatus): string {
  const account = status.ownerLogin ? `${status.ownerLogin} (${status.owner})` : (status.owner ?? '');
  const until = status.expiresAt === null ? 'unknown' : new Date(status.expiresAt).toISOString();
  const refreshUntil =
    status.refreshExpiresAt === null
      ? ''
      : ` Ponte refreshes it until ${new Date(status.refreshExpiresAt).toISOString()}.`;
  const text = `Ponte is authorised on ${status.platform} (${status.upstream}) as ${account}. The access token is valid until ${until}.${refreshUntil}`;
  return (
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Ponte authorised</title></head><body>' +
    `<h1>Ponte authorised</h1><p>${escapeHtml(text)}</p><p>You can close this page.</p></body></html>`
  );
}

/**
 * `GET /upstream/oauth/{platform}/callback?code&state`: where the upstream sends the account owner's browser back
 * (docs/adr/0016-real-upstreams.md). Public and unsigned: the one-time `state` is what proves the request follows an
 * authorisation the operator began. The answer is a plain page, outside the envelope; a refusal is an envelope.
 */
export function registerOAuthCallback(app: FastifyInstance, deps: AppDeps): void {
  app.get('/upstream/oauth/:platform/callback', { schema: { hide: true } }, async (req, reply: FastifyReply) => {
    const platform = (req.params as { platform: string }).platform;
    if (platform !== '1688' && platform !== 'taobao') throw invalid('platform', 'expected 1688 or taobao');
    const store = tokenStoreOf(deps, platform as UpstreamPlatform);
    const query = (req.query ?? {}) as Record<string, unknown>;
    const state = param(query, 'state');
    const code = param(query, 'code');
    if (!state || state.length > MAX_PARAM) throw invalid('state', 'missing or too long');
    if (!code) {
      // The owner declined, or the upstream refused the request: OAuth says so in `error`.
      const error = param(query, 'error');
      throw invalid('code', error ? `the upstream answered ${error.slice(0, 100)} instead of a code` : 'missing');
    }
    if (code.length > MAX_PARAM) throw invalid('code', 'too long');
    let status: TokenStatus;
    try {
      status = await store.completeAuthorization(state, code);
    } catch (err) {
      if (err instanceof AuthorizationError) {
        throw invalid(err.field, `${err.reason}: start again with ponte upstream authorize ${platform}`);
      }
      throw err;
    }
    return reply.type('text/html; charset=utf-8').send(page(status));
  });
}
