import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Credentials, Reply } from '../../harness.js';
import { expectCode, type Message, type Sku, type TaobaoOrder } from '../orders/taobao-fixtures.js';
import {
  type Note,
  type RefundData,
  type RefundOrder,
  type RefundServer,
  startRefundServer,
} from './taobao-refund-fixtures.js';

/**
 * Who sees and acts on which reverse order, on every Taobao after-sales route (T16–T25): another developer sees
 * none of this developer's (40401, empty lists, the same answer as for an id that does not exist); a sub-account
 * sees its own only, not its siblings' nor the main account's; the main account sees and acts on all of its
 * developer's.
 */
let r: RefundServer;
/** The sub-account's shipped order and its return, agreed by the seller (`200`). */
let subOrder: TaobaoOrder;
let subRefund: RefundOrder;
/** A paid order of the sub-account with no reverse order. */
let subFresh: TaobaoOrder;
/** The sibling sub-account's, the main account's and the other developer's: each an order and a case at `100`. */
let siblingOrder: TaobaoOrder;
let siblingRefund: RefundOrder;
let mainOrder: TaobaoOrder;
let mainRefund: RefundOrder;
let otherOrder: TaobaoOrder;
let otherRefund: RefundOrder;

const lineOf = (order: TaobaoOrder) =>
  order.subPurchaseOrders[0]?.orderLines[0] as TaobaoOrder['subPurchaseOrders'][number]['orderLines'][number];

beforeAll(async () => {
  r = await startRefundServer();
  await r.topUp(r.other.developId, 10_000_000);
  subOrder = await r.shippedOrder(r.sub, [r.skus[0] as Sku]);
  subRefund = await r.open(r.sub, lineOf(subOrder), { refundType: 2, goodsStatus: 2 });
  await r.seller('agree', subRefund.refundId);
  subFresh = await r.paidOrder(r.sub, [r.skus[1] as Sku]);
  siblingOrder = await r.paidOrder(r.sibling, [r.skus[1] as Sku]);
  siblingRefund = await r.open(r.sibling, lineOf(siblingOrder));
  mainOrder = await r.paidOrder(r.dev, [r.skus[2] as Sku]);
  mainRefund = await r.open(r.dev, lineOf(mainOrder));
  otherOrder = await r.paidOrder(r.other, [r.skus[2] as Sku]);
  otherRefund = await r.open(r.other, lineOf(otherOrder));
}, 120_000);
afterAll(() => r?.close());

/** Everyone who must not see `refundId`, by who owns it. */
function strangers(owner: 'sub' | 'sibling' | 'main' | 'other'): [string, Credentials][] {
  const all: Record<typeof owner, Credentials> = { sub: r.sub, sibling: r.sibling, main: r.dev, other: r.other };
  const out: [string, Credentials][] = [['another developer', owner === 'other' ? r.dev : r.other]];
  if (owner === 'sub') out.push(['a sibling sub-account', r.sibling]);
  if (owner === 'sibling') out.push(['a sibling sub-account', r.sub]);
  if (owner === 'main') out.push(['a sub-account', r.sub], ['another sub-account', r.sibling]);
  if (owner === 'other') out.push(['its sub-account', r.sub]);
  return out.filter(([, who]) => who !== all[owner]);
}

/** The answer to an id that names nothing, to compare a refused one with. */
const notFoundLike = (res: Reply) => {
  expectCode(res, 40401);
  expect(res.body.data).toBeNull();
};

const ids = async (who: Credentials, filters: Record<string, unknown> = {}) => {
  const res = await r.list(who, filters);
  expect(res.body.code, res.text).toBe(200);
  expect(res.body.data.total).toBe(res.body.data.refundOrderAggregates.length);
  return res.body.data.refundOrderAggregates.map((x) => x.refundOrder.refundId).sort();
};

