import { randomBytes } from 'node:crypto';
import type { OperationData } from '@ponte/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Config } from '../../../src/config.js';
import { SecretBox } from '../../../src/platform/crypto/secret-box.js';
import { type Database, migrateToLatest, openDatabase } from '../../../src/platform/db/database.js';
import {
  type GrantedToken,
  StoredTokenSource,
  type TokenGrant,
  type UpstreamPlatform,
} from '../../../src/platform/upstream/token-store.js';
import { AopGateway } from '../../../src/providers/aop/gateway.js';
import { aopTokenGrant } from '../../../src/providers/aop/token-grant.js';
import { IopClient } from '../../../src/providers/taobao-global/gateway.js';
import { iopTokenGrant } from '../../../src/providers/taobao-global/token-grant.js';
import { type AopFake, buildAopFake } from '../../../src/upstream-fakes/aop/fake.js';
import { buildIopFake, type IopFake } from '../../../src/upstream-fakes/taobao-global/fake.js';
import { createTestDatabase, startServer, type TestDatabase, type TestServer, testConfig } from '../../harness.js';
import { quiet } from '../../upstreams/fixtures.js';

/**
 * The OAuth flow and the stored tokens (docs/adr/0016-real-upstreams.md) against the fake gateways: the operator
 * begins an authorisation, the owner's browser comes back to the callback, the tokens are stored sealed, refreshed
 * ahead of expiry and on a refused token (one refresh for many callers, one write across processes), and the status
 * never shows a token.
 */

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const AOP = { key: '8123456', secret: 'aop-secret-Qw9' };
const IOP = { key: '500123', secret: 'iop-secret-Zx7' };
const MEMBER = 'b2b-2207000001';
const ACCOUNT = { account: 'PonteBuyer:caigou01', userId: '2207000123456789012' };

/** The status of one platform and the start of an authorisation, as the admin API answers them. */
type Status = OperationData<'adminUpstreamStatus'>['list'][number];
type Started = OperationData<'adminUpstreamAuthorize'>;

let t = Date.UTC(2026, 5, 1, 3, 0, 0);
const now = () => t;
let aopFake: AopFake;
let iopFake: IopFake;
let aopUrl: string;
let iopUrl: string;
/** Refreshes the AOP fake answered (the signed `param2` token route; the code exchange is on `http`). */
let aopRefreshes = 0;
const iopRefreshes = () => iopFake.calls.filter((c) => c.api === '/auth/token/refresh').length;

let testDb: TestDatabase;
let config: Config;
let database: Database;
let secrets: SecretBox;
let server: TestServer;
let stores: Record<UpstreamPlatform, StoredTokenSource>;

function gatewayEnv(): Record<string, string> {
  return {
    UPSTREAM_1688: 'aop',
    UPSTREAM_TAOBAO: 'taobao-global',
    AOP_GATEWAY_URL: aopUrl,
    AOP_AUTH_URL: aopUrl,
    AOP_APP_KEY: AOP.key,
    AOP_APP_SECRET: AOP.secret,
    TAOBAO_GLOBAL_GATEWAY_URL: iopUrl,
    TAOBAO_GLOBAL_AUTH_URL: iopUrl,
    TAOBAO_GLOBAL_APP_KEY: IOP.key,
    TAOBAO_GLOBAL_APP_SECRET: IOP.secret,
  };
}

function aopGrant(): TokenGrant {
  const gateway = new AopGateway({ baseUrl: aopUrl, appKey: AOP.key, appSecret: AOP.secret, now, log: quiet });
  return aopTokenGrant(gateway, aopUrl);
}

function iopGrant(): TokenGrant {
  const client = new IopClient({ baseUrl: iopUrl, appKey: IOP.key, appSecret: IOP.secret, now, log: quiet });
  return iopTokenGrant(client, iopUrl, IOP.key);
}

function store(platform: UpstreamPlatform, grant: TokenGrant = platform === '1688' ? aopGrant() : iopGrant()) {
  return new StoredTokenSource({ database, secrets, now, platform, grant, refreshAheadMs: HOUR, log: quiet });
}

