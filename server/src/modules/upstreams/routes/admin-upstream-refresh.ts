import { defineRoute } from '../../../platform/http/route.js';
import { statusView, tokenStoreOf } from '../platforms.js';
import { PlatformParams, UpstreamStatus } from '../upstreams.schemas.js';

export default defineRoute({
  method: 'POST',
  url: '/admin/upstreams/:platform/refresh',
  operationId: 'adminUpstreamRefresh',
  summary: 'Refresh an upstream’s token now',
  description:
    'Refreshes the stored token at once, whatever its expiry, and answers the status. An upstream that refuses ' +
    '(or a token without a refresh token) answers 50201: authorise again. A platform on the sandbox market, or ' +
    '1688 with AOP_ACCESS_TOKEN set, answers 40901.',
  tags: ['Admin'],
  auth: 'admin',
  errors: [40901, 50201],
  params: PlatformParams,
  data: UpstreamStatus,
  handler: async ({ deps, params }) => {
    const store = tokenStoreOf(deps, params.platform);
    return statusView(deps.config, params.platform, await store.refreshNow());
  },
});
