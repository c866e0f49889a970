import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Credentials } from '../../harness.js';
import {
  AFTER_SALES,
  DAY,
  IN_SALES,
  type Operation,
  operations,
  POLICY,
  picture,
  type RefundDetail,
  type RefundMessage,
  type RefundsServer,
  startRefundsServer,
} from './alibaba-refund-fixtures.js';

/**
 * The 1688 after-sales lifecycles over HTTP (A20–A25): each path's statuses as A20 answers them step by step,
 * the AM3 messages each change writes, the money credited to the balance, and the order's state.
 */

let s: RefundsServer;
let buyer: Credentials;
beforeAll(async () => {
  s = await startRefundsServer();
  buyer = s.sub;
}, 120_000);
afterAll(() => s?.close());

/** What a step of `refundOperationList` says, without its time. */
const step = (o: Operation) => [o.operateType, o.operator, o.from, o.to];

/** The messages' actions and statuses, and checks common to every message of a refund. */
function summary(messages: RefundMessage[], refundId: string, orderId: string, type: string) {
  for (const m of messages) {
    expect(m.messageType).toBe(type);
    expect(m.messagePlatform).toBe(1);
    expect(m.objectId).toBe(refundId);
    expect(m.messageBody).toMatchObject({ refundId, orderId });
    // The body's refund is A20's detail at that version, in the status the message names.
    expect(m.messageBody.refund.refundId).toBe(refundId);
    expect(m.messageBody.refund.version).toBe(m.version);
    expect(m.messageBody.refund.status).toBe(m.messageBody.currentStatus);
  }
  const versions = messages.map((m) => m.version);
  expect(versions).toEqual([...versions].sort((a, b) => a - b));
  expect(new Set(versions).size).toBe(versions.length);
  return messages.map((m) => [m.messageBody.refundAction, m.messageBody.operator, m.messageBody.currentStatus]);
}

/** The reason ids A21 offers for a line in a goods state. */
async function reasonIds(orderId: string, goodsStatus: string, entry?: string): Promise<string[]> {
  const r = await s.reasons(buyer, { orderId, goodsStatus, ...(entry ? { orderEntryIds: [entry] } : {}) });
  expect(r.body.code, r.text).toBe(200);
  return r.body.data.reasons.map((x) => x.id);
}

