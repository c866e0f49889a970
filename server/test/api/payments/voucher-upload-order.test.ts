import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectLedgerBalanced } from '../../ledger.js';
import { startTaobaoServer, type TaobaoServer } from '../orders/taobao-fixtures.js';
import { expectCode, picture } from './payments-fixtures.js';

/** T9 for real Taobao orders, and the approval that pays the order from the credited balance. */

const UPLOAD = '/open/order/pay/voucher/upload';

interface Uploaded {
  voucherId: string;
  orderId: string;
  amount: number;
  status: string;
  createTime: number;
}

describe(`POST ${UPLOAD} (T9) for a real order`, () => {
  let t: TaobaoServer;
  let jpeg: Buffer;
  beforeAll(async () => {
    t = await startTaobaoServer();
    jpeg = await picture('jpeg', 64, 48);
  });
  afterAll(() => t.close());

  const sku = () => t.skus[0] as NonNullable<TaobaoServer['skus'][0]>;
  const body = (orderId: string, amount: number) => ({
    orderId,
    amount,
    reference: 'ICBC-2026-0115',
    picture: `data:image/jpeg;base64,${jpeg.toString('base64')}`,
    note: 'Paid from the Hanoi account',
  });

  it('records a pending voucher for the caller’s unpaid order, and only for it', async () => {
    const order = await t.order(t.sub, [sku()]);
    expectCode(await t.post(t.sub, UPLOAD, body(order.orderId, order.totalPrice - 1)), 40001, 'amount');
    expectCode(await t.post(t.sibling, UPLOAD, body(order.orderId, order.totalPrice)), 40401, 'order');
    expectCode(await t.post(t.other, UPLOAD, body(order.orderId, order.totalPrice)), 40401, 'order');

    const key = { 'idempotency-key': `voucher-${order.orderId}` };
    const r = await t.post<Uploaded>(t.sub, UPLOAD, body(order.orderId, order.totalPrice + 500), key);
    expectCode(r, 200);
    expect(r.body.data).toMatchObject({ orderId: order.orderId, amount: order.totalPrice + 500, status: 'pending' });
    const again = await t.post<Uploaded>(t.sub, UPLOAD, body(order.orderId, order.totalPrice + 500), key);
    expect(again.text).toBe(r.text);

    const shown = await t.server.admin<{ userId: string; orderId: string; pictureType: string; status: string }>(
      'GET',
      `/admin/vouchers/${r.body.data.voucherId}`,
    );
    expect(shown.body.data).toMatchObject({
      userId: t.sub.userId,
      orderId: order.orderId,
      pictureType: 'image/jpeg',
      status: 'pending',
    });
    const pic = await fetch(`${t.server.baseUrl}/admin/vouchers/${r.body.data.voucherId}/picture`, {
      headers: { authorization: `Bearer ${t.server.deps.adminToken}` },
    });
    expect(pic.headers.get('content-type')).toBe('image/jpeg');
    expect(Buffer.from(await pic.arrayBuffer()).equals(jpeg)).toBe(true);
    const pending = await t.server.admin<{ list: { voucherId: string }[] }>(
      'GET',
      `/admin/vouchers?developId=${t.dev.developId}&pageSize=50`,
    );
    expect(pending.body.data.list.filter((v) => v.voucherId === r.body.data.voucherId)).toHaveLength(1);
  });

  it('approval credits the balance and the order is paid from it; a paid order takes no more vouchers', async () => {
    const order = await t.order(t.sub, [sku()]);
    const before = await t.balance(t.dev);
    const up = await t.post<Uploaded>(t.sub, UPLOAD, body(order.orderId, order.totalPrice + 300));
    expectCode(up, 200);
    const approved = await t.server.admin('POST', `/admin/vouchers/${up.body.data.voucherId}/approve`, {});
    expectCode(approved, 200);
    expect(await t.balance(t.dev)).toBe(before + order.totalPrice + 300);
    await t.server.drainOutbox();
    const paid = await t.detail(t.sub, order.orderId);
    expect(paid.payStatus).toBe('PAID');
    expect(await t.balance(t.dev)).toBe(before + 300);

    const ledger = await t.get<{ entries: { kind: string; orderId: string | null; voucherId: string | null }[] }>(
      t.dev,
      '/open/account/ledger?pageSize=50',
    );
    const ofOrder = ledger.body.data.entries.filter((e) => e.orderId === order.orderId).map((e) => e.kind);
    expect(ofOrder).toContain('voucher_topup');
    expect(ofOrder).toContain('order_payment');

    expectCode(await t.post(t.sub, UPLOAD, body(order.orderId, order.totalPrice)), 40901);
    await expectLedgerBalanced(t.server.deps.database.db);
  });

  it('refuses a voucher for a cancelled order with 40901', async () => {
    const order = await t.order(t.sub, [sku()]);
    const cancelled = await t.post(t.sub, '/open/order/cancel', { orderId: order.orderId });
    expectCode(cancelled, 200);
    expectCode(await t.post(t.sub, UPLOAD, body(order.orderId, order.totalPrice)), 40901);
  });
});
