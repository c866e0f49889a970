import { defineRoute } from '../../../platform/http/route.js';
import { callbackUrl, tokenStoreOf } from '../platforms.js';
import { AuthorizationStarted, PlatformParams } from '../upstreams.schemas.js';

export default defineRoute({
  method: 'POST',
  url: '/admin/upstreams/:platform/authorize',
  operationId: 'adminUpstreamAuthorize',
  summary: 'Begin authorising Ponte on an upstream',
  description:
    'Answers the upstream’s authorise address with a one-time `state` (10 minutes): the account Ponte buys as ' +
    'opens it, agrees, and the upstream sends the browser back to `redirectUri`, which stores the tokens. A ' +
    'platform on the sandbox market, or 1688 with AOP_ACCESS_TOKEN set, answers 40901.',
  tags: ['Admin'],
  auth: 'admin',
  errors: [40901],
  params: PlatformParams,
  data: AuthorizationStarted,
  handler: async ({ deps, params }) => {
    const store = tokenStoreOf(deps, params.platform);
    const redirectUri = callbackUrl(deps, params.platform);
    const started = await store.beginAuthorization(redirectUri);
    return { url: started.url, state: started.state, redirectUri, expiresAt: started.expiresAt };
  },
});
