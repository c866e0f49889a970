import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VOUCHER_APPROVED_EVENT } from '../../../src/modules/payments/index.js';
import { type Credentials, startServer, type TestServer } from '../../harness.js';
import { expectLedgerBalanced } from '../../ledger.js';
import {
  balanceOf,
  createSubAccount,
  expectCode,
  PAYMENTS_ENV,
  picture,
  recordVoucher,
  testVoucherRoute,
} from './payments-fixtures.js';

/** Payment vouchers: the upload's refusals that need no order (T9), and the operator's review. */

interface Voucher {
  voucherId: string;
  developId: string;
  userId: string;
  orderId: string | null;
  amount: number;
  reference: string;
  note: string;
  status: 'pending' | 'approved' | 'rejected';
  reviewNote: string | null;
  reviewTime: number | null;
  pictureType: string;
  pictureUrl: string;
  createTime: number;
  updateTime: number;
}

const UPLOAD = '/open/order/pay/voucher/upload';
let server: TestServer;
let dev: Credentials;
let sub: string;
let png: Buffer;

beforeAll(async () => {
  server = await startServer({ env: PAYMENTS_ENV, routes: [testVoucherRoute] });
  dev = await server.createDeveloper('Voucher developer');
  sub = await createSubAccount(server, dev, 'Voucher store');
  png = await picture('png');
});
afterAll(() => server.close());

