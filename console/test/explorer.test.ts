import { canonicalString, hmacSignature, PonteClient } from '@ponte/sdk';
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

/** The elements that stick out of the viewport sideways, outside the tables' own scrolling regions. */
function overflowing(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const out: string[] = [];
    for (const el of Array.from(document.querySelectorAll('body *'))) {
      if (el.closest('.table-wrap') && !el.classList.contains('table-wrap')) continue;
      const r = el.getBoundingClientRect();
      if (r.width > 0 && r.right > width + 1) {
        out.push(`${el.tagName.toLowerCase()}.${el.className}: ${Math.round(r.right)} px`);
      }
    }
    return out;
  });
}

/** A header of the request as the page shows it. */
async function shownHeader(page: Page, scope: string, name: string): Promise<string> {
  return (await page.getByTestId(scope).locator(`[data-header="${name}"]`).textContent()) ?? '';
}

/** The canonical string of the request the page shows as sent, computed here by the SDK from what it shows. */
async function canonicalOfShown(page: Page): Promise<string> {
  const url = new URL((await page.getByTestId('sent-url').textContent()) ?? '');
  const body = (await page.getByTestId('sent-body').count()) ? await page.getByTestId('sent-body').textContent() : null;
  return canonicalString({
    method: await sentMethod(page),
    path: url.pathname,
    query: url.search.slice(1),
    accessKey: await shownHeader(page, 'sent-headers', 'access-key'),
    timestamp: await shownHeader(page, 'sent-headers', 'timestamp'),
    nonce: await shownHeader(page, 'sent-headers', 'nonce-str'),
    userId: await shownHeader(page, 'sent-headers', 'user-id'),
    body: body ?? undefined,
  });
}

async function sentMethod(page: Page): Promise<string> {
  return (await page.getByTestId('sent-method').textContent()) ?? '';
}