describe('1688 refund only, agreed by the seller', () => {
  it('waitselleragree → refundsuccess: credits applyPayment + applyCarriage once, the order stays open', async () => {
    const order = await s.paidOrder(buyer);
    const [entry] = order.entries;
    const item = order.detail.productItems[0];
    const r21 = await s.reasons(buyer, { orderId: order.orderId, goodsStatus: 'refundWaitSellerSend' });
    expect(r21.body.code, r21.text).toBe(200);
    const max = r21.body.data.maxApplyPayment;
    expect(max).toBe(item?.itemAmount);
    expect(max).toBeGreaterThan(300);
    const before = await s.balance(s.dev);
    const applyPayment = max - 300;
    const createdAt = s.clock.now();
    const create = await s.apply(buyer, {
      orderId: order.orderId,
      disputeRequest: 'refund',
      applyPayment,
      applyCarriage: 100,
      applyReasonId: r21.body.data.reasons[0]?.id,
      description: '不想要了，请退款',
      goodsStatus: 'refundWaitSellerSend',
    });
    expect(create.body.code, create.text).toBe(200);
    expect(create.body.data.status).toBe('waitselleragree');
    const refundId = create.body.data.refundId;

    let d = await s.detailOf(buyer, refundId);
    expect(d).toMatchObject({
      refundId,
      id: refundId,
      orderId: order.orderId,
      orderEntryIdList: JSON.stringify([entry]),
      status: 'waitselleragree',
      taskStatus: 'waitselleragree',
      disputeRequest: 1,
      disputeType: 1,
      onlyRefund: true,
      refundGoods: false,
      goodsStatus: 1,
      goodsStatusCode: 'refundWaitSellerSend',
      goodsReceived: false,
      applyPayment,
      applyCarriage: 100,
      applyExpect: applyPayment + 100,
      refundPayment: null,
      refundCarriage: null,
      applyReasonId: r21.body.data.reasons[0]?.id,
      applyReason: r21.body.data.reasons[0]?.name,
      description: '不想要了，请退款',
      vouchers: [],
      rejectReason: null,
      rejectTimes: 0,
      freightBill: null,
      buyerSendGoods: false,
      sellerReceiveAddress: null,
      buyerUserId: buyer.userId,
      gmtTimeOut: createdAt + POLICY.sellerAgreeTimeoutMs,
      timeOutOperateType: 'AUTO_AGREE',
      gmtCompleted: null,
      version: 1,
    });
    expect(d.refundOuterId).toMatch(/^TQ[0-9]+$/);
    expect(operations(d).map(step)).toEqual([['BUYER_APPLY_REFUND', 'buyer', null, 'waitselleragree']]);

    // The line cannot have a second refund while this one is open.
    const open = await s.reasons(buyer, { orderId: order.orderId, goodsStatus: 'refundWaitSellerSend' });
    expect(open.body.data).toMatchObject({ refundable: false, maxApplyPayment: 0, reasons: [] });

    const agree = await s.seller(refundId, 'agree');
    expect(agree.body.code, agree.text).toBe(200);
    d = await s.detailOf(buyer, refundId);
    expect(d).toMatchObject({
      status: 'refundsuccess',
      refundPayment: applyPayment + 100,
      refundCarriage: 100,
      gmtTimeOut: null,
      timeOutOperateType: null,
      version: 2,
    });
    expect(d.gmtCompleted).toBe(s.clock.now());
    expect(operations(d).map(step)).toEqual([
      ['BUYER_APPLY_REFUND', 'buyer', null, 'waitselleragree'],
      ['SELLER_AGREE_REFUND', 'seller', 'waitselleragree', 'refundsuccess'],
    ]);
    expect(await s.balance(s.dev)).toBe(before + applyPayment + 100);

    // The marketplace told of the success twice (agreed, then succeeded), both delivered: one credit.
    const events = await s.server.admin<{ list: { type: string; delivered: boolean }[] }>(
      'GET',
      `/sandbox/events?platform=1688&refundId=${d.refundOuterId}`,
    );
    expect(events.body.data.list.map((e) => [e.type, e.delivered])).toEqual([
      ['refund.agreed', true],
      ['refund.succeeded', true],
    ]);
    await s.advance(60_000);
    expect(await s.balance(s.dev)).toBe(before + applyPayment + 100);

    expect(summary(await s.messages(buyer, refundId), refundId, order.orderId, IN_SALES)).toEqual([
      ['BUYER_APPLY_REFUND', 'buyer', 'waitselleragree'],
      ['SELLER_AGREE_REFUND', 'seller', 'refundsuccess'],
    ]);

    // The rest of the line is still open to a refund; the order is not closed.
    const after = await s.detail(buyer, order.orderId);
    expect(after.baseInfo.status).toBe('waitsellersend');
    expect(after.productItems[0]).toMatchObject({ refund: applyPayment + 100 });
    const left = await s.reasons(buyer, { orderId: order.orderId, goodsStatus: 'refundWaitSellerSend' });
    expect(left.body.data).toMatchObject({ refundable: true, maxApplyPayment: 200 });
  });
});