describe('T16 list', () => {
  it('each caller lists what it may see, and nothing of others, whatever the filter', async () => {
    expect(await ids(r.sub)).toEqual([subRefund.refundId]);
    expect(await ids(r.sibling)).toEqual([siblingRefund.refundId]);
    expect(await ids(r.dev)).toEqual([subRefund.refundId, siblingRefund.refundId, mainRefund.refundId].sort());
    expect(await ids(r.other)).toEqual([otherRefund.refundId]);
    const others = await r.list(r.other, {});
    expect(others.body.data.distributorId).toBe(r.other.developId);

    expect(await ids(r.sub, { refundId: siblingRefund.refundId })).toEqual([]);
    expect(await ids(r.sub, { refundId: mainRefund.refundId })).toEqual([]);
    expect(await ids(r.sibling, { salesOrderId: subOrder.orderId })).toEqual([]);
    expect(await ids(r.sibling, { purchaseOrderId: subOrder.subPurchaseOrders[0]?.subPurchaseOrderId })).toEqual([]);
    expect(await ids(r.other, { refundId: subRefund.refundId })).toEqual([]);
    expect(await ids(r.other, { salesOrderId: mainOrder.orderId })).toEqual([]);
    expect(await ids(r.other, { refundStatus: '200' })).toEqual([]);
    expect(await ids(r.dev, { refundId: otherRefund.refundId })).toEqual([]);
    expect(await ids(r.dev, { salesOrderId: siblingOrder.orderId })).toEqual([siblingRefund.refundId]);
  });
});

describe('T25 query', () => {
  it('40401 for others’ reverse orders, as for ids that do not exist; the main account reads all of its own', async () => {
    const cases: [RefundOrder, 'sub' | 'sibling' | 'main' | 'other'][] = [
      [subRefund, 'sub'],
      [siblingRefund, 'sibling'],
      [mainRefund, 'main'],
      [otherRefund, 'other'],
    ];
    for (const [refund, owner] of cases) {
      for (const [, who] of strangers(owner)) {
        notFoundLike(await r.query(who, refund.refundId));
      }
    }
    notFoundLike(await r.query(r.sub, '110000235001'));
    for (const refund of [subRefund, siblingRefund, mainRefund]) {
      expect((await r.refund(r.dev, refund.refundId)).refundOrder.refundId).toBe(refund.refundId);
    }
    expect((await r.refund(r.sub, subRefund.refundId)).subUserId).toBe(r.sub.userId);
    expect((await r.refund(r.other, otherRefund.refundId)).refundOrder.refundId).toBe(otherRefund.refundId);
  });
});

describe('T17 render, T22 submit: lines', () => {
  it('40401 for another developer’s or a sibling’s line, and nothing made; the main account may', async () => {
    const line = lineOf(subFresh).purchaseOrderLineId;
    const before = (await r.list(r.dev, {})).body.data.total;
    const body = (reasonId: string) => ({ subOrderId: line, refundType: 1, goodsStatus: 1, reasonId, refundFee: 1 });
    const own = await r.render(r.sub, line, 1, 1);
    expect(own.body.code, own.text).toBe(200);
    const reasonId = own.body.data.refundOrderTemplate.refundReasons[0]?.reasonId as string;
    const opaqueLine = r.server.deps.opaqueIds.encode('order-line', line);
    for (const who of [r.other, r.sibling]) {
      notFoundLike(await r.render(who, line, 1, 1));
      notFoundLike(await r.submit(who, body(reasonId)));
      // On v2, by the line's opaque id: the same 40401, naming the id as sent.
      const v2 = { ...body(reasonId), subOrderId: opaqueLine };
      const rendered = await r.post(who, '/v2/taobao/order/refund/render', {
        subOrderId: opaqueLine,
        refundType: 1,
        goodsStatus: 1,
      });
      notFoundLike(rendered);
      expect(rendered.body.msg).not.toContain(line);
      notFoundLike(await r.post(who, '/v2/taobao/order/refund/submit', v2));
    }
    // The main account's own line is not its sub-accounts' either.
    notFoundLike(await r.render(r.sub, lineOf(mainOrder).purchaseOrderLineId, 1, 1));
    notFoundLike(await r.render(r.dev, lineOf(otherOrder).purchaseOrderLineId, 1, 1));
    expect((await r.list(r.dev, {})).body.data.total).toBe(before);
    expect((await r.list(r.other, {})).body.data.total).toBe(1);
    const main = await r.render(r.dev, line, 1, 1);
    expect(main.body.code, main.text).toBe(200);
    expect(main.body.data.saleFlag).toBe(true);
  });
});

