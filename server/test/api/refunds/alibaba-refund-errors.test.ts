import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Reply } from '../../harness.js';
import {
  expectCode,
  type PaidOrder,
  POLICY,
  type RefundsServer,
  startRefundsServer,
  type Upload,
} from './alibaba-refund-fixtures.js';

/**
 * The 1688 after-sales endpoints' refusals: the documented example bodies as published, every error code each
 * route declares (40001 naming the field, 40401, 40901, and the upstream's 50201/50401/50402 through the sandbox's
 * faults), evidence pictures that are not the caller's, and a retried create.
 */

let s: RefundsServer;
/** Paid, not shipped: only refund-only, goods not shipped. */
let paid: PaidOrder;
/** Shipped, of two lines. */
let shipped: PaidOrder;
/** A shipped order whose return the seller agreed to (`waitbuyersend`). */
let returning: { order: PaidOrder; refundId: string };
/** Reason ids offered before and after shipping. */
let notShippedReason: string;
let shippedReason: string;

const UNKNOWN_ORDER = 1795432287562383;

beforeAll(async () => {
  s = await startRefundsServer();
  shipped = await s.paidOrder(s.dev, { lines: 2 });
  const toReturn = await s.paidOrder(s.dev);
  await s.advance(POLICY.shipAfterMs + 60_000);
  paid = await s.paidOrder(s.dev);
  const before = await s.reasons(s.dev, { orderId: paid.orderId, goodsStatus: 'refundWaitSellerSend' });
  notShippedReason = before.body.data.reasons[0]?.id as string;
  const after = await s.reasons(s.dev, { orderId: toReturn.orderId, goodsStatus: 'refundWaitBuyerReceive' });
  expect(after.body.code, after.text).toBe(200);
  shippedReason = after.body.data.reasons.find((x) => !x.needVoucher)?.id as string;
  const refundId = await s.applyOk(s.dev, {
    orderId: toReturn.orderId,
    disputeRequest: 'returnRefund',
    applyPayment: 200,
    applyCarriage: 0,
    applyReasonId: shippedReason,
    description: '不想要了',
    goodsStatus: 'refundWaitBuyerReceive',
  });
  await s.seller(refundId, 'agree');
  expect((await s.detailOf(s.dev, refundId)).status).toBe('waitbuyersend');
  returning = { order: toReturn, refundId };
}, 120_000);
afterAll(() => s?.close());

/** A valid A23 body for the paid, not shipped order. */
const valid = (extra: Record<string, unknown> = {}) => ({
  orderId: paid.orderId,
  disputeRequest: 'refund',
  applyPayment: 100,
  applyCarriage: 0,
  applyReasonId: notShippedReason,
  description: '不想要了',
  goodsStatus: 'refundWaitSellerSend',
  ...extra,
});

/** The refunds recorded for an order line, in any state (what a refused request must not leave). */
async function recorded(lineId: string): Promise<number> {
  const rows = await s.server.deps.database.db
    .selectFrom('refunds')
    .select('id')
    .where('line_id', '=', lineId)
    .execute();
  return rows.length;
}

/** The line is still free for a refund of all of it. */
async function expectUntouched(order: PaidOrder, goodsStatus = 'refundWaitSellerSend'): Promise<void> {
  const r = await s.reasons(s.dev, { orderId: order.orderId, orderEntryIds: [order.entries[0]], goodsStatus });
  expect(r.body.code, r.text).toBe(200);
  expect(r.body.data.refundable).toBe(true);
  expect(r.body.data.maxApplyPayment).toBe(order.detail.productItems[0]?.itemAmount);
}

const fault = async (operation: string, change: Record<string, number> | null) => {
  const r =
    change === null
      ? await s.server.admin('DELETE', `/sandbox/faults/${operation}`)
      : await s.server.admin('PUT', `/sandbox/faults/${operation}`, change);
  expect(r.body.code, r.text).toBe(200);
};

