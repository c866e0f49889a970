import { createHmac } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Response, fetch as undiciFetch } from 'undici';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { GatewayError } from '../../../src/providers/aop/errors.js';
import { AopGateway, type FetchLike, parseApi } from '../../../src/providers/aop/gateway.js';
import { UpstreamError } from '../../../src/providers/errors.js';
import { type AopFake, AopWholeBody, buildAopFake } from '../../../src/upstream-fakes/aop/fake.js';

const APP_KEY = '8123456';
const APP_SECRET = 'fake-secret-Qw9';
const HOUR = 3_600_000;
const BIG_ID = '167539019420540001';

const DETAIL = 'com.alibaba.fenxiao.crossborder:product.search.queryProductDetail';
const BUYER_VIEW = 'com.alibaba.trade:alibaba.trade.get.buyerView';

describe('AOP gateway client against the fake gateway', () => {
  let t = Date.UTC(2026, 5, 1);
  let fake: AopFake;
  let baseUrl: string;
  let logs: { level: string; fields: Record<string, unknown>; message: string }[];
  const received: Record<string, unknown>[] = [];

  beforeAll(async () => {
    fake = buildAopFake({
      appKey: APP_KEY,
      appSecret: APP_SECRET,
      now: () => t,
      declined: ['com.alibaba.trade:alibaba.trade.fastCreateOrder'],
      handlers: {
        [DETAIL]: {
          required: ['offerDetailParam'],
          json: ['offerDetailParam'],
          handle: (params, ctx) => {
            received.push({ ...params, owner: ctx.owner });
            return { offerId: 624130101234, subject: '连衣裙', status: 'published' };
          },
        },
        [BUYER_VIEW]: (params) =>
          new AopWholeBody({
            result: { baseInfo: { id: BigInt(BIG_ID), idOfStr: BIG_ID, status: 'waitbuyerpay', totalAmount: 12.5 } },
            success: 'true',
            echo: params.orderId,
          }),
        'com.alibaba.trade:alibaba.trade.fastCreateOrder': () => ({}),
        'com.alibaba.trade:alibaba.trade.uploadRefundVoucher': {
          required: ['imageData'],
          handle: (params) => {
            const bytes = params.imageData as Buffer;
            return { imageDomain: 'cbu01.alicdn.com', size: bytes.length, first: bytes[0], last: bytes.at(-1) };
          },
        },
        'com.alibaba.logistics:alibaba.logistics.OpQueryLogisticCompanyList': async () => {
          await sleep(400);
          return [{ id: 1, companyName: '圆通速递', companyNo: 'YTO' }];
        },
        'cn.alibaba.open:push.query.messageList': () =>
          new AopWholeBody({ pushMessagePage: { datas: [], totalCount: 0 } }),
      },
    });
    baseUrl = await fake.listen();
  });
  afterAll(() => fake.close());
  beforeEach(() => {
    logs = [];
    fake.setRateLimited(false);
  });

  function client(overrides: { appSecret?: string; fetch?: FetchLike; baseUrl?: string } = {}) {
    const record = (level: string) => (fields: object, message: string) =>
      logs.push({ level, fields: fields as Record<string, unknown>, message });
    return new AopGateway({
      baseUrl: overrides.baseUrl ?? baseUrl,
      appKey: APP_KEY,
      appSecret: overrides.appSecret ?? APP_SECRET,
      now: () => t,
      log: { info: record('info'), warn: record('warn') },
      ...(overrides.fetch ? { fetch: overrides.fetch } : {}),
    });
  }

  async function refusal(promise: Promise<unknown>): Promise<GatewayError> {
    const err = await promise.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(GatewayError);
    return err as GatewayError;
  }

  it('reads API ids as namespace:name, with an optional version', () => {
    expect(parseApi(DETAIL)).toEqual({
      namespace: 'com.alibaba.fenxiao.crossborder',
      name: 'product.search.queryProductDetail',
    });
    expect(parseApi('cn.alibaba.open:push.cursor.messageList-1')).toEqual({
      namespace: 'cn.alibaba.open',
      name: 'push.cursor.messageList',
      version: '1',
    });
    expect(() => parseApi('no-namespace')).toThrow(TypeError);
  });

  it('sends a signed call with objects as JSON text and answers the envelope', async () => {
    const { accessToken } = fake.issueToken('b2b-2207000001');
    const body = await client().call(
      DETAIL,
      { offerDetailParam: { offerId: 624130101234, country: 'en' }, skipped: undefined },
      { accessToken },
    );
    expect(body).toEqual({
      result: {
        success: true,
        code: '200',
        message: '成功',
        result: { offerId: 624130101234, subject: '连衣裙', status: 'published' },
      },
    });
    const params = received.at(-1) as Record<string, unknown>;
    expect(params.offerDetailParam).toBe('{"offerId":624130101234,"country":"en"}');
    expect(params.owner).toBe('b2b-2207000001');
    expect(params._aop_timestamp).toBe(String(t));
    expect(params).not.toHaveProperty('skipped');
  });

  it('keeps ids above 2^53 exact, in answers and in JSON parameters', async () => {
    const { accessToken } = fake.issueToken('b2b-1');
    const body = await client().call<{ result: { baseInfo: Record<string, unknown> }; success: string; echo: string }>(
      BUYER_VIEW,
      { webSite: '1688', orderId: BigInt(BIG_ID) },
      { accessToken },
    );
    expect(body.result.baseInfo.id).toBe(BIG_ID);
    expect(body.result.baseInfo.idOfStr).toBe(BIG_ID);
    expect(body.result.baseInfo.totalAmount).toBe(12.5);
    expect(body.success).toBe('true');
    expect(body.echo).toBe(BIG_ID);

    await client().call(DETAIL, { offerDetailParam: { offerId: BigInt(BIG_ID), country: 'en' } }, { accessToken });
    expect((received.at(-1) as Record<string, unknown>).offerDetailParam).toBe(`{"offerId":${BIG_ID},"country":"en"}`);
  });

  it('sends bytes as an unsigned multipart part, which the gateway accepts', async () => {
    const { accessToken } = fake.issueToken('b2b-1');
    const image = new Uint8Array(5000).fill(7);
    image[0] = 0xff;
    image[4999] = 0xd9;
    const body = await client().call<{ result: { result: Record<string, unknown> } }>(
      'com.alibaba.trade:alibaba.trade.uploadRefundVoucher',
      { imageData: image },
      { accessToken },
    );
    expect(body.result.result).toEqual({ imageDomain: 'cbu01.alicdn.com', size: 5000, first: 0xff, last: 0xd9 });
  });

  it('refuses a tampered signature with the gateway error body, typed as kind signature', async () => {
    const { accessToken } = fake.issueToken('b2b-1');
    // A proxy that changes a signed value after signing.
    const tampering: FetchLike = (url, init) => {
      const form = new URLSearchParams(init?.body as URLSearchParams);
      form.set('offerDetailParam', '{"offerId":1,"country":"ru"}');
      return undiciFetch(url, { ...init, body: form });
    };
    const err = await refusal(
      client({ fetch: tampering }).call(DETAIL, { offerDetailParam: { offerId: 1, country: 'en' } }, { accessToken }),
    );
    expect(err).toMatchObject({ code: 'gw.SignatureInvalid', kind: 'signature', status: 400 });
    expect(err.requestId).toMatch(/^[0-9a-f]{32}$/);
    expect(err).toBeInstanceOf(UpstreamError);

    const wrongSecret = await refusal(client({ appSecret: 'not-the-secret' }).call(DETAIL, {}, { accessToken }));
    expect(wrongSecret.kind).toBe('signature');

    // The body itself, as the official SDKs read it.
    const res = await undiciFetch(
      `${baseUrl}/openapi/param2/1/com.alibaba.trade/alibaba.trade.get.buyerView/${APP_KEY}`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ orderId: '1', access_token: accessToken, _aop_signature: 'ABC' }),
      },
    );
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      error_code: 'gw.SignatureInvalid',
      error_message: expect.any(String),
      request_id: expect.any(String),
    });
  });

  it('accepts a request signed by hand by the documented rule, POSTed as a form or sent as a query', async () => {
    const { accessToken } = fake.issueToken('b2b-1');
    const path = `param2/1/com.alibaba.trade/alibaba.trade.get.buyerView/${APP_KEY}`;
    const params = { webSite: '1688', orderId: BIG_ID, access_token: accessToken, _aop_timestamp: String(t) };
    const factor = `${path}${Object.entries(params)
      .map(([k, v]) => k + v)
      .sort()
      .join('')}`;
    const signature = createHmac('sha1', APP_SECRET).update(factor, 'utf8').digest('hex').toUpperCase();
    const form = new URLSearchParams({ ...params, _aop_signature: signature });
    const post = await undiciFetch(`${baseUrl}/openapi/${path}`, { method: 'POST', body: form });
    expect(post.status).toBe(200);
    expect(await post.text()).toContain(`"echo":"${BIG_ID}"`);
    const get = await undiciFetch(`${baseUrl}/openapi/${path}?${form}`);
    expect(get.status).toBe(200);
    const json = await undiciFetch(`${baseUrl}/openapi/${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...params, _aop_signature: signature }),
    });
    expect(json.status).toBe(415);
    expect(await json.json()).toMatchObject({ error_code: expect.stringMatching(/^gw\./) });
  });

  it('refuses a lowercase signature: the hex is uppercase', async () => {
    const { accessToken } = fake.issueToken('b2b-1');
    const lower: FetchLike = (url, init) => {
      const form = new URLSearchParams(init?.body as URLSearchParams);
      form.set('_aop_signature', String(form.get('_aop_signature')).toLowerCase());
      return undiciFetch(url, { ...init, body: form });
    };
    const err = await refusal(client({ fetch: lower }).call(BUYER_VIEW, { orderId: '1' }, { accessToken }));
    expect(err.kind).toBe('signature');
  });

  it('answers kind auth for an expired, unknown or missing token (HTTP 401, "Request need user authorized")', async () => {
    const { accessToken } = fake.issueToken('b2b-1');
    await expect(client().call(BUYER_VIEW, { orderId: '1' }, { accessToken })).resolves.toBeTruthy();
    t += 10 * HOUR;
    const expired = await refusal(client().call(BUYER_VIEW, { orderId: '1' }, { accessToken }));
    expect(expired).toMatchObject({
      code: '401',
      kind: 'auth',
      status: 401,
      gatewayMessage: 'Request need user authorized',
    });
    const unknown = await refusal(client().call(BUYER_VIEW, { orderId: '1' }, { accessToken: 'at-made-up' }));
    expect(unknown.kind).toBe('auth');
    const missing = await refusal(client().call(BUYER_VIEW, { orderId: '1' }));
    expect(missing.kind).toBe('auth');
  });

  it('checks the token before the grant, and the grant before the parameters', async () => {
    const declined = 'com.alibaba.trade:alibaba.trade.fastCreateOrder';
    expect((await refusal(client().call(declined, {}))).kind).toBe('auth');
    const { accessToken } = fake.issueToken('b2b-1');
    const acl = await refusal(client().call(declined, {}, { accessToken }));
    expect(acl).toMatchObject({ code: 'gw.APIACLDecline', kind: 'unsupported', status: 400 });
    expect(acl.gatewayMessage).toBe('AppKey is not allowed(acl)');
  });

  it('answers kind params for a missing or malformed parameter', async () => {
    const { accessToken } = fake.issueToken('b2b-1');
    const missing = await refusal(client().call(DETAIL, {}, { accessToken }));
    expect(missing).toMatchObject({ code: 'gw.ParamMissing', kind: 'params' });
    const malformed = await refusal(client().call(DETAIL, { offerDetailParam: '{"offerId":' }, { accessToken }));
    expect(malformed.kind).toBe('params');
  });

  it('answers kind rate_limited while the gateway throttles', async () => {
    const { accessToken } = fake.issueToken('b2b-1');
    fake.setRateLimited(true);
    const err = await refusal(client().call(BUYER_VIEW, { orderId: '1' }, { accessToken }));
    expect(err).toMatchObject({ code: 'gw.QosRequestLimit', kind: 'rate_limited' });
    fake.setRateLimited(false);
    await expect(client().call(BUYER_VIEW, { orderId: '1' }, { accessToken })).resolves.toBeTruthy();
  });

  it('answers kind unsupported for an API the gateway does not have', async () => {
    const { accessToken } = fake.issueToken('b2b-1');
    const err = await refusal(client().call('com.alibaba.trade:alibaba.trade.noSuchThing', {}, { accessToken }));
    expect(err).toMatchObject({ code: 'gw.APIUnsupported', kind: 'unsupported' });
    const version = await refusal(client().call(`${BUYER_VIEW}-2`, {}, { accessToken }));
    expect(version.kind).toBe('unsupported');
  });

  it('calls an API that needs no user token without one', async () => {
    const body = await client().call('cn.alibaba.open:push.query.messageList', { page: 1, pageSize: 20 });
    expect(body).toEqual({ pushMessagePage: { datas: [], totalCount: 0 } });
  });

  it('throws the abort when the signal aborts, before or during the call', async () => {
    const { accessToken } = fake.issueToken('b2b-1');
    const slow = 'com.alibaba.logistics:alibaba.logistics.OpQueryLogisticCompanyList';
    const controller = new AbortController();
    const reason = new Error('the caller gave up');
    setTimeout(() => controller.abort(reason), 50);
    await expect(client().call(slow, {}, { accessToken, signal: controller.signal })).rejects.toBe(reason);
    await expect(client().call(slow, {}, { accessToken, signal: controller.signal })).rejects.toBe(reason);
    const timeout = AbortSignal.timeout(30);
    await expect(client().call(slow, {}, { accessToken, signal: timeout })).rejects.toMatchObject({
      name: 'TimeoutError',
    });
    expect(logs.filter((l) => l.message === 'aop call aborted')).toHaveLength(3);
  });

  it("types refusals that are not the gateway's JSON by their status, and a gateway body on HTTP 200 by its code", async () => {
    const answering =
      (status: number, body: string): FetchLike =>
      async () =>
        new Response(body, { status });
    const page = await refusal(client({ fetch: answering(502, '<html>bad gateway</html>') }).call(BUYER_VIEW, {}));
    expect(page).toMatchObject({ code: '502', kind: 'unknown', status: 502 });
    expect(page.gatewayMessage).toContain('bad gateway');
    const throttled = await refusal(client({ fetch: answering(429, '') }).call(BUYER_VIEW, {}));
    expect(throttled.kind).toBe('rate_limited');
    const ok = await client({ fetch: answering(200, '<html>ok</html>') })
      .call(BUYER_VIEW, {})
      .catch((e: unknown) => e);
    expect(ok).toBeInstanceOf(UpstreamError);
    expect(ok).not.toBeInstanceOf(GatewayError);
    const on200 = await refusal(
      client({
        fetch: answering(200, '{"error_code":"gw.QosAppFrequencyLimit","error_message":"x","request_id":"r1"}'),
      }).call(BUYER_VIEW, {}),
    );
    expect(on200).toMatchObject({ kind: 'rate_limited', requestId: 'r1', status: 200 });
    const business = await client({ fetch: answering(200, '{"success":false,"errorCode":"ORDER_NOT_EXIST"}') }).call(
      BUYER_VIEW,
      {},
    );
    expect(business).toEqual({ success: false, errorCode: 'ORDER_NOT_EXIST' });
  });

  it('fails with UpstreamError when the gateway cannot be reached', async () => {
    const err = await client({ baseUrl: 'http://127.0.0.1:1' })
      .call(BUYER_VIEW, {})
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UpstreamError);
    expect(err).not.toBeInstanceOf(GatewayError);
  });

  it('logs the API, duration, status and request id, never the secret, the token or the signature', async () => {
    const { accessToken } = fake.issueToken('b2b-1');
    const signatures: string[] = [];
    const spy: FetchLike = (url, init) => {
      signatures.push(String(new URLSearchParams(init?.body as URLSearchParams).get('_aop_signature')));
      return undiciFetch(url, init);
    };
    await client({ fetch: spy }).call(BUYER_VIEW, { orderId: '1' }, { accessToken });
    fake.setRateLimited(true);
    await client({ fetch: spy })
      .call(BUYER_VIEW, { orderId: '1' }, { accessToken })
      .catch(() => undefined);
    expect(logs).toHaveLength(2);
    expect(logs[0]).toMatchObject({ level: 'info', fields: { api: BUYER_VIEW, status: 200 } });
    expect(logs[0]?.fields.durationMs).toEqual(expect.any(Number));
    expect(logs[1]).toMatchObject({
      level: 'warn',
      fields: { api: BUYER_VIEW, status: 400, code: 'gw.QosRequestLimit', kind: 'rate_limited' },
    });
    expect(logs[1]?.fields.requestId).toMatch(/^[0-9a-f]{32}$/);
    const written = JSON.stringify(logs);
    for (const secret of [APP_SECRET, accessToken, ...signatures]) expect(written).not.toContain(secret);
  });
});
