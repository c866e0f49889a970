import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RETRY_SCHEDULE_MS } from '../../../src/modules/messages/delivery.js';
import type { Credentials } from '../../harness.js';
import {
  type Attempt,
  createOrder,
  type ListPage,
  type MessagesServer,
  type Receiver,
  receiver,
  saveCallbackUrl,
  startMessagesServer,
} from './messages-fixtures.js';

// The operator's view of callback delivery across developers: one row per developer with a URL, its state and the
// figures of its queue and of its attempts in the last 24 hours.

interface Health {
  developId: string;
  developerName: string;
  url: string;
  enabled: boolean;
  state: 'healthy' | 'failing' | 'disabled';
  disabledReason: string | null;
  disabledTime: number | null;
  failingSince: number | null;
  pending: number;
  held: number;
  deadLetters: number;
  delivered24h: number;
  failed24h: number;
  lastDeliveredTime: number | null;
  lastFailure: {
    time: number;
    messageId: string;
    httpStatus: number | null;
    error: string | null;
    outcome: string;
  } | null;
  oldestPendingAgeMs: number | null;
}

const DAY = 24 * 3_600_000;
const half = () => 0.5;

let m: MessagesServer;
/** The developer's receiver answers 200; another's 500; a third's 410 (its URL is disabled). */
let ok: Receiver;
let failing: Receiver;
let goneReceiver: Receiver;
let gone: Credentials;
let silent: Credentials;
/** When the first deliveries were made, and the failing developer's messages written. */
let deliveredAt: number;
let failingWritten: number;

const health = async (query = '') => {
  const r = await m.server.admin<{ list: Health[]; total: number }>('GET', `/admin/callbacks${query}`);
  expect(r.body.code, r.text).toBe(200);
  return r.body.data;
};
const rowOf = async (who: Credentials) => {
  const row = (await health(`?developId=${who.developId}`)).list[0];
  if (!row) throw new Error(`no row for ${who.developId}`);
  return row;
};
const messagesOf = async (who: Credentials, query = '') => {
  const r = await m.server.admin<ListPage>('GET', `/admin/developers/${who.developId}/messages?pageSize=50${query}`);
  expect(r.body.code, r.text).toBe(200);
  return r.body.data;
};

beforeAll(async () => {
  m = await startMessagesServer();
  ok = await receiver(200);
  failing = await receiver(200);
  goneReceiver = await receiver(200);
  gone = await m.server.createDeveloper('Gone away');
  silent = await m.server.createDeveloper('No callback URL');
  await saveCallbackUrl(m.server, m.dev, ok.url);
  m.clock.advance(1_000);
  await saveCallbackUrl(m.server, m.other, failing.url);
  m.clock.advance(1_000);
  await saveCallbackUrl(m.server, gone, goneReceiver.url);
  failing.answer = 500;
  goneReceiver.answer = 410;
  m.clock.advance(1_000);
  await createOrder(m.server, m.dev);
  await createOrder(m.server, m.sub);
  failingWritten = m.clock.now();
  await createOrder(m.server, m.other);
  await createOrder(m.server, m.other);
  await createOrder(m.server, gone);
  await createOrder(m.server, silent);
  m.clock.advance(1_000);
  deliveredAt = m.clock.now();
  expect(await m.server.drainCallbacks({ random: half })).toBe(5);
});
afterAll(async () => {
  await m?.close();
  for (const r of [ok, failing, goneReceiver]) await r?.close();
});

