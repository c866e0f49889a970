import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Credentials, Reply } from '../../harness.js';
import {
  expectCode,
  IN_SALES,
  type PaidOrder,
  type RefundsServer,
  startRefundsServer,
  type Upload,
} from './alibaba-refund-fixtures.js';

/**
 * docs/architecture.md §6 on the 1688 after-sales endpoints: another developer's refund or order, and a sibling
 * sub-account's, answer exactly as an unknown id does (40401) and change nothing; a sub-account sees its own
 * refunds, the main account all of its developer's; the refund's messages follow the same rule.
 */

let s: RefundsServer;
/** A sub-account's shipped order and its return, agreed by the seller (`waitbuyersend`). */
let owned: PaidOrder;
let refundId: string;
/** The sibling's own order and refund. */
let siblingOrder: PaidOrder;
let siblingRefund: string;
/** Another developer's order and refund. */
let foreignOrder: PaidOrder;
let foreignRefund: string;
let reasonId: string;

const UNKNOWN_ORDER = '1795432287562383360';
const UNKNOWN_REFUND = 'TQ1796214365581049856';

beforeAll(async () => {
  s = await startRefundsServer();
  owned = await s.paidOrder(s.sub);
  siblingOrder = await s.paidOrder(s.sibling);
  foreignOrder = await s.paidOrder(s.other);
  await s.advance(2 * 3_600_000);
  const r21 = await s.reasons(s.sub, { orderId: owned.orderId, goodsStatus: 'refundWaitBuyerReceive' });
  expect(r21.body.code, r21.text).toBe(200);
  reasonId = r21.body.data.reasons[0]?.id as string;
  const apply = (who: Credentials, order: PaidOrder, disputeRequest: string) =>
    s.applyOk(who, {
      orderId: order.orderId,
      disputeRequest,
      applyPayment: 100,
      applyCarriage: 0,
      applyReasonId: reasonId,
      description: '不想要了',
      goodsStatus: 'refundWaitBuyerReceive',
    });
  refundId = await apply(s.sub, owned, 'returnRefund');
  await s.seller(refundId, 'agree');
  siblingRefund = await apply(s.sibling, siblingOrder, 'refund');
  foreignRefund = await apply(s.other, foreignOrder, 'returnRefund');
  // The foreign refund's marketplace id is read by its own developer.
  await s.seller(foreignRefund, 'agree', undefined, s.other);
}, 120_000);
afterAll(() => s?.close());

/** What must not tell a foreign id from a missing one (named by its v1 id, or on v2 by its opaque one). */
const comparable = (r: Reply, id: string) => ({
  status: r.status,
  code: r.body.code,
  msg: r.body.msg.replaceAll(id, '<id>').replaceAll(opaqueOrder(id), '<id>'),
  data: r.body.data,
});
/** The order's opaque id, as v2 names it. */
const opaqueOrder = (id: string) => s.server.deps.opaqueIds.encode('order', id);

/** Every 1688 after-sales call that names a refund. */
const refundCalls: Record<string, (c: Credentials, id: string) => Promise<Reply>> = {
  'A20 info (query)': (c, id) => s.info(c, id),
  'A20 info (body)': (c, id) => s.post(c, '/alibaba/refund/info', { refundId: id }),
  'A24 goods return': (c, id) =>
    s.sendBack(c, { refundId: id, logisticsCompanyNo: 'SF', freightBill: 'SF1234567890', description: '已寄回' }),
  // The v2 twins: refund ids are the same there.
  'A20 info on v2': (c, id) => s.post(c, `/v2/alibaba/refund/info?refundId=${id}`, undefined),
  'A24 goods return on v2': (c, id) =>
    s.post(c, '/v2/alibaba/refund/goods/return', {
      refundId: id,
      logisticsCompanyNo: 'SF',
      freightBill: 'SF1234567890',
      description: '已寄回',
    }),
};

