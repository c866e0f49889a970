import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OpaqueKind } from '../../../src/platform/crypto/opaque-ids.js';
import type { Credentials } from '../../harness.js';
import { expectCode, type Sku, type TaobaoOrder } from '../orders/taobao-fixtures.js';
import {
  MINUTE,
  type Note,
  type NoteList,
  pictureDataUrl,
  type RefundAggregate,
  type RefundData,
  type RefundList,
  type RefundServer,
  type RenderData,
  type ReturnRender,
  startRefundServer,
} from '../refunds/taobao-refund-fixtures.js';

/**
 * The Taobao after-sales endpoints on v2 (T16–T25 under `/v2/taobao/order/refund/...`): the v1 lifecycles through
 * the v2 paths, with the order, its part and its line named by opaque ids (or by their v1 ids), the views
 * answering opaque ids where v1 answers its own, and opaque ids that are not this deployment's answering 40401.
 * Orders are bought through v1; the sellers act through the sandbox, as in the v1 tests.
 */
let r: RefundServer;
beforeAll(async () => {
  r = await startRefundServer();
}, 120_000);
afterAll(() => r?.close());

const V2 = '/v2/taobao/order/refund';
const OPAQUE = /^[A-Za-z0-9_-]{22,}$/;

const opaque = (kind: OpaqueKind, id: string) => r.server.deps.opaqueIds.encode(kind, id);
/** The same opaque id with one character changed: no longer one this deployment made. */
const tampered = (id: string) => `${id.slice(0, 5)}${id[5] === 'A' ? 'B' : 'A'}${id.slice(6)}`;

const lines = (order: TaobaoOrder) => order.subPurchaseOrders.flatMap((p) => p.orderLines);
const only = (order: TaobaoOrder) => {
  const all = lines(order);
  expect(all).toHaveLength(1);
  return all[0] as (typeof all)[number];
};

const render = (who: Credentials, subOrderId: string, refundType: number, goodsStatus: number) =>
  r.post<RenderData>(who, `${V2}/render`, { subOrderId, refundType, goodsStatus });
const query = (who: Credentials, refundId: string) => r.get<RefundData>(who, `${V2}/query?refundId=${refundId}`);
const aggregate = async (who: Credentials, refundId: string) => {
  const q = await query(who, refundId);
  expect(q.body.code, q.text).toBe(200);
  return q.body.data.refundOrderAggregate;
};

/** Render and submit on v2 that must succeed, naming the line by `subOrderId` as given: the new reverse order. */
async function open(
  who: Credentials,
  subOrderId: string,
  options: { refundType?: number; goodsStatus?: number; refundFee?: number } = {},
) {
  const refundType = options.refundType ?? 1;
  const goodsStatus = options.goodsStatus ?? 1;
  const rendered = await render(who, subOrderId, refundType, goodsStatus);
  expect(rendered.body.code, rendered.text).toBe(200);
  expect(rendered.body.data.saleFlag).toBe(true);
  const template = rendered.body.data.refundOrderTemplate;
  const submitted = await r.post<RefundData>(who, `${V2}/submit`, {
    subOrderId,
    refundType,
    goodsStatus,
    reasonId: template.refundReasons[0]?.reasonId,
    refundFee: options.refundFee ?? template.maxRefundFee.refundFee,
  });
  expect(submitted.body.code, submitted.text).toBe(200);
  expect(submitted.body.data.refundOrderAggregate.refundOrder.refundStatus).toBe('100');
  return submitted.body.data.refundOrderAggregate;
}

/** The aggregate's order, part and line: opaque ids of the order's v1 ids, where v1 answers the v1 ids. */
async function expectOpaqueLine(
  agg: RefundAggregate,
  order: TaobaoOrder,
  line: { purchaseOrderLineId: string },
  who: Credentials = r.sub,
) {
  const part = order.subPurchaseOrders.find((p) =>
    p.orderLines.some((l) => l.purchaseOrderLineId === line.purchaseOrderLineId),
  );
  const ids = agg.purchaseOrderLine;
  for (const id of [ids.salesOrderId, ids.purchaseOrderId, ids.purchaseOrderLineId]) expect(id).toMatch(OPAQUE);
  expect(ids).toMatchObject({
    salesOrderId: opaque('order', order.orderId),
    purchaseOrderId: opaque('order-part', part?.subPurchaseOrderId as string),
    purchaseOrderLineId: opaque('order-line', line.purchaseOrderLineId),
  });
  const v1 = await r.refund(who, agg.refundOrder.refundId);
  expect(v1.purchaseOrderLine).toMatchObject({
    salesOrderId: order.orderId,
    purchaseOrderId: part?.subPurchaseOrderId,
    purchaseOrderLineId: line.purchaseOrderLineId,
  });
  // Everything else is v1's answer as it is.
  expect({ ...agg, purchaseOrderLine: { ...agg.purchaseOrderLine, ...v1.purchaseOrderLine } }).toEqual(v1);
}

