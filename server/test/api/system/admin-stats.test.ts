import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Credentials } from '../../harness.js';
import { DAY, type FreightServer, HOUR, startFreightServer } from '../freight/freight-fixtures.js';
import { expectCode, type Sku, type TaobaoOrder } from '../orders/taobao-fixtures.js';
import { picture } from '../payments/payments-fixtures.js';

/** One day of `GET /admin/stats`. */
interface Day {
  date: string;
  orders: number;
  orderAmount: number;
  paid: number;
  paidAmount: number;
  refunds: number;
  refundAmount: number;
  topups: number;
  topupAmount: number;
  parcelsShipped: number;
  messagesDelivered: number;
  messagesFailed: number;
}

interface Stats {
  now: number;
  from: string;
  to: string;
  days: Day[];
  totals: Omit<Day, 'date'>;
  gauges: {
    pendingVouchers: number;
    openRefunds: number;
    warehouseItemsAwaiting: number;
    exceptionsOpen: number | null;
    messagesPending: number;
    deadLetters: number | null;
  };
}

const ZERO: Omit<Day, 'date'> = {
  orders: 0,
  orderAmount: 0,
  paid: 0,
  paidAmount: 0,
  refunds: 0,
  refundAmount: 0,
  topups: 0,
  topupAmount: 0,
  parcelsShipped: 0,
  messagesDelivered: 0,
  messagesFailed: 0,
};

const dateOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);

