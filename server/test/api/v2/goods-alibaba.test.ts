import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Reply } from '../../harness.js';
import { type AlibabaServer, type Item, type Page, startAlibabaServer } from '../goods/alibaba-harness.js';
import { expectNotFound, OPAQUE, opaqueOf, tampered } from './goods-opaque.js';

interface SkuInfo {
  skuId: number | string;
  specId: string;
  price: number;
}

interface Detail {
  offerId: number | string;
  subject: string;
  sellerOpenId: string;
  productImage: { images: string[] };
  productSkuInfos: SkuInfo[];
}

/** A 1688 list item as either version answers it (v2: `offerId` opaque). */
type AnyItem = Omit<Item, 'offerId'> & { offerId: number | string };

/** PandaPon's v2 example of the related goods: an opaque offer id of another deployment. */
const DOCUMENTED_RELATED = { offerId: 'f6vE-dfY1NV37oG_fz9WSA', pageNo: 1, pageSize: 10, language: 'en' };

/** The 1688 paging words of PandaPon's v2 pages. */
const PAGE_KEYS = ['currentPage', 'data', 'pageSize', 'totalPage', 'totalRecords'];

describe('v2 1688 goods and marketing (A1–A8, A32–A34)', () => {
  let a: AlibabaServer;
  let offerId: string;
  let v1Detail: Detail;
  beforeAll(async () => {
    // Picture search does real work (decoding, descriptors): a deadline that a loaded machine meets, with both
    // versions of the search and another test file beside this one.
    a = await startAlibabaServer({ UPSTREAM_TIMEOUT_MS: '5000' });
    offerId = a.offerIds[7] ?? '';
    v1Detail = (await a.post<Detail>('/alibaba/product/detail/get', { offerId, country: 'vi' })).body.data;
  });
  afterAll(() => a.close());

  /** The same signed POST on v1's path, then on v2's (one after the other: picture searches are heavy). */
  const both = async <T>(v1Url: string, body: unknown): Promise<[Reply<T>, Reply<T>]> => [
    await a.post<T>(v1Url, body),
    await a.post<T>(v1Url.replace(/^\/alibaba\//, '/v2/alibaba/'), body),
  ];
  const opaque = (id: string | number) => opaqueOf(a.server, 'alibaba-offer', id);
  /** What v2 answers for a page v1 answers: the same, with opaque offer ids. */
  const pageAsV2 = <T extends AnyItem>(page: Page<T>) => ({
    ...page,
    data: page.data.map((g) => ({ ...g, offerId: opaque(g.offerId) })),
  });
  const offersOf = (r: Reply<Page<AnyItem>>) => r.body.data.data.map((g) => g.offerId);

  describe('POST /v2/alibaba/product/detail/get (A1)', () => {
    const detail = (body: unknown) => a.post<Detail>('/v2/alibaba/product/detail/get', body);

    it('answers opaque offer, SKU and spec ids, for the opaque id or the v1 id (number or digits)', async () => {
      const r = await detail({ offerId: opaque(offerId), country: 'vi' });
      expect(r.body.code, r.text).toBe(200);
      expect(v1Detail.offerId).toBe(Number(offerId));
      expect(v1Detail.productSkuInfos.length).toBeGreaterThan(0);
      expect(r.body.data).toEqual({
        ...v1Detail,
        offerId: opaque(offerId),
        productSkuInfos: v1Detail.productSkuInfos.map((s) => ({
          ...s,
          skuId: opaqueOf(a.server, 'alibaba-sku', s.skuId),
          specId: opaqueOf(a.server, 'alibaba-spec', s.specId),
        })),
      });
      for (const body of [{ offerId: Number(offerId) }, { offerId }]) {
        const byV1Id = await detail({ ...body, country: 'vi' });
        expect(byV1Id.body.data, JSON.stringify(body)).toEqual(r.body.data);
      }
    });

    it('answers 40401 for an unknown offer, a tampered id and an opaque id of another kind', async () => {
      expect((await detail({ offerId: 706627393257, country: 'en', outMemberId: '' })).body.code).toBe(40401);
      const bad = tampered(opaque(offerId));
      expectNotFound(await detail({ offerId: bad }), bad);
      const sku = opaqueOf(a.server, 'alibaba-sku', offerId);
      expectNotFound(await detail({ offerId: sku }), sku);
    });
  });

  describe('POST /v2/alibaba/product/keywords/query (A3)', () => {
    it('takes v1’s body and answers v1’s page in 1688’s paging words, with opaque offer ids', async () => {
      const body = { keyword: '跑步鞋', beginPage: 1, pageSize: 20, country: 'en', sort: '{"price":"desc"}' };
      const [old, r] = await both<Page<AnyItem>>('/alibaba/product/keywords/query', body);
      expect(r.body.code, r.text).toBe(200);
      expect(Object.keys(r.body.data).sort()).toEqual(PAGE_KEYS);
      expect(old.body.data.data.length).toBeGreaterThan(1);
      expect(r.body.data).toEqual(pageAsV2(old.body.data));
      // Round trip: an offer id of the list names the good in the details.
      const first = r.body.data.data[0];
      expect(first?.offerId).toMatch(OPAQUE);
      const details = await a.post<Detail>('/v2/alibaba/product/detail/get', { offerId: first?.offerId });
      expect(details.body.data).toMatchObject({ offerId: first?.offerId, subject: first?.subject });
    });
  });

  describe('POST /v2/alibaba/product/image/query (A4)', () => {
    it('finds the good by its picture, with opaque offer ids, as v1 finds it', async () => {
      const body = { imageAddress: v1Detail.productImage.images[0], pageSize: 5, country: 'en' };
      const [old, r] = await both<Page<AnyItem & { similarity: number }>>('/alibaba/product/image/query', body);
      expect(r.body.code, r.text).toBe(200);
      expect(Object.keys(r.body.data).sort()).toEqual(PAGE_KEYS);
      expect(old.body.data.data[0]?.offerId).toBe(Number(offerId));
      expect(r.body.data.data[0]?.offerId).toBe(opaque(offerId));
      expect(r.body.data).toEqual(pageAsV2(old.body.data));
    });
  });

  describe('POST /v2/alibaba/product/query/selleroffer (A5)', () => {
    it('lists the supplier’s goods with opaque offer ids; the supplier’s id stays as it is', async () => {
      const { sellerOpenId } = v1Detail;
      const [old, r] = await both<Page<AnyItem>>('/alibaba/product/query/selleroffer', { sellerOpenId, pageSize: 50 });
      expect(r.body.code, r.text).toBe(200);
      expect(Object.keys(r.body.data).sort()).toEqual(PAGE_KEYS);
      expect(r.body.data.data.map((g) => g.offerId)).toContain(opaque(offerId));
      expect(r.body.data.data.every((g) => g.sellerOpenId === sellerOpenId)).toBe(true);
      expect(r.body.data).toEqual(pageAsV2(old.body.data));
      // An unknown supplier, as in PandaPon's example: 40401 on both.
      const unknown = { sellerOpenId: 'BBBwAN4GQ60zRPzBkv7BYPJRQ', keyword: '背心', country: 'en' };
      for (const reply of await both('/alibaba/product/query/selleroffer', unknown)) {
        expectNotFound(reply, unknown.sellerOpenId);
      }
    });
  });

  describe('goods routes without goods ids (A2, A6)', () => {
    it('answer on v2 what they answer on v1', async () => {
      const [oldChat, chat] = await both('/alibaba/product/wangwang/url', { sellerOpenId: v1Detail.sellerOpenId });
      expect(chat.body.code, chat.text).toBe(200);
      expect(chat.body.data).toEqual(oldChat.body.data);
      const [oldCategory, category] = await both('/alibaba/category/get', { categoryId: '103000', country: 'en' });
      expect(category.body.code, category.text).toBe(200);
      expect(category.body.data).toEqual(oldCategory.body.data);
    });
  });

  describe('POST /v2/alibaba/product/recommend/query (A7)', () => {
    const recommend = (body: unknown) => a.post<Page<AnyItem>>('/v2/alibaba/product/recommend/query', body);

    it('recommends around opaque or v1 offer ids, answering opaque ones', async () => {
      const shoes = (await a.post<Page>('/alibaba/product/keywords/query', { categoryId: '103001', pageSize: 50 })).body
        .data;
      const seed = shoes.data[0]?.offerId ?? 0;
      const other = a.offerIds[40] ?? '';
      const old = await a.post<Page<AnyItem>>('/alibaba/product/recommend/query', {
        offerIds: [seed, other],
        pageSize: 30,
      });
      const r = await recommend({ offerIds: [opaque(seed), opaque(other)], pageSize: 30 });
      expect(r.body.code, r.text).toBe(200);
      expect(r.body.data).toEqual(pageAsV2(old.body.data));
      expect(offersOf(r)).not.toContain(opaque(seed));
      // v1 ids: mixed with opaque ones, or in v1's comma-separated string.
      for (const offerIds of [[opaque(seed), String(other)], `${seed}, ${other}`]) {
        expect(offersOf(await recommend({ offerIds, pageSize: 30 })), JSON.stringify(offerIds)).toEqual(offersOf(r));
      }
      // One opaque id alone in a string, as v1 takes one id.
      const single = await recommend({ offerIds: opaque(seed), pageSize: 5 });
      expect(single.body.code, single.text).toBe(200);
      expect(offersOf(single)).not.toContain(opaque(seed));
    });

    it('answers 40401 for a tampered offer id', async () => {
      const bad = tampered(opaque(offerId));
      expectNotFound(await recommend({ offerIds: [opaque(a.offerIds[0] ?? ''), bad] }), bad);
    });
  });

  describe('POST /v2/alibaba/product/productRelatedRecommendQuery (A8)', () => {
    const related = (body: unknown) => a.post<Page<AnyItem>>('/v2/alibaba/product/productRelatedRecommendQuery', body);

    it('answers the documented example as published: 40401 for its unknown offer', async () => {
      expectNotFound(await related(DOCUMENTED_RELATED), DOCUMENTED_RELATED.offerId);
      const bad = tampered(opaque(offerId));
      expectNotFound(await related({ ...DOCUMENTED_RELATED, offerId: bad }), bad);
    });

    it('answers goods related to an opaque or v1 offer id, with opaque offer ids', async () => {
      const old = await a.post<Page<AnyItem>>('/alibaba/product/productRelatedRecommendQuery', {
        offerId,
        pageSize: 20,
        language: 'th',
      });
      const r = await related({ offerId: opaque(offerId), pageSize: 20, language: 'th' });
      expect(r.body.code, r.text).toBe(200);
      expect(Object.keys(r.body.data).sort()).toEqual(PAGE_KEYS);
      expect(old.body.data.data.length).toBeGreaterThan(0);
      expect(r.body.data).toEqual(pageAsV2(old.body.data));
      expect(offersOf(r)).not.toContain(opaque(offerId));
      const byV1Id = await related({ offerId: Number(offerId), pageSize: 20, language: 'th' });
      expect(byV1Id.body.data).toEqual(r.body.data);
    });
  });

  describe('marketing lists (A32–A34)', () => {
    it('list the goods v1 lists, with opaque offer ids (and the best sellers’ ranks)', async () => {
      const lists = [
        '/alibaba/marketing/global/select/query',
        '/alibaba/marketing/strict/select/query',
        '/alibaba/marketing/hot/list',
      ];
      for (const url of lists) {
        const [old, r] = await both<Page<AnyItem & { rank?: number }>>(url, { pageSize: 10, country: 'en' });
        expect(r.body.code, `${url}: ${r.text}`).toBe(200);
        expect(Object.keys(r.body.data).sort(), url).toEqual(PAGE_KEYS);
        expect(old.body.data.data.length, url).toBeGreaterThan(0);
        expect(r.body.data, url).toEqual(pageAsV2(old.body.data));
      }
      const hot = await a.post<Page<AnyItem & { rank: number }>>('/v2/alibaba/marketing/hot/list', { pageSize: 3 });
      expect(hot.body.data.data.map((g) => g.rank)).toEqual([1, 2, 3]);
    });
  });
});