async function credentialsRow(platform: UpstreamPlatform) {
  return database.db
    .selectFrom('upstream_credentials')
    .selectAll()
    .where('platform', '=', platform)
    .executeTakeFirstOrThrow();
}

/** The plain tokens of the stored row (only a test opens them). */
async function plainTokens(platform: UpstreamPlatform): Promise<string[]> {
  const row = await credentialsRow(platform);
  return [row.access_token, row.refresh_token].flatMap((v) => (v === null ? [] : [secrets.open(v)]));
}

/** Follows the authorise address as the owner's browser would: the fake redirects to the callback with a code. */
async function authorizeInBrowser(started: Started): Promise<URL> {
  const res = await fetch(started.url, { redirect: 'manual' });
  expect(res.status).toBe(302);
  return new URL(res.headers.get('location') as string);
}

async function callback(url: URL | string): Promise<{ status: number; type: string; text: string }> {
  const res = await fetch(url);
  return { status: res.status, type: res.headers.get('content-type') ?? '', text: await res.text() };
}

async function authorize(platform: UpstreamPlatform): Promise<Started> {
  const r = await server.admin<Started>('POST', `/admin/upstreams/${platform}/authorize`);
  expect(r.body.code, r.text).toBe(200);
  return r.body.data;
}

beforeAll(async () => {
  aopFake = buildAopFake({ appKey: AOP.key, appSecret: AOP.secret, now, authorizingMember: MEMBER });
  aopFake.app.addHook('onRequest', async (req) => {
    if (req.url.startsWith('/openapi/param2/1/system.oauth2/getToken/')) aopRefreshes++;
  });
  aopUrl = await aopFake.listen();
  iopFake = buildIopFake({ appKey: IOP.key, appSecret: IOP.secret, now, accounts: [ACCOUNT] });
  iopUrl = await iopFake.listen();

  testDb = await createTestDatabase();
  config = testConfig(testDb, gatewayEnv());
  database = openDatabase(config);
  await migrateToLatest(database);
  secrets = new SecretBox(randomBytes(32));
  stores = { '1688': store('1688'), taobao: store('taobao') };
  server = await startServer({
    database: testDb,
    env: gatewayEnv(),
    overrides: { database, secrets, upstreamTokens: stores },
  });
}, 120_000);

afterAll(async () => {
  await server?.close();
  await database?.close();
  await testDb?.drop();
  await aopFake?.close();
  await iopFake?.close();
});

