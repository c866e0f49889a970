import type { Config } from '../../config.js';
import type { AppDeps } from '../../platform/deps.js';
import { ApiError } from '../../platform/http/errors.js';
import type { StoredTokenSource, TokenStatus, UpstreamPlatform } from '../../platform/upstream/token-store.js';

/** What answers for a platform, as `UPSTREAM_1688` and `UPSTREAM_TAOBAO` choose (docs/adr/0016-real-upstreams.md). */
export type UpstreamMode = 'sandbox' | 'aop' | 'taobao-global';

/** Where a platform's access token comes from. */
export type TokenKind = 'none' | 'configured' | 'stored';

export const PLATFORMS: readonly UpstreamPlatform[] = ['1688', 'taobao'];

export function modeOf(config: Config, platform: UpstreamPlatform): UpstreamMode {
  return platform === '1688' ? config.upstreams.alibaba.mode : config.upstreams.taobao.mode;
}

function tokenKindOf(config: Config, platform: UpstreamPlatform): TokenKind {
  if (modeOf(config, platform) === 'sandbox') return 'none';
  if (platform === '1688' && config.upstreams.alibaba.accessToken !== undefined) return 'configured';
  return 'stored';
}

const MODE_VARIABLE: Record<UpstreamPlatform, string> = { '1688': 'UPSTREAM_1688', taobao: 'UPSTREAM_TAOBAO' };

/**
 * The platform's token store, or 40901 saying why it has none: the sandbox market needs no account, 1688's fixed
 * token is the configuration's, and a process built without the store cannot act on it.
 */
export function tokenStoreOf(deps: AppDeps, platform: UpstreamPlatform): StoredTokenSource {
  const kind = tokenKindOf(deps.config, platform);
  if (kind === 'none') {
    throw new ApiError(40901, {
      reason: `${platform} runs on the sandbox market (${MODE_VARIABLE[platform]}=sandbox): there is no upstream account to authorise`,
    });
  }
  if (kind === 'configured') {
    throw new ApiError(40901, {
      reason: '1688 uses the access token set in AOP_ACCESS_TOKEN: it is neither authorised nor refreshed by Ponte',
    });
  }
  const store = deps.upstreamTokens[platform];
  if (!store) {
    throw new ApiError(40901, { reason: `${platform}'s upstream keeps no stored token in this server` });
  }
  return store;
}

/** The status the operator reads: the mode, where the token comes from and, for a stored one, whose it is. */
export interface UpstreamStatusView extends Partial<Omit<TokenStatus, 'platform'>> {
  platform: UpstreamPlatform;
  mode: UpstreamMode;
  token: TokenKind;
}

export function statusView(config: Config, platform: UpstreamPlatform, stored?: TokenStatus): UpstreamStatusView {
  const base = { platform, mode: modeOf(config, platform), token: tokenKindOf(config, platform) };
  if (base.token !== 'stored' || !stored) return base;
  const { platform: _platform, ...fields } = stored;
  return { ...base, ...fields };
}

/** The address the upstream sends the owner's browser back to. */
export function callbackUrl(deps: AppDeps, platform: UpstreamPlatform): string {
  return `${deps.publicUrl.get()}/upstream/oauth/${platform}/callback`;
}
