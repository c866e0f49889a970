import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/platform/clock.js';
import { type Credentials, startServer, type TestServer } from '../../harness.js';
import { expectLedgerBalanced } from '../../ledger.js';
import { createSubAccount, expectCode, PAYMENTS_ENV, topUp } from './payments-fixtures.js';

/** GET /open/account/balance and /open/account/ledger, and the operator's views of them. */

interface Entry {
  entryId: string;
  transactionId: string;
  kind: string;
  amount: number;
  balanceAfter: number;
  orderId: string | null;
  paymentId: string | null;
  voucherId: string | null;
  topupId: string | null;
  memo: string;
  createTime: number;
}
interface LedgerPage {
  total: number;
  pageNo: number;
  pageSize: number;
  currency: string;
  entries: Entry[];
}

const T0 = Date.UTC(2026, 0, 15, 9, 0, 0);
const clock = new ManualClock(T0);
let server: TestServer;
let devA: Credentials;
let devB: Credentials;
let subA: string;
/** The top-ups of A, oldest first: amount, id and time. */
const topups: { amount: number; topupId: string; at: number }[] = [];

beforeAll(async () => {
  server = await startServer({ env: PAYMENTS_ENV, overrides: { clock } });
  devA = await server.createDeveloper('Ledger A');
  devB = await server.createDeveloper('Ledger B');
  subA = await createSubAccount(server, devA, 'A store');
  for (const [i, amount] of [10_000, 2_500, 40_000, 1, 7_499].entries()) {
    clock.advance(60_000);
    const done = await topUp(server, devA.developId, amount, `bank-${i}`);
    topups.push({ amount, topupId: done.topup.topupId, at: clock.now() });
  }
  clock.advance(60_000);
});
afterAll(() => server.close());

const ledger = (creds: Credentials, query = '', userId?: string) =>
  server.signed<LedgerPage>(creds, 'GET', `/open/account/ledger${query}`, { userId });

describe('GET /open/account/balance', () => {
  it("answers the developer's balance in fen after its top-ups", async () => {
    const r = await server.signed<{ developId: string; currency: string; balance: number; updateTime: number }>(
      devA,
      'GET',
      '/open/account/balance',
    );
    expectCode(r, 200);
    expect(r.body.data).toEqual({
      developId: devA.developId,
      currency: 'CNY',
      balance: 60_000,
      updateTime: topups[4]?.at,
    });
  });

  it('is the same balance for a sub-account of the developer', async () => {
    const r = await server.signed<{ balance: number }>(devA, 'GET', '/open/account/balance', { userId: subA });
    expectCode(r, 200);
    expect(r.body.data.balance).toBe(60_000);
  });

  it('another developer sees only its own balance: zero, since its creation', async () => {
    const r = await server.signed<{ developId: string; balance: number; updateTime: number }>(
      devB,
      'GET',
      '/open/account/balance',
    );
    expectCode(r, 200);
    expect(r.body.data.developId).toBe(devB.developId);
    expect(r.body.data.balance).toBe(0);
    expect(r.body.data.updateTime).toBe(T0);
    const own = await ledger(devB);
    expectCode(own, 200);
    expect(own.body.data).toEqual({ total: 0, pageNo: 1, pageSize: 20, currency: 'CNY', entries: [] });
  });
});

