import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACCOUNTS, balanceOf, postTransaction } from '../../../src/modules/payments/index.js';
import { defineRoute } from '../../../src/platform/http/route.js';
import { Int, Strict, Type } from '../../../src/platform/http/schema.js';
import { type Credentials, startServer, type TestServer } from '../../harness.js';
import { expectLedgerBalanced } from '../../ledger.js';
import { expectCode, PAYMENTS_ENV, topUp } from './payments-fixtures.js';

/**
 * The ledger under concurrent debits: the conditional update in postTransaction keeps a balance from
 * going below 0 without reading it first, so of 50 debits of 100 fen against 1,000 exactly 10 pass.
 */

/** Test-only: debits the caller's balance towards the upstream clearing account. */
const debitRoute = defineRoute({
  method: 'POST',
  url: '/test/payments/debit',
  operationId: 'testDebit',
  summary: 'Debits the balance (tests only)',
  tags: ['Test'],
  auth: 'signed',
  mutation: true,
  errors: [42201],
  body: Strict({ amount: Int('Fen', 1, 1_000_000) }),
  data: Type.Object({ transactionId: Type.String(), balance: Type.Integer() }),
  handler: async ({ deps, db, auth, body }) => {
    const posted = await postTransaction(db, deps, {
      idemKey: `test-debit:${deps.ids.next(deps.clock.now())}`,
      kind: 'adjustment',
      developId: auth.developId,
      memo: 'test debit',
      entries: [
        { account: ACCOUNTS.balance(auth.developId), amountFen: -body.amount },
        { account: ACCOUNTS.upstreamClearing, amountFen: body.amount },
      ],
    });
    return { transactionId: posted.transactionId, balance: await balanceOf(db, auth.developId) };
  },
});

let server: TestServer;
let dev: Credentials;

beforeAll(async () => {
  server = await startServer({ env: PAYMENTS_ENV, routes: [debitRoute] });
  dev = await server.createDeveloper('Concurrent debits');
});
afterAll(() => server.close());

describe('concurrent debits of one balance', () => {
  it('50 debits of 100 fen against 1,000 fen: exactly 10 succeed, 40 answer 42201, the balance ends at 0', async () => {
    await topUp(server, dev.developId, 1_000);
    const replies = await Promise.all(
      Array.from({ length: 50 }, () =>
        server.signed<{ balance: number }>(dev, 'POST', '/test/payments/debit', { body: { amount: 100 } }),
      ),
    );
    const ok = replies.filter((r) => r.body.code === 200);
    const refused = replies.filter((r) => r.body.code !== 200);
    expect(ok).toHaveLength(10);
    expect(refused).toHaveLength(40);
    for (const r of refused) expectCode(r, 42201);
    expect(ok.map((r) => r.body.data.balance).sort((a, b) => a - b)).toEqual([
      0, 100, 200, 300, 400, 500, 600, 700, 800, 900,
    ]);
    const balance = await server.signed<{ balance: number }>(dev, 'GET', '/open/account/balance');
    expect(balance.body.data.balance).toBe(0);
    // The refused debits left nothing behind: one top-up and ten debits.
    const ledger = await server.signed<{ total: number }>(dev, 'GET', '/open/account/ledger');
    expect(ledger.body.data.total).toBe(11);
    await expectLedgerBalanced(server.deps.database.db);
  });

  it('posting the same idempotency key twice moves the money once', async () => {
    const other = await server.createDeveloper('Same key');
    await topUp(server, other.developId, 500);
    const post = () =>
      server.deps.database.transaction((trx) =>
        postTransaction(trx, server.deps, {
          idemKey: `test-same:${other.developId}`,
          kind: 'adjustment',
          developId: other.developId,
          memo: 'once',
          entries: [
            { account: ACCOUNTS.balance(other.developId), amountFen: -200 },
            { account: ACCOUNTS.refunds, amountFen: 200 },
          ],
        }),
      );
    const [a, b] = await Promise.all([post(), post()]);
    expect([a.created, b.created].sort()).toEqual([false, true]);
    expect(a.transactionId).toBe(b.transactionId);
    expect(await balanceOf(server.deps.database.db, other.developId)).toBe(300);
    await expectLedgerBalanced(server.deps.database.db);
  });

  it('a refused debit leaves nothing behind, even when the caller catches 42201 and commits', async () => {
    const other = await server.createDeveloper('Caught refusal');
    await topUp(server, other.developId, 100);
    const key = `test-caught:${other.developId}`;
    const caught = await server.deps.database.transaction(async (trx) => {
      const error = await postTransaction(trx, server.deps, {
        idemKey: key,
        kind: 'adjustment',
        developId: other.developId,
        memo: 'too much',
        entries: [
          { account: ACCOUNTS.topups, amountFen: 500 },
          { account: ACCOUNTS.balance(other.developId), amountFen: -500 },
        ],
      }).catch((e: unknown) => e);
      // The caller goes on in the same transaction after the refusal.
      await trx.updateTable('developers').set({ name: 'still here' }).where('id', '=', other.developId).execute();
      return error;
    });
    expect((caught as { code?: number }).code).toBe(42201);
    const db = server.deps.database.db;
    expect(await db.selectFrom('ledger_transactions').select('id').where('idem_key', '=', key).execute()).toEqual([]);
    expect(await balanceOf(db, other.developId)).toBe(100);
    const renamed = await db
      .selectFrom('developers')
      .select('name')
      .where('id', '=', other.developId)
      .executeTakeFirst();
    expect(renamed?.name).toBe('still here');
    await expectLedgerBalanced(db);
  });

  it('opens a transaction of its own when given a plain connection', async () => {
    const other = await server.createDeveloper('Plain connection');
    const posted = await postTransaction(server.deps.database.db, server.deps, {
      idemKey: `test-plain:${other.developId}`,
      kind: 'adjustment',
      developId: other.developId,
      memo: 'plain',
      entries: [
        { account: ACCOUNTS.balance(other.developId), amountFen: 42 },
        { account: ACCOUNTS.topups, amountFen: -42 },
      ],
    });
    expect(posted.created).toBe(true);
    expect(await balanceOf(server.deps.database.db, other.developId)).toBe(42);
    await expectLedgerBalanced(server.deps.database.db);
  });

  it('refuses a transaction whose entries do not sum to 0', async () => {
    await expect(
      server.deps.database.transaction((trx) =>
        postTransaction(trx, server.deps, {
          idemKey: 'test-unbalanced',
          kind: 'adjustment',
          developId: dev.developId,
          memo: 'unbalanced',
          entries: [
            { account: ACCOUNTS.balance(dev.developId), amountFen: 100 },
            { account: ACCOUNTS.topups, amountFen: -99 },
          ],
        }),
      ),
    ).rejects.toThrow(/does not balance/);
  });
});
