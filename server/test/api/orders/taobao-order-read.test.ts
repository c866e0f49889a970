import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Credentials } from '../../harness.js';
import { expectCode, startTaobaoServer, type TaobaoOrder, type TaobaoServer } from './taobao-fixtures.js';

interface Page {
  list: TaobaoOrder[];
  total: number;
  pageNo: number;
  pageSize: number;
}

describe('GET /open/order/page (T8) and GET /open/order/get (T14)', () => {
  let t: TaobaoServer;
  /** Orders by who placed them, oldest first. */
  const placed = new Map<string, TaobaoOrder[]>();
  let start: number;

  beforeAll(async () => {
    t = await startTaobaoServer();
    start = t.clock.now();
    const [a, b] = t.skus;
    if (!a || !b) throw new Error('two SKUs needed');
    for (const [who, n] of [
      [t.dev, 2],
      [t.sub, 3],
      [t.sibling, 1],
      [t.other, 1],
    ] as [Credentials, number][]) {
      const mine: TaobaoOrder[] = [];
      for (let i = 0; i < n; i++) {
        t.clock.advance(1000);
        mine.push(await t.order(who, i % 2 ? [a] : [a, b], { sellerOrderNumber: `SO-${who.userId}-${i}` }));
      }
      placed.set(who.userId, mine);
    }
  });
  afterAll(() => t.close());

  const page = async (who: Credentials, query = '') => {
    const r = await t.get<Page>(who, `/open/order/page?pageSize=50${query}`);
    expect(r.body.code, r.text).toBe(200);
    return r.body.data;
  };
  const ids = (orders: TaobaoOrder[]) => orders.map((o) => o.orderId);
  const mine = (who: Credentials) => placed.get(who.userId) ?? [];

  it('lists the main account every sub-account’s orders, newest first, and a sub-account its own', async () => {
    const all = await page(t.dev);
    const expected = [...mine(t.dev), ...mine(t.sub), ...mine(t.sibling)];
    expect(all.total).toBe(expected.length);
    expect(ids(all.list)).toEqual(ids(expected).reverse());
    const sub = await page(t.sub);
    expect(ids(sub.list)).toEqual(ids(mine(t.sub)).reverse());
    expect(sub.list.every((o) => o.userId === t.sub.userId)).toBe(true);
    const other = await page(t.other);
    expect(ids(other.list)).toEqual(ids(mine(t.other)));
  });

  it('pages, and filters by status, creation time, seller order number and sub-account', async () => {
    const all = (await page(t.dev)).list;
    const p2 = await t.get<Page>(t.dev, '/open/order/page?pageNo=2&pageSize=2');
    expect(p2.body.data).toMatchObject({ pageNo: 2, pageSize: 2, total: all.length });
    expect(ids(p2.body.data.list)).toEqual(ids(all.slice(2, 4)));

    expect((await page(t.dev, '&status=WAIT_BUYER_PAY')).total).toBe(all.length);
    expect((await page(t.dev, '&status=TRADE_CLOSED')).total).toBe(0);

    const second = mine(t.dev)[1] as TaobaoOrder;
    expect(ids((await page(t.dev, `&sellerOrderNumber=SO-${t.dev.userId}-1`)).list)).toEqual([second.orderId]);

    const firstSub = mine(t.sub)[0] as TaobaoOrder;
    const window = await page(t.dev, `&startTime=${start + 3000}&endTime=${start + 3000}`);
    expect(ids(window.list)).toEqual([firstSub.orderId]);

    expect(ids((await page(t.dev, `&userId=${t.sibling.userId}`)).list)).toEqual(ids(mine(t.sibling)));
    expect(ids((await page(t.sub, `&userId=${t.sub.userId}`)).list)).toEqual(ids(mine(t.sub)).reverse());
  });

  it('answers 40301 to a sub-account naming another, and 40001 for a bad filter', async () => {
    expectCode(await t.get(t.sub, `/open/order/page?userId=${t.sibling.userId}`), 40301);
    expectCode(await t.get(t.dev, '/open/order/page?pageSize=51'), 40001, 'pageSize');
    expectCode(await t.get(t.dev, '/open/order/page?pageNo=0'), 40001, 'pageNo');
    expectCode(await t.get(t.dev, '/open/order/page?status=PAID'), 40001, 'status');
    expectCode(await t.get(t.dev, '/open/order/page?startTime=yesterday'), 40001, 'startTime');
    expectCode(await t.get(t.dev, '/open/order/page?colour=red'), 40001, 'colour');
  });

  it('answers an order’s details with titles in the request language beside the Chinese', async () => {
    const order = mine(t.sub)[0] as TaobaoOrder;
    for (const who of [t.sub, t.dev]) {
      const vi = await t.detail(who, order.orderId, 'vi');
      expect(vi.orderId).toBe(order.orderId);
      expect(vi.language).toBe('vi');
      const line = vi.subPurchaseOrders[0]?.orderLines[0];
      expect(line?.itemTitle).toMatch(/[\u4e00-\u9fff]/);
      expect(line?.itemTitleTrans).not.toBe(line?.itemTitle);
      expect(Object.keys(line?.properties ?? {}).join()).toMatch(/[\u4e00-\u9fff]/);
      expect(Object.keys(line?.propertiesTrans ?? {})).toHaveLength(Object.keys(line?.properties ?? {}).length);
    }
    const byDefault = await t.get<TaobaoOrder>(t.sub, `/open/order/get?orderId=${order.orderId}`);
    expect(byDefault.body.data.language).toBe('en');
  });

  it('answers 40401 for an unknown id, another developer’s and a sibling sub-account’s, 40001 for a malformed one', async () => {
    const foreign = [mine(t.other)[0], mine(t.sibling)[0]] as TaobaoOrder[];
    for (const o of foreign) expectCode(await t.get(t.sub, `/open/order/get?orderId=${o.orderId}`), 40401);
    expectCode(await t.get(t.dev, `/open/order/get?orderId=${mine(t.other)[0]?.orderId}`), 40401);
    expectCode(await t.get(t.dev, '/open/order/get?orderId=1795432287562383360'), 40401);
    expectCode(await t.get(t.dev, '/open/order/get?orderId=abc'), 40001, 'orderId');
    expectCode(await t.get(t.dev, '/open/order/get'), 40001, 'orderId');
  });
});
