import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/platform/clock.js';
import { type Credentials, startServer, type TestServer } from '../../harness.js';
import { expectLedgerBalanced } from '../../ledger.js';

/**
 * Money moves once (docs/adr/0011-orders-payments-ledger.md): concurrent payments against one balance,
 * concurrent payments of one order, and an upstream that refuses, fails, times out or loses its answer
 * between the debit and the payment. Every case ends with the ledger balanced and Ponte agreeing with
 * the marketplace.
 */
interface Order {
  orderId: string;
  totalPrice: number;
  payStatus: string;
  subPurchaseOrders: { purchaseOrderOuterId: string }[];
}

const RECEIVER = {
  name: 'Ponte Warehouse',
  mobile_phone: '13800000000',
  country: 'CN',
  state: '广东省',
  city: '东莞市',
  district: '虎门镇',
  address: '集货仓 1 号',
};

describe('paying orders: every debit is paid upstream or given back, once', () => {
  const clock = new ManualClock();
  let server: TestServer;
  let dev: Credentials;
  let sku: { itemId: string; skuId: string };

  beforeAll(async () => {
    server = await startServer({
      overrides: { clock },
      env: {
        SANDBOX_GOODS: '150',
        SANDBOX_SEED: '4',
        UPSTREAM_TIMEOUT_MS: '300',
        ORDER_SETTLE_DELAY_MS: '30000',
        RATE_LIMIT_PER_SECOND: '100000',
        RATE_LIMIT_BURST: '100000',
      },
    });
    dev = await server.createDeveloper();
    const sandbox = server.deps.sandbox;
    if (!sandbox) throw new Error('runs on the sandbox market');
    sandbox.ensureSeeded();
    // Sellers that neither change prices nor ship by themselves during the test.
    await server.admin('PUT', '/sandbox/policy', { priceModifyRate: 0, shipAfterMs: 30 * 86_400_000 });
    const row = sandbox.store.db
      .prepare(
        `select s.good_id as itemId, s.sku_id as skuId from skus s join goods g on g.platform = s.platform and g.id = s.good_id
         where s.platform = 'taobao' and s.stock >= 200 and g.status = 'active' order by g.idx limit 1`,
      )
      .get() as { itemId: string; skuId: string } | undefined;
    if (!row) throw new Error('no Taobao SKU with enough stock');
    sku = row;
  });
  afterAll(() => server.close());
  beforeEach(async () => {
    await server.request('DELETE', '/sandbox/faults', {
      headers: { authorization: `Bearer ${server.deps.adminToken}` },
    });
  });

  async function createOrder(quantity = 1): Promise<Order> {
    const r = await server.signed<Order>(dev, 'POST', '/open/order', {
      body: {
        orderLineList: [{ itemId: sku.itemId, skuId: sku.skuId, quantity, orderLineNo: '1' }],
        receiver: RECEIVER,
      },
    });
    if (r.body.code !== 200) throw new Error(`create failed: ${r.text}`);
    return r.body.data;
  }

  const pay = (orderId: string, headers: Record<string, string> = {}) =>
    server.signed<{ payStatus: string; alreadyPaid: boolean; balance: number }>(dev, 'POST', '/open/order/pay', {
      body: { orderId },
      headers,
    });

  async function topUp(amount: number): Promise<void> {
    const r = await server.admin('POST', `/admin/developers/${dev.developId}/topups`, { amount, reference: 'test' });
    expect(r.body.code).toBe(200);
  }

  async function balance(): Promise<number> {
    const r = await server.signed<{ balance: number }>(dev, 'GET', '/open/account/balance');
    return r.body.data.balance;
  }

  async function drainBalance(): Promise<void> {
    const left = await balance();
    if (left === 0) return;
    // An order of exactly the balance's worth is not at hand: move it back out through the ledger's own account.
    const db = server.deps.database;
    const { postTransaction, ACCOUNTS } = await import('../../../src/modules/payments/index.js');
    await db.transaction((trx) =>
      postTransaction(trx, server.deps, {
        idemKey: `test-drain:${clock.now()}:${Math.random()}`,
        kind: 'adjustment',
        developId: dev.developId,
        memo: 'test: empty the balance',
        entries: [
          { account: ACCOUNTS.balance(dev.developId), amountFen: -left },
          { account: ACCOUNTS.topups, amountFen: left },
        ],
      }),
    );
  }

  function upstreamStatus(order: Order): string | undefined {
    const id = order.subPurchaseOrders[0]?.purchaseOrderOuterId ?? '';
    const row = server.deps.sandbox?.store.db.prepare('select status from orders where order_id = ?').get(id) as
      | { status: string }
      | undefined;
    return row?.status;
  }

  async function payStateOf(orderId: string): Promise<string> {
    const row = await server.deps.database.db
      .selectFrom('orders')
      .select('pay_state')
      .where('id', '=', orderId)
      .executeTakeFirstOrThrow();
    return row.pay_state;
  }

  const setFault = (fault: Record<string, number>) =>
    server.request('PUT', '/sandbox/faults/payOrder', {
      body: JSON.stringify(fault),
      headers: { authorization: `Bearer ${server.deps.adminToken}`, 'content-type': 'application/json' },
    });

  it('50 concurrent payments of different orders: exactly as many succeed as the balance covers', async () => {
    await drainBalance();
    const orders: Order[] = [];
    for (let i = 0; i < 50; i++) orders.push(await createOrder());
    const price = orders[0]?.totalPrice ?? 0;
    expect(price).toBeGreaterThan(0);
    expect(orders.every((o) => o.totalPrice === price)).toBe(true);
    await topUp(17 * price + Math.floor(price / 2));

    const replies = await Promise.all(orders.map((o) => pay(o.orderId)));
    const codes = replies.map((r) => r.body.code);
    expect(codes.filter((c) => c === 200)).toHaveLength(17);
    expect(codes.filter((c) => c === 42201)).toHaveLength(33);
    expect(await balance()).toBe(Math.floor(price / 2));
    const paid = orders.filter((_, i) => replies[i]?.body.code === 200);
    expect(paid.map(upstreamStatus)).toEqual(paid.map(() => 'wait_seller_send'));
    const refused = orders.filter((_, i) => replies[i]?.body.code === 42201);
    expect(refused.map(upstreamStatus)).toEqual(refused.map(() => 'wait_buyer_pay'));
    expect(await Promise.all(refused.map((o) => payStateOf(o.orderId)))).toEqual(refused.map(() => 'unpaid'));
    await expectLedgerBalanced(server.deps.database.db);
  });

  it('20 concurrent payments of one order debit it once', async () => {
    const order = await createOrder(2);
    await topUp(order.totalPrice * 3);
    const before = await balance();
    const replies = await Promise.all(Array.from({ length: 20 }, () => pay(order.orderId)));
    expect(replies.map((r) => r.body.code)).toEqual(replies.map(() => 200));
    expect(replies.filter((r) => !r.body.data.alreadyPaid).length).toBeGreaterThanOrEqual(1);
    expect(await balance()).toBe(before - order.totalPrice);
    const debits = await server.deps.database.db
      .selectFrom('ledger_transactions')
      .select('id')
      .where('order_id', '=', order.orderId)
      .where('kind', '=', 'order_payment')
      .execute();
    expect(debits).toHaveLength(1);
    expect(upstreamStatus(order)).toBe('wait_seller_send');
    await expectLedgerBalanced(server.deps.database.db);
  });

  it('the same Idempotency-Key 100 times pays once with identical replies', async () => {
    const order = await createOrder();
    await topUp(order.totalPrice);
    const before = await balance();
    const key = `pay-${order.orderId}`;
    const first = await pay(order.orderId, { 'idempotency-key': key });
    const again = await Promise.all(Array.from({ length: 99 }, () => pay(order.orderId, { 'idempotency-key': key })));
    expect(first.body.code).toBe(200);
    expect(again.map((r) => r.text)).toEqual(again.map(() => first.text));
    expect(await balance()).toBe(before - order.totalPrice);
  });

  it('a price changed upstream after the order was read: 42203, the debit given back', async () => {
    const order = await createOrder();
    await topUp(order.totalPrice * 2);
    const before = await balance();
    const upstreamId = order.subPurchaseOrders[0]?.purchaseOrderOuterId ?? '';
    const changed = await server.admin('POST', `/sandbox/taobao/orders/${upstreamId}/price`, {
      totalFen: order.totalPrice + 500,
    });
    expect(changed.body.code).toBe(200);
    // Ponte has not heard of the change yet (the event waits in the outbox): it debits the old total.
    const refused = await pay(order.orderId);
    expect(refused.body.code).toBe(42203);
    expect(await balance()).toBe(before);
    expect(await payStateOf(order.orderId)).toBe('unpaid');
    expect(upstreamStatus(order)).toBe('wait_buyer_pay');

    await server.drainOutbox();
    const read = await server.signed<Order>(dev, 'GET', `/open/order/get?orderId=${order.orderId}`);
    expect(read.body.data.totalPrice).toBe(order.totalPrice + 500);
    const price = await server.signed(
      dev,
      'GET',
      `/open/message/list?objectId=${order.orderId}&messageType=ORDER_BUYER_VIEW_ORDER_PRICE_MODIFY`,
    );
    expect((price.body.data as { total: number }).total).toBe(1);
    const paid = await pay(order.orderId);
    expect(paid.body.code).toBe(200);
    expect(await balance()).toBe(before - order.totalPrice - 500);
    await expectLedgerBalanced(server.deps.database.db);
  });

  it('an upstream failing at payment leaves the order paying; the worker pays it when the upstream answers', async () => {
    const order = await createOrder();
    await topUp(order.totalPrice);
    const before = await balance();
    await setFault({ errorRate: 1 });
    const failed = await pay(order.orderId);
    expect(failed.body.code).toBe(50201);
    expect(await payStateOf(order.orderId)).toBe('paying');
    expect(await balance()).toBe(before - order.totalPrice);

    // Not due yet, then due while the upstream still fails: the order stays paying.
    await server.drainOutbox();
    clock.advance(31_000);
    await server.drainOutbox();
    expect(await payStateOf(order.orderId)).toBe('paying');

    await setFault({ errorRate: 0 });
    clock.advance(10 * 60_000);
    await server.drainOutbox();
    expect(await payStateOf(order.orderId)).toBe('paid');
    expect(upstreamStatus(order)).toBe('wait_seller_send');
    expect(await balance()).toBe(before - order.totalPrice);
    await expectLedgerBalanced(server.deps.database.db);
  });

  it('a payment whose answer never comes is reconciled: not paid answers 50401 and the worker finishes it', async () => {
    const order = await createOrder();
    await topUp(order.totalPrice);
    await setFault({ timeoutRate: 1 });
    const timedOut = await pay(order.orderId);
    expect(timedOut.body.code).toBe(50401);
    expect(await payStateOf(order.orderId)).toBe('paying');
    await setFault({ timeoutRate: 0 });
    // A retry by the developer drives the same payment: no second debit.
    const before = await balance();
    const retried = await pay(order.orderId);
    expect(retried.body.code).toBe(200);
    expect(await balance()).toBe(before);
    expect(await payStateOf(order.orderId)).toBe('paid');
    await expectLedgerBalanced(server.deps.database.db);
  });

  it('a payment made upstream whose answer was lost counts as paid at once', async () => {
    const order = await createOrder();
    await topUp(order.totalPrice);
    await setFault({ lostReplyRate: 1 });
    const r = await pay(order.orderId);
    expect(r.body.code).toBe(200);
    expect(r.body.data.payStatus).toBe('PAID');
    expect(upstreamStatus(order)).toBe('wait_seller_send');
  });

  it('an order the seller closes while its payment is pending is given back once', async () => {
    const order = await createOrder();
    await topUp(order.totalPrice);
    const before = await balance();
    await setFault({ errorRate: 1 });
    expect((await pay(order.orderId)).body.code).toBe(50201);
    // The market closes unpaid orders after a day.
    const advanced = await server.admin('POST', '/sandbox/clock/advance', { seconds: 2 * 86_400 });
    expect(advanced.body.code).toBe(200);
    expect(upstreamStatus(order)).toBe('closed');
    await server.drainOutbox();
    clock.advance(60 * 60_000);
    await server.drainOutbox();
    expect(await balance()).toBe(before);
    const read = await server.signed<Order & { status: string }>(
      dev,
      'GET',
      `/open/order/get?orderId=${order.orderId}`,
    );
    expect(read.body.data.status).toBe('TRADE_CLOSED');
    const reversals = await server.deps.database.db
      .selectFrom('ledger_transactions')
      .select('id')
      .where('order_id', '=', order.orderId)
      .where('kind', '=', 'payment_reversal')
      .execute();
    expect(reversals).toHaveLength(1);
    await expectLedgerBalanced(server.deps.database.db);
  });
});