describe('1688 refund refused by the seller', () => {
  it('waitselleragree → waitbuyermodify → refundclose once buyerModifyTimeoutMs passed, nothing credited', async () => {
    const order = await s.paidOrder(buyer);
    const [reasonId] = await reasonIds(order.orderId, 'refundWaitSellerSend');
    const max = order.detail.productItems[0]?.itemAmount as number;
    const before = await s.balance(s.dev);
    const refundId = await s.applyOk(buyer, {
      orderId: order.orderId,
      orderEntryIds: order.entries,
      disputeRequest: 'refund',
      applyPayment: max,
      applyCarriage: 0,
      applyReasonId: Number(reasonId),
      description: '拍错了',
      goodsStatus: 'refundWaitSellerSend',
    });
    await s.advance(5 * 60_000);
    const refusedAt = s.clock.now();
    const refuse = await s.seller(refundId, 'refuse', { reason: '商品已打包，无法退款' });
    expect(refuse.body.code, refuse.text).toBe(200);
    let d = await s.detailOf(buyer, refundId);
    expect(d).toMatchObject({
      status: 'waitbuyermodify',
      rejectReason: '商品已打包，无法退款',
      rejectTimes: 1,
      refundPayment: null,
      gmtTimeOut: refusedAt + POLICY.buyerModifyTimeoutMs,
      timeOutOperateType: 'AUTO_CLOSE',
      gmtCompleted: null,
      version: 2,
    });
    expect(operations(d).at(-1)).toMatchObject({
      operateType: 'SELLER_REFUSE_REFUND',
      operator: 'seller',
      from: 'waitselleragree',
      to: 'waitbuyermodify',
      gmtCreate: refusedAt,
      remark: '商品已打包，无法退款',
    });
    // Refused is still open: no other refund of the line meanwhile.
    const open = await s.reasons(buyer, { orderId: order.orderId, goodsStatus: 'refundWaitSellerSend' });
    expect(open.body.data.refundable).toBe(false);

    // 1688's contract has no modify endpoint: the refusal stands until it times out.
    await s.advance(POLICY.buyerModifyTimeoutMs - 60_000);
    expect((await s.detailOf(buyer, refundId)).status).toBe('waitbuyermodify');
    await s.advance(2 * 60_000);
    d = await s.detailOf(buyer, refundId);
    expect(d).toMatchObject({
      status: 'refundclose',
      rejectTimes: 1,
      refundPayment: null,
      gmtTimeOut: null,
      timeOutOperateType: null,
      gmtCompleted: refusedAt + POLICY.buyerModifyTimeoutMs,
      version: 3,
    });
    expect(operations(d).map(step)).toEqual([
      ['BUYER_APPLY_REFUND', 'buyer', null, 'waitselleragree'],
      ['SELLER_REFUSE_REFUND', 'seller', 'waitselleragree', 'waitbuyermodify'],
      ['SYSTEM_CLOSE_REFUND', 'system', 'waitbuyermodify', 'refundclose'],
    ]);
    expect(summary(await s.messages(buyer, refundId), refundId, order.orderId, IN_SALES)).toEqual([
      ['BUYER_APPLY_REFUND', 'buyer', 'waitselleragree'],
      ['SELLER_REFUSE_REFUND', 'seller', 'waitbuyermodify'],
      ['SYSTEM_CLOSE_REFUND', 'system', 'refundclose'],
    ]);
    expect(await s.balance(s.dev)).toBe(before);
    // Closed: the line may have a new refund, of all of it.
    const again = await s.reasons(buyer, {
      orderId: order.orderId,
      orderEntryIds: order.entries,
      goodsStatus: 'refundWaitBuyerReceive',
    });
    expect(again.body.code, again.text).toBe(200);
    expect(again.body.data).toMatchObject({ refundable: true, maxApplyPayment: max });
  });
});

