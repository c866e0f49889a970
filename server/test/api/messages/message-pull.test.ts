import { PonteClient } from '@ponte/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PULL_SETTLE_MS } from '../../../src/modules/messages/queries.js';
import type { Credentials } from '../../harness.js';
import { createOrder, insertMessages, type MessagesServer, startMessagesServer } from './messages-fixtures.js';

// GET /open/message/pull (docs/adr/0013): messages in the order they were written, after an opaque cursor, past a
// settling window, so that a receiver polling with the cursors it is given sees every message exactly once.

interface Pulled {
  messageId: string;
  messageType: string;
  messagePlatform: number | null;
  messageBody: unknown;
  timestamp: number;
  version: number;
  status: string;
}

interface PullPage {
  messages: Pulled[];
  cursor: string | null;
  hasMore: boolean;
}

let m: MessagesServer;
let puller: Credentials;
let pullerSub: Credentials;
/** The puller's messages as written: (time, id) in order. */
let expected: { id: string; createdAt: number; userId: string | null }[];

const pull = async (who: Credentials, query = '') => {
  const r = await m.server.signed<PullPage>(who, 'GET', `/open/message/pull${query ? `?${query}` : ''}`);
  expect(r.body.code, r.text).toBe(200);
  return r.body.data;
};

/** Every message `who` can pull from `cursor` on, `limit` at a time, checking each page's cursor. */
async function pullAll(who: Credentials, limit: number, cursor: string | null = null) {
  const out: Pulled[] = [];
  for (let i = 0; i < 1000; i++) {
    const page = await pull(who, `limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`);
    expect(page.messages.length).toBeLessThanOrEqual(limit);
    const last = page.messages.at(-1);
    expect(page.cursor).toBe(last ? `${last.timestamp}.${last.messageId}` : cursor);
    out.push(...page.messages);
    cursor = page.cursor;
    if (!page.hasMore) return { messages: out, cursor };
    expect(page.messages).toHaveLength(limit);
  }
  throw new Error('the pull did not end');
}

beforeAll(async () => {
  m = await startMessagesServer();
  puller = await m.server.createDeveloper('Puller');
  const sub = await m.server.signed<{ userId: string }>(puller, 'POST', '/open/user/create', { body: { name: 'S' } });
  pullerSub = { ...puller, userId: sub.body.data.userId };
  const base = m.clock.now() - 3_600_000;
  const rows: Parameters<typeof insertMessages>[1] = [
    // The last 18-digit ids before the first 19-digit ones: written in this order, though text order says otherwise.
    { developId: puller.developId, createdAt: base - 20_000, id: '999999999999999990', body: '{"first": [1, 2]}' },
    { developId: puller.developId, createdAt: base - 10_000, id: '1000000000000000005', platform: -1 },
  ];
  // Three messages a second (ties on the written time), every fifth the sub-account's, in shuffled insert order.
  for (let i = 0; i < 250; i++) {
    rows.push({
      developId: puller.developId,
      userId: i % 5 === 0 ? pullerSub.userId : null,
      createdAt: base + Math.floor(i / 3) * 1000,
      delivery: (['held', 'delivered', 'failed', 'pending'] as const)[i % 4],
    });
  }
  const withIds = rows.map((row) => ({ ...row, id: row.id ?? m.server.deps.ids.next(row.createdAt) }));
  const shuffled = [...withIds].sort((a, b) => (a.id.slice(-3) < b.id.slice(-3) ? -1 : 1));
  await insertMessages(m.server, shuffled);
  expected = withIds.map((r) => ({ id: r.id, createdAt: r.createdAt, userId: r.userId ?? null }));
  // Another developer's messages in the same times.
  await insertMessages(m.server, [{ developId: m.other.developId, createdAt: base }]);
});
afterAll(() => m?.close());