/** T14's view of an order (v1): its status and its lines' refunded amounts and statuses. */
async function orderState(orderId: string) {
  const detail = await r.detail(r.sub, orderId);
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

describe('v2 render (T17), submit (T22), query (T25): refund only, agreed', () => {
  it('names the line by its opaque id, answers opaque ids, credits the line once and closes the order', async () => {
    const order = await r.paidOrder(r.sub);
    const line = only(order);
    const lineId = opaque('order-line', line.purchaseOrderLineId);
    const before = await r.balance(r.dev);

    const rendered = await render(r.sub, lineId, 1, 1);
    expect(rendered.body.code, rendered.text).toBe(200);
    const template = rendered.body.data.refundOrderTemplate;
    // PandaPon's `RefundRenderVO`.
    expect(Object.keys(rendered.body.data).sort()).toEqual([
      'currency',
      'distributorId',
      'refundOrderTemplate',
      'saleFlag',
    ]);
    expect(template).toHaveProperty('refundReasons');
    expect(template).toHaveProperty('goodsStatusList');
    expect(rendered.body.data).toMatchObject({ saleFlag: true, distributorId: r.dev.developId, currency: 'CNY' });
    expect(template.goodsStatusList).toEqual([1]);
    expect(template.refundTypeList).toEqual([1]);
    expect(template.maxRefundFee).toMatchObject({
      minRefundFee: 1,
      refundFee: line.totalPrice,
      canEditRefundFee: true,
    });
    expect(template.refundReasons.length).toBeGreaterThan(0);
    // The marketplace's own id of the line stays as it is.
    expect(template.refundOrder.payOrderId).toBe(
      (line as typeof line & { purchaseOrderLineOuterId: string }).purchaseOrderLineOuterId,
    );
    // v1 renders the same line alike.
    const v1 = await r.render(r.sub, line.purchaseOrderLineId, 1, 1);
    expect(rendered.body.data).toEqual(v1.body.data);

    const agg = await open(r.sub, lineId);
    expect(agg.refundOrder).toMatchObject({ refundFee: line.totalPrice, refundedFee: 0, timeoutType: 'sAgreeRefundT' });
    expect(agg.refundOrder.refundId).toMatch(/^[0-9]+$/);
    await expectOpaqueLine(agg, order, line);
    expect(await r.balance(r.dev)).toBe(before);
    // The line's opaque id from the answer names it again: it is busy now.
    const busy = await render(r.sub, agg.purchaseOrderLine.purchaseOrderLineId, 1, 1);
    expect(busy.body.code, busy.text).toBe(200);
    expect(busy.body.data.saleFlag).toBe(false);

    expect((await r.seller('agree', agg.refundOrder.refundId)).body.code).toBe(200);
    const done = await aggregate(r.sub, agg.refundOrder.refundId);
    expect(done.refundOrder).toMatchObject({ refundStatus: '400', refundedFee: line.totalPrice, timeoutType: null });
    expect(done.refundOrder.finishTime).not.toBeNull();
    await expectOpaqueLine(done, order, line);
    expect(await r.balance(r.dev)).toBe(before + line.totalPrice);
    await r.expectMessages(r.sub, agg.refundOrder.refundId, ['100', '400']);
    const state = await orderState(order.orderId);
    expect(state.status).toBe('TRADE_CLOSED');
    expect(state.lines[line.purchaseOrderLineId]).toEqual({ refundedFee: line.totalPrice, status: 'TRADE_CLOSED' });

    // Nothing left to refund; events handled again credit nothing more.
    const after = await render(r.sub, lineId, 1, 1);
    expect(after.body.data).toMatchObject({ saleFlag: false });
    expect(after.body.data.refundOrderTemplate.maxRefundFee.refundFee).toBe(0);
    await r.server.drainOutbox();
    expect(await r.balance(r.dev)).toBe(before + line.totalPrice);
  });
});

describe('v2 modify (T24): refused, modified, agreed', () => {
  it('takes the line’s v1 id too; the lower amount is credited and the rest stays refundable', async () => {
    const order = await r.paidOrder(r.sub);
    const line = only(order);
    const before = await r.balance(r.dev);
    // v2 takes the v1 id of the line as well.
    const agg = await open(r.sub, line.purchaseOrderLineId);
    await expectOpaqueLine(agg, order, line);
    const refundId = agg.refundOrder.refundId;

    const reason = 'Please send a photo of the problem';
    expect((await r.seller('refuse', refundId, reason)).body.code).toBe(200);
    const refused = (await aggregate(r.sub, refundId)).refundOrder;
    expect(refused).toMatchObject({
      refundStatus: '-10',
      sellerRefuseReason: reason,
      refuseTimes: 1,
      timeoutType: 'bModifyRefundT',
      refundedFee: 0,
    });

    const lower = Math.max(1, Math.floor(line.totalPrice / 2));
    const modified = await r.post<RefundData>(r.sub, `${V2}/modify`, {
      refundId,
      refundFee: lower,
      refundDesc: 'half of it will do',
    });
    expect(modified.body.code, modified.text).toBe(200);
    const m = modified.body.data.refundOrderAggregate;
    expect(m.refundOrder).toMatchObject({
      refundStatus: '100',
      refundFee: lower,
      refundDesc: 'half of it will do',
      refuseTimes: 1,
      timeoutType: 'sAgreeRefundT',
    });
    expect(m.refundOrder.version).toBeGreaterThan(refused.version);
    await expectOpaqueLine(m, order, line);

    expect((await r.seller('agree', refundId)).body.code).toBe(200);
    const done = (await aggregate(r.sub, refundId)).refundOrder;
    expect(done).toMatchObject({ refundStatus: '400', refundFee: lower, refundedFee: lower });
    expect(await r.balance(r.dev)).toBe(before + lower);
    await r.expectMessages(r.sub, refundId, ['100', '-10', '100', '400']);
    const state = await orderState(order.orderId);
    expect(state.status).toBe('WAIT_SELLER_SEND_GOODS');
    expect(state.lines[line.purchaseOrderLineId]).toEqual({ refundedFee: lower, status: 'WAIT_SELLER_SEND_GOODS' });
    const rest = await render(r.sub, m.purchaseOrderLine.purchaseOrderLineId, 1, 1);
    expect(rest.body.data.saleFlag).toBe(true);
    expect(rest.body.data.refundOrderTemplate.maxRefundFee.refundFee).toBe(line.totalPrice - lower);
  });
});

describe('v2 return logistics render (T18) and submit (T19): return and refund', () => {
  it('200 (address, carriers) → 300 (parcel) → the seller receives → 400, credited', async () => {
    const order = await r.shippedOrder(r.sub);
    const line = only(order);
    const before = await r.balance(r.dev);
    const agg = await open(r.sub, opaque('order-line', line.purchaseOrderLineId), { refundType: 2, goodsStatus: 3 });
    const refundId = agg.refundOrder.refundId;
    expect(agg.refundOrder.refundType).toBe(2);
    expect(agg.logistics).toBeNull();

    expect((await r.seller('agree', refundId)).body.code).toBe(200);
    const agreed = await aggregate(r.sub, refundId);
    expect(agreed.refundOrder).toMatchObject({ refundStatus: '200', timeoutType: 'bSendGoodsT', refundedFee: 0 });

    const rendered = await r.get<ReturnRender>(r.sub, `${V2}/returnLogistics/render?refundId=${refundId}`);
    expect(rendered.body.code, rendered.text).toBe(200);
    const ret = rendered.body.data;
    expect(ret).toMatchObject({ refundId, refundStatus: '200', distributorId: r.dev.developId, currency: 'CNY' });
    const a = ret.receiverAddress;
    expect(a.detailAddress).toBe(`${a.province}${a.city}${a.district}${a.address}`);
    expect(agreed.logistics?.receiverAddress).toEqual({
      receiver: a.receiver,
      phone: a.phone,
      detailAddress: a.detailAddress,
    });
    expect(ret.timeoutDate).toBe(Number(agreed.refundOrder.timeoutDate));
    expect(ret.logisticsCompanies.length).toBeGreaterThan(0);
    const carrier = ret.logisticsCompanies[0] as ReturnRender['logisticsCompanies'][number];

    const sent = await r.post<RefundData>(r.sub, `${V2}/returnLogistics/submit`, {
      refundId,
      logisticsCompanyCode: carrier.logisticCompanyCode,
      logisticsNo: 'RT-20240501-0002',
      buyerPhone: '13800138000',
      returnGoodsDesc: 'sent back in the original box',
    });
    expect(sent.body.code, sent.text).toBe(200);
    const s = sent.body.data.refundOrderAggregate;
    expect(s.refundOrder).toMatchObject({ refundStatus: '300', timeoutType: 'sConfirmGoodsT' });
    expect(s.logistics).toMatchObject({
      logisticsCompany: {
        logisticCompanyCode: carrier.logisticCompanyCode,
        logisticsCompanyName: carrier.logisticsCompanyName,
      },
      logisticsNo: 'RT-20240501-0002',
      buyerPhone: '13800138000',
      returnGoodsDesc: 'sent back in the original box',
      returnTime: r.clock.now(),
    });
    await expectOpaqueLine(s, order, line);
    const again = await r.get<ReturnRender>(r.sub, `${V2}/returnLogistics/render?refundId=${refundId}`);
    expect(again.body.data).toMatchObject({ refundStatus: '300', timeoutDate: null });
    expect(await r.balance(r.dev)).toBe(before);

    expect((await r.seller('receive-return', refundId)).body.code).toBe(200);
    const done = await aggregate(r.sub, refundId);
    expect(done.refundOrder).toMatchObject({ refundStatus: '400', refundedFee: line.totalPrice });
    expect(done.logistics?.logisticsNo).toBe('RT-20240501-0002');
    expect(await r.balance(r.dev)).toBe(before + line.totalPrice);
    await r.expectMessages(r.sub, refundId, ['100', '200', '300', '400']);
    const state = await orderState(order.orderId);
    expect(state.status).toBe('TRADE_CLOSED');
    expect(state.lines[line.purchaseOrderLineId]?.refundedFee).toBe(line.totalPrice);
  });
});

describe('v2 cancel (T20)', () => {
  it('100 → -20 with cancelSuccess, nothing credited; again: cancelSuccess false', async () => {
    const order = await r.paidOrder(r.sub);
    const line = only(order);
    const before = await r.balance(r.dev);
    const agg = await open(r.sub, opaque('order-line', line.purchaseOrderLineId));
    const refundId = agg.refundOrder.refundId;

    const cancel = await r.get<RefundData>(r.sub, `${V2}/cancel/${refundId}`);
    expect(cancel.body.code, cancel.text).toBe(200);
    expect(cancel.body.data.cancelSuccess).toBe(true);
    expect(cancel.body.data.refundOrderAggregate.refundOrder).toMatchObject({ refundStatus: '-20', refundedFee: 0 });
    expect(cancel.body.data.refundOrderAggregate.refundOrder.finishTime).not.toBeNull();
    await expectOpaqueLine(cancel.body.data.refundOrderAggregate, order, line);
    const again = await r.get<RefundData>(r.sub, `${V2}/cancel/${refundId}`);
    expect(again.body.code, again.text).toBe(200);
    expect(again.body.data.cancelSuccess).toBe(false);
    expect(again.body.data.refundOrderAggregate.refundOrder.refundStatus).toBe('-20');
    await r.expectMessages(r.sub, refundId, ['100', '-20']);
    expect(await r.balance(r.dev)).toBe(before);
    // Closed: the line may have a new reverse order, of all of it.
    const fresh = await render(r.sub, agg.purchaseOrderLine.purchaseOrderLineId, 1, 1);
    expect(fresh.body.data.saleFlag).toBe(true);
    expect(fresh.body.data.refundOrderTemplate.maxRefundFee.refundFee).toBe(line.totalPrice);
  });
});

describe('v2 messages (T21, T23)', () => {
  it('a message with a picture, listed between the system’s note and the seller’s refusal; paged', async () => {
    const order = await r.paidOrder(r.sub);
    const agg = await open(r.sub, opaque('order-line', only(order).purchaseOrderLineId));
    const refundId = agg.refundOrder.refundId;
    const png = await pictureDataUrl('png', 120);
    const sent = await r.post<Note>(r.sub, `${V2}/submit/message`, {
      refundId,
      refundMessage: '请尽快处理, please',
      refundImages: png,
    });
    expect(sent.body.code, sent.text).toBe(200);
    const note = sent.body.data;
    expect(note).toMatchObject({ refundId, senderType: 'buyer', content: '请尽快处理, please' });
    expect(note.images).toHaveLength(1);
    const link = new URL(note.images[0] as string);
    const image = await fetch(`${r.server.baseUrl}${link.pathname}${link.search}`);
    expect(image.status).toBe(200);
    expect(Buffer.from(await image.arrayBuffer())).toEqual(Buffer.from(png.split(',')[1] as string, 'base64'));

    await r.seller('refuse', refundId, 'The goods are fine');
    const list = await r.post<NoteList>(r.sub, `${V2}/message/queryList`, { refundId });
    expect(list.body.code, list.text).toBe(200);
    const notes = list.body.data.messages;
    expect(notes.map((n) => n.senderType)).toEqual(['system', 'buyer', 'seller']);
    expect(notes[1]).toMatchObject({ messageId: note.messageId, content: '请尽快处理, please' });
    expect(notes[2]?.content).toContain('The goods are fine');
    expect(notes.map((n) => n.messageId)).toEqual((await r.conversation(r.sub, refundId)).map((n) => n.messageId));
    const page = await r.post<NoteList>(r.sub, `${V2}/message/queryList`, { refundId, pageNo: 2, pageSize: 1 });
    expect(page.body.data).toMatchObject({ total: 3, pageNo: 2, pageSize: 1 });
    expect(page.body.data.messages.map((n) => n.messageId)).toEqual([note.messageId]);

    expect((await r.get<RefundData>(r.sub, `${V2}/cancel/${refundId}`)).body.data.cancelSuccess).toBe(true);
    await r.expectMessages(r.sub, refundId, ['100', '-10', '-20']);
  });
});

describe('v2 list (T16) and query (T25)', () => {
  it('filters by opaque or v1 order and part ids, status, time; answers opaque ids as the query does', async () => {
    const made = await r.post<{ userId: string }>(r.dev, '/open/user/create', { name: 'Store for v2 lists' });
    expect(made.body.code, made.text).toBe(200);
    const store: Credentials = { ...r.dev, userId: made.body.data.userId };
    const o1 = await r.paidOrder(store, [r.skus[0] as Sku]);
    const first = await open(store, opaque('order-line', only(o1).purchaseOrderLineId));
    await r.advance(MINUTE);
    const o2 = await r.paidOrder(store, [r.skus[1] as Sku]);
    const second = await open(store, opaque('order-line', only(o2).purchaseOrderLineId));
    expect((await r.get(store, `${V2}/cancel/${second.refundOrder.refundId}`)).body.code).toBe(200);

    const list = (filters: Record<string, unknown>, who = store) => r.post<RefundList>(who, `${V2}/queryList`, filters);
    const ids = async (filters: Record<string, unknown>, who = store) => {
      const res = await list(filters, who);
      expect(res.body.code, res.text).toBe(200);
      return res.body.data.refundOrderAggregates.map((x) => x.refundOrder.refundId);
    };
    const all = await list({});
    expect(all.body.code, all.text).toBe(200);
    expect(all.body.data).toMatchObject({ total: 2, pageNo: 1, pageSize: 20, distributorId: r.dev.developId });
    expect(all.body.data.refundOrderAggregates.map((x) => x.refundOrder.refundId)).toEqual([
      second.refundOrder.refundId,
      first.refundOrder.refundId,
    ]);
    const [listedSecond, listedFirst] = all.body.data.refundOrderAggregates as [RefundAggregate, RefundAggregate];
    await expectOpaqueLine(listedFirst, o1, only(o1), store);
    await expectOpaqueLine(listedSecond, o2, only(o2), store);
    // The v1 list answers the v1 ids of the same cases.
    const v1 = await r.list(store, {});
    expect(v1.body.data.refundOrderAggregates.map((x) => x.purchaseOrderLine.salesOrderId)).toEqual([
      o2.orderId,
      o1.orderId,
    ]);

    // The answer's opaque ids filter, and so do the v1 ids.
    const part1 = o1.subPurchaseOrders[0]?.subPurchaseOrderId as string;
    expect(await ids({ salesOrderId: listedFirst.purchaseOrderLine.salesOrderId })).toEqual([
      first.refundOrder.refundId,
    ]);
    expect(await ids({ salesOrderId: o1.orderId })).toEqual([first.refundOrder.refundId]);
    expect(await ids({ purchaseOrderId: listedFirst.purchaseOrderLine.purchaseOrderId })).toEqual([
      first.refundOrder.refundId,
    ]);
    expect(await ids({ purchaseOrderId: part1 })).toEqual([first.refundOrder.refundId]);
    expect(await ids({ salesOrderId: opaque('order', o2.orderId), refundStatus: '-20' })).toEqual([
      second.refundOrder.refundId,
    ]);
    expect(await ids({ salesOrderId: opaque('order', o2.orderId), refundStatus: 100 })).toEqual([]);
    expect(await ids({ refundId: first.refundOrder.refundId })).toEqual([first.refundOrder.refundId]);
    expect(
      await ids({ refundStartTime: second.refundOrder.createTime, refundEndTime: second.refundOrder.createTime }),
    ).toEqual([second.refundOrder.refundId]);
    // Another sub-account sees none of them.
    expect(await ids({ salesOrderId: opaque('order', o1.orderId) }, r.sub)).toEqual([]);

    // T25 answers each case as the list does.
    const one = await query(store, first.refundOrder.refundId);
    expect(one.body.code, one.text).toBe(200);
    expect(one.body.data.refundOrderAggregate).toEqual(listedFirst);
    expect((await r.get(store, `${V2}/cancel/${first.refundOrder.refundId}`)).body.code).toBe(200);
  });
});

describe('v2 ids that are not this deployment’s', () => {
  it('a tampered or foreign opaque id answers 40401, nothing is created; PandaPon’s examples answer as published', async () => {
    const order = await r.paidOrder(r.sub);
    const line = only(order);
    const lineId = opaque('order-line', line.purchaseOrderLineId);
    const rendered = await render(r.sub, lineId, 1, 1);
    const reasonId = rendered.body.data.refundOrderTemplate.refundReasons[0]?.reasonId;
    const submit = (subOrderId: string) =>
      r.post(r.sub, `${V2}/submit`, { subOrderId, refundType: 1, goodsStatus: 1, reasonId, refundFee: 1 });

    expectCode(await render(r.sub, tampered(lineId), 1, 1), 40401);
    expectCode(await submit(tampered(lineId)), 40401);
    // Opaque ids of another kind, even of the same line's order and part, are not line ids.
    expectCode(await render(r.sub, opaque('order', line.purchaseOrderLineId), 1, 1), 40401);
    expectCode(await submit(opaque('order-part', order.subPurchaseOrders[0]?.subPurchaseOrderId as string)), 40401);
    expectCode(
      await r.post(r.sub, `${V2}/queryList`, { salesOrderId: tampered(opaque('order', order.orderId)) }),
      40401,
    );
    expectCode(await r.post(r.sub, `${V2}/queryList`, { purchaseOrderId: opaque('order', order.orderId) }), 40401);
    // Nothing was created by any of them.
    expect((await r.list(r.sub, { salesOrderId: order.orderId })).body.data.total).toBe(0);
    expect((await render(r.sub, lineId, 1, 1)).body.data.saleFlag).toBe(true);

    // PandaPon's v2 examples: a line, a reverse order that name nothing here.
    expectCode(await render(r.sub, '1795432287562383362', 1, 1), 40401);
    expectCode(await r.get(r.sub, `${V2}/cancel/1796214365581049856`), 40401);
    expectCode(await r.get(r.sub, `${V2}/query?refundId=1796214365581049856`), 40401);
  });
});