/** Every 1688 after-sales call that names an order. */
const orderCalls: Record<string, (c: Credentials, id: string) => Promise<Reply>> = {
  'A21 reasons': (c, id) => s.reasons(c, { orderId: id, goodsStatus: 'refundWaitBuyerReceive' }),
  'A23 create': (c, id) =>
    s.apply(c, {
      orderId: id,
      disputeRequest: 'refund',
      applyPayment: 1,
      applyCarriage: 0,
      applyReasonId: reasonId,
      description: '不想要了',
      goodsStatus: 'refundWaitBuyerReceive',
    }),
  // The v2 twins, the order named by its opaque id.
  'A21 reasons on v2': (c, id) =>
    s.post(c, '/v2/alibaba/refund/reason/list', { orderId: opaqueOrder(id), goodsStatus: 'refundWaitBuyerReceive' }),
  'A23 create on v2': (c, id) =>
    s.post(c, '/v2/alibaba/refund/detail/create', {
      orderId: opaqueOrder(id),
      disputeRequest: 'refund',
      applyPayment: 1,
      applyCarriage: 0,
      applyReasonId: reasonId,
      description: '不想要了',
      goodsStatus: 'refundWaitBuyerReceive',
    }),
};

describe('1688 after-sales: another developer and a sibling sub-account', () => {
  for (const [name, call] of Object.entries(refundCalls)) {
    it(`${name}: their refund answers as an unknown one`, async () => {
      const unknown = comparable(await call(s.other, UNKNOWN_REFUND), UNKNOWN_REFUND);
      expect(unknown.code).toBe(40401);
      expect(comparable(await call(s.other, refundId), refundId)).toEqual(unknown);
      expect(comparable(await call(s.sibling, refundId), refundId)).toEqual(
        comparable(await call(s.sibling, UNKNOWN_REFUND), UNKNOWN_REFUND),
      );
      // And the other way round: the developer's main account does not reach the other developer's refund.
      expect(comparable(await call(s.dev, foreignRefund), foreignRefund)).toEqual(
        comparable(await call(s.dev, UNKNOWN_REFUND), UNKNOWN_REFUND),
      );
      // The sub-account does not reach its sibling's either.
      expect(comparable(await call(s.sub, siblingRefund), siblingRefund)).toEqual(
        comparable(await call(s.sub, UNKNOWN_REFUND), UNKNOWN_REFUND),
      );
    });
  }

  for (const [name, call] of Object.entries(orderCalls)) {
    it(`${name}: their order answers as an unknown one, and gets no refund`, async () => {
      const unknown = comparable(await call(s.other, UNKNOWN_ORDER), UNKNOWN_ORDER);
      expect(unknown.code).toBe(40401);
      expect(comparable(await call(s.other, owned.orderId), owned.orderId)).toEqual(unknown);
      expect(comparable(await call(s.sibling, owned.orderId), owned.orderId)).toEqual(
        comparable(await call(s.sibling, UNKNOWN_ORDER), UNKNOWN_ORDER),
      );
      expect(comparable(await call(s.dev, foreignOrder.orderId), foreignOrder.orderId)).toEqual(
        comparable(await call(s.dev, UNKNOWN_ORDER), UNKNOWN_ORDER),
      );
      expect(comparable(await call(s.sub, siblingOrder.orderId), siblingOrder.orderId).code).toBe(40401);
    });
  }

  it('nothing was changed by them: the refunds are as their owners left them', async () => {
    expect(await s.detailOf(s.sub, refundId)).toMatchObject({ status: 'waitbuyersend', freightBill: null, version: 2 });
    expect(await s.detailOf(s.sibling, siblingRefund)).toMatchObject({ status: 'waitselleragree', version: 1 });
    expect(await s.detailOf(s.other, foreignRefund)).toMatchObject({ status: 'waitbuyersend', freightBill: null });
    const refunds = await s.server.deps.database.db
      .selectFrom('refunds')
      .select(['order_id'])
      .where('order_id', 'in', [owned.orderId, siblingOrder.orderId, foreignOrder.orderId])
      .execute();
    expect(refunds.map((r) => r.order_id).sort()).toEqual(
      [owned.orderId, siblingOrder.orderId, foreignOrder.orderId].sort(),
    );
  });

  it('A22: a picture is the uploader’s; another developer naming its path gets what a missing one gets', async () => {
    const mine: Upload = await s.upload(s.dev, 'png', 77);
    const body = (vouchers: string[]) => ({
      orderId: foreignOrder.orderId,
      disputeRequest: 'refund',
      applyPayment: 1,
      applyCarriage: 0,
      applyReasonId: reasonId,
      description: '不想要了',
      goodsStatus: 'refundWaitBuyerReceive',
      vouchers,
    });
    // The foreign order has an open refund, but vouchers are checked first: what is answered is about them.
    const theirs = await s.apply(s.other, body([mine.imageRelativeUrl]));
    expectCode(theirs, 40001, 'vouchers[0]');
    const missing = await s.apply(s.other, body([`evidence/${s.other.developId}/${'f'.repeat(64)}.png`]));
    expect(missing.body.msg).toBe(theirs.body.msg);
    // The same path in its own developer's request is a picture (here the order's open refund answers).
    const own = await s.apply(s.sub, { ...body([mine.imageRelativeUrl]), orderId: owned.orderId });
    expectCode(own, 40901);
  });
});

