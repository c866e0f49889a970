import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Credentials } from '../../harness.js';
import {
  type Attempt,
  createOrder,
  type Listed,
  type ListPage,
  type MessagesServer,
  type Receiver,
  receiver,
  saveCallbackUrl,
  startMessagesServer,
} from './messages-fixtures.js';

// The operator's message endpoints (docs/adr/0013): any developer's delivery state, messages, attempts and
// redelivery, and re-enabling a URL that delivery disabled; all behind the operator's bearer token.

interface State {
  developId: string;
  settings: { url: string; enabled: boolean; disabledReason: string | null; secretId: string } | null;
  failingSince: number | null;
  counts: { held: number; pending: number; delivered: number; failed: number };
  lastAttempt: (Attempt & { messageId: string }) | null;
}

let m: MessagesServer;
let r: Receiver;

async function messageOf(who: Credentials, orderId: string): Promise<Listed> {
  const page = await m.server.signed<ListPage>(who, 'GET', `/open/message/list?objectId=${orderId}`);
  const [message] = page.body.data.messages;
  if (!message) throw new Error(`no message about ${orderId}`);
  return message;
}

const admin = <T>(method: string, url: string, body?: unknown) => m.server.admin<T>(method, url, body);

beforeAll(async () => {
  m = await startMessagesServer();
  r = await receiver(200);
  await saveCallbackUrl(m.server, m.dev, r.url);
});
afterAll(async () => {
  await m?.close();
  await r?.close();
});