describe('1688 return and refund after shipping', () => {
  it('waitbuyersend (the seller’s address) → A24 → waitsellerreceive → received → refundsuccess', async () => {
    const order = await s.shippedOrder(buyer);
    const r21 = await s.reasons(buyer, { orderId: order.orderId, goodsStatus: 'refundBuyerReceived' });
    expect(r21.body.code, r21.text).toBe(200);
    expect(r21.body.data.disputeRequestList).toEqual(['refund', 'returnRefund']);
    const reason = r21.body.data.reasons.find((x) => !x.needVoucher);
    const amount = r21.body.data.maxApplyPayment;
    const before = await s.balance(s.dev);
    const refundId = await s.applyOk(buyer, {
      orderId: order.orderId,
      disputeRequest: 'returnRefund',
      applyPayment: amount - 50,
      applyCarriage: 50,
      applyReasonId: reason?.id,
      description: '不想要了，退货',
      goodsStatus: 'refundBuyerReceived',
      orderEntryCountList: [{ id: order.entries[0], count: 1 }],
    });
    let d = await s.detailOf(buyer, refundId);
    expect(d).toMatchObject({
      status: 'waitselleragree',
      disputeRequest: 2,
      disputeType: 1,
      onlyRefund: false,
      refundGoods: true,
      goodsStatus: 3,
      goodsStatusCode: 'refundBuyerReceived',
      goodsReceived: true,
      orderEntryCountMap: JSON.stringify({ [order.entries[0] as string]: 1 }),
      sellerReceiveAddress: null,
    });

    // A parcel cannot go back before the seller agreed.
    const early = await s.sendBack(buyer, { refundId, logisticsCompanyNo: 'SF', freightBill: 'SF1234567890' });
    expect(early.body.code, early.text).toBe(40901);

    const agreedAt = s.clock.now();
    expect((await s.seller(refundId, 'agree')).body.code).toBe(200);
    d = await s.detailOf(buyer, refundId);
    expect(d).toMatchObject({
      status: 'waitbuyersend',
      refundPayment: null,
      freightBill: null,
      buyerSendGoods: false,
      gmtTimeOut: agreedAt + POLICY.buyerReturnTimeoutMs,
      timeOutOperateType: 'AUTO_CLOSE',
      version: 2,
    });
    expect(d.sellerReceiveAddress).toMatch(/售后仓$/);
    expect(d.sellerRealName).toMatch(/售后部$/);
    expect(d.sellerMobile).toMatch(/^1[0-9]{10}$/);

    await s.advance(DAY);
    const carriers = await s.carriers(buyer);
    const companyNo = carriers.includes('ZTO') ? 'ZTO' : (carriers[0] as string);
    const sentAt = s.clock.now();
    const sent = await s.sendBack(buyer, {
      refundId,
      logisticsCompanyNo: companyNo,
      freightBill: 'ZT-7788990011',
      description: '已寄回，请查收',
    });
    expect(sent.body.code, sent.text).toBe(200);
    expect(sent.body.data).toEqual({ success: true, errorCode: null, errorInfo: null });
    d = await s.detailOf(buyer, refundId);
    expect(d).toMatchObject({
      status: 'waitsellerreceive',
      freightBill: 'ZT-7788990011',
      buyerSendGoods: true,
      gmtTimeOut: sentAt + POLICY.sellerReceiveTimeoutMs,
      refundPayment: null,
      version: 3,
    });
    expect(d.buyerLogisticsName).toMatch(/[\u4e00-\u9fff]/);
    // The address stays on the refund once the parcel is sent.
    expect(d.sellerReceiveAddress).toMatch(/售后仓$/);
    // The same parcel cannot be sent twice.
    const twice = await s.sendBack(buyer, { refundId, logisticsCompanyNo: companyNo, freightBill: 'ZT-7788990011' });
    expect(twice.body.code, twice.text).toBe(40901);
    expect(await s.balance(s.dev)).toBe(before);

    await s.advance(DAY);
    expect((await s.seller(refundId, 'receive-return')).body.code).toBe(200);
    d = await s.detailOf(buyer, refundId);
    expect(d).toMatchObject({
      status: 'refundsuccess',
      refundPayment: amount,
      refundCarriage: 50,
      gmtTimeOut: null,
      gmtCompleted: s.clock.now(),
      version: 4,
    });
    expect(operations(d).map(step)).toEqual([
      ['BUYER_APPLY_REFUND', 'buyer', null, 'waitselleragree'],
      ['SELLER_AGREE_REFUND', 'seller', 'waitselleragree', 'waitbuyersend'],
      ['BUYER_SEND_GOODS', 'buyer', 'waitbuyersend', 'waitsellerreceive'],
      ['SELLER_RECEIVE_GOODS', 'seller', 'waitsellerreceive', 'refundsuccess'],
    ]);
    expect(summary(await s.messages(buyer, refundId), refundId, order.orderId, IN_SALES)).toEqual([
      ['BUYER_APPLY_REFUND', 'buyer', 'waitselleragree'],
      ['SELLER_AGREE_REFUND', 'seller', 'waitbuyersend'],
      ['BUYER_SEND_GOODS', 'buyer', 'waitsellerreceive'],
      ['SELLER_RECEIVE_GOODS', 'seller', 'refundsuccess'],
    ]);
    expect(await s.balance(s.dev)).toBe(before + amount);
    // The whole line came back: the one-line order closes.
    const after = await s.detail(buyer, order.orderId);
    expect(after.baseInfo.status).toBe('cancel');
    expect(after.productItems[0]?.refund).toBe(amount);
  });
});

