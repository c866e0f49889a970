import type { Config } from '../../config.js';
import type { AlibabaProvider } from '../../providers/alibaba.js';
import { AopGateway } from '../../providers/aop/gateway.js';
import { AOP_UPSTREAM, createAopProvider } from '../../providers/aop/provider.js';
import { aopTokenGrant } from '../../providers/aop/token-grant.js';
import type { ProviderOperation } from '../../providers/market.js';
import { resilientProvider } from '../../providers/resilient.js';
import type { TaobaoProvider } from '../../providers/taobao.js';
import { IopClient } from '../../providers/taobao-global/gateway.js';
import { createTaobaoGlobalProvider, TAOBAO_GLOBAL_UPSTREAM } from '../../providers/taobao-global/provider.js';
import { iopTokenGrant } from '../../providers/taobao-global/token-grant.js';
import { FixedTokenSource, type TokenSource } from '../../providers/tokens.js';
import type { Clock } from '../clock.js';
import { SecretBox } from '../crypto/secret-box.js';
import type { Database } from '../db/database.js';
import { StoredTokenSource, type TokenGrant, type UpstreamPlatform } from './token-store.js';

/** What the upstreams write to the log: the gateway clients' call lines, retries, circuits, token refreshes. */
export interface UpstreamLog {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
}

export interface RealUpstreams {
  /** The real providers, resilient (retries, circuits, token renewal), not yet guarded: absent for the sandbox. */
  alibaba?: AlibabaProvider;
  taobao?: TaobaoProvider;
  /** The stored OAuth tokens of the real upstreams that authorise that way. */
  tokens: Partial<Record<UpstreamPlatform, StoredTokenSource>>;
}

/**
 * The writes each real upstream makes idempotent (docs/adr/0016): an order create carries the client reference as
 * 1688's `outOrderId` / Taobao Global's `outer_purchase_id`, and the providers look it up before creating again.
 */
const IDEMPOTENT_WRITES: ReadonlySet<ProviderOperation> = new Set<ProviderOperation>(['createOrder']);

/**
 * Builds the providers of the platforms `UPSTREAM_1688` and `UPSTREAM_TAOBAO` put on a real upstream: each one's
 * gateway client, where its token comes from, and the resilience layer over it. The sandbox platforms are left to
 * the caller.
 */
export function createRealUpstreams(
  config: Config,
  deps: { database: Database; secrets: SecretBox; clock: Clock; log: UpstreamLog },
): RealUpstreams {
  const { upstreams } = config;
  const now = () => deps.clock.now();
  const out: RealUpstreams = { tokens: {} };
  const opened = (value: string) => openedSecret(value, deps.secrets);
  const resilience = (upstream: string, tokens: TokenSource) => ({
    upstream,
    retries: upstreams.retries,
    retryBaseMs: upstreams.retryBaseMs,
    breakerFailures: upstreams.breakerFailures,
    breakerOpenMs: upstreams.breakerOpenMs,
    tokens,
    idempotentWrites: IDEMPOTENT_WRITES,
    now,
    log: deps.log,
  });
  const stored = (platform: UpstreamPlatform, grant: TokenGrant) => {
    const store = new StoredTokenSource({
      database: deps.database,
      secrets: deps.secrets,
      now,
      platform,
      grant,
      refreshAheadMs: upstreams.refreshAheadMs,
      log: deps.log,
    });
    out.tokens[platform] = store;
    return store;
  };

  if (upstreams.alibaba.mode === 'aop') {
    const { gateway: g, accessToken } = upstreams.alibaba;
    const gateway = new AopGateway({
      baseUrl: g.baseUrl,
      appKey: required(g.appKey, 'AOP_APP_KEY'),
      appSecret: opened(required(g.appSecret, 'AOP_APP_SECRET')),
      now,
      log: deps.log,
    });
    const tokens =
      accessToken !== undefined
        ? new FixedTokenSource(AOP_UPSTREAM, opened(accessToken))
        : stored('1688', aopTokenGrant(gateway, g.authUrl));
    out.alibaba = resilientProvider(
      createAopProvider({ gateway, tokens, language: upstreams.language, now }),
      resilience(AOP_UPSTREAM, tokens),
    );
  }
  if (upstreams.taobao.mode === 'taobao-global') {
    const g = upstreams.taobao.gateway;
    const appKey = required(g.appKey, 'TAOBAO_GLOBAL_APP_KEY');
    const client = new IopClient({
      baseUrl: g.baseUrl,
      appKey,
      appSecret: opened(required(g.appSecret, 'TAOBAO_GLOBAL_APP_SECRET')),
      now,
      log: deps.log,
    });
    const tokens = stored('taobao', iopTokenGrant(client, g.authUrl, appKey));
    out.taobao = resilientProvider(
      createTaobaoGlobalProvider({
        client,
        tokens,
        language: upstreams.language,
        now,
        // One distributor account buys for every developer (Ponte's records keep them apart): chats log in as it.
        ...(upstreams.taobao.chatAccount ? { chatAccount: async () => upstreams.taobao.chatAccount ?? null } : {}),
      }),
      resilience(TAOBAO_GLOBAL_UPSTREAM, tokens),
    );
  }
  return out;
}

/**
 * A secret of the configuration as the gateway needs it: one given sealed (`ponte upstream seal-secret`) is opened
 * with the master key, so that the configuration need not hold it in the clear; one given plain is used as it is.
 */
export function openedSecret(value: string, secrets: SecretBox): string {
  return SecretBox.isSealed(value) ? secrets.open(value) : value;
}

function required(value: string | undefined, name: string): string {
  // The configuration refuses a real upstream without its app (config.ts); this guards programmatic callers.
  if (!value) throw new Error(`${name} must be set for a real upstream`);
  return value;
}