describe('the operator’s message endpoints', () => {
  const routes = (developId: string, messageId: string) =>
    [
      ['GET', `/admin/developers/${developId}/callback`, undefined],
      ['GET', `/admin/developers/${developId}/messages`, undefined],
      ['GET', `/admin/messages/${messageId}/attempts`, undefined],
      ['POST', `/admin/developers/${developId}/messages/redeliver`, { messageId }],
      ['POST', `/admin/developers/${developId}/callback/enable`, undefined],
    ] as const;

  it('need the operator’s token: none, a wrong one or a developer’s signature answer 40106', async () => {
    const { messageId } = await messageOf(m.sub, await createOrder(m.server, m.sub));
    for (const [method, url, body] of routes(m.dev.developId, messageId)) {
      const payload = body === undefined ? undefined : JSON.stringify(body);
      const json: Record<string, string> = payload === undefined ? {} : { 'content-type': 'application/json' };
      for (const headers of [json, { ...json, authorization: `Bearer ${'x'.repeat(32)}` }]) {
        const res = await m.server.request(method, url, { body: payload, headers });
        expect(res.body.code, `${method} ${url}: ${res.text}`).toBe(40106);
        expect(res.status).toBe(401);
      }
      const signed = await m.server.signed(m.dev, method, url, body === undefined ? {} : { body });
      expect(signed.body.code, `${method} ${url} signed`).toBe(40106);
    }
    await m.server.drainCallbacks();
  });

  it("reads any developer's delivery state: settings, failing time, counts by status and the last attempt", async () => {
    const delivered = await messageOf(m.sibling, await createOrder(m.server, m.sibling));
    expect(await m.server.drainCallbacks()).toBe(1);
    r.answer = 500;
    m.clock.advance(1_000);
    const failedAt = m.clock.now();
    const retrying = await messageOf(m.sub, await createOrder(m.server, m.sub));
    expect(await m.server.drainCallbacks({ random: () => 0.5 })).toBe(1);

    const state = await admin<State>('GET', `/admin/developers/${m.dev.developId}/callback`);
    expect(state.body.code, state.text).toBe(200);
    const own = await m.server.signed<NonNullable<State['settings']>>(m.dev, 'GET', '/open/message/callback');
    expect(state.body.data).toEqual({
      developId: m.dev.developId,
      settings: own.body.data,
      failingSince: failedAt,
      counts: { held: 0, pending: 1, delivered: 2, failed: 0 },
      lastAttempt: {
        messageId: retrying.messageId,
        attempt: 1,
        attemptTime: failedAt,
        url: r.url,
        httpStatus: 500,
        durationMs: expect.any(Number),
        response: 'answer 500',
        error: 'answered HTTP 500',
        outcome: 'retry',
      },
    });
    expect(state.body.data.settings).toMatchObject({ url: r.url, enabled: true });
    expect(state.text).not.toContain('whsec_');
    r.answer = 200;
    m.clock.advance(5_000);
    expect(await m.server.drainCallbacks()).toBe(1);
    const after = (await admin<State>('GET', `/admin/developers/${m.dev.developId}/callback`)).body.data;
    expect(after).toMatchObject({ failingSince: null, counts: { pending: 0, delivered: 3 } });
    expect(after.lastAttempt).toMatchObject({ messageId: retrying.messageId, attempt: 2, outcome: 'delivered' });
    expect(delivered.messageId).not.toBe(retrying.messageId);

    const quiet = (await admin<State>('GET', `/admin/developers/${m.other.developId}/callback`)).body.data;
    expect(quiet).toEqual({
      developId: m.other.developId,
      settings: null,
      failingSince: null,
      counts: { held: 0, pending: 0, delivered: 0, failed: 0 },
      lastAttempt: null,
    });
    const unknown = await admin('GET', '/admin/developers/4242/callback');
    expect(unknown.body.code).toBe(40401);
    expect(unknown.body.msg).toBe('Not found: developer 4242');
  });

  it("lists any developer's messages, every sub-account's, with the developer's filters", async () => {
    const url = `/admin/developers/${m.dev.developId}/messages`;
    const all = await admin<ListPage>('GET', `${url}?pageSize=50`);
    expect(all.body.code, all.text).toBe(200);
    const own = await m.server.signed<ListPage>(m.dev, 'GET', '/open/message/list?pageSize=50');
    expect(all.body.data).toEqual(own.body.data);
    expect(all.body.data.total).toBe(3);
    const [newest] = all.body.data.messages;
    const byObject = await admin<ListPage>('GET', `${url}?objectId=${newest?.objectId}&status=delivered`);
    expect(byObject.body.data.messages.map((x) => x.messageId)).toEqual([newest?.messageId]);
    const none = await admin<ListPage>('GET', `${url}?status=failed&messagePlatform=1`);
    expect(none.body.data).toMatchObject({ total: 0, messages: [] });
    const at = newest?.timestamp ?? 0;
    const range = await admin<ListPage>('GET', `${url}?startTime=${at}&endTime=${at + 1}`);
    expect(range.body.data.messages.map((x) => x.messageId)).toContain(newest?.messageId);
    const bad = await admin('GET', `${url}?startTime=${at}&endTime=${at}`);
    expect(bad.body.code).toBe(40001);
    expect(bad.body.msg).toContain('endTime');
    expect((await admin('GET', '/admin/developers/4242/messages')).body.code).toBe(40401);
  });

  it("shows any message's attempts with its developer", async () => {
    const [newest] = (await m.server.signed<ListPage>(m.dev, 'GET', '/open/message/list')).body.data.messages;
    const id = newest?.messageId as string;
    const res = await admin<{ developId: string; message: Listed; attempts: Attempt[] }>(
      'GET',
      `/admin/messages/${id}/attempts`,
    );
    expect(res.body.code, res.text).toBe(200);
    const own = await m.server.signed<{ message: Listed; attempts: Attempt[] }>(
      m.dev,
      'GET',
      `/open/message/attempts?messageId=${id}`,
    );
    expect(res.body.data).toEqual({ developId: m.dev.developId, ...own.body.data });
    expect(res.body.data.attempts.length).toBeGreaterThan(0);
    const unknown = await admin('GET', '/admin/messages/1795432287562383361/attempts');
    expect(unknown.body.msg).toBe('Not found: message 1795432287562383361');
    expect((await admin('GET', '/admin/messages/abc/attempts')).body.code).toBe(40001);
  });

  it('re-enables a URL a 410 disabled; held messages wait for a redelivery, which delivers them', async () => {
    const gone = await m.server.createDeveloper('Gone');
    const g = await receiver(200);
    try {
      await saveCallbackUrl(m.server, gone, g.url);
      g.answer = 410;
      const start = m.clock.now();
      const first = await messageOf(gone, await createOrder(m.server, gone));
      expect(await m.server.drainCallbacks()).toBe(1);
      const stateUrl = `/admin/developers/${gone.developId}/callback`;
      const disabled = (await admin<State>('GET', stateUrl)).body.data;
      expect(disabled.settings).toMatchObject({ enabled: false, disabledReason: 'gone' });
      // The order's message and the one saying the URL was disabled.
      expect(disabled.counts).toEqual({ held: 2, pending: 0, delivered: 0, failed: 0 });
      expect(disabled.lastAttempt).toMatchObject({ messageId: first.messageId, httpStatus: 410, outcome: 'gone' });
      const redeliverUrl = `/admin/developers/${gone.developId}/messages/redeliver`;
      const range = { startTime: start, endTime: m.clock.now() + 1 };
      const refused = await admin('POST', redeliverUrl, range);
      expect(refused.body.code, refused.text).toBe(40901);
      expect(refused.body.msg).toContain('no enabled callback URL');

      const enabled = await admin<State>('POST', `/admin/developers/${gone.developId}/callback/enable`);
      expect(enabled.body.code, enabled.text).toBe(200);
      expect(enabled.body.data.settings).toMatchObject({ url: g.url, enabled: true, disabledReason: null });
      expect(enabled.body.data.counts.held).toBe(2);
      const again = await admin('POST', `/admin/developers/${gone.developId}/callback/enable`);
      expect(again.body.code, again.text).toBe(40901);
      expect(again.body.msg).toBe('The current state does not allow this action: the callback URL is already enabled');
      expect(await m.server.drainCallbacks()).toBe(0);

      g.answer = 200;
      const redelivered = await admin<{ redelivered: number }>('POST', redeliverUrl, range);
      expect(redelivered.body.data).toEqual({ redelivered: 2 });
      expect(await m.server.drainCallbacks()).toBe(2);
      const types = g.deliveries().map((d) => d.messageId);
      expect(types[0]).toBe(first.messageId);
      expect(types).toHaveLength(3);
      // New messages are queued again at once.
      await createOrder(m.server, gone);
      expect(await m.server.drainCallbacks()).toBe(1);
      const after = (await admin<State>('GET', stateUrl)).body.data;
      expect(after.counts).toEqual({ held: 0, pending: 0, delivered: 3, failed: 0 });
    } finally {
      await g.close();
    }
    const noUrl = await admin('POST', `/admin/developers/${m.other.developId}/callback/enable`);
    expect(noUrl.body.code, noUrl.text).toBe(40401);
    expect(noUrl.body.msg).toBe(`Not found: callback URL of developer ${m.other.developId}`);
    expect((await admin('POST', '/admin/developers/4242/callback/enable')).body.msg).toBe('Not found: developer 4242');
  });

  it("redelivers one message of any developer, but only the developer's named", async () => {
    const { messageId } = await messageOf(m.sub, await createOrder(m.server, m.sub));
    await m.server.drainCallbacks();
    const wrong = await admin('POST', `/admin/developers/${m.other.developId}/messages/redeliver`, { messageId });
    expect(wrong.body.code, wrong.text).toBe(40401);
    const ok = await admin<{ redelivered: number }>('POST', `/admin/developers/${m.dev.developId}/messages/redeliver`, {
      messageId,
    });
    expect(ok.body.data).toEqual({ redelivered: 1 });
    const seen = r.deliveries().length;
    expect(await m.server.drainCallbacks()).toBe(1);
    expect(r.deliveries().slice(seen)).toEqual([{ webhookId: messageId, messageId }]);
    const both = await admin('POST', `/admin/developers/${m.dev.developId}/messages/redeliver`, {
      messageId,
      startTime: 1,
      endTime: 2,
    });
    expect(both.body.code).toBe(40001);
    expect((await admin('POST', '/admin/developers/4242/messages/redeliver', { messageId })).body.code).toBe(40401);
  });
});
