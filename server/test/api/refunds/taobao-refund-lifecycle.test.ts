import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Credentials } from '../../harness.js';
import { expectCode, type Sku, type TaobaoOrder } from '../orders/taobao-fixtures.js';
import {
  DAY,
  MINUTE,
  NEVER,
  type Note,
  type NoteList,
  pictureDataUrl,
  type RefundData,
  type RefundServer,
  type ReturnRender,
  refundOfMessage,
  startRefundServer,
} from './taobao-refund-fixtures.js';

/**
 * The Taobao after-sales lifecycles over HTTP (T16–T25): each path's statuses, its TM3 messages, the money credited
 * once, and what the refunds do to the order and its lines. One server for the file; its clock only moves forward,
 * so every test leaves its reverse orders finished (refunded or closed) before the next one moves it.
 */
let r: RefundServer;
beforeAll(async () => {
  r = await startRefundServer();
}, 120_000);
afterAll(() => r?.close());

const lines = (order: TaobaoOrder) => order.subPurchaseOrders.flatMap((p) => p.orderLines);
const only = (order: TaobaoOrder) => {
  const all = lines(order);
  expect(all).toHaveLength(1);
  return all[0] as (typeof all)[number];
};

/** T14's view of an order: its status and its lines' refunded amounts and statuses. */
async function orderState(who: Credentials, orderId: string) {
  const detail = await r.detail(who, orderId);
  return {
    status: detail.status,
    lines: Object.fromEntries(
      lines(detail).map((l) => {
        const line = l as typeof l & { refundedFee: number };
        return [line.purchaseOrderLineId, { refundedFee: line.refundedFee, status: line.status }];
      }),
    ),
  };
}

const lastOrderStatus = async (who: Credentials, orderId: string) =>
  (await r.messages(who, orderId)).at(-1)?.messageBody.status;

describe('refund only', () => {
  it('agreed before shipping: 100 → 400, credited once, the line and the order closed', async () => {
    const order = await r.paidOrder(r.sub);
    const line = only(order);
    const before = await r.balance(r.dev);

    const render = await r.render(r.sub, line.purchaseOrderLineId, 1, 1);
    expect(render.body.code, render.text).toBe(200);
    const template = render.body.data.refundOrderTemplate;
    expect(render.body.data.saleFlag).toBe(true);
    expect(render.body.data.distributorId).toBe(r.dev.developId);
    expect(template.goodsStatusList).toEqual([1]);
    expect(template.refundTypeList).toEqual([1]);
    expect(template.maxRefundFee.refundFee).toBe(line.totalPrice);
    // Less than the most may be asked (the line costs more than 1 fen).
    expect(template.maxRefundFee).toMatchObject({ minRefundFee: 1, canEditRefundFee: true });
    expect(template.refundOrder.payOrderId).toBe(
      (line as typeof line & { purchaseOrderLineOuterId: string }).purchaseOrderLineOuterId,
    );
    expect(template.refundReasons.length).toBeGreaterThan(0);

    const refund = await r.open(r.sub, line, { refundDesc: 'no longer needed' });
    expect(refund.refundFee).toBe(line.totalPrice);
    expect(refund.refundDesc).toBe('no longer needed');
    expect(refund.reasonId).toBe(template.refundReasons[0]?.reasonId);
    expect(refund.timeoutType).toBe('sAgreeRefundT');
    expect(refund.canEditFee).toBe(true);
    expect(refund.finishTime).toBeNull();
    await r.expectMessages(r.sub, refund.refundId, ['100']);
    // Nothing is credited while the seller has not agreed; the line is not refundable twice meanwhile.
    expect(await r.balance(r.dev)).toBe(before);
    const busy = await r.render(r.sub, line.purchaseOrderLineId, 1, 1);
    expect(busy.body.data.saleFlag).toBe(false);

    const agreed = await r.seller('agree', refund.refundId);
    expect(agreed.body.code, agreed.text).toBe(200);
    const done = (await r.refund(r.sub, refund.refundId)).refundOrder;
    expect(done.refundStatus).toBe('400');
    expect(done.refundedFee).toBe(line.totalPrice);
    expect(done.finishTime).not.toBeNull();
    expect(done.timeoutType).toBeNull();
    expect(done.canEditFee).toBe(false);
    expect(await r.balance(r.dev)).toBe(before + line.totalPrice);

    const messages = await r.expectMessages(r.sub, refund.refundId, ['100', '400']);
    expect(refundOfMessage(messages[0]).refundedFee).toBe(0);
    expect(refundOfMessage(messages[1]).refundedFee).toBe(line.totalPrice);

    const state = await orderState(r.sub, order.orderId);
    expect(state.status).toBe('TRADE_CLOSED');
    expect(state.lines[line.purchaseOrderLineId]).toEqual({ refundedFee: line.totalPrice, status: 'TRADE_CLOSED' });
    expect(await lastOrderStatus(r.sub, order.orderId)).toBe('TRADE_CLOSED');

    // Nothing is left to refund; events handled again credit nothing more.
    const after = await r.render(r.sub, line.purchaseOrderLineId, 1, 1);
    expect(after.body.data.saleFlag).toBe(false);
    expect(after.body.data.refundOrderTemplate.maxRefundFee.refundFee).toBe(0);
    await r.server.drainOutbox();
    expect(await r.balance(r.dev)).toBe(before + line.totalPrice);
  });

  it('after shipping, goods in transit (goodsStatus 2): 100 → 400, credited, the shipped order closed', async () => {
    const order = await r.shippedOrder(r.sub);
    const line = only(order);
    const before = await r.balance(r.dev);
    const render = await r.render(r.sub, line.purchaseOrderLineId, 1, 2);
    expect(render.body.code, render.text).toBe(200);
    expect(render.body.data.refundOrderTemplate.goodsStatusList).toEqual([2, 3, 4]);
    expect(render.body.data.refundOrderTemplate.refundTypeList).toEqual([1, 2]);

    const refund = await r.open(r.sub, line, { refundType: 1, goodsStatus: 2 });
    expect((await r.seller('agree', refund.refundId)).body.code).toBe(200);
    const done = (await r.refund(r.sub, refund.refundId)).refundOrder;
    expect(done.refundStatus).toBe('400');
    expect(done.goodsStatus).toBe(2);
    expect(done.refundedFee).toBe(line.totalPrice);
    expect(await r.balance(r.dev)).toBe(before + line.totalPrice);
    await r.expectMessages(r.sub, refund.refundId, ['100', '400']);
    const state = await orderState(r.sub, order.orderId);
    expect(state.status).toBe('TRADE_CLOSED');
    expect(state.lines[line.purchaseOrderLineId]?.refundedFee).toBe(line.totalPrice);
  });
});