describe('GET /open/message/pull', () => {
  it('answers every message once, in the order written, across pages of any size', async () => {
    const order = expected.map((e) => e.id);
    for (const limit of [1, 37, 500]) {
      const { messages, cursor } = await pullAll(puller, limit);
      expect(
        messages.map((x) => x.messageId),
        `limit ${limit}`,
      ).toEqual(order);
      const last = expected.at(-1);
      expect(cursor).toBe(`${last?.createdAt}.${last?.id}`);
      // Nothing after the end: the same cursor back, nothing more.
      expect(await pull(puller, `cursor=${cursor}`)).toEqual({ messages: [], cursor, hasMore: false });
    }
    const [first, second] = (await pull(puller, 'limit=2')).messages;
    expect(first).toEqual({
      messageId: '999999999999999990',
      messageType: 'ORDER_BUYER_VIEW_ORDER_STATUS_CHANGE',
      messagePlatform: 0,
      messageBody: { first: [1, 2] },
      timestamp: expected[0]?.createdAt,
      version: 1,
      status: 'held',
    });
    expect(second).toMatchObject({ messageId: '1000000000000000005', messagePlatform: null });
    // The stored body is answered byte for byte, as a delivery POSTs it.
    const raw = await m.server.signed(puller, 'GET', '/open/message/pull?limit=1');
    expect(raw.text).toContain('"messageBody":{"first": [1, 2]},');
  });

  it('through the SDK: pullAll yields every message once with a cursor to resume from', async () => {
    const client = new PonteClient({ baseUrl: m.server.baseUrl, ...puller });
    const order = expected.map((e) => e.id);
    const pulled: string[] = [];
    let resumeAt: string | null = null;
    for await (const { message, cursor } of client.messages.pullAll(null, { limit: 40 })) {
      pulled.push(message.messageId);
      if (pulled.length === 100) {
        resumeAt = cursor;
        break;
      }
    }
    expect(pulled).toEqual(order.slice(0, 100));
    for await (const { message } of client.messages.pullAll(resumeAt, { limit: 500 })) pulled.push(message.messageId);
    expect(pulled).toEqual(order);
    const page = await client.messages.pull({ limit: 3 });
    expect(page.messages.map((x) => x.messageId)).toEqual(order.slice(0, 3));
    await expect(client.messages.pull({ cursor: 'abc' })).rejects.toMatchObject({ code: 40001 });
  });

  it('takes 100 at a time by default, and between 1 and 500', async () => {
    const page = await pull(puller);
    expect(page.messages).toHaveLength(100);
    expect(page.hasMore).toBe(true);
    for (const limit of ['0', '501', 'x']) {
      const r = await m.server.signed(puller, 'GET', `/open/message/pull?limit=${limit}`);
      expect(r.body.code, r.text).toBe(40001);
      expect(r.body.msg).toContain('limit');
    }
  });

  it('answers a message only once it is older than the settling window', async () => {
    const { cursor } = await pullAll(puller, 500);
    const now = m.clock.now();
    const [settled, boundary, fresh] = await insertMessages(m.server, [
      { developId: puller.developId, createdAt: now - PULL_SETTLE_MS - 500 },
      { developId: puller.developId, createdAt: now - PULL_SETTLE_MS },
      { developId: puller.developId, createdAt: now - 1 },
    ]);
    const first = await pull(puller, `cursor=${cursor}`);
    expect(first.messages.map((x) => x.messageId)).toEqual([settled]);
    expect(first.hasMore).toBe(false);
    m.clock.advance(1);
    const second = await pull(puller, `cursor=${first.cursor}`);
    expect(second.messages.map((x) => x.messageId)).toEqual([boundary]);
    m.clock.advance(PULL_SETTLE_MS);
    const third = await pull(puller, `cursor=${second.cursor}`);
    expect(third.messages.map((x) => x.messageId)).toEqual([fresh]);
  });

  it('answers a real order’s message as a delivery carries it, once settled', async () => {
    const fresh = await m.server.createDeveloper('Orders');
    expect(await pull(fresh)).toEqual({ messages: [], cursor: null, hasMore: false });
    const orderId = await createOrder(m.server, fresh);
    expect((await pull(fresh)).messages).toEqual([]);
    m.clock.advance(PULL_SETTLE_MS + 1);
    const [message] = (await pull(fresh)).messages;
    const listed = await m.server.signed<{ messages: (Pulled & { objectId: string })[] }>(
      fresh,
      'GET',
      '/open/message/list',
    );
    const [one] = listed.body.data.messages;
    expect(one?.objectId).toBe(orderId);
    expect(message).toEqual({
      messageId: one?.messageId,
      messageType: one?.messageType,
      messagePlatform: 0,
      messageBody: one?.messageBody,
      timestamp: one?.timestamp,
      version: one?.version,
      status: 'held',
    });
  });

  it('lets a sub-account pull only the messages of its own objects; another developer none of them', async () => {
    const { messages } = await pullAll(pullerSub, 20);
    const own = expected.filter((e) => e.userId === pullerSub.userId).map((e) => e.id);
    expect(own.length).toBe(50);
    expect(messages.map((x) => x.messageId)).toEqual(own);
    const others = (await pullAll(m.other, 500)).messages.map((x) => x.messageId);
    expect(others).toHaveLength(1);
    expect(others.some((id) => expected.some((e) => e.id === id))).toBe(false);
  });

  it('refuses a malformed cursor naming it', async () => {
    for (const cursor of [
      'abc',
      '1.2.3',
      '01.5',
      '-1.5',
      '123.',
      '.123',
      '123.0',
      '123.05',
      '1733385600000',
      '1733385600000.12a',
      '99999999999999999.1',
      '9000000000000000.1',
      `1.${'1'.repeat(21)}`,
      '1 .2',
      'x'.repeat(65),
    ]) {
      const r = await m.server.signed(puller, 'GET', `/open/message/pull?cursor=${encodeURIComponent(cursor)}`);
      expect(r.body.code, `${cursor}: ${r.text}`).toBe(40001);
      expect(r.body.msg, cursor).toContain('parameter cursor:');
    }
    const r = await m.server.signed(puller, 'GET', '/open/message/pull?cursor=abc');
    expect(r.body.msg).toBe('Invalid parameter cursor: not a cursor of this API; pass the cursor of a previous answer');
  });
});