describe('the documented example bodies, as published', () => {
  it('A23: an unknown order answers 40401', async () => {
    const r = await s.apply(s.dev, {
      orderId: UNKNOWN_ORDER,
      orderEntryIds: [1],
      disputeRequest: 'refund',
      applyPayment: 100,
      applyCarriage: 0,
      applyReasonId: 1,
      description: '不想要了',
      goodsStatus: 'refundWaitSellerSend',
      vouchers: null,
      orderEntryCountList: null,
    });
    expectCode(r, 40401);
    expect(r.body.msg).toContain(String(UNKNOWN_ORDER));
  });

  it('A24: an unknown refund answers 40401', async () => {
    const r = await s.sendBack(s.dev, {
      refundId: 'TQ123',
      logisticsCompanyNo: 'ZTO',
      freightBill: '123456789',
      description: null,
      vouchers: null,
    });
    expectCode(r, 40401);
    expect(r.body.msg).toContain('TQ123');
  });

  it('A20: an unknown refundId answers 40401, a missing one 40001 naming refundId', async () => {
    expectCode(await s.info(s.dev, 'TQ1796214365581049856'), 40401);
    expectCode(await s.info(s.dev, '1796214365581049856'), 40401);
    expectCode(await s.info(s.dev, undefined), 40001, 'refundId');
    expectCode(await s.info(s.dev, undefined, '?refundId='), 40001, 'refundId');
    expectCode(await s.info(s.dev, 'TQ12x'), 40001, 'refundId');
    // The id may come in the body instead, as PandaPon's clients sometimes send it.
    const body = await s.post<{ refundId: string; status: string }>(s.dev, '/alibaba/refund/info', {
      refundId: returning.refundId,
    });
    expect(body.body.code, body.text).toBe(200);
    expect(body.body.data).toMatchObject({ refundId: returning.refundId, status: 'waitbuyersend' });
  });
});

describe('A23 refusals naming the field (40001), nothing recorded', () => {
  const cases: [string, () => Record<string, unknown>, string][] = [
    [
      'a disputeRequest that is not refund or returnRefund',
      () => valid({ disputeRequest: 'exchange' }),
      'disputeRequest',
    ],
    ['an unknown goodsStatus word', () => valid({ goodsStatus: 'refundLost' }), 'goodsStatus'],
    ['applyPayment above what is left of the line', () => valid({ applyPayment: paidAmount() + 1 }), 'applyPayment'],
    [
      'applyPayment + applyCarriage above what is left',
      () => valid({ applyPayment: paidAmount(), applyCarriage: 1 }),
      'applyPayment',
    ],
    ['nothing asked for', () => valid({ applyPayment: 0, applyCarriage: 0 }), 'applyPayment'],
    ['a negative amount', () => valid({ applyCarriage: -1 }), 'applyCarriage'],
    ['an unknown applyReasonId', () => valid({ applyReasonId: '999999' }), 'applyReasonId'],
    ['a reason of shipped goods for goods not shipped', () => valid({ applyReasonId: shippedReason }), 'applyReasonId'],
    ['two orderEntryIds', () => valid({ orderEntryIds: shipped.entries }), 'orderEntryIds'],
    ['an entry of another order', () => valid({ orderEntryIds: [shipped.entries[0]] }), 'orderEntryIds[0]'],
    [
      'an orderEntryCountList count above the quantity',
      () => valid({ orderEntryCountList: [{ id: paid.entries[0], count: quantity() + 1 }] }),
      'orderEntryCountList[0].count',
    ],
    [
      'an orderEntryCountList of another sub-order',
      () => valid({ orderEntryCountList: [{ id: shipped.entries[0], count: 1 }] }),
      'orderEntryCountList[0].id',
    ],
    ['a description shorter than 2', () => valid({ description: '退' }), 'description'],
    ['a description longer than 150', () => valid({ description: '退'.repeat(151) }), 'description'],
    ['a return of goods not shipped', () => valid({ disputeRequest: 'returnRefund' }), 'disputeRequest'],
    ['a shipped goodsStatus for goods not shipped', () => valid({ goodsStatus: 'refundBuyerReceived' }), 'goodsStatus'],
    ['an unknown field', () => valid({ refundType: 1 }), 'refundType'],
    ['an orderId that is not an id', () => valid({ orderId: 'abc' }), 'orderId'],
  ];
  const paidAmount = () => paid.detail.productItems[0]?.itemAmount as number;
  const quantity = () => paid.detail.productItems[0]?.quantity as number;

  for (const [name, body, field] of cases) {
    it(name, async () => {
      expectCode(await s.apply(s.dev, body()), 40001, field);
      expect(await recorded(paid.entries[0] as string)).toBe(0);
    });
  }

  it('a two-line order with no orderEntryIds', async () => {
    const r = await s.apply(s.dev, {
      ...valid({ orderId: shipped.orderId, goodsStatus: 'refundWaitBuyerReceive', applyReasonId: shippedReason }),
    });
    expectCode(r, 40001, 'orderEntryIds');
    for (const entry of shipped.entries) expect(await recorded(entry)).toBe(0);
  });

  it('leaves the line free for a valid request', async () => {
    await expectUntouched(paid);
  });
});