describe('refused, modified, agreed', () => {
  it('-10 with the seller’s reason → modified with a lower amount → 100 → 400, the lower amount credited', async () => {
    const order = await r.paidOrder(r.sub);
    const line = only(order);
    const before = await r.balance(r.dev);
    const refund = await r.open(r.sub, line);

    const reason = 'Please send a photo of the problem';
    const refused = await r.seller('refuse', refund.refundId, reason);
    expect(refused.body.code, refused.text).toBe(200);
    const q = (await r.refund(r.sub, refund.refundId)).refundOrder;
    expect(q.refundStatus).toBe('-10');
    expect(q.sellerRefuseReason).toBe(reason);
    expect(q.sellerRefuseReasonDescribe).toBe(reason);
    expect(q.refuseTimes).toBe(1);
    expect(q.timeoutType).toBe('bModifyRefundT');
    expect(q.canEditFee).toBe(true);
    expect(q.refundedFee).toBe(0);
    expect(await r.balance(r.dev)).toBe(before);

    const lower = Math.max(1, Math.floor(line.totalPrice / 2));
    const modified = await r.post<RefundData>(r.sub, '/open/order/refund/modify', {
      refundId: refund.refundId,
      refundFee: lower,
      refundDesc: 'half of it will do',
    });
    expect(modified.body.code, modified.text).toBe(200);
    const m = modified.body.data.refundOrderAggregate.refundOrder;
    expect(m.refundStatus).toBe('100');
    expect(m.refundFee).toBe(lower);
    expect(m.refundDesc).toBe('half of it will do');
    expect(m.refuseTimes).toBe(1);
    expect(m.timeoutType).toBe('sAgreeRefundT');
    expect(m.version).toBeGreaterThan(q.version);

    expect((await r.seller('agree', refund.refundId)).body.code).toBe(200);
    const done = (await r.refund(r.sub, refund.refundId)).refundOrder;
    expect(done.refundStatus).toBe('400');
    expect(done.refundFee).toBe(lower);
    expect(done.refundedFee).toBe(lower);
    expect(await r.balance(r.dev)).toBe(before + lower);

    const messages = await r.expectMessages(r.sub, refund.refundId, ['100', '-10', '100', '400']);
    expect(refundOfMessage(messages[1]).sellerRefuseReason).toBe(reason);
    expect(refundOfMessage(messages[0]).refundFee).toBe(line.totalPrice);
    expect(refundOfMessage(messages[2]).refundFee).toBe(lower);
    expect(refundOfMessage(messages[3]).refundedFee).toBe(lower);

    // Part of the line is refunded: the order stays open with the rest still refundable.
    const state = await orderState(r.sub, order.orderId);
    expect(state.status).toBe('WAIT_SELLER_SEND_GOODS');
    expect(state.lines[line.purchaseOrderLineId]).toEqual({ refundedFee: lower, status: 'WAIT_SELLER_SEND_GOODS' });
    const rest = await r.render(r.sub, line.purchaseOrderLineId, 1, 1);
    expect(rest.body.data.saleFlag).toBe(true);
    expect(rest.body.data.refundOrderTemplate.maxRefundFee.refundFee).toBe(line.totalPrice - lower);
  });
});

