import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { picture } from '../../server/test/api/payments/payments-fixtures.js';
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

/** Where the tests' Taobao orders go (the consolidation warehouse), in the contract's field names. */
const RECEIVER = {
  name: 'Ponte 集运仓',
  phone: '',
  mobile_phone: '13800000000',
  country: '中国',
  state: '广东省',
  city: '东莞市',
  district: '虎门镇',
  address: '集货仓 1 号',
  zip: '523900',
};

/** The receiver of the tests' 1688 orders: 1688's `addressParam`. */
const ADDRESS = {
  fullName: '张三',
  mobile: '15251667788',
  phone: '0517-88990077',
  postCode: '310051',
  provinceText: '浙江省',
  cityText: '杭州市',
  areaText: '滨江区',
  townText: '长河街道',
  address: '网商路699号',
};

const DAY = 86_400_000;
/** Money as the console shows it in English (en-GB), from fen. */
const money = (fen: number) =>
  new Intl.NumberFormat('en-GB', { style: 'currency', currency: 'CNY', minimumFractionDigits: 2 }).format(fen / 100);

interface TaobaoOrder {
  orderId: string;
  subPurchaseOrders: { purchaseOrderOuterId: string; orderLines: { purchaseOrderLineId: string }[] }[];
}

/** Waits until `done` answers true (background work arriving), for at most 15 s. */
async function until(done: () => Promise<boolean>, what: string): Promise<void> {
  for (const start = Date.now(); Date.now() - start < 15_000; ) {
    if (await done()) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`timed out: ${what}`);
}

/** Whether an image on the page has loaded (it has pixels). */
const loaded = (page: Page, selector: string) =>
  page
    .locator(selector)
    .evaluate((img) => (img as HTMLImageElement).complete && (img as HTMLImageElement).naturalWidth > 0);

