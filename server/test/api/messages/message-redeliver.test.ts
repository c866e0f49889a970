import { type ApiError, PonteClient } from '@ponte/sdk';
import { verifyCallback } from '@ponte/sdk/callbacks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RETRY_SCHEDULE_MS } from '../../../src/modules/messages/delivery.js';
import type { Credentials } from '../../harness.js';
import {
  type Attempt,
  createOrder,
  insertMessages,
  type Listed,
  type ListPage,
  type MessagesServer,
  type Receiver,
  receiver,
  saveCallbackUrl,
  startMessagesServer,
} from './messages-fixtures.js';

// POST /open/message/redeliver (docs/adr/0013): one message, or a time range of them (optionally only the failed
// ones), queued again for a fresh round of the schedule; the next delivery carries the same `webhook-id`.

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

let m: MessagesServer;
let r: Receiver;

const redeliver = (who: Credentials, body: unknown) =>
  m.server.signed<{ redelivered: number }>(who, 'POST', '/open/message/redeliver', { body });

async function messageOf(who: Credentials, orderId: string): Promise<Listed> {
  const page = await m.server.signed<ListPage>(who, 'GET', `/open/message/list?objectId=${orderId}`);
  expect(page.body.code, page.text).toBe(200);
  const [message] = page.body.data.messages;
  if (!message) throw new Error(`no message about ${orderId}`);
  return message;
}

/** The queue columns of some messages, by id. */
async function rows(ids: string[]) {
  const found = await m.server.deps.database.db
    .selectFrom('messages')
    .select(['id', 'delivery', 'attempts', 'round_attempts', 'next_attempt_at', 'lease_owner'])
    .where('id', 'in', ids)
    .execute();
  return new Map(found.map((x) => [x.id, { ...x, next_attempt_at: x.next_attempt_at && Number(x.next_attempt_at) }]));
}

beforeAll(async () => {
  m = await startMessagesServer();
  r = await receiver(200);
  await saveCallbackUrl(m.server, m.dev, r.url);
});
afterAll(async () => {
  await m?.close();
  await r?.close();
});

