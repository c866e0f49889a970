import { ApiError, PonteAdminClient, PonteClient } from '@ponte/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Credentials, startServer, type TestServer } from '../../harness.js';
import { expectLedgerBalanced } from '../../ledger.js';
import { PAYMENTS_ENV, recordVoucher, testVoucherRoute } from './payments-fixtures.js';

/** The SDK's payments resources against the real server: account, top-ups, vouchers, the operator's ledger. */
describe('SDK payments', () => {
  let server: TestServer;
  let admin: PonteAdminClient;
  let client: PonteClient;
  let developId: string;
  let owner: Credentials;

  beforeAll(async () => {
    server = await startServer({ env: PAYMENTS_ENV, routes: [testVoucherRoute] });
    admin = new PonteAdminClient({ baseUrl: server.baseUrl, token: server.deps.adminToken });
    const created = await admin.developers.create({ name: 'SDK payments' });
    developId = created.developer.developId;
    owner = {
      developId,
      accessKey: created.key.accessKey,
      accessSecret: created.key.accessSecret,
      userId: created.mainAccount.userId,
    };
    client = new PonteClient({ baseUrl: server.baseUrl, ...owner });
  });
  afterAll(() => server.close());

  it('tops up once per idempotency key and shows the balance and ledger to both sides', async () => {
    const a = await admin.topups.create(developId, { amount: 8_800, reference: 'sdk-1' }, { idempotencyKey: 't-1' });
    const b = await admin.topups.create(developId, { amount: 8_800, reference: 'sdk-1' }, { idempotencyKey: 't-1' });
    expect(b).toEqual(a);
    expect((await client.account.balance()).balance).toBe(8_800);
    expect((await admin.balance(developId)).balance).toBe(8_800);
    const ledger = await client.account.ledger({ kind: 'topup', pageSize: 5 });
    expect(ledger.entries.map((e) => [e.amount, e.topupId])).toEqual([[8_800, a.topup.topupId]]);
    expect(await admin.ledger(developId, { kind: 'topup', pageSize: 5 })).toEqual(ledger);
    const refused = await admin.balance('4242').catch((e: unknown) => e);
    expect((refused as ApiError).code).toBe(40401);
  });

  it('lists, shows, approves and rejects vouchers', async () => {
    const first = await recordVoucher(server, owner, { amount: 1_200 });
    const second = await recordVoucher(server, owner, { amount: 3_400 });
    const pending = await admin.vouchers.list({ developId });
    expect(pending.list.map((v) => v.voucherId)).toEqual([first, second]);
    expect((await admin.vouchers.get(first)).status).toBe('pending');
    const approved = await admin.vouchers.approve(first, { note: 'ok' });
    expect(approved.balance.balance).toBe(8_800 + 1_200);
    const rejected = await admin.vouchers.reject(second, { note: 'no transfer' });
    expect(rejected.status).toBe('rejected');
    const again = await admin.vouchers.approve(second).catch((e: unknown) => e);
    expect(again).toBeInstanceOf(ApiError);
    expect((again as ApiError).code).toBe(40901);
    expect((await client.account.balance()).balance).toBe(10_000);
    await expectLedgerBalanced(server.deps.database.db);
  });
});
