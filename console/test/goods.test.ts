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

interface TaobaoHit {
  itemId: number;
  titleTrans: string;
  picUrl: string;
  price: number;
  promotionPrice: number;
}
interface TaobaoPage {
  total: number;
  list: TaobaoHit[];
}
interface AlibabaHit {
  offerId: number;
  subjectTrans: string;
  imageUrl: string;
}
interface AlibabaPage {
  totalRecords: number;
  data: AlibabaHit[];
}
interface Property {
  propNameTrans: string;
  valueNameTrans: string;
}
interface TaobaoProduct {
  mpId: string | null;
  skuList: { skuId: string; mpSkuId: string | null; quantity: number; status: string; properties: Property[] }[];
}
interface AlibabaProduct {
  minOrderQuantity: number;
  batchNumber: number;
  productSkuInfos: {
    specId: string;
    amountOnSale: number;
    skuAttributes: { attributeNameTrans: string; valueTrans: string }[];
  }[];
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** A value button is named by its translated value, then the original Chinese (and maybe "sold out"). */
const valueName = (v: string) => new RegExp(`^${escapeRegExp(v)}(\\s|$)`);

/** The item ids of the cards shown, in order. */
const shownIds = (page: Page) =>
  page.getByTestId('goods-card').evaluateAll((cards) => cards.map((c) => c.getAttribute('data-item-id')));

/** Waits until the cards shown are these, in this order. */
async function waitForIds(page: Page, ids: string[]): Promise<void> {
  await page
    .waitForFunction(
      (want) =>
        JSON.stringify(
          Array.from(document.querySelectorAll('[data-testid="goods-card"]')).map((c) =>
            c.getAttribute('data-item-id'),
          ),
        ) === want,
      JSON.stringify(ids),
    )
    .catch(async (err) => {
      throw new Error(`cards shown ${JSON.stringify(await shownIds(page))}, expected ${JSON.stringify(ids)}: ${err}`);
    });
}

async function pictureBytes(url: string): Promise<Buffer> {
  const res = await fetch(url);
  expect(res.status).toBe(200);
  return Buffer.from(await res.arrayBuffer());
}

describe.skipIf(!chromiumPath)('the goods pages', () => {
  let server: TestServer;
  let browser: Browser;
  let dev: Credentials;
  let keyword: string;
  let keyword1688: string;

  const taobao = async (body: Record<string, unknown>): Promise<TaobaoPage> => {
    const r = await server.signed<TaobaoPage>(dev, 'POST', '/open/product/item/search', {
      body: { language: 'en', pageSize: 20, ...body },
    });
    expect(r.body.code, r.text).toBe(200);
    return r.body.data;
  };
  const alibaba = async (body: Record<string, unknown>): Promise<AlibabaPage> => {
    const r = await server.signed<AlibabaPage>(dev, 'POST', '/alibaba/product/keywords/query', {
      body: { country: 'en', pageSize: 20, ...body },
    });
    expect(r.body.code, r.text).toBe(200);
    return r.body.data;
  };

  /** A word of a catalogue title that finds more than one page of goods. */
  async function findKeyword(titles: string[], total: (word: string) => Promise<number>): Promise<string> {
    for (const title of titles) {
      for (const word of title.split(/\s+/).filter((w) => /^[a-z]{4,}$/.test(w))) {
        if ((await total(word)) > 25) return word;
      }
    }
    throw new Error('no word of the catalogue finds two pages of goods');
  }

  async function signedIn(options: { width?: number; height?: number } = {}) {
    const p = await openPage(browser, server.baseUrl, options);
    await signInDeveloper(p.page, dev);
    return p;
  }

  beforeAll(async () => {
    [server, browser] = await Promise.all([startConsoleServer(), launchChromium()]);
    dev = await server.createDeveloper('Goods buyer');
    keyword = await findKeyword(
      (await taobao({ pageSize: 5 })).list.map((h) => h.titleTrans),
      async (w) => (await taobao({ keyword: w, pageSize: 1 })).total,
    );
    keyword1688 = await findKeyword(
      (await alibaba({ pageSize: 5 })).data.map((h) => h.subjectTrans),
      async (w) => (await alibaba({ keyword: w, pageSize: 1 })).totalRecords,
    );
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('searches Taobao by keyword, sorts by price, pages, and keeps it all in the address', async () => {
    const p = await signedIn();
    const { page } = p;
    await page.goto('/console/dev/goods');
    await page.getByRole('heading', { level: 1, name: 'Goods' }).waitFor();
    await page.getByLabel('Keyword').fill(keyword);
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await page.waitForURL(new RegExp(`[?&]q=${keyword}`));
    await page.getByRole('heading', { level: 2, name: `Results for “${keyword}”` }).waitFor();
    const found = await taobao({ keyword });
    await waitForIds(
      page,
      found.list.map((h) => String(h.itemId)),
    );
    const first = found.list[0] as TaobaoHit;
    const card = page.locator(`[data-testid="goods-card"][data-item-id="${first.itemId}"]`);
    expect(await card.getByRole('link').first().textContent()).toContain(first.titleTrans);
    const yuan = (fen: number) =>
      (fen / 100).toLocaleString('en-GB', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
    expect(await card.textContent()).toContain(yuan(first.promotionPrice));

    await page.getByLabel('Sort by').selectOption('price_asc');
    await page.waitForURL(/sort=price_asc/);
    const cheapest = await taobao({ keyword, sort: 'price_asc' });
    const prices = cheapest.list.map((h) => h.price);
    expect(prices).toEqual([...prices].sort((a, b) => a - b));
    await waitForIds(
      page,
      cheapest.list.map((h) => String(h.itemId)),
    );

    await page.getByRole('button', { name: 'Next' }).click();
    await page.waitForURL(/page=2/);
    const second = await taobao({ keyword, sort: 'price_asc', pageNo: 2 });
    const secondIds = second.list.map((h) => String(h.itemId));
    await waitForIds(page, secondIds);
    expect(second.list[0]?.price).toBeGreaterThanOrEqual(prices[prices.length - 1] as number);
    await page.getByText(`Page 2 of ${Math.ceil(found.total / 20)}`).waitFor();

    await page.reload();
    await waitForIds(page, secondIds);
    expect(await page.getByLabel('Sort by').inputValue()).toBe('price_asc');
    expect(await page.getByLabel('Keyword').inputValue()).toBe(keyword);
    await page.goBack();
    await waitForIds(
      page,
      cheapest.list.map((h) => String(h.itemId)),
    );

    await expectAccessible(page);
    await screenshot(page, 'goods-search');
    p.expectClean();
    await p.close();
  });

  it('searches by picture: a chosen file on Taobao, a dropped one on 1688; a reload keeps the results', async () => {
    const p = await signedIn();
    const { page } = p;
    const target = (await taobao({ keyword, pageNo: 2 })).list[3] as TaobaoHit;
    await page.goto('/console/dev/goods');
    await page.getByLabel('Picture to search with').setInputFiles({
      name: 'product.jpg',
      mimeType: 'image/jpeg',
      buffer: await pictureBytes(target.picUrl),
    });
    await page.waitForURL(/upload=/);
    await page.getByRole('heading', { level: 2, name: 'Goods that look like the picture' }).waitFor();
    const hit = page.locator(`[data-testid="goods-card"][data-item-id="${target.itemId}"]`);
    await hit.waitFor();
    expect((await shownIds(page))[0]).toBe(String(target.itemId));
    expect(await hit.textContent()).toMatch(/\d+% match/);
    await expectAccessible(page);
    await screenshot(page, 'goods-picture-search');

    await page.reload();
    await hit.waitFor();
    expect((await shownIds(page))[0]).toBe(String(target.itemId));

    const offer = (await alibaba({ keyword: keyword1688, beginPage: 2 })).data[2] as AlibabaHit;
    const bytes = await pictureBytes(offer.imageUrl);
    await page.getByRole('radio', { name: '1688' }).check();
    await page.waitForURL(/platform=1688/);
    await page.getByTestId('picture-drop').evaluate((zone, base64) => {
      const data = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
      const transfer = new DataTransfer();
      transfer.items.add(new File([data], 'offer.jpg', { type: 'image/jpeg' }));
      zone.dispatchEvent(new DragEvent('drop', { bubbles: true, cancelable: true, dataTransfer: transfer }));
    }, bytes.toString('base64'));
    const offerCard = page.locator(`[data-testid="goods-card"][data-item-id="${offer.offerId}"]`);
    await offerCard.waitFor();
    expect((await shownIds(page))[0]).toBe(String(offer.offerId));

    // "Similar goods" searches by the card's own picture, its address in the URL.
    await offerCard.getByRole('link', { name: /Similar goods/ }).click();
    await page.waitForURL(/image=/);
    await offerCard.waitFor();
    expect((await shownIds(page))[0]).toBe(String(offer.offerId));
    p.expectClean();
    await p.close();
  });

  it('opens a Taobao item, explains a missing choice, and adds the chosen SKU and quantity to the cart', async () => {
    const p = await signedIn();
    const { page } = p;
    await page.goto(`/console/dev/goods?q=${keyword}`);
    const found = await taobao({ keyword });
    const ids = found.list.map((h) => String(h.itemId));
    await waitForIds(page, ids);
    // The first distributable item with a choice to make and a SKU with stock.
    let product: TaobaoProduct | null = null;
    let itemId = '';
    for (const id of ids) {
      const r = await server.signed<TaobaoProduct>(dev, 'GET', `/open/product/get?itemId=${id}&language=en`);
      const skus = r.body.data.skuList;
      if (r.body.data.mpId && skus.length > 1 && skus.some((s) => s.status === 'active' && s.quantity >= 3)) {
        product = r.body.data;
        itemId = id;
        break;
      }
    }
    if (!product) throw new Error('no distributable item with SKUs among the results');
    const sku = product.skuList.find((s) => s.status === 'active' && s.quantity >= 3 && s.mpSkuId);
    if (!sku) throw new Error('no SKU with stock');

    await page.locator(`[data-testid="goods-card"][data-item-id="${itemId}"] a`).first().click();
    await page.waitForURL(new RegExp(`/console/dev/goods/taobao/${itemId}$`));
    await page.getByText('Original title (Chinese)').waitFor();

    await page.getByRole('button', { name: 'Add to cart' }).click();
    await page
      .getByRole('alert')
      .getByText(/^Choose .+ first\.$/)
      .waitFor();
    const empty = await server.signed<{ total: number }>(dev, 'GET', '/open/cart/list?language=en');
    expect(empty.body.data.total).toBe(0);

    // The thumbnails choose the main picture, with the mouse or the arrow keys.
    const main = page.getByRole('img', { name: await page.getByRole('heading', { level: 1 }).innerText() });
    await page.getByRole('button', { name: 'Show picture 2 of 4' }).click();
    expect(await main.getAttribute('src')).toMatch(/\/1\.jpg$/);
    await page.keyboard.press('ArrowRight');
    const third = page.getByRole('button', { name: 'Show picture 3 of 4' });
    expect(await third.getAttribute('aria-pressed')).toBe('true');
    expect(await third.evaluate((el) => el === document.activeElement)).toBe(true);
    expect(await main.getAttribute('src')).toMatch(/\/2\.jpg$/);

    for (const prop of sku.properties) {
      await page
        .getByRole('group', { name: prop.propNameTrans })
        .getByRole('button', { name: valueName(prop.valueNameTrans) })
        .click();
    }
    await page.getByText(sku.skuId, { exact: true }).waitFor();
    await page.getByRole('spinbutton', { name: /^Quantity/ }).fill('2');
    await page.getByRole('button', { name: 'Add to cart' }).click();
    await page
      .getByRole('status')
      .getByText(/^Added to the cart: 2 ×/)
      .waitFor();
    expect(await page.getByRole('link', { name: 'Open the cart' }).getAttribute('href')).toBe('/console/dev/cart');

    const cart = await server.signed<{ shopList: { items: { skuId: string; quantity: number; itemId: number }[] }[] }>(
      dev,
      'GET',
      '/open/cart/list?language=en',
    );
    const items = cart.body.data.shopList.flatMap((s) => s.items);
    expect(items).toEqual([expect.objectContaining({ skuId: sku.skuId, quantity: 2, itemId: Number(itemId) })]);

    await expectAccessible(page);
    await screenshot(page, 'goods-product');
    p.expectClean();
    await p.close();
  });

  it('searches 1688, keeps the quantity within the minimum order, and adds a specification to the cart', async () => {
    const p = await signedIn();
    const { page } = p;
    await page.goto('/console/dev/goods');
    await page.getByRole('radio', { name: '1688' }).check();
    await page.waitForURL(/platform=1688/);
    await page.getByLabel('Keyword').fill(keyword1688);
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await page.waitForURL(new RegExp(`q=${keyword1688}`));
    const found = await alibaba({ keyword: keyword1688 });
    const ids = found.data.map((h) => String(h.offerId));
    await waitForIds(page, ids);

    let offer: AlibabaProduct | null = null;
    let offerId = '';
    for (const id of ids) {
      const r = await server.signed<AlibabaProduct>(dev, 'POST', '/alibaba/product/detail/get', {
        body: { offerId: id, country: 'en' },
      });
      const d = r.body.data;
      if (d.minOrderQuantity > 1 && d.productSkuInfos.some((s) => s.amountOnSale >= d.minOrderQuantity * 2)) {
        offer = d;
        offerId = id;
        break;
      }
    }
    if (!offer) throw new Error('no 1688 offer with a minimum order among the results');
    const moq = offer.minOrderQuantity;
    const spec = offer.productSkuInfos.find((s) => s.amountOnSale >= moq * 2);
    if (!spec) throw new Error('no specification with stock');

    await page.locator(`[data-testid="goods-card"][data-item-id="${offerId}"] a`).first().click();
    await page.waitForURL(new RegExp(`/console/dev/goods/1688/${offerId}$`));
    for (const attr of spec.skuAttributes) {
      await page
        .getByRole('group', { name: attr.attributeNameTrans })
        .getByRole('button', { name: valueName(attr.valueTrans) })
        .click();
    }
    await page.getByText(spec.specId, { exact: true }).waitFor();
    expect(await page.getByRole('spinbutton', { name: /^Quantity/ }).inputValue()).toBe(String(moq));
    await page.getByRole('spinbutton', { name: /^Quantity/ }).fill(String(moq - 1));
    await page.getByRole('button', { name: 'Add to cart' }).click();
    await page
      .getByRole('alert')
      .getByText(/^Enter a whole number from/)
      .waitFor();
    type Cart = { enableList: { cartItemInfos: { specId: string; quantity: number }[] }[] } & {
      disableList: { cartItemInfos: { specId: string; quantity: number }[] }[];
    };
    const before = await server.signed<Cart>(dev, 'GET', '/alibaba/cart/list?country=en');
    expect([...before.body.data.enableList, ...before.body.data.disableList]).toEqual([]);

    const quantity = moq + offer.batchNumber;
    await page.getByRole('spinbutton', { name: /^Quantity/ }).fill(String(quantity));
    await page.getByRole('button', { name: 'Add to cart' }).click();
    await page.getByRole('status').getByText(`Added to the cart: ${quantity} ×`, { exact: false }).waitFor();
    const after = await server.signed<Cart>(dev, 'GET', '/alibaba/cart/list?country=en');
    const items = [...after.body.data.enableList, ...after.body.data.disableList].flatMap((g) => g.cartItemInfos);
    expect(items).toEqual([expect.objectContaining({ specId: spec.specId, quantity })]);
    await expectAccessible(page);

    // 1688's categories: a top-level one, then one of its subcategories.
    await page.goto('/console/dev/goods?platform=1688');
    const root = await server.signed<{ children: { categoryId: number; nameTrans: string }[] }>(
      dev,
      'POST',
      '/alibaba/category/get',
      { body: { language: 'en' } },
    );
    const top = root.body.data.children[0] as { categoryId: number; nameTrans: string };
    await page.getByRole('combobox', { name: /^Category/ }).selectOption({ label: top.nameTrans });
    await page.waitForURL(new RegExp(`cat=${top.categoryId}`));
    const sub = page.getByRole('combobox', { name: /^Subcategory/ });
    await sub.waitFor();
    const leaf = await sub.locator('option').nth(1).getAttribute('value');
    await sub.selectOption(leaf as string);
    await page.waitForURL(new RegExp(`cat=${leaf}`));
    const inLeaf = await alibaba({ categoryId: leaf });
    await waitForIds(
      page,
      inLeaf.data.map((h) => String(h.offerId)),
    );
    p.expectClean();
    await p.close();
  });

  it('fits a 360 px screen, and a malformed product address says so without a request', async () => {
    const p = await signedIn({ width: 360, height: 740 });
    const { page } = p;
    await page.goto(`/console/dev/goods?q=${keyword}&sort=sales_desc`);
    const found = await taobao({ keyword, sort: 'sales_desc' });
    await waitForIds(
      page,
      found.list.map((h) => String(h.itemId)),
    );
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await expectAccessible(page);

    // A price that is not an amount is explained and not sent; a good one filters.
    await page.getByLabel('Lowest price (¥)').fill('12,5x');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.getByRole('alert').getByText('Enter an amount in yuan, such as 12.50.').waitFor();
    expect(page.url()).not.toMatch(/min=/);
    await page.getByLabel('Lowest price (¥)').fill('100');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.waitForURL(/min=100/);
    const dearer = await taobao({ keyword, sort: 'sales_desc', priceStart: 10_000 });
    expect(dearer.list.every((h) => h.price >= 10_000)).toBe(true);
    await waitForIds(
      page,
      dearer.list.map((h) => String(h.itemId)),
    );

    await page.goto('/console/dev/goods/amazon/12ab');
    await page.getByText('This address does not name a product').waitFor();
    await expectAccessible(page);
    p.expectClean();
    await p.close();
  });
});
