import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Credentials } from '../../harness.js';
import { expectCode, type Sku, type TaobaoOrder } from '../orders/taobao-fixtures.js';
import {
  type Note,
  oversizePictureDataUrl,
  pictureDataUrl,
  type RefundData,
  type RefundList,
  type RefundServer,
  startRefundServer,
} from './taobao-refund-fixtures.js';

/**
 * The Taobao after-sales routes' refusals (T16–T25): their documented example requests as published, each error code
 * each route declares, the fields a 40001 names, evidence pictures refused with nothing recorded, and a retried
 * submit that makes one reverse order.
 */
let r: RefundServer;
/** A paid order the seller has not shipped, one the seller has shipped, and one never paid (all of `r.sub`). */
let paid: TaobaoOrder;
let shipped: TaobaoOrder;
let unpaid: TaobaoOrder;
/** Pictures as `data:` URLs. */
let png: string;
let webp: string;
let oversize: string;
const text = `data:text/plain;base64,${Buffer.from('not a picture at all').toString('base64')}`;
/** A picture another developer uploaded (its path). */
let othersPicture: string;
/** A picture the developer uploaded (its path). */
let ownPicture: string;

beforeAll(async () => {
  r = await startRefundServer();
  png = await pictureDataUrl('png');
  webp = await pictureDataUrl('webp');
  oversize = await oversizePictureDataUrl();
  shipped = await r.shippedOrder(r.sub, [r.skus[1] as Sku]);
  paid = await r.paidOrder(r.sub, [r.skus[0] as Sku]);
  unpaid = await r.order(r.sub, [r.skus[2] as Sku]);
  const upload = async (who: Credentials, picture: string) => {
    const u = await r.post<{ imageRelativeUrl: string }>(who, '/alibaba/refund/voucher/upload', {
      imageBase64: picture,
    });
    expect(u.body.code, u.text).toBe(200);
    return u.body.data.imageRelativeUrl;
  };
  othersPicture = await upload(r.other, await pictureDataUrl('jpeg', 10));
  ownPicture = await upload(r.dev, await pictureDataUrl('jpeg', 20));
}, 120_000);
afterAll(() => r?.close());

const lineOf = (order: TaobaoOrder) =>
  order.subPurchaseOrders[0]?.orderLines[0] as TaobaoOrder['subPurchaseOrders'][number]['orderLines'][number];
const notShippedReason = '150013';
const shippedReason = '403769';

/** How many reverse orders the developer has (T16 as the main account). */
async function total(): Promise<number> {
  const res = await r.list(r.dev, {});
  expect(res.body.code, res.text).toBe(200);
  return res.body.data.total;
}

/** A valid submit body for the unshipped paid order's line, with `change` applied. */
const submitBody = (change: Record<string, unknown> = {}) => ({
  subOrderId: lineOf(paid).purchaseOrderLineId,
  refundType: 1,
  goodsStatus: 1,
  reasonId: notShippedReason,
  refundFee: lineOf(paid).totalPrice,
  ...change,
});

/** The refusals of evidence pictures, whatever route takes them under `field`. */
const PICTURE_CASES = (field: string) => [
  { name: 'over 1 MB', value: () => [oversize], names: `${field}[0]` },
  { name: 'a text file as a data URL', value: () => [text], names: `${field}[0]` },
  { name: 'a WebP picture', value: () => [webp], names: `${field}[0]` },
  { name: 'the second of a comma-separated string is WebP', value: () => `${png},${webp}`, names: `${field}[1]` },
  { name: 'more than 10', value: () => Array.from({ length: 11 }, () => png), names: field },
  { name: 'another developer’s picture', value: () => [othersPicture], names: `${field}[0]` },
  {
    name: 'a path that names nothing uploaded',
    value: () => [`evidence/${r.dev.developId}/${'0'.repeat(64)}.png`],
    names: `${field}[0]`,
  },
  { name: 'a path of no upload at all', value: () => ['https://example.com/a.png'], names: `${field}[0]` },
];

describe('the documented example requests, as published', () => {
  it('T16: answers 200 with an empty list', async () => {
    const res = await r.post<RefundList>(r.sub, '/open/order/refund/queryList', {
      refundId: '111',
      purchaseOrderId: '111',
      salesOrderId: '11111',
      refundStatus: 1,
      refundStartTime: 121312131313,
      refundEndTime: 3323232,
      pageNo: 1,
      pageSize: 1,
    });
    expect(res.body.code, res.text).toBe(200);
    expect(res.body.data).toEqual({
      total: 0,
      pageNo: 1,
      pageSize: 1,
      distributorId: r.dev.developId,
      currency: 'CNY',
      refundOrderAggregates: [],
    });
  });

  it('T20 with refundId 110000235001: 40401', async () => {
    expectCode(await r.get(r.sub, '/open/order/refund/cancel/110000235001'), 40401);
  });

  it('T21 {"refundId":"110000235001","refundMessage":…}: 40401', async () => {
    expectCode(
      await r.post(r.sub, '/open/order/refund/submit/message', {
        refundId: '110000235001',
        refundMessage: '请尽快处理',
      }),
      40401,
    );
  });
});