describe('return and refund', () => {
  it('after shipping: 100 → 200 (address, carriers) → 300 (parcel) → seller receives → 400, credited', async () => {
    const order = await r.shippedOrder(r.sub);
    const line = only(order);
    const before = await r.balance(r.dev);
    const refund = await r.open(r.sub, line, { refundType: 2, goodsStatus: 3 });
    expect(refund.refundType).toBe(2);
    expect((await r.refund(r.sub, refund.refundId)).logistics).toBeNull();

    expect((await r.seller('agree', refund.refundId)).body.code).toBe(200);
    const agreed = await r.refund(r.sub, refund.refundId);
    expect(agreed.refundOrder.refundStatus).toBe('200');
    expect(agreed.refundOrder.timeoutType).toBe('bSendGoodsT');
    expect(agreed.refundOrder.timeoutDate).not.toBeNull();
    expect(agreed.refundOrder.refundedFee).toBe(0);
    expect(agreed.logistics?.receiverAddress?.receiver).toBeTruthy();
    expect(agreed.logistics?.logisticsNo).toBeNull();
    expect(await r.balance(r.dev)).toBe(before);

    const rendered = await r.get<ReturnRender>(
      r.sub,
      `/open/order/refund/returnLogistics/render?refundId=${refund.refundId}`,
    );
    expect(rendered.body.code, rendered.text).toBe(200);
    const ret = rendered.body.data;
    expect(ret.refundId).toBe(refund.refundId);
    expect(ret.refundStatus).toBe('200');
    const a = ret.receiverAddress;
    for (const field of ['receiver', 'phone', 'province', 'city', 'address'] as const) expect(a[field]).toBeTruthy();
    expect(a.detailAddress).toBe(`${a.province}${a.city}${a.district}${a.address}`);
    expect(agreed.logistics?.receiverAddress).toEqual({
      receiver: a.receiver,
      phone: a.phone,
      detailAddress: a.detailAddress,
    });
    expect(ret.timeoutDate).toBe(Number(agreed.refundOrder.timeoutDate));
    expect(ret.logisticsCompanies.length).toBeGreaterThan(0);
    for (const c of ret.logisticsCompanies) {
      expect(c.logisticCompanyCode).toMatch(/^[A-Z0-9]+$/);
      expect(c.logisticsCompanyName).toBeTruthy();
    }
    const carrier = ret.logisticsCompanies[0] as ReturnRender['logisticsCompanies'][number];

    const sent = await r.post<RefundData>(r.sub, '/open/order/refund/returnLogistics/submit', {
      refundId: refund.refundId,
      logisticsCompanyCode: carrier.logisticCompanyCode,
      logisticsNo: 'RT-20240501-0001',
      buyerPhone: '13800138000',
      returnGoodsDesc: 'sent back in the original box',
    });
    expect(sent.body.code, sent.text).toBe(200);
    const s = sent.body.data.refundOrderAggregate;
    expect(s.refundOrder.refundStatus).toBe('300');
    expect(s.refundOrder.timeoutType).toBe('sConfirmGoodsT');
    expect(s.logistics?.logisticsCompany).toEqual({
      logisticCompanyCode: carrier.logisticCompanyCode,
      logisticsCompanyName: carrier.logisticsCompanyName,
    });
    expect(s.logistics?.logisticsNo).toBe('RT-20240501-0001');
    expect(s.logistics?.buyerPhone).toBe('13800138000');
    expect(s.logistics?.returnGoodsDesc).toBe('sent back in the original box');
    expect(s.logistics?.returnTime).toBe(r.clock.now());
    // The render still answers once the parcel is sent, with no deadline to send it.
    const again = await r.get<ReturnRender>(
      r.sub,
      `/open/order/refund/returnLogistics/render?refundId=${refund.refundId}`,
    );
    expect(again.body.code, again.text).toBe(200);
    expect(again.body.data.refundStatus).toBe('300');
    expect(again.body.data.timeoutDate).toBeNull();
    expect(await r.balance(r.dev)).toBe(before);

    expect((await r.seller('receive-return', refund.refundId)).body.code).toBe(200);
    const done = await r.refund(r.sub, refund.refundId);
    expect(done.refundOrder.refundStatus).toBe('400');
    expect(done.refundOrder.refundedFee).toBe(line.totalPrice);
    expect(done.logistics?.logisticsNo).toBe('RT-20240501-0001');
    expect(await r.balance(r.dev)).toBe(before + line.totalPrice);

    const messages = await r.expectMessages(r.sub, refund.refundId, ['100', '200', '300', '400']);
    expect(messages[1]?.messageBody).toMatchObject({
      refundOrderAggregate: { logistics: { receiverAddress: { detailAddress: a.detailAddress } } },
    });
    expect(messages[2]?.messageBody).toMatchObject({
      refundOrderAggregate: { logistics: { logisticsNo: 'RT-20240501-0001' } },
    });
    expect(refundOfMessage(messages[3]).refundedFee).toBe(line.totalPrice);

    const state = await orderState(r.sub, order.orderId);
    expect(state.status).toBe('TRADE_CLOSED');
    expect(state.lines[line.purchaseOrderLineId]?.refundedFee).toBe(line.totalPrice);
  });
});