describe('A23 and A24 state conflicts (40901)', () => {
  it('an unpaid order', async () => {
    const orderId = await s.create(s.dev, [s.offers[1] ?? (s.offers[0] as never)]);
    const detail = await s.detail(s.dev, orderId);
    expect(detail.baseInfo.status).toBe('waitbuyerpay');
    const r = await s.apply(s.dev, valid({ orderId }));
    expectCode(r, 40901);
    expect(r.body.msg).toContain('not paid');
    expect(await recorded(detail.productItems[0]?.subItemID as string)).toBe(0);
    // A21 says so too.
    const r21 = await s.reasons(s.dev, { orderId, goodsStatus: 'refundWaitSellerSend' });
    expect(r21.body.code, r21.text).toBe(200);
    expect(r21.body.data).toMatchObject({ refundable: false, maxApplyPayment: 0, reasons: [] });
  });

  it('a second open refund of a line; A24 before the seller agreed', async () => {
    const order = await s.paidOrder(s.dev);
    const first = await s.applyOk(s.dev, valid({ orderId: order.orderId }));
    const second = await s.apply(s.dev, valid({ orderId: order.orderId, applyPayment: 1 }));
    expectCode(second, 40901);
    expect(second.body.msg).toContain(first);
    expect(await recorded(order.entries[0] as string)).toBe(1);

    const early = await s.sendBack(s.dev, { refundId: first, logisticsCompanyNo: 'SF', freightBill: 'SF1234567890' });
    expectCode(early, 40901);
    expect(early.body.msg).toContain('waitselleragree');
    // A refund-only case never takes a parcel, even refused.
    await s.seller(first, 'refuse');
    expectCode(
      await s.sendBack(s.dev, { refundId: first, logisticsCompanyNo: 'SF', freightBill: 'SF1234567890' }),
      40901,
    );
    expectCode(await s.apply(s.dev, valid({ orderId: order.orderId })), 40901);
    const d = await s.detailOf(s.dev, first);
    expect(d).toMatchObject({ status: 'waitbuyermodify', freightBill: null, version: 2 });
  });
});

describe('A24 refusals of a return waiting for its parcel', () => {
  const send = (extra: Record<string, unknown>) =>
    s.sendBack(s.dev, {
      refundId: returning.refundId,
      logisticsCompanyNo: 'SF',
      freightBill: 'SF1234567890',
      ...extra,
    });

  it('an unknown logisticsCompanyNo, a malformed freightBill or description: 40001, nothing recorded', async () => {
    const unknown = await send({ logisticsCompanyNo: 'NOPE' });
    expectCode(unknown, 40001, 'logisticsCompanyNo');
    expect(unknown.body.msg).toContain('/alibaba/logistics/company/list');
    expectCode(await send({ freightBill: 'SF 123' }), 40001, 'freightBill');
    expectCode(await send({ freightBill: 'SF1' }), 40001, 'freightBill');
    expectCode(await send({ description: 'x' }), 40001, 'description');
    expectCode(await send({ refundId: 'abc' }), 40001, 'refundId');
    expectCode(await send({ extra: true }), 40001, 'extra');
    expect(await s.detailOf(s.dev, returning.refundId)).toMatchObject({
      status: 'waitbuyersend',
      freightBill: null,
      buyerSendGoods: false,
      version: 2,
    });
    expect(await s.messages(s.dev, returning.refundId)).toHaveLength(2);
  });
});