describe('GET /admin/callbacks', () => {
  it('lists every developer with a callback URL, newest first, with its state and figures', async () => {
    const all = await health();
    expect(all.total).toBe(3);
    expect(all.list.map((h) => h.developId)).toEqual([gone.developId, m.other.developId, m.dev.developId]);
    const [goneRow, failingRow, okRow] = all.list;

    expect(okRow).toEqual({
      developId: m.dev.developId,
      developerName: 'Messages',
      url: ok.url,
      enabled: true,
      state: 'healthy',
      disabledReason: null,
      disabledTime: null,
      failingSince: null,
      pending: 0,
      held: 0,
      deadLetters: 0,
      delivered24h: 2,
      failed24h: 0,
      lastDeliveredTime: deliveredAt,
      lastFailure: null,
      oldestPendingAgeMs: null,
    });
    const retrying = (await messagesOf(m.other)).messages;
    expect(retrying.map((x) => x.status)).toEqual(['pending', 'pending']);
    expect(failingRow).toEqual({
      developId: m.other.developId,
      developerName: 'Another developer',
      url: failing.url,
      enabled: true,
      state: 'failing',
      disabledReason: null,
      disabledTime: null,
      failingSince: deliveredAt,
      pending: 2,
      held: 0,
      deadLetters: 0,
      delivered24h: 0,
      failed24h: 2,
      lastDeliveredTime: null,
      lastFailure: {
        time: deliveredAt,
        messageId: expect.any(String),
        httpStatus: 500,
        error: 'answered HTTP 500',
        outcome: 'retry',
      },
      oldestPendingAgeMs: m.clock.now() - failingWritten,
    });
    expect(retrying.map((x) => x.messageId)).toContain(failingRow?.lastFailure?.messageId);
    const held = await messagesOf(gone, '&status=held');
    expect(held.total).toBeGreaterThanOrEqual(1);
    expect(goneRow).toMatchObject({
      developerName: 'Gone away',
      enabled: false,
      state: 'disabled',
      disabledReason: 'gone',
      disabledTime: deliveredAt,
      pending: 0,
      held: held.total,
      delivered24h: 0,
      failed24h: 1,
      lastFailure: { time: deliveredAt, httpStatus: 410, outcome: 'gone' },
    });

    m.clock.advance(10_000);
    expect((await rowOf(m.other)).oldestPendingAgeMs).toBe(m.clock.now() - failingWritten);
  });

  it('never answers a signing secret', async () => {
    const r = await m.server.admin('GET', '/admin/callbacks');
    expect(r.text).not.toContain('whsec_');
    expect(r.text).not.toContain('cbs_');
  });

  it('filters by state and developer, and pages', async () => {
    const ids = (page: { list: Health[] }) => page.list.map((h) => h.developId);
    expect(ids(await health('?state=failing'))).toEqual([gone.developId, m.other.developId]);
    expect(ids(await health('?state=disabled'))).toEqual([gone.developId]);
    expect(ids(await health('?state=healthy'))).toEqual([m.dev.developId]);
    expect(ids(await health(`?developId=${m.other.developId}`))).toEqual([m.other.developId]);
    expect(await health(`?developId=${silent.developId}`)).toEqual({ list: [], total: 0 });
    const second = await health('?pageNo=2&pageSize=1');
    expect(second.total).toBe(3);
    expect(ids(second)).toEqual([m.other.developId]);
    expect(await health('?pageNo=4&pageSize=1')).toEqual({ list: [], total: 3 });
  });

  it('counts failed messages once their retries ran out, and only the last 24 hours’ attempts', async () => {
    // Every retry of the schedule, each when it falls due: the 11th attempt fails the messages.
    for (const wait of RETRY_SCHEDULE_MS) {
      m.clock.advance(wait);
      expect(await m.server.drainCallbacks({ random: half })).toBe(2);
    }
    const now = m.clock.now();
    const messages = (await messagesOf(m.other)).messages;
    expect(messages.map((x) => x.status)).toEqual(['failed', 'failed']);
    const attempts: Attempt[] = [];
    for (const x of messages) {
      const r = await m.server.admin<{ attempts: Attempt[] }>('GET', `/admin/messages/${x.messageId}/attempts`);
      attempts.push(...r.body.data.attempts);
    }
    expect(attempts).toHaveLength(2 * (RETRY_SCHEDULE_MS.length + 1));
    const recent = attempts.filter((a) => a.attemptTime >= now - DAY);
    expect(recent.length).toBeLessThan(attempts.length);

    const row = await rowOf(m.other);
    expect(row).toMatchObject({
      state: 'failing',
      pending: 0,
      deadLetters: 2,
      delivered24h: 0,
      failed24h: recent.length,
      lastFailure: { time: now, httpStatus: 500, outcome: 'failed' },
      oldestPendingAgeMs: null,
    });
    // Two days later the developer's deliveries are older than the window; the last one is still known.
    expect(await rowOf(m.dev)).toMatchObject({ state: 'healthy', delivered24h: 0, lastDeliveredTime: deliveredAt });
    expect(await rowOf(gone)).toMatchObject({ state: 'disabled', failed24h: 0 });
    expect((await health('?state=healthy')).list.map((h) => h.developId)).toEqual([m.dev.developId]);

    // The dashboard counts the same deliveries and failures on the days they happened.
    const stats = async (who: Credentials) =>
      (
        await m.server.admin<{ totals: { messagesDelivered: number; messagesFailed: number } }>(
          'GET',
          `/admin/stats?days=5&developId=${who.developId}`,
        )
      ).body.data.totals;
    expect(await stats(m.other)).toEqual(expect.objectContaining({ messagesDelivered: 0, messagesFailed: 2 }));
    expect(await stats(m.dev)).toEqual(expect.objectContaining({ messagesDelivered: 2, messagesFailed: 0 }));
  });

  it('answers 40001 naming the field for bad filters, and 40106 without the operator token', async () => {
    const expect40001 = async (query: string, field: string) => {
      const r = await m.server.admin('GET', `/admin/callbacks${query}`);
      expect(r.body.code, r.text).toBe(40001);
      expect(r.status).toBe(400);
      expect(r.body.msg).toContain(`parameter ${field}:`);
    };
    await expect40001('?state=broken', 'state');
    await expect40001('?developId=abc', 'developId');
    await expect40001('?pageSize=51', 'pageSize');
    await expect40001('?colour=red', 'colour');
    for (const headers of [{}, { authorization: `Bearer ${'x'.repeat(32)}` }] as Record<string, string>[]) {
      const r = await m.server.request('GET', '/admin/callbacks', { headers });
      expect(r.body.code, r.text).toBe(40106);
      expect(r.status).toBe(401);
    }
    expect((await m.server.signed(m.dev, 'GET', '/admin/callbacks')).body.code).toBe(40106);
  });
});
