import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Credentials, Reply } from '../../harness.js';
import { type OrdersServer, startOrdersServer } from './alibaba-fixtures.js';

/**
 * docs/architecture.md §6 on the 1688 order endpoints: another developer's order and a sibling
 * sub-account's answer exactly as an unknown id does (40401) on every route; the main account sees its
 * sub-accounts' orders.
 */
describe('1688 orders: isolation', () => {
  let s: OrdersServer;
  let owner: Credentials;
  let sibling: Credentials;
  let stranger: Credentials;
  let orderId: string;

  beforeAll(async () => {
    s = await startOrdersServer();
    const main = s.dev;
    const sub = async (name: string) => {
      const r = await s.post<{ userId: string }>(main, '/open/user/create', { name });
      expect(r.body.code, r.text).toBe(200);
      return { ...main, userId: r.body.data.userId };
    };
    owner = await sub('owner store');
    sibling = await sub('sibling store');
    stranger = await s.server.createDeveloper('stranger');
    const offer = s.offers[0];
    if (!offer) throw new Error('no offer');
    orderId = await s.create(owner, [offer]);
    await s.topUp(main.developId, 10_000_000);
    await s.topUp(stranger.developId, 10_000_000);
    await s.advance(11_000);
  });
  afterAll(() => s.close());

  /** Every route that names an order, with the order id. */
  const calls: Record<string, (c: Credentials, id: string) => Promise<Reply>> = {
    A19: (c, id) => s.post(c, '/alibaba/order/detail', { webSite: '1688', orderId: id }),
    A17: (c, id) => s.get(c, `/alibaba/order/pay/url?orderId=${id}`),
    A12: (c, id) => s.get(c, `/alibaba/order/logistics/trace?orderId=${id}`),
    A16: (c, id) => s.post(c, '/alibaba/order/cancel', { webSite: '1688', orderId: id, cancelReason: 'x' }),
    A18: (c, id) => s.post(c, '/alibaba/order/receive/confirm', { orderId: id }),
  };

  /** What must not tell a foreign id from a missing one. */
  const comparable = (r: Reply, id: string) => ({
    status: r.status,
    code: r.body.code,
    msg: r.body.msg.replaceAll(id, '<id>'),
    data: r.body.data,
  });

  for (const [name, call] of Object.entries(calls)) {
    it(`${name}: another developer's and a sibling's order answer as an unknown one`, async () => {
      const unknown = comparable(await call(stranger, '1795432287562383360'), '1795432287562383360');
      expect(unknown.code).toBe(40401);
      const siblingUnknown = comparable(await call(sibling, '1795432287562383360'), '1795432287562383360');
      expect(comparable(await call(stranger, orderId), orderId)).toEqual(unknown);
      expect(comparable(await call(sibling, orderId), orderId)).toEqual(siblingUnknown);
      expect(siblingUnknown.code).toBe(40401);
    });
  }

  it('A9 pays none of another developer’s or a sibling’s orders', async () => {
    for (const c of [stranger, sibling]) {
      const r = await s.post<{ cantPayOrderList: string[]; payFailureReasons: Record<string, { code: number }> }>(
        c,
        '/alibaba/order/batch/submit/to/pay',
        { orderIds: [orderId] },
      );
      expect(r.body.data.cantPayOrderList).toEqual([orderId]);
      expect(r.body.data.payFailureReasons[orderId]?.code).toBe(40401);
    }
    expect((await s.detail(owner, orderId)).baseInfo.payState).toBe('unpaid');
  });

  it('A13 lists the order for its sub-account and the main account only', async () => {
    const ids = async (c: Credentials, body: Record<string, unknown> = {}) => {
      const r = await s.post<{ totalRecords: number; result: { baseInfo: { id: string } }[] }>(
        c,
        '/alibaba/order/page',
        body,
      );
      expect(r.body.code, r.text).toBe(200);
      return r.body.data.result.map((o) => o.baseInfo.id);
    };
    expect(await ids(owner)).toEqual([orderId]);
    expect(await ids(s.dev)).toEqual([orderId]);
    expect(await ids(s.dev, { userId: owner.userId })).toEqual([orderId]);
    expect(await ids(s.dev, { userId: sibling.userId })).toEqual([]);
    expect(await ids(sibling)).toEqual([]);
    expect(await ids(sibling, { userId: owner.userId })).toEqual([]);
    expect(await ids(stranger)).toEqual([]);
  });

  it('the main account reads, pays and cancels its sub-account’s order', async () => {
    const d = await s.detail(s.dev, orderId);
    expect(d.baseInfo.buyerID).toBe(owner.userId);
    const other = s.offers[1];
    if (!other) throw new Error('no offer');
    const second = await s.create(owner, [other]);
    await s.advance(11_000);
    const cancel = await calls.A16?.(s.dev, second);
    expect(cancel?.body.code, cancel?.text).toBe(200);
    const pay = await calls.A17?.(s.dev, orderId);
    expect(pay?.body.data).toMatchObject({ protocolPaySuccess: true });
    expect((await s.detail(owner, orderId)).baseInfo.payState).toBe('paid');
    // Its messages are the sub-account's, and the main account's.
    expect(await s.messageTypes(owner, orderId)).toContain('ORDER_BUYER_VIEW_ORDER_PAY');
    expect(await s.messageTypes(sibling, orderId)).toEqual([]);
    expect(await s.messageTypes(stranger, orderId)).toEqual([]);
  });
});