describe('vouchers that are not the caller’s pictures', () => {
  let mine: Upload;
  let theirs: Upload;
  beforeAll(async () => {
    mine = await s.upload(s.dev, 'png', 201);
    theirs = await s.upload(s.other, 'png', 202);
  });

  const refusals: [string, () => unknown[], string][] = [
    ['more than 10', () => Array.from({ length: 11 }, () => mine.imageRelativeUrl), 'vouchers'],
    ['another developer’s upload', () => [mine.imageRelativeUrl, theirs.imageRelativeUrl], 'vouchers[1]'],
    ['another developer’s upload, as its link', () => [theirs.url], 'vouchers[0]'],
    ['a malformed path', () => ['evidence/../../master.key'], 'vouchers[0]'],
    ['a picture of elsewhere', () => [mine.imageRelativeUrl, 'https://img.example.com/a.png'], 'vouchers[1]'],
    ['a path never uploaded', () => [`evidence/${'1'.repeat(10)}/${'0'.repeat(64)}.png`], 'vouchers[0]'],
    ['not a string', () => [42], 'vouchers[0]'],
  ];

  for (const [name, vouchers, field] of refusals) {
    it(`A23: ${name}`, async () => {
      expectCode(await s.apply(s.dev, valid({ vouchers: vouchers() })), 40001, field);
      expect(await recorded(paid.entries[0] as string)).toBe(0);
    });
  }

  it('A24: the same refusals, and the parcel is not recorded', async () => {
    for (const [name, vouchers, field] of refusals) {
      const r = await s.sendBack(s.dev, {
        refundId: returning.refundId,
        logisticsCompanyNo: 'SF',
        freightBill: 'SF1234567890',
        vouchers: vouchers(),
      });
      expect(r.body.code, name).toBe(40001);
      expect(r.body.msg, name).toContain(`parameter ${field}:`);
    }
    expect((await s.detailOf(s.dev, returning.refundId)).status).toBe('waitbuyersend');
    await expectUntouched(paid);
  });
});

describe('a retried create (Idempotency-Key)', () => {
  it('answers the same refundId and makes one refund', async () => {
    const order = await s.paidOrder(s.dev);
    const body = valid({ orderId: order.orderId });
    const headers = { 'idempotency-key': `a23-${order.orderId}` };
    const first = await s.apply(s.dev, body, headers);
    expect(first.body.code, first.text).toBe(200);
    const again = await s.apply(s.dev, body, headers);
    expect(again.body.code, again.text).toBe(200);
    expect(again.body.data).toEqual(first.body.data);
    expect(await recorded(order.entries[0] as string)).toBe(1);
    expect(await s.messages(s.dev, first.body.data.refundId)).toHaveLength(1);
    // The same key with another request is a conflict, not a second refund.
    const other = await s.apply(s.dev, { ...body, applyPayment: 101 }, headers);
    expectCode(other, 40902);
    expect(await recorded(order.entries[0] as string)).toBe(1);
  });
});

