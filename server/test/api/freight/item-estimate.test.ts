import { randomBytes } from 'node:crypto';
import { computeSignature } from '@ponte/sdk/signing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { goodsAttributes } from '../../../src/modules/freight/attributes.js';
import { quote, stacked } from '../../../src/modules/freight/quote.js';
import { SAMPLE_CHANNELS } from '../../../src/modules/freight/sample-channels.js';
import { type Credentials, startServer, type TestServer } from '../../harness.js';

/** W1 over HTTP: each channel's quote for a real sandbox SKU, signed in headers or in the query. */

interface Estimate {
  itemId: string;
  country: string;
  parcel: { weightG: number; lengthCm: number; widthCm: number; heightCm: number; attributes: string[] };
  channels: {
    freightInfo: { serviceId: string; companyName: string; serviceCategory: string };
    available: boolean;
    reason: { code: string; detail: string } | null;
    actualWeightG: number;
    volumetricWeightG: number;
    chargeableWeightG: number;
    freight: number;
    sample: boolean;
  }[];
}

const US = {
  country: 'US',
  state: 'California',
  city: 'VALLEY VLG',
  zip: '91607',
  address: '5818 WHITSETT AVE 401',
  name: 'Ofir Birinbaum',
  phone: '5083326888',
  mobilePhone: '5083326888',
  email: 'buyer@example.com',
};

let server: TestServer;
let dev: Credentials;
let item: { itemId: string; skuId: string };

beforeAll(async () => {
  server = await startServer({ env: { SANDBOX_GOODS: '150', SANDBOX_SEED: '4' } });
  server.deps.sandbox?.ensureSeeded();
  dev = await server.createDeveloper('Freight');
  const search = await server.signed<{ list: { itemId: number }[] }>(dev, 'POST', '/open/product/item/search', {
    body: { keyword: '', pageSize: 5, pageNo: 1 },
  });
  const itemId = String(search.body.data.list[0]?.itemId);
  const product = await server.deps.market.taobao.getProduct(itemId);
  item = { itemId, skuId: product?.skus[0]?.skuId as string };
}, 120_000);
afterAll(() => server?.close());

describe('W1: the freight of one item', () => {
  it('quotes every channel to the country with the chargeable weight, as the rate card computes it', async () => {
    const r = await server.signed<Estimate>(dev, 'POST', '/open/pp/logistics/itemLogisticsPrice', {
      body: { ...item, quantity: 3, receiverAddress: US, currency: 'CNY', price: '68.00' },
    });
    expect(r.body.code, r.text).toBe(200);
    const product = await server.deps.market.taobao.getProduct(item.itemId);
    const sku = product?.skus.find((s) => s.skuId === item.skuId);
    if (!product || !sku) throw new Error('the SKU');
    const parcel = stacked(sku, 3, goodsAttributes(product));
    expect(r.body.data.parcel).toEqual(parcel);
    const us = SAMPLE_CHANNELS.filter((c) => c.country === 'US');
    expect(r.body.data.channels.map((c) => c.freightInfo.serviceId).sort()).toEqual(us.map((c) => c.id).sort());
    for (const c of r.body.data.channels) {
      const channel = us.find((u) => u.id === c.freightInfo.serviceId);
      if (!channel) throw new Error('a US channel');
      const expected = quote(channel, parcel);
      expect(c.available).toBe(expected.ok);
      expect(c.sample).toBe(true);
      if (expected.ok) {
        expect(c.chargeableWeightG).toBe(Math.max(c.actualWeightG, c.volumetricWeightG));
        expect(c.freight).toBe(expected.quote.freightFen);
        expect(c.reason).toBeNull();
      } else {
        expect(c.reason?.code).toBe(expected.refusal.reason);
        expect(c.freight).toBe(0);
      }
    }
  });

  it('is refused with the reason when the goods exceed a channel (a hundred units go over the economy line)', async () => {
    const r = await server.signed<Estimate>(dev, 'POST', '/open/pp/logistics/itemLogisticsPrice', {
      body: { ...item, quantity: 100, receiverAddress: US, currency: 'CNY', price: '1' },
    });
    expect(r.body.code, r.text).toBe(200);
    const economy = r.body.data.channels.find((c) => c.freightInfo.serviceCategory === 'economy');
    expect(economy?.available).toBe(false);
    expect(['overweight', 'over_length', 'over_girth', 'refused_goods']).toContain(economy?.reason?.code);
  });

  it('takes the system parameters in the query, `sign` for `signature`', async () => {
    const body = JSON.stringify({ ...item, quantity: 1, receiverAddress: US, currency: 'CNY', price: '1' });
    const path = '/open/pp/logistics/itemLogisticsPrice';
    const timestamp = String(server.deps.clock.now());
    const nonce = randomBytes(16).toString('hex');
    const sign = computeSignature('hmac-sha256', dev.accessSecret, {
      method: 'POST',
      path,
      query: '',
      accessKey: dev.accessKey,
      timestamp,
      nonce,
      userId: dev.userId,
      body,
    });
    const query = new URLSearchParams({
      'access-key': dev.accessKey,
      timestamp,
      'nonce-str': nonce,
      'user-id': dev.userId,
      sign,
    });
    const r = await fetch(`${server.baseUrl}${path}?${query}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    const env = (await r.json()) as { code: number };
    expect(env.code).toBe(200);
  });

  it('answers 40001 naming the country when no channel goes there, and 40401 for an unknown item or SKU', async () => {
    const nowhere = await server.signed(dev, 'POST', '/open/pp/logistics/itemLogisticsPrice', {
      body: { ...item, quantity: 1, receiverAddress: { ...US, country: 'AQ' }, currency: 'CNY', price: '1' },
    });
    expect(nowhere.body.code, nowhere.text).toBe(40001);
    expect(nowhere.text).toContain('receiverAddress.country');
    // W1's documented example: its ids name nothing in the sandbox.
    const example = await server.signed(dev, 'POST', '/open/pp/logistics/itemLogisticsPrice', {
      body: { itemId: '2048232789087639', skuId: '4970432383383', quantity: 1, receiverAddress: US },
    });
    expect(example.body.code, example.text).toBe(40401);
    const sku = await server.signed(dev, 'POST', '/open/pp/logistics/itemLogisticsPrice', {
      body: { ...item, skuId: '999', quantity: 1, receiverAddress: US },
    });
    expect(sku.body.code, sku.text).toBe(40401);
  });
});
