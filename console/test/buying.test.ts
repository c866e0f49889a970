import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Credentials, Reply, TestServer } from '../../server/test/harness.js';
import {
  chromiumPath,
  expectAccessible,
  launchChromium,
  openPage,
  screenshot,
  startConsoleServer,
  type TrackedPage,
} from './browser.js';

interface TaobaoOrder {
  orderId: string;
  status: string;
  payStatus: string;
  totalPrice: number;
  subPurchaseOrders: { subPurchaseOrderId: string; purchaseOrderOuterId: string; status: string }[];
}

interface AlibabaOrder {
  baseInfo: { id: string; status: string; payState: string; totalAmount: number };
}

interface CartLine {
  id: string;
  title: string;
}

/** A successful answer's data; anything else fails with the answer. */
function ok<T>(r: Reply<T>): T {
  expect(r.body.code, r.text).toBe(200);
  return r.body.data;
}

/** A search parameter of the console's URL (the router quotes a string that looks like a number). */
const param = (url: URL, name: string): string | null => url.searchParams.get(name)?.replace(/^"(.*)"$/, '$1') ?? null;

/** A picture of a transfer receipt (a 1×1 PNG is enough for the API, which checks what the bytes are). */
const RECEIPT = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
);

/** Money as the page writes it (CN¥1,234.50), in fen. */
const fen = (text: string | null): number => Math.round(Number((text ?? '').replace(/[^0-9.]/g, '')) * 100);