describe('GET /open/account/ledger', () => {
  it('lists every entry newest first, each naming its top-up, with the balance after it', async () => {
    const r = await ledger(devA);
    expectCode(r, 200);
    const page = r.body.data;
    expect(page).toMatchObject({ total: 5, pageNo: 1, pageSize: 20, currency: 'CNY' });
    expect(page.entries.map((e) => e.topupId)).toEqual(topups.map((t) => t.topupId).reverse());
    expect(page.entries.map((e) => e.amount)).toEqual([7_499, 1, 40_000, 2_500, 10_000]);
    expect(page.entries.map((e) => e.balanceAfter)).toEqual([60_000, 52_501, 52_500, 12_500, 10_000]);
    expect(page.entries.map((e) => e.createTime)).toEqual(topups.map((t) => t.at).reverse());
    for (const e of page.entries) {
      expect(e).toMatchObject({ kind: 'topup', orderId: null, paymentId: null, voucherId: null });
      expect(e.memo).toMatch(/^Top-up by the operator \(reference bank-\d\)$/);
    }
    expect(new Set(page.entries.map((e) => e.transactionId)).size).toBe(5);
  });

  it('pages', async () => {
    const first = await ledger(devA, '?pageNo=1&pageSize=2');
    const third = await ledger(devA, '?pageNo=3&pageSize=2');
    const beyond = await ledger(devA, '?pageNo=4&pageSize=2');
    for (const r of [first, third, beyond]) expectCode(r, 200);
    expect(first.body.data.entries.map((e) => e.amount)).toEqual([7_499, 1]);
    expect(third.body.data.entries.map((e) => e.amount)).toEqual([10_000]);
    expect(third.body.data).toMatchObject({ total: 5, pageNo: 3, pageSize: 2 });
    expect(beyond.body.data.entries).toEqual([]);
    expect(beyond.body.data.total).toBe(5);
    expectCode(await ledger(devA, '?pageSize=51'), 40001, 'pageSize');
    expectCode(await ledger(devA, '?pageNo=0'), 40001, 'pageNo');
  });

  it('filters by time (inclusive) and by kind', async () => {
    const [, second, third, fourth] = topups as [unknown, { at: number }, { at: number }, { at: number }];
    const r = await ledger(devA, `?startTime=${second.at}&endTime=${fourth.at}`);
    expectCode(r, 200);
    expect(r.body.data.total).toBe(3);
    expect(r.body.data.entries.map((e) => e.amount)).toEqual([1, 40_000, 2_500]);
    const after = await ledger(devA, `?startTime=${third.at + 1}`);
    expect(after.body.data.entries.map((e) => e.amount)).toEqual([7_499, 1]);

    const byKind = await ledger(devA, '?kind=topup&pageSize=1');
    expect(byKind.body.data.total).toBe(5);
    const none = await ledger(devA, '?kind=order_payment');
    expectCode(none, 200);
    expect(none.body.data.total).toBe(0);
    expectCode(await ledger(devA, '?kind=gift'), 40001, 'kind');
    expectCode(await ledger(devA, '?startTime=yesterday'), 40001, 'startTime');
    expectCode(await ledger(devA, '?colour=red'), 40001, 'colour');
  });

  it('is for the main account only: a sub-account answers 40301', async () => {
    expectCode(await ledger(devA, '', subA), 40301);
  });

  it("never shows one developer's entries to another", async () => {
    await topUp(server, devB.developId, 333);
    const b = await ledger(devB);
    expectCode(b, 200);
    expect(b.body.data.total).toBe(1);
    expect(b.body.data.entries.map((e) => e.amount)).toEqual([333]);
    const aTopups = new Set(topups.map((t) => t.topupId));
    expect(b.body.data.entries.filter((e) => aTopups.has(e.topupId ?? ''))).toEqual([]);
    const a = await ledger(devA);
    expect(a.body.data.total).toBe(5);
  });
});

describe('the operator views', () => {
  it("answers a developer's balance and ledger, as the developer sees them", async () => {
    const balance = await server.admin<{ balance: number }>('GET', `/admin/developers/${devA.developId}/balance`);
    expectCode(balance, 200);
    expect(balance.body.data.balance).toBe(60_000);
    const own = await ledger(devA, '?pageSize=3');
    const seen = await server.admin<LedgerPage>('GET', `/admin/developers/${devA.developId}/ledger?pageSize=3`);
    expectCode(seen, 200);
    expect(seen.body.data).toEqual(own.body.data);
  });

  it('answers 40401 for an unknown developer and 40106 without the token', async () => {
    expectCode(await server.admin('GET', '/admin/developers/12345/balance'), 40401, 'developer 12345');
    expectCode(await server.admin('GET', '/admin/developers/12345/ledger'), 40401, 'developer 12345');
    expectCode(await server.request('GET', `/admin/developers/${devA.developId}/balance`), 40106);
    expectCode(await server.request('GET', `/admin/developers/${devA.developId}/ledger`), 40106);
  });

  it('leaves the ledger balanced', async () => {
    await expectLedgerBalanced(server.deps.database.db);
  });
});