describe.skipIf(!chromiumPath)('after-sales and logistics pages', () => {
  let server: TestServer;
  let browser: Browser;
  let dev: Credentials;
  /** The stored goods: a paid Taobao order shipped to the warehouse, received and inspected with a photo. */
  let stored: { orderId: string; itemId: string; productId: string; skuId: string };
  let taobaoRefundOrder: TaobaoOrder;
  let alibabaOrderId: string;

  const call = async <T>(method: string, url: string, body?: unknown): Promise<T> => {
    const r = await server.signed<T>(dev, method, url, body === undefined ? {} : { body });
    if (r.body.code !== 200) throw new Error(`${method} ${url}: ${r.text}`);
    return r.body.data;
  };
  const admin = async <T>(method: string, url: string, body?: unknown): Promise<T> => {
    const r = await server.admin<T>(method, url, body);
    if (r.body.code !== 200) throw new Error(`${method} ${url}: ${r.text}`);
    return r.body.data;
  };
  const paidTaobaoOrder = async (sku: { itemId: string; skuId: string }): Promise<TaobaoOrder> => {
    const order = await call<TaobaoOrder>('POST', '/open/order', {
      orderLineList: [{ itemId: sku.itemId, skuId: sku.skuId, quantity: 1 }],
      receiver: RECEIVER,
    });
    await call('POST', '/open/order/pay', { orderId: order.orderId });
    return order;
  };
  /** Goods at the warehouse: bought, shipped by the seller, received by their tracking number, inspected. */
  const storedGoods = async (sku: { itemId: string; skuId: string }) => {
    const bought = await paidTaobaoOrder(sku);
    const upstreamId = bought.subPurchaseOrders[0]?.purchaseOrderOuterId;
    const shipped = await admin<{ lines: { trackingNo: string }[] }>(
      'POST',
      `/sandbox/taobao/orders/${upstreamId}/ship`,
      {},
    );
    await server.drainOutbox();
    await until(
      async () =>
        (await call<{ total: number }>('GET', `/open/pp/warehouse/items?orderId=${bought.orderId}`)).total === 1,
      'the warehouse expects the shipped goods',
    );
    const receipt = await admin<{ items: { itemId: string }[] }>('POST', '/admin/warehouse/receipts', {
      trackingNo: shipped.lines[0]?.trackingNo,
    });
    const itemId = receipt.items[0]?.itemId ?? '';
    await admin('POST', `/admin/warehouse/items/${itemId}/inspect`, {
      quantityReceived: 1,
      condition: 'ok',
      photos: [(await picture('png', 320, 240)).toString('base64')],
      weightG: 640,
      lengthCm: 22,
      widthCm: 15,
      heightCm: 8,
    });
    return { orderId: bought.orderId, itemId, productId: sku.itemId, skuId: sku.skuId };
  };
  /** A paid 1688 order of the first offer with stock. */
  const paidAlibabaOrder = async (): Promise<string> => {
    const offers = await call<{ data: { offerId: number }[] }>('POST', '/alibaba/product/keywords/query', {
      pageSize: 30,
    });
    for (const hit of offers.data) {
      const d = await call<{
        status: string;
        minOrderQuantity: number;
        productSkuInfos: { specId: string; amountOnSale: number }[];
      }>('POST', '/alibaba/product/detail/get', { offerId: String(hit.offerId) });
      const spec = d.productSkuInfos.find((s) => s.amountOnSale >= d.minOrderQuantity * 4);
      if (d.status !== 'published' || !spec) continue;
      const created = await call<{ orderId: string }>('POST', '/alibaba/order/create', {
        flow: 'general',
        addressParam: ADDRESS,
        cargoParamList: [{ offerId: String(hit.offerId), specId: spec.specId, quantity: d.minOrderQuantity }],
      });
      const paid = await call<{ cantPayOrderList: string[] }>('POST', '/alibaba/order/batch/submit/to/pay', {
        orderIds: [created.orderId],
      });
      if (paid.cantPayOrderList.length > 0) throw new Error(`1688 order not paid: ${JSON.stringify(paid)}`);
      return created.orderId;
    }
    throw new Error('no 1688 offer to buy');
  };
  const signedIn = async (width?: number) => {
    const p = await openPage(browser, server.baseUrl, width ? { width, height: 740 } : {});
    await signInDeveloper(p.page, dev);
    return p;
  };

  beforeAll(async () => {
    // A small market is enough here, and quick to seed.
    [server, browser] = await Promise.all([
      startConsoleServer({ SANDBOX_GOODS: '150', SANDBOX_SEED: '4' }),
      launchChromium(),
    ]);
    server.deps.sandbox?.ensureSeeded();
    // Sellers ship and decide only when told to, here.
    await admin('PUT', '/sandbox/policy', {
      priceModifyRate: 0,
      shipAfterMs: 30 * DAY,
      refundDecisionAfterMs: 30 * DAY,
      sellerAgreeTimeoutMs: 30 * DAY,
    });
    dev = await server.createDeveloper('Saigon Returns');
    await admin('POST', `/admin/developers/${dev.developId}/topups`, { amount: 5_000_000, reference: 'after-sales' });

    // Taobao SKUs with stock; the first one a freight channel to the US carries goes to the warehouse.
    const search = await call<{ list: { itemId: number; mpId: string | null }[] }>(
      'POST',
      '/open/product/item/search',
      { keyword: '', pageSize: 40, pageNo: 1 },
    );
    const skus: { itemId: string; skuId: string }[] = [];
    for (const hit of search.list) {
      if (!hit.mpId) continue;
      const p = await call<{ status: string; beginAmount: number; skuList: { skuId: string; quantity: number }[] }>(
        'GET',
        `/open/product/get?itemId=${hit.itemId}`,
      );
      const sku = p.skuList.find((s) => s.quantity >= 5);
      if (p.status === 'active' && p.beginAmount <= 1 && sku)
        skus.push({ itemId: String(hit.itemId), skuId: sku.skuId });
      if (skus.length === 8) break;
    }
    const preview = await call<{ renderItems: { itemId: string; skuId: string; available: boolean }[] }>(
      'POST',
      '/open/pp/logistics/orderRenderFreight',
      {
        receiverAddress: { country: 'US' },
        renderItems: skus.map((s) => ({ ...s, quantity: 1, freightInfo: { serviceId: '' } })),
      },
    );
    const carried = preview.renderItems.find((l) => l.available);
    const other = skus.find((s) => s.itemId !== carried?.itemId);
    if (!carried || !other) throw new Error(`no SKU to ship and refund: ${JSON.stringify(preview)}`);

    // At once: goods stored at the warehouse, a Taobao order not shipped yet (for a refund only), a paid 1688 order.
    [stored, taobaoRefundOrder, alibabaOrderId] = await Promise.all([
      storedGoods(carried),
      paidTaobaoOrder(other),
      paidAlibabaOrder(),
    ]);
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('the warehouse shows the stored goods with the inspection photo, larger on demand by keyboard', async () => {
    const p = await signedIn();
    const { page } = p;
    await page.goto('/console/dev/warehouse');
    const row = page.getByTestId(`warehouse-item-${stored.itemId}`);
    await row.waitFor();
    expect(await row.getByText('Stored', { exact: true }).count()).toBe(1);
    expect(await row.getByText('640 g').count()).toBe(1);
    const thumb = row.getByRole('button', { name: /Inspection photo 1 of 1/ });
    await page.waitForFunction((id) => {
      const img = document.querySelector<HTMLImageElement>(`[data-testid="warehouse-item-${id}"] button img`);
      return !!img && img.complete && img.naturalWidth > 0;
    }, stored.itemId);
    expect(await loaded(page, `[data-testid="warehouse-item-${stored.itemId}"] button img`)).toBe(true);
    await expectAccessible(page);
    await screenshot(page, 'aftersales-warehouse');

    await thumb.focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    await page.waitForFunction(() => {
      const img = document.querySelector<HTMLImageElement>('[data-testid="photo-large"]');
      return !!img && img.complete && img.naturalWidth === 320;
    });
    await expectAccessible(page);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect(await thumb.evaluate((el) => el === document.activeElement)).toBe(true);

    // The status filter lives in the URL.
    await page.getByLabel('Status').selectOption('expected');
    await page.waitForURL(/status=expected/);
    await page.getByText('No goods here.').waitFor();
    p.expectClean();
    await p.close();
  });

  it('estimates freight, books a parcel from the stored item, and shows the freight settled at packing', async () => {
    const p = await signedIn();
    const { page } = p;
    await page.goto('/console/dev/parcels');

    // W1 for the stored item, filled in from the warehouse goods.
    const section = (title: string) =>
      page.locator('section.card', { has: page.getByRole('heading', { level: 2, name: title }) });
    const estimate = section('Estimate freight');
    const book = section('Book a parcel');
    await estimate.getByLabel('Fill in from your warehouse goods').selectOption({ index: 1 });
    expect(await estimate.getByLabel('Item id').inputValue()).toBe(stored.productId);
    await estimate.getByLabel('Destination country').fill('US');
    await page.getByRole('button', { name: 'Estimate', exact: true }).click();
    const channels = page.getByRole('region', { name: 'Freight channels' });
    await channels.waitFor();
    const w1 = await call<{ channels: { available: boolean; freight: number }[] }>(
      'POST',
      '/open/pp/logistics/itemLogisticsPrice',
      { itemId: stored.productId, skuId: stored.skuId, quantity: 1, receiverAddress: { country: 'US' } },
    );
    const cheapest = w1.channels.find((c) => c.available);
    expect(cheapest).toBeDefined();
    expect(await channels.getByText(money(cheapest?.freight ?? 0), { exact: true }).count()).toBeGreaterThan(0);

    // W2 → W4 from the stored item.
    await page.getByRole('checkbox', { name: new RegExp(stored.itemId) }).check();
    await book.getByLabel('Destination country').fill('US');
    await page.getByLabel('Name', { exact: true }).fill('Ofir Birinbaum');
    await page.getByLabel('Street and number').fill('5818 Whitsett Ave 401');
    await page.getByRole('button', { name: 'Preview freight' }).click();
    const chosen = page.getByRole('radio', { checked: true });
    await chosen.waitFor();
    await page.getByRole('button', { name: 'Book the parcel' }).click();
    await page.waitForURL(/\/console\/dev\/parcels\/PP\d+$/);
    const parcelId = page.url().split('/').pop() ?? '';
    await page.getByRole('status').filter({ hasText: 'Parcel booked' }).waitFor();
    expect(await page.getByTestId('parcel-status').textContent()).toBe('Booked');
    const booked = await call<{ estimate: number }>('GET', `/open/pp/logistics/parcels/${parcelId}`);
    expect(await page.getByTestId('freight-estimate').textContent()).toBe(money(booked.estimate));

    // The warehouse packs it, heavier than estimated: the page shows the settled freight.
    await admin('POST', `/admin/shipments/${parcelId}/pack`, {
      itemIds: [stored.itemId],
      weightG: 5200,
      lengthCm: 30,
      widthCm: 20,
      heightCm: 10,
    });
    const packed = await call<{ actual: number; settlement: { amount: number; direction: string } }>(
      'GET',
      `/open/pp/logistics/parcels/${parcelId}`,
    );
    await page.getByRole('button', { name: 'Refresh' }).click();
    await page.getByTestId('parcel-status').filter({ hasText: 'Packed' }).waitFor();
    expect(await page.getByTestId('freight-actual').textContent()).toBe(money(packed.actual));
    const gap = packed.settlement.amount;
    expect(packed.settlement.direction).toBe('charge');
    expect(await page.getByTestId('freight-settlement').textContent()).toBe(
      `${money(gap)} more charged to your balance`,
    );
    await page.getByText(`Settlement: ${money(-gap)}`).waitFor();
    expect(await page.getByText(stored.itemId).count()).toBeGreaterThan(0);
    await expectAccessible(page);
    await screenshot(page, 'aftersales-parcel');

    await page.goto('/console/dev/parcels?status=packed');
    await page.getByRole('link', { name: parcelId }).waitFor();
    await expectAccessible(page);
    p.expectClean();
    await p.close();
  });

  it('requests a Taobao refund with a reason, an amount and a picture; the seller agrees and the page shows it', async () => {
    const p = await signedIn();
    const { page } = p;
    await page.goto(`/console/dev/refunds?platform=taobao&orderId=${taobaoRefundOrder.orderId}`);
    await page.getByRole('heading', { level: 1, name: 'Request a refund' }).waitFor();
    const lineId = taobaoRefundOrder.subPurchaseOrders[0]?.orderLines[0]?.purchaseOrderLineId;
    const render = await call<{ refundOrderTemplate: { maxRefundFee: { refundFee: number } } }>(
      'POST',
      '/open/order/refund/render',
      { subOrderId: lineId, refundType: 1, goodsStatus: 1 },
    );
    const max = render.refundOrderTemplate.maxRefundFee.refundFee;
    await page.getByText(`At most ${money(max)}`).waitFor();
    // Nothing chosen yet: the form says what is missing and sends nothing.
    await page.getByRole('button', { name: 'Request the refund' }).click();
    await page.getByText('Choose a reason.').waitFor();
    await page.getByLabel('Reason').selectOption({ index: 1 });
    const asked = Math.max(1, max - 100);
    await page.getByLabel('Amount (CNY)').fill((asked / 100).toFixed(2));
    await page.getByLabel('Description').fill('Ordered the wrong colour');
    await page
      .getByTestId('evidence-drop')
      .locator('input[type=file]')
      .setInputFiles({ name: 'label.png', mimeType: 'image/png', buffer: await picture('png', 64, 48) });
    await page.getByRole('img', { name: 'Picture 1: label.png' }).waitFor();
    await expectAccessible(page);
    await page.getByRole('button', { name: 'Request the refund' }).click();
    await page.waitForURL(/\/console\/dev\/refunds\/taobao\/\d+$/);
    const refundId = page.url().split('/').pop() ?? '';
    await page.getByRole('status').filter({ hasText: 'Refund requested' }).waitFor();
    expect(await page.getByTestId('refund-status').textContent()).toBe('Waiting for the seller');
    await page.waitForFunction(() => {
      const img = document.querySelector<HTMLImageElement>('button img[alt^="Evidence picture 1"]');
      return !!img && img.complete && img.naturalWidth === 64;
    });

    const before = await call<{ refundOrderAggregate: { refundOrder: { refundOuterId: string; refundFee: number } } }>(
      'GET',
      `/open/order/refund/query?refundId=${refundId}`,
    );
    expect(before.refundOrderAggregate.refundOrder.refundFee).toBe(asked);
    await admin('POST', `/sandbox/taobao/refunds/${before.refundOrderAggregate.refundOrder.refundOuterId}/agree`, {});
    await server.drainOutbox();
    await page.getByRole('button', { name: 'Refresh' }).click();
    await page.getByTestId('refund-status').filter({ hasText: 'Refunded' }).waitFor();
    const after = await call<{ refundOrderAggregate: { refundOrder: { refundStatus: string; refundedFee: number } } }>(
      'GET',
      `/open/order/refund/query?refundId=${refundId}`,
    );
    expect(after.refundOrderAggregate.refundOrder.refundStatus).toBe('400');
    expect(await page.getByTestId('refunded-amount').textContent()).toBe(
      money(after.refundOrderAggregate.refundOrder.refundedFee),
    );
    await page.getByRole('region', { name: 'Status history' }).getByText('Refunded').first().waitFor();
    await expectAccessible(page);
    await screenshot(page, 'aftersales-refund');

    // Written to the seller with a picture, the message joins the conversation.
    await page.getByLabel('Message', { exact: true }).fill('Thank you');
    await page.getByRole('button', { name: 'Send the message' }).click();
    await page.getByRole('status').filter({ hasText: 'Message sent.' }).waitFor();
    await page.locator('.as-message-buyer', { hasText: 'Thank you' }).waitFor();

    // The list shows it, at 360 px wide too.
    const narrow = await signedIn(360);
    await narrow.page.goto('/console/dev/refunds');
    await narrow.page.getByRole('link', { name: refundId }).waitFor();
    await narrow.page.getByRole('link', { name: refundId }).click();
    await narrow.page.getByTestId('refund-status').filter({ hasText: 'Refunded' }).waitFor();
    expect(await narrow.page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await expectAccessible(narrow.page);
    narrow.expectClean();
    await narrow.close();
    p.expectClean();
    await p.close();
  });

  it('requests a 1688 refund with an uploaded voucher; the seller agrees and the list and page show it', async () => {
    const p = await signedIn();
    const { page } = p;
    await page.goto(`/console/dev/refunds?platform=1688&orderId=${alibabaOrderId}`);
    await page.getByRole('heading', { level: 1, name: 'Request a refund' }).waitFor();
    const reasons = await call<{ maxApplyPayment: number }>('POST', '/alibaba/refund/reason/list', {
      orderId: alibabaOrderId,
      goodsStatus: 'refundWaitSellerSend',
    });
    await page.getByText(`At most ${money(reasons.maxApplyPayment)}`).waitFor();
    await page.getByLabel('Reason').selectOption({ index: 1 });
    await page.getByLabel('Description').fill('不想要了，请退款');
    await page
      .getByTestId('evidence-drop')
      .locator('input[type=file]')
      .setInputFiles({ name: 'box.png', mimeType: 'image/png', buffer: await picture('png', 80, 60) });
    await page.getByRole('img', { name: 'Picture 1: box.png' }).waitFor();
    const submit = page.getByRole('button', { name: 'Request the refund' });
    await page.waitForFunction(() =>
      Array.from(document.querySelectorAll('button')).some(
        (b) => b.textContent === 'Request the refund' && !b.disabled,
      ),
    );
    await expectAccessible(page);
    await submit.click();
    await page.waitForURL(/\/console\/dev\/refunds\/1688\/TQ\d+$/);
    const refundId = page.url().split('/').pop() ?? '';
    expect(await page.getByTestId('refund-status').textContent()).toBe('Waiting for the seller');
    const info = await call<{ refundOuterId: string; vouchers: string[]; applyPayment: number }>(
      'POST',
      `/alibaba/refund/info?refundId=${refundId}`,
    );
    expect(info.vouchers).toHaveLength(1);
    expect(info.applyPayment).toBe(reasons.maxApplyPayment);
    await page.waitForFunction(() => {
      const img = document.querySelector<HTMLImageElement>('button img[alt^="Evidence picture 1"]');
      return !!img && img.complete && img.naturalWidth === 80;
    });

    await admin('POST', `/sandbox/1688/refunds/${info.refundOuterId}/agree`, {});
    await server.drainOutbox();
    await page.getByRole('button', { name: 'Refresh' }).click();
    await page.getByTestId('refund-status').filter({ hasText: 'Refunded' }).waitFor();
    const done = await call<{ status: string; refundPayment: number }>(
      'POST',
      `/alibaba/refund/info?refundId=${refundId}`,
    );
    expect(done.status).toBe('refundsuccess');
    expect(await page.getByTestId('refunded-amount').textContent()).toBe(money(done.refundPayment));
    await page.getByRole('cell', { name: 'The seller agreed' }).waitFor();
    await expectAccessible(page);

    await page.getByRole('link', { name: 'All refunds' }).click();
    // The router writes the marketplace as JSON text (`"1688"`), which it reads back as text.
    await page.waitForURL(/\/console\/dev\/refunds\?platform=(%22)?1688(%22)?$/);
    await page.getByRole('link', { name: refundId }).waitFor();
    await page.getByLabel('Status').selectOption('refundsuccess');
    await page.waitForURL(/status=refundsuccess/);
    await page.getByRole('link', { name: refundId }).waitFor();
    await expectAccessible(page);
    p.expectClean();
    await p.close();
  });
});