describe.skipIf(!chromiumPath)('the API explorer', () => {
  let server: TestServer;
  let browser: Browser;
  let dev: Credentials;
  let client: PonteClient;

  beforeAll(async () => {
    [server, browser] = await Promise.all([startConsoleServer(), launchChromium()]);
    dev = await server.createDeveloper('Bangkok Imports');
    client = new PonteClient({ baseUrl: server.baseUrl, ...dev, maxRetries: 0 });
    await client.users.create({ name: 'Chiang Mai store', outMemberId: 'cm-1' });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  async function explorer(path = '/console/dev/explorer', options: { width?: number; height?: number } = {}) {
    const p = await openPage(browser, server.baseUrl, options);
    await signInDeveloper(p.page, dev);
    await p.page.goto(path);
    await p.page.getByRole('heading', { level: 1, name: 'API explorer' }).waitFor();
    await p.page.locator('[data-operation]').first().waitFor();
    return p;
  }

  it('lists the developer’s operations by group, filters them, and sends a GET signed: the canonical string shown is the one signed', async () => {
    const p = await explorer();
    const { page } = p;
    // The operator's and the sandbox's operations are not offered.
    const ids = await page
      .locator('[data-operation]')
      .evaluateAll((links) => links.map((a) => a.getAttribute('data-operation')));
    expect(ids).toContain('listSubAccounts');
    expect(ids).toContain('getAccountLedger');
    expect(ids.some((id) => id?.startsWith('admin') || id?.startsWith('sandbox'))).toBe(false);
    await expectAccessible(page);

    await page.getByLabel('Filter operations').fill('user list');
    await page.waitForURL(/q=user/);
    await expect.poll(() => page.locator('[data-operation]').count()).toBe(1);
    await page.locator('[data-operation="listSubAccounts"]').click();
    await page.getByRole('heading', { level: 2, name: 'List sub-accounts' }).waitFor();
    await page.waitForURL(/op=listSubAccounts/);

    await page.getByLabel('pageSize').fill('5');
    await page.getByLabel('pageNo').fill('1');
    await page.getByRole('button', { name: 'Send signed' }).click();
    const answer = page.getByTestId('answer');
    await answer.waitFor();
    expect(await page.getByTestId('answer-code').textContent()).toBe('200');
    const listed = await client.users.list({ pageNo: 1, pageSize: 5 });
    const data = JSON.parse((await page.getByTestId('answer-data').textContent()) ?? 'null');
    expect(data).toMatchObject({ total: listed.total, pageSize: 5 });
    expect(data.list.map((u: { userId: string }) => u.userId)).toEqual(listed.list.map((u) => u.userId));

    const url = new URL((await page.getByTestId('sent-url').textContent()) ?? '');
    expect(url.pathname + url.search).toBe('/open/user/list?pageNo=1&pageSize=5');
    expect(await shownHeader(page, 'sent-headers', 'access-key')).toBe(dev.accessKey);
    expect(await shownHeader(page, 'sent-headers', 'user-id')).toBe(dev.userId);
    const canonical = await canonicalOfShown(page);
    expect(await page.getByTestId('canonical').textContent()).toBe(canonical);
    expect(canonical.split('\n')).toHaveLength(8);
    expect(await page.getByTestId('signature').textContent()).toBe(hmacSignature(dev.accessSecret, canonical));
    expect(await shownHeader(page, 'sent-headers', 'signature')).toBe(hmacSignature(dev.accessSecret, canonical));
    expect(await page.content()).not.toContain(dev.accessSecret);
    await expectAccessible(page);
    await screenshot(page, 'explorer');
    p.expectClean();
    await p.close();
  });

  it('sends a POST with the body prefilled from the examples, and signs the body bytes sent', async () => {
    const p = await explorer('/console/dev/explorer?op=createSubAccount');
    const { page } = p;
    await page.getByRole('heading', { level: 2, name: 'Create a sub-account' }).waitFor();
    const editor = page.getByLabel('Request body (JSON)');
    expect(JSON.parse(await editor.inputValue())).toEqual({ name: 'Hanoi store', outMemberId: 'shop-17' });
    await page.getByRole('button', { name: 'Send signed' }).click();
    await page.getByTestId('answer').waitFor();
    expect(await page.getByTestId('answer-code').textContent()).toBe('200');
    const created = JSON.parse((await page.getByTestId('answer-data').textContent()) ?? 'null');
    expect(await client.users.get(created.userId)).toMatchObject({ name: 'Hanoi store', outMemberId: 'shop-17' });
    expect(await sentMethod(page)).toBe('POST');
    expect(await page.getByTestId('sent-body').textContent()).toBe('{"name":"Hanoi store","outMemberId":"shop-17"}');
    expect(await shownHeader(page, 'sent-headers', 'idempotency-key')).toMatch(/^[0-9a-f]{32}$/);
    const canonical = await canonicalOfShown(page);
    expect(await page.getByTestId('canonical').textContent()).toBe(canonical);
    expect(await page.getByTestId('signature').textContent()).toBe(hmacSignature(dev.accessSecret, canonical));
    await expectAccessible(page);
    p.expectClean();
    await p.close();
  });

  it('shows an API error as the answer: a missing required parameter is 40001', async () => {
    const p = await explorer('/console/dev/explorer?op=getSubAccount');
    const { page } = p;
    await page.getByRole('heading', { level: 2, name: 'Get one sub-account' }).waitFor();
    await page.getByLabel('userId').fill('');
    await page.getByRole('button', { name: 'Send signed' }).click();
    await page.getByTestId('answer').waitFor();
    expect(await page.getByTestId('answer-status').textContent()).toBe('400');
    expect(await page.getByTestId('answer-code').textContent()).toBe('40001');
    expect(await page.getByTestId('answer-msg').textContent()).toContain('userId');
    expect(await page.getByTestId('answer-request-id').textContent()).toMatch(/^[0-9a-f]{32}$/);
    // The refusal is the answer shown, not a failure of the page.
    expect(await page.getByRole('alert').count()).toBe(0);
    const canonical = await canonicalOfShown(page);
    expect(await page.getByTestId('canonical').textContent()).toBe(canonical);
    await expectAccessible(page);
    p.expectClean([/\/open\/user\/get.*HTTP 400/, /status of 400/]);
    await p.close();
  });

  it('computes the canonical string and signature for a fixed timestamp and nonce without sending, from 360 px wide', async () => {
    const p = await explorer('/console/dev/explorer?op=createSubAccount', { width: 360, height: 740 });
    const { page } = p;
    await page.getByRole('heading', { level: 2, name: 'Create a sub-account' }).waitFor();
    const editor = page.getByLabel('Request body (JSON)');
    await editor.fill('{ "name": "Phuket store" }');
    let sent = 0;
    page.on('request', (r) => {
      if (r.url().includes('/open/user/create')) sent++;
    });
    await page.getByLabel('Timestamp (epoch ms)').fill('1700000000000');
    await page.getByLabel('Nonce (nonce-str)').fill('fixed-nonce-0001');
    await page.getByRole('button', { name: 'Compute' }).click();
    await page.getByTestId('offline-result').waitFor();
    const canonical = canonicalString({
      method: 'POST',
      path: '/open/user/create',
      query: '',
      accessKey: dev.accessKey,
      timestamp: '1700000000000',
      nonce: 'fixed-nonce-0001',
      userId: dev.userId,
      body: '{"name":"Phuket store"}',
    });
    expect(await page.getByTestId('offline-canonical').textContent()).toBe(canonical);
    expect(await page.getByTestId('offline-signature').textContent()).toBe(hmacSignature(dev.accessSecret, canonical));
    expect(await shownHeader(page, 'offline-headers', 'nonce-str')).toBe('fixed-nonce-0001');
    expect(sent).toBe(0);
    expect(await overflowing(page)).toEqual([]);
    await expectAccessible(page);
    p.expectClean();
    await p.close();
  });
});
