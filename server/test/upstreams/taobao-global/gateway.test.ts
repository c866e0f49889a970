import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { request } from 'undici';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/platform/clock.js';
import { GatewayError } from '../../../src/providers/taobao-global/errors.js';
import { businessError, IopClient, type IopToken } from '../../../src/providers/taobao-global/gateway.js';
import { signIopRequest, verifyIopPush } from '../../../src/providers/taobao-global/sign.js';
import {
  buildIopFake,
  type IopFake,
  IopFakeError,
  iopRawAnswer,
} from '../../../src/upstream-fakes/taobao-global/fake.js';

const APP_KEY = '500123';
const APP_SECRET = 'fake-secret-for-tests';
const HOUR = 3_600_000;

interface LogEntry {
  level: 'info' | 'warn';
  fields: Record<string, unknown>;
  message: string;
}

describe('IOP client against the fake gateway', () => {
  const clock = new ManualClock(Date.UTC(2026, 11, 5, 12));
  const logs: LogEntry[] = [];
  const log = {
    info: (fields: object, message: string) => logs.push({ level: 'info', fields: { ...fields }, message }),
    warn: (fields: object, message: string) => logs.push({ level: 'warn', fields: { ...fields }, message }),
  };
  let fake: IopFake;
  let baseUrl: string;
  let client: IopClient;
  let token: IopToken;

  beforeAll(async () => {
    fake = buildIopFake({
      appKey: APP_KEY,
      appSecret: APP_SECRET,
      now: () => clock.now(),
      accessTokenTtlSeconds: 7 * 86_400,
      refreshTokenTtlSeconds: 14 * 86_400,
      accounts: [
        { account: 'Ponte', userId: '2200000000001', sellerId: '2100000927014', accountId: '7000000000000000001' },
        { account: 'Ponte:caigou01', userId: '2200000000002' },
      ],
      handlers: {
        '/product/get': {
          required: ['item_id'],
          handle: (params, ctx) => ({
            success: true,
            data: {
              // Beyond 2^53: a double would round this to 9007199254740993 → …992.
              mp_id: 9007199254740993n,
              item_id: params.item_id,
              title: 'dress',
              caller: ctx.account?.account,
              sku_list: [{ sku_id: 5286453811111, mp_skuId: 12345678901234567890n, price: 1999 }],
            },
          }),
        },
        '/purchase/orders/query': (params) => ({ data: { results_total: 0, purchase_orders: [], echo: params } }),
        '/purchase/order/batch/pay': () => ({
          success: 'false',
          error_code: 'INSUFFICIENT_BALANCE_FOR_PAYMENT',
          error_msg: 'balance too low',
        }),
        '/slow': async () => {
          await new Promise((r) => setTimeout(r, 1000));
          return {};
        },
        '/whole': () => iopRawAnswer({ success: true, data: 'as is' }),
        '/refuses': () => {
          throw new IopFakeError('InsufficientPermission');
        },
        '/body/echo': (_params, ctx) => ({ data: { body: ctx.body } }),
      },
    });
    baseUrl = await fake.listen();
    client = new IopClient({ baseUrl, appKey: APP_KEY, appSecret: APP_SECRET, now: () => clock.now(), log });
    token = await client.createToken(fake.issueCode('Ponte'));
  });
  afterAll(() => fake.close());
  beforeEach(() => {
    logs.length = 0;
    fake.setRateLimited(false);
  });

  async function refusal(promise: Promise<unknown>): Promise<GatewayError> {
    const err = await promise.then(
      () => {
        throw new Error('the call was expected to fail');
      },
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(GatewayError);
    return err as GatewayError;
  }

  it('exchanges an authorisation code for a token that acts for the account', async () => {
    const requested = clock.now();
    const t = await client.createToken(fake.issueCode('Ponte:caigou01'));
    expect(t.accessToken).toBeTruthy();
    expect(t.refreshToken).toBeTruthy();
    expect(t.expiresAt).toBe(requested + 7 * 86_400_000);
    expect(t.refreshExpiresAt).toBe(requested + 14 * 86_400_000);
    expect(t.owner).toEqual({
      account: 'Ponte:caigou01',
      accountId: null,
      userId: '2200000000002',
      sellerId: '',
      shortCode: '',
      accountPlatform: 'taobao_global',
    });
    expect(token.owner.accountId).toBe('7000000000000000001');
  });

  it('refuses a used or unknown code with an auth error', async () => {
    const code = fake.issueCode('Ponte');
    await client.createToken(code);
    const err = await refusal(client.createToken(code));
    expect(err.code).toBe('InvalidCode');
    expect(err.kind).toBe('auth');
  });

  it('answers a signed call, keeping ids above 2^53 exact', async () => {
    const answer = await client.call('/product/get', { item_id: 672991141190 }, { accessToken: token.accessToken });
    expect(answer.body.code).toBe('0');
    expect(answer.requestId).toMatch(/^21/);
    const data = answer.body.data as Record<string, unknown>;
    expect(data.mp_id).toBe('9007199254740993');
    expect(data.item_id).toBe('672991141190');
    expect(data.caller).toBe('Ponte');
    expect((data.sku_list as Array<Record<string, unknown>>)[0]).toEqual({
      sku_id: 5286453811111,
      mp_skuId: '12345678901234567890',
      price: 1999,
    });
    expect(fake.calls.at(-1)).toEqual({ api: '/product/get', params: { item_id: '672991141190' } });
  });

  it('sends objects as JSON text, exact bigints, by GET as well as POST', async () => {
    const params = { purchase_ids: [200002638011000001n, 2n], page_no: 1, empty: '', blank: '  ', none: undefined };
    for (const method of ['GET', 'POST'] as const) {
      const answer = await client.call('/purchase/orders/query', params, { accessToken: token.accessToken, method });
      expect((answer.body.data as Record<string, unknown>).echo).toEqual({
        purchase_ids: '[200002638011000001,2]',
        page_no: '1',
      });
    }
  });

  it('signs a raw body after the parameters', async () => {
    const body = '{"outer_purchase_id":"P-1","order_line_list":[{"item_id":9007199254740993}]}';
    const answer = await client.call('/body/echo', {}, { accessToken: token.accessToken, body });
    expect((answer.body.data as Record<string, unknown>).body).toBe(body);
  });

  it('accepts the flat JSON map that third-party clients post', async () => {
    const params: Record<string, string> = {
      app_key: APP_KEY,
      timestamp: String(clock.now()),
      sign_method: 'sha256',
      access_token: token.accessToken,
      item_id: '1',
    };
    params.sign = signIopRequest({ apiPath: '/product/get', params, appSecret: APP_SECRET });
    const res = await request(`${baseUrl}/rest/product/get`, {
      method: 'POST',
      headers: { 'content-type': 'application/json;charset=utf-8' },
      body: JSON.stringify(params),
    });
    expect(res.statusCode).toBe(200);
    expect(JSON.parse(await res.body.text())).toMatchObject({ code: '0', success: true });
  });

  it('accepts the hmac sign method and an ISO 8601 timestamp', async () => {
    const params: Record<string, string> = {
      app_key: APP_KEY,
      timestamp: new Date(clock.now()).toISOString().replace(/\.\d+Z$/, 'Z'),
      sign_method: 'hmac',
      access_token: token.accessToken,
      item_id: '1',
    };
    params.sign = signIopRequest({ apiPath: '/product/get', params, appSecret: APP_SECRET, signMethod: 'hmac' });
    const res = await request(`${baseUrl}/rest/product/get?${new URLSearchParams(params)}`);
    expect(JSON.parse(await res.body.text())).toMatchObject({ code: '0' });
  });

  it('refuses a tampered signature with the gateway error body', async () => {
    const params: Record<string, string> = {
      app_key: APP_KEY,
      timestamp: String(clock.now()),
      sign_method: 'sha256',
      access_token: token.accessToken,
      item_id: '1',
    };
    params.sign = signIopRequest({ apiPath: '/product/get', params, appSecret: APP_SECRET });
    params.item_id = '2';
    const res = await request(`${baseUrl}/rest/product/get?${new URLSearchParams(params)}`);
    expect(res.statusCode).toBe(200);
    const body = JSON.parse(await res.body.text());
    expect(body).toEqual({
      type: 'ISV',
      code: 'IncompleteSignature',
      message: 'The request signature does not conform to platform standards',
      request_id: expect.stringMatching(/^21/),
    });

    const wrongSecret = new IopClient({ baseUrl, appKey: APP_KEY, appSecret: 'other', now: () => clock.now(), log });
    const err = await refusal(wrongSecret.call('/product/get', { item_id: 1 }, { accessToken: token.accessToken }));
    expect(err).toMatchObject({ code: 'IncompleteSignature', kind: 'signature', status: 200, type: 'ISV' });
    expect(err.requestId).toMatch(/^21/);
  });

  it('refuses an unknown App Key before looking at the path, and a stale timestamp', async () => {
    const stranger = new IopClient({ baseUrl, appKey: '999', appSecret: APP_SECRET, now: () => clock.now(), log });
    const err = await refusal(stranger.call('/no/such/api', {}, { accessToken: token.accessToken }));
    expect(err).toMatchObject({ code: 'InvalidAppKey', kind: 'signature' });

    const late = new IopClient({
      baseUrl,
      appKey: APP_KEY,
      appSecret: APP_SECRET,
      now: () => clock.now() - 3 * HOUR,
      log,
    });
    const stale = await refusal(late.call('/product/get', { item_id: 1 }, { accessToken: token.accessToken }));
    expect(stale).toMatchObject({ code: 'InvalidTimestamp', kind: 'signature' });
  });

  it('answers an expired or unknown token with IllegalAccessToken, kind auth, and refreshes it', async () => {
    const t = await client.createToken(fake.issueCode('Ponte'));
    clock.advance(7 * 86_400_000);
    try {
      const err = await refusal(client.call('/product/get', { item_id: 1 }, { accessToken: t.accessToken }));
      expect(err).toMatchObject({
        code: 'IllegalAccessToken',
        kind: 'auth',
        gatewayMessage: 'The specified access token is invalid or expired',
        type: 'ISV',
      });
      const none = await refusal(client.call('/product/get', { item_id: 1 }));
      expect(none.kind).toBe('auth');

      const fresh = await client.refreshToken(t.refreshToken);
      expect(fresh.accessToken).not.toBe(t.accessToken);
      expect(fresh.expiresAt).toBe(clock.now() + 7 * 86_400_000);
      expect(fresh.owner.account).toBe('Ponte');
      const answer = await client.call('/product/get', { item_id: 1 }, { accessToken: fresh.accessToken });
      expect(answer.body.code).toBe('0');

      // The refresh token was replaced by the new one.
      const reused = await refusal(client.refreshToken(t.refreshToken));
      expect(reused).toMatchObject({ code: 'IllegalRefreshToken', kind: 'auth' });
    } finally {
      clock.advance(-7 * 86_400_000);
    }
  });

  it('refuses a refresh token past its lifetime', async () => {
    const t = await client.createToken(fake.issueCode('Ponte'));
    clock.advance(14 * 86_400_000 + 1);
    try {
      const err = await refusal(client.refreshToken(t.refreshToken));
      expect(err.kind).toBe('auth');
    } finally {
      clock.advance(-(14 * 86_400_000 + 1));
    }
  });

  it('answers the rate limit when it is on, kind rate_limited', async () => {
    fake.setRateLimited(true);
    const err = await refusal(client.call('/product/get', { item_id: 1 }, { accessToken: token.accessToken }));
    expect(err).toMatchObject({ code: 'ApiCallLimit', kind: 'rate_limited' });
    fake.setRateLimited(false);
    await expect(client.call('/product/get', { item_id: 1 }, { accessToken: token.accessToken })).resolves.toBeTruthy();
  });

  it('answers an unknown API or one not granted as unsupported', async () => {
    const err = await refusal(client.call('/no/such/api', {}, { accessToken: token.accessToken }));
    expect(err).toMatchObject({ code: 'InvalidApiPath', kind: 'unsupported', api: '/no/such/api' });
    const denied = await refusal(client.call('/refuses', {}, { accessToken: token.accessToken }));
    expect(denied).toMatchObject({ code: 'InsufficientPermission', kind: 'unsupported' });
  });

  it('answers a missing parameter with MissingParameter, kind params', async () => {
    const err = await refusal(client.call('/product/get', {}, { accessToken: token.accessToken }));
    expect(err).toMatchObject({ code: 'MissingParameter', kind: 'params' });
    expect(err.message).toContain('"item_id"');
  });

  it('leaves business errors in the answer, and lets a handler answer the whole body', async () => {
    const answer = await client.call(
      '/purchase/order/batch/pay',
      { purchaseOrderIdList: ['1'] },
      {
        accessToken: token.accessToken,
      },
    );
    expect(businessError(answer.body)).toEqual({
      code: 'INSUFFICIENT_BALANCE_FOR_PAYMENT',
      message: 'balance too low',
    });
    expect(businessError({ code: '0', result: { success: false, error_code: 'X', error_msg: 'm' } })).toEqual({
      code: 'X',
      message: 'm',
    });
    expect(businessError({ code: '0', biz_error_code: 'E1', biz_error_msg: 'no' })).toEqual({
      code: 'E1',
      message: 'no',
    });
    expect(businessError({ code: '0', success: 'true', data: {} })).toBeNull();

    // A body without the gateway's code is not a gateway answer.
    const err = await refusal(client.call('/whole', {}, { accessToken: token.accessToken }));
    expect(err).toMatchObject({ code: 'UnreadableAnswer', kind: 'unknown' });
  });

  it('honours the signal: an abort throws the abort reason', async () => {
    const controller = new AbortController();
    const reason = new Error('caller gave up');
    setTimeout(() => controller.abort(reason), 50);
    await expect(client.call('/slow', {}, { accessToken: token.accessToken, signal: controller.signal })).rejects.toBe(
      reason,
    );
    const already = AbortSignal.abort(reason);
    await expect(client.call('/slow', {}, { accessToken: token.accessToken, signal: already })).rejects.toBe(reason);
  });

  it('logs the API, duration, status and request id, never the secret, token or signature', async () => {
    const answer = await client.call('/product/get', { item_id: 1 }, { accessToken: token.accessToken });
    await refusal(client.call('/no/such/api', {}, { accessToken: token.accessToken }));
    expect(logs).toHaveLength(2);
    expect(logs[0]?.fields).toMatchObject({ api: '/product/get', status: 200, requestId: answer.requestId });
    expect(typeof logs[0]?.fields.durationMs).toBe('number');
    expect(logs[1]).toMatchObject({ level: 'warn', fields: { api: '/no/such/api', code: 'InvalidApiPath' } });
    const text = JSON.stringify(logs);
    expect(text).not.toContain(APP_SECRET);
    expect(text).not.toContain(token.accessToken);
    expect(text).not.toMatch(/[0-9A-F]{64}/);
  });

  it('turns an answer that is not JSON into an unknown error', async () => {
    const html = http.createServer((_req, res) =>
      res.writeHead(403, { 'content-type': 'text/html' }).end('<a>deny</a>'),
    );
    await new Promise<void>((r) => html.listen(0, '127.0.0.1', r));
    try {
      const port = (html.address() as AddressInfo).port;
      const blocked = new IopClient({
        baseUrl: `http://127.0.0.1:${port}`,
        appKey: APP_KEY,
        appSecret: APP_SECRET,
        now: () => clock.now(),
        log,
      });
      const err = await refusal(blocked.call('/product/get', { item_id: 1 }, { accessToken: token.accessToken }));
      expect(err).toMatchObject({ code: 'HttpStatus', kind: 'unknown', status: 403 });
    } finally {
      await new Promise<void>((r) => html.close(() => r()));
    }
  });

  it('serves the OAuth page as a redirect carrying a code and the state', async () => {
    const res = await request(
      `${baseUrl}/oauth/authorize?response_type=code&force_auth=true&client_id=${APP_KEY}&state=s1&redirect_uri=${encodeURIComponent('https://ponte.example/callback')}`,
    );
    expect(res.statusCode).toBe(302);
    await res.body.dump();
    const target = new URL(String(res.headers.location));
    expect(target.origin + target.pathname).toBe('https://ponte.example/callback');
    expect(target.searchParams.get('state')).toBe('s1');
    const t = await client.createToken(target.searchParams.get('code') as string);
    expect(t.owner.account).toBe('Ponte');
  });
});

describe('push messages from the fake gateway', () => {
  const clock = new ManualClock(Date.UTC(2026, 11, 5, 12));
  let fake: IopFake;
  let subscriber: http.Server;
  let url: string;
  const received: Array<{ body: string; authorization: string | undefined }> = [];
  let failuresLeft = 0;

  beforeAll(async () => {
    fake = buildIopFake({ appKey: APP_KEY, appSecret: APP_SECRET, now: () => clock.now() });
    subscriber = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        received.push({ body: Buffer.concat(chunks).toString('utf8'), authorization: req.headers.authorization });
        if (failuresLeft > 0) {
          failuresLeft--;
          return res.writeHead(500).end();
        }
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((r) => subscriber.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(subscriber.address() as AddressInfo).port}/iop/push`;
  });
  afterAll(async () => {
    await fake.close();
    await new Promise<void>((r) => subscriber.close(() => r()));
  });
  beforeEach(() => {
    received.length = 0;
  });

  const message = {
    seller_id: '2100000927014',
    message_type: 3,
    data: { purchase_id: 200002638011000001n, status: 'WAIT_SELLER_SEND_GOODS' },
    timestamp: 1650939687,
    site: 'taobao_hk',
  };

  it('signs a push that the push-signature check accepts, and a tampered one is refused', async () => {
    const result = await fake.push(url, message);
    expect(result).toMatchObject({ status: 200, attempts: 1 });
    expect(received).toHaveLength(1);
    const got = received[0] as { body: string; authorization: string };
    expect(got.body).toContain('"purchase_id":200002638011000001');
    expect(got.authorization).toMatch(/^[0-9a-f]{64}$/);
    const check = { appKey: APP_KEY, appSecret: APP_SECRET, rawBody: got.body, authorization: got.authorization };
    expect(verifyIopPush(check)).toBe(true);
    expect(verifyIopPush({ ...check, rawBody: got.body.replace('WAIT_SELLER_SEND_GOODS', 'TRADE_CLOSED') })).toBe(
      false,
    );
    expect(verifyIopPush({ ...check, appSecret: 'other' })).toBe(false);
  });

  it('tries again after a non-200 answer, with the same body and signature', async () => {
    failuresLeft = 2;
    const result = await fake.push(url, message, { attempts: 5 });
    expect(result).toMatchObject({ status: 200, attempts: 3 });
    expect(received).toHaveLength(3);
    expect(new Set(received.map((r) => `${r.authorization}|${r.body}`)).size).toBe(1);
  });
});
