import type { AppDeps } from '../../platform/deps.js';
import { PLATFORMS } from './platforms.js';

const EVERY_MS = 60_000;

/**
 * Refreshes each stored token that expires within `UPSTREAM_TOKEN_REFRESH_AHEAD_SECONDS`, at start and then every
 * minute, so that calls rarely wait for a refresh. Failures are logged; the next pass tries again (and a call that
 * finds its token refused renews it itself).
 */
export function startTokenRefresh(deps: AppDeps, everyMs = EVERY_MS): () => Promise<void> {
  let running: Promise<void> | null = null;
  const pass = async () => {
    for (const platform of PLATFORMS) {
      const store = deps.upstreamTokens[platform];
      if (!store) continue;
      try {
        await store.refreshIfDue();
      } catch (err) {
        deps.log.warn(
          { platform, upstream: store.upstream, error: err instanceof Error ? err.message : String(err) },
          'upstream token refresh failed',
        );
      }
    }
  };
  const tick = () => {
    // A pass still running (a slow upstream) is not doubled.
    running ??= pass().finally(() => {
      running = null;
    });
  };
  tick();
  const timer = setInterval(tick, everyMs);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await running;
  };
}