describe('T16 list', () => {
  it('refuses unknown fields and out-of-range paging, naming them', async () => {
    expectCode(await r.list(r.sub, { orderId: '1' }), 40001, 'orderId');
    expectCode(await r.list(r.sub, { pageSize: 51 }), 40001, 'pageSize');
    expectCode(await r.list(r.sub, { pageNo: 0 }), 40001, 'pageNo');
    expectCode(await r.list(r.sub, { refundStartTime: -1 }), 40001, 'refundStartTime');
  });
});

describe('T17 render', () => {
  const render = (body: Record<string, unknown>) => r.post(r.sub, '/open/order/refund/render', body);

  it('40401 for a line that is not one; 40001 for bad values and fields, naming them', async () => {
    const line = lineOf(paid).purchaseOrderLineId;
    expectCode(await render({ subOrderId: '123', refundType: 1, goodsStatus: 1 }), 40401);
    expectCode(await render({ subOrderId: paid.orderId, refundType: 1, goodsStatus: 1 }), 40401);
    expectCode(await render({ subOrderId: 'abc', refundType: 1, goodsStatus: 1 }), 40001, 'subOrderId');
    expectCode(await render({ refundType: 1, goodsStatus: 1 }), 40001, 'subOrderId');
    expectCode(await render({ subOrderId: line, refundType: 3, goodsStatus: 1 }), 40001, 'refundType');
    expectCode(await render({ subOrderId: line, refundType: 1, goodsStatus: 5 }), 40001, 'goodsStatus');
    expectCode(await render({ subOrderId: line, refundType: 1, goodsStatus: 1, color: 'red' }), 40001, 'color');
  });

  it('40001 for a goods status or refund type the line’s state does not allow', async () => {
    const line = lineOf(paid).purchaseOrderLineId;
    // Not shipped: refund only, goods not shipped.
    expectCode(await render({ subOrderId: line, refundType: 1, goodsStatus: 2 }), 40001, 'goodsStatus');
    expectCode(await render({ subOrderId: line, refundType: 2, goodsStatus: 1 }), 40001, 'refundType');
    // Shipped: goods not shipped no longer fits.
    const sent = lineOf(shipped).purchaseOrderLineId;
    expectCode(await render({ subOrderId: sent, refundType: 2, goodsStatus: 1 }), 40001, 'goodsStatus');
    const ok = await r.render(r.sub, sent, 2, 4);
    expect(ok.body.code, ok.text).toBe(200);
    expect(ok.body.data.refundOrderTemplate.refundReasons.map((x) => x.reasonId)).toContain(shippedReason);
  });

  it('an unpaid line cannot have one: saleFlag false, no reasons, nothing to refund', async () => {
    const res = await r.render(r.sub, lineOf(unpaid).purchaseOrderLineId, 1, 1);
    expect(res.body.code, res.text).toBe(200);
    expect(res.body.data.saleFlag).toBe(false);
    expect(res.body.data.refundOrderTemplate.refundReasons).toEqual([]);
    expect(res.body.data.refundOrderTemplate.maxRefundFee).toMatchObject({
      refundFee: 0,
      minRefundFee: 0,
      canEditRefundFee: false,
    });
  });
});

