import fs from 'node:fs';
import path from 'node:path';
import axe from 'axe-core';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { expect } from 'vitest';
import { startBackgroundWork } from '../../server/src/main.js';
import { type Credentials, startServer, type TestServer } from '../../server/test/harness.js';

export { chromiumPath, launchChromium } from './chromium.js';

/**
 * Browser tests of the console: Debian's Chromium driven by Playwright against a real Ponte server on loopback (the
 * built console in console/dist, served at /console as `npm start` serves it). Without Chromium the tests are
 * skipped (`npm test` prints why; under CI it installs the `chromium` package first).
 */

const repo = path.resolve(import.meta.dirname, '..', '..');
/** The built console the server serves: PONTE_CONSOLE_DIST (a build of one's own), else console/dist. */
export const consoleDist = process.env.PONTE_CONSOLE_DIST ?? path.join(repo, 'console', 'dist');
/** Where screenshots go: docs/screenshots when PONTE_SCREENSHOTS=1 (`npm run screenshots`); otherwise none are taken. */
const screenshotDir = process.env.PONTE_SCREENSHOTS === '1' ? path.join(repo, 'docs', 'screenshots') : null;

/**
 * A server on loopback serving the console. Its background work (the outbox's workers, callback delivery, the sandbox
 * sellers, as `ponte serve` runs them) runs only with `background: true`; otherwise a test runs it at the moments it
 * chooses (`server.drainOutbox()`, `server.drainCallbacks()`).
 */
export async function startConsoleServer(
  env: Record<string, string> = {},
  options: { background?: boolean } = {},
): Promise<TestServer> {
  if (!fs.existsSync(path.join(consoleDist, 'index.html'))) {
    throw new Error('console/dist is not built: run npm run build');
  }
  const server = await startServer({
    env: { PONTE_CONSOLE_DIR: consoleDist, CALLBACK_ALLOW_PRIVATE: 'true', ...env },
  });
  if (!options.background) return server;
  const background = startBackgroundWork(server.deps);
  const close = server.close;
  return Object.assign(server, {
    close: async () => {
      await background.stop();
      await close();
    },
  });
}

/** What went wrong in a page: console errors, uncaught exceptions, failed requests and error answers. */
export interface PageProblems {
  consoleErrors: string[];
  pageErrors: string[];
  failedRequests: string[];
}

/** A page that records its problems; `expectClean()` fails the test if any was seen. */
export interface TrackedPage {
  page: Page;
  context: BrowserContext;
  problems: PageProblems;
  /** Fails unless no console error, exception, failed request or HTTP error answer happened (except `allowed`). */
  expectClean(allowed?: RegExp[]): void;
  close(): Promise<void>;
}

export async function openPage(
  browser: Browser,
  baseUrl: string,
  options: { width?: number; height?: number; locale?: string } = {},
): Promise<TrackedPage> {
  const context = await browser.newContext({
    baseURL: baseUrl,
    viewport: { width: options.width ?? 1280, height: options.height ?? 860 },
    locale: options.locale ?? 'en-GB',
  });
  context.setDefaultTimeout(10_000);
  const page = await context.newPage();
  const problems: PageProblems = { consoleErrors: [], pageErrors: [], failedRequests: [] };
  page.on('console', (m) => {
    if (m.type() === 'error') problems.consoleErrors.push(m.text());
  });
  page.on('pageerror', (e) => problems.pageErrors.push(e.message));
  page.on('requestfailed', (r) => {
    // A navigation away cancels what the page was still loading: not a failure of the console.
    if (r.failure()?.errorText === 'net::ERR_ABORTED') return;
    problems.failedRequests.push(`${r.method()} ${r.url()}: ${r.failure()?.errorText}`);
  });
  page.on('response', (r) => {
    if (r.status() >= 400) problems.failedRequests.push(`${r.request().method()} ${r.url()}: HTTP ${r.status()}`);
  });
  return {
    page,
    context,
    problems,
    expectClean(allowed = []) {
      const keep = (s: string) => !allowed.some((re) => re.test(s));
      expect({
        consoleErrors: problems.consoleErrors.filter(keep),
        pageErrors: problems.pageErrors.filter(keep),
        failedRequests: problems.failedRequests.filter(keep),
      }).toEqual({ consoleErrors: [], pageErrors: [], failedRequests: [] });
    },
    close: () => context.close(),
  };
}

/** Signs a developer in through the sign-in page, as a user does. */
export async function signInDeveloper(page: Page, creds: Credentials): Promise<void> {
  await page.goto('/console/sign-in');
  await page.getByLabel('Access key').fill(creds.accessKey);
  await page.getByLabel('Access secret').fill(creds.accessSecret);
  await page.getByLabel('User id').fill(creds.userId);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(/\/console\/dev/);
}

/** Signs the operator in through its sign-in page. */
export async function signInOperator(page: Page, token: string): Promise<void> {
  await page.goto('/console/operator/sign-in');
  await page.getByLabel('Operator token').fill(token);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(/\/console\/op/);
}

export interface AxeViolation {
  id: string;
  impact: string | null | undefined;
  help: string;
  nodes: string[];
}

/** axe-core's serious and critical violations on the page as it is now (WCAG 2.1 A and AA rules, best practices). */
export async function seriousViolations(page: Page): Promise<AxeViolation[]> {
  // Evaluated through the DevTools protocol, which the page's Content-Security-Policy does not restrict.
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axe.source);
  const results = await page.evaluate(async () => {
    const run = (window as unknown as { axe: typeof axe }).axe.run;
    const r = await run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.slice(0, 5).map((n) => n.target.join(' ')),
    }));
  });
  return results.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

/** Fails with the violations listed when axe finds a serious or critical one. */
export async function expectAccessible(page: Page): Promise<void> {
  const violations = await seriousViolations(page);
  expect(
    violations.map((v) => `${v.impact} ${v.id}: ${v.help} (${v.nodes.join(' | ')})`),
    `axe on ${page.url()}`,
  ).toEqual([]);
}

/** A screenshot of the page into docs/screenshots (PONTE_SCREENSHOTS=1) or nowhere. */
export async function screenshot(page: Page, name: string): Promise<void> {
  if (!screenshotDir) return;
  fs.mkdirSync(screenshotDir, { recursive: true });
  await page.screenshot({ path: path.join(screenshotDir, `${name}.png`), fullPage: false });
}
