import type { Browser, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
 * The operator's warehouse, shipments, rate cards and sandbox pages against a real server: a developer's paid Taobao
 * order shipped by the sandbox seller is received by scanning its tracking number, inspected with a photo and its
 * weight, booked by the developer, packed (the freight settled) and shipped in the page; the rate cards exported and
 * imported back; the sandbox clock advanced and a fault set and cleared.
 */

const US = {
  country: 'US',
  name: 'Ofir Birinbaum',
  address: '5818 WHITSETT AVE 401',
  city: 'VALLEY VLG',
  zip: '91607',
};
const RECEIVER = {
  name: 'Ponte 集运仓',
  mobile_phone: '13800000000',
  country: '中国',
  state: '广东省',
  city: '东莞市',
  district: '虎门镇',
  address: '集货仓 1 号',
  zip: '523900',
};

interface Goods {
  itemId: string;
  skuId: string;
  serviceId: string;
}

interface Parcel {
  parcelId: string;
  status: string;
  estimate: number;
  actual: number | null;
  settlement: { amount: number; direction: string } | null;
  carrier: string | null;
  trackingNo: string | null;
  itemIds: string[];
}

describe.skipIf(!chromiumPath)('the operator’s warehouse, shipments, rate cards and sandbox', () => {
  let server: TestServer;
  let browser: Browser;
  let dev: Credentials;
  let goods: Goods;
  /** The domestic tracking number the sandbox seller shipped the order with. */
  let trackingNo: string;
  let upstreamOrderId: string;
  let itemId: string;

  const ok = <T>(r: { body: { code: number; data: T }; text: string }): T => {
    expect(r.body.code, r.text).toBe(200);
    return r.body.data;
  };
  const post = <T>(url: string, body: unknown) => server.signed<T>(dev, 'POST', url, { body }).then(ok);
  const get = <T>(url: string) => server.signed<T>(dev, 'GET', url).then(ok);

  /** A distributable SKU with stock that a US channel carries, and that channel. */
  async function findGoods(): Promise<Goods> {
    const found = await post<{ list: { itemId: number }[] }>('/open/product/item/search', {
      keyword: '',
      pageNo: 1,
      pageSize: 40,
    });
    for (const hit of found.list) {
      const p = await get<{
        status: string;
        beginAmount: number;
        skuList: { skuId: string; mpSkuId: string | null; quantity: number }[];
      }>(`/open/product/get?itemId=${hit.itemId}`);
      const sku = p.skuList.find((s) => s.mpSkuId && s.quantity >= 5);
      if (p.status !== 'active' || p.beginAmount > 1 || !sku) continue;
      const preview = await post<{
        renderItems: { quotes: { available: boolean; freightInfo: { serviceId: string } }[] }[];
      }>('/open/pp/logistics/orderRenderFreight', {
        receiverAddress: US,
        renderItems: [
          {
            itemId: String(hit.itemId),
            skuId: sku.skuId,
            quantity: 1,
            freightInfo: { serviceId: '', companyName: '', serviceCategory: '' },
          },
        ],
      });
      const quotes = (preview.renderItems[0]?.quotes ?? []).filter((q) => q.available);
      const quote = quotes.find((q) => q.freightInfo.serviceId === '1') ?? quotes[0];
      if (quote) return { itemId: String(hit.itemId), skuId: sku.skuId, serviceId: quote.freightInfo.serviceId };
    }
    throw new Error('no goods of the sandbox catalog can be sent to the US');
  }

  /** Waits until `check` answers something, draining the outbox between tries. */
  async function until<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
    const end = Date.now() + timeoutMs;
    for (;;) {
      const value = await check();
      if (value !== undefined) return value;
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
      await server.drainOutbox();
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  beforeAll(async () => {
    [server, browser] = await Promise.all([
      startConsoleServer({
        SANDBOX_GOODS: '150',
        SANDBOX_SEED: '4',
        RATE_LIMIT_PER_SECOND: '10000',
        RATE_LIMIT_BURST: '10000',
      }),
      launchChromium(),
    ]);
    server.deps.sandbox?.ensureSeeded();
    ok(await server.admin('PUT', '/sandbox/policy', { priceModifyRate: 0 }));
    dev = await server.createDeveloper('Saigon Imports');
    ok(
      await server.admin('POST', `/admin/developers/${dev.developId}/topups`, { amount: 5_000_000, reference: 'ops' }),
    );
    goods = await findGoods();

    // A paid Taobao order, shipped now by the sandbox seller to the warehouse.
    const order = await post<{ orderId: string }>('/open/order', {
      orderLineList: [{ itemId: goods.itemId, skuId: goods.skuId, quantity: 1, orderLineNo: '1' }],
      receiver: RECEIVER,
    });
    await post('/open/order/pay', { orderId: order.orderId });
    const detail = await get<{ subPurchaseOrders: { purchaseOrderOuterId: string }[] }>(
      `/open/order/get?orderId=${order.orderId}`,
    );
    upstreamOrderId = detail.subPurchaseOrders[0]?.purchaseOrderOuterId ?? '';
    ok(await server.admin('POST', `/sandbox/taobao/orders/${upstreamOrderId}/ship`, {}));
    const seller = ok(
      await server.admin<{ lines: { trackingNo: string | null }[] }>(
        'GET',
        `/sandbox/taobao/orders/${upstreamOrderId}`,
      ),
    );
    trackingNo = seller.lines[0]?.trackingNo ?? '';
    expect(trackingNo).toMatch(/^[A-Za-z0-9-]{4,64}$/);
    // The warehouse expects the goods once the platform has taken the seller's shipping.
    await until('the expected item', async () => {
      const items = ok(
        await server.admin<{ list: { status: string }[] }>('GET', `/admin/warehouse/items?trackingNo=${trackingNo}`),
      );
      return items.list[0]?.status === 'expected' ? true : undefined;
    });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  /**
   * A page of the operator console at `url`: signed in through the sign-in page the first time, then with the
   * operator's session put in the tab's storage as the sign-in page keeps it.
   */
  let signedIn = false;
  async function operatorPage(url: string, size?: { width: number; height: number }) {
    const p = await openPage(browser, server.baseUrl, size);
    if (signedIn) {
      await p.context.addInitScript((token) => {
        sessionStorage.setItem('ponte.operator', JSON.stringify({ token }));
      }, server.deps.adminToken);
    } else {
      await signInOperator(p.page, server.deps.adminToken);
      signedIn = true;
    }
    await p.page.goto(url);
    await p.page.getByRole('heading', { level: 1 }).waitFor();
    return p;
  }

  /** Types into the focused field and presses Enter, as a barcode scanner does. */
  async function scan(page: Page, text: string) {
    await page.waitForFunction(() => document.activeElement?.getAttribute('name') === 'trackingNo');
    await page.keyboard.type(text, { delay: 5 });
    await page.keyboard.press('Enter');
  }

  it('receives a parcel scanned by its tracking number; an unknown one goes to the exception queue', async () => {
    const p = await operatorPage('/console/op/warehouse');
    const { page } = p;
    await scan(page, trackingNo);
    const matched = page.getByTestId('scan').filter({ hasText: 'Matched:' });
    await matched.waitFor();
    itemId = (await matched.getByRole('link').first().textContent()) ?? '';
    expect(itemId).toMatch(/^WI[0-9]+$/);
    const received = ok(
      await server.admin<{ list: { itemId: string; status: string }[] }>(
        'GET',
        `/admin/warehouse/items?trackingNo=${trackingNo}`,
      ),
    );
    expect(received.list).toEqual([expect.objectContaining({ itemId, status: 'received' })]);
    // Cleared and focused for the next scan.
    expect(await page.getByLabel('Tracking number', { exact: false }).first().inputValue()).toBe('');

    await scan(page, 'NOSUCH-20260101');
    await page.getByTestId('scan').filter({ hasText: 'Unmatched:' }).waitFor();
    await page.getByTestId('exception-row').filter({ hasText: 'NOSUCH-20260101' }).waitFor();
    const open = ok(
      await server.admin<{ list: { exceptionId: string; trackingNo: string; status: string }[] }>(
        'GET',
        '/admin/warehouse/exceptions?status=open',
      ),
    );
    const unmatched = open.list.find((x) => x.trackingNo === 'NOSUCH-20260101');
    expect(unmatched?.exceptionId).toMatch(/^WX[0-9]+$/);
    // The item is listed among the received ones, linking to its page.
    await page.getByLabel('Status').first().selectOption('received');
    await page.waitForURL(/status=received/);
    await page.getByRole('table', { name: 'Items' }).getByRole('link', { name: itemId }).waitFor();
    await expectAccessible(page);
    await screenshot(page, 'operations-warehouse');

    // The parcel was sent back: recorded so, after a confirmation.
    const exceptionId = unmatched?.exceptionId ?? '';
    await page.getByRole('button', { name: `Resolve exception ${exceptionId}` }).click();
    await page.getByRole('heading', { name: `Resolve exception ${exceptionId}` }).waitFor();
    await page.getByRole('button', { name: 'Record as returned' }).click();
    await page.getByRole('button', { name: 'Yes, record it returned' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: `Exception ${exceptionId} recorded as returned.` })
      .waitFor();
    const resolved = ok(
      await server.admin<{ list: { exceptionId: string; status: string }[] }>(
        'GET',
        '/admin/warehouse/exceptions?status=returned',
      ),
    );
    expect(resolved.list).toEqual([expect.objectContaining({ exceptionId, status: 'returned' })]);
    p.expectClean();
    await p.close();
  });

  it('inspects the item with a photo, its weight and size: it is stored', async () => {
    const p = await operatorPage(`/console/op/warehouse/items/${itemId}`);
    const { page } = p;
    await page.getByRole('heading', { name: 'Inspect' }).waitFor();
    await page.getByLabel('Condition').selectOption('ok');
    await page.getByLabel('Weight (g)').fill('640');
    await page.getByLabel('Length (cm)').fill('22');
    await page.getByLabel('Width (cm)').fill('15');
    await page.getByLabel('Height (cm)').fill('8');
    const png = await sharp({ create: { width: 24, height: 16, channels: 3, background: { r: 200, g: 120, b: 40 } } })
      .png()
      .toBuffer();
    await page
      .getByTestId('inspection-photos')
      .locator('input[type=file]')
      .setInputFiles({ name: 'box.png', mimeType: 'image/png', buffer: png });
    await page.getByRole('img', { name: 'Photo 1 to upload: box.png' }).waitFor();
    await expectAccessible(page);
    await screenshot(page, 'operations-inspect');
    await page.getByRole('button', { name: 'Record the inspection' }).click();
    await page.getByRole('status').filter({ hasText: 'Inspection recorded' }).waitFor();
    const item = ok(
      await server.admin<{ status: string; weightG: number; photos: string[]; size: unknown }>(
        'GET',
        `/admin/warehouse/items/${itemId}`,
      ),
    );
    expect(item).toMatchObject({ status: 'stored', weightG: 640, size: { lengthCm: 22, widthCm: 15, heightCm: 8 } });
    expect(item.photos).toHaveLength(1);
    // The stored photo is shown from the API's link.
    const photo = page.getByRole('img', { name: 'Inspection photo 1' });
    await photo.waitFor();
    await page.waitForFunction(
      () => (document.querySelector('img[alt="Inspection photo 1"]') as HTMLImageElement | null)?.naturalWidth === 24,
    );
    await page.getByRole('table', { name: 'History' }).getByText('admin:inspect').first().waitFor();
    await expectAccessible(page);
    p.expectClean();
    await p.close();
  });

  it('packs the booked parcel with its weight (the freight settled), then ships it', async () => {
    const preview = await post<{ renderId: string }>('/open/pp/logistics/orderRenderFreight', {
      receiverAddress: US,
      renderItems: [
        {
          itemId: goods.itemId,
          skuId: goods.skuId,
          quantity: 1,
          freightInfo: { serviceId: goods.serviceId, companyName: '', serviceCategory: '' },
        },
      ],
    });
    const booked = await post<{ parcels: Parcel[] }>('/open/pp/logistics/orderBookingFreight', {
      renderId: preview.renderId,
      receiverAddress: US,
    });
    const parcelId = booked.parcels[0]?.parcelId ?? '';
    expect(booked.parcels[0]?.status).toBe('booked');

    const p = await operatorPage('/console/op/shipments?status=booked');
    const { page } = p;
    await page.getByRole('link', { name: parcelId }).click();
    await page.waitForURL(new RegExp(`/op/shipments/${parcelId}`));
    await page.getByRole('heading', { name: 'Pack' }).waitFor();
    expect(await page.getByRole('checkbox', { name: new RegExp(itemId) }).isChecked()).toBe(true);
    // Heavier than the goods were quoted on: the gap is charged.
    await page.getByLabel('Weight (g)').fill('5000');
    await page.getByLabel('Length (cm)').fill('40');
    await page.getByLabel('Width (cm)').fill('30');
    await page.getByLabel('Height (cm)').fill('20');
    await page.getByRole('button', { name: 'Pack and settle the freight' }).click();
    await page.getByRole('status').filter({ hasText: 'Packed. Actual freight' }).waitFor();
    const packed = ok(await server.admin<Parcel>('GET', `/admin/shipments/${parcelId}`));
    expect(packed).toMatchObject({ status: 'packed', itemIds: [itemId] });
    const shownActual = (await page.getByTestId('actual-freight').textContent()) ?? '';
    expect(Number(shownActual.replace(/[^0-9.]/g, ''))).toBe((packed.actual ?? -1) / 100);
    const settlement = packed.settlement ?? { amount: 0, direction: 'none' };
    expect(settlement).toEqual({ amount: (packed.actual ?? 0) - packed.estimate, direction: 'charge' });
    const shownSettlement = (await page.getByTestId('settlement').textContent()) ?? '';
    expect(shownSettlement).toContain('charged to the balance');
    expect(Number(shownSettlement.replace(/[^0-9.]/g, ''))).toBe(settlement.amount / 100);

    await page.getByRole('heading', { name: 'Ship', exact: true }).waitFor();
    await page.getByLabel('International carrier').fill('DHL');
    await page.getByLabel('International tracking number').fill('JD0001234567');
    await page.getByRole('button', { name: 'Ship the parcel' }).click();
    await page.getByRole('status').filter({ hasText: 'Shipped with DHL' }).waitFor();
    await page.getByRole('heading', { name: 'Delivery' }).waitFor();
    await expectAccessible(page);
    await screenshot(page, 'operations-shipment');

    // What the developer sees: the parcel shipped, and the money moved once each way.
    const parcel = await get<Parcel>(`/open/pp/logistics/parcels/${parcelId}`);
    expect(parcel).toMatchObject({ status: 'shipped', carrier: 'DHL', trackingNo: 'JD0001234567' });
    const ledger = await get<{ entries: { kind: string; amount: number }[] }>('/open/account/ledger?pageSize=50');
    const kinds = (kind: string) => ledger.entries.filter((e) => e.kind === kind).map((e) => e.amount);
    expect(kinds('freight_charge')).toEqual([-packed.estimate]);
    expect(kinds('freight_settle')).toEqual([-settlement.amount]);
    p.expectClean();
    await p.close();
  });

  it('lists the shipments at 360 px wide without the page scrolling sideways', async () => {
    const p = await operatorPage('/console/op/shipments', { width: 360, height: 740 });
    const { page } = p;
    await page.getByRole('table', { name: 'Parcels' }).waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await expectAccessible(page);
    p.expectClean();
    await p.close();
  });

  it('exports the rate cards as a table and a download; a bad row is named; the same CSV imports', async () => {
    const exported = ok(
      await server.admin<{ source: string; channels: number; csv: string }>('GET', '/admin/freight/channels/csv'),
    );
    expect(exported.source).toBe('sample');
    const p = await operatorPage('/console/op/freight');
    const { page } = p;
    const table = page.getByRole('table', { name: 'Rate cards in use' });
    await table.getByRole('columnheader', { name: 'first_weight_g' }).waitFor();
    expect(await table.locator('tbody tr').count()).toBe(Math.min(25, exported.channels));
    expect(await page.getByRole('link', { name: 'Download CSV' }).getAttribute('href')).toMatch(/^blob:/);
    await page.getByRole('button', { name: 'Edit in the import box' }).click();
    const box = page.getByLabel('Rate cards CSV');
    expect(await box.inputValue()).toBe(exported.csv);

    // A row with a weight that is not a number: refused, naming its row and column.
    const lines = exported.csv.split('\n');
    const header = (lines[0] ?? '').split(',');
    const column = header.indexOf('first_weight_g');
    const broken = (lines[1] ?? '').split(',');
    broken[column] = 'heavy';
    await box.fill([lines[0], broken.join(','), ...lines.slice(2)].join('\n'));
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    await page.getByText('Row 2, column first_weight_g:').waitFor();

    await page.getByRole('button', { name: 'Edit in the import box' }).click();
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    await page
      .getByRole('status')
      .filter({ hasText: `Imported: ${exported.channels} channels` })
      .waitFor();
    const after = ok(await server.admin<{ source: string; channels: number }>('GET', '/admin/freight/channels/csv'));
    expect(after).toMatchObject({ source: 'operator', channels: exported.channels });
    await page.getByText('Your rates').waitFor();
    await expectAccessible(page);
    p.expectClean([/\/admin\/freight\/channels\/csv.*HTTP 400/, /status of 400/]);
    await p.close();
  });

  it('advances the sandbox clock, and sets and clears a fault', async () => {
    const before = ok(await server.admin<{ now: number }>('GET', '/sandbox/clock'));
    const p = await operatorPage('/console/op/sandbox');
    const { page } = p;
    await page.getByTestId('market-time').waitFor();
    await page.getByLabel('Advance by').fill('2');
    await page.getByRole('combobox', { name: /^Unit/ }).selectOption('hours');
    await page.getByRole('button', { name: 'Advance the clock' }).click();
    await page.getByRole('status').filter({ hasText: 'Market time is now' }).waitFor();
    const after = ok(await server.admin<{ now: number }>('GET', '/sandbox/clock'));
    expect(after.now - before.now).toBeGreaterThanOrEqual(2 * 3_600_000);

    await page.getByRole('combobox', { name: /^Operation/ }).selectOption('search');
    await page.getByLabel('Error rate').fill('0.5');
    await page.getByRole('button', { name: 'Set the fault' }).click();
    await page.getByTestId('fault-row').filter({ hasText: 'search' }).waitFor();
    const faults = ok(
      await server.admin<{ list: { operation: string; errorRate: number }[] }>('GET', '/sandbox/faults'),
    );
    expect(faults.list).toEqual([expect.objectContaining({ operation: 'search', errorRate: 0.5 })]);
    await expectAccessible(page);
    await screenshot(page, 'operations-sandbox');
    await page.getByRole('button', { name: 'Clear the fault of search' }).click();
    await page.getByRole('status').filter({ hasText: '1 fault cleared.' }).waitFor();
    await page.getByText('No fault injected.').waitFor();
    expect(ok(await server.admin<{ list: unknown[] }>('GET', '/sandbox/faults')).list).toEqual([]);

    // The seller's view of the order the warehouse received, with the tracking number it shipped with.
    await page.getByLabel('Marketplace order id').first().fill(upstreamOrderId);
    await page.getByRole('button', { name: 'Look up' }).click();
    await page.getByTestId('seller-tracking-no').filter({ hasText: trackingNo }).waitFor();
    p.expectClean();
    await p.close();
  });
});