describe.skipIf(!chromiumPath)('buying in the developer portal', () => {
  let server: TestServer;
  let browser: Browser;
  let dev: Credentials;
  let p: TrackedPage;
  let taobaoLine: CartLine;
  let alibabaLine: CartLine;
  let voucherOrderId: string;
  let paidTaobaoOrderId = '';

  const call = <T>(method: string, url: string, body?: unknown) =>
    server.signed<T>(dev, method, url, body === undefined ? {} : { body });

  /** Signs in through the page the portal sends an unknown visitor to, coming back to `path`. */
  async function signIn(page: Page, path: string): Promise<void> {
    await page.goto(`/console${path}`);
    await page.waitForURL(/\/console\/sign-in\?next=/);
    await page.getByLabel('Access key').fill(dev.accessKey);
    await page.getByLabel('Access secret').fill(dev.accessSecret);
    await page.getByLabel('User id').fill(dev.userId);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL((url) => url.pathname === `/console${path}`);
  }

  /** A distributable Taobao SKU with stock, found by a search as a developer would. */
  async function taobaoSku(): Promise<{ itemId: string; skuId: string; mpId: string; mpSkuId: string }> {
    const found = ok(
      await call<{ list: { itemId: number; mpId: string | null }[] }>('POST', '/open/product/item/search', {
        pageSize: 40,
      }),
    );
    for (const hit of found.list.filter((h) => h.mpId)) {
      const item = ok(
        await call<{
          mpId: string | null;
          beginAmount: number;
          status: string;
          skuList: { skuId: string; mpSkuId: string | null; quantity: number; status: string }[];
        }>('GET', `/open/product/get?itemId=${hit.itemId}`),
      );
      const sku = item.skuList.find((s) => s.mpSkuId && s.quantity >= 10 && s.status === 'active');
      if (item.status === 'active' && item.mpId && item.beginAmount <= 1 && sku?.mpSkuId) {
        return { itemId: String(hit.itemId), skuId: sku.skuId, mpId: item.mpId, mpSkuId: sku.mpSkuId };
      }
    }
    throw new Error('no distributable Taobao SKU with stock');
  }

  /** A 1688 specification with stock for twice the offer's minimum, found by a keyword search. */
  async function alibabaSpec(): Promise<{ offerId: string; specId: string; quantity: number }> {
    const found = ok(
      await call<{ data: { offerId: number; minOrderQuantity: number }[] }>('POST', '/alibaba/product/keywords/query', {
        pageSize: 20,
      }),
    );
    for (const hit of found.data) {
      const offer = ok(
        await call<{ status: string; productSkuInfos: { specId: string; amountOnSale: number }[] }>(
          'POST',
          '/alibaba/product/detail/get',
          { offerId: String(hit.offerId) },
        ),
      );
      const spec = offer.productSkuInfos.find((s) => s.amountOnSale >= hit.minOrderQuantity * 2 + 5);
      if (offer.status === 'published' && spec) {
        return { offerId: String(hit.offerId), specId: spec.specId, quantity: hit.minOrderQuantity };
      }
    }
    throw new Error('no 1688 offer with stock');
  }

  beforeAll(async () => {
    // Chromium starts while the data is set up through the API.
    const launched = launchChromium().then((b) => {
      browser = b;
      return b;
    });
    server = await startConsoleServer();
    dev = await server.createDeveloper('Saigon Buying');
    ok(
      await server.admin('POST', `/admin/developers/${dev.developId}/topups`, { amount: 5_000_000, reference: 'TT-1' }),
    );

    const sku = await taobaoSku();
    const added = ok(
      await call<{ id: string; itemTitleTrans: string }>('POST', '/open/cart/add', {
        mpId: sku.mpId,
        mpSkuId: sku.mpSkuId,
        quantity: 1,
        language: 'en',
      }),
    );
    taobaoLine = { id: added.id, title: added.itemTitleTrans };
    const voucherOrder = ok(
      await call<TaobaoOrder>('POST', '/open/order', {
        orderLineList: [{ itemId: sku.itemId, skuId: sku.skuId, quantity: 1 }],
        receiver: {
          name: 'Nguyen Van A',
          mobile_phone: '13800000000',
          state: '广东省',
          city: '东莞市',
          address: '集货仓 1 号',
        },
      }),
    );
    voucherOrderId = voucherOrder.orderId;

    const spec = await alibabaSpec();
    const cart = ok(
      await call<{ id: string; itemTitleTrans: string }>('POST', '/alibaba/cart/add', { ...spec, language: 'en' }),
    );
    alibabaLine = { id: cart.id, title: cart.itemTitleTrans };

    p = await openPage(await launched, server.baseUrl);
    await signIn(p.page, '/dev/cart');
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('shows both carts, changes a quantity, and orders the Taobao line to an address added at checkout', async () => {
    const { page } = p;
    await page.getByRole('checkbox', { name: `Select ${taobaoLine.title}` }).waitFor();
    await page.getByRole('checkbox', { name: `Select ${alibabaLine.title}` }).waitFor();
    await expectAccessible(page);
    await screenshot(page, 'buying-cart');

    const row = page.getByRole('row').filter({ has: page.getByLabel(`Quantity of ${taobaoLine.title}`) });
    await row.getByLabel(`Quantity of ${taobaoLine.title}`).fill('2');
    await row.getByRole('button', { name: 'Update' }).click();
    await row.getByRole('status').filter({ hasText: 'Quantity set to 2.' }).waitFor();
    const cart = ok(
      await call<{ shopList: { items: { id: string; quantity: number }[] }[] }>('GET', '/open/cart/list'),
    );
    expect(cart.shopList.flatMap((s) => s.items).find((i) => i.id === taobaoLine.id)?.quantity).toBe(2);

    await page.getByRole('checkbox', { name: `Select ${alibabaLine.title}` }).uncheck();
    expect(await page.getByTestId('cart-total').textContent()).toContain('1 line selected');
    await page.getByRole('button', { name: 'Check out' }).click();
    await page.waitForURL((url) => url.pathname.endsWith('/dev/checkout') && param(url, 'taobao') === taobaoLine.id);
    expect(param(new URL(page.url()), 'alibaba')).toBeNull();

    await page.getByText('No address yet: add one.').waitFor();
    await page.getByRole('button', { name: 'Add an address' }).click();
    const form = page.getByTestId('checkout-address-form');
    await form.getByRole('textbox', { name: /^Receiver’s name/ }).fill('Tran Thi B');
    await form.getByRole('textbox', { name: /^Phone/ }).fill('+84 912 345 678');
    await form.getByRole('textbox', { name: /^Province or state/ }).fill('广东省');
    await form.getByRole('textbox', { name: /^City/ }).fill('东莞市');
    await form.getByRole('textbox', { name: /^Street address/ }).fill('集货仓 8 号');
    await form.getByRole('button', { name: 'Add an address' }).click();
    await page.getByRole('radio', { name: /Tran Thi B/ }).waitFor();
    expect(await page.getByRole('radio', { name: /Tran Thi B/ }).isChecked()).toBe(true);

    const preview = ok(
      await call<{ totalAmount: number }>('POST', '/open/cart/preview/order', { ids: [taobaoLine.id] }),
    );
    await page.waitForFunction(
      (want) => document.querySelector('[data-testid="checkout-total"]')?.textContent?.replace(/[^0-9]/g, '') === want,
      String(preview.totalAmount),
    );
    await expectAccessible(page);
    await screenshot(page, 'buying-checkout');

    await page.getByRole('button', { name: 'Place the order' }).click();
    await page.waitForURL(/\/dev\/orders\/taobao\/\d+$/);
    paidTaobaoOrderId = page.url().split('/').pop() ?? '';
    const order = ok(
      await call<TaobaoOrder & { receiver: { name: string } }>('GET', `/open/order/get?orderId=${paidTaobaoOrderId}`),
    );
    expect(order.receiver.name).toBe('Tran Thi B');
    expect(order.totalPrice).toBe(preview.totalAmount);
    await page.getByRole('heading', { level: 1, name: `Taobao order ${paidTaobaoOrderId}` }).waitFor();
    expect(await page.getByTestId('pay-status').textContent()).toBe('UNPAID');

    const before = ok(await call<{ balance: number }>('GET', '/open/account/balance')).balance;
    await page.getByTestId('balance').waitFor();
    expect(fen(await page.getByTestId('balance').textContent())).toBe(before);
    await page.getByRole('button', { name: /^Pay .+ from the balance$/ }).click();
    await page
      .getByTestId('pay-status')
      .filter({ hasText: /^PAID$/ })
      .waitFor();
    await page.getByRole('status').filter({ hasText: 'The balance is now' }).waitFor();
    const after = ok(await call<{ balance: number }>('GET', '/open/account/balance')).balance;
    expect(after).toBe(before - order.totalPrice);
    expect(ok(await call<TaobaoOrder>('GET', `/open/order/get?orderId=${paidTaobaoOrderId}`)).payStatus).toBe('PAID');
    await page.getByTestId('step-paid').and(page.locator('[data-done="true"]')).waitFor();
    await page.getByRole('link', { name: 'Request a refund' }).waitFor();
    await expectAccessible(page);
    await screenshot(page, 'buying-order');
    p.expectClean();
  });

  it('orders the 1688 line and pays it from the balance', async () => {
    const { page } = p;
    await page.getByRole('link', { name: 'Carts' }).click();
    await page.getByRole('checkbox', { name: `Select ${alibabaLine.title}` }).waitFor();
    expect(await page.getByRole('checkbox', { name: `Select ${taobaoLine.title}` }).count()).toBe(0);
    await page.getByRole('button', { name: 'Check out' }).click();
    await page.waitForURL((url) => param(url, 'alibaba') === alibabaLine.id);
    await page.getByRole('radio', { name: /Tran Thi B/ }).waitFor();
    expect(await page.getByRole('radio', { name: /Tran Thi B/ }).isChecked()).toBe(true);
    const preview = ok(
      await call<{ orderPreviewResuslt: { sumPayment: number }[] }>('POST', '/alibaba/cart/preview/order', {
        cartIds: [alibabaLine.id],
      }),
    );
    const total = preview.orderPreviewResuslt.reduce((s, r) => s + r.sumPayment, 0);
    await page.waitForFunction(
      (want) => document.querySelector('[data-testid="checkout-total"]')?.textContent?.replace(/[^0-9]/g, '') === want,
      String(total),
    );
    await page.getByRole('button', { name: 'Place the order' }).click();
    await page.waitForURL(/\/dev\/orders\/1688\/\d+$/);
    const orderId = page.url().split('/').pop() ?? '';
    expect(await page.getByTestId('pay-status').textContent()).toBe('unpaid');
    await page.getByRole('button', { name: /^Pay .+ from the balance$/ }).click();
    await page
      .getByTestId('pay-status')
      .filter({ hasText: /^paid$/ })
      .waitFor();
    const order = ok(await call<AlibabaOrder>('POST', '/alibaba/order/detail', { webSite: '1688', orderId }));
    expect(order.baseInfo.payState).toBe('paid');
    expect(order.baseInfo.totalAmount).toBe(total);
    await expectAccessible(page);
    p.expectClean();
  });

  it('lists the orders of both platforms, filtered by status in the URL', async () => {
    const { page } = p;
    await page.goto('/console/dev/orders');
    await page.getByRole('link', { name: paidTaobaoOrderId }).waitFor();
    await page.getByRole('link', { name: voucherOrderId }).waitFor();
    expect(await page.getByTestId('order-row').count()).toBe(2);

    const later = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);
    await page.getByLabel('Created from').fill(later);
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.getByText('No orders match these filters.').waitFor();
    expect(param(new URL(page.url()), 'from')).toBe(later);
    await page.getByLabel('Created from').fill('');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.getByRole('link', { name: voucherOrderId }).waitFor();

    await page.getByLabel('Status').selectOption('WAIT_BUYER_PAY');
    await page.waitForURL((url) => url.searchParams.get('status') === 'WAIT_BUYER_PAY');
    await page.getByRole('link', { name: paidTaobaoOrderId }).waitFor({ state: 'detached' });
    expect(await page.getByTestId('order-row').count()).toBe(1);
    await page.getByRole('link', { name: voucherOrderId }).waitFor();
    const unpaid = ok(await call<{ total: number }>('GET', '/open/order/page?status=WAIT_BUYER_PAY'));
    expect(unpaid.total).toBe(1);

    await page.reload();
    await page.getByRole('link', { name: voucherOrderId }).waitFor();
    expect(await page.getByLabel('Status').inputValue()).toBe('WAIT_BUYER_PAY');
    await page.getByLabel('Status').selectOption('WAIT_SELLER_SEND_GOODS');
    await page.getByRole('link', { name: paidTaobaoOrderId }).waitFor();
    expect(await page.getByTestId('order-row').count()).toBe(1);
    await expectAccessible(page);
    await screenshot(page, 'buying-orders');

    await page.getByRole('link', { name: '1688 orders' }).click();
    await page.waitForURL((url) => param(url, 'platform') === '1688' && !url.searchParams.has('status'));
    await page.getByTestId('order-row').first().waitFor();
    expect(await page.getByTestId('order-row').count()).toBe(1);
    await page.getByLabel('Status').selectOption('waitbuyerpay');
    await page.getByText('No orders match these filters.').waitFor();

    await page.getByTestId('language').selectOption('vi');
    await page.getByRole('heading', { level: 1, name: 'Đơn hàng' }).waitFor();
    await page.getByText('Không có đơn nào khớp với bộ lọc.').waitFor();
    await expectAccessible(page);
    await page.getByTestId('language').selectOption('en');
    await page.getByRole('heading', { level: 1, name: 'Orders' }).waitFor();
    p.expectClean();
  });

  it('uploads a payment voucher for an unpaid order instead of paying it', async () => {
    const { page } = p;
    await page.goto(`/console/dev/orders/taobao/${voucherOrderId}`);
    await page.getByRole('heading', { name: 'Or upload a payment voucher' }).waitFor();
    await page.getByRole('textbox', { name: /^Transfer reference/ }).fill('VCB-20261205-77');
    await page.getByRole('textbox', { name: /^Note for the operator/ }).fill('Paid from Vietcombank');
    await page
      .getByTestId('voucher-drop')
      .locator('input[type=file]')
      .setInputFiles({ name: 'receipt.png', mimeType: 'image/png', buffer: RECEIPT });
    await page.getByText('Chosen: receipt.png').waitFor();
    await page.getByRole('button', { name: 'Upload the voucher' }).click();
    await page.getByRole('status').filter({ hasText: 'pending the operator’s review' }).waitFor();

    const vouchers = ok(
      await server.admin<{ list: { orderId: string | null; status: string; reference: string; amount: number }[] }>(
        'GET',
        `/admin/vouchers?developId=${dev.developId}`,
      ),
    );
    const order = ok(await call<TaobaoOrder>('GET', `/open/order/get?orderId=${voucherOrderId}`));
    expect(vouchers.list).toEqual([
      expect.objectContaining({
        orderId: voucherOrderId,
        status: 'pending',
        reference: 'VCB-20261205-77',
        amount: order.totalPrice,
      }),
    ]);
    expect(order.payStatus).toBe('UNPAID');
    await expectAccessible(page);
    p.expectClean();
  });

  it('shows the shipped step and the parcel’s trace once the seller ships', async () => {
    const { page } = p;
    const order = ok(await call<TaobaoOrder>('GET', `/open/order/get?orderId=${paidTaobaoOrderId}`));
    const part = order.subPurchaseOrders[0];
    if (!part) throw new Error('a sub purchase order');
    ok(await server.admin('POST', `/sandbox/taobao/orders/${part.purchaseOrderOuterId}/ship`, {}));
    // The marketplace's event reaches the order through the outbox, which the background workers run; here on demand.
    await expect
      .poll(
        async () => {
          await server.drainOutbox();
          return ok(await call<TaobaoOrder>('GET', `/open/order/get?orderId=${paidTaobaoOrderId}`)).status;
        },
        { timeout: 15_000, interval: 250 },
      )
      .toBe('WAIT_BUYER_CONFIRM_GOODS');
    const logistics = ok(
      await call<{ pnmLogisticsDetails: { mailNo: string }[] }>(
        'GET',
        `/open/order/logistics/detail/get?subPurchaseOrderId=${part.subPurchaseOrderId}`,
      ),
    );
    const mailNo = logistics.pnmLogisticsDetails[0]?.mailNo ?? '';
    expect(mailNo).toMatch(/\S/);

    await page.goto(`/console/dev/orders/taobao/${paidTaobaoOrderId}`);
    await page.getByTestId('step-shipped').and(page.locator('[data-done="true"]')).waitFor();
    expect(await page.getByTestId('order-status').textContent()).toContain('WAIT_BUYER_CONFIRM_GOODS');
    const parcel = page.getByTestId('parcel');
    await parcel.waitFor();
    expect(await parcel.textContent()).toContain(mailNo);
    expect(await parcel.getByRole('row').count()).toBeGreaterThan(1);
    await expectAccessible(page);
    p.expectClean();
  });

  it('adds, edits and makes default an address on a 360 px wide screen', async () => {
    const narrow = await openPage(browser, server.baseUrl, { width: 360, height: 740 });
    const { page } = narrow;
    await signIn(page, '/dev/addresses');
    // The first address of the sub-account, added at checkout, became its default.
    await page.getByRole('listitem', { name: 'Tran Thi B' }).getByText('Default', { exact: true }).waitFor();

    await page.getByRole('button', { name: 'Add an address' }).click();
    const form = page.getByTestId('new-address-form');
    await form.getByRole('textbox', { name: /^Receiver’s name/ }).fill('Le Van C');
    await form.getByRole('textbox', { name: /^Phone/ }).fill('0901234567');
    await form.getByRole('textbox', { name: /^Country/ }).fill('Việt Nam');
    await form.getByRole('textbox', { name: /^Province or state/ }).fill('Hồ Chí Minh');
    await form.getByRole('textbox', { name: /^City/ }).fill('Thủ Đức');
    await form.getByRole('textbox', { name: /^Street address/ }).fill('12 Võ Văn Ngân');
    await form.getByRole('button', { name: 'Add an address' }).click();
    await page.getByRole('status').filter({ hasText: 'Address of Le Van C added.' }).waitFor();
    const added = page.getByRole('listitem', { name: 'Le Van C' });
    await added.waitFor();
    await expectAccessible(page);

    await added.getByRole('button', { name: 'Edit the address of Le Van C' }).click();
    await added.getByRole('textbox', { name: /^Street address/ }).fill('34 Võ Văn Ngân');
    await added.getByRole('button', { name: 'Save the address' }).click();
    await page.getByRole('status').filter({ hasText: 'Address of Le Van C saved.' }).waitFor();
    await added.getByText(/34 Võ Văn Ngân/).waitFor();

    await added.getByRole('button', { name: 'Make default the address of Le Van C' }).click();
    await page.getByRole('status').filter({ hasText: 'The address of Le Van C is now the default.' }).waitFor();
    const book = ok(
      await call<{ name: string; address: string; country: string; isDefault: boolean }[]>(
        'POST',
        '/open/address/get',
        {},
      ),
    );
    expect(book.map((a) => [a.name, a.address, a.country, a.isDefault])).toEqual([
      ['Le Van C', '34 Võ Văn Ngân', 'Việt Nam', true],
      ['Tran Thi B', '集货仓 8 号', '中国', false],
    ]);
    // The default comes first, as the API lists it.
    expect(await page.getByTestId('address').first().getAttribute('aria-label')).toBe('Le Van C');
    await page
      .getByRole('listitem', { name: 'Tran Thi B' })
      .getByRole('button', { name: /^Make default/ })
      .waitFor();
    await expectAccessible(page);
    narrow.expectClean();
    await narrow.close();
  });
});