describe('actions on someone else’s reverse order (T18–T21, T23, T24)', () => {
  /** The case as its owner sees it, and its conversation: what a refused action must leave as it was. */
  const snapshot = async (refundId: string) => ({
    refund: (await r.refund(r.dev, refundId)).refundOrder,
    notes: (await r.conversation(r.dev, refundId)).length,
    messages: (await r.refundMessages(r.dev, refundId)).length,
  });

  it('every route answers 40401 to strangers and changes nothing', async () => {
    for (const [refund, owner] of [
      [subRefund, 'sub'],
      [siblingRefund, 'sibling'],
      [mainRefund, 'main'],
    ] as const) {
      const id = refund.refundId;
      const before = await snapshot(id);
      for (const [, who] of strangers(owner)) {
        // v1 and its v2 twins (refund ids are the same on both).
        for (const base of ['/open/order/refund', '/v2/taobao/order/refund']) {
          notFoundLike(await r.get(who, `${base}/returnLogistics/render?refundId=${id}`));
          notFoundLike(
            await r.post(who, `${base}/returnLogistics/submit`, {
              refundId: id,
              logisticsCompanyCode: 'ZTO',
              logisticsNo: '78561234567890',
            }),
          );
          notFoundLike(await r.get(who, `${base}/cancel/${id}`));
          notFoundLike(await r.post(who, `${base}/submit/message`, { refundId: id, refundMessage: 'hi' }));
          notFoundLike(await r.post(who, `${base}/message/queryList`, { refundId: id }));
          notFoundLike(await r.post(who, `${base}/modify`, { refundId: id, refundFee: 1 }));
          notFoundLike(await r.get(who, `${base}/query?refundId=${id}`));
        }
      }
      expect(await snapshot(id)).toEqual(before);
    }
    // The other developer's case is as closed to this developer's accounts.
    for (const who of [r.dev, r.sub]) {
      notFoundLike(await r.get(who, `/open/order/refund/cancel/${otherRefund.refundId}`));
      notFoundLike(await r.post(who, '/open/order/refund/message/queryList', { refundId: otherRefund.refundId }));
    }
    expect((await r.refund(r.other, otherRefund.refundId)).refundOrder.refundStatus).toBe('100');
  });

  it('the callback messages of a case are listed to its sub-account and the main account only', async () => {
    const list = async (who: Credentials, objectId: string) => {
      const res = await r.get<{ messages: Message[] }>(who, `/open/message/list?objectId=${objectId}&pageSize=50`);
      expect(res.body.code, res.text).toBe(200);
      return res.body.data.messages.map((m) => m.version).sort();
    };
    const own = await list(r.sub, subRefund.refundId);
    expect(own.length).toBe(2);
    expect(await list(r.dev, subRefund.refundId)).toEqual(own);
    expect(await list(r.sibling, subRefund.refundId)).toEqual([]);
    expect(await list(r.other, subRefund.refundId)).toEqual([]);
    expect(await list(r.sub, siblingRefund.refundId)).toEqual([]);
    expect(await list(r.sub, mainRefund.refundId)).toEqual([]);
  });

  it('the main account acts on its sub-accounts’ cases, which stay theirs', async () => {
    const id = subRefund.refundId;
    const render = await r.get<{ logisticsCompanies: { logisticCompanyCode: string }[] }>(
      r.dev,
      `/open/order/refund/returnLogistics/render?refundId=${id}`,
    );
    expect(render.body.code, render.text).toBe(200);
    const said = await r.post<Note>(r.dev, '/open/order/refund/submit/message', {
      refundId: id,
      refundMessage: 'from HQ',
    });
    expect(said.body.code, said.text).toBe(200);
    expect((await r.conversation(r.sub, id)).at(-1)?.content).toBe('from HQ');
    const sent = await r.post<RefundData>(r.dev, '/open/order/refund/returnLogistics/submit', {
      refundId: id,
      logisticsCompanyCode: render.body.data.logisticsCompanies[0]?.logisticCompanyCode,
      logisticsNo: '78561234567890',
    });
    expect(sent.body.code, sent.text).toBe(200);
    expect((await r.refund(r.sub, id)).refundOrder.refundStatus).toBe('300');
    expect(sent.body.data.refundOrderAggregate.subUserId).toBe(r.sub.userId);
    await r.expectMessages(r.sub, id, ['100', '200', '300']);

    const modified = await r.post<RefundData>(r.dev, '/open/order/refund/modify', {
      refundId: siblingRefund.refundId,
      refundDesc: 'changed by the main account',
    });
    expect(modified.body.code, modified.text).toBe(200);
    expect((await r.refund(r.sibling, siblingRefund.refundId)).refundOrder.refundDesc).toBe(
      'changed by the main account',
    );
    const cancelled = await r.get<RefundData>(r.dev, `/open/order/refund/cancel/${siblingRefund.refundId}`);
    expect(cancelled.body.data.cancelSuccess).toBe(true);
    await r.expectMessages(r.sibling, siblingRefund.refundId, ['100', '100', '-20']);
    expect(await ids(r.sibling, { refundStatus: '-20' })).toEqual([siblingRefund.refundId]);
    expect(await ids(r.sub, { refundStatus: '-20' })).toEqual([]);
  });
});