describe('cancelled (T20)', () => {
  it('100 → -20 with cancelSuccess, nothing credited; again: cancelSuccess false; after 400: 40901', async () => {
    const order = await r.paidOrder(r.sub);
    const line = only(order);
    const before = await r.balance(r.dev);
    const refund = await r.open(r.sub, line);

    const cancel = await r.get<RefundData>(r.sub, `/open/order/refund/cancel/${refund.refundId}`);
    expect(cancel.body.code, cancel.text).toBe(200);
    expect(cancel.body.data.cancelSuccess).toBe(true);
    expect(cancel.body.data.refundOrderAggregate.refundOrder.refundStatus).toBe('-20');
    expect(cancel.body.data.refundOrderAggregate.refundOrder.refundedFee).toBe(0);
    expect(cancel.body.data.refundOrderAggregate.refundOrder.finishTime).not.toBeNull();
    const again = await r.get<RefundData>(r.sub, `/open/order/refund/cancel/${refund.refundId}`);
    expect(again.body.code, again.text).toBe(200);
    expect(again.body.data.cancelSuccess).toBe(false);
    expect(again.body.data.refundOrderAggregate.refundOrder.refundStatus).toBe('-20');
    await r.expectMessages(r.sub, refund.refundId, ['100', '-20']);
    expect(await r.balance(r.dev)).toBe(before);
    // The seller cannot act on a closed case; nothing changes here.
    expect((await r.seller('agree', refund.refundId)).body.code).toBe(40901);
    expect((await r.refund(r.sub, refund.refundId)).refundOrder.refundStatus).toBe('-20');

    let state = await orderState(r.sub, order.orderId);
    expect(state.status).toBe('WAIT_SELLER_SEND_GOODS');
    expect(state.lines[line.purchaseOrderLineId]?.refundedFee).toBe(0);

    // A cancelled case does not block another one of the line; a refunded one cannot be cancelled.
    const second = await r.open(r.sub, line);
    expect(second.refundId).not.toBe(refund.refundId);
    expect((await r.seller('agree', second.refundId)).body.code).toBe(200);
    expectCode(await r.get(r.sub, `/open/order/refund/cancel/${second.refundId}`), 40901);
    const done = (await r.refund(r.sub, second.refundId)).refundOrder;
    expect(done.refundStatus).toBe('400');
    expect(done.refundedFee).toBe(line.totalPrice);
    await r.expectMessages(r.sub, second.refundId, ['100', '400']);
    expect(await r.balance(r.dev)).toBe(before + line.totalPrice);
    state = await orderState(r.sub, order.orderId);
    expect(state.status).toBe('TRADE_CLOSED');
  });

  it('a refused case (-10) and an agreed return (200) can be cancelled too', async () => {
    const order = await r.shippedOrder(r.sub, [r.skus[1] as Sku]);
    const line = only(order);
    const before = await r.balance(r.dev);
    const refused = await r.open(r.sub, line, { refundType: 1, goodsStatus: 2 });
    await r.seller('refuse', refused.refundId);
    const c1 = await r.get<RefundData>(r.sub, `/open/order/refund/cancel/${refused.refundId}`);
    expect(c1.body.code, c1.text).toBe(200);
    expect(c1.body.data.cancelSuccess).toBe(true);
    await r.expectMessages(r.sub, refused.refundId, ['100', '-10', '-20']);

    const ret = await r.open(r.sub, line, { refundType: 2, goodsStatus: 2 });
    await r.seller('agree', ret.refundId);
    const c2 = await r.get<RefundData>(r.sub, `/open/order/refund/cancel/${ret.refundId}`);
    expect(c2.body.code, c2.text).toBe(200);
    expect(c2.body.data.cancelSuccess).toBe(true);
    expect(c2.body.data.refundOrderAggregate.refundOrder.refundStatus).toBe('-20');
    await r.expectMessages(r.sub, ret.refundId, ['100', '200', '-20']);
    expect(await r.balance(r.dev)).toBe(before);
    const state = await orderState(r.sub, order.orderId);
    expect(state.status).toBe('WAIT_BUYER_CONFIRM_GOODS');
    expect(state.lines[line.purchaseOrderLineId]?.refundedFee).toBe(0);
  });
});