describe('T22 submit', () => {
  it('40401 unknown line; 40901 unpaid order; 40001 naming each bad field; nothing recorded', async () => {
    const before = await total();
    expectCode(await r.submit(r.sub, submitBody({ subOrderId: '123' })), 40401);
    expectCode(
      await r.submit(r.sub, submitBody({ subOrderId: lineOf(unpaid).purchaseOrderLineId, refundFee: 1 })),
      40901,
    );
    expectCode(await r.submit(r.sub, submitBody({ refundType: 3 })), 40001, 'refundType');
    expectCode(await r.submit(r.sub, submitBody({ goodsStatus: 0 })), 40001, 'goodsStatus');
    // Values the line's state does not allow (not shipped yet).
    expectCode(await r.submit(r.sub, submitBody({ goodsStatus: 2, reasonId: shippedReason })), 40001, 'goodsStatus');
    expectCode(await r.submit(r.sub, submitBody({ refundType: 2 })), 40001, 'refundType');
    // More than the line's amount, and no amount at all.
    expectCode(await r.submit(r.sub, submitBody({ refundFee: lineOf(paid).totalPrice + 1 })), 40001, 'refundFee');
    expectCode(await r.submit(r.sub, submitBody({ refundFee: 0 })), 40001, 'refundFee');
    // A reason the marketplace does not know, or one it offers only after shipping.
    expectCode(await r.submit(r.sub, submitBody({ reasonId: '999999' })), 40001, 'reasonId');
    expectCode(await r.submit(r.sub, submitBody({ reasonId: shippedReason })), 40001, 'reasonId');
    const { reasonId: _omitted, ...noReason } = submitBody();
    expectCode(await r.submit(r.sub, noReason), 40001, 'reasonId');
    expectCode(await r.submit(r.sub, submitBody({ refundReason: 'typo' })), 40001, 'refundReason');
    expect(await total()).toBe(before);
    // The line is still refundable: nothing was left open by the refusals.
    const render = await r.render(r.sub, lineOf(paid).purchaseOrderLineId, 1, 1);
    expect(render.body.data.saleFlag).toBe(true);
  });

  for (const c of PICTURE_CASES('refundImages')) {
    it(`refuses evidence pictures (${c.name}), naming ${c.names}, with no reverse order made`, async () => {
      const before = await total();
      expectCode(await r.submit(r.sub, submitBody({ refundImages: c.value() })), 40001, c.names);
      expect(await total()).toBe(before);
    });
  }

  it('a line has one open reverse order at a time: the second answers 40901', async () => {
    const before = await total();
    const first = await r.open(r.sub, lineOf(paid), { refundImages: [png, ownPicture] });
    expect(first.refundImages).toHaveLength(2);
    expectCode(await r.submit(r.sub, submitBody({ refundFee: 1 })), 40901);
    expect(await total()).toBe(before + 1);
    expect((await r.get(r.sub, `/open/order/refund/cancel/${first.refundId}`)).body.code).toBe(200);
  });

  it('an Idempotency-Key retry answers the same reverse order and makes one', async () => {
    const before = await total();
    const key = `refund-${Date.now()}`;
    const body = submitBody({ refundFee: 1, refundDesc: 'retried' });
    const first = await r.submit(r.sub, body, { 'Idempotency-Key': key });
    expect(first.body.code, first.text).toBe(200);
    const id = first.body.data.refundOrderAggregate.refundOrder.refundId;
    const retry = await r.submit(r.sub, body, { 'Idempotency-Key': key });
    expect(retry.body.code, retry.text).toBe(200);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(retry.body.data.refundOrderAggregate.refundOrder.refundId).toBe(id);
    // Another request under the same key is refused.
    expectCode(await r.submit(r.sub, { ...body, refundDesc: 'other' }, { 'Idempotency-Key': key }), 40902);
    // A retry whose stored reply is gone (it expired, or the first process died before storing it) still finds the
    // reverse order by its reference, here and at the marketplace.
    await r.server.deps.database.db
      .deleteFrom('idempotency_keys')
      .where('develop_id', '=', r.dev.developId)
      .where('idem_key', '=', key)
      .execute();
    const late = await r.submit(r.sub, body, { 'Idempotency-Key': key });
    expect(late.body.code, late.text).toBe(200);
    expect(late.headers.get('idempotent-replayed')).toBeNull();
    expect(late.body.data.refundOrderAggregate.refundOrder.refundId).toBe(id);
    expect(late.body.data.refundOrderAggregate.refundOrder.refundOuterId).toBe(
      first.body.data.refundOrderAggregate.refundOrder.refundOuterId,
    );
    expect(await total()).toBe(before + 1);
    await r.expectMessages(r.sub, id, ['100']);
    expect((await r.get(r.sub, `/open/order/refund/cancel/${id}`)).body.code).toBe(200);
  });
});

