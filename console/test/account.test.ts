import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { PonteClient } from '@ponte/sdk';
import { verifyCallback } from '@ponte/sdk/callbacks';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Credentials, TestServer } from '../../server/test/harness.js';
import {
  chromiumPath,
  expectAccessible,
  launchChromium,
  openPage,
  screenshot,
  signInDeveloper,
  startConsoleServer,
} from './browser.js';

/** What the test's callback receiver saw of one delivery (verification POSTs left out). */
interface Delivery {
  id: string;
  messageType: string;
  status: number;
  /** Whether the signature verified under the secret the page showed last. */
  verified: boolean;
}

/**
 * A developer's callback receiver on loopback: it answers the verification POST 200, then every message 500 with a
 * Retry-After of an hour (so that the retry schedule leaves the message alone) until `accept` is set.
 */
async function startReceiver() {
  const deliveries: Delivery[] = [];
  const state = { accept: false, secret: '' };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const message = JSON.parse(body.toString('utf8')) as { messageType: string; messageId: string };
      if (message.messageType === 'CALLBACK_VERIFICATION') {
        res.writeHead(200).end('ok');
        return;
      }
      let verified = false;
      try {
        verifyCallback(req.headers, body, state.secret);
        verified = true;
      } catch {
        verified = false;
      }
      const status = state.accept ? 200 : 500;
      deliveries.push({ id: message.messageId, messageType: message.messageType, status, verified });
      res.writeHead(status, status === 200 ? {} : { 'retry-after': '3600' }).end(status === 200 ? 'ok' : 'not now');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/ponte/callbacks`,
    deliveries,
    state,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The elements that stick out of the viewport sideways, outside the tables' own scrolling regions. */
function overflowing(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const out: string[] = [];
    for (const el of Array.from(document.querySelectorAll('body *'))) {
      if (el.closest('.table-wrap') && !el.classList.contains('table-wrap')) continue;
      const r = el.getBoundingClientRect();
      if (r.width > 0 && r.right > width + 1)
        out.push(`${el.tagName.toLowerCase()}.${el.className}: ${Math.round(r.right)} px`);
    }
    return out;
  });
}

/** Money as the console shows it in English (en-GB): `+CN¥1,000.00`, `-CN¥74.99`. */
const money = (fen: number) =>
  new Intl.NumberFormat('en-GB', { style: 'currency', currency: 'CNY', minimumFractionDigits: 2 }).format(fen / 100);
const signed = (fen: number) => `${fen > 0 ? '+' : ''}${money(fen)}`;

describe.skipIf(!chromiumPath)('the account pages: overview, balance, callbacks, messages, sub-accounts', () => {
  let server: TestServer;
  let browser: Browser;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let dev: Credentials;
  let client: PonteClient;
  let paidOrderId = '';

  beforeAll(async () => {
    [server, browser, receiver] = await Promise.all([
      startConsoleServer({ SANDBOX_GOODS: '60', RATE_LIMIT_PER_SECOND: '10000', RATE_LIMIT_BURST: '10000' }),
      launchChromium(),
      startReceiver(),
    ]);
    dev = await server.createDeveloper('Saigon Sourcing');
    client = new PonteClient({ baseUrl: server.baseUrl, ...dev, maxRetries: 0 });
    const policy = await server.admin('PUT', '/sandbox/policy', { priceModifyRate: 0, shipAfterMs: 86_400_000 });
    expect(policy.body.code, policy.text).toBe(200);
    const topup = await server.admin('POST', `/admin/developers/${dev.developId}/topups`, {
      amount: 500_000,
      reference: 'bank transfer 2026-12-05',
    });
    expect(topup.body.code, topup.text).toBe(200);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await receiver?.close();
  });

  /** A Taobao order of one unit of the first SKU in stock: paid from the balance when `pay`. */
  async function order(pay: boolean): Promise<string> {
    const found = await client.taobao.search({ keyword: '', pageNo: 1, pageSize: 20 });
    for (const hit of found.list) {
      const item = await client.taobao.get(String(hit.itemId));
      const sku = item.skuList.find((s) => s.quantity >= 5);
      if (item.status !== 'active' || item.beginAmount > 1 || !sku) continue;
      const created = await client.taobao.orders.create({
        orderLineList: [{ itemId: String(item.itemId), skuId: sku.skuId, quantity: 1 }],
        receiver: {
          name: 'Ponte Warehouse',
          mobile_phone: '13800000000',
          state: '广东省',
          city: '东莞市',
          address: '集货仓 1 号',
        },
      });
      if (pay) await client.taobao.orders.pay(created.orderId);
      return created.orderId;
    }
    throw new Error('no SKU in stock in the sandbox catalog');
  }

  async function signedIn(options: { width?: number; height?: number } = {}) {
    const p = await openPage(browser, server.baseUrl, options);
    await signInDeveloper(p.page, dev);
    return p;
  }

  const heading = (page: Page, name: string) => page.getByRole('heading', { level: 1, name }).waitFor();

  it('saves the callback URL once it answers, and shows each new signing secret once', async () => {
    const p = await signedIn();
    const { page } = p;
    await page.goto('/console/dev/callbacks');
    await heading(page, 'Callbacks');
    await page.getByTestId('delivery-state').getByText('No URL').waitFor();
    await expectAccessible(page);

    await page.getByLabel('Callback URL').fill(receiver.url);
    await page.getByRole('button', { name: 'Save and verify' }).click();
    await page.getByRole('status').getByText('The callback URL was verified and saved.').waitFor();
    const first = (await page.getByTestId('new-secret').textContent()) ?? '';
    expect(first).toMatch(/^whsec_/);
    await p.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.baseUrl });
    await page.getByRole('button', { name: 'Copy the secret' }).click();
    await page.getByRole('status').getByText('Copied.').waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(first);
    await page.getByTestId('delivery-state').getByText('Enabled').waitFor();
    const settings = await client.messages.callback.get();
    expect(settings).toMatchObject({ url: receiver.url, enabled: true });
    expect(await page.getByTestId('secret-id').textContent()).toBe(settings?.secretId);
    await page.getByRole('button', { name: 'I have kept it' }).click();
    await page.getByTestId('new-secret-panel').waitFor({ state: 'detached' });

    // Rotation asks first, then shows the new secret once; the previous one keeps signing beside it.
    await page.getByRole('button', { name: 'Rotate the secret' }).click();
    await page.getByRole('button', { name: 'Rotate', exact: true }).click();
    await page.getByRole('status').getByText('A new signing secret was made.').waitFor();
    const second = (await page.getByTestId('new-secret').textContent()) ?? '';
    expect(second).toMatch(/^whsec_/);
    expect(second).not.toBe(first);
    const rotated = await client.messages.callback.get();
    expect(rotated?.previousSecretId).toBe(settings?.secretId);
    await page
      .getByTestId('secret-id')
      .getByText(rotated?.secretId ?? '?')
      .waitFor();
    await expectAccessible(page);
    receiver.state.secret = second;

    await page.reload();
    await page.getByTestId('delivery-state').getByText('Enabled').waitFor();
    expect(await page.getByTestId('new-secret').count()).toBe(0);
    expect(await page.content()).not.toContain(second);
    p.expectClean();
    await p.close();
  });

  it('lists messages with their failed attempts, and redelivers one from its page to a receiver now answering', async () => {
    paidOrderId = await order(true);
    // The test server runs no background workers: the test makes the delivery attempts that are due. The first
    // message about the order is refused; the later ones wait for it (delivery is in order per object).
    await server.drainCallbacks();
    const messages = await client.messages.list({ objectId: paidOrderId, pageSize: 50 });
    const failed = messages.messages.find((m) => m.attemptCount >= 1);
    if (!failed) throw new Error(`no attempt was made: ${JSON.stringify(messages.messages)}`);
    const before = await client.messages.attempts(failed.messageId);
    expect(before.attempts.map((a) => [a.httpStatus, a.outcome])).toEqual([[500, 'retry']]);

    const p = await signedIn();
    const { page } = p;
    await page.goto('/console/dev/messages');
    await heading(page, 'Messages');
    const row = page.locator(`[data-testid="message-row"][data-message-id="${failed.messageId}"]`);
    await row.waitFor();
    expect(await row.getByTestId('message-status').textContent()).toBe('Pending');
    expect(await row.getByTestId('message-attempts').textContent()).toBe('1');
    const listed = await client.messages.list({ pageSize: 20 });
    expect(await page.getByTestId('message-row').count()).toBe(listed.messages.length);

    await row.getByRole('link', { name: `Open message ${failed.messageId}` }).click();
    const detail = page.getByTestId('message-detail');
    await detail.getByTestId('attempt-row').first().waitFor();
    expect(await detail.getByTestId('attempt-status').allTextContents()).toEqual(['500']);
    expect(await detail.locator('[data-outcome="retry"]').count()).toBe(1);
    expect(JSON.parse((await detail.getByTestId('message-body').textContent()) ?? '')).toEqual(failed.messageBody);
    await expectAccessible(page);
    await screenshot(page, 'account-messages');

    // The receiver answers now; the redelivery from the page is sent at once, long before the scheduled retry.
    receiver.state.accept = true;
    await detail.getByRole('button', { name: 'Redeliver', exact: true }).click();
    await detail.getByRole('button', { name: 'Redeliver', exact: true }).click();
    await page.getByTestId('redeliver-notice').getByText('1 message queued for delivery again.').waitFor();
    expect(await server.drainCallbacks()).toBeGreaterThanOrEqual(1);
    await detail.locator('[data-testid="attempt-row"][data-outcome="delivered"]').waitFor({ timeout: 15_000 });
    await detail.getByTestId('detail-status').getByText('Delivered').waitFor();
    const after = await client.messages.attempts(failed.messageId);
    const last = after.attempts.at(-1);
    expect(last).toMatchObject({ httpStatus: 200, outcome: 'delivered' });
    expect(last?.attemptTime ?? 0).toBeLessThan(before.message.nextAttemptTime ?? 0);
    const got = receiver.deliveries.filter((d) => d.id === failed.messageId);
    expect(got.map((d) => d.status)).toEqual([500, 200]);
    // Signed under the secret the page showed after the rotation.
    expect(got.every((d) => d.verified)).toBe(true);
    p.expectClean();
    await p.close();
  });

  it('shows the balance and the ledger as the API has them: the top-up and the payment, signed, with balances', async () => {
    const p = await signedIn();
    const { page } = p;
    await page.goto('/console/dev/balance');
    await heading(page, 'Balance & ledger');
    const ledger = await client.account.ledger({ pageSize: 50 });
    const balance = await client.account.balance();
    expect(ledger.entries.map((e) => e.kind).sort()).toEqual(['order_payment', 'topup']);
    await page
      .getByTestId('ledger-row')
      .nth(ledger.entries.length - 1)
      .waitFor();
    expect(await page.getByTestId('balance').textContent()).toBe(money(balance.balance));
    for (const e of ledger.entries) {
      const row = page.locator(`[data-testid="ledger-row"][data-entry-id="${e.entryId}"]`);
      expect(await row.getByTestId('ledger-amount').textContent()).toBe(signed(e.amount));
      expect(await row.getByTestId('ledger-balance-after').textContent()).toBe(money(e.balanceAfter));
    }
    const payment = ledger.entries.find((e) => e.kind === 'order_payment');
    expect(payment?.amount).toBeLessThan(0);
    expect(payment?.orderId).toBe(paidOrderId);
    const link = page.getByRole('link', { name: `Order ${paidOrderId}` });
    expect(await link.getAttribute('href')).toBe(`/console/dev/orders/taobao/${paidOrderId}`);
    await expectAccessible(page);
    await screenshot(page, 'account-ledger');

    // A filter the API takes lives in the URL.
    await page.getByLabel('Kind').selectOption('order_payment');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.waitForURL(/kind=order_payment/);
    await expect.poll(() => page.getByTestId('ledger-row').count()).toBe(1);
    await page.reload();
    await page.getByTestId('ledger-row').first().waitFor();
    expect(await page.getByTestId('ledger-row').getAttribute('data-entry-id')).toBe(payment?.entryId);
    p.expectClean();
    await p.close();
  });

  it('draws only the ledger rows in view, and reads the next pages as the list is scrolled', async () => {
    const busy = await server.createDeveloper('Busy ledger');
    const topUp = async (i: number) => {
      const r = await server.admin('POST', `/admin/developers/${busy.developId}/topups`, {
        amount: i * 100,
        reference: `transfer ${i}`,
      });
      expect(r.body.code, r.text).toBe(200);
    };
    // The first one alone, so that it is the oldest entry; the others ten at a time.
    await topUp(1);
    for (let i = 2; i <= 120; i += 10) {
      await Promise.all(Array.from({ length: Math.min(10, 121 - i) }, (_, k) => topUp(i + k)));
    }
    const p = await openPage(browser, server.baseUrl);
    const { page } = p;
    await signInDeveloper(page, busy);
    await page.goto('/console/dev/balance');
    await page.getByTestId('ledger-row').first().waitFor();
    await page.getByTestId('ledger-count').getByText('Showing 50 of 120 entries, newest first.').waitFor();
    expect(await page.getByTestId('ledger-row').count()).toBeLessThan(40);
    // Scrolling to the end reads the older pages, while the rows drawn stay few.
    await expect
      .poll(
        async () => {
          await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
          expect(await page.getByTestId('ledger-row').count()).toBeLessThan(40);
          return page.getByTestId('ledger-count').textContent();
        },
        { timeout: 15_000, interval: 250 },
      )
      .toBe('Showing 120 of 120 entries, newest first.');
    await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
    const oldest = page.getByTestId('ledger-row').last();
    await expect.poll(() => oldest.getByTestId('ledger-amount').textContent()).toBe(signed(100));
    expect(await oldest.getByTestId('ledger-balance-after').textContent()).toBe(money(100));
    p.expectClean();
    await p.close();
  });

  it('overview: the acting account and key (never the secret), the balance and the counts the lists give', async () => {
    const unpaidOrderId = await order(false);
    const p = await signedIn();
    const { page } = p;
    await heading(page, 'Overview');
    await page.getByTestId('count-unpaid').waitFor();
    const [taobaoUnpaid, alibabaUnpaid, balance] = await Promise.all([
      client.taobao.orders.list({ status: 'WAIT_BUYER_PAY', pageSize: 1 }),
      client.alibaba.orders.list({ status: 'waitbuyerpay', pageSize: 1 }),
      client.account.balance(),
    ]);
    expect(taobaoUnpaid.list[0]?.orderId).toBe(unpaidOrderId);
    expect(await page.getByTestId('count-unpaid').textContent()).toBe(
      String(taobaoUnpaid.total + alibabaUnpaid.totalRecords),
    );
    expect(await page.getByTestId('overview-balance').textContent()).toBe(money(balance.balance));
    expect(await page.getByTestId('overview-acting').textContent()).toContain(dev.userId);
    await page.getByText(dev.accessKey).first().waitFor();
    await page.getByTestId('count-refunds').waitFor();
    await page.getByTestId('count-parcels').waitFor();
    expect(await page.getByTestId('count-failed').textContent()).toBe('0');
    expect(await page.content()).not.toContain(dev.accessSecret);
    await expectAccessible(page);
    await screenshot(page, 'account-overview');
    p.expectClean();
    await p.close();
  });

  it('creates a sub-account and acts as it: the header shows it and every list is read anew', async () => {
    const p = await signedIn();
    const { page } = p;
    await page.goto('/console/dev/users');
    await heading(page, 'Sub-accounts');
    await page.getByTestId('user-row').first().waitFor();
    await page.getByLabel('Name').fill('Hanoi store');
    await page.getByLabel('Your id for it (outMemberId)').fill('hn-1');
    await page.getByRole('button', { name: 'Create', exact: true }).click();
    await page
      .getByRole('status')
      .getByText(/Sub-account Hanoi store created: \d+\./)
      .waitFor();
    const users = await client.users.list({ pageSize: 20 });
    const sub = users.list.find((u) => u.name === 'Hanoi store');
    if (!sub) throw new Error('the sub-account was not created');
    expect(sub.outMemberId).toBe('hn-1');
    await page.locator(`[data-testid="user-row"][data-user-id="${sub.userId}"]`).waitFor();
    expect(await page.getByTestId('user-row').count()).toBe(users.total);
    await expectAccessible(page);

    await page.getByRole('button', { name: 'Act as Hanoi store' }).click();
    await expect.poll(() => page.getByTestId('acting-as').inputValue()).toBe(sub.userId);
    // A sub-account sees only itself, and none of the main account's messages.
    await expect.poll(() => page.getByTestId('user-row').count()).toBe(1);
    await page.getByTestId('user-row').getByText('Acting now').waitFor();
    const nav = page.getByRole('navigation', { name: 'Main navigation' });
    await nav.getByRole('link', { name: 'Messages' }).click();
    await heading(page, 'Messages');
    await page.getByText('No messages match.').waitFor();
    await nav.getByRole('link', { name: 'Overview' }).click();
    await page.getByTestId('overview-acting').getByText(sub.userId).waitFor();
    await expect.poll(() => page.getByTestId('count-unpaid').textContent()).toBe('0');
    // The ledger is the main account's: the page offers to act as it again.
    await nav.getByRole('link', { name: 'Balance & ledger' }).click();
    await page.getByTestId('main-account-only').waitFor();
    await expectAccessible(page);
    await page.getByRole('button', { name: 'Act as the main account' }).click();
    await page.getByTestId('ledger-row').first().waitFor();
    expect(await page.getByTestId('acting-as').inputValue()).toBe(dev.userId);
    p.expectClean();
    await p.close();
  });

  it('fits a 360 px wide screen', async () => {
    const p = await signedIn({ width: 360, height: 740 });
    const { page } = p;
    await page.goto('/console/dev/messages');
    await page.getByTestId('message-row').first().waitFor();
    expect(await overflowing(page)).toEqual([]);
    await expectAccessible(page);
    await page.goto('/console/dev');
    await page.getByTestId('count-unpaid').waitFor();
    expect(await overflowing(page)).toEqual([]);
    await expectAccessible(page);
    p.expectClean();
    await p.close();
  });
});