describe('timeouts', () => {
  it('the seller never answers: agreed automatically after sellerAgreeTimeoutMs, credited', async () => {
    await r.policy({ refundDecisionAfterMs: NEVER, sellerAgreeTimeoutMs: 2 * DAY });
    const order = await r.paidOrder(r.sub);
    const line = only(order);
    const before = await r.balance(r.dev);
    const refund = await r.open(r.sub, line);
    expect(Number(refund.timeoutDate)).toBe(refund.createTime + 2 * DAY);
    expect(refund.remainingTime).toBe(String(2 * DAY));

    await r.advance(2 * DAY - MINUTE);
    const waiting = (await r.refund(r.sub, refund.refundId)).refundOrder;
    expect(waiting.refundStatus).toBe('100');
    expect(waiting.remainingTime).toBe(String(MINUTE));
    expect(await r.balance(r.dev)).toBe(before);

    await r.advance(2 * MINUTE);
    const done = (await r.refund(r.sub, refund.refundId)).refundOrder;
    expect(done.refundStatus).toBe('400');
    expect(done.refundedFee).toBe(line.totalPrice);
    expect(done.finishTime).toBe(refund.createTime + 2 * DAY);
    expect(await r.balance(r.dev)).toBe(before + line.totalPrice);
    await r.expectMessages(r.sub, refund.refundId, ['100', '400']);
    const notes = await r.conversation(r.sub, refund.refundId);
    expect(notes.at(-1)?.senderType).toBe('system');
    const state = await orderState(r.sub, order.orderId);
    expect(state.status).toBe('TRADE_CLOSED');
    expect(state.lines[line.purchaseOrderLineId]?.refundedFee).toBe(line.totalPrice);
  });

  it('refused and not modified: closed (-20) after buyerModifyTimeoutMs, nothing credited', async () => {
    await r.policy({ refundDecisionAfterMs: NEVER, buyerModifyTimeoutMs: 7 * DAY });
    const order = await r.paidOrder(r.sub);
    const line = only(order);
    const before = await r.balance(r.dev);
    const refund = await r.open(r.sub, line);
    await r.seller('refuse', refund.refundId);
    const refused = (await r.refund(r.sub, refund.refundId)).refundOrder;
    expect(refused.refundStatus).toBe('-10');
    expect(Number(refused.timeoutDate)).toBe(r.clock.now() + 7 * DAY);

    await r.advance(7 * DAY - MINUTE);
    expect((await r.refund(r.sub, refund.refundId)).refundOrder.refundStatus).toBe('-10');
    await r.advance(2 * MINUTE);
    const closed = (await r.refund(r.sub, refund.refundId)).refundOrder;
    expect(closed.refundStatus).toBe('-20');
    expect(closed.refundedFee).toBe(0);
    expect(closed.timeoutType).toBeNull();
    expect(await r.balance(r.dev)).toBe(before);
    await r.expectMessages(r.sub, refund.refundId, ['100', '-10', '-20']);
    const state = await orderState(r.sub, order.orderId);
    expect(state.status).not.toBe('TRADE_CLOSED');
    expect(state.lines[line.purchaseOrderLineId]?.refundedFee).toBe(0);
  });

  it('an agreed return not sent: closed after buyerReturnTimeoutMs, nothing credited', async () => {
    await r.policy({ refundDecisionAfterMs: NEVER, buyerReturnTimeoutMs: 7 * DAY });
    const order = await r.shippedOrder(r.sub);
    const line = only(order);
    const before = await r.balance(r.dev);
    const refund = await r.open(r.sub, line, { refundType: 2, goodsStatus: 2 });
    await r.seller('agree', refund.refundId);
    expect((await r.refund(r.sub, refund.refundId)).refundOrder.refundStatus).toBe('200');

    await r.advance(7 * DAY - MINUTE);
    expect((await r.refund(r.sub, refund.refundId)).refundOrder.refundStatus).toBe('200');
    await r.advance(2 * MINUTE);
    const closed = (await r.refund(r.sub, refund.refundId)).refundOrder;
    expect(closed.refundStatus).toBe('-20');
    expect(closed.refundedFee).toBe(0);
    expect(await r.balance(r.dev)).toBe(before);
    await r.expectMessages(r.sub, refund.refundId, ['100', '200', '-20']);
    // Too late to send the parcel now.
    expectCode(
      await r.post(r.sub, '/open/order/refund/returnLogistics/submit', {
        refundId: refund.refundId,
        logisticsCompanyCode: 'ZTO',
        logisticsNo: '78561234567890',
      }),
      40901,
    );
    const state = await orderState(r.sub, order.orderId);
    expect(state.status).not.toBe('TRADE_CLOSED');
    expect(state.lines[line.purchaseOrderLineId]?.refundedFee).toBe(0);
  });

  it('the parcel sent and the seller silent: refunded after sellerReceiveTimeoutMs', async () => {
    await r.policy({ refundDecisionAfterMs: NEVER, sellerReceiveTimeoutMs: 10 * DAY, returnReceiveAfterMs: 30 * DAY });
    const order = await r.shippedOrder(r.sub);
    const line = only(order);
    const before = await r.balance(r.dev);
    const refund = await r.open(r.sub, line, { refundType: 2, goodsStatus: 2 });
    await r.seller('agree', refund.refundId);
    const render = await r.get<ReturnRender>(
      r.sub,
      `/open/order/refund/returnLogistics/render?refundId=${refund.refundId}`,
    );
    const sent = await r.post<RefundData>(r.sub, '/open/order/refund/returnLogistics/submit', {
      refundId: refund.refundId,
      logisticsCompanyCode: render.body.data.logisticsCompanies[0]?.logisticCompanyCode,
      logisticsNo: '78561234567890',
    });
    expect(sent.body.code, sent.text).toBe(200);
    const s = sent.body.data.refundOrderAggregate.refundOrder;
    expect(s.refundStatus).toBe('300');
    expect(Number(s.timeoutDate)).toBe(r.clock.now() + 10 * DAY);

    await r.advance(10 * DAY - MINUTE);
    expect((await r.refund(r.sub, refund.refundId)).refundOrder.refundStatus).toBe('300');
    expect(await r.balance(r.dev)).toBe(before);
    await r.advance(2 * MINUTE);
    const done = (await r.refund(r.sub, refund.refundId)).refundOrder;
    expect(done.refundStatus).toBe('400');
    expect(done.refundedFee).toBe(line.totalPrice);
    expect(await r.balance(r.dev)).toBe(before + line.totalPrice);
    await r.expectMessages(r.sub, refund.refundId, ['100', '200', '300', '400']);
    const state = await orderState(r.sub, order.orderId);
    expect(state.status).toBe('TRADE_CLOSED');
    expect(state.lines[line.purchaseOrderLineId]?.refundedFee).toBe(line.totalPrice);
  });
});

