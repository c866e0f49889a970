import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { searchByPicture } from '../../../src/modules/goods/routes/alibaba-image-query.js';
import type { AppDeps } from '../../../src/platform/deps.js';
import type { ImageHit, ImageSearch } from '../../../src/providers/types.js';
import {
  type AlibabaServer,
  expectInvalid,
  type Item,
  ordered,
  type Page,
  startAlibabaServer,
} from './alibaba-harness.js';

type Hit = Item & { similarity: number };

const ENDPOINT = '/alibaba/product/image/query';

/** The example of PandaPon's documentation, as published (its picture is cut short: "…"). */
const DOCUMENTED = {
  imageBase64: '/9j/4AAQSkZJRg…',
  beginPage: 1,
  pageSize: 20,
  country: 'en',
  region: '',
  filter: 'shipInToday,ksCiphertext',
  sort: '{"price":"asc"}',
  priceStart: '239.99',
  priceEnd: '882.05',
  categoryId: 72,
  imageAddress: 'https://cbu01.alicdn.com/img/ibank/O1CN01vggy3T1mdyaUYC0LL_!!2211085014978-0-cib.jpg',
  outMemberId: '21000070000',
};

describe('POST /alibaba/product/image/query (A4)', () => {
  let a: AlibabaServer;
  let good: { offerId: number; subject: string; categoryId: number; price: number; shipIn24h: boolean };
  let picture: string;
  let copy: Buffer;
  beforeAll(async () => {
    // Picture search does real work (decoding, descriptors): a deadline that a loaded machine meets.
    a = await startAlibabaServer({ UPSTREAM_TIMEOUT_MS: '2000' });
    const r = await a.post<{
      offerId: number;
      subject: string;
      categoryId: number;
      productImage: { images: string[] };
      productSkuInfos: { price: number }[];
      productShippingInfo: { shipIn24h: boolean };
    }>('/alibaba/product/detail/get', { offerId: a.offerIds[7] });
    const d = r.body.data;
    picture = d.productImage.images[0] ?? '';
    good = {
      offerId: d.offerId,
      subject: d.subject,
      categoryId: d.categoryId,
      price: Math.min(...d.productSkuInfos.map((s) => s.price)),
      shipIn24h: d.productShippingInfo.shipIn24h,
    };
    // The good's main picture as a buyer would have it: downloaded, resized, cropped and recompressed.
    const original = Buffer.from(await (await fetch(picture)).arrayBuffer());
    copy = await sharp(original)
      .resize(400, 400)
      .extract({ left: 40, top: 40, width: 320, height: 320 })
      .jpeg({ quality: 70 })
      .toBuffer();
  });
  afterAll(() => a.close());

  const search = (body: unknown) => a.post<Page<Hit>>(ENDPOINT, body);

  /** The first goods of the catalog that ship today and that do not, with their main picture. */
  async function oneOfEachShipping(): Promise<{ offerId: number; picture: string; shipIn24h: boolean }[]> {
    const found = new Map<boolean, { offerId: number; picture: string; shipIn24h: boolean }>();
    for (const offerId of a.offerIds) {
      const d = (
        await a.post<{
          offerId: number;
          productImage: { images: string[] };
          productShippingInfo: { shipIn24h: boolean };
        }>('/alibaba/product/detail/get', { offerId })
      ).body.data;
      const shipIn24h = d.productShippingInfo.shipIn24h;
      if (!found.has(shipIn24h))
        found.set(shipIn24h, { offerId: d.offerId, picture: d.productImage.images[0] ?? '', shipIn24h });
      if (found.size === 2) return [...found.values()];
    }
    throw new Error('the catalog lacks goods that ship today or goods that do not');
  }
  const ids = (r: { body: { data: Page<Hit> } }) => r.body.data.data.map((h) => h.offerId);

  it('finds the good first from a copy of its picture in base64, with its similarity', async () => {
    const r = await search({ imageBase64: copy.toString('base64'), country: 'es' });
    expect(r.body.code, r.text).toBe(200);
    const page = r.body.data;
    expect(page).toMatchObject({ currentPage: 1, pageSize: 20 });
    expect(page.data[0]).toMatchObject({ offerId: good.offerId, subject: good.subject });
    expect(page.data[0]?.subjectTrans).not.toBe(good.subject);
    expect(page.data[0]?.similarity).toBeGreaterThan(0.5);
    expect(page.data[0]?.similarity).toBeLessThanOrEqual(1);
    expect(
      ordered(
        page.data.map((h) => h.similarity),
        'desc',
      ),
    ).toBe(true);
    expect(page.totalRecords).toBeGreaterThanOrEqual(page.data.length);

    const viaDataUrl = await search({ imageBase64: `data:image/jpeg;base64,${copy.toString('base64')}` });
    expect(ids(viaDataUrl)[0]).toBe(good.offerId);
  });

  it('reads a sandbox picture given by imageAddress; region is accepted and changes nothing', async () => {
    const r = await search({ imageAddress: picture, region: '10,10,200,200', imageBase64: null });
    expect(r.body.code, r.text).toBe(200);
    expect(r.body.data.data[0]).toMatchObject({ offerId: good.offerId, similarity: 1 });
    expect(ids(await search({ imageAddress: picture }))).toEqual(ids(r));
  });

  it('applies the keyword search’s filters to the matches', async () => {
    const image = copy.toString('base64');
    const yuan = (fen: number) => (fen / 100).toFixed(2);
    const kept = await search({ imageBase64: image, priceStart: yuan(good.price), priceEnd: yuan(good.price) });
    expect(ids(kept)).toContain(good.offerId);
    const cheaper = await search({ imageBase64: image, priceEnd: yuan(good.price - 1) });
    expect(ids(cheaper)).not.toContain(good.offerId);
    const sameCategory = await search({ imageBase64: image, categoryId: good.categoryId });
    expect(ids(sameCategory)).toContain(good.offerId);
    const otherCategory = await search({ imageBase64: image, categoryId: good.categoryId < 104000 ? 104000 : 101000 });
    expect(ids(otherCategory)).not.toContain(good.offerId);
    const today = await search({ imageBase64: image, filter: 'shipInToday' });
    expect(ids(today).includes(good.offerId)).toBe(good.shipIn24h);
    expect(today.body.data.data.every((h) => h.shipInToday)).toBe(true);
    // The filter keeps a good that ships today and leaves out one that does not, each found by its picture.
    for (const other of await oneOfEachShipping()) {
      const label = `${other.offerId} shipIn24h=${other.shipIn24h}`;
      const imageBase64 = Buffer.from(await (await fetch(other.picture)).arrayBuffer()).toString('base64');
      const found = await search({ imageBase64 });
      expect(found.body.code, found.text).toBe(200);
      expect(ids(found), label).toContain(other.offerId);
      const kept = await search({ imageBase64, filter: 'shipInToday' });
      expect(kept.body.code, kept.text).toBe(200);
      expect(ids(kept).includes(other.offerId), label).toBe(other.shipIn24h);
      expect(kept.body.data.data.every((h) => h.shipInToday)).toBe(true);
    }
    const sorted = await search({ imageBase64: image, sort: '{"price":"desc"}' });
    expect(ids(sorted)).toContain(good.offerId);
    const secondPage = await search({ imageBase64: image, beginPage: 2, pageSize: 50 });
    expect(secondPage.body.data).toMatchObject({ currentPage: 2, data: [] });
  });

  it('answers 40001 naming imageBase64 for the documented example, whose picture is cut short', async () => {
    expectInvalid(await search(DOCUMENTED), 'imageBase64');
  });

  it('accepts the documented example’s other fields with a real picture', async () => {
    const example = { ...DOCUMENTED, imageBase64: copy.toString('base64') };
    // Its category (72) is not one of the sandbox's: the fields pass validation and the category is refused.
    expectInvalid(await search(example), 'categoryId');
    const r = await search({ ...example, categoryId: good.categoryId });
    expect(r.body.code, r.text).toBe(200);
    const kept = (h: Hit) => h.shipInToday && h.priceInfo.price >= 23999 && h.priceInfo.price <= 88205;
    for (const h of r.body.data.data) expect(kept(h), JSON.stringify(h.priceInfo)).toBe(true);
    // The same search without its filter and prices finds goods they leave out: had they been ignored,
    // the check above would have seen them.
    const unfiltered = await search({
      ...example,
      categoryId: good.categoryId,
      filter: '',
      priceStart: '',
      priceEnd: '',
    });
    expect(unfiltered.body.data.data.some((h) => !kept(h))).toBe(true);
  });

  it('answers 40001 naming the field when there is no usable picture or a malformed filter', async () => {
    expectInvalid(await search({}), 'imageBase64');
    expectInvalid(await search({ imageBase64: '', imageAddress: null }), 'imageBase64');
    expectInvalid(await search({ imageBase64: Buffer.from('not a picture').toString('base64') }), 'imageBase64');
    expectInvalid(await search({ imageAddress: 'ftp://example.com/a.jpg' }), 'imageAddress');
    expectInvalid(await search({ imageAddress: 'http://127.0.0.1:9/a.jpg' }), 'imageAddress');
    expectInvalid(await search({ imageAddress: picture, sort: '{"price":"up"}' }), 'sort');
    expectInvalid(await search({ imageAddress: picture, filter: 'sameStyle' }), 'filter');
    expectInvalid(await search({ imageAddress: picture, priceStart: '1.001' }), 'priceStart');
    expectInvalid(await search({ imageAddress: picture, pageSize: 0 }), 'pageSize');
  });

  it('answers 50201 when the marketplace fails and 50401 when it does not answer in time', async () => {
    await a.fault('imageSearch', 'error');
    const failed = await search({ imageAddress: picture });
    await a.fault('imageSearch', 'timeout');
    const late = await search({ imageAddress: picture });
    await a.clearFaults();
    expect(failed.status).toBe(502);
    expect(failed.body.code).toBe(50201);
    expect(late.status).toBe(504);
    expect(late.body.code).toBe(50401);
  });
});

