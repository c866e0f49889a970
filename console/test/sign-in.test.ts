import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Credentials, TestServer } from '../../server/test/harness.js';
import {
  chromiumPath,
  expectAccessible,
  launchChromium,
  openPage,
  screenshot,
  signInDeveloper,
  signInOperator,
  startConsoleServer,
} from './browser.js';

describe.skipIf(!chromiumPath)('signing in to the console', () => {
  let server: TestServer;
  let browser: Browser;
  let dev: Credentials;

  beforeAll(async () => {
    [server, browser] = await Promise.all([startConsoleServer(), launchChromium()]);
    dev = await server.createDeveloper('Hanoi Trading');
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('the start page links both sign-ins and passes axe, from 360 px wide', async () => {
    const p = await openPage(browser, server.baseUrl, { width: 360, height: 740 });
    const res = await p.page.goto('/console');
    expect(res?.status()).toBe(200);
    await expect(p.page.getByRole('heading', { level: 1 })).toBeDefined();
    await p.page.getByRole('link', { name: 'Developer portal' }).waitFor();
    await expectAccessible(p.page);
    await screenshot(p.page, 'start');
    p.expectClean();
    await p.close();
  });

  it('a developer signs in with key, secret and user id; the keys stay in the tab’s session storage', async () => {
    const p = await openPage(browser, server.baseUrl);
    await p.page.goto('/console/dev/balance');
    await p.page.waitForURL(/\/console\/sign-in\?next=/);
    await expectAccessible(p.page);
    await signInDeveloper(p.page, dev);
    const stored = await p.page.evaluate(() => ({
      session: sessionStorage.getItem('ponte.developer'),
      local: Object.keys(localStorage).filter((k) => k !== 'ponte.language'),
      cookies: document.cookie,
    }));
    expect(JSON.parse(stored.session ?? '{}')).toMatchObject({ accessKey: dev.accessKey, userId: dev.userId });
    expect(stored.local).toEqual([]);
    expect(stored.cookies).toBe('');
    await p.page.getByRole('navigation', { name: 'Main navigation' }).waitFor();
    await expectAccessible(p.page);
    p.expectClean();
    await p.close();
  });

  it('a wrong secret shows the API’s code, message and request id, and keeps nothing', async () => {
    const p = await openPage(browser, server.baseUrl);
    await p.page.goto('/console/sign-in');
    await p.page.getByLabel('Access key').fill(dev.accessKey);
    await p.page.getByLabel('Access secret').fill('not-the-secret');
    await p.page.getByLabel('User id').fill(dev.userId);
    await p.page.getByRole('button', { name: 'Sign in' }).click();
    const alert = p.page.getByRole('alert');
    await alert.waitFor();
    expect(await p.page.getByTestId('error-code').textContent()).toBe('40102');
    expect(await p.page.getByTestId('error-request-id').textContent()).toMatch(/\S{8,}/);
    expect(await p.page.evaluate(() => sessionStorage.getItem('ponte.developer'))).toBeNull();
    await expectAccessible(p.page);
    // The refused request is the one failure expected here (the browser logs it too).
    p.expectClean([/\/open\/user\/get.*HTTP 401/, /status of 401/]);
    await p.close();
  });

  it('the operator signs in with the token; a wrong token is refused with 40106', async () => {
    const p = await openPage(browser, server.baseUrl);
    await p.page.goto('/console/operator/sign-in');
    await p.page.getByLabel('Operator token').fill('x'.repeat(30));
    await p.page.getByRole('button', { name: 'Sign in' }).click();
    await p.page.getByTestId('error-code').waitFor();
    expect(await p.page.getByTestId('error-code').textContent()).toBe('40106');
    await signInOperator(p.page, server.deps.adminToken);
    await p.page.getByRole('navigation', { name: 'Main navigation' }).waitFor();
    p.expectClean([/\/admin\/developers.*HTTP 401/, /status of 401/]);
    await p.close();
  });

  it('picks the browser’s language, switches on demand and remembers the choice', async () => {
    const p = await openPage(browser, server.baseUrl, { locale: 'vi-VN' });
    await p.page.goto('/console/');
    await p.page.getByRole('heading', { name: 'Chào mừng đến với Ponte' }).waitFor();
    expect(await p.page.evaluate(() => document.documentElement.lang)).toBe('vi');
    await p.page.getByTestId('language').selectOption('th');
    await p.page.getByRole('heading', { name: 'ยินดีต้อนรับสู่ Ponte' }).waitFor();
    await p.page.reload();
    await p.page.getByRole('heading', { name: 'ยินดีต้อนรับสู่ Ponte' }).waitFor();
    for (const [lang, heading] of [
      ['zh', '欢迎使用 Ponte'],
      ['es', 'Bienvenido a Ponte'],
      ['en', 'Welcome to Ponte'],
    ] as const) {
      await p.page.getByTestId('language').selectOption(lang);
      await p.page.getByRole('heading', { name: heading }).waitFor();
      await expectAccessible(p.page);
    }
    p.expectClean();
    await p.close();
  });
});
