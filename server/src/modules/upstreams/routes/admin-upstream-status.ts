import { defineRoute } from '../../../platform/http/route.js';
import { Type } from '../../../platform/http/schema.js';
import { PLATFORMS, statusView } from '../platforms.js';
import { UpstreamStatus } from '../upstreams.schemas.js';

export default defineRoute({
  method: 'GET',
  url: '/admin/upstreams',
  operationId: 'adminUpstreamStatus',
  summary: 'The upstreams and their tokens',
  description:
    'Each platform’s upstream (`sandbox`, `aop`, `taobao-global`) and, for a token the account owner authorised, ' +
    'whose it is and when it and its refresh token expire. Never a token.',
  tags: ['Admin'],
  auth: 'admin',
  data: Type.Object({ list: Type.Array(UpstreamStatus, { description: 'One entry per platform' }) }),
  handler: async ({ deps }) => ({
    list: await Promise.all(
      PLATFORMS.map(async (platform) => {
        const view = statusView(deps.config, platform);
        const store = deps.upstreamTokens[platform];
        return view.token === 'stored' && store ? statusView(deps.config, platform, await store.status()) : view;
      }),
    ),
  }),
});
