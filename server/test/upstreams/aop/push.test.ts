import { createHmac } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { fetch as undiciFetch } from 'undici';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PushRejected, readPush } from '../../../src/providers/aop/push.js';
import { type AopFake, buildAopFake } from '../../../src/upstream-fakes/aop/fake.js';

const APP_SECRET = 'fake-secret-Qw9';
const BIG_ORDER = '167539019420540001';

describe('AOP pushes: signed by the fake gateway, verified by the receiving side', () => {
  let fake: AopFake;
  let other: AopFake;
  let receiver: http.Server;
  let url: string;
  let posts: { contentType: string | undefined; form: URLSearchParams }[];
  let accepted: ReturnType<typeof readPush>[];

  beforeAll(async () => {
    fake = buildAopFake({ appKey: '8123456', appSecret: APP_SECRET, now: () => 1_780_000_000_000 });
    other = buildAopFake({ appKey: '8123456', appSecret: 'another-secret' });
    // The receiving side as Ponte will have it: 401 to a bad signature, as the published convention says.
    receiver = http.createServer((req, res) => {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (chunk: string) => {
        body += chunk;
      });
      req.on('end', () => {
        const form = new URLSearchParams(body);
        posts.push({ contentType: req.headers['content-type'], form });
        try {
          accepted.push(readPush(form, APP_SECRET));
          res.writeHead(200).end('success');
        } catch (err) {
          res.writeHead(err instanceof PushRejected && err.reason === 'signature' ? 401 : 400).end();
        }
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/aop/push`;
  });
  afterAll(async () => {
    await new Promise<void>((r) => receiver.close(() => r()));
  });
  beforeEach(() => {
    posts = [];
    accepted = [];
  });

  it('posts form fields message and _aop_signature = HMAC-SHA1(secret, "message" + message), uppercase', async () => {
    const answer = await fake.push(url, {
      type: 'ORDER_BUYER_VIEW_ORDER_PAY',
      userInfo: 'b2b-2207000001',
      data: {
        orderId: BigInt(BIG_ORDER),
        currentStatus: 'waitsellersend',
        msgSendTime: '2026-06-01 19:34:27',
        buyerMemberId: 'b2b-2207000001',
      },
    });
    expect(answer).toEqual({ status: 200, body: 'success' });
    const post = posts[0];
    expect(post?.contentType).toMatch(/^application\/x-www-form-urlencoded/);
    expect([...(post?.form.keys() ?? [])].sort()).toEqual(['_aop_signature', 'message']);
    const message = post?.form.get('message') as string;
    const expected = createHmac('sha1', APP_SECRET).update(`message${message}`, 'utf8').digest('hex').toUpperCase();
    expect(post?.form.get('_aop_signature')).toBe(expected);
  });

  it('reads the envelope with long ids exact, and gives each message its own msgId', async () => {
    await fake.push(url, {
      type: 'ORDER_BUYER_VIEW_ORDER_PAY',
      userInfo: 'b2b-1',
      data: { orderId: BigInt(BIG_ORDER) },
    });
    await fake.push(url, { type: 'ORDER_BUYER_VIEW_ANNOUNCE_SENDGOODS', userInfo: 'b2b-1', data: {} });
    expect(accepted).toHaveLength(2);
    const [first, second] = accepted;
    expect(first).toMatchObject({
      type: 'ORDER_BUYER_VIEW_ORDER_PAY',
      userInfo: 'b2b-1',
      gmtBorn: 1_780_000_000_000,
      data: { orderId: BIG_ORDER },
    });
    expect(first?.msgId).toMatch(/^\d{18}$/);
    expect(BigInt(first?.msgId as string)).toBeGreaterThan(BigInt(Number.MAX_SAFE_INTEGER));
    expect(second?.msgId).not.toBe(first?.msgId);
  });

  it('refuses a tampered message and one signed with another secret', async () => {
    await fake.push(url, { type: 'ORDER_BUYER_VIEW_ORDER_PAY', userInfo: 'b2b-1', data: { orderId: 1 } });
    const form = posts[0]?.form as URLSearchParams;
    const tampered = new URLSearchParams(form);
    tampered.set('message', (form.get('message') as string).replace('"orderId":1', '"orderId":2'));
    expect(() => readPush(tampered, APP_SECRET)).toThrow(PushRejected);
    const res = await undiciFetch(url, { method: 'POST', body: tampered });
    expect(res.status).toBe(401);

    const foreign = await other.push(url, { type: 'ORDER_BUYER_VIEW_ORDER_PAY', userInfo: 'b2b-1', data: {} });
    expect(foreign.status).toBe(401);
    expect(accepted).toHaveLength(1);
  });

  it('refuses a signed message that is not an envelope', async () => {
    const answer = await fake.push(url, 'not json');
    expect(answer.status).toBe(400);
    expect(() => readPush({ message: '{"type":"T"}', _aop_signature: 'X' }, APP_SECRET)).toThrow(PushRejected);
  });
});