describe('authorising Ponte on an upstream', () => {
  it('refuses a token before any owner authorised', async () => {
    await expect(stores.taobao.accessToken()).rejects.toThrow(
      'taobao-global is not authorised yet: run ponte upstream authorize taobao',
    );
    const r = await server.admin<{ list: Status[] }>('GET', '/admin/upstreams');
    expect(r.body.data.list.find((s) => s.platform === 'taobao')).toMatchObject({
      mode: 'taobao-global',
      token: 'stored',
      authorized: false,
      owner: null,
      expiresAt: null,
    });
  });

  it('answers the upstream’s authorise address with a one-time state, stored only as its hash', async () => {
    const started = await authorize('taobao');
    expect(started.redirectUri).toBe(`${server.baseUrl}/upstream/oauth/taobao/callback`);
    expect(started.expiresAt).toBe(t + 10 * 60_000);
    expect(started.state.length).toBeGreaterThanOrEqual(43);
    const url = new URL(started.url);
    expect(`${url.origin}${url.pathname}`).toBe(`${iopUrl}/oauth/authorize`);
    expect(Object.fromEntries(url.searchParams)).toEqual({
      response_type: 'code',
      force_auth: 'true',
      redirect_uri: started.redirectUri,
      client_id: IOP.key,
      state: started.state,
    });
    const states = await database.db.selectFrom('upstream_oauth_states').select('state').execute();
    expect(states.length).toBeGreaterThan(0);
    expect(states.map((s) => s.state)).not.toContain(started.state);

    const aop = new URL((await authorize('1688')).url);
    expect(Object.fromEntries(aop.searchParams)).toMatchObject({ client_id: AOP.key, site: '1688' });
  });

  it('stores the tokens sealed when the browser comes back with a good code, and shows whose they are', async () => {
    const started = await authorize('taobao');
    const back = await authorizeInBrowser(started);
    expect(back.searchParams.get('state')).toBe(started.state);
    const page = await callback(back);
    expect(page.status, page.text).toBe(200);
    expect(page.type).toMatch(/^text\/html/);
    expect(page.text).toContain(`as ${ACCOUNT.account} (${ACCOUNT.userId})`);
    expect(page.text).toContain(new Date(t + 30 * DAY).toISOString());

    const row = await credentialsRow('taobao');
    expect(row).toMatchObject({
      owner: ACCOUNT.userId,
      owner_login: ACCOUNT.account,
      expires_at: t + 30 * DAY,
      refresh_expires_at: t + 180 * DAY,
      authorized_at: t,
      refreshed_at: null,
      version: 1,
    });
    const [access, refresh] = await plainTokens('taobao');
    expect(access).toMatch(/^50000/);
    expect(refresh).toMatch(/^50001/);
    expect(SecretBox.isSealed(row.access_token) && SecretBox.isSealed(row.refresh_token as string)).toBe(true);
    const stored = JSON.stringify(row);
    expect(stored).not.toContain(access);
    expect(stored).not.toContain(refresh);
    await expect(stores.taobao.accessToken()).resolves.toBe(access);

    const aopPage = await callback(await authorizeInBrowser(await authorize('1688')));
    expect(aopPage.status, aopPage.text).toBe(200);
    expect(aopPage.text).toContain(`as login-${MEMBER} (${MEMBER})`);
    expect(await credentialsRow('1688')).toMatchObject({
      owner: MEMBER,
      owner_login: `login-${MEMBER}`,
      expires_at: t + 10 * HOUR,
      refresh_expires_at: t + 180 * DAY,
    });
  });

  it('refuses a replayed, unknown or expired state and a bad code (40001), in the envelope', async () => {
    const started = await authorize('taobao');
    const back = await authorizeInBrowser(started);
    expect((await callback(back)).status).toBe(200);
    const replay = await callback(back);
    expect(replay.status).toBe(400);
    expect(JSON.parse(replay.text)).toMatchObject({ code: 40001 });
    expect(JSON.parse(replay.text).msg).toContain('state');

    const unknown = new URL(back);
    unknown.searchParams.set('state', randomBytes(32).toString('base64url'));
    unknown.searchParams.set('code', iopFake.issueCode(ACCOUNT.account));
    expect(JSON.parse((await callback(unknown)).text)).toMatchObject({ code: 40001 });

    // A state of the other platform is not this one's.
    const other = await authorizeInBrowser(await authorize('1688'));
    const crossed = new URL(back);
    crossed.searchParams.set('state', other.searchParams.get('state') as string);
    expect(JSON.parse((await callback(crossed)).text)).toMatchObject({ code: 40001 });

    const late = await authorizeInBrowser(await authorize('taobao'));
    t += 11 * 60_000;
    const expired = JSON.parse((await callback(late)).text) as { code: number; msg: string };
    expect(expired.code).toBe(40001);
    expect(expired.msg).toContain('expired');

    const bad = await authorizeInBrowser(await authorize('taobao'));
    bad.searchParams.set('code', '3_not-a-code');
    const refused = JSON.parse((await callback(bad)).text) as { code: number; msg: string };
    expect(refused.code).toBe(40001);
    expect(refused.msg).toContain('code');

    const declined = new URL(`${server.baseUrl}/upstream/oauth/taobao/callback?state=x&error=access_denied`);
    expect(JSON.parse((await callback(declined)).text)).toMatchObject({ code: 40001 });
  });

  it('shows each upstream’s owner and expiry, and no token anywhere in the answer', async () => {
    const r = await server.admin<{ list: Status[] }>('GET', '/admin/upstreams');
    expect(r.body.code, r.text).toBe(200);
    const byPlatform = Object.fromEntries(r.body.data.list.map((s) => [s.platform, s]));
    const aopRow = await credentialsRow('1688');
    expect(byPlatform['1688']).toEqual({
      platform: '1688',
      mode: 'aop',
      token: 'stored',
      upstream: 'aop',
      authorized: true,
      owner: MEMBER,
      ownerLogin: `login-${MEMBER}`,
      expiresAt: aopRow.expires_at,
      refreshExpiresAt: aopRow.refresh_expires_at,
      authorizedAt: aopRow.authorized_at,
      refreshedAt: null,
    });
    expect(byPlatform.taobao).toMatchObject({ mode: 'taobao-global', owner: ACCOUNT.userId, authorized: true });
    for (const token of [...(await plainTokens('1688')), ...(await plainTokens('taobao'))]) {
      expect(r.text).not.toContain(token);
    }
    for (const row of [aopRow, await credentialsRow('taobao')]) expect(r.text).not.toContain(row.access_token);
  });
});