describe('T24 modify', () => {
  const modify = (body: Record<string, unknown>) => r.post<RefundData>(r.sub, '/open/order/refund/modify', body);

  it('40401 unknown; 40001 naming bad fields; refused changes leave the case as it was', async () => {
    expectCode(await modify({ refundId: '110000235001', refundFee: 1 }), 40401);
    const refund = await r.open(r.sub, lineOf(paid));
    const id = refund.refundId;
    expectCode(await modify({ refundId: id, refundType: 3 }), 40001, 'refundType');
    expectCode(await modify({ refundId: id, goodsStatus: 7 }), 40001, 'goodsStatus');
    expectCode(await modify({ refundId: id, goodsStatus: 2 }), 40001, 'goodsStatus');
    expectCode(await modify({ refundId: id, refundFee: lineOf(paid).totalPrice + 1 }), 40001, 'refundFee');
    expectCode(await modify({ refundId: id, reasonId: '999999' }), 40001, 'reasonId');
    expectCode(await modify({ refundId: id, subOrderId: '1' }), 40001, 'subOrderId');
    expectCode(await modify({ refundId: id, refundImages: [webp] }), 40001, 'refundImages[0]');
    const same = (await r.refund(r.sub, id)).refundOrder;
    expect(same).toMatchObject({
      refundStatus: '100',
      refundFee: refund.refundFee,
      reasonId: refund.reasonId,
      goodsStatus: 1,
      version: refund.version,
    });
    await r.expectMessages(r.sub, id, ['100']);
    expect((await r.get(r.sub, `/open/order/refund/cancel/${id}`)).body.code).toBe(200);
    // A closed case cannot be modified.
    expectCode(await modify({ refundId: id, refundFee: 1 }), 40901);
  });

  it('40901 once the seller agreed (a return waiting for the parcel, a refunded case)', async () => {
    const ret = await r.open(r.sub, lineOf(shipped), { refundType: 2, goodsStatus: 2 });
    await r.seller('agree', ret.refundId);
    expectCode(await modify({ refundId: ret.refundId, refundFee: 1 }), 40901);
    expect((await r.refund(r.sub, ret.refundId)).refundOrder.refundStatus).toBe('200');
    expect((await r.get(r.sub, `/open/order/refund/cancel/${ret.refundId}`)).body.code).toBe(200);

    const order = await r.paidOrder(r.sub, [r.skus[2] as Sku]);
    const done = await r.open(r.sub, lineOf(order));
    await r.seller('agree', done.refundId);
    expectCode(await modify({ refundId: done.refundId, refundDesc: 'too late' }), 40901);
    expect((await r.refund(r.sub, done.refundId)).refundOrder.refundStatus).toBe('400');
    // Nothing is left of the line: another reverse order of it answers 40901.
    expectCode(
      await r.submit(r.sub, {
        subOrderId: lineOf(order).purchaseOrderLineId,
        refundType: 1,
        goodsStatus: 1,
        reasonId: notShippedReason,
        refundFee: 1,
      }),
      40901,
    );
  });
});