describe('POST /open/message/redeliver', () => {
  it('through the SDK: saves the callback URL, redelivers, and the delivery verifies under the secret', async () => {
    const someone = await m.server.createDeveloper('SDK');
    const client = new PonteClient({ baseUrl: m.server.baseUrl, ...someone });
    const own = await receiver(200);
    try {
      expect(await client.messages.callback.get()).toBeNull();
      const now = m.clock.now();
      const refused = await client.messages
        .redeliver({ startTime: now - HOUR, endTime: now })
        .catch((e: ApiError) => e);
      expect(refused).toMatchObject({ code: 40901 });
      const saved = await client.messages.callback.save(own.url);
      expect(saved).toMatchObject({ url: own.url, enabled: true });
      const rotated = await client.messages.callback.rotateSecret({ overlapSeconds: 0 });
      expect(rotated.callbackSecret).toMatch(/^whsec_/);
      expect(await client.messages.callback.get()).toMatchObject({ secretId: rotated.secretId });
      const { messageId } = await messageOf(someone, await createOrder(m.server, someone));
      expect(await m.server.drainCallbacks()).toBe(1);
      expect(await client.messages.redeliver({ messageId })).toEqual({ redelivered: 1 });
      expect(await m.server.drainCallbacks()).toBe(1);
      const [, first, again] = own.got;
      expect(again?.headers['webhook-id']).toBe(messageId);
      expect(again?.body).toBe(first?.body);
      const { message } = verifyCallback(again?.headers ?? {}, again?.body ?? '', rotated.callbackSecret as string);
      expect(message.messageId).toBe(messageId);
      const attempts = await client.messages.attempts(messageId);
      expect(attempts.attempts.map((a) => a.attempt)).toEqual([1, 2]);
    } finally {
      await own.close();
    }
  });

  it('queues one delivered message again; it is delivered again with the same webhook-id', async () => {
    const message = await messageOf(m.sub, await createOrder(m.server, m.sub));
    expect(await m.server.drainCallbacks()).toBe(1);
    const id = message.messageId;
    const done = await redeliver(m.sub, { messageId: id });
    expect(done.body.code, done.text).toBe(200);
    expect(done.body.data).toEqual({ redelivered: 1 });
    expect((await rows([id])).get(id)).toMatchObject({
      delivery: 'pending',
      attempts: 1,
      round_attempts: 0,
      next_attempt_at: m.clock.now(),
      lease_owner: null,
    });
    expect(await m.server.drainCallbacks()).toBe(1);
    expect(r.deliveries()).toEqual([
      { webhookId: id, messageId: id },
      { webhookId: id, messageId: id },
    ]);
    const after = await m.server.signed<{ message: Listed; attempts: Attempt[] }>(
      m.sub,
      'GET',
      `/open/message/attempts?messageId=${id}`,
    );
    expect(after.body.data.message).toMatchObject({ status: 'delivered', attemptCount: 2 });
    expect(after.body.data.attempts.map((a) => [a.attempt, a.outcome])).toEqual([
      [1, 'delivered'],
      [2, 'delivered'],
    ]);
  });

  it('queues every message of a range whatever its state, and only those, then delivers each again', async () => {
    const start = m.clock.now() - 10 * HOUR;
    const { dev, sub, sibling } = m;
    const [before, held, failed, delivered, pending, atEnd, foreign] = (await insertMessages(m.server, [
      { developId: dev.developId, userId: sub.userId, createdAt: start - 1, delivery: 'failed', attempts: 11 },
      { developId: dev.developId, userId: sub.userId, createdAt: start, delivery: 'held' },
      { developId: dev.developId, userId: sibling.userId, createdAt: start + HOUR, delivery: 'failed', attempts: 11 },
      { developId: dev.developId, userId: null, createdAt: start + 2 * HOUR, delivery: 'delivered', attempts: 1 },
      // Waiting for its 4th attempt, far in the future: due now, from the schedule's start.
      {
        developId: dev.developId,
        userId: sibling.userId,
        createdAt: start + 3 * HOUR,
        delivery: 'pending',
        attempts: 3,
        nextAttemptAt: m.clock.now() + 20 * 60_000,
      },
      { developId: dev.developId, userId: sub.userId, createdAt: start + 4 * HOUR, delivery: 'held' },
      { developId: m.other.developId, createdAt: start + HOUR, delivery: 'failed', attempts: 11 },
    ])) as [string, string, string, string, string, string, string];
    const done = await redeliver(dev, { startTime: start, endTime: start + 4 * HOUR });
    expect(done.body.code, done.text).toBe(200);
    expect(done.body.data).toEqual({ redelivered: 4 });
    const now = m.clock.now();
    const after = await rows([before, held, failed, delivered, pending, atEnd, foreign]);
    for (const [id, attempts] of [
      [held, 0],
      [failed, 11],
      [delivered, 1],
      [pending, 3],
    ] as const) {
      expect(after.get(id), id).toEqual({
        id,
        delivery: 'pending',
        attempts,
        round_attempts: 0,
        next_attempt_at: now,
        lease_owner: null,
      });
    }
    expect(after.get(before)?.delivery).toBe('failed');
    expect(after.get(atEnd)?.delivery).toBe('held');
    expect(after.get(foreign)?.delivery).toBe('failed');

    const seen = r.deliveries().length;
    expect(await m.server.drainCallbacks()).toBe(4);
    const again = r.deliveries().slice(seen);
    expect(again.map((d) => d.webhookId).sort()).toEqual([held, failed, delivered, pending].sort());
    expect(again.every((d) => d.webhookId === d.messageId)).toBe(true);
    const settled = await rows([held, failed, delivered, pending]);
    expect([...settled.values()].map((x) => x.delivery)).toEqual(['delivered', 'delivered', 'delivered', 'delivered']);
  });

  it('with onlyFailed queues only the failed messages: one whose schedule ran out is delivered with its webhook-id', async () => {
    const someone = await m.server.createDeveloper('Failing receiver');
    const failing = await receiver(200);
    try {
      await saveCallbackUrl(m.server, someone, failing.url);
      failing.answer = 503;
      const writtenAt = m.clock.now();
      const { messageId } = await messageOf(someone, await createOrder(m.server, someone));
      // The whole schedule: 11 attempts, then `failed`.
      for (const wait of [0, ...RETRY_SCHEDULE_MS]) {
        m.clock.advance(wait);
        expect(await m.server.drainCallbacks({ random: () => 0.5 })).toBe(1);
      }
      expect((await rows([messageId])).get(messageId)).toMatchObject({ delivery: 'failed', attempts: 11 });
      const [delivered, held] = (await insertMessages(m.server, [
        { developId: someone.developId, createdAt: writtenAt + 1, delivery: 'delivered', attempts: 1 },
        { developId: someone.developId, createdAt: writtenAt + 2, delivery: 'held' },
      ])) as [string, string];

      failing.answer = 200;
      const range = { startTime: writtenAt, endTime: m.clock.now() };
      const done = await redeliver(someone, { ...range, onlyFailed: true });
      expect(done.body.data).toEqual({ redelivered: 1 });
      const after = await rows([messageId, delivered, held]);
      expect(after.get(messageId)).toMatchObject({ delivery: 'pending', attempts: 11, round_attempts: 0 });
      expect(after.get(delivered)?.delivery).toBe('delivered');
      expect(after.get(held)?.delivery).toBe('held');
      expect(await m.server.drainCallbacks()).toBe(1);
      const deliveries = failing.deliveries();
      expect(deliveries).toHaveLength(12);
      expect(new Set(deliveries.map((d) => d.webhookId))).toEqual(new Set([messageId]));
      const attempts = await m.server.signed<{ attempts: Attempt[] }>(
        someone,
        'GET',
        `/open/message/attempts?messageId=${messageId}`,
      );
      expect(attempts.body.data.attempts.map((a) => a.outcome)).toEqual([
        ...Array(10).fill('retry'),
        'failed',
        'delivered',
      ]);
      // Nothing failed is left: the same request queues nothing now.
      expect((await redeliver(someone, { ...range, onlyFailed: true })).body.data).toEqual({ redelivered: 0 });
    } finally {
      await failing.close();
    }
  });

  it('lets a sub-account redeliver only the messages of its own objects', async () => {
    const start = m.clock.now() - HOUR;
    const [own, siblings] = (await insertMessages(m.server, [
      { developId: m.dev.developId, userId: m.sub.userId, createdAt: start, delivery: 'failed' },
      { developId: m.dev.developId, userId: m.sibling.userId, createdAt: start, delivery: 'failed' },
    ])) as [string, string];
    const foreign = await redeliver(m.sub, { messageId: siblings });
    expect(foreign.body.code, foreign.text).toBe(40401);
    expect(foreign.body.msg).toBe(`Not found: message ${siblings}`);
    const other = await redeliver(m.other, { messageId: own });
    expect(other.body.code, other.text).toBe(40401);
    const range = await redeliver(m.sub, { startTime: start, endTime: start + 1, onlyFailed: true });
    expect(range.body.data).toEqual({ redelivered: 1 });
    const after = await rows([own, siblings]);
    expect(after.get(own)?.delivery).toBe('pending');
    expect(after.get(siblings)?.delivery).toBe('failed');
    await m.server.drainCallbacks();
  });

  it('is refused without an enabled callback URL: none saved, or disabled by a 410', async () => {
    const start = m.clock.now() - HOUR;
    const [otherMessage] = (await insertMessages(m.server, [
      { developId: m.other.developId, createdAt: start, delivery: 'failed' },
    ])) as [string];
    for (const body of [{ messageId: otherMessage }, { startTime: start, endTime: start + HOUR }]) {
      const res = await redeliver(m.other, body);
      expect(res.body.code, res.text).toBe(40901);
      expect(res.status).toBe(409);
      expect(res.body.msg).toBe(
        'The current state does not allow this action: there is no enabled callback URL: save one (or have the ' +
          'operator re-enable it) first',
      );
    }
    const zh = await m.server.signed(m.other, 'POST', '/open/message/redeliver', {
      body: { messageId: otherMessage },
      headers: { 'accept-language': 'zh' },
    });
    expect(zh.body.msg).toContain('没有已启用的回调地址');
    // Not found comes first.
    expect((await redeliver(m.other, { messageId: '1795432287562383361' })).body.code).toBe(40401);

    const gone = await m.server.createDeveloper('Gone');
    const g = await receiver(200);
    try {
      await saveCallbackUrl(m.server, gone, g.url);
      g.answer = 410;
      const { messageId } = await messageOf(gone, await createOrder(m.server, gone));
      expect(await m.server.drainCallbacks()).toBe(1);
      const settings = await m.server.signed<{ enabled: boolean; disabledReason: string }>(
        gone,
        'GET',
        '/open/message/callback',
      );
      expect(settings.body.data).toMatchObject({ enabled: false, disabledReason: 'gone' });
      const res = await redeliver(gone, { messageId });
      expect(res.body.code, res.text).toBe(40901);
      expect((await rows([messageId])).get(messageId)?.delivery).toBe('held');
    } finally {
      await g.close();
    }
    expect((await rows([otherMessage])).get(otherMessage)?.delivery).toBe('failed');
  });

  it('takes exactly one form: a message, or a range of at most 30 days within the last 30', async () => {
    const now = m.clock.now();
    for (const [body, field, reason] of [
      [{}, 'messageId', 'give either messageId, or startTime and endTime'],
      [{ messageId: '1795432287562383361', startTime: now - HOUR, endTime: now }, 'messageId', 'give either'],
      [{ messageId: '1795432287562383361', onlyFailed: true }, 'messageId', 'give either'],
      [{ onlyFailed: true }, 'messageId', 'give either'],
      [{ startTime: now - HOUR }, 'endTime', 'required with startTime'],
      [{ endTime: now }, 'startTime', 'required with endTime'],
      [{ startTime: now, endTime: now }, 'endTime', 'must be after startTime'],
      [{ startTime: now - 31 * DAY, endTime: now }, 'endTime', 'the range covers at most 30 days'],
      [{ startTime: now - 32 * DAY, endTime: now - 31 * DAY }, 'startTime', 'must be within the last 30 days'],
      [{ messageId: 'x1' }, 'messageId', ''],
      [{ startTime: now - HOUR, endTime: now, only: true }, 'only', ''],
    ] as const) {
      const res = await redeliver(m.dev, body);
      expect(res.body.code, `${JSON.stringify(body)}: ${res.text}`).toBe(40001);
      expect(res.body.msg, JSON.stringify(body)).toContain(`parameter ${field}:`);
      expect(res.body.msg, JSON.stringify(body)).toContain(reason);
    }
    // Exactly 30 days, starting at the retention horizon, is taken.
    const full = await redeliver(m.dev, { startTime: now - 30 * DAY, endTime: now, onlyFailed: true });
    expect(full.body.code, full.text).toBe(200);
  });
});