describe('partial refunds of an order of two lines', () => {
  /** Refunds `fee` of a line through an agreed refund only (not shipped): answers the refund. */
  async function refundPart(line: { purchaseOrderLineId: string }, fee: number) {
    const refund = await r.open(r.sub, line, { refundFee: fee });
    expect((await r.seller('agree', refund.refundId)).body.code).toBe(200);
    const done = (await r.refund(r.sub, refund.refundId)).refundOrder;
    expect(done.refundStatus).toBe('400');
    expect(done.refundedFee).toBe(fee);
    await r.expectMessages(r.sub, refund.refundId, ['100', '400']);
    return done;
  }

  for (const shops of ['one shop', 'two shops'] as const) {
    it(`${shops}: the order closes only once every line is refunded in full`, async () => {
      await r.policy({ refundDecisionAfterMs: NEVER });
      const skus = shops === 'one shop' ? await r.twoSkusOfOneShop() : [r.skus[1] as Sku, r.skus[2] as Sku];
      const order = await r.paidOrder(r.sub, skus);
      expect(order.subPurchaseOrders).toHaveLength(shops === 'one shop' ? 1 : 2);
      const [a, b] = lines(order);
      if (!a || !b) throw new Error('two lines');
      expect(a.totalPrice).toBeGreaterThan(1);
      const before = await r.balance(r.dev);

      const part = Math.floor(a.totalPrice / 2);
      await refundPart(a, part);
      let state = await orderState(r.sub, order.orderId);
      expect(state.status).toBe('WAIT_SELLER_SEND_GOODS');
      expect(state.lines[a.purchaseOrderLineId]).toEqual({ refundedFee: part, status: 'WAIT_SELLER_SEND_GOODS' });
      expect(state.lines[b.purchaseOrderLineId]).toEqual({ refundedFee: 0, status: 'WAIT_SELLER_SEND_GOODS' });
      expect(await r.balance(r.dev)).toBe(before + part);
      const rest = await r.render(r.sub, a.purchaseOrderLineId, 1, 1);
      expect(rest.body.data.refundOrderTemplate.maxRefundFee.refundFee).toBe(a.totalPrice - part);
      // No more than what is left of the line.
      const over = await r.submit(r.sub, {
        subOrderId: a.purchaseOrderLineId,
        refundType: 1,
        goodsStatus: 1,
        reasonId: rest.body.data.refundOrderTemplate.refundReasons[0]?.reasonId,
        refundFee: a.totalPrice - part + 1,
      });
      expectCode(over, 40001, 'refundFee');

      await refundPart(b, b.totalPrice);
      state = await orderState(r.sub, order.orderId);
      expect(state.status).toBe('WAIT_SELLER_SEND_GOODS');
      expect(state.lines[b.purchaseOrderLineId]).toEqual({ refundedFee: b.totalPrice, status: 'TRADE_CLOSED' });
      expect(state.lines[a.purchaseOrderLineId]?.refundedFee).toBe(part);
      expect(await r.balance(r.dev)).toBe(before + part + b.totalPrice);

      await refundPart(a, a.totalPrice - part);
      state = await orderState(r.sub, order.orderId);
      expect(state.status).toBe('TRADE_CLOSED');
      expect(state.lines[a.purchaseOrderLineId]).toEqual({ refundedFee: a.totalPrice, status: 'TRADE_CLOSED' });
      expect(state.lines[b.purchaseOrderLineId]?.refundedFee).toBe(b.totalPrice);
      await r.server.drainOutbox();
      expect(await r.balance(r.dev)).toBe(before + a.totalPrice + b.totalPrice);
      expect(await lastOrderStatus(r.sub, order.orderId)).toBe('TRADE_CLOSED');
    });
  }
});

