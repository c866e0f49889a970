import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createOrder,
  type Receiver,
  receiver,
  saveCallbackUrl,
} from '../../server/test/api/messages/messages-fixtures.js';
import { picture } from '../../server/test/api/payments/payments-fixtures.js';
import type { Credentials, TestServer } from '../../server/test/harness.js';
import {
  chromiumPath,
  expectAccessible,
  launchChromium,
  openPage,
  screenshot,
  signInOperator,
  startConsoleServer,
} from './browser.js';

/**
 * The operator console's accounts, money and health pages, driven in Chromium against a real server whose data is made
 * through the API first: two developers' orders, a top-up, a payment voucher, a refund, a failing callback receiver
 * and dead background work.
 */

const DAY = 86_400_000;
const money = (fen: number) =>
  new Intl.NumberFormat('en-GB', { style: 'currency', currency: 'CNY', minimumFractionDigits: 2 }).format(fen / 100);
const count = (n: number) => new Intl.NumberFormat('en-GB').format(n);

interface Stats {
  totals: { orders: number; orderAmount: number; topups: number; topupAmount: number };
  gauges: { pendingVouchers: number; openRefunds: number; deadLetters: number | null };
}

describe.skipIf(!chromiumPath)('the operator console', () => {
  let server: TestServer;
  let browser: Browser;
  let failing: Receiver;
  /** A developer with orders, a top-up, a voucher and a refund; another whose callback receiver answers 500. */
  let dev: Credentials;
  let other: Credentials;
  let voucherId: string;
  let voucherOrderId: string;
  let refundId: string;
  let deadIds: string[];

  const ok = <T>(r: { body: { code: number; data: T }; text: string }): T => {
    expect(r.body.code, r.text).toBe(200);
    return r.body.data;
  };
  const admin = async <T>(method: string, url: string, body?: unknown) => ok(await server.admin<T>(method, url, body));
  const signedGet = async <T>(who: Credentials, url: string) => ok(await server.signed<T>(who, 'GET', url));
  const signedPost = async <T>(who: Credentials, url: string, body: unknown) =>
    ok(await server.signed<T>(who, 'POST', url, { body }));

  /**
   * Opens `path` of the console as the signed-in operator: the tab's session holds the token, as the sign-in page
   * (driven in the first test) leaves it.
   */
  async function operatorPage(path: string, size?: { width: number; height: number }) {
    const p = await openPage(browser, server.baseUrl, size);
    await p.context.addInitScript((token) => {
      sessionStorage.setItem('ponte.operator', JSON.stringify({ token }));
    }, server.deps.adminToken);
    await p.page.goto(`/console${path}`);
    return p;
  }
  const heading = (page: Page, name: string | RegExp) => page.getByRole('heading', { level: 1, name }).waitFor();

  beforeAll(async () => {
    [server, browser, failing] = await Promise.all([
      startConsoleServer({ SANDBOX_GOODS: '60', RATE_LIMIT_PER_SECOND: '100000', RATE_LIMIT_BURST: '100000' }),
      launchChromium(),
      receiver(200),
    ]);
    // Sellers change no price, ship nothing and decide on no refund while the test runs.
    await admin('PUT', '/sandbox/policy', {
      priceModifyRate: 0,
      shipAfterMs: 30 * DAY,
      refundDecisionAfterMs: 30 * DAY,
    });
    dev = await server.createDeveloper('Hanoi Trading');
    other = await server.createDeveloper('Bangkok Imports');
    await admin('POST', `/admin/developers/${dev.developId}/topups`, { amount: 500_00, reference: 'ICBC-0001' });

    // A paid order with a refund asked for its line, and an unpaid one paid by a voucher.
    const paidId = await createOrder(server, dev);
    await signedPost(dev, '/open/order/pay', { orderId: paidId });
    const paid = await signedGet<{
      subPurchaseOrders: { orderLines: { purchaseOrderLineId: string }[] }[];
    }>(dev, `/open/order/get?orderId=${paidId}`);
    const lineId = paid.subPurchaseOrders[0]?.orderLines[0]?.purchaseOrderLineId ?? '';
    const render = await signedPost<{
      refundOrderTemplate: { refundReasons: { reasonId: string }[]; maxRefundFee: { refundFee: number } };
    }>(dev, '/open/order/refund/render', { subOrderId: lineId, refundType: 1, goodsStatus: 1 });
    const submitted = await signedPost<{ refundOrderAggregate: { refundOrder: { refundId: string } } }>(
      dev,
      '/open/order/refund/submit',
      {
        subOrderId: lineId,
        refundType: 1,
        goodsStatus: 1,
        reasonId: render.refundOrderTemplate.refundReasons[0]?.reasonId,
        refundFee: render.refundOrderTemplate.maxRefundFee.refundFee,
        refundDesc: 'ordered by mistake',
      },
    );
    refundId = submitted.refundOrderAggregate.refundOrder.refundId;

    voucherOrderId = await createOrder(server, dev);
    const unpaid = await signedGet<{ totalPrice: number }>(dev, `/open/order/get?orderId=${voucherOrderId}`);
    const png = await picture('png', 48, 32);
    const uploaded = await signedPost<{ voucherId: string }>(dev, '/open/order/pay/voucher/upload', {
      orderId: voucherOrderId,
      amount: unpaid.totalPrice,
      reference: 'VCB-2026-0042',
      picture: `data:image/png;base64,${png.toString('base64')}`,
      note: 'Paid from the Hanoi account',
    });
    voucherId = uploaded.voucherId;

    // The other developer's receiver verifies its URL, then fails every delivery of its order's message.
    await saveCallbackUrl(server, other, failing.url);
    failing.answer = 500;
    await createOrder(server, other);
    // The in-process server runs no background workers: their work is run here, as a worker would.
    await server.drainOutbox();
    expect(await server.drainCallbacks()).toBeGreaterThan(0);

    // Two rows of background work that failed every attempt.
    const { database, ids, clock } = server.deps;
    const now = clock.now();
    deadIds = [ids.next(now), ids.next(now)];
    await database.db
      .insertInto('outbox')
      .values(
        deadIds.map((id, i) => ({
          id,
          event_type: 'console.test',
          payload: JSON.stringify({ n: i }),
          status: 'dead' as const,
          attempts: 5,
          max_attempts: 5,
          available_at: now,
          lease_owner: null,
          lease_until: null,
          last_error: 'the receiving system said no',
          ordering_key: `console-test-${i}`,
          created_at: now,
          updated_at: now,
        })),
      )
      .execute();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await failing?.close();
  });

  it('the dashboard charts the days and shows the totals and queues /admin/stats answers', async () => {
    const stats = await admin<Stats>('GET', '/admin/stats?days=14');
    expect(stats.totals.orders).toBe(3);
    const p = await openPage(browser, server.baseUrl);
    await signInOperator(p.page, server.deps.adminToken);
    await heading(p.page, 'Dashboard');
    await p.page.locator('[data-testid="chart"] canvas').nth(3).waitFor();
    expect(await p.page.locator('[data-testid="chart"] canvas').count()).toBe(4);
    expect(await p.page.getByTestId('total-orders').textContent()).toBe(
      `${count(stats.totals.orders)} · ${money(stats.totals.orderAmount)}`,
    );
    expect(await p.page.getByTestId('total-topups').textContent()).toBe(
      `${count(stats.totals.topups)} · ${money(stats.totals.topupAmount)}`,
    );
    expect(await p.page.getByTestId('queue-vouchers').textContent()).toContain(count(stats.gauges.pendingVouchers));
    expect(await p.page.getByTestId('queue-dead-letters').textContent()).toContain(
      count(stats.gauges.deadLetters ?? 0),
    );
    // Each chart is an image named by its totals, with the same figures in a table.
    const orders = p.page.getByRole('img', { name: /^Orders placed and paid/ });
    expect(await orders.getAttribute('aria-label')).toContain(`Orders placed: ${count(stats.totals.orders)}`);
    await expectAccessible(p.page);
    await screenshot(p.page, 'operator-dashboard');

    await p.page.getByRole('button', { name: 'Last 7 days' }).click();
    await p.page.waitForURL(/days=7/);
    await p.page.waitForFunction(
      () => document.querySelector('button[aria-pressed="true"]')?.textContent === 'Last 7 days',
    );
    await p.page.getByRole('link', { name: /Vouchers to review/ }).click();
    await heading(p.page, 'Vouchers');
    p.expectClean();
    await p.close();
  });

  it('creates a developer (its secret shown once), issues and rotates a key, adds a sub-account, tops up', async () => {
    const p = await operatorPage('/op/developers');
    await p.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.baseUrl });
    const { page } = p;
    await heading(page, 'Developers');
    await page.getByLabel('Name', { exact: true }).fill('Lima Sourcing');
    await page.getByLabel('E-mail').fill('ops@lima.example');
    await page.getByRole('button', { name: 'Create developer' }).click();
    await page.getByTestId('secret').waitFor();
    const secret = (await page.getByTestId('secret').textContent()) ?? '';
    await expectAccessible(page);
    await page.getByRole('button', { name: 'Copy the secret' }).click();
    await page.getByRole('status').filter({ hasText: 'Copied.' }).waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(secret);

    const list = await admin<{ list: { developId: string; name: string; email: string }[] }>(
      'GET',
      '/admin/developers?pageSize=50',
    );
    const created = list.list.find((d) => d.name === 'Lima Sourcing');
    expect(created?.email).toBe('ops@lima.example');
    const developId = created?.developId ?? '';
    const detail = await admin<{ keys: { accessKey: string }[] }>('GET', `/admin/developers/${developId}`);
    const users = await admin<{ list: { userId: string; mainAccount: boolean }[] }>(
      'GET',
      `/admin/developers/${developId}/users`,
    );
    const creds: Credentials = {
      developId,
      accessKey: detail.keys[0]?.accessKey ?? '',
      accessSecret: secret,
      userId: users.list.find((u) => u.mainAccount)?.userId ?? '',
    };
    // The secret shown is the key's: a request signed with it is accepted.
    expect((await signedGet<{ balance: number }>(creds, '/open/account/balance')).balance).toBe(0);
    await page.getByRole('button', { name: 'I have kept it' }).click();
    expect(await page.getByTestId('secret').count()).toBe(0);

    await page.getByRole('link', { name: 'Lima Sourcing' }).click();
    await heading(page, 'Lima Sourcing');

    // Another key, its secret shown once.
    await page.getByLabel('Label').fill('warehouse scanner');
    await page.getByRole('button', { name: 'Issue a key' }).click();
    await page.getByTestId('secret').waitFor();
    const keys = await admin<{ keys: { accessKey: string; label: string | null }[] }>(
      'GET',
      `/admin/developers/${developId}`,
    );
    expect(keys.keys.map((k) => k.label)).toContain('warehouse scanner');
    await page.getByRole('button', { name: 'I have kept it' }).click();
    await page.getByRole('cell', { name: /warehouse scanner/ }).waitFor();

    // Rotating the first key answers a new secret that signs.
    const row = page.getByRole('row').filter({ hasText: creds.accessKey });
    await row.getByRole('button', { name: 'Rotate' }).click();
    await row
      .getByRole('group', { name: /new secret/ })
      .getByRole('button', { name: 'Rotate' })
      .click();
    await page.getByTestId('secret').waitFor();
    const rotated = (await page.getByTestId('secret').textContent()) ?? '';
    expect(rotated).not.toBe(secret);
    expect(rotated.length).toBeGreaterThan(20);
    await signedGet({ ...creds, accessSecret: rotated }, '/open/account/balance');
    await page.getByRole('button', { name: 'I have kept it' }).click();

    // v2 requests without a nonce: off by default; allowing it for the key is kept and shown in its row.
    const nonceless = async () =>
      (
        await admin<{ keys: { accessKey: string; nonceless: boolean }[] }>('GET', `/admin/developers/${developId}`)
      ).keys.find((k) => k.accessKey === creds.accessKey)?.nonceless;
    expect(await nonceless()).toBe(false);
    const headers = await page.getByRole('region', { name: 'Access keys' }).getByRole('columnheader').allTextContents();
    const noncelessColumn = headers.indexOf('v2 without nonce');
    expect(noncelessColumn).toBeGreaterThan(0);
    const noncelessCell = row.getByRole('cell').nth(noncelessColumn);
    expect(await noncelessCell.textContent()).toBe('Nonce required');
    await row.getByRole('button', { name: 'Allow without nonce' }).click();
    await row
      .getByRole('status')
      .filter({ hasText: `Key ${creds.accessKey} accepts v2 requests without a nonce` })
      .waitFor();
    expect(await nonceless()).toBe(true);
    await row.getByRole('button', { name: 'Require nonce' }).waitFor();
    await noncelessCell.getByText('Accepted', { exact: true }).waitFor();
    // The legacy MD5 switch beside it is untouched.
    expect(await row.getByRole('button', { name: 'Allow MD5' }).count()).toBe(1);

    // A sub-account.
    await page.getByLabel('Sub-account name').fill('Lima store 2');
    await page.getByRole('button', { name: 'Create sub-account' }).click();
    await page.getByRole('status').filter({ hasText: 'Sub-account Lima store 2 created' }).waitFor();
    await page.getByRole('cell', { name: 'Lima store 2' }).waitFor();
    const after = await admin<{ list: { name: string }[] }>('GET', `/admin/developers/${developId}/users`);
    expect(after.list.map((u) => u.name)).toContain('Lima store 2');

    // A wrong amount names the field; 100 yuan is credited as 10000 fen.
    await page.getByLabel('Amount (yuan)').fill('12.345');
    await page.getByRole('button', { name: 'Credit the balance' }).click();
    await page.getByText('Enter an amount in yuan').waitFor();
    await page.getByLabel('Amount (yuan)').fill('100');
    await page.getByLabel('Transfer reference').fill('BOC-2026-0107');
    await page.getByRole('button', { name: 'Credit the balance' }).click();
    await page.getByRole('status').filter({ hasText: 'credited' }).waitFor();
    const balance = await admin<{ balance: number }>('GET', `/admin/developers/${developId}/balance`);
    expect(balance.balance).toBe(100_00);
    await page.waitForFunction(
      (text) => document.querySelector('[data-testid="balance"]')?.textContent === text,
      money(balance.balance),
    );
    await page.getByRole('cell', { name: 'Top-up', exact: true }).waitFor();
    await expectAccessible(page);
    await screenshot(page, 'operator-developer');
    p.expectClean();
    await p.close();
  });

  it('a pending voucher shows its picture; approving it credits the balance and pays the order', async () => {
    const p = await operatorPage('/op/vouchers');
    const { page } = p;
    await heading(page, 'Vouchers');
    const card = page.locator(`[data-voucher-id="${voucherId}"]`);
    await card.waitFor();
    await card.getByText('VCB-2026-0042').waitFor();
    const img = card.getByRole('img', { name: `Transfer proof of voucher ${voucherId} (reference VCB-2026-0042)` });
    await img.waitFor();
    await page.waitForFunction((id) => {
      const el = document.querySelector<HTMLImageElement>(`[data-voucher-id="${id}"] img`);
      return !!el && el.complete && el.naturalWidth === 48;
    }, voucherId);
    expect(await img.getAttribute('src')).toMatch(/^blob:/);
    await expectAccessible(page);
    await screenshot(page, 'operator-vouchers');

    await card.getByRole('button', { name: 'Approve' }).click();
    await card.getByRole('button', { name: 'Approve and credit' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: `Voucher ${voucherId} approved` })
      .waitFor();
    await card.waitFor({ state: 'detached' });
    const pending = await admin<{ list: { voucherId: string }[] }>('GET', '/admin/vouchers?status=pending');
    expect(pending.list.map((v) => v.voucherId)).not.toContain(voucherId);
    // The order is paid next, by the outbox's worker (run here).
    await server.drainOutbox();
    expect((await admin<{ payState: string }>('GET', `/admin/orders/${voucherOrderId}`)).payState).toBe('paid');

    // Approved ones are listed under their status.
    await page.getByLabel('Status').selectOption('approved');
    await page.waitForURL(/status=approved/);
    await page.locator(`[data-voucher-id="${voucherId}"]`).getByText('Approved').waitFor();
    p.expectClean();
    await p.close();
  });

  it('lists orders across developers, filters them, and opens one with its history', async () => {
    const all = await admin<{ total: number }>('GET', '/admin/orders?pageSize=50');
    const ofOther = await admin<{ total: number; list: { orderId: string }[] }>(
      'GET',
      `/admin/orders?developId=${other.developId}`,
    );
    const p = await operatorPage('/op/orders');
    const { page } = p;
    await heading(page, 'Orders');
    await page
      .getByTestId('order-row')
      .nth(all.total - 1)
      .waitFor();
    expect(await page.getByTestId('order-row').count()).toBe(all.total);
    await expectAccessible(page);

    await page.getByLabel('Developer id').fill('12x');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.getByText('An id is digits only').waitFor();
    await page.getByLabel('Developer id').fill(other.developId);
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.waitForURL(/developId=/);
    await page.waitForFunction(
      (n) => document.querySelectorAll('[data-testid="order-row"]').length === n,
      ofOther.total,
    );
    const orderId = ofOther.list[0]?.orderId ?? '';
    await page.getByRole('link', { name: orderId }).click();
    await heading(page, `Order ${orderId}`);
    await page.getByTestId('history').getByText('api:create').waitFor();
    await expectAccessible(page);
    // Back keeps the filter.
    await page.goBack();
    await page.waitForFunction(
      (n) => document.querySelectorAll('[data-testid="order-row"]').length === n,
      ofOther.total,
    );
    expect(await page.getByLabel('Developer id').inputValue()).toBe(other.developId);
    p.expectClean();
    await p.close();
  });

  it('lists the refund and opens its history', async () => {
    const p = await operatorPage('/op/refunds');
    const { page } = p;
    await heading(page, 'Refunds & returns');
    const row = page.getByTestId('refund-row').filter({ hasText: refundId });
    await row.waitFor();
    await row.getByText('Awaiting the seller').waitFor();
    await expectAccessible(page);
    await row.getByRole('link', { name: refundId }).click();
    await heading(page, `Refund ${refundId}`);
    await page.getByText('api:create').waitFor();
    await page.getByText('ordered by mistake').waitFor();
    await page.getByText('Not credited yet').waitFor();
    await expectAccessible(page);
    p.expectClean();
    await p.close();
  });

  it('callback health shows the failing receiver; dead letters are retried and discarded', async () => {
    const failingNow = await admin<{ list: { developId: string }[] }>('GET', '/admin/callbacks?state=failing');
    expect(failingNow.list.map((r) => r.developId)).toEqual([other.developId]);
    const p = await operatorPage('/op/callbacks?state=failing');
    const { page } = p;
    await heading(page, 'Callback health');
    const row = page.locator(`[data-testid="health-row"][data-develop-id="${other.developId}"]`);
    await row.getByText('Failing', { exact: true }).waitFor();
    await row.getByText('HTTP 500 · Failed, will retry').waitFor();
    await row.getByRole('link', { name: 'Bangkok Imports' }).waitFor();

    const dead = page.locator(`[data-testid="dead-letter"][data-id="${deadIds[0]}"]`);
    await dead.getByText('the receiving system said no').waitFor();
    await expectAccessible(page);
    await screenshot(page, 'operator-callbacks');

    await dead.getByRole('button', { name: 'Retry' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: `Dead letter ${deadIds[0]} queued again` })
      .waitFor();
    await dead.waitFor({ state: 'detached' });
    const second = page.locator(`[data-testid="dead-letter"][data-id="${deadIds[1]}"]`);
    await second.getByRole('button', { name: 'Discard' }).click();
    await second.getByRole('group').getByRole('button', { name: 'Discard' }).click();
    await second.waitFor({ state: 'detached' });
    const left = await admin<{ list: { id: string }[] }>('GET', '/admin/dead-letters?type=console.test');
    expect(left.list.map((d) => d.id)).not.toContain(deadIds[1]);
    expect(left.list.map((d) => d.id)).not.toContain(deadIds[0]);

    // The developer's messages: the failed attempts of its message.
    await row.getByRole('link', { name: 'Messages' }).click();
    await heading(page, `Messages of developer ${other.developId}`);
    await page.getByRole('button', { name: 'Attempts' }).first().click();
    await page.getByRole('cell', { name: 'Failed, will retry' }).first().waitFor();
    await expectAccessible(page);
    p.expectClean();
    await p.close();
  });

  it('fits a 360 px wide screen', async () => {
    const p = await operatorPage('/op/', { width: 360, height: 740 });
    const { page } = p;
    await heading(page, 'Dashboard');
    await page.locator('[data-testid="chart"] canvas').first().waitFor();
    const widths = await page.evaluate(() => ({
      page: document.documentElement.scrollWidth,
      canvas: Math.max(...Array.from(document.querySelectorAll('canvas'), (c) => c.getBoundingClientRect().width)),
    }));
    expect(widths.page).toBeLessThanOrEqual(360);
    expect(widths.canvas).toBeLessThanOrEqual(360);
    await expectAccessible(page);
    await page.goto('/console/op/developers');
    await heading(page, 'Developers');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await expectAccessible(page);
    // A developer's page: the keys' table scrolls within itself; each switch's button can be brought on screen whole.
    await page.goto(`/console/op/developers/${dev.developId}`);
    await heading(page, 'Hanoi Trading');
    const keyRow = page.getByRole('row').filter({ hasText: dev.accessKey });
    for (const name of ['Allow MD5', 'Allow without nonce']) {
      const button = keyRow.getByRole('button', { name });
      await button.scrollIntoViewIfNeeded();
      const box = await button.boundingBox();
      expect(box?.x).toBeGreaterThanOrEqual(0);
      expect((box?.x ?? 0) + (box?.width ?? 0)).toBeLessThanOrEqual(360);
    }
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await expectAccessible(page);
    p.expectClean();
    await p.close();
  });
});