describe('keeping the tokens fresh', () => {
  it('refreshes a token near its expiry before handing it out; 1688 keeps its refresh token and its expiry', async () => {
    const before = await credentialsRow('1688');
    const [oldAccess, oldRefresh] = await plainTokens('1688');
    t = before.expires_at - HOUR / 2;
    const refreshes = aopRefreshes;
    const token = await stores['1688'].accessToken();
    expect(aopRefreshes).toBe(refreshes + 1);
    expect(token).not.toBe(oldAccess);
    const after = await credentialsRow('1688');
    expect(after).toMatchObject({
      expires_at: t + 10 * HOUR,
      refresh_expires_at: before.refresh_expires_at,
      refreshed_at: t,
      authorized_at: before.authorized_at,
      version: before.version + 1,
    });
    expect(await plainTokens('1688')).toEqual([token, oldRefresh]);
    // Far from expiry again: the next calls use it as it is.
    await expect(stores['1688'].accessToken()).resolves.toBe(token);
    expect(aopRefreshes).toBe(refreshes + 1);
  });

  it('uses the current token when a refresh ahead of expiry fails while it is still valid', async () => {
    const row = await credentialsRow('1688');
    const [access] = await plainTokens('1688');
    t = row.expires_at - HOUR / 2;
    aopFake.setRateLimited(true);
    try {
      await expect(stores['1688'].accessToken()).resolves.toBe(access);
    } finally {
      aopFake.setRateLimited(false);
    }
    expect((await credentialsRow('1688')).version).toBe(row.version);
  });

  it('ten concurrent renewals make one refresh at the upstream and answer the same token', async () => {
    // A renewal is about the token last handed out: take one first, as a provider's call does.
    await stores.taobao.accessToken();
    await stores['1688'].accessToken();
    const refreshes = iopRefreshes();
    const [oldAccess, oldRefresh] = await plainTokens('taobao');
    const version = (await credentialsRow('taobao')).version;
    const tokens = await Promise.all(Array.from({ length: 10 }, () => stores.taobao.renew()));
    expect(iopRefreshes()).toBe(refreshes + 1);
    expect(new Set(tokens).size).toBe(1);
    expect(tokens[0]).not.toBe(oldAccess);
    const [access, refresh] = await plainTokens('taobao');
    expect(access).toBe(tokens[0]);
    // Taobao Global replaces the refresh token on every refresh.
    expect(refresh).not.toBe(oldRefresh);
    expect((await credentialsRow('taobao')).version).toBe(version + 1);

    const aopBefore = aopRefreshes;
    const aopTokens = await Promise.all(Array.from({ length: 10 }, () => stores['1688'].renew()));
    expect(aopRefreshes).toBe(aopBefore + 1);
    expect(new Set(aopTokens).size).toBe(1);
  });

  it('of two processes refreshing at once, one write is kept and the other answers it', async () => {
    // Both refreshes reach the upstream before either writes: the row's version decides.
    let arrived = 0;
    let release: () => void = () => {};
    const together = new Promise<void>((resolve) => {
      release = resolve;
    });
    const gated = (inner: TokenGrant): TokenGrant => ({
      ...inner,
      async refresh(refreshToken, signal): Promise<GrantedToken> {
        const granted = await inner.refresh(refreshToken, signal);
        if (++arrived === 2) release();
        await together;
        return granted;
      },
    });
    const version = (await credentialsRow('1688')).version;
    const [a, b] = [store('1688', gated(aopGrant())), store('1688', gated(aopGrant()))];
    const [ta, tb] = await Promise.all([a.renew(), b.renew()]);
    expect(ta).toBe(tb);
    expect((await credentialsRow('1688')).version).toBe(version + 1);
    expect((await plainTokens('1688'))[0]).toBe(ta);
  });

  it('the operator’s refresh answers the status; the background pass refreshes only what is due', async () => {
    const r = await server.admin<Status>('POST', '/admin/upstreams/taobao/refresh');
    expect(r.body.code, r.text).toBe(200);
    expect(r.body.data).toMatchObject({ platform: 'taobao', mode: 'taobao-global', refreshedAt: t, authorized: true });
    for (const token of await plainTokens('taobao')) expect(r.text).not.toContain(token);

    const refreshes = iopRefreshes();
    await expect(stores.taobao.refreshIfDue()).resolves.toBe('not_due');
    t = (await credentialsRow('taobao')).expires_at - HOUR / 4;
    await expect(stores.taobao.refreshIfDue()).resolves.toBe('refreshed');
    expect(iopRefreshes()).toBe(refreshes + 1);
  });

  it('an upstream that refuses the refresh token answers 50201 on the operator’s refresh', async () => {
    // Another client of the same account used the refresh token: Taobao Global no longer knows the stored one.
    const [, refresh] = await plainTokens('taobao');
    await iopGrant().refresh(refresh as string);
    const r = await server.admin('POST', '/admin/upstreams/taobao/refresh');
    expect(r.body.code, r.text).toBe(50201);
    await stores.taobao.accessToken();
    await expect(stores.taobao.renew()).rejects.toThrow(/IllegalRefreshToken/);
  });
});

