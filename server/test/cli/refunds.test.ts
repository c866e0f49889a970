import { PonteAdminClient, PonteClient } from '@ponte/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADDRESS } from '../api/orders/alibaba-fixtures.js';
import { RECEIVER, startTaobaoServer, type TaobaoServer } from '../api/orders/taobao-fixtures.js';
import type { Credentials } from '../harness.js';
import { json, ponte } from './ponte-admin.js';

/** A refund as `ponte admin refunds list` prints it (the fields the test reads). */
interface Listed {
  refundId: string;
  refundOuterId: string | null;
  platform: string;
  developId: string;
  userId: string;
  orderId: string;
  purchaseOrderId: string;
  lineId: string;
  createState: string;
  status: string;
  platformStatus: string;
  refundType: string;
  amount: number;
  credited: number;
  creditTransactionId: string | null;
  createTime: number;
  completeTime: number | null;
}

interface Shown extends Listed {
  description: string;
  history: { from: string | null; to: string; cause: string; detail: string | null; time: number }[];
  creditTransaction: {
    transactionId: string;
    idemKey: string;
    kind: string;
    developId: string | null;
    orderId: string | null;
    entries: { account: string; amount: number; balanceAfter: number }[];
  } | null;
}

describe('ponte admin refunds', () => {
  let t: TaobaoServer;
  let admin: PonteAdminClient;
  let at: string[];
  /** A credited Taobao refund of `dev`, an open Taobao one of `other`, an open 1688 one of `dev`, oldest first. */
  const made: { id: string; orderId: string; lineId: string; amount: number; developId: string }[] = [];

  const sdk = (who: Credentials) => new PonteClient({ baseUrl: t.server.baseUrl, ...who });

  /** A paid Taobao order of one line and a refund only of all of it, waiting for the seller. */
  async function taobaoRefund(who: Credentials, sku: NonNullable<TaobaoServer['skus'][number]>) {
    const client = sdk(who);
    const order = await client.taobao.orders.create({
      orderLineList: [{ itemId: sku.itemId, skuId: sku.skuId, quantity: 1 }],
      receiver: RECEIVER,
    });
    await client.taobao.orders.pay(order.orderId);
    const line = order.subPurchaseOrders[0]?.orderLines[0];
    if (!line) throw new Error('a line');
    const render = await client.taobao.refunds.render({
      subOrderId: line.purchaseOrderLineId,
      refundType: 1,
      goodsStatus: 1,
    });
    const refund = await client.taobao.refunds.submit({
      subOrderId: line.purchaseOrderLineId,
      refundType: 1,
      goodsStatus: 1,
      reasonId: render.refundOrderTemplate.refundReasons[0]?.reasonId ?? '',
      refundFee: line.totalPrice,
      refundDesc: 'wrong size',
    });
    const r = refund.refundOrderAggregate.refundOrder;
    made.push({
      id: r.refundId,
      orderId: order.orderId,
      lineId: line.purchaseOrderLineId,
      amount: line.totalPrice,
      developId: who.developId,
    });
    return r;
  }

  beforeAll(async () => {
    t = await startTaobaoServer();
    admin = new PonteAdminClient({ baseUrl: t.server.baseUrl, token: t.server.deps.adminToken });
    at = ['--url', t.server.baseUrl, '--token', t.server.deps.adminToken];
    await admin.topups.create(t.dev.developId, { amount: 10_000_000, reference: 'cli refunds' });
    await admin.topups.create(t.other.developId, { amount: 10_000_000, reference: 'cli refunds other' });

    const [a, b] = t.skus;
    if (!a || !b) throw new Error('two SKUs');
    const credited = await taobaoRefund(t.dev, a);
    await admin.sandbox.agreeRefund('taobao', credited.refundOuterId ?? '');
    await t.server.drainOutbox();
    await taobaoRefund(t.other, b);

    // A 1688 order of the first offer in stock, and a refund of half of it.
    const client = sdk(t.dev);
    const found = await client.alibaba.search({ pageSize: 50 });
    for (const hit of found.data) {
      const detail = await client.alibaba.detail({ offerId: String(hit.offerId) });
      const sku = detail.productSkuInfos.find((s) => s.amountOnSale >= detail.minOrderQuantity);
      if (detail.status !== 'published' || !sku) continue;
      const created = await client.alibaba.orders.create({
        flow: 'general',
        addressParam: ADDRESS,
        cargoParamList: [{ offerId: String(hit.offerId), specId: sku.specId, quantity: detail.minOrderQuantity }],
      });
      await client.alibaba.orders.payUrl(created.orderId);
      const reasons = await client.alibaba.refunds.reasons({
        orderId: created.orderId,
        goodsStatus: 'refundWaitSellerSend',
      });
      const amount = Math.floor(reasons.maxApplyPayment / 2);
      const refund = await client.alibaba.refunds.create({
        orderId: created.orderId,
        disputeRequest: 'refund',
        applyPayment: amount,
        applyCarriage: 0,
        applyReasonId: reasons.reasons[0]?.id ?? '',
        description: '不想要了，请退款',
        goodsStatus: 'refundWaitSellerSend',
      });
      made.push({
        id: refund.refundId,
        orderId: created.orderId,
        lineId: reasons.orderEntryId,
        amount,
        developId: t.dev.developId,
      });
      break;
    }
    expect(made).toHaveLength(3);
  }, 120_000);
  afterAll(() => t?.close());

  const list = async (...args: string[]) =>
    json<{ list: Listed[]; total: number }>(await ponte(['refunds', 'list', ...args, ...at]));

  it('lists refunds newest first, with their platform, ids, status and credit', async () => {
    const [credited, others, alibaba] = made as [(typeof made)[0], (typeof made)[0], (typeof made)[0]];
    const all = await list();
    expect(all.total).toBe(3);
    expect(all.list.map((r) => r.refundId)).toEqual([alibaba.id, others.id, credited.id]);
    const [first, , last] = all.list;
    expect(first).toMatchObject({
      platform: '1688',
      developId: t.dev.developId,
      userId: t.dev.userId,
      orderId: alibaba.orderId,
      lineId: alibaba.lineId,
      createState: 'created',
      status: 'wait_seller_agree',
      platformStatus: 'waitselleragree',
      refundType: 'refund',
      amount: alibaba.amount,
      credited: 0,
      creditTransactionId: null,
      completeTime: null,
    });
    expect(first?.refundId).toMatch(/^TQ[0-9]+$/);
    expect(first?.refundOuterId).toMatch(/^TQ[0-9]+$/);
    expect(last).toMatchObject({
      platform: 'taobao',
      orderId: credited.orderId,
      lineId: credited.lineId,
      status: 'success',
      platformStatus: '400',
      amount: credited.amount,
      credited: credited.amount,
    });
    expect(last?.creditTransactionId).toMatch(/^[0-9]+$/);
    expect(last?.completeTime).toEqual(expect.any(Number));
  });

  it('filters by developer, platform, status (neutral or platform words) and order, and pages', async () => {
    const [credited, others, alibaba] = made as [(typeof made)[0], (typeof made)[0], (typeof made)[0]];
    // Each filter and what it must list, run side by side (each is a process of its own).
    const cases: [string[], string[]][] = [
      [
        ['--developer', t.dev.developId],
        [alibaba.id, credited.id],
      ],
      [['--developer', t.other.developId], [others.id]],
      [['--platform', '1688'], [alibaba.id]],
      [
        ['--platform', 'taobao'],
        [others.id, credited.id],
      ],
      [['--status', 'success'], [credited.id]],
      [['--status', '400'], [credited.id]],
      [['--status', 'refundsuccess'], [credited.id]],
      [
        ['--status', 'wait_seller_agree'],
        [alibaba.id, others.id],
      ],
      [['--status', '100', '--platform', 'taobao'], [others.id]],
      [['--status', 'closed'], []],
      [['--order', alibaba.orderId], [alibaba.id]],
      [['--developer', t.other.developId, '--order', alibaba.orderId], []],
    ];
    const listed = await Promise.all(cases.map(([args]) => list(...args)));
    expect(listed.map((page) => page.list.map((r) => r.refundId))).toEqual(cases.map(([, want]) => want));
    expect(listed.map((page) => page.total)).toEqual(cases.map(([, want]) => want.length));
    const second = await list('--page-size', '1', '--page-no', '2');
    expect(second.total).toBe(3);
    expect(second.list.map((r) => r.refundId)).toEqual([others.id]);

    const badStatus = await ponte(['refunds', 'list', '--status', 'refunded', ...at]);
    expect(badStatus.code).not.toBe(0);
    expect(badStatus.stderr).toContain('expected one of');
    const badPlatform = await ponte(['refunds', 'list', '--platform', 'amazon', ...at]);
    expect(badPlatform.code).not.toBe(0);
    expect(badPlatform.stderr).toContain('expected taobao or 1688');
  });

  it('shows a refund with its history and the ledger transaction that credited it', async () => {
    const [credited, , alibaba] = made as [(typeof made)[0], (typeof made)[0], (typeof made)[0]];
    const shown = json<Shown>(await ponte(['refunds', 'get', credited.id, ...at]));
    expect(shown).toMatchObject({ refundId: credited.id, status: 'success', description: 'wrong size' });
    expect(shown.history.map((h) => [h.from, h.to, h.cause])).toEqual([
      [null, 'wait_seller_agree', 'api:create'],
      ['wait_seller_agree', 'success', 'upstream:refund.agreed'],
    ]);
    const tx = shown.creditTransaction;
    expect(tx).toMatchObject({
      transactionId: shown.creditTransactionId,
      idemKey: `refund:taobao:${shown.refundOuterId}`,
      kind: 'refund',
      developId: t.dev.developId,
      orderId: credited.orderId,
    });
    expect(tx?.entries.reduce((n, e) => n + e.amount, 0)).toBe(0);
    const balance = tx?.entries.find((e) => e.account === `developer:${t.dev.developId}:balance`);
    expect(balance?.amount).toBe(credited.amount);
    // The developer's ledger shows the same entry.
    const ledger = await admin.ledger(t.dev.developId, { kind: 'refund' });
    expect(ledger.entries.map((e) => [e.transactionId, e.amount, e.balanceAfter])).toEqual([
      [tx?.transactionId, credited.amount, balance?.balanceAfter],
    ]);

    const open = json<Shown>(await ponte(['refunds', 'get', alibaba.id, ...at]));
    expect(open).toMatchObject({ platform: '1688', status: 'wait_seller_agree', creditTransaction: null });
    expect(open.history.map((h) => [h.from, h.to, h.cause])).toEqual([[null, 'wait_seller_agree', 'api:create']]);

    const unknown = await ponte(['refunds', 'get', '4242', ...at]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/^error 40401: /);
    const malformed = await ponte(['refunds', 'get', 'x1', ...at]);
    expect(malformed.code).toBe(1);
    expect(malformed.stderr).toMatch(/^error 40001: /);
  });
});