describe('1688 refunds that time out', () => {
  it('a seller who says nothing: agreed automatically after sellerAgreeTimeoutMs, and credited', async () => {
    const order = await s.paidOrder(buyer);
    const [reasonId] = await reasonIds(order.orderId, 'refundWaitSellerSend');
    const amount = order.detail.productItems[0]?.itemAmount as number;
    const before = await s.balance(s.dev);
    const createdAt = s.clock.now();
    const refundId = await s.applyOk(buyer, {
      orderId: order.orderId,
      disputeRequest: 'refund',
      applyPayment: amount - 1,
      applyCarriage: 0,
      applyReasonId: reasonId,
      description: '卖家缺货',
      goodsStatus: 'refundWaitSellerSend',
    });
    expect((await s.detailOf(buyer, refundId)).gmtTimeOut).toBe(createdAt + POLICY.sellerAgreeTimeoutMs);
    await s.advance(POLICY.sellerAgreeTimeoutMs - 60_000);
    expect((await s.detailOf(buyer, refundId)).status).toBe('waitselleragree');
    expect(await s.balance(s.dev)).toBe(before);
    await s.advance(2 * 60_000);
    const d = await s.detailOf(buyer, refundId);
    expect(d).toMatchObject({
      status: 'refundsuccess',
      refundPayment: amount - 1,
      gmtCompleted: createdAt + POLICY.sellerAgreeTimeoutMs,
      gmtTimeOut: null,
    });
    expect(operations(d).at(-1)).toMatchObject({
      operateType: 'SYSTEM_AGREE_REFUND',
      operator: 'system',
      from: 'waitselleragree',
      to: 'refundsuccess',
    });
    expect(summary(await s.messages(buyer, refundId), refundId, order.orderId, IN_SALES)).toEqual([
      ['BUYER_APPLY_REFUND', 'buyer', 'waitselleragree'],
      ['SYSTEM_AGREE_REFUND', 'system', 'refundsuccess'],
    ]);
    expect(await s.balance(s.dev)).toBe(before + amount - 1);
    // One fen is left: the line and the order stay open.
    expect((await s.detail(buyer, order.orderId)).baseInfo.status).not.toBe('cancel');
  });

  it('an agreed return never sent: closed after buyerReturnTimeoutMs, nothing credited', async () => {
    const order = await s.shippedOrder(buyer);
    const [reasonId] = await reasonIds(order.orderId, 'refundWaitBuyerReceive');
    const before = await s.balance(s.dev);
    const refundId = await s.applyOk(buyer, {
      orderId: order.orderId,
      disputeRequest: 'returnRefund',
      applyPayment: 500,
      applyCarriage: 0,
      applyReasonId: reasonId,
      description: '不想要了',
      goodsStatus: 'refundWaitBuyerReceive',
    });
    const agreedAt = s.clock.now();
    await s.seller(refundId, 'agree');
    expect(await s.detailOf(buyer, refundId)).toMatchObject({
      status: 'waitbuyersend',
      gmtTimeOut: agreedAt + POLICY.buyerReturnTimeoutMs,
      timeOutOperateType: 'AUTO_CLOSE',
    });
    await s.advance(POLICY.buyerReturnTimeoutMs - 60_000);
    expect((await s.detailOf(buyer, refundId)).status).toBe('waitbuyersend');
    await s.advance(2 * 60_000);
    const d = await s.detailOf(buyer, refundId);
    expect(d).toMatchObject({ status: 'refundclose', refundPayment: null, freightBill: null, gmtTimeOut: null });
    expect(operations(d).map(step)).toEqual([
      ['BUYER_APPLY_REFUND', 'buyer', null, 'waitselleragree'],
      ['SELLER_AGREE_REFUND', 'seller', 'waitselleragree', 'waitbuyersend'],
      ['SYSTEM_CLOSE_REFUND', 'system', 'waitbuyersend', 'refundclose'],
    ]);
    expect(summary(await s.messages(buyer, refundId), refundId, order.orderId, IN_SALES)).toEqual([
      ['BUYER_APPLY_REFUND', 'buyer', 'waitselleragree'],
      ['SELLER_AGREE_REFUND', 'seller', 'waitbuyersend'],
      ['SYSTEM_CLOSE_REFUND', 'system', 'refundclose'],
    ]);
    expect(await s.balance(s.dev)).toBe(before);
    // Too late for the parcel now.
    const late = await s.sendBack(buyer, { refundId, logisticsCompanyNo: 'SF', freightBill: 'SF0000000001' });
    expect(late.body.code, late.text).toBe(40901);
  });

  it('a parcel sent that the seller never confirms: refunded after sellerReceiveTimeoutMs', async () => {
    const order = await s.shippedOrder(buyer);
    const [reasonId] = await reasonIds(order.orderId, 'refundWaitBuyerReceive');
    const before = await s.balance(s.dev);
    const refundId = await s.applyOk(buyer, {
      orderId: order.orderId,
      disputeRequest: 'returnRefund',
      applyPayment: 700,
      applyCarriage: 30,
      applyReasonId: reasonId,
      description: '不想要了',
      goodsStatus: 'refundWaitBuyerReceive',
    });
    await s.seller(refundId, 'agree');
    const sentAt = s.clock.now();
    const sent = await s.sendBack(buyer, { refundId, logisticsCompanyNo: 'SF', freightBill: 'SF1000200030' });
    expect(sent.body.code, sent.text).toBe(200);
    expect((await s.detailOf(buyer, refundId)).gmtTimeOut).toBe(sentAt + POLICY.sellerReceiveTimeoutMs);
    await s.advance(POLICY.sellerReceiveTimeoutMs - 60_000);
    expect((await s.detailOf(buyer, refundId)).status).toBe('waitsellerreceive');
    expect(await s.balance(s.dev)).toBe(before);
    await s.advance(2 * 60_000);
    const d = await s.detailOf(buyer, refundId);
    expect(d).toMatchObject({
      status: 'refundsuccess',
      refundPayment: 730,
      refundCarriage: 30,
      freightBill: 'SF1000200030',
    });
    expect(operations(d).at(-1)).toMatchObject({
      operateType: 'SYSTEM_RECEIVE_GOODS',
      operator: 'system',
      from: 'waitsellerreceive',
      to: 'refundsuccess',
    });
    expect(summary(await s.messages(buyer, refundId), refundId, order.orderId, IN_SALES).map((m) => m[0])).toEqual([
      'BUYER_APPLY_REFUND',
      'SELLER_AGREE_REFUND',
      'BUYER_SEND_GOODS',
      'SYSTEM_RECEIVE_GOODS',
    ]);
    expect(await s.balance(s.dev)).toBe(before + 730);
  });
});