describe('1688 after-sales: sub-accounts and the main account', () => {
  it('A20: a sub-account reads its own refunds; the main account reads all of its sub-accounts’', async () => {
    const own = await s.detailOf(s.sub, refundId);
    expect(own.buyerUserId).toBe(s.sub.userId);
    const byMain = await s.detailOf(s.dev, refundId);
    expect(byMain).toEqual(
      expect.objectContaining({ refundId, status: 'waitbuyersend', buyerUserId: s.sub.userId, version: own.version }),
    );
    expect((await s.detailOf(s.dev, siblingRefund)).buyerUserId).toBe(s.sibling.userId);
    expect((await s.detailOf(s.sibling, siblingRefund)).refundId).toBe(siblingRefund);
  });

  it('A21: the main account reads the reasons of a sub-account’s order', async () => {
    const r = await s.reasons(s.dev, { orderId: owned.orderId, goodsStatus: 'refundWaitBuyerReceive' });
    expect(r.body.code, r.text).toBe(200);
    expect(r.body.data).toMatchObject({ orderEntryId: owned.entries[0], refundable: false });
  });

  it('messages: the sub-account and the main account see the refund’s; the sibling and the other developer none', async () => {
    const own = await s.messages(s.sub, refundId);
    expect(own.map((m) => [m.messageType, m.messageBody.currentStatus])).toEqual([
      [IN_SALES, 'waitselleragree'],
      [IN_SALES, 'waitbuyersend'],
    ]);
    expect((await s.messages(s.dev, refundId)).map((m) => m.messageId)).toEqual(own.map((m) => m.messageId));
    expect(await s.messages(s.sibling, refundId)).toEqual([]);
    expect(await s.messages(s.other, refundId)).toEqual([]);
    expect(await s.messages(s.sub, siblingRefund)).toEqual([]);
    expect(await s.messages(s.dev, foreignRefund)).toEqual([]);
    expect(await s.messages(s.dev, siblingRefund)).toHaveLength(1);
  });

  it('A24: the main account sends its sub-account’s parcel; the sub-account then sees it', async () => {
    const r = await refundCalls['A24 goods return']?.(s.dev, refundId);
    expect(r?.body.code, r?.text).toBe(200);
    expect(await s.detailOf(s.sub, refundId)).toMatchObject({
      status: 'waitsellerreceive',
      freightBill: 'SF1234567890',
      version: 3,
    });
    const messages = await s.messages(s.sub, refundId);
    expect(messages.at(-1)?.messageBody).toMatchObject({ refundAction: 'BUYER_SEND_GOODS', operator: 'buyer' });
    // The other developer's refund is untouched by all of it.
    expect((await s.detailOf(s.other, foreignRefund)).status).toBe('waitbuyersend');
  });

  it('A23: the main account may ask a refund of a sub-account’s order', async () => {
    const order = await s.shippedOrder(s.sub);
    const create = orderCalls['A23 create'] as (c: Credentials, id: string) => Promise<Reply<{ refundId: string }>>;
    const r = await create(s.dev, order.orderId);
    expect(r.body.code, r.text).toBe(200);
    const id = r.body.data.refundId;
    expect(await s.detailOf(s.dev, id)).toMatchObject({ orderId: order.orderId, status: 'waitselleragree' });
    // The sibling still cannot see it.
    expectCode(await s.info(s.sibling, id), 40401);
    expectCode(await s.info(s.other, id), 40401);
  });
});
