import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createVoucher, readVoucherPicture } from '../../src/modules/payments/index.js';
import { picture } from '../api/payments/payments-fixtures.js';
import { type Credentials, startServer, type TestServer } from '../harness.js';
import { expectLedgerBalanced } from '../ledger.js';
import { json, ponte } from './ponte-admin.js';

describe('ponte admin topup and vouchers', () => {
  let server: TestServer;
  let dev: Credentials;
  let at: string[];
  beforeAll(async () => {
    server = await startServer();
    dev = await server.createDeveloper('CLI payments');
    at = ['--url', server.baseUrl, '--token', server.deps.adminToken];
  });
  afterAll(() => server.close());

  /** A pending voucher of `dev`, recorded through the payments service as the upload does. */
  async function voucher(amount: number): Promise<string> {
    const pic = await readVoucherPicture((await picture('png')).toString('base64'));
    const row = await server.deps.database.transaction((trx) =>
      createVoucher(trx, server.deps, {
        developId: dev.developId,
        userId: dev.userId,
        orderId: null,
        amountFen: amount,
        reference: `cli-${amount}`,
        picture: pic,
      }),
    );
    return row.id;
  }

  it('tops up a balance', async () => {
    const done = json<{ topup: { amount: number; reference: string; note: string }; balance: { balance: number } }>(
      await ponte(['topup', dev.developId, '25000', '--reference', 'ICBC-77', '--note', 'first', ...at]),
    );
    expect(done.topup).toMatchObject({ amount: 25_000, reference: 'ICBC-77', note: 'first' });
    expect(done.balance.balance).toBe(25_000);

    const missing = await ponte(['topup', dev.developId, '100', ...at]);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain('--reference');
    const badAmount = await ponte(['topup', dev.developId, '12.5', '--reference', 'x', ...at]);
    expect(badAmount.code).not.toBe(0);
    expect(badAmount.stderr).toContain('expected an integer');
    const unknown = await ponte(['topup', '4242', '100', '--reference', 'x', ...at]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/^error 40401: Not found: developer 4242 /);
  });

  it('lists, approves and rejects vouchers', async () => {
    const first = await voucher(1_100);
    const second = await voucher(2_200);
    const pending = json<{ total: number; list: { voucherId: string; status: string }[] }>(
      await ponte(['vouchers', 'list', '--develop-id', dev.developId, ...at]),
    );
    expect(pending.total).toBe(2);
    expect(pending.list.map((v) => v.voucherId)).toEqual([first, second]);

    const shown = json<{ voucherId: string; pictureUrl: string }>(await ponte(['vouchers', 'get', first, ...at]));
    expect(shown.pictureUrl).toBe(`${server.baseUrl}/admin/vouchers/${first}/picture`);

    const approved = json<{ voucher: { status: string }; balance: { balance: number } }>(
      await ponte(['vouchers', 'approve', first, '--note', 'received', ...at]),
    );
    expect(approved.voucher.status).toBe('approved');
    expect(approved.balance.balance).toBe(25_000 + 1_100);

    const noNote = await ponte(['vouchers', 'reject', second, ...at]);
    expect(noNote.code).not.toBe(0);
    expect(noNote.stderr).toContain('--note');
    const rejected = json<{ status: string; reviewNote: string }>(
      await ponte(['vouchers', 'reject', second, '--note', 'no such transfer', ...at]),
    );
    expect(rejected).toMatchObject({ status: 'rejected', reviewNote: 'no such transfer' });

    const twice = await ponte(['vouchers', 'approve', first, ...at]);
    expect(twice.code).toBe(1);
    expect(twice.stderr).toMatch(/^error 40901: /);
    const listed = json<{ list: { voucherId: string }[] }>(
      await ponte(['vouchers', 'list', '--status', 'rejected', '--compact', ...at]),
    );
    expect(listed.list.map((v) => v.voucherId)).toEqual([second]);
    const badStatus = await ponte(['vouchers', 'list', '--status', 'lost', ...at]);
    expect(badStatus.code).not.toBe(0);
    expect(badStatus.stderr).toContain('pending, approved, rejected');
    await expectLedgerBalanced(server.deps.database.db);
  });
});
