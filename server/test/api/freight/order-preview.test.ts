import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { quote } from '../../../src/modules/freight/quote.js';
import { channelsToCsv } from '../../../src/modules/freight/rate-card-csv.js';
import { SAMPLE_CHANNELS } from '../../../src/modules/freight/sample-channels.js';
import { expectCode } from '../orders/taobao-fixtures.js';
import {
  DAY,
  type FreightServer,
  type FreightSku,
  type Preview,
  postSignedInQuery,
  startFreightServer,
  US,
  usChannel,
  W2_EXAMPLE,
  W4_EXAMPLE,
} from './freight-fixtures.js';

/**
 * W2 over HTTP: each line quoted per channel with the chargeable weight (the volumetric one when larger), the
 * channel asked for or every channel of the country, per-line reasons when a channel refuses the goods (limits,
 * refused goods, an operator's card), a `renderId` that expires, and the documented examples accepted as published.
 */

let f: FreightServer;
let a: FreightSku;
let b: FreightSku;
/** A product the classifier reads as holding a battery (the economy lines refuse it). */
let battery: FreightSku;

beforeAll(async () => {
  f = await startFreightServer();
  const [s0] = f.skus;
  if (!s0) throw new Error('a SKU');
  a = await f.freightSku(s0.itemId, s0.skuId);
  battery = await f.findSku((s) => s.attributes.includes('battery'));
  // Something small enough for the economy line.
  b = await f.findSku((s) => s.attributes.length === 0 && quote(usChannel('2'), s.parcel(2)).ok);
}, 120_000);
afterAll(() => f?.close());

/** Every quote of a line as the rate card computes it. */
function expectQuotes(line: Preview['renderItems'][number], sku: FreightSku, quantity: number) {
  const parcel = sku.parcel(quantity);
  expect(line.parcel).toEqual(parcel);
  for (const q of line.quotes) {
    const expected = quote(usChannel(q.freightInfo.serviceId), parcel);
    expect(q.available, q.freightInfo.serviceId).toBe(expected.ok);
    if (expected.ok) {
      expect(q).toMatchObject({
        actualWeightG: expected.quote.actualWeightG,
        volumetricWeightG: expected.quote.volumetricWeightG,
        chargeableWeightG: expected.quote.chargeableWeightG,
        billedWeightG: expected.quote.billedWeightG,
        freight: expected.quote.freightFen,
        reason: null,
        sample: true,
      });
      expect(q.chargeableWeightG).toBe(Math.max(q.actualWeightG, q.volumetricWeightG));
    } else {
      expect(q.reason?.code).toBe(expected.refusal.reason);
      expect(q.freight).toBe(0);
    }
  }
}

