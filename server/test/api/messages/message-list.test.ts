import { PonteClient } from '@ponte/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Credentials } from '../../harness.js';
import {
  createOrder,
  insertMessages,
  type Listed,
  type ListPage,
  type MessagesServer,
  startMessagesServer,
} from './messages-fixtures.js';

// GET /open/message/list (docs/adr/0013): the developer's messages newest first by the time they were written, each
// with its delivery state, filtered by type, platform, object, delivery status and written time; a sub-account sees
// its own objects' messages only.

let m: MessagesServer;
/** The times of the messages written directly: a minute apart, before the server's clock. */
let t0: number;
const MINUTE = 60_000;
let direct: string[];
let taobaoOrder: string;

const list = async (who: Credentials, query = '') => {
  const r = await m.server.signed<ListPage>(who, 'GET', `/open/message/list${query ? `?${query}` : ''}`);
  expect(r.body.code, r.text).toBe(200);
  return r.body.data;
};
const idsOf = (page: ListPage) => page.messages.map((x) => x.messageId);

beforeAll(async () => {
  m = await startMessagesServer();
  t0 = m.clock.now() - 60 * MINUTE;
  const { dev, sub, sibling } = m;
  // A real order by the sub-account: its `created` message, held (no callback URL).
  taobaoOrder = await createOrder(m.server, sub);
  direct = await insertMessages(m.server, [
    // 0: the sub-account's, delivered after 2 attempts.
    {
      developId: dev.developId,
      userId: sub.userId,
      createdAt: t0,
      delivery: 'delivered',
      attempts: 2,
      deliveredAt: t0 + 5_000,
      type: 'ORDER_BUYER_VIEW_ORDER_PAY',
      platform: 1,
      objectId: 'A1',
    },
    // 1: the sibling's, failed.
    {
      developId: dev.developId,
      userId: sibling.userId,
      createdAt: t0 + MINUTE,
      delivery: 'failed',
      attempts: 11,
      objectId: 'B1',
    },
    // 2: the sibling's, pending a retry.
    {
      developId: dev.developId,
      userId: sibling.userId,
      createdAt: t0 + 2 * MINUTE,
      delivery: 'pending',
      attempts: 1,
      nextAttemptAt: t0 + 2 * MINUTE + 5_000,
      objectId: 'B1',
      version: 2,
    },
    // 3: about the callback URL itself: the developer's, no sub-account, platform -1.
    {
      developId: dev.developId,
      userId: null,
      createdAt: t0 + 3 * MINUTE,
      type: 'CALLBACK_DISABLED',
      platform: -1,
      objectType: 'callback',
      objectId: dev.developId,
    },
    // 4: another developer's.
    { developId: m.other.developId, userId: m.other.userId, createdAt: t0 + 3 * MINUTE, objectId: 'C1' },
  ]);
});
afterAll(() => m?.close());