/**
 * A refund submit's `Idempotency-Key` makes the reverse order's reference at the marketplace
 * (`refund:{platform}:{developId}:{userId}:{key}`, modules/refunds/create.ts). Once the key is free again at the HTTP
 * layer (its stored reply expired after 24 h, or a 5xx released it), the key sent again with another request (another
 * line, or by another sub-account) never answers the first case: another sub-account's key is its own, and the same
 * sub-account's key for another line answers 40902.
 */
describe('an Idempotency-Key used again with another request', () => {
  const body = (order: TaobaoOrder) => ({
    subOrderId: lineOf(order).purchaseOrderLineId,
    refundType: 1,
    goodsStatus: 1,
    reasonId: '150013',
    refundFee: 1,
  });

  it('by a sibling sub-account once the reply expired: never answers the first caller’s case', async () => {
    const key = 'refund-of-store-order-1';
    const first = await r.paidOrder(r.sub, [r.skus[3] ?? (r.skus[0] as Sku)]);
    const made = await r.submit(r.sub, body(first), { 'Idempotency-Key': key });
    expect(made.body.code, made.text).toBe(200);
    const firstId = made.body.data.refundOrderAggregate.refundOrder.refundId;
    // Stored replies are kept 24 h; after that the key is free for another request.
    await r.advance(24 * 3_600_000 + 60_000);
    const second = await r.paidOrder(r.sibling, [r.skus[2] as Sku]);
    const res = await r.submit(r.sibling, body(second), { 'Idempotency-Key': key });
    expect(res.text).not.toContain(firstId);
    expect(res.text).not.toContain(lineOf(first).purchaseOrderLineId);
    // The key is the sibling's own: its refund is made.
    expect(res.body.code, res.text).toBe(200);
    const agg = res.body.data.refundOrderAggregate;
    expect(agg.purchaseOrderLine.purchaseOrderLineId).toBe(lineOf(second).purchaseOrderLineId);
    expect(agg.subUserId).toBe(r.sibling.userId);
  });

  it('by the same sub-account for another line once the reply expired: not the first line’s case', async () => {
    const key = 'refund-of-store-order-2';
    const first = await r.paidOrder(r.sub, [r.skus[1] as Sku]);
    const made = await r.submit(r.sub, body(first), { 'Idempotency-Key': key });
    expect(made.body.code, made.text).toBe(200);
    await r.advance(24 * 3_600_000 + 60_000);
    const second = await r.paidOrder(r.sub, [r.skus[2] as Sku]);
    const res = await r.submit(r.sub, body(second), { 'Idempotency-Key': key });
    // The same key for another line is another request.
    expectCode(res, 40902);
  });

  it('for another line after a failed submit: Ponte and the marketplace refund the same line', async () => {
    const key = 'refund-after-upstream-error';
    const first = await r.paidOrder(r.sub, [r.skus[0] as Sku]);
    const second = await r.paidOrder(r.sub, [r.skus[1] as Sku]);
    const fault = await r.server.admin('PUT', '/sandbox/faults/createRefund', { errorRate: 1 });
    expect(fault.body.code, fault.text).toBe(200);
    const failed = await r.submit(r.sub, body(first), { 'Idempotency-Key': key });
    expect(failed.body.code, failed.text).toBe(50201);
    expect((await r.server.admin('DELETE', '/sandbox/faults/createRefund')).body.code).toBe(200);
    const res = await r.submit(r.sub, body(second), { 'Idempotency-Key': key });
    // The same key for another line is another request.
    expectCode(res, 40902);
    // The failed create settles (the worker finds nothing made by its reference, and frees the line).
    await r.advance(31_000);
    // Whatever the answer, each line has a case at the marketplace exactly when Ponte lists one of it.
    for (const order of [first, second]) {
      const listed = await ids(r.sub, { salesOrderId: order.orderId });
      const render = await r.render(r.sub, lineOf(order).purchaseOrderLineId, 1, 1);
      expect(render.body.data.saleFlag).toBe(listed.length === 0);
    }
  });
});
