import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { generateGoods } from '../catalog/generate.js';
import type { SandboxGood } from '../catalog/model.js';
import { Rng } from '../catalog/random.js';
import { VOCABULARY } from '../vocabulary.js';
import { encodeImage } from './encode.js';
import { FEATURE_BYTES, indexFeatures, queryFeatures } from './features.js';
import { ImageIndex } from './image-index.js';
import { type ImageSpec, renderRaw } from './render.js';
import { imageSpecOf } from './spec.js';

const spec: ImageSpec = {
  imageSeed: 123456,
  topCategory: 'shoes',
  productType: 'running-shoes',
  rgb: [200, 30, 40],
  view: 0,
};

/** Share of pixels (RGB triples) that two renders have exactly in common. */
function sameShare(a: Uint8Array, b: Uint8Array): number {
  let same = 0;
  for (let i = 0; i < a.length; i += 3) if (a[i] === b[i] && a[i + 1] === b[i + 1] && a[i + 2] === b[i + 2]) same++;
  return same / (a.length / 3);
}

describe('sandbox product pictures', () => {
  it('renders the same bytes for the same spec', async () => {
    expect(Buffer.from(renderRaw(spec, 96, 96)).equals(Buffer.from(renderRaw({ ...spec }, 96, 96)))).toBe(true);
    expect((await encodeImage(spec, { size: 200 })).equals(await encodeImage({ ...spec }, { size: 200 }))).toBe(true);
    expect(Buffer.from(indexFeatures(spec)).equals(Buffer.from(indexFeatures({ ...spec })))).toBe(true);
    expect(indexFeatures(spec)).toHaveLength(FEATURE_BYTES);
  });

  it('draws different products for different seeds, and each colour with the same design', () => {
    const main = renderRaw(spec, 96, 96);
    const other = renderRaw({ ...spec, imageSeed: 654321 }, 96, 96);
    const variant = renderRaw({ ...spec, rgb: [31, 42, 68] }, 96, 96);
    expect(sameShare(main, other)).toBeLessThan(0.2);
    // Only the product changes colour: the backdrop and decoration stay pixel for pixel.
    expect(sameShare(main, variant)).toBeGreaterThan(0.5);
    expect(sameShare(main, variant)).toBeLessThan(0.97);
    // The other views frame the same product differently (a pair shot may keep the backdrop).
    const views = [1, 2, 3].map((view) => renderRaw({ ...spec, view }, 96, 96));
    for (const [i, picture] of views.entries()) {
      expect(sameShare(main, picture)).toBeLessThan(0.8);
      for (const other of views.slice(i + 1)) expect(sameShare(picture, other)).toBeLessThan(0.8);
      expect(Buffer.from(picture).equals(Buffer.from(renderRaw({ ...spec, view: i + 1 }, 96, 96)))).toBe(true);
    }
  });

  it('renders a crop through the viewport', () => {
    const full = renderRaw(spec, 100, 100);
    const crop = renderRaw(spec, 50, 50, { x: 0.5, y: 0.5, width: 0.5, height: 0.5 });
    // The bottom-right quarter of the full picture, pixel for pixel (up to rounding).
    let worst = 0;
    for (let y = 0; y < 50; y++) {
      for (let x = 0; x < 150; x++) {
        worst = Math.max(worst, Math.abs((full[(y + 50) * 300 + 150 + x] ?? 0) - (crop[y * 150 + x] ?? 0)));
      }
    }
    expect(worst).toBeLessThanOrEqual(1);
  });

  it('encodes JPEG, WebP and PNG at the asked size', async () => {
    for (const format of ['jpeg', 'webp', 'png'] as const) {
      const meta = await sharp(await encodeImage(spec, { size: 320, format })).metadata();
      expect(meta.format).toBe(format);
      expect([meta.width, meta.height]).toEqual([320, 320]);
    }
    await expect(encodeImage(spec, { size: 0 })).rejects.toThrow(/size/);
  });

  it('refuses what it cannot decode, saying so', async () => {
    await expect(queryFeatures(Buffer.from('definitely not a picture'))).rejects.toThrow(/cannot read the picture/);
    await expect(queryFeatures(Buffer.alloc(0))).rejects.toThrow(/empty/);
    const jpeg = await encodeImage(spec, { size: 64 });
    await expect(queryFeatures(jpeg.subarray(0, 40))).rejects.toThrow(/cannot read the picture/);
  });
});