describe('1688 refunds after the trade succeeded', () => {
  it('write AFTER_SALES messages; refunding every line in full closes the order (cancel)', async () => {
    const order = await s.finishedOrder(buyer, { lines: 2 });
    const [first, second] = order.entries as [string, string];
    const before = await s.balance(s.dev);
    const max = async (entry: string) => {
      const r = await s.reasons(buyer, {
        orderId: order.orderId,
        orderEntryIds: [entry],
        goodsStatus: 'aftersaleBuyerReceived',
      });
      expect(r.body.code, r.text).toBe(200);
      return r.body.data;
    };
    const one = await max(first);
    expect(one.maxApplyPayment).toBe(order.detail.productItems[0]?.itemAmount);
    const firstId = await s.applyOk(buyer, {
      orderId: order.orderId,
      orderEntryIds: [first],
      disputeRequest: 'refund',
      applyPayment: one.maxApplyPayment - 200,
      applyCarriage: 200,
      applyReasonId: one.reasons.find((x) => !x.needVoucher)?.id,
      description: '收到了但不想要了',
      goodsStatus: 'aftersaleBuyerReceived',
    });
    expect(await s.detailOf(buyer, firstId)).toMatchObject({
      disputeType: 2,
      goodsStatus: 3,
      goodsStatusCode: 'aftersaleBuyerReceived',
      orderEntryIdList: JSON.stringify([first]),
    });
    await s.seller(firstId, 'agree');
    expect((await s.detailOf(buyer, firstId)).refundPayment).toBe(one.maxApplyPayment);
    let detail = await s.detail(buyer, order.orderId);
    // One line refunded in full: the line closes, the order does not.
    expect(detail.baseInfo.status).toBe('success');
    expect(detail.productItems.map((i) => i.refund)).toEqual([one.maxApplyPayment, 0]);
    expect(await max(first)).toMatchObject({ refundable: false, maxApplyPayment: 0 });

    const two = await max(second);
    const secondId = await s.applyOk(buyer, {
      orderId: order.orderId,
      orderEntryIds: [second],
      disputeRequest: 'refund',
      applyPayment: two.maxApplyPayment,
      applyCarriage: 0,
      applyReasonId: two.reasons[0]?.id,
      description: '一起退了',
      goodsStatus: 'aftersaleBuyerReceived',
    });
    await s.seller(secondId, 'agree');
    detail = await s.detail(buyer, order.orderId);
    expect(detail.baseInfo.status).toBe('cancel');
    expect(detail.baseInfo.refund).toBe(one.maxApplyPayment + two.maxApplyPayment);
    expect(await s.balance(s.dev)).toBe(before + one.maxApplyPayment + two.maxApplyPayment);
    const orderMessages = await s.messageTypes(buyer, order.orderId);
    expect(orderMessages.at(-1)).toBe('ORDER_BUYER_VIEW_ORDER_SELLER_CLOSE');
    expect(orderMessages.filter((t) => t === 'ORDER_BUYER_VIEW_ORDER_SELLER_CLOSE')).toHaveLength(1);

    for (const [id, reasonless] of [
      [firstId, true],
      [secondId, false],
    ] as const) {
      const messages = await s.messages(buyer, id);
      expect(summary(messages, id, order.orderId, AFTER_SALES), String(reasonless)).toEqual([
        ['BUYER_APPLY_REFUND', 'buyer', 'waitselleragree'],
        ['SELLER_AGREE_REFUND', 'seller', 'refundsuccess'],
      ]);
      for (const m of messages) expect(m.messageBody.refund.disputeType).toBe(2);
    }
    // A closed order takes no more refunds.
    const closed = await s.apply(buyer, {
      orderId: order.orderId,
      orderEntryIds: [first],
      disputeRequest: 'refund',
      applyPayment: 1,
      applyCarriage: 0,
      applyReasonId: one.reasons[0]?.id,
      description: '再退一次',
      goodsStatus: 'aftersaleBuyerReceived',
    });
    expect(closed.body.code, closed.text).toBe(40901);
  });

  it('a refund made before the trade succeeded keeps IN_SALES messages after it succeeds', async () => {
    const order = await s.shippedOrder(buyer);
    const [reasonId] = await reasonIds(order.orderId, 'refundWaitBuyerReceive');
    const refundId = await s.applyOk(buyer, {
      orderId: order.orderId,
      disputeRequest: 'refund',
      applyPayment: 100,
      applyCarriage: 0,
      applyReasonId: reasonId,
      description: '少发了一件',
      goodsStatus: 'refundWaitBuyerReceive',
    });
    const confirm = await s.post(buyer, '/alibaba/order/receive/confirm', { orderId: order.orderId });
    expect(confirm.body.code, confirm.text).toBe(200);
    await s.advance(POLICY.finishAfterMs + 60_000);
    expect((await s.detail(buyer, order.orderId)).baseInfo.status).toBe('success');
    await s.seller(refundId, 'agree');
    expect(await s.detailOf(buyer, refundId)).toMatchObject({ status: 'refundsuccess', disputeType: 1 });
    expect(summary(await s.messages(buyer, refundId), refundId, order.orderId, IN_SALES)).toHaveLength(2);
  });
});

