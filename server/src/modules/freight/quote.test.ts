import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { goodsAttributes } from './attributes.js';
import {
  type FreightChannel,
  GOODS_ATTRIBUTES,
  girthCm,
  type ParcelSpec,
  quote,
  stacked,
  volumetricWeightG,
} from './quote.js';
import { SAMPLE_CHANNELS } from './sample-channels.js';

const US_EXPRESS = SAMPLE_CHANNELS.find((c) => c.id === '1') as FreightChannel;
const US_ECONOMY = SAMPLE_CHANNELS.find((c) => c.id === '2') as FreightChannel;

const parcel = (p: Partial<ParcelSpec>): ParcelSpec => ({
  weightG: 400,
  lengthCm: 20,
  widthCm: 15,
  heightCm: 10,
  attributes: [],
  ...p,
});

const specs = fc.record({
  weightG: fc.integer({ min: 1, max: 40_000 }),
  lengthCm: fc.integer({ min: 1, max: 150 }),
  widthCm: fc.integer({ min: 1, max: 150 }),
  heightCm: fc.integer({ min: 1, max: 150 }),
  attributes: fc.subarray([...GOODS_ATTRIBUTES]),
});

describe('a quote', () => {
  it('bills the first weight, then whole steps of the chargeable weight', () => {
    // 400 g in a 20×15×10 box: 3000 cm³ / 5000 = 600 g volumetric, more than the actual weight: 600 g → 1000 g.
    const r = quote(US_EXPRESS, parcel({}));
    expect(r).toEqual({
      ok: true,
      quote: {
        actualWeightG: 400,
        volumetricWeightG: 600,
        chargeableWeightG: 600,
        billedWeightG: 1000,
        freightFen: US_EXPRESS.firstPriceFen + US_EXPRESS.stepPriceFen,
      },
    });
    // The same box, heavier than its volume: the actual weight counts.
    const heavy = quote(US_EXPRESS, parcel({ weightG: 1600 }));
    expect(heavy.ok && heavy.quote).toMatchObject({ chargeableWeightG: 1600, billedWeightG: 2000 });
  });

  it('refuses goods the channel does not carry, and parcels over its limits, with the reason', () => {
    expect(quote(US_ECONOMY, parcel({ attributes: ['battery'] }))).toEqual({
      ok: false,
      refusal: { reason: 'refused_goods', attribute: 'battery' },
    });
    expect(quote(US_ECONOMY, parcel({ weightG: 2001 }))).toEqual({
      ok: false,
      refusal: { reason: 'overweight', limitG: 2000 },
    });
    expect(quote(US_ECONOMY, parcel({ lengthCm: 61, widthCm: 1, heightCm: 1 }))).toEqual({
      ok: false,
      refusal: { reason: 'over_length', limitCm: 60 },
    });
    // 50 + 2 × (25 + 20) = 140 cm of girth, over the economy line's 90.
    expect(quote(US_ECONOMY, parcel({ lengthCm: 50, widthCm: 25, heightCm: 20, weightG: 100 }))).toEqual({
      ok: false,
      refusal: { reason: 'over_girth', limitCm: 90 },
    });
  });

  it('charges the larger of the actual and the volumetric weight, never less than the first price', () => {
    fc.assert(
      fc.property(specs, fc.constantFrom(...SAMPLE_CHANNELS), (spec, channel) => {
        const r = quote(channel, spec);
        if (!r.ok) return;
        const q = r.quote;
        expect(q.chargeableWeightG).toBe(Math.max(spec.weightG, volumetricWeightG(spec, channel.volumetricDivisor)));
        expect(q.billedWeightG).toBeGreaterThanOrEqual(q.chargeableWeightG);
        expect(q.billedWeightG - q.chargeableWeightG).toBeLessThan(Math.max(channel.stepG, channel.firstWeightG));
        expect(q.freightFen).toBeGreaterThanOrEqual(channel.firstPriceFen);
        expect(spec.weightG).toBeLessThanOrEqual(channel.maxWeightG);
        expect(girthCm(spec)).toBeLessThanOrEqual(channel.maxGirthCm);
      }),
    );
  });

  it('never charges less for a heavier parcel of the same size', () => {
    fc.assert(
      fc.property(
        specs,
        fc.integer({ min: 1, max: 5000 }),
        fc.constantFrom(...SAMPLE_CHANNELS),
        (spec, extra, channel) => {
          const light = quote(channel, spec);
          const heavy = quote(channel, { ...spec, weightG: spec.weightG + extra });
          if (light.ok && heavy.ok) expect(heavy.quote.freightFen).toBeGreaterThanOrEqual(light.quote.freightFen);
          // A refusal of the lighter parcel stays a refusal of the heavier one.
          if (!light.ok) expect(heavy.ok).toBe(false);
        },
      ),
    );
  });

  it('stacks identical units along their shortest side', () => {
    expect(stacked({ weightG: 300, lengthCm: 10, widthCm: 30, heightCm: 5 }, 3, [])).toEqual({
      weightG: 900,
      lengthCm: 30,
      widthCm: 10,
      heightCm: 15,
      attributes: [],
    });
  });
});

describe('the sample rate cards', () => {
  it('cover the destinations the README lists, two channels each, every one marked sample', () => {
    const countries = new Set(SAMPLE_CHANNELS.map((c) => c.country));
    for (const c of [
      'US',
      'GB',
      'DE',
      'ES',
      'FR',
      'IT',
      'NL',
      'PL',
      'VN',
      'TH',
      'MY',
      'PH',
      'ID',
      'SG',
      'JP',
      'KR',
      'AU',
      'CA',
      'BR',
      'MX',
    ]) {
      expect(countries.has(c), c).toBe(true);
      expect(SAMPLE_CHANNELS.filter((ch) => ch.country === c)).toHaveLength(2);
    }
    expect(SAMPLE_CHANNELS.every((c) => c.sample && c.active)).toBe(true);
    expect(new Set(SAMPLE_CHANNELS.map((c) => c.id)).size).toBe(SAMPLE_CHANNELS.length);
  });
});

describe('goods attributes', () => {
  const L = (zh: string, en = zh) => ({ zh, en, vi: en, th: en, es: en });
  it('are read from the title, the category path and the attributes, in Chinese or English', () => {
    const product = (title: string, category: string, attributes: [string, string][] = []) =>
      goodsAttributes({
        title: L(title),
        categoryPath: [{ name: L(category) }],
        attributes: attributes.map(([n, v]) => ({ name: L(n), value: L(v) })),
      });
    expect(product('无线蓝牙耳机', '数码')).toEqual(['battery']);
    expect(product('Rose perfume 50ml', 'Beauty')).toEqual(['liquid']);
    expect(product('蛋白粉', '保健')).toEqual(['powder']);
    expect(product('坚果零食礼盒', '食品')).toEqual(['food']);
    expect(product('帆布包', '箱包', [['品牌', 'Nike']])).toEqual(['brand']);
    expect(product('帆布包', '箱包', [['品牌', '无品牌']])).toEqual([]);
    // Pink (粉色) is a colour, not a powder; waterproof is not a liquid.
    expect(product('粉色防水背包', '箱包')).toEqual([]);
  });
});
