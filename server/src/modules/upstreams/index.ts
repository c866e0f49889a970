import type { AppModule } from '../../platform/module.js';
import { registerPushRoutes } from './push-routes.js';
import { startReconciliation } from './reconcile.js';
import adminUpstreamAuthorize from './routes/admin-upstream-authorize.js';
import adminUpstreamRefresh from './routes/admin-upstream-refresh.js';
import adminUpstreamStatus from './routes/admin-upstream-status.js';
import { registerOAuthCallback } from './routes/oauth-callback.js';
import { startTokenRefresh } from './token-refresh.js';

/**
 * The real upstreams' side of Ponte (docs/adr/0016-real-upstreams.md): the OAuth flow that authorises Ponte on an
 * upstream account, the operator's view of each upstream and its token, and the refresh of stored tokens.
 */
export const upstreamsModule: AppModule = {
  name: 'upstreams',
  routes: [adminUpstreamStatus, adminUpstreamAuthorize, adminUpstreamRefresh],
  registerRaw(app, deps) {
    registerOAuthCallback(app, deps);
    registerPushRoutes(app, deps);
  },
  startBackground(deps) {
    const stops = [startTokenRefresh(deps), startReconciliation(deps)];
    return async () => {
      await Promise.all(stops.map((stop) => stop()));
    };
  },
};
