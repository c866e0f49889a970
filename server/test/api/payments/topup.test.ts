import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Credentials, type Reply, startServer, type TestServer } from '../../harness.js';
import { expectLedgerBalanced } from '../../ledger.js';
import { waitFor } from '../../wait.js';
import { balanceOf, expectCode, PAYMENTS_ENV } from './payments-fixtures.js';

/** POST /admin/developers/{developId}/topups: the operator credits a balance, once per Idempotency-Key. */

interface TopupReply {
  topup: {
    topupId: string;
    developId: string;
    amount: number;
    source: string;
    voucherId: string | null;
    reference: string;
    note: string;
    createTime: number;
  };
  transactionId: string;
  balance: { developId: string; currency: string; balance: number; updateTime: number };
}

let server: TestServer;
let dev: Credentials;

beforeAll(async () => {
  server = await startServer({ env: PAYMENTS_ENV });
  dev = await server.createDeveloper('Top-up developer');
});
afterAll(() => server.close());

function post(body: unknown, key?: string, developId = dev.developId): Promise<Reply<TopupReply>> {
  return server.request<TopupReply>('POST', `/admin/developers/${developId}/topups`, {
    body: JSON.stringify(body),
    headers: {
      authorization: `Bearer ${server.deps.adminToken}`,
      'content-type': 'application/json',
      ...(key ? { 'idempotency-key': key } : {}),
    },
  });
}

async function count(table: 'topups' | 'ledger_transactions'): Promise<number> {
  const row = await server.deps.database.db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

describe('a top-up', () => {
  it('credits the balance and answers the top-up with the new balance', async () => {
    const r = await post({ amount: 12_345, reference: 'ICBC-0042', note: 'January' });
    expectCode(r, 200);
    expect(r.body.data.topup).toMatchObject({
      developId: dev.developId,
      amount: 12_345,
      source: 'operator',
      voucherId: null,
      reference: 'ICBC-0042',
      note: 'January',
    });
    expect(r.body.data.balance).toMatchObject({ developId: dev.developId, currency: 'CNY', balance: 12_345 });
    const again = await post({ amount: 55, reference: 'ICBC-0043' });
    expectCode(again, 200);
    expect(again.body.data.topup.note).toBe('');
    expect(again.body.data.balance.balance).toBe(12_400);
    expect(await balanceOf(server, dev.developId)).toBe(12_400);
    const tx = await server.deps.database.db
      .selectFrom('ledger_transactions')
      .selectAll()
      .where('id', '=', r.body.data.transactionId)
      .executeTakeFirstOrThrow();
    expect(tx).toMatchObject({
      idem_key: `topup:${r.body.data.topup.topupId}`,
      kind: 'topup',
      develop_id: dev.developId,
      topup_id: r.body.data.topup.topupId,
    });
    await expectLedgerBalanced(server.deps.database.db);
  });

  it('refuses bad amounts and missing fields with 40001, storing nothing', async () => {
    const before = [await count('topups'), await count('ledger_transactions')];
    expectCode(await post({ amount: 0, reference: 'r' }), 40001, 'amount');
    expectCode(await post({ amount: -5, reference: 'r' }), 40001, 'amount');
    expectCode(await post({ amount: 1.5, reference: 'r' }), 40001, 'amount');
    expectCode(await post({ amount: 100_000_001, reference: 'r' }), 40001, 'amount');
    expectCode(await post({ amount: 10 }), 40001, 'reference');
    expectCode(await post({ amount: 10, reference: '' }), 40001, 'reference');
    expectCode(await post({ amount: 10, reference: 'r', note: 'x'.repeat(201) }), 40001, 'note');
    expectCode(await post({ amount: 10, reference: 'r', extra: 1 }), 40001, 'extra');
    expect([await count('topups'), await count('ledger_transactions')]).toEqual(before);
  });

  it('answers 40401 for an unknown developer and 40106 without the token', async () => {
    expectCode(await post({ amount: 10, reference: 'r' }, undefined, '98765'), 40401, 'developer 98765');
    const anonymous = await server.request('POST', `/admin/developers/${dev.developId}/topups`, {
      body: JSON.stringify({ amount: 10, reference: 'r' }),
      headers: { 'content-type': 'application/json' },
    });
    expectCode(anonymous, 40106);
  });
});

describe('Idempotency-Key on a top-up', () => {
  it('the same key 20 times at once: one top-up, one ledger transaction, identical replies', async () => {
    const other = await server.createDeveloper('Concurrent top-ups');
    const key = `topup-${Math.random().toString(36).slice(2)}`;
    const body = { amount: 5_000, reference: 'SWIFT-77' };
    const [topupsBefore, txBefore] = [await count('topups'), await count('ledger_transactions')];
    // A client retries while the first request still runs (40903), as the SDK does.
    const send = () =>
      waitFor(
        async () => {
          const r = await post(body, key, other.developId);
          return r.body.code === 40903 ? null : r;
        },
        { timeoutMs: 20_000, message: 'the top-up to finish' },
      );
    const replies = await Promise.all(Array.from({ length: 20 }, send));
    for (const r of replies) expectCode(r, 200);
    expect(new Set(replies.map((r) => r.text)).size).toBe(1);
    expect(replies.filter((r) => r.headers.get('idempotent-replayed') !== 'true')).toHaveLength(1);
    expect(await count('topups')).toBe(topupsBefore + 1);
    expect(await count('ledger_transactions')).toBe(txBefore + 1);
    expect(await balanceOf(server, other.developId)).toBe(5_000);

    const different = await post({ ...body, amount: 5_001 }, key, other.developId);
    expectCode(different, 40902);
    expect(await count('topups')).toBe(topupsBefore + 1);
    expect(await balanceOf(server, other.developId)).toBe(5_000);
    await expectLedgerBalanced(server.deps.database.db);
  });
});