describe('T18 return render, T19 return submit, T20 cancel', () => {
  const render = (id: string) => r.get(r.sub, `/open/order/refund/returnLogistics/render?refundId=${id}`);
  const send = (body: Record<string, unknown>) =>
    r.post<RefundData>(r.sub, '/open/order/refund/returnLogistics/submit', body);

  it('40401 for unknown reverse orders; 40001 for malformed ids', async () => {
    expectCode(await render('110000235001'), 40401);
    expectCode(await render('abc'), 40001, 'refundId');
    expectCode(
      await send({ refundId: '110000235001', logisticsCompanyCode: 'ZTO', logisticsNo: '78561234567890' }),
      40401,
    );
    expectCode(await r.get(r.sub, '/open/order/refund/cancel/999'), 40401);
    expectCode(await r.get(r.sub, '/open/order/refund/query?refundId=110000235001'), 40401);
    expectCode(await r.get(r.sub, '/open/order/refund/query?refundId=x1'), 40001, 'refundId');
    expectCode(await r.get(r.sub, '/open/order/refund/query'), 40001, 'refundId');
    expectCode(await r.post(r.sub, '/open/order/refund/message/queryList', { refundId: '110000235001' }), 40401);
  });

  it('a refund only has no return: 40901 before and after it is refunded', async () => {
    const order = await r.paidOrder(r.sub, [r.skus[3] ?? (r.skus[0] as Sku)]);
    const refund = await r.open(r.sub, lineOf(order));
    expectCode(await render(refund.refundId), 40901);
    await r.seller('agree', refund.refundId);
    expect((await r.refund(r.sub, refund.refundId)).refundOrder.refundStatus).toBe('400');
    expectCode(await render(refund.refundId), 40901);
    expectCode(
      await send({ refundId: refund.refundId, logisticsCompanyCode: 'ZTO', logisticsNo: '78561234567890' }),
      40901,
    );
    // A refunded case cannot be cancelled.
    expectCode(await r.get(r.sub, `/open/order/refund/cancel/${refund.refundId}`), 40901);
  });

  it('a return: 40901 before the seller agrees; unknown carrier and bad pictures 40001; cancel 40901 once sent', async () => {
    const ret = await r.open(r.sub, lineOf(shipped), { refundType: 2, goodsStatus: 3 });
    const id = ret.refundId;
    expectCode(await render(id), 40901);
    expectCode(await send({ refundId: id, logisticsCompanyCode: 'ZTO', logisticsNo: '78561234567890' }), 40901);
    await r.seller('agree', id);
    const ok = await r.get<{ logisticsCompanies: { logisticCompanyCode: string }[] }>(
      r.sub,
      `/open/order/refund/returnLogistics/render?refundId=${id}`,
    );
    expect(ok.body.code, ok.text).toBe(200);
    const code = ok.body.data.logisticsCompanies[0]?.logisticCompanyCode as string;
    expectCode(
      await send({ refundId: id, logisticsCompanyCode: 'NOPE', logisticsNo: '78561234567890' }),
      40001,
      'logisticsCompanyCode',
    );
    expectCode(await send({ refundId: id, logisticsCompanyCode: code, logisticsNo: 'x' }), 40001, 'logisticsNo');
    expectCode(await send({ refundId: id, logisticsCompanyCode: code }), 40001, 'logisticsNo');
    expectCode(
      await send({ refundId: id, logisticsCompanyCode: code, logisticsNo: '78561234567890', returnImages: [text] }),
      40001,
      'returnImages[0]',
    );
    expectCode(
      await send({ refundId: id, logisticsCompanyCode: code, logisticsNo: '78561234567890', carrier: code }),
      40001,
      'carrier',
    );
    expect((await r.refund(r.sub, id)).refundOrder.refundStatus).toBe('200');
    await r.expectMessages(r.sub, id, ['100', '200']);

    const sent = await send({
      refundId: id,
      logisticsCompanyCode: code,
      logisticsNo: '78561234567890',
      returnImages: [png],
    });
    expect(sent.body.code, sent.text).toBe(200);
    expect(sent.body.data.refundOrderAggregate.refundOrder.refundStatus).toBe('300');
    // Once sent: no second parcel, no cancelling, no modifying.
    expectCode(await send({ refundId: id, logisticsCompanyCode: code, logisticsNo: '11112222333' }), 40901);
    expectCode(await r.get(r.sub, `/open/order/refund/cancel/${id}`), 40901);
    expectCode(await r.post(r.sub, '/open/order/refund/modify', { refundId: id, refundFee: 1 }), 40901);
    expect((await r.refund(r.sub, id)).refundOrder.refundStatus).toBe('300');
    await r.seller('receive-return', id);
    await r.expectMessages(r.sub, id, ['100', '200', '300', '400']);
  });
});

describe('T21 message, T23 message list', () => {
  let refundId: string;
  beforeAll(async () => {
    const order = await r.paidOrder(r.sub, [r.skus[0] as Sku]);
    refundId = (await r.open(r.sub, lineOf(order))).refundId;
  });
  const say = (body: Record<string, unknown>) =>
    r.post<Note>(r.sub, '/open/order/refund/submit/message', { refundId, refundMessage: 'look', ...body });

  it('40001 for an empty or missing message and unknown fields; T23 paging bounds', async () => {
    expectCode(await say({ refundMessage: '' }), 40001, 'refundMessage');
    expectCode(await r.post(r.sub, '/open/order/refund/submit/message', { refundId }), 40001, 'refundMessage');
    expectCode(await say({ images: [png] }), 40001, 'images');
    const list = (body: Record<string, unknown>) =>
      r.post(r.sub, '/open/order/refund/message/queryList', { refundId, ...body });
    expectCode(await list({ pageSize: 101 }), 40001, 'pageSize');
    expectCode(await list({ pageNo: 0 }), 40001, 'pageNo');
    expectCode(await list({ messageId: '1' }), 40001, 'messageId');
    expect((await r.conversation(r.sub, refundId)).map((n) => n.senderType)).toEqual(['system']);
  });

  for (const c of PICTURE_CASES('refundImages')) {
    it(`refuses pictures (${c.name}), naming ${c.names}, with no message left`, async () => {
      const before = (await r.conversation(r.sub, refundId)).length;
      expectCode(await say({ refundImages: c.value() }), 40001, c.names);
      expect(await r.conversation(r.sub, refundId)).toHaveLength(before);
    });
  }

  it('takes the developer’s own uploaded picture by its path', async () => {
    const ok = await say({ refundImages: [ownPicture] });
    expect(ok.body.code, ok.text).toBe(200);
    expect(ok.body.data.images).toHaveLength(1);
    expect(ok.body.data.images[0]).toContain(`/files/${ownPicture}?`);
    expect((await r.get(r.sub, `/open/order/refund/cancel/${refundId}`)).body.code).toBe(200);
  });
});