describe('a platform without stored tokens', () => {
  let plain: TestServer;

  beforeAll(async () => {
    plain = await startServer({
      env: {
        UPSTREAM_1688: 'aop',
        AOP_GATEWAY_URL: aopUrl,
        AOP_APP_KEY: AOP.key,
        AOP_APP_SECRET: AOP.secret,
        AOP_ACCESS_TOKEN: 'fixed-token-of-a-self-use-app',
      },
    });
  }, 120_000);
  afterAll(() => plain?.close());

  it('answers 40901 on the sandbox market and for 1688’s configured token; the status shows no token fields', async () => {
    for (const platform of ['1688', 'taobao']) {
      for (const action of ['authorize', 'refresh']) {
        const r = await plain.admin('POST', `/admin/upstreams/${platform}/${action}`);
        expect(r.status, r.text).toBe(409);
        expect(r.body.code).toBe(40901);
        expect(r.body.msg).toContain(platform === '1688' ? 'AOP_ACCESS_TOKEN' : 'sandbox');
      }
    }
    const back = await callback(`${plain.baseUrl}/upstream/oauth/taobao/callback?state=x&code=y`);
    expect(JSON.parse(back.text)).toMatchObject({ code: 40901 });

    const r = await plain.admin<{ list: Status[] }>('GET', '/admin/upstreams');
    expect(r.body.data.list).toEqual([
      { platform: '1688', mode: 'aop', token: 'configured' },
      { platform: 'taobao', mode: 'sandbox', token: 'none' },
    ]);
    expect(r.text).not.toContain('fixed-token-of-a-self-use-app');
  });
});