describe('1688 refund vouchers', () => {
  it('A22 pictures passed in A23 come back in A20 as signed links that show them', async () => {
    const order = await s.shippedOrder(buyer);
    const r21 = await s.reasons(buyer, { orderId: order.orderId, goodsStatus: 'refundWaitBuyerReceive' });
    const reason = r21.body.data.reasons.find((x) => x.needVoucher);
    expect(reason).toBeDefined();
    const png = await s.upload(buyer, 'png', 11);
    const jpeg = await s.upload(buyer, 'jpeg', 12);
    expect(png.contentType).toBe('image/png');
    expect(jpeg.contentType).toBe('image/jpeg');
    const refundId = await s.applyOk(buyer, {
      orderId: order.orderId,
      disputeRequest: 'refund',
      applyPayment: 300,
      applyCarriage: 0,
      applyReasonId: reason?.id,
      description: '质量问题，见图',
      goodsStatus: 'refundWaitBuyerReceive',
      // The relative path alone, and with its domain.
      vouchers: [png.imageRelativeUrl, `${jpeg.imageDomain}${jpeg.imageRelativeUrl}`],
    });
    const d: RefundDetail = await s.detailOf(buyer, refundId);
    expect(d.vouchers).toHaveLength(2);
    const expected = [
      { upload: png, bytes: await picture('png', 11), type: 'image/png' },
      { upload: jpeg, bytes: await picture('jpeg', 12), type: 'image/jpeg' },
    ];
    for (const [i, url] of d.vouchers.entries()) {
      const want = expected[i];
      expect(url.startsWith(`${want?.upload.imageDomain}${want?.upload.imageRelativeUrl}?`)).toBe(true);
      // A plain GET, without any of the API's signing headers.
      const res = await fetch(url);
      expect(res.status, url).toBe(200);
      expect(res.headers.get('content-type')).toBe(want?.type);
      expect(Buffer.from(await res.arrayBuffer()).equals(want?.bytes as Buffer)).toBe(true);
      const link = new URL(url);
      const signature = link.searchParams.get('signature') as string;
      link.searchParams.set('signature', `${signature.startsWith('A') ? 'B' : 'A'}${signature.slice(1)}`);
      expect((await fetch(link)).status).toBe(403);
      const later = new URL(url);
      later.searchParams.set('expires', String(Number(later.searchParams.get('expires')) + 3600));
      expect((await fetch(later)).status).toBe(403);
    }
    // The message carries the same pictures, as links too.
    const [message] = await s.messages(buyer, refundId);
    expect(message?.messageBody.refund.vouchers).toHaveLength(2);
    expect((await fetch(message?.messageBody.refund.vouchers[0] as string)).status).toBe(200);
  });
});