describe('the order of picture matches', () => {
  const hit = (id: number, priceFen: number, sales: number, similarity: number) =>
    ({ productId: String(id), priceFen, sales, similarity }) as ImageHit;
  const hits = [hit(1, 500, 10, 0.99), hit(2, 100, 30, 0.9), hit(3, 300, 20, 0.8), hit(4, 100, 5, 0.7)];
  const asked: ImageSearch[] = [];
  const deps = {
    market: {
      alibaba: {
        imageSearch: async (q: ImageSearch) => {
          asked.push(q);
          const start = (q.page - 1) * q.pageSize;
          return {
            total: hits.length,
            page: q.page,
            pageSize: q.pageSize,
            items: hits.slice(start, start + q.pageSize),
          };
        },
      },
    },
  } as unknown as AppDeps;
  const query = (page: number, pageSize: number): ImageSearch => ({ image: { url: 'x' }, page, pageSize });
  const order = async (sort: Parameters<typeof searchByPicture>[2], page = 1, pageSize = 10) =>
    (await searchByPicture(deps, query(page, pageSize), sort)).items.map((h) => Number(h.productId));

  it('keeps the closest first by default, and asks the marketplace for that page only', async () => {
    asked.length = 0;
    expect(await order('relevance', 2, 2)).toEqual([3, 4]);
    expect(asked).toEqual([query(2, 2)]);
  });

  it('ranks the closest matches by price or sales, ties closest first, then pages them', async () => {
    expect(await order('price_asc')).toEqual([2, 4, 3, 1]);
    expect(await order('price_desc')).toEqual([1, 3, 2, 4]);
    expect(await order('sales_desc')).toEqual([2, 3, 1, 4]);
    expect(await order('price_asc', 2, 3)).toEqual([1]);
    const page = await searchByPicture(deps, query(2, 3), 'price_asc');
    expect(page).toMatchObject({ total: 4, page: 2, pageSize: 3 });
  });
});