async function voucherCount(): Promise<number> {
  const row = await server.deps.database.db
    .selectFrom('payment_vouchers')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

const getVoucher = (id: string) => server.admin<Voucher>('GET', `/admin/vouchers/${id}`);

describe(`POST ${UPLOAD} (T9): refusals`, () => {
  const upload = (body: Record<string, unknown>) => server.signed(dev, 'POST', UPLOAD, { body });
  const valid = () => ({ orderId: '1795432287562383360', amount: 15_800, reference: 'ICBC-1', picture: b64(png) });
  const b64 = (bytes: Buffer) => bytes.toString('base64');

  it('checks the picture by its content, whatever the order', async () => {
    const before = await voucherCount();
    const bmpLike = Buffer.concat([Buffer.from('BM'), Buffer.alloc(60, 1)]);
    const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>');
    const cases: [unknown, string][] = [
      ['not base64!', 'not base64'],
      ['', 'picture'],
      [b64(Buffer.from('just some text, not a picture')), 'not a JPEG, PNG, WebP or GIF picture'],
      [b64(bmpLike), 'not a JPEG, PNG, WebP or GIF picture'],
      [b64(svg), 'not a JPEG, PNG, WebP or GIF picture'],
      [b64(await picture('tiff')), 'not a JPEG, PNG, WebP or GIF picture'],
      // A PNG header alone is not enough: its dimensions are checked.
      [b64(await picture('png', 8001, 1)), 'larger than 8000×8000 pixels'],
      [b64(Buffer.alloc(5 * 1024 * 1024 + 10, 0xff)), 'larger than 5242880 bytes'],
      [`data:image/jpeg;base64,${b64(Buffer.from('GIF89a but not really'))}`, 'not a JPEG, PNG, WebP or GIF'],
    ];
    for (const [value, mention] of cases) {
      const r = await upload({ ...valid(), picture: value });
      expectCode(r, 40001, 'picture');
      expect(r.body.msg).toContain(mention);
    }
    expect(await voucherCount()).toBe(before);
  });

  it('answers 40401 for an order that is not the caller’s Taobao order', async () => {
    for (const orderId of ['1795432287562383360', 'not-an-id', '1']) {
      expectCode(await upload({ ...valid(), orderId }), 40401, `order ${orderId}`);
    }
    const asSub = await server.signed(dev, 'POST', UPLOAD, { body: valid(), userId: sub });
    expectCode(asSub, 40401);
  });

  it('accepts every allowed format and a data-URL prefix before looking for the order', async () => {
    for (const format of ['jpeg', 'webp', 'gif'] as const) {
      expectCode(await upload({ ...valid(), picture: b64(await picture(format)) }), 40401, 'order');
    }
    // The prefix names JPEG, the bytes are PNG: the bytes decide.
    expectCode(await upload({ ...valid(), picture: `data:image/jpeg;base64,${b64(png)}` }), 40401, 'order');
  });

  it('refuses missing or bad fields with 40001 naming them', async () => {
    const { orderId: _o, ...noOrder } = valid();
    const { amount: _a, ...noAmount } = valid();
    const { reference: _r, ...noReference } = valid();
    const { picture: _p, ...noPicture } = valid();
    expectCode(await upload(noOrder), 40001, 'orderId');
    expectCode(await upload(noAmount), 40001, 'amount');
    expectCode(await upload(noReference), 40001, 'reference');
    expectCode(await upload(noPicture), 40001, 'picture');
    expectCode(await upload({ ...valid(), amount: 0 }), 40001, 'amount');
    expectCode(await upload({ ...valid(), amount: 12.5 }), 40001, 'amount');
    expectCode(await upload({ ...valid(), reference: '' }), 40001, 'reference');
    expectCode(await upload({ ...valid(), reference: 'r'.repeat(65) }), 40001, 'reference');
    expectCode(await upload({ ...valid(), note: 'n'.repeat(201) }), 40001, 'note');
    expectCode(await upload({ ...valid(), colour: 'red' }), 40001, 'colour');
  });

  it('takes a body large enough for a 5 MB picture in base64', async () => {
    const big = b64(Buffer.alloc(5 * 1024 * 1024, 0xab));
    // Past the body cap it would be 41301; it reaches the picture check instead.
    expectCode(await upload({ ...valid(), picture: big }), 40001, 'picture');
  });

  // Uploads for real orders (stored, amount below the total, paid or cancelled orders): voucher-upload-order.test.ts.
});

describe('the operator reviews vouchers', () => {
  it('lists pending vouchers oldest first, by developer, and shows one with its picture link', async () => {
    const other = await server.createDeveloper('Other voucher developer');
    const first = await recordVoucher(server, dev, { amount: 1_000, reference: 'list-1' });
    const second = await recordVoucher(server, other, { amount: 2_000, reference: 'list-2' });
    const third = await recordVoucher(server, dev, { amount: 3_000, reference: 'list-3', userId: sub });

    const all = await server.admin<{ list: Voucher[]; total: number }>('GET', '/admin/vouchers?pageSize=50');
    expectCode(all, 200);
    const ids = all.body.data.list.map((v) => v.voucherId);
    expect(ids.indexOf(first)).toBeLessThan(ids.indexOf(second));
    expect(ids.indexOf(second)).toBeLessThan(ids.indexOf(third));
    expect(all.body.data.list.map((v) => v.status)).toContain('pending');
    expect(new Set(all.body.data.list.map((v) => v.status))).toEqual(new Set(['pending']));

    const mine = await server.admin<{ list: Voucher[]; total: number }>(
      'GET',
      `/admin/vouchers?status=pending&developId=${other.developId}`,
    );
    expect(mine.body.data.list.map((v) => v.voucherId)).toEqual([second]);
    expect(mine.body.data.total).toBe(1);

    const shown = await getVoucher(third);
    expectCode(shown, 200);
    expect(shown.body.data).toMatchObject({
      voucherId: third,
      developId: dev.developId,
      userId: sub,
      orderId: null,
      amount: 3_000,
      reference: 'list-3',
      status: 'pending',
      reviewNote: null,
      reviewTime: null,
      pictureType: 'image/png',
      pictureUrl: `${server.baseUrl}/admin/vouchers/${third}/picture`,
    });
    expectCode(await getVoucher('424242'), 40401, 'payment voucher 424242');
    expectCode(await server.admin('GET', '/admin/vouchers?status=lost'), 40001, 'status');
  });

  it('serves the stored picture with its type, and only with the operator token', async () => {
    const jpeg = await picture('jpeg', 40, 30);
    const id = await recordVoucher(server, dev, { amount: 500, picture: jpeg });
    const url = `/admin/vouchers/${id}/picture`;
    const res = await fetch(server.baseUrl + url, { headers: { authorization: `Bearer ${server.deps.adminToken}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/jpeg');
    expect(Buffer.from(await res.arrayBuffer()).equals(jpeg)).toBe(true);

    expectCode(await server.request('GET', url), 40106);
    expectCode(await server.request('GET', url, { headers: { authorization: `Bearer ${'x'.repeat(40)}` } }), 40106);
    expectCode(await server.admin('GET', '/admin/vouchers/777/picture'), 40401, 'payment voucher 777');
    expectCode(await server.admin('GET', '/admin/vouchers/abc/picture'), 40001, 'voucherId');
  });

  it('approve credits the balance exactly once and asks for the order to be paid', async () => {
    const orderId = '1795432287562383999';
    const id = await recordVoucher(server, dev, { amount: 15_800, orderId, reference: 'ICBC-approve' });
    const before = await balanceOf(server, dev.developId);
    const approvals = await Promise.all(
      Array.from({ length: 8 }, () =>
        server.admin<{ voucher: Voucher; topup: { topupId: string; source: string }; balance: { balance: number } }>(
          'POST',
          `/admin/vouchers/${id}/approve`,
          { note: 'Transfer received' },
        ),
      ),
    );
    const ok = approvals.filter((r) => r.body.code === 200);
    expect(ok).toHaveLength(1);
    for (const r of approvals.filter((a) => a.body.code !== 200)) expectCode(r, 40901, 'already approved');
    const done = (ok[0] as (typeof ok)[number]).body.data;
    expect(done.voucher).toMatchObject({ voucherId: id, status: 'approved', reviewNote: 'Transfer received' });
    expect(done.voucher.reviewTime).toBeGreaterThan(0);
    expect(done.topup).toMatchObject({ source: 'voucher', voucherId: id, amount: 15_800, reference: 'ICBC-approve' });
    expect(done.balance.balance).toBe(before + 15_800);
    expect(await balanceOf(server, dev.developId)).toBe(before + 15_800);

    expectCode(await server.admin('POST', `/admin/vouchers/${id}/approve`, {}), 40901, 'already approved');
    expectCode(await server.admin('POST', `/admin/vouchers/${id}/reject`, { note: 'late' }), 40901);
    expect(await balanceOf(server, dev.developId)).toBe(before + 15_800);

    const ledger = await server.signed<{ entries: { kind: string; voucherId: string | null }[] }>(
      dev,
      'GET',
      '/open/account/ledger?kind=voucher_topup',
    );
    const entries = ledger.body.data.entries.filter((e) => e.voucherId === id);
    expect(entries).toEqual([
      expect.objectContaining({ kind: 'voucher_topup', voucherId: id, orderId, topupId: done.topup.topupId }),
    ]);
    const tx = await server.deps.database.db
      .selectFrom('ledger_transactions')
      .select(['idem_key'])
      .where('voucher_id', '=', id)
      .execute();
    expect(tx).toEqual([{ idem_key: `voucher:${id}` }]);

    const events = await server.deps.database.db
      .selectFrom('outbox')
      .selectAll()
      .where('event_type', '=', VOUCHER_APPROVED_EVENT)
      .execute();
    const mine = events.filter((e) => JSON.parse(e.payload).voucherId === id);
    expect(mine).toHaveLength(1);
    expect(JSON.parse(mine[0]?.payload ?? '')).toEqual({ voucherId: id, developId: dev.developId, orderId });
    expect(mine[0]?.ordering_key).toBe(`order:${orderId}`);
    await expectLedgerBalanced(server.deps.database.db);
  });

  it('approving a voucher without an order credits the balance and enqueues nothing', async () => {
    const id = await recordVoucher(server, dev, { amount: 700 });
    const before = await balanceOf(server, dev.developId);
    expectCode(await server.admin('POST', `/admin/vouchers/${id}/approve`), 200);
    expect(await balanceOf(server, dev.developId)).toBe(before + 700);
    const events = await server.deps.database.db
      .selectFrom('outbox')
      .select('payload')
      .where('event_type', '=', VOUCHER_APPROVED_EVENT)
      .execute();
    expect(events.filter((e) => JSON.parse(e.payload).voucherId === id)).toEqual([]);
  });

  it('reject needs a note, changes no money, and is final', async () => {
    const id = await recordVoucher(server, dev, { amount: 9_900, orderId: '1795432287562383888' });
    const before = await balanceOf(server, dev.developId);
    const txBefore = await server.deps.database.db
      .selectFrom('ledger_transactions')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expectCode(await server.admin('POST', `/admin/vouchers/${id}/reject`, {}), 40001, 'note');
    expectCode(await server.admin('POST', `/admin/vouchers/${id}/reject`, { note: '' }), 40001, 'note');
    const r = await server.admin<Voucher>('POST', `/admin/vouchers/${id}/reject`, { note: 'No such transfer' });
    expectCode(r, 200);
    expect(r.body.data).toMatchObject({ voucherId: id, status: 'rejected', reviewNote: 'No such transfer' });
    expectCode(await server.admin('POST', `/admin/vouchers/${id}/approve`, {}), 40901, 'already rejected');
    expectCode(await server.admin('POST', `/admin/vouchers/${id}/reject`, { note: 'again' }), 40901);
    expect(await balanceOf(server, dev.developId)).toBe(before);
    const txAfter = await server.deps.database.db
      .selectFrom('ledger_transactions')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(txAfter.n)).toBe(Number(txBefore.n));

    const rejected = await server.admin<{ list: Voucher[] }>('GET', `/admin/vouchers?status=rejected`);
    expect(rejected.body.data.list[0]?.voucherId).toBe(id);
    expectCode(await server.admin('POST', '/admin/vouchers/31337/approve', {}), 40401, 'payment voucher 31337');
    expectCode(await server.admin('POST', '/admin/vouchers/31337/reject', { note: 'x' }), 40401);
    await expectLedgerBalanced(server.deps.database.db);
  });
});