describe('upstream failures each route declares', () => {
  const settle = async () => {
    // The worker that settles an interrupted create runs after the settle delay.
    await s.advance(
      Math.max(s.server.deps.config.orders.settleDelayMs, 2 * s.server.deps.config.upstreamTimeoutMs) + 1000,
    );
  };

  it('A21: 50201 when the marketplace fails, 50401 when it does not answer', async () => {
    const body = { orderId: paid.orderId, goodsStatus: 'refundWaitSellerSend' };
    await fault('refundOptions', { errorRate: 1 });
    expectCode(await s.reasons(s.dev, body), 50201);
    await fault('refundOptions', { timeoutRate: 1 });
    expectCode(await s.reasons(s.dev, body), 50401);
    await fault('refundOptions', null);
    expect((await s.reasons(s.dev, body)).body.code).toBe(200);
  });

  it('A25: 50201 and 50401', async () => {
    await fault('carriers', { errorRate: 1 });
    expectCode(await s.get(s.dev, '/alibaba/logistics/company/list'), 50201);
    await fault('carriers', { timeoutRate: 1 });
    expectCode(await s.get(s.dev, '/alibaba/logistics/company/list'), 50401);
    await fault('carriers', null);
    expect((await s.carriers(s.dev)).length).toBeGreaterThan(0);
  });

  it('A23: 50201, then a retry with the same Idempotency-Key makes the refund once', async () => {
    const order = await s.paidOrder(s.dev);
    const headers = { 'idempotency-key': `a23-50201-${order.orderId}` };
    await fault('createRefund', { errorRate: 1 });
    expectCode(await s.apply(s.dev, valid({ orderId: order.orderId }), headers), 50201);
    await fault('createRefund', null);
    const refundId = await s.applyOk(s.dev, valid({ orderId: order.orderId }), headers);
    expect(await recorded(order.entries[0] as string)).toBe(1);
    expect((await s.messages(s.dev, refundId)).map((m) => m.messageBody.refundAction)).toEqual(['BUYER_APPLY_REFUND']);
  });

  it('A23: 50401 when the marketplace certainly made nothing; the line is free at once', async () => {
    const order = await s.paidOrder(s.dev);
    await fault('createRefund', { timeoutRate: 1 });
    expectCode(await s.apply(s.dev, valid({ orderId: order.orderId })), 50401);
    await fault('createRefund', null);
    // Nothing waits for the worker: no refund row, the line refundable, a new create made at once.
    expect(await recorded(order.entries[0] as string)).toBe(0);
    const list = await s.reasons(s.dev, { orderId: order.orderId, goodsStatus: 'refundWaitSellerSend' });
    expect(list.body.data.refundable).toBe(true);
    await s.applyOk(s.dev, valid({ orderId: order.orderId }));
    await settle();
    expect(await recorded(order.entries[0] as string)).toBe(1);
  });

  it('A23: 50402 when it cannot tell; the refund it made is recorded by the worker, with its message', async () => {
    const order = await s.paidOrder(s.dev);
    await fault('createRefund', { lostReplyRate: 1 });
    await fault('refundByClientRef', { errorRate: 1 });
    expectCode(await s.apply(s.dev, valid({ orderId: order.orderId })), 50402);
    await fault('createRefund', null);
    await fault('refundByClientRef', null);
    // Not the caller's to see until it is settled.
    const list = await s.reasons(s.dev, { orderId: order.orderId, goodsStatus: 'refundWaitSellerSend' });
    expect(list.body.data.refundable).toBe(false);
    await settle();
    const [row] = await s.server.deps.database.db
      .selectFrom('refunds')
      .select(['id', 'create_state'])
      .where('line_id', '=', order.entries[0] as string)
      .execute();
    expect(row?.create_state).toBe('created');
    const d = await s.detailOf(s.dev, row?.id as string);
    expect(d).toMatchObject({ status: 'waitselleragree', applyExpect: 100, orderId: order.orderId });
    // The worker settled the buyer's application: the buyer is its operator, in the message and in A20's steps.
    expect(
      (await s.messages(s.dev, d.refundId)).map((m) => [m.messageBody.refundAction, m.messageBody.operator]),
    ).toEqual([['BUYER_APPLY_REFUND', 'buyer']]);
    const steps = JSON.parse(d.refundOperationList as string) as { operateType: string; operator: string }[];
    expect(steps.map((o) => [o.operateType, o.operator])).toEqual([['BUYER_APPLY_REFUND', 'buyer']]);
  });

  it('A24: 50201, and the parcel is not recorded', async () => {
    await fault('submitReturnShipment', { errorRate: 1 });
    const r: Reply = await s.sendBack(s.dev, {
      refundId: returning.refundId,
      logisticsCompanyNo: 'SF',
      freightBill: 'SF1234567890',
    });
    expectCode(r, 50201);
    await fault('submitReturnShipment', null);
    expect((await s.detailOf(s.dev, returning.refundId)).status).toBe('waitbuyersend');
    // It goes through once the marketplace answers; then a second parcel is a conflict.
    const ok = await s.sendBack(s.dev, {
      refundId: returning.refundId,
      logisticsCompanyNo: 'SF',
      freightBill: 'SF1234567890',
    });
    expect(ok.body.code, ok.text).toBe(200);
    expect((await s.detailOf(s.dev, returning.refundId)).status).toBe('waitsellerreceive');
    expectCode(
      await s.sendBack(s.dev, { refundId: returning.refundId, logisticsCompanyNo: 'SF', freightBill: 'SF1234567890' }),
      40901,
    );
  });
});