describe('messages (T21, T23)', () => {
  it('a message with text and a picture, listed between the system’s note and the seller’s refusal', async () => {
    const order = await r.paidOrder(r.sub);
    const refund = await r.open(r.sub, only(order));
    const png = await pictureDataUrl('png');
    const sent = await r.post<Note>(r.sub, '/open/order/refund/submit/message', {
      refundId: refund.refundId,
      refundMessage: '请尽快处理, please',
      refundImages: png,
    });
    expect(sent.body.code, sent.text).toBe(200);
    const note = sent.body.data;
    expect(note.refundId).toBe(refund.refundId);
    expect(note.senderType).toBe('buyer');
    expect(note.content).toBe('请尽快处理, please');
    expect(note.images).toHaveLength(1);
    expect(note.images[0]).toMatch(new RegExp(`/files/evidence/${r.dev.developId}/[0-9a-f]{64}\\.png\\?`));
    // The link shows the picture itself.
    const link = new URL(note.images[0] as string);
    const image = await fetch(`${r.server.baseUrl}${link.pathname}${link.search}`);
    expect(image.status).toBe(200);
    expect(image.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await image.arrayBuffer())).toEqual(Buffer.from(png.split(',')[1] as string, 'base64'));

    await r.seller('refuse', refund.refundId, 'The goods are fine');
    const notes = await r.conversation(r.sub, refund.refundId);
    expect(notes.map((n) => n.senderType)).toEqual(['system', 'buyer', 'seller']);
    expect(notes[0]?.content).toContain('申请');
    expect(notes[1]).toMatchObject({ messageId: note.messageId, content: '请尽快处理, please' });
    expect(notes[1]?.images[0]?.split('?')[0]).toBe(note.images[0]?.split('?')[0]);
    expect(notes[2]?.content).toContain('The goods are fine');
    for (const [i, n] of notes.entries()) {
      expect(n.refundId).toBe(refund.refundId);
      if (i > 0) expect(n.createTime).toBeGreaterThanOrEqual(notes[i - 1]?.createTime ?? 0);
    }
    const page = await r.post<NoteList>(r.sub, '/open/order/refund/message/queryList', {
      refundId: refund.refundId,
      pageNo: 2,
      pageSize: 1,
    });
    expect(page.body.code, page.text).toBe(200);
    expect(page.body.data).toMatchObject({ total: 3, pageNo: 2, pageSize: 1 });
    expect(page.body.data.messages.map((n) => n.messageId)).toEqual([note.messageId]);

    // Closed cases still take messages; a message changes nothing of the case and writes no TM3.
    const cancel = await r.get<RefundData>(r.sub, `/open/order/refund/cancel/${refund.refundId}`);
    expect(cancel.body.data.cancelSuccess).toBe(true);
    const late = await r.post<Note>(r.sub, '/open/order/refund/submit/message', {
      refundId: refund.refundId,
      refundMessage: 'never mind',
    });
    expect(late.body.code, late.text).toBe(200);
    expect(late.body.data.images).toEqual([]);
    const all = await r.conversation(r.sub, refund.refundId);
    expect(all.at(-1)?.content).toBe('never mind');
    // The seller answers each message ten minutes later, about where the case stood.
    await r.advance(10 * MINUTE);
    const answered = await r.conversation(r.sub, refund.refundId);
    expect(answered).toHaveLength(all.length + 2);
    const replies = answered.filter((n) => !all.some((m) => m.messageId === n.messageId));
    expect(replies.map((n) => n.senderType)).toEqual(['seller', 'seller']);
    expect(replies[0]?.content).toContain('We have your message');
    expect(replies[1]?.content).toContain('This refund is closed');
    expect(answered.at(-1)?.messageId).toBe(replies[1]?.messageId);
    await r.expectMessages(r.sub, refund.refundId, ['100', '-10', '-20']);
  });
});