describe('GET /admin/stats', () => {
  let f: FreightServer;
  /** Day A (UTC) and the next one, B: today by the server's clock. */
  let dayA: string;
  let dayB: string;
  /** Each developer's orders on each day, as T8 answers them once everything happened. */
  const orders = { dev: [] as TaobaoOrder[], otherA: [] as TaobaoOrder[], otherB: [] as TaobaoOrder[] };
  let credited: number;

  /** A refund of an order's first line asked for as `who` (money only, the most allowed); its ids. */
  async function askRefund(who: Credentials, order: TaobaoOrder): Promise<{ refundId: string; outerId: string }> {
    const line = order.subPurchaseOrders[0]?.orderLines[0];
    if (!line) throw new Error('no line');
    const render = await f.post<{
      refundOrderTemplate: { refundReasons: { reasonId: string }[]; maxRefundFee: { refundFee: number } };
    }>(who, '/open/order/refund/render', { subOrderId: line.purchaseOrderLineId, refundType: 1, goodsStatus: 1 });
    expect(render.body.code, render.text).toBe(200);
    const template = render.body.data.refundOrderTemplate;
    const submit = await f.post<{ refundOrderAggregate: { refundOrder: { refundId: string } } }>(
      who,
      '/open/order/refund/submit',
      {
        subOrderId: line.purchaseOrderLineId,
        refundType: 1,
        goodsStatus: 1,
        reasonId: template.refundReasons[0]?.reasonId,
        refundFee: template.maxRefundFee.refundFee,
      },
    );
    expect(submit.body.code, submit.text).toBe(200);
    const refundId = submit.body.data.refundOrderAggregate.refundOrder.refundId;
    const query = await f.get<{ refundOrderAggregate: { refundOrder: { refundOuterId: string } } }>(
      who,
      `/open/order/refund/query?refundId=${refundId}`,
    );
    return { refundId, outerId: query.body.data.refundOrderAggregate.refundOrder.refundOuterId };
  }

  const paidOrder = async (who: Credentials, sku: Sku) => {
    const order = await f.order(who, [sku]);
    const paid = await f.post(who, '/open/order/pay', { orderId: order.orderId });
    expect(paid.body.code, paid.text).toBe(200);
    return order;
  };
  const ordersOf = async (who: Credentials) => {
    const r = await f.get<{ list: TaobaoOrder[] }>(who, '/open/order/page?pageSize=50');
    expect(r.body.code, r.text).toBe(200);
    return r.body.data.list;
  };

  beforeAll(async () => {
    f = await startFreightServer();
    const [x, y] = f.skus as [Sku, Sku];
    const policy = await f.server.admin('PUT', '/sandbox/policy', {
      refundDecision: 'agree',
      refundDecisionAfterMs: 3650 * DAY,
    });
    expect(policy.body.code, policy.text).toBe(200);
    // Day A from 01:00 UTC: every step below stays within it.
    const now = f.clock.now();
    await f.advance(Math.floor(now / DAY) * DAY + DAY + HOUR - now);
    dayA = dateOf(f.clock.now());

    await f.topUp(f.dev.developId, 50_000_000);
    await f.topUp(f.other.developId, 1_000_000);
    // The developer: one order paid then refunded in full, one waiting for its voucher's review, and goods bought,
    // received, stored, packed into a parcel and shipped.
    const refunded = await paidOrder(f.dev, x);
    const { refundId, outerId } = await askRefund(f.dev, refunded);
    const agreed = await f.server.admin('POST', `/sandbox/taobao/refunds/${outerId}/agree`, {});
    expect(agreed.body.code, agreed.text).toBe(200);
    await f.server.drainOutbox();
    const refund = await f.get<{
      refundOrderAggregate: { refundOrder: { refundStatus: string; refundedFee: number } };
    }>(f.dev, `/open/order/refund/query?refundId=${refundId}`);
    expect(refund.body.data.refundOrderAggregate.refundOrder.refundStatus).toBe('400');
    credited = refund.body.data.refundOrderAggregate.refundOrder.refundedFee;
    expect(credited).toBeGreaterThan(0);
    const waiting = await f.order(f.dev, [y]);
    const upload = await f.post(f.dev, '/open/order/pay/voucher/upload', {
      orderId: waiting.orderId,
      amount: waiting.totalPrice,
      reference: 'ICBC-stats',
      picture: (await picture()).toString('base64'),
    });
    expect(upload.body.code, upload.text).toBe(200);
    const shippedToOther = await paidOrder(f.other, x);
    const goods = await f.freightSku(x.itemId, x.skuId);
    const itemId = await f.storedItem(f.dev, x);
    const parcel = (
      await f.book(f.dev, { renderId: (await f.render(f.dev, [{ sku: goods, serviceId: '1' }])).renderId })
    ).body.data.parcels[0];
    if (!parcel) throw new Error('no parcel booked');
    const packed = await f.server.admin('POST', `/admin/shipments/${parcel.parcelId}/pack`, {
      itemIds: [itemId],
      ...goods.parcel(1),
      attributes: undefined,
    });
    expect(packed.body.code, packed.text).toBe(200);
    const shipped = await f.server.admin('POST', `/admin/shipments/${parcel.parcelId}/ship`, {
      carrier: 'YunExpress',
      trackingNo: 'YT2412345678901',
    });
    expect(shipped.body.code, shipped.text).toBe(200);
    expect(dateOf(f.clock.now())).toBe(dayA);
    orders.otherA = await ordersOf(f.other);

    // Day B: the other developer's goods reach the warehouse, a parcel matches nothing, an order is paid and a
    // refund of it waits for the seller; the developer is topped up again.
    await f.advance(DAY);
    dayB = dateOf(f.clock.now());
    const mailNo = (await f.detail(f.other, shippedToOther.orderId)).subPurchaseOrders[0]?.orderLines[0]?.mailNo;
    expect(mailNo).toBeTruthy();
    const received = await f.server.admin('POST', '/admin/warehouse/receipts', { trackingNo: mailNo });
    expect(received.body.code, received.text).toBe(200);
    const unmatched = await f.server.admin('POST', '/admin/warehouse/receipts', { trackingNo: 'SF0000000000001' });
    expect(unmatched.body.code, unmatched.text).toBe(200);
    await askRefund(f.other, await paidOrder(f.other, y));
    await f.topUp(f.dev.developId, 12_345);
    orders.dev = await ordersOf(f.dev);
    orders.otherB = (await ordersOf(f.other)).filter((o) => !orders.otherA.some((a) => a.orderId === o.orderId));
  }, 120_000);
  afterAll(() => f?.close());

  const stats = async (query = '') => {
    const r = await f.server.admin<Stats>('GET', `/admin/stats${query}`);
    expect(r.body.code, r.text).toBe(200);
    return r.body.data;
  };
  const sum = (list: TaobaoOrder[], pick: (o: TaobaoOrder) => number) => list.reduce((n, o) => n + pick(o), 0);
  const paidOnes = (list: TaobaoOrder[]) => list.filter((o) => o.paidAmount > 0);

  it('counts each day’s orders, payments, refunds, top-ups and parcels on the UTC day they happened', async () => {
    expect(orders.dev).toHaveLength(3);
    expect(orders.otherA).toHaveLength(1);
    expect(orders.otherB).toHaveLength(1);
    const s = await stats('?days=2');
    expect(s).toMatchObject({ now: f.clock.now(), from: dayA, to: dayB });
    const dayAOrders = [...orders.dev, ...orders.otherA];
    expect(s.days).toEqual([
      {
        date: dayA,
        orders: 4,
        orderAmount: sum(dayAOrders, (o) => o.totalPrice),
        paid: 3,
        paidAmount: sum(paidOnes(dayAOrders), (o) => o.paidAmount),
        refunds: 1,
        refundAmount: credited,
        topups: 2,
        topupAmount: 51_000_000,
        parcelsShipped: 1,
        messagesDelivered: 0,
        messagesFailed: 0,
      },
      {
        ...ZERO,
        date: dayB,
        orders: 1,
        orderAmount: sum(orders.otherB, (o) => o.totalPrice),
        paid: 1,
        paidAmount: sum(orders.otherB, (o) => o.paidAmount),
        topups: 1,
        topupAmount: 12_345,
      },
    ]);
    expect(paidOnes(dayAOrders)).toHaveLength(3);
    expect(s.totals).toEqual({
      ...ZERO,
      orders: 5,
      orderAmount: sum([...dayAOrders, ...orders.otherB], (o) => o.totalPrice),
      paid: 4,
      paidAmount: sum(paidOnes([...dayAOrders, ...orders.otherB]), (o) => o.paidAmount),
      refunds: 1,
      refundAmount: credited,
      topups: 3,
      topupAmount: 51_012_345,
      parcelsShipped: 1,
    });
    expect(s.gauges).toEqual({
      pendingVouchers: 1,
      openRefunds: 1,
      warehouseItemsAwaiting: 1,
      exceptionsOpen: 1,
      messagesPending: 0,
      deadLetters: 0,
    });
  });

  it('answers 14 days by default, each present with zeros when nothing happened, up to today', async () => {
    const s = await stats();
    expect(s.days).toHaveLength(14);
    expect(s.to).toBe(dayB);
    expect(s.days.at(-1)?.date).toBe(dayB);
    expect(s.days.at(-2)?.date).toBe(dayA);
    expect(s.from).toBe(s.days[0]?.date);
    const dates = s.days.map((d) => Date.parse(d.date));
    for (let i = 1; i < dates.length; i++) expect((dates[i] ?? 0) - (dates[i - 1] ?? 0)).toBe(DAY);
    for (const day of s.days.slice(0, -2)) expect(day).toEqual({ ...ZERO, date: day.date });
    expect(s.totals).toEqual((await stats('?days=2')).totals);
    const today = await stats('?days=1');
    expect(today.days.map((d) => d.date)).toEqual([dayB]);
    expect(today.totals).toMatchObject({ orders: 1, topupAmount: 12_345, refunds: 0 });
  });

  it('narrows everything to one developer with developId; the operator-wide queues are null then', async () => {
    const dev = await stats(`?days=2&developId=${f.dev.developId}`);
    expect(dev.days).toEqual([
      {
        date: dayA,
        orders: 3,
        orderAmount: sum(orders.dev, (o) => o.totalPrice),
        paid: 2,
        paidAmount: sum(paidOnes(orders.dev), (o) => o.paidAmount),
        refunds: 1,
        refundAmount: credited,
        topups: 1,
        topupAmount: 50_000_000,
        parcelsShipped: 1,
        messagesDelivered: 0,
        messagesFailed: 0,
      },
      { ...ZERO, date: dayB, topups: 1, topupAmount: 12_345 },
    ]);
    expect(dev.gauges).toEqual({
      pendingVouchers: 1,
      openRefunds: 0,
      warehouseItemsAwaiting: 0,
      exceptionsOpen: null,
      messagesPending: 0,
      deadLetters: null,
    });
    const other = await stats(`?days=2&developId=${f.other.developId}`);
    expect(other.days.map((d) => [d.date, d.orders, d.paid, d.topupAmount, d.refunds])).toEqual([
      [dayA, 1, 1, 1_000_000, 0],
      [dayB, 1, 1, 0, 0],
    ]);
    expect(other.gauges).toMatchObject({ pendingVouchers: 0, openRefunds: 1, warehouseItemsAwaiting: 1 });
    const nobody = await stats('?days=2&developId=1795432287562383360');
    expect(nobody.totals).toEqual(ZERO);
  });

  it('answers 40001 naming the field for bad values, and 40106 without the operator token', async () => {
    for (const days of ['0', '91', 'abc', '1.5']) {
      expectCode(await f.server.admin('GET', `/admin/stats?days=${days}`), 40001, 'days');
    }
    expectCode(await f.server.admin('GET', '/admin/stats?developId=abc'), 40001, 'developId');
    expectCode(await f.server.admin('GET', '/admin/stats?colour=red'), 40001, 'colour');
    for (const headers of [{}, { authorization: `Bearer ${'x'.repeat(32)}` }] as Record<string, string>[]) {
      expectCode(await f.server.request('GET', '/admin/stats', { headers }), 40106);
    }
    expectCode(await f.get(f.dev, '/admin/stats'), 40106);
  });
});
