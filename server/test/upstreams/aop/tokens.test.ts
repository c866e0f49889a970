import { fetch as undiciFetch } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GatewayError } from '../../../src/providers/aop/errors.js';
import { AopGateway, parseAopDate } from '../../../src/providers/aop/gateway.js';
import { type AopFake, buildAopFake } from '../../../src/upstream-fakes/aop/fake.js';
import { quiet } from '../fixtures.js';

const APP_KEY = '8123456';
const APP_SECRET = 'fake-secret-Qw9';
const HOUR = 3_600_000;
const REDIRECT = 'https://ponte.example/oauth/1688';
const ORDERS = 'com.alibaba.trade:alibaba.trade.getBuyerOrderList';

describe('AOP OAuth tokens against the fake gateway', () => {
  let t = Date.UTC(2026, 5, 1, 3, 0, 0);
  let fake: AopFake;
  let baseUrl: string;

  beforeAll(async () => {
    fake = buildAopFake({
      appKey: APP_KEY,
      appSecret: APP_SECRET,
      now: () => t,
      handlers: { [ORDERS]: (_params, ctx) => ({ result: [], totalRecord: 0, owner: ctx.owner }) },
    });
    baseUrl = await fake.listen();
  });
  afterAll(() => fake.close());

  const client = (appSecret = APP_SECRET) =>
    new AopGateway({ baseUrl, appKey: APP_KEY, appSecret, now: () => t, log: quiet });

  async function refusal(promise: Promise<unknown>): Promise<GatewayError> {
    const err = await promise.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(GatewayError);
    return err as GatewayError;
  }

  it('builds the authorisation address', () => {
    const url = new URL(client().authorizeUrl(REDIRECT, 'st-1'));
    expect(`${url.origin}${url.pathname}`).toBe('https://auth.1688.com/oauth/authorize');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      client_id: APP_KEY,
      site: '1688',
      redirect_uri: REDIRECT,
      state: 'st-1',
    });
  });

  it('reads the gateway date form as epoch ms', () => {
    expect(parseAopDate('20261014200339000+0800')).toBe(Date.UTC(2026, 9, 14, 12, 3, 39, 0));
    expect(parseAopDate('20261014200339123-0130')).toBe(Date.UTC(2026, 9, 14, 21, 33, 39, 123));
    expect(parseAopDate('2026-10-14 20:03:39')).toBeNull();
  });

  it('exchanges a code for a token that acts for the account, with the lifetimes the gateway gave', async () => {
    const code = fake.issueCode('b2b-2207000001', REDIRECT);
    const token = await client().exchangeCode(code, REDIRECT);
    expect(token).toEqual({
      accessToken: expect.stringMatching(/^at-/),
      refreshToken: expect.stringMatching(/^rt-/),
      expiresAt: t + 10 * HOUR,
      refreshExpiresAt: t + 180 * 24 * HOUR,
      owner: 'b2b-2207000001',
      ownerLogin: 'login-b2b-2207000001',
    });
    const body = await client().call<{ result: { owner: string } }>(
      ORDERS,
      { page: 1 },
      { accessToken: token.accessToken },
    );
    expect(body.result.owner).toBe('b2b-2207000001');
  });

  it('sends the code exchange on the http route with the documented form fields', async () => {
    const code = fake.issueCode('b2b-9', REDIRECT);
    const res = await undiciFetch(`${baseUrl}/openapi/http/1/system.oauth2/getToken/${APP_KEY}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        need_refresh_token: 'true',
        client_id: APP_KEY,
        client_secret: APP_SECRET,
        redirect_uri: REDIRECT,
        code,
      }),
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      access_token: expect.any(String),
      refresh_token: expect.any(String),
      expires_in: '36000',
      refresh_token_timeout: expect.stringMatching(/^\d{17}\+0800$/),
      memberId: 'b2b-9',
      resource_owner: 'login-b2b-9',
      aliId: '9',
    });
  });

  it('refuses a used code, a code for another redirect address and a wrong client secret (kind auth)', async () => {
    const code = fake.issueCode('b2b-1', REDIRECT);
    await client().exchangeCode(code, REDIRECT);
    const used = await refusal(client().exchangeCode(code, REDIRECT));
    expect(used).toMatchObject({ code: 'invalid_grant', kind: 'auth', status: 400 });
    const other = await refusal(client().exchangeCode(fake.issueCode('b2b-1', REDIRECT), 'https://elsewhere.example/'));
    expect(other.kind).toBe('auth');
    const secret = await refusal(client('wrong').exchangeCode(fake.issueCode('b2b-1', REDIRECT), REDIRECT));
    expect(secret).toMatchObject({ code: 'invalid_client', kind: 'auth', status: 401 });
  });

  it('refreshes an expired access token; the refresh token stays the same', async () => {
    const first = await client().exchangeCode(fake.issueCode('b2b-7', REDIRECT), REDIRECT);
    t += 10 * HOUR + 1;
    const expired = await refusal(client().call(ORDERS, {}, { accessToken: first.accessToken }));
    expect(expired.kind).toBe('auth');

    const renewed = await client().refreshToken(first.refreshToken);
    expect(renewed).toEqual({
      accessToken: expect.stringMatching(/^at-/),
      refreshToken: first.refreshToken,
      expiresAt: t + 10 * HOUR,
      refreshExpiresAt: null,
      owner: 'b2b-7',
      ownerLogin: 'login-b2b-7',
    });
    expect(renewed.accessToken).not.toBe(first.accessToken);
    await expect(client().call(ORDERS, {}, { accessToken: renewed.accessToken })).resolves.toBeTruthy();
  });

  it('refuses an unknown or expired refresh token (kind auth), and a refresh signed with another secret', async () => {
    const unknown = await refusal(client().refreshToken('rt-made-up'));
    expect(unknown).toMatchObject({ code: 'invalid_grant', kind: 'auth' });

    const { refreshToken } = fake.issueToken('b2b-3');
    const signature = await refusal(client('wrong').refreshToken(refreshToken));
    expect(signature.kind).toBe('signature');

    t += 181 * 24 * HOUR;
    const expired = await refusal(client().refreshToken(refreshToken));
    expect(expired.kind).toBe('auth');
  });
});