describe('W2: the freight of an order, line by line', () => {
  it('quotes every channel of the country for each line when none is asked, with a summary per channel', async () => {
    const before = f.clock.now();
    const p = await f.render(f.dev, [{ sku: a }, { sku: b, quantity: 2 }]);
    expect(p.country).toBe('US');
    expect(p.renderId).toMatch(/^FF[0-9]{8}[0-9]+$/);
    expect(p.renderId.slice(2, 10)).toBe(new Date(before).toISOString().slice(0, 10).replaceAll('-', ''));
    expect(p.expireTime).toBe(before + DAY);
    expect(p.renderItems.map((l) => [l.itemId, l.skuId, l.quantity])).toEqual([
      [a.itemId, a.skuId, 1],
      [b.itemId, b.skuId, 2],
    ]);
    const us = SAMPLE_CHANNELS.filter((c) => c.country === 'US').map((c) => c.id);
    for (const [i, line] of p.renderItems.entries()) {
      expect(line.freightInfo).toBeNull();
      expect(line.quotes.map((q) => q.freightInfo.serviceId).sort()).toEqual([...us].sort());
      expectQuotes(line, i === 0 ? a : b, i === 0 ? 1 : 2);
    }
    for (const c of p.channels) {
      const quotes = p.renderItems.map((l) =>
        l.quotes.find((q) => q.freightInfo.serviceId === c.freightInfo.serviceId),
      );
      expect(c.lines).toBe(2);
      expect(c.available).toBe(quotes.every((q) => q?.available));
      expect(c.freight).toBe(quotes.reduce((n, q) => n + (q?.available ? q.freight : 0), 0));
    }
    // No line asked for a channel: nothing can be booked as asked.
    expect(p.estimate).toBeNull();
  });

  it('quotes only the channel a line asks for; the estimate is what booking them as asked charges', async () => {
    const p = await f.render(f.dev, [
      { sku: a, serviceId: '1' },
      { sku: b, quantity: 2, serviceId: '2' },
    ]);
    const [first, second] = p.renderItems;
    expect(first?.quotes.map((q) => q.freightInfo.serviceId)).toEqual(['1']);
    expect(second?.quotes.map((q) => q.freightInfo.serviceId)).toEqual(['2']);
    expect(first?.freightInfo).toEqual({
      serviceId: '1',
      companyName: 'Sample Express US',
      serviceCategory: 'express',
    });
    expectQuotes(first as Preview['renderItems'][number], a, 1);
    expectQuotes(second as Preview['renderItems'][number], b, 2);
    const one = quote(usChannel('1'), a.parcel(1));
    const two = quote(usChannel('2'), b.parcel(2));
    if (!one.ok || !two.ok) throw new Error('both channels carry these goods');
    expect(p.estimate).toBe(one.quote.freightFen + two.quote.freightFen);
    expect(p.channels.map((c) => [c.freightInfo.serviceId, c.lines, c.freight])).toEqual(
      expect.arrayContaining([
        ['1', 1, one.quote.freightFen],
        ['2', 1, two.quote.freightFen],
      ]),
    );
  });

  it('bills the volumetric weight where it is larger than the actual one', async () => {
    const candidates = f.skus.slice(0, 4);
    let found = false;
    for (const s of candidates) {
      const sku = await f.freightSku(s.itemId, s.skuId);
      const q = quote(usChannel('1'), sku.parcel(1));
      if (!q.ok || q.quote.volumetricWeightG <= q.quote.actualWeightG) continue;
      const p = await f.render(f.dev, [{ sku, serviceId: '1' }]);
      const line = p.renderItems[0]?.quotes[0];
      expect(line?.volumetricWeightG).toBeGreaterThan(line?.actualWeightG ?? 0);
      expect(line?.chargeableWeightG).toBe(line?.volumetricWeightG);
      // Billed by the first 500 g and whole 500 g steps of the volumetric weight.
      const c = usChannel('1');
      const steps = Math.max(0, Math.ceil(((line?.chargeableWeightG ?? 0) - c.firstWeightG) / c.stepG));
      expect(line?.freight).toBe(c.firstPriceFen + steps * c.stepPriceFen);
      found = true;
      break;
    }
    expect(found, 'a sandbox SKU bulkier than heavy').toBe(true);
  });

  it('answers a line’s reasons when the channel asked refuses it: refused goods, limits', async () => {
    const p = await f.render(f.dev, [
      { sku: battery, serviceId: '2' },
      { sku: b, quantity: 100, serviceId: '2' },
      { sku: b, serviceId: '2' },
    ]);
    const [refused, heavy, fine] = p.renderItems;
    expect(refused?.available).toBe(false);
    expect(refused?.reasons).toEqual([
      { serviceId: '2', code: 'refused_goods', detail: 'the channel does not carry battery goods' },
    ]);
    expect(refused?.quotes[0]).toMatchObject({ available: false, freight: 0, chargeableWeightG: 0 });
    expect(heavy?.available).toBe(false);
    expect(heavy?.reasons).toHaveLength(1);
    expect(['overweight', 'over_length', 'over_girth']).toContain(heavy?.reasons[0]?.code);
    expect(heavy?.reasons[0]?.code).toBe(
      (quote(usChannel('2'), b.parcel(100)) as { refusal: { reason: string } }).refusal.reason,
    );
    expect(fine?.available).toBe(true);
    expect(fine?.reasons).toEqual([]);
    // The economy line carries one of three lines: not available for the order, its freight that of the one.
    expect(p.channels).toEqual([
      expect.objectContaining({ lines: 3, available: false, freight: fine?.quotes[0]?.freight }),
    ]);
    expect(p.estimate).toBeNull();
    // Asked for no channel, the battery line is still carried by express.
    const open = await f.render(f.dev, [{ sku: battery }]);
    expect(open.renderItems[0]?.available).toBe(true);
    expect(open.renderItems[0]?.reasons.map((r) => [r.serviceId, r.code])).toEqual([['2', 'refused_goods']]);
  });

  it('answers 40001 naming the channel when it is unknown or goes elsewhere, and the country when none goes there', async () => {
    const body = (serviceId: string, country = 'US') => ({
      receiverAddress: { ...US, country },
      renderItems: [
        { itemId: a.itemId, skuId: a.skuId, quantity: 1, freightInfo: { serviceId: '1' } },
        { itemId: b.itemId, skuId: b.skuId, quantity: 1, freightInfo: { serviceId } },
      ],
    });
    expectCode(await f.preview(f.dev, body('999')), 40001, 'renderItems[1].freightInfo.serviceId');
    // Channel 3 goes to Great Britain.
    expectCode(await f.preview(f.dev, body('3')), 40001, 'renderItems[1].freightInfo.serviceId');
    expectCode(await f.preview(f.dev, body('', 'AQ')), 40001, 'receiverAddress.country');
    const unknownSku = await f.preview(f.dev, {
      receiverAddress: US,
      renderItems: [{ itemId: a.itemId, skuId: '999', quantity: 1, freightInfo: { serviceId: '' } }],
    });
    expectCode(unknownSku, 40401);
  });

  it('accepts the documented examples of W2 and W4 as published: their ids name nothing (40401, never 40001)', async () => {
    expectCode(await f.preview(f.dev, W2_EXAMPLE), 40401);
    expectCode(await f.book(f.dev, W4_EXAMPLE), 40401);
  });

  it('takes the system parameters in the query, `sign` for `signature`', async () => {
    const body = {
      receiverAddress: US,
      renderItems: [{ itemId: a.itemId, skuId: a.skuId, quantity: 1, freightInfo: { serviceId: '1' } }],
    };
    const path = '/open/pp/logistics/orderRenderFreight';
    const env = await postSignedInQuery<Preview>(f.server.baseUrl, f.dev, path, body, f.clock.now());
    expect(env.code).toBe(200);
    expect(env.data.renderId).toMatch(/^FF/);
  });

  it('follows the operator’s rate card: an imported channel refusing the line says why', async () => {
    const tight = { ...usChannel('1'), id: '41', name: 'Tight US', maxSideCm: 5, sample: false };
    const card = channelsToCsv([...SAMPLE_CHANNELS.map((c) => ({ ...c, sample: false })), tight]);
    const imported = await f.server.admin('PUT', '/admin/freight/channels/csv', { csv: card });
    expect(imported.body.code, imported.text).toBe(200);
    const p = await f.render(f.dev, [{ sku: a, serviceId: '41' }]);
    expect(p.renderItems[0]?.reasons).toEqual([
      { serviceId: '41', code: 'over_length', detail: 'a side longer than the channel’s 5 cm' },
    ]);
    expect(p.renderItems[0]?.quotes[0]?.sample).toBe(false);
  });
});