describe('GET /open/message/list', () => {
  it("answers the main account every message of its developer, newest first, with each one's delivery state", async () => {
    const page = await list(m.dev, 'pageSize=50');
    expect(page.total).toBe(5);
    const [created, ...rest] = page.messages;
    expect(created).toMatchObject({
      messageType: 'ORDER_BUYER_VIEW_ORDER_STATUS_CHANGE',
      messagePlatform: 0,
      objectType: 'order',
      objectId: taobaoOrder,
      status: 'held',
      attemptCount: 0,
      nextAttemptTime: null,
      deliveredTime: null,
    });
    expect(rest.map((x) => x.messageId)).toEqual([direct[3], direct[2], direct[1], direct[0]]);
    const byId = new Map(page.messages.map((x) => [x.messageId, x]));
    expect(byId.get(direct[0] as string)).toEqual({
      messageId: direct[0] as string,
      messageType: 'ORDER_BUYER_VIEW_ORDER_PAY',
      messagePlatform: 1,
      objectType: 'order',
      objectId: 'A1',
      version: 1,
      messageBody: { n: 0, note: '内容' },
      timestamp: t0,
      status: 'delivered',
      attemptCount: 2,
      nextAttemptTime: null,
      deliveredTime: t0 + 5_000,
    } satisfies Listed);
    expect(byId.get(direct[1] as string)).toMatchObject({ status: 'failed', attemptCount: 11, nextAttemptTime: null });
    expect(byId.get(direct[2] as string)).toMatchObject({
      status: 'pending',
      attemptCount: 1,
      nextAttemptTime: t0 + 2 * MINUTE + 5_000,
    });
    // Messages about the callback URL itself have no platform.
    expect(byId.get(direct[3] as string)).toMatchObject({
      messagePlatform: null,
      objectType: 'callback',
      messageType: 'CALLBACK_DISABLED',
    });
  });

  it('pages through the same order', async () => {
    const all = idsOf(await list(m.dev, 'pageSize=50'));
    const pages: string[] = [];
    for (let pageNo = 1; pageNo <= 3; pageNo++) {
      const page = await list(m.dev, `pageNo=${pageNo}&pageSize=2`);
      expect(page).toMatchObject({ total: 5, pageNo, pageSize: 2 });
      pages.push(...idsOf(page));
    }
    expect(pages).toEqual(all);
  });

  it('through the SDK: list and iterate with filters, as the main account or a sub-account', async () => {
    const client = new PonteClient({ baseUrl: m.server.baseUrl, ...m.dev });
    const all = idsOf(await list(m.dev, 'pageSize=50'));
    const iterated: string[] = [];
    for await (const message of client.messages.iterate({}, { pageSize: 2 })) iterated.push(message.messageId);
    expect(iterated).toEqual(all);
    const failedOrPending: string[] = [];
    for await (const message of client.messages.iterate({ objectId: 'B1' }, {}, { userId: m.sibling.userId })) {
      failedOrPending.push(`${message.messageId}:${message.status}`);
    }
    expect(failedOrPending).toEqual([`${direct[2]}:pending`, `${direct[1]}:failed`]);
    const page = await client.messages.list({ messagePlatform: 1, status: 'delivered' });
    expect(page.messages.map((x) => x.messageId)).toEqual([direct[0]]);
  });

  it('filters by type, platform, object, delivery status and written time', async () => {
    const { dev } = m;
    expect(idsOf(await list(dev, 'messageType=ORDER_BUYER_VIEW_ORDER_PAY'))).toEqual([direct[0]]);
    expect(idsOf(await list(dev, 'messagePlatform=1'))).toEqual([direct[0]]);
    const taobao = await list(dev, 'messagePlatform=0');
    expect(taobao.total).toBe(3);
    expect(taobao.messages.every((x) => x.messagePlatform === 0)).toBe(true);
    expect(idsOf(await list(dev, 'objectId=B1'))).toEqual([direct[2], direct[1]]);
    expect((await list(dev, `objectId=${taobaoOrder}`)).messages.map((x) => x.objectId)).toEqual([taobaoOrder]);
    for (const [status, expected] of [
      ['delivered', [direct[0]]],
      ['failed', [direct[1]]],
      ['pending', [direct[2]]],
    ] as const) {
      expect(idsOf(await list(dev, `status=${status}`)), status).toEqual(expected);
    }
    const held = await list(dev, 'status=held');
    expect(held.total).toBe(2);
    expect(held.messages.map((x) => x.status)).toEqual(['held', 'held']);
    // The start is inclusive, the end exclusive, on the written time.
    expect(idsOf(await list(dev, `startTime=${t0 + MINUTE}&endTime=${t0 + 3 * MINUTE}`))).toEqual([
      direct[2],
      direct[1],
    ]);
    expect(idsOf(await list(dev, `endTime=${t0 + MINUTE}`))).toEqual([direct[0]]);
    expect(idsOf(await list(dev, `startTime=${t0 + 3 * MINUTE}`))[1]).toBe(direct[3]);
    expect(
      idsOf(await list(dev, `startTime=${t0 + MINUTE}&endTime=${t0 + 3 * MINUTE}&objectId=B1&status=failed`)),
    ).toEqual([direct[1]]);
  });

  it('refuses an end that is not after the start, and values out of their domains, naming the field', async () => {
    for (const [query, field] of [
      [`startTime=${t0}&endTime=${t0}`, 'endTime'],
      [`startTime=${t0}&endTime=${t0 - 1}`, 'endTime'],
      ['messagePlatform=2', 'messagePlatform'],
      ['status=sent', 'status'],
      ['objectId=a-b', 'objectId'],
      ['pageSize=51', 'pageSize'],
      ['since=1', 'since'],
    ] as const) {
      const r = await m.server.signed(m.dev, 'GET', `/open/message/list?${query}`);
      expect(r.body.code, `${query}: ${r.text}`).toBe(40001);
      expect(r.body.msg, query).toContain(field);
    }
    const r = await m.server.signed(m.dev, 'GET', `/open/message/list?startTime=${t0}&endTime=${t0}`);
    expect(r.body.msg).toBe('Invalid parameter endTime: must be after startTime');
  });

  it('orders by the written time, not by the id, which grows a digit in 2027', async () => {
    const someone = await m.server.createDeveloper('Digits');
    // The last 18-digit ids and the first 19-digit ones: in text order the older sorts after the newer.
    const ids = await insertMessages(m.server, [
      { developId: someone.developId, createdAt: t0, id: '999999999999999998' },
      { developId: someone.developId, createdAt: t0 + 1, id: '999999999999999999' },
      { developId: someone.developId, createdAt: t0 + 2, id: '1000000000000000000' },
      { developId: someone.developId, createdAt: t0 + 3, id: '1000000000000000001' },
    ]);
    expect(idsOf(await list(someone))).toEqual([...ids].reverse());
  });

  it('shows a sub-account only the messages of its own objects; another developer none of them', async () => {
    const { sub, sibling, other } = m;
    const own = await list(sub, 'pageSize=50');
    expect(own.total).toBe(2);
    expect(own.messages.map((x) => x.objectId).sort()).toEqual(['A1', taobaoOrder].sort());
    expect(idsOf(await list(sibling, 'pageSize=50'))).toEqual([direct[2], direct[1]]);
    expect(idsOf(await list(sibling, 'objectId=A1'))).toEqual([]);
    expect(idsOf(await list(other, 'pageSize=50'))).toEqual([direct[4]]);
    expect(idsOf(await list(other, `objectId=${taobaoOrder}`))).toEqual([]);
  });
});