describe('A21 reasons', () => {
  it('offers refund only before shipping, both types after; reasons per state; the line’s maximum', async () => {
    const paid = await s.paidOrder(buyer);
    const before = await s.reasons(buyer, {
      orderId: paid.orderId,
      goodsStatus: 'refundWaitSellerSend',
      language: 'en',
    });
    expect(before.body.code, before.text).toBe(200);
    expect(before.body.data).toMatchObject({
      orderEntryId: paid.entries[0],
      goodsStatusList: ['refundWaitSellerSend'],
      disputeRequestList: ['refund'],
      maxApplyPayment: paid.detail.productItems[0]?.itemAmount,
      refundable: true,
    });
    expect(before.body.data.reasons.length).toBeGreaterThan(0);
    for (const x of before.body.data.reasons) {
      expect(x.name).toMatch(/[\u4e00-\u9fff]/);
      expect(x.nameTrans).toMatch(/^[A-Za-z]/);
      expect(x.needVoucher).toBe(false);
      expect(x.noRefundCarriage).toBe(false);
    }
    // The same request in Chinese names the same reasons in Chinese.
    const zh = await s.reasons(buyer, { orderId: paid.orderId, goodsStatus: 'refundWaitSellerSend', language: 'zh' });
    expect(zh.body.data.reasons.map((x) => [x.id, x.nameTrans])).toEqual(
      before.body.data.reasons.map((x) => [x.id, x.name]),
    );

    // The shipped words do not fit goods not shipped yet.
    const early = await s.reasons(buyer, { orderId: paid.orderId, goodsStatus: 'aftersaleBuyerReceived' });
    expect(early.body.code, early.text).toBe(40001);
    expect(early.body.msg).toContain('parameter goodsStatus:');

    const shipped = await s.shippedOrder(buyer);
    const after = await s.reasons(buyer, { orderId: shipped.orderId, goodsStatus: 'refundWaitBuyerReceive' });
    expect(after.body.code, after.text).toBe(200);
    expect(after.body.data.disputeRequestList).toEqual(['refund', 'returnRefund']);
    expect(after.body.data.goodsStatusList).not.toContain('refundWaitSellerSend');
    expect(after.body.data.goodsStatusList).toEqual(
      expect.arrayContaining(['refundWaitBuyerReceive', 'refundBuyerReceived']),
    );
    const ids = (r: typeof after) => r.body.data.reasons.map((x) => x.id);
    expect(ids(after).some((id) => ids(before).includes(id))).toBe(false);
    expect(after.body.data.reasons.some((x) => x.needVoucher)).toBe(true);
    // What needs no proof of a problem does not refund the shipping of shipped goods.
    for (const x of after.body.data.reasons) expect(x.noRefundCarriage).toBe(!x.needVoucher);
    // Nor does the not-shipped word fit shipped goods.
    const wrong = await s.reasons(buyer, { orderId: shipped.orderId, goodsStatus: 'refundWaitSellerSend' });
    expect(wrong.body.code, wrong.text).toBe(40001);
    expect(wrong.body.msg).toContain('parameter goodsStatus:');

    // Once a refund is open the line is not refundable; a two-line order needs the sub-order named.
    const two = await s.paidOrder(buyer, { lines: 2 });
    const none = await s.reasons(buyer, { orderId: two.orderId, goodsStatus: 'refundWaitSellerSend' });
    expect(none.body.code, none.text).toBe(40001);
    expect(none.body.msg).toContain('parameter orderEntryIds:');
    const [reasonId] = await reasonIds(two.orderId, 'refundWaitSellerSend', two.entries[1]);
    await s.applyOk(buyer, {
      orderId: two.orderId,
      orderEntryIds: [two.entries[1]],
      disputeRequest: 'refund',
      applyPayment: 10,
      applyCarriage: 0,
      applyReasonId: reasonId,
      description: '多拍了',
      goodsStatus: 'refundWaitSellerSend',
    });
    const lines = await Promise.all(
      two.entries.map(async (entry) => {
        const r = await s.reasons(buyer, {
          orderId: two.orderId,
          orderEntryIds: [entry],
          goodsStatus: 'refundWaitSellerSend',
        });
        expect(r.body.code, r.text).toBe(200);
        return r.body.data;
      }),
    );
    expect(lines.map((l) => [l.orderEntryId, l.refundable])).toEqual([
      [two.entries[0], true],
      [two.entries[1], false],
    ]);
    expect(lines[0]?.maxApplyPayment).toBe(two.detail.productItems[0]?.itemAmount);
    expect(lines[1]).toMatchObject({ maxApplyPayment: 0, reasons: [] });
  });
});
