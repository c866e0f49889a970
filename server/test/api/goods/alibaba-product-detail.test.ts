import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AlibabaServer, expectInvalid, startAlibabaServer } from './alibaba-harness.js';

interface Detail {
  offerId: number;
  categoryId: number;
  categoryName: string;
  categoryNameTrans: string;
  subject: string;
  subjectTrans: string;
  description: string;
  descriptionTrans: string;
  productImage: { images: string[] };
  productAttribute: { attributeId: string; attributeName: string; attributeNameTrans: string; value: string }[];
  productSkuInfos: {
    skuId: number;
    specId: string;
    price: number;
    amountOnSale: number;
    weight: number;
    skuAttributes: {
      attributeName: string;
      attributeNameTrans: string;
      valueTrans: string;
      skuImageUrl: string | null;
    }[];
  }[];
  productSaleInfo: {
    amountOnSale: number;
    priceRangeList: { startQuantity: number; price: number }[];
    quoteType: number;
    unitInfo: { unit: string; transUnit: string };
  };
  productShippingInfo: { sendGoodsAddressText: string; weight: number; shipIn24h: boolean };
  minOrderQuantity: number;
  batchNumber: number;
  sellerOpenId: string | null;
  companyName: string;
  status: string;
  strictSelection: boolean;
}

const ENDPOINT = '/alibaba/product/detail/get';

describe('POST /alibaba/product/detail/get (A1)', () => {
  let a: AlibabaServer;
  beforeAll(async () => {
    a = await startAlibabaServer();
  });
  afterAll(() => a.close());

  const detail = (body: unknown, headers?: Record<string, string>) => a.post<Detail>(ENDPOINT, body, headers);

  it('answers the good with specifications, tiers and supplier, translated beside the Chinese original', async () => {
    const id = a.offerIds[0] ?? '';
    const r = await detail({ offerId: Number(id), country: 'vi', outMemberId: 'buyer-42' });
    expect(r.body.code).toBe(200);
    const p = r.body.data;
    expect(p.offerId).toBe(Number(id));
    expect(p.subject).toMatch(/[\u4e00-\u9fff]/);
    expect(p.subjectTrans).not.toBe(p.subject);
    expect(p.categoryName).toMatch(/[\u4e00-\u9fff]/);
    expect(p.categoryNameTrans).not.toBe(p.categoryName);
    expect(p.productImage.images[0]).toMatch(new RegExp(`/sandbox/images/1688/${id}/0\\.jpg$`));
    expect(p.description).toContain('<img src=');
    expect(p.description).toMatch(/[\u4e00-\u9fff]/);
    expect(p.descriptionTrans).not.toBe(p.description);
    expect(p.productAttribute.find((x) => x.attributeName === '材质')).toMatchObject({
      attributeNameTrans: 'Chất liệu',
    });
    expect(new Set(p.productAttribute.map((x) => x.attributeId)).size).toBe(p.productAttribute.length);

    const skus = p.productSkuInfos;
    expect(skus.length).toBeGreaterThan(0);
    expect(p.productSaleInfo.amountOnSale).toBe(skus.reduce((n, s) => n + s.amountOnSale, 0));
    for (const s of skus) {
      expect(s.specId).toBe(String(s.skuId));
      expect(s.price).toBeGreaterThan(0);
      expect(s.skuAttributes[0]).toMatchObject({ attributeName: '颜色分类', attributeNameTrans: 'Màu sắc' });
      expect(s.skuAttributes[0]?.skuImageUrl).toMatch(/\/0-[a-z-]+\.jpg$/);
      expect(s.skuAttributes.slice(1).every((x) => x.skuImageUrl === null)).toBe(true);
    }
    // Some SKU has attributes after the colour, so the check that they carry no picture did run.
    expect(skus.some((s) => s.skuAttributes.length > 1)).toBe(true);
    expect(p.productShippingInfo.weight).toBe(Math.max(...skus.map((s) => s.weight)));
    expect(p.productShippingInfo.sendGoodsAddressText).toMatch(/[\u4e00-\u9fff]/);

    const tiers = p.productSaleInfo.priceRangeList;
    expect(tiers[0]?.startQuantity).toBe(p.minOrderQuantity);
    expect(tiers.map((t) => t.startQuantity)).toEqual([...tiers.map((t) => t.startQuantity)].sort((x, y) => x - y));
    expect(tiers.map((t) => t.price)).toEqual([...tiers.map((t) => t.price)].sort((x, y) => y - x));
    expect(p.productSaleInfo).toMatchObject({ quoteType: 2, unitInfo: { unit: '件', transUnit: 'cái' } });
    expect(p).toMatchObject({ status: 'published', batchNumber: 1 });
    expect(p.sellerOpenId).toMatch(/^BBB/);
    expect(p.companyName).toMatch(/有限公司$/);

    const picture = await fetch(p.productImage.images[0] ?? '');
    expect(picture.headers.get('content-type')).toBe('image/jpeg');
  });

  it('takes the language from country, else from Accept-Language; the Chinese stays the same', async () => {
    const id = a.offerIds[1];
    const en = (await detail({ offerId: id, country: 'en' })).body.data;
    const th = (await detail({ offerId: id }, { 'accept-language': 'th-TH,th;q=0.9' })).body.data;
    expect(th.subject).toBe(en.subject);
    expect(th.subjectTrans).not.toBe(en.subjectTrans);
    expect(th.subjectTrans).toMatch(/[\u0e00-\u0e7f]/);
    expect(en.subjectTrans).toMatch(/^[\x20-\x7e]+$/);
  });

  it('shows a good its supplier took off sale as delisted', async () => {
    const id = a.offerIds[2] ?? '';
    expect((await detail({ offerId: id })).body.data.status).toBe('published');
    await a.server.admin('POST', `/sandbox/1688/goods/${id}/delist`);
    // The cached copy goes once the marketplace's event is handled.
    expect(await a.server.drainOutbox()).toBeGreaterThan(0);
    const r = await detail({ offerId: id });
    expect(r.body.code).toBe(200);
    expect(r.body.data.status).toBe('delisted');
  });

  it('accepts the documented example, and answers 40401 for its offer unknown to the sandbox', async () => {
    const r = await detail({ offerId: 706627393257, country: 'en', outMemberId: '' });
    expect(r.status).toBe(404);
    expect(r.body.code).toBe(40401);
    expect(r.body.msg).toContain('706627393257');
  });

  it('answers 40001 naming the field for a missing or malformed field', async () => {
    expectInvalid(await detail({}), 'offerId');
    expectInvalid(await detail({ offerId: 'abc' }), 'offerId');
    expectInvalid(await detail({ offerId: -1 }), 'offerId');
    expectInvalid(await detail({ offerId: a.offerIds[0], country: 'fr' }), 'country');
    expectInvalid(await detail({ offerId: a.offerIds[0], colour: 'red' }), 'colour');
    expect((await detail({ offerId: a.offerIds[0], country: 'fr' })).body.msg).toContain('en, zh, vi, th, es');
  });

  it('answers 50201 when the marketplace fails and 50401 when it does not answer in time', async () => {
    await a.fault('getProduct', 'error');
    const failed = await detail({ offerId: a.offerIds[3] });
    await a.fault('getProduct', 'timeout');
    const late = await detail({ offerId: a.offerIds[4] });
    await a.clearFaults();
    expect(failed.status).toBe(502);
    expect(failed.body.code).toBe(50201);
    expect(late.status).toBe(504);
    expect(late.body.code).toBe(50401);
    expect((await detail({ offerId: a.offerIds[3] })).body.code).toBe(200);
  });
});
