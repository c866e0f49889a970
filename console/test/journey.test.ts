import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { PonteClient } from '@ponte/sdk';
import type { Browser, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Credentials, TestServer } from '../../server/test/harness.js';
import {
  chromiumPath,
  expectAccessible,
  launchChromium,
  openPage,
  signInDeveloper,
  signInOperator,
  startConsoleServer,
  type TrackedPage,
} from './browser.js';

/**
 * The whole journey through the console, against one server running its background work as `ponte serve` does: a
 * developer finds a product by its picture, buys it and pays with a bank-transfer voucher; the operator approves the
 * voucher, receives the goods by their tracking number, inspects them with a photo; the developer books a parcel;
 * the operator packs it (the freight settles) and ships it; the developer sees the parcel and the settled freight; a
 * refund is requested and the seller agrees; a callback refused by the developer's receiver is redelivered from the
 * messages page. Every page checked with axe; no console error and no failed request anywhere.
 */

/** A callback receiver: the verification answered, every message refused (500, retry in an hour) until `accept`. */
async function startReceiver() {
  const state = { accept: false, delivered: [] as string[] };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const message = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { messageType: string; messageId: string };
      if (message.messageType === 'CALLBACK_VERIFICATION' || state.accept) {
        if (message.messageType !== 'CALLBACK_VERIFICATION') state.delivered.push(message.messageId);
        res.writeHead(200).end('ok');
      } else {
        res.writeHead(500, { 'retry-after': '3600' }).end('not now');
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks/ponte`,
    state,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const png = (r: number, g: number, b: number) =>
  sharp({ create: { width: 32, height: 24, channels: 3, background: { r, g, b } } })
    .png()
    .toBuffer();

const money = (fen: number) =>
  new Intl.NumberFormat('en-GB', { style: 'currency', currency: 'CNY', minimumFractionDigits: 2 }).format(fen / 100);

/** Polls `check` until it answers something other than undefined. */
async function until<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

interface Goods {
  itemId: string;
  picture: Buffer;
  /** The SKU's properties as the product page names them: group (property) and value. */
  choices: { group: string; value: string }[];
}

describe.skipIf(!chromiumPath)('the journey through the console, from a picture to a parcel', () => {
  let server: TestServer;
  let browser: Browser;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let dev: Credentials;
  let client: PonteClient;
  let goods: Goods;
  let developer: TrackedPage;
  let operator: TrackedPage;
  let orderId = '';
  let itemId = '';
  let parcelId = '';

  const admin = async <T>(method: string, url: string, body?: unknown): Promise<T> => {
    const r = await server.admin<T>(method, url, body);
    expect(r.body.code, r.text).toBe(200);
    return r.body.data;
  };

  /** A Taobao SKU in stock that a US freight channel carries, with its picture and its property choices. */
  async function findGoods(): Promise<Goods> {
    const found = await client.taobao.search({ keyword: '', pageNo: 1, pageSize: 40, language: 'en' });
    for (const hit of found.list) {
      const item = await client.taobao.get(String(hit.itemId), 'en');
      const sku = item.skuList.find((s) => s.mpSkuId && s.status === 'active' && s.quantity >= 5);
      if (item.status !== 'active' || item.beginAmount > 1 || !sku || !item.mpId) continue;
      const quote = await client.request<{ channels: { available: boolean }[] }>(
        'POST',
        '/open/pp/logistics/itemLogisticsPrice',
        { body: { itemId: String(hit.itemId), skuId: sku.skuId, quantity: 1, receiverAddress: { country: 'US' } } },
      );
      if (!quote.channels.some((c) => c.available)) continue;
      const picture = Buffer.from(await (await fetch(hit.picUrl)).arrayBuffer());
      return {
        itemId: String(hit.itemId),
        picture,
        choices: sku.properties.map((p) => ({ group: p.propNameTrans, value: p.valueNameTrans })),
      };
    }
    throw new Error('no Taobao SKU of the sandbox catalog can be sent to the US');
  }

  beforeAll(async () => {
    [server, browser, receiver] = await Promise.all([
      startConsoleServer(
        { SANDBOX_GOODS: '120', RATE_LIMIT_PER_SECOND: '10000', RATE_LIMIT_BURST: '10000' },
        { background: true },
      ),
      launchChromium(),
      startReceiver(),
    ]);
    // Sellers act when told to (through the sandbox's control API), not on their own schedule, and keep their prices.
    await admin('PUT', '/sandbox/policy', {
      priceModifyRate: 0,
      shipAfterMs: 30 * 86_400_000,
      refundDecisionAfterMs: 30 * 86_400_000,
      sellerAgreeTimeoutMs: 60 * 86_400_000,
    });
    dev = await server.createDeveloper('Da Nang Imports');
    client = new PonteClient({ baseUrl: server.baseUrl, ...dev, maxRetries: 0 });
    await admin('POST', `/admin/developers/${dev.developId}/topups`, { amount: 2_000_000, reference: 'opening' });
    goods = await findGoods();
    developer = await openPage(browser, server.baseUrl);
    operator = await openPage(browser, server.baseUrl);
    await signInDeveloper(developer.page, dev);
    await signInOperator(operator.page, server.deps.adminToken);
  }, 90_000);

  afterAll(async () => {
    await developer?.close();
    await operator?.close();
    await browser?.close();
    await server?.close();
    await receiver?.close();
  });

  const go = async (page: Page, url: string) => {
    await page.goto(`/console${url}`);
    await page.getByRole('heading', { level: 1 }).first().waitFor();
  };

  it('the developer sets a callback URL, which refuses the messages for now', async () => {
    const { page } = developer;
    await go(page, '/dev/callbacks');
    await page.getByLabel('Callback URL').fill(receiver.url);
    await page.getByRole('button', { name: 'Save and verify' }).click();
    await page.getByRole('status').getByText('The callback URL was verified and saved.').waitFor();
    await page.getByRole('button', { name: 'I have kept it' }).click();
    await expectAccessible(page);
    developer.expectClean();
  });

  it('finds the product by its picture, adds the SKU to the cart, checks out and pays by voucher', async () => {
    const { page } = developer;
    await go(page, '/dev/goods');
    await page.getByLabel('Picture to search with').setInputFiles({
      name: 'seen-on-a-market.jpg',
      mimeType: 'image/jpeg',
      buffer: goods.picture,
    });
    const card = page.locator(`[data-testid="goods-card"][data-item-id="${goods.itemId}"]`);
    await card.waitFor();
    await expectAccessible(page);
    await card.locator('a').first().click();
    await page.waitForURL(new RegExp(`/dev/goods/taobao/${goods.itemId}$`));
    await page.getByText('Original title (Chinese)').waitFor();
    for (const choice of goods.choices) {
      await page
        .getByRole('group', { name: choice.group })
        .getByRole('button', { name: new RegExp(`^${choice.value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(\\s|$)`) })
        .click();
    }
    await page.getByRole('button', { name: 'Add to cart' }).click();
    await page
      .getByRole('status')
      .getByText(/^Added to the cart: 1 ×/)
      .waitFor();
    await expectAccessible(page);

    await page.getByRole('link', { name: 'Open the cart' }).click();
    await page.getByRole('button', { name: 'Check out' }).click();
    await page.waitForURL(/\/dev\/checkout/);
    await page.getByRole('button', { name: 'Add an address' }).click();
    const form = page.getByTestId('checkout-address-form');
    await form.getByRole('textbox', { name: /^Receiver’s name/ }).fill('Nguyen Van A');
    await form.getByRole('textbox', { name: /^Phone/ }).fill('+84 905 123 456');
    await form.getByRole('textbox', { name: /^Province or state/ }).fill('广东省');
    await form.getByRole('textbox', { name: /^City/ }).fill('东莞市');
    await form.getByRole('textbox', { name: /^Street address/ }).fill('集货仓 3 号');
    await form.getByRole('button', { name: 'Add an address' }).click();
    await page.getByRole('radio', { name: /Nguyen Van A/ }).waitFor();
    await expectAccessible(page);
    await page.getByRole('button', { name: 'Place the order' }).click();
    await page.waitForURL(/\/dev\/orders\/taobao\/\d+$/);
    orderId = page.url().split('/').pop() ?? '';

    // Paid by a bank transfer: the voucher goes to the operator.
    await page.getByRole('heading', { name: 'Or upload a payment voucher' }).waitFor();
    await page.getByRole('textbox', { name: /^Transfer reference/ }).fill('VCB-20261206-01');
    await page
      .getByTestId('voucher-drop')
      .locator('input[type=file]')
      .setInputFiles({ name: 'transfer.png', mimeType: 'image/png', buffer: await png(30, 90, 160) });
    await page.getByRole('button', { name: 'Upload the voucher' }).click();
    await page.getByRole('status').filter({ hasText: 'pending the operator’s review' }).waitFor();
    await expectAccessible(page);
    developer.expectClean();
  });

  it('the operator approves the voucher with its picture; the order is paid', async () => {
    const vouchers = await admin<{ list: { voucherId: string; status: string }[] }>(
      'GET',
      `/admin/vouchers?developId=${dev.developId}&status=pending`,
    );
    const voucherId = vouchers.list[0]?.voucherId ?? '';
    const { page } = operator;
    await go(page, '/op/vouchers');
    const card = page.locator(`[data-voucher-id="${voucherId}"]`);
    await card.waitFor();
    await card.getByRole('img').first().waitFor();
    expect(
      await card
        .getByRole('img')
        .first()
        .evaluate((img) => (img as HTMLImageElement).naturalWidth),
    ).toBe(32);
    await expectAccessible(page);
    await card.getByRole('button', { name: 'Approve' }).click();
    await card.getByRole('button', { name: 'Approve and credit' }).click();
    await page.getByRole('status').filter({ hasText: voucherId }).waitFor();
    await until('the order paid', async () => {
      const order = await client.taobao.orders.get(orderId);
      return order.payStatus === 'PAID' ? true : undefined;
    });
    const { page: dp } = developer;
    await go(dp, `/dev/orders/taobao/${orderId}`);
    await dp
      .getByTestId('pay-status')
      .filter({ hasText: /^PAID$/ })
      .waitFor();
    operator.expectClean();
    developer.expectClean();
  });

  it('the seller ships; the operator receives the goods by their tracking number and inspects them with a photo', async () => {
    const order = await client.taobao.orders.get(orderId);
    const upstreamId = order.subPurchaseOrders[0]?.purchaseOrderOuterId ?? '';
    await admin('POST', `/sandbox/taobao/orders/${upstreamId}/ship`, {});
    const seller = await admin<{ lines: { trackingNo: string | null }[] }>(
      'GET',
      `/sandbox/taobao/orders/${upstreamId}`,
    );
    const trackingNo = seller.lines[0]?.trackingNo ?? '';
    await until('the warehouse to expect the goods', async () => {
      const items = await admin<{ list: { status: string }[] }>(
        'GET',
        `/admin/warehouse/items?trackingNo=${encodeURIComponent(trackingNo)}`,
      );
      return items.list[0]?.status === 'expected' ? true : undefined;
    });

    const { page } = operator;
    await go(page, '/op/warehouse');
    // A scanner types the number and presses Enter into the focused field.
    await page.waitForFunction(() => document.activeElement?.getAttribute('name') === 'trackingNo');
    await page.keyboard.type(trackingNo, { delay: 5 });
    await page.keyboard.press('Enter');
    const received = await until('the goods received', async () => {
      const items = await admin<{ list: { itemId: string; status: string }[] }>(
        'GET',
        `/admin/warehouse/items?trackingNo=${encodeURIComponent(trackingNo)}`,
      );
      return items.list[0]?.status === 'received' ? items.list[0] : undefined;
    });
    itemId = received.itemId;
    await expectAccessible(page);

    await go(page, `/op/warehouse/items/${itemId}`);
    await page.getByRole('heading', { name: 'Inspect' }).waitFor();
    await page.getByLabel('Condition').selectOption('ok');
    await page.getByLabel('Weight (g)').fill('700');
    await page.getByLabel('Length (cm)').fill('25');
    await page.getByLabel('Width (cm)').fill('18');
    await page.getByLabel('Height (cm)').fill('9');
    await page
      .getByTestId('inspection-photos')
      .locator('input[type=file]')
      .setInputFiles({ name: 'opened.png', mimeType: 'image/png', buffer: await png(200, 120, 40) });
    await page.getByRole('button', { name: 'Record the inspection' }).click();
    await page.getByRole('status').filter({ hasText: 'Inspection recorded' }).waitFor();
    await expectAccessible(page);
    const item = await admin<{ status: string; photos: string[] }>('GET', `/admin/warehouse/items/${itemId}`);
    expect(item.status).toBe('stored');
    expect(item.photos).toHaveLength(1);
    operator.expectClean();
  });

  it('the developer sees the inspection photo and books a parcel; the operator packs and ships it', async () => {
    const { page } = developer;
    await go(page, '/dev/warehouse');
    await page
      .getByTestId(`warehouse-item-${itemId}`)
      .getByRole('button', { name: /Inspection photo 1 of 1/ })
      .waitFor();
    await page.waitForFunction((id) => {
      const img = document.querySelector<HTMLImageElement>(`[data-testid="warehouse-item-${id}"] img`);
      return !!img && img.complete && img.naturalWidth > 0;
    }, itemId);

    await go(page, '/dev/parcels');
    const book = page.locator('section.card', { has: page.getByRole('heading', { level: 2, name: 'Book a parcel' }) });
    await page.getByRole('checkbox', { name: new RegExp(itemId) }).check();
    await book.getByLabel('Destination country').fill('US');
    await page.getByLabel('Name', { exact: true }).fill('Tran Thi B');
    await page.getByLabel('Street and number').fill('5818 Whitsett Ave 401');
    await page.getByRole('button', { name: 'Preview freight' }).click();
    await page.getByRole('radio', { checked: true }).waitFor();
    await page.getByRole('button', { name: 'Book the parcel' }).click();
    await page.waitForURL(/\/dev\/parcels\/PP\d+$/);
    parcelId = page.url().split('/').pop() ?? '';
    expect(await page.getByTestId('parcel-status').textContent()).toBe('Booked');
    developer.expectClean();

    const { page: op } = operator;
    await go(op, `/op/shipments/${parcelId}`);
    await op.getByLabel('Weight (g)').fill('1800');
    await op.getByLabel('Length (cm)').fill('30');
    await op.getByLabel('Width (cm)').fill('20');
    await op.getByLabel('Height (cm)').fill('12');
    await op.getByRole('button', { name: 'Pack and settle the freight' }).click();
    await op.getByLabel('International carrier').waitFor();
    await op.getByLabel('International carrier').fill('DHL');
    await op.getByLabel('International tracking number').fill('JD0009876543');
    await op.getByRole('button', { name: 'Ship the parcel' }).click();
    await until('the parcel shipped', async () => {
      const parcel = await client.request<{ status: string }>('GET', `/open/pp/logistics/parcels/${parcelId}`);
      return parcel.status === 'shipped' ? true : undefined;
    });
    await expectAccessible(op);
    operator.expectClean();
  });

  it('the developer sees the parcel shipped and its settled freight', async () => {
    const parcel = await client.request<{ actual: number; estimate: number }>(
      'GET',
      `/open/pp/logistics/parcels/${parcelId}`,
    );
    const { page } = developer;
    await go(page, `/dev/parcels/${parcelId}`);
    await page.getByTestId('parcel-status').filter({ hasText: 'Shipped' }).waitFor();
    expect(await page.getByTestId('freight-estimate').textContent()).toBe(money(parcel.estimate));
    expect(await page.getByTestId('freight-actual').textContent()).toBe(money(parcel.actual));
    await page.getByText('JD0009876543').first().waitFor();
    await expectAccessible(page);
    developer.expectClean();
  });

  it('a refund is requested on another order and the seller agrees: the page shows it refunded', async () => {
    // A second order of the same goods, paid from the balance.
    const created = await client.taobao.orders.create({
      orderLineList: [{ itemId: goods.itemId, skuId: (await skuOf(goods.itemId)) ?? '', quantity: 1 }],
      receiver: {
        name: 'Ponte 集运仓',
        mobile_phone: '13800000000',
        state: '广东省',
        city: '东莞市',
        address: '集货仓 1 号',
      },
    });
    await client.taobao.orders.pay(created.orderId);

    const { page } = developer;
    await go(page, `/dev/orders/taobao/${created.orderId}`);
    await page.getByRole('link', { name: 'Request a refund' }).click();
    await page.getByRole('heading', { level: 1, name: 'Request a refund' }).waitFor();
    await page.getByLabel('Reason').selectOption({ index: 1 });
    await page.getByLabel('Description').fill('Ordered twice by mistake');
    await page.getByRole('button', { name: 'Request the refund' }).click();
    await page.waitForURL(/\/dev\/refunds\/taobao\/\d+$/);
    const refundId = page.url().split('/').pop() ?? '';
    expect(await page.getByTestId('refund-status').textContent()).toBe('Waiting for the seller');

    const refund = await client.request<{ refundOrderAggregate: { refundOrder: { refundOuterId: string } } }>(
      'GET',
      `/open/order/refund/query?refundId=${refundId}`,
    );
    await admin('POST', `/sandbox/taobao/refunds/${refund.refundOrderAggregate.refundOrder.refundOuterId}/agree`, {});
    // The page reads the refund again while it is open.
    await page.getByTestId('refund-status').filter({ hasText: 'Refunded' }).waitFor({ timeout: 30_000 });
    await expectAccessible(page);
    developer.expectClean();
  });

  it('a callback the receiver refused is redelivered from the messages page', async () => {
    const failed = await until('a refused delivery', async () => {
      const list = await client.messages.list({ objectId: orderId, pageSize: 50 });
      return list.messages.find((m) => m.attemptCount >= 1 && m.status !== 'delivered');
    });
    receiver.state.accept = true;
    const { page } = developer;
    await go(page, '/dev/messages');
    const row = page.locator(`[data-testid="message-row"][data-message-id="${failed.messageId}"]`);
    await row.waitFor();
    await row.getByRole('link', { name: `Open message ${failed.messageId}` }).click();
    const detail = page.getByTestId('message-detail');
    await detail.getByTestId('attempt-row').first().waitFor();
    await detail.getByRole('button', { name: 'Redeliver', exact: true }).click();
    await detail.getByRole('button', { name: 'Redeliver', exact: true }).click();
    await page.getByTestId('redeliver-notice').waitFor();
    await detail.locator('[data-testid="attempt-row"][data-outcome="delivered"]').waitFor({ timeout: 30_000 });
    expect(receiver.state.delivered).toContain(failed.messageId);
    await expectAccessible(page);
    developer.expectClean();
  });

  /** The SKU of the first property choices found for the goods (the one bought first). */
  async function skuOf(id: string): Promise<string | undefined> {
    const item = await client.taobao.get(id, 'en');
    return item.skuList.find((s) =>
      goods.choices.every((c) => s.properties.some((p) => p.propNameTrans === c.group && p.valueNameTrans === c.value)),
    )?.skuId;
  }
});
