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

// GET /open/message/attempts (docs/adr/0013): every attempt to deliver a message, oldest first, as the deliverer
// recorded it: a receiver answering 500 and then 200 leaves a `retry` and a `delivered` attempt.

interface Attempts {
  message: Listed;
  attempts: Attempt[];
}

let m: MessagesServer;
let r: Receiver;
let messageId: string;

const attemptsOf = (who: Credentials, id: string) =>
  m.server.signed<Attempts>(who, 'GET', `/open/message/attempts?messageId=${id}`);

async function messageOf(who: Credentials, orderId: string): Promise<Listed> {
  const page = await m.server.signed<ListPage>(who, 'GET', `/open/message/list?objectId=${orderId}`);
  expect(page.body.code, page.text).toBe(200);
  const [message] = page.body.data.messages;
  if (!message) throw new Error(`no message about ${orderId}`);
  return message;
}

beforeAll(async () => {
  m = await startMessagesServer();
  r = await receiver(200);
  await saveCallbackUrl(m.server, m.dev, r.url);
  r.answer = 500;
  messageId = (await messageOf(m.sub, await createOrder(m.server, m.sub))).messageId;
});
afterAll(async () => {
  await m?.close();
  await r?.close();
});

describe('GET /open/message/attempts', () => {
  it('records a failed attempt, then the one that delivered it after the retry wait, oldest first', async () => {
    const firstAt = m.clock.now();
    expect(await m.server.drainCallbacks({ random: () => 0.5 })).toBe(1);
    const failed = await attemptsOf(m.sub, messageId);
    expect(failed.body.code, failed.text).toBe(200);
    expect(failed.body.data.message).toMatchObject({
      messageId,
      status: 'pending',
      attemptCount: 1,
      nextAttemptTime: firstAt + 5_000,
      deliveredTime: null,
    });
    expect(failed.body.data.attempts).toEqual([
      {
        attempt: 1,
        attemptTime: firstAt,
        url: r.url,
        httpStatus: 500,
        durationMs: expect.any(Number),
        response: 'answer 500',
        error: 'answered HTTP 500',
        outcome: 'retry',
      },
    ]);

    // Not due before the retry wait has passed.
    m.clock.advance(4_000);
    expect(await m.server.drainCallbacks()).toBe(0);
    r.answer = 200;
    m.clock.advance(1_000);
    expect(await m.server.drainCallbacks()).toBe(1);
    const done = await attemptsOf(m.sub, messageId);
    expect(done.body.data.message).toMatchObject({
      status: 'delivered',
      attemptCount: 2,
      nextAttemptTime: null,
      deliveredTime: firstAt + 5_000,
    });
    expect(done.body.data.attempts.map((a) => [a.attempt, a.attemptTime, a.httpStatus, a.outcome, a.error])).toEqual([
      [1, firstAt, 500, 'retry', 'answered HTTP 500'],
      [2, firstAt + 5_000, 200, 'delivered', null],
    ]);
    expect(done.body.data.attempts[1]?.response).toBe('answer 200');
    // Both attempts carried the message's id.
    expect(r.deliveries()).toEqual([
      { webhookId: messageId, messageId },
      { webhookId: messageId, messageId },
    ]);
    // The main account sees the same.
    expect((await attemptsOf(m.dev, messageId)).body.data).toEqual(done.body.data);
  });

  it('records an attempt that got no answer with no HTTP status and the reason', async () => {
    const someone = await m.server.createDeveloper('Unreachable');
    const gone = await receiver(200);
    await saveCallbackUrl(m.server, someone, gone.url);
    await gone.close();
    const id = (await messageOf(someone, await createOrder(m.server, someone))).messageId;
    expect(await m.server.drainCallbacks()).toBe(1);
    const [attempt] = (await attemptsOf(someone, id)).body.data.attempts;
    expect(attempt).toMatchObject({ attempt: 1, httpStatus: null, response: null, outcome: 'retry', url: gone.url });
    expect(attempt?.error).toBeTruthy();
  });

  it('answers no attempts for a message not yet sent', async () => {
    const quiet = await m.server.createDeveloper('No URL');
    const id = (await messageOf(quiet, await createOrder(m.server, quiet))).messageId;
    const none = await attemptsOf(quiet, id);
    expect(none.body.data).toMatchObject({ message: { messageId: id, status: 'held', attemptCount: 0 }, attempts: [] });
  });

  it('answers the 40401 of an unknown message to a sibling sub-account and to another developer', async () => {
    const unknown = await attemptsOf(m.dev, '1795432287562383361');
    expect(unknown.body.code, unknown.text).toBe(40401);
    expect(unknown.body.msg).toBe('Not found: message 1795432287562383361');
    for (const who of [m.sibling, m.other]) {
      const res = await attemptsOf(who, messageId);
      expect(res.body.code, res.text).toBe(40401);
      expect(res.status).toBe(404);
      expect(res.body.msg).toBe(`Not found: message ${messageId}`);
    }
  });

  it('refuses a malformed or missing messageId naming it', async () => {
    for (const query of ['messageId=abc', 'messageId=', '']) {
      const res = await m.server.signed(m.dev, 'GET', `/open/message/attempts?${query}`);
      expect(res.body.code, res.text).toBe(40001);
      expect(res.body.msg).toContain('messageId');
    }
  });
});
