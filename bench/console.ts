// The console: the JavaScript its first page costs, and how soon a search results page is usable.
//
//   npm run bench:console -- [--loads 5]
//
// Starts the Ponte server as `npm start` does (bench/ponte-server.ts: SQLite, the demo developer) serving the built
// console (console/dist: run `npm run build` first) and drives Debian's Chromium, headless, through Playwright:
//
// 1. Size: opens the console's first page (`/console/`, the start page every visit lands on) and the developer's
//    goods search page in a fresh browser context each, and adds up the gzip size of every script the page loaded
//    (the `.gz` files the server sends; the goal is at most 250 KB for the first page).
// 2. Time: signs the demo developer in (its keys in the tab's session storage, as the sign-in page leaves them),
//    searches once through the page to learn the results page's URL, then loads that URL --loads times, each in a
//    fresh context (nothing cached), and measures from the navigation's start until the first result is on screen
//    and its link can be clicked. The figure is the median.
//
// stdout gets exactly one line:
//
//   console: first page <n> KB gzip JS (goal <= 250), search page <m> KB; search results interactive in <t> ms
//   (median of <k>, min <a>, max <b>)
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { signRequest } from '@ponte/sdk/signing';
import type { Browser, BrowserContext } from 'playwright-core';
import { launchChromium } from '../console/test/chromium.js';
import { positiveInt } from './args.js';
import { firstTaobaoItem, log, median, onCleanup, root, runBench, startPonte } from './load.js';

const { values: flags } = parseArgs({ options: { loads: { type: 'string', default: '5' } } });
const loads = positiveInt('loads', flags.loads ?? '5');
const dist = path.join(root, 'console', 'dist');

/** The gzip size the server sends for a console file (its `.gz`, or the file itself when too small to have one). */
function gzipSize(urlPath: string): number {
  const file = path.join(dist, decodeURIComponent(urlPath.replace(/^\/console\//, '')));
  return fs.existsSync(`${file}.gz`) ? fs.statSync(`${file}.gz`).size : fs.statSync(file).size;
}

/** Loads a page in a fresh context and returns the gzip bytes of the scripts it loaded once idle. */
async function scriptBytes(context: BrowserContext, baseUrl: string, url: string): Promise<number> {
  const page = await context.newPage();
  const scripts = new Set<string>();
  page.on('response', (r) => {
    if (r.request().resourceType() === 'script' && r.url().startsWith(`${baseUrl}/console/`)) {
      scripts.add(new URL(r.url()).pathname);
    }
  });
  await page.goto(baseUrl + url, { waitUntil: 'networkidle' });
  await page.close();
  let total = 0;
  for (const s of scripts) total += gzipSize(s);
  return total;
}

async function newContext(browser: Browser, baseUrl: string, session?: object): Promise<BrowserContext> {
  const context = await browser.newContext({ baseURL: baseUrl, viewport: { width: 1280, height: 860 } });
  if (session) {
    await context.addInitScript((value) => sessionStorage.setItem('ponte.developer', value), JSON.stringify(session));
  }
  return context;
}

async function main(): Promise<void> {
  if (!fs.existsSync(path.join(dist, 'index.html'))) throw new Error('console/dist is not built: run npm run build');
  log('starting the Ponte server');
  const ponte = await startPonte(undefined);
  const { accessKey, accessSecret, userId } = ponte.creds;
  const session = { accessKey, accessSecret, userId, mainUserId: userId };

  // A keyword the sandbox catalogue has: the first word of its first Taobao item's title.
  const itemId = firstTaobaoItem(ponte.dataDir);
  const url = `/open/product/get?itemId=${itemId}`;
  const headers = signRequest({ method: 'GET', url, accessKey, accessSecret, userId });
  const product = (await (await fetch(ponte.baseUrl + url, { headers })).json()) as {
    code: number;
    data: { itemName?: string; itemNameTrans?: string; title?: string };
  };
  if (product.code !== 200) throw new Error(`product/get answered ${JSON.stringify(product)}`);
  const title = product.data.itemNameTrans || product.data.itemName || product.data.title || '';
  const keyword = title.split(/\s+/).find((w) => /^[A-Za-z]{3,}$/.test(w)) ?? title.slice(0, 2);
  if (!keyword) throw new Error(`no keyword in the title of item ${itemId}`);

  const browser = await launchChromium();
  onCleanup(() => browser.close());

  const first = await scriptBytes(await newContext(browser, ponte.baseUrl), ponte.baseUrl, '/console/');
  const searchSize = await scriptBytes(
    await newContext(browser, ponte.baseUrl, session),
    ponte.baseUrl,
    '/console/dev/goods',
  );

  // The results page's URL, as the page puts the search in it.
  const context = await newContext(browser, ponte.baseUrl, session);
  const page = await context.newPage();
  await page.goto('/console/dev/goods');
  await page.getByLabel('Keyword').fill(keyword);
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  await page.waitForURL((u) => u.search.includes(encodeURIComponent(keyword)) || u.search.includes(keyword));
  await page.locator('[data-testid="goods-card"] a').first().waitFor();
  const resultsUrl = page.url();
  await context.close();
  log(`results page: ${resultsUrl}`);

  const times: number[] = [];
  for (let i = 0; i < loads; i++) {
    const c = await newContext(browser, ponte.baseUrl, session);
    const p = await c.newPage();
    await p.goto(resultsUrl, { waitUntil: 'commit' });
    const link = p.locator('[data-testid="goods-card"] a').first();
    await link.waitFor({ state: 'visible' });
    // Interactive: the link takes a click (trial: Playwright checks it is visible, stable, enabled and on top).
    await link.click({ trial: true });
    const ms = await p.evaluate(() => performance.now());
    times.push(ms);
    log(`load ${i + 1}: ${ms.toFixed(0)} ms`);
    await c.close();
  }
  const kb = (n: number) => (n / 1024).toFixed(1);
  process.stdout.write(
    `console: first page ${kb(first)} KB gzip JS (goal <= 250), search page ${kb(searchSize)} KB; ` +
      `search results interactive in ${median(times).toFixed(0)} ms (median of ${loads}, min ` +
      `${Math.min(...times).toFixed(0)}, max ${Math.max(...times).toFixed(0)})\n`,
  );
}

await runBench('console', main);