describe('lists (T16) and queries (T25)', () => {
  it('filters by id, order, part, status (text and number), time; pages; T25 answers what the list does', async () => {
    const made = await r.post<{ userId: string }>(r.dev, '/open/user/create', { name: 'Store for lists' });
    expect(made.body.code, made.text).toBe(200);
    const store: Credentials = { ...r.dev, userId: made.body.data.userId };
    const o1 = await r.paidOrder(store, [r.skus[0] as Sku]);
    const open = await r.open(store, only(o1));
    await r.advance(MINUTE);
    const o2 = await r.paidOrder(store, [r.skus[1] as Sku]);
    const cancelled = await r.open(store, only(o2));
    expect((await r.get(store, `/open/order/refund/cancel/${cancelled.refundId}`)).body.code).toBe(200);
    await r.advance(MINUTE);
    const o3 = await r.paidOrder(store, [r.skus[2] as Sku]);
    const refunded = await r.open(store, only(o3));
    await r.seller('agree', refunded.refundId);

    const ids = async (filters: Record<string, unknown>, who = store) => {
      const res = await r.list(who, filters);
      expect(res.body.code, res.text).toBe(200);
      return res.body.data.refundOrderAggregates.map((x) => x.refundOrder.refundId);
    };
    const all = await r.list(store, {});
    expect(all.body.code, all.text).toBe(200);
    expect(all.body.data).toMatchObject({
      total: 3,
      pageNo: 1,
      pageSize: 20,
      distributorId: r.dev.developId,
      currency: 'CNY',
    });
    // Newest first.
    expect(all.body.data.refundOrderAggregates.map((x) => x.refundOrder.refundId)).toEqual([
      refunded.refundId,
      cancelled.refundId,
      open.refundId,
    ]);
    expect(all.body.data.refundOrderAggregates.map((x) => x.refundOrder.refundStatus)).toEqual(['400', '-20', '100']);
    for (const x of all.body.data.refundOrderAggregates) expect(x.subUserId).toBe(store.userId);
    // Without a body at all, too.
    const bare = await r.server.signed<{ total: number }>(store, 'POST', '/open/order/refund/queryList');
    expect(bare.body.code, bare.text).toBe(200);
    expect(bare.body.data.total).toBe(3);

    expect(await ids({ refundId: cancelled.refundId })).toEqual([cancelled.refundId]);
    expect(await ids({ salesOrderId: o3.orderId })).toEqual([refunded.refundId]);
    expect(await ids({ purchaseOrderId: o1.subPurchaseOrders[0]?.subPurchaseOrderId })).toEqual([open.refundId]);
    expect(await ids({ salesOrderId: o3.orderId, refundStatus: '100' })).toEqual([]);
    expect(await ids({ refundStatus: '100' })).toEqual([open.refundId]);
    expect(await ids({ refundStatus: 100 })).toEqual([open.refundId]);
    expect(await ids({ refundStatus: '-20' })).toEqual([cancelled.refundId]);
    expect(await ids({ refundStatus: -20 })).toEqual([cancelled.refundId]);
    expect(await ids({ refundStatus: 400 })).toEqual([refunded.refundId]);
    expect(await ids({ refundStatus: '300' })).toEqual([]);
    expect(await ids({ refundStatus: 1 })).toEqual([]);
    expect(await ids({ refundStatus: 'closed' })).toEqual([]);
    expect(await ids({ refundStartTime: cancelled.createTime, refundEndTime: cancelled.createTime })).toEqual([
      cancelled.refundId,
    ]);
    expect(await ids({ refundStartTime: cancelled.createTime })).toEqual([refunded.refundId, cancelled.refundId]);
    expect(await ids({ refundEndTime: cancelled.createTime - 1 })).toEqual([open.refundId]);
    expect(await ids({ refundStartTime: refunded.createTime + 1 })).toEqual([]);

    const page1 = await r.list(store, { pageNo: 1, pageSize: 2 });
    expect(page1.body.data).toMatchObject({ total: 3, pageNo: 1, pageSize: 2 });
    expect(page1.body.data.refundOrderAggregates.map((x) => x.refundOrder.refundId)).toEqual([
      refunded.refundId,
      cancelled.refundId,
    ]);
    const page2 = await r.list(store, { pageNo: 2, pageSize: 2 });
    expect(page2.body.data).toMatchObject({ total: 3, pageNo: 2, pageSize: 2 });
    expect(page2.body.data.refundOrderAggregates.map((x) => x.refundOrder.refundId)).toEqual([open.refundId]);
    const page3 = await r.list(store, { pageNo: 3, pageSize: 2 });
    expect(page3.body.data.total).toBe(3);
    expect(page3.body.data.refundOrderAggregates).toEqual([]);

    // The main account sees its sub-accounts' cases; the other sub-accounts do not.
    expect(await ids({ salesOrderId: o1.orderId }, r.dev)).toEqual([open.refundId]);
    expect(await ids({ salesOrderId: o1.orderId }, r.sub)).toEqual([]);

    // T25 answers each case as the list does.
    const listed = all.body.data.refundOrderAggregates.find((x) => x.refundOrder.refundId === refunded.refundId);
    const one = await r.query(store, refunded.refundId);
    expect(one.body.code, one.text).toBe(200);
    expect(one.body.data.distributorId).toBe(r.dev.developId);
    expect(one.body.data.currency).toBe('CNY');
    expect(one.body.data.refundOrderAggregate).toEqual(listed);
    const line = only(o3);
    expect(one.body.data.refundOrderAggregate.purchaseOrderLine).toMatchObject({
      salesOrderId: o3.orderId,
      purchaseOrderId: o3.subPurchaseOrders[0]?.subPurchaseOrderId,
      purchaseOrderLineId: line.purchaseOrderLineId,
      supplierId: o3.subPurchaseOrders[0]?.supplierId,
      quantity: 1,
      totalPrice: line.totalPrice,
    });
    expect(one.body.data.refundOrderAggregate.refundOrder).toMatchObject({
      refundStatus: '400',
      refundFee: line.totalPrice,
      refundedFee: line.totalPrice,
    });

    // Leaves nothing open behind.
    expect((await r.get(store, `/open/order/refund/cancel/${open.refundId}`)).body.code).toBe(200);
  });
});