describe('search by picture', () => {
  const goods: SandboxGood[] = [...generateGoods(VOCABULARY, { seed: 7, goodsPerPlatform: 2000 }, 'taobao')];
  const specs = goods.map((g) => imageSpecOf(VOCABULARY, g));
  const index = new ImageIndex();
  const picks = new Rng('image-search-test', 1).sample(
    goods.map((g) => g.index),
    200,
  );
  const originals = new Map<number, Buffer>();

  beforeAll(async () => {
    for (const g of goods) index.add(g.index, indexFeatures(specs[g.index] as ImageSpec));
    for (const i of picks) originals.set(i, await encodeImage(specs[i] as ImageSpec, { size: 800 }));
  });

  async function rate(name: string, transform: (jpeg: Buffer) => Promise<Buffer>): Promise<number> {
    let first = 0;
    for (const i of picks) {
      const query = await queryFeatures(await transform(originals.get(i) as Buffer));
      const hits = index.search(query, 5);
      if (hits[0]?.goodIndex === i) first++;
    }
    const share = first / picks.length;
    console.log(
      `${name}: the product came first for ${first} of ${picks.length} queries (${(share * 100).toFixed(1)} %)`,
    );
    return share;
  }

  it('finds the product from a resized, cropped, recompressed copy of its main picture', async () => {
    expect(index.size).toBe(2000);
    const share = await rate('resize 50 %, centre crop 80 %, JPEG q70', (jpeg) =>
      sharp(jpeg)
        .resize(400, 400)
        .extract({ left: 40, top: 40, width: 320, height: 320 })
        .jpeg({ quality: 70 })
        .toBuffer(),
    );
    expect(share).toBeGreaterThanOrEqual(0.95);
  });

  it('finds it too when the copy is slightly recoloured', async () => {
    const share = await rate('brightness 1.08, saturation 0.9, hue +10°, JPEG q70', (jpeg) =>
      sharp(jpeg).modulate({ brightness: 1.08, saturation: 0.9, hue: 10 }).jpeg({ quality: 70 }).toBuffer(),
    );
    expect(share).toBeGreaterThanOrEqual(0.95);
  });

  it('scores the product high, and unrelated pictures low or not at all', async () => {
    const i = picks[0] as number;
    const [hit] = index.search(await queryFeatures(originals.get(i) as Buffer), 3);
    expect(hit?.goodIndex).toBe(i);
    expect(hit?.score).toBeGreaterThan(0.9);

    const noise = Buffer.alloc(256 * 256 * 3);
    const rng = new Rng('noise');
    for (let p = 0; p < noise.length; p++) noise[p] = rng.int(0, 255);
    const noisy = await sharp(noise, { raw: { width: 256, height: 256, channels: 3 } })
      .png()
      .toBuffer();
    const flat = await sharp({ create: { width: 300, height: 200, channels: 3, background: '#3a7bd5' } })
      .jpeg()
      .toBuffer();
    for (const picture of [noisy, flat]) {
      for (const h of index.search(await queryFeatures(picture), 5)) expect(h.score).toBeLessThan(0.5);
    }
    expect(index.search(await queryFeatures(flat), 5)).toEqual([]);

    // Products of another catalog are not in this index.
    const strangers = [...generateGoods(VOCABULARY, { seed: 99, goodsPerPlatform: 20 }, 'taobao')];
    for (const g of strangers) {
      const query = await queryFeatures(await encodeImage(imageSpecOf(VOCABULARY, g), { size: 400 }));
      for (const h of index.search(query, 3)) expect(h.score).toBeLessThan(0.5);
    }
  });

  it('forgets delisted goods and finds related ones', async () => {
    const i = picks[1] as number;
    const query = await queryFeatures(originals.get(i) as Buffer);
    expect(index.search(query, 1)[0]?.goodIndex).toBe(i);
    const local = new ImageIndex();
    for (const g of goods.slice(0, 300)) local.add(g.index, indexFeatures(specs[g.index] as ImageSpec));
    local.add(i, indexFeatures(specs[i] as ImageSpec));
    expect(local.remove(i)).toBe(true);
    expect(local.remove(i)).toBe(false);
    expect(local.search(query, 5).some((h) => h.goodIndex === i)).toBe(false);

    const related = index.similar(i, 10);
    expect(related).toHaveLength(10);
    expect(related.some((h) => h.goodIndex === i)).toBe(false);
    for (let k = 1; k < related.length; k++) {
      expect(related[k]?.distance).toBeGreaterThanOrEqual(related[k - 1]?.distance ?? 0);
    }
    expect(() => index.add(1, new Uint8Array(3))).toThrow(/bytes/);
  });
});
