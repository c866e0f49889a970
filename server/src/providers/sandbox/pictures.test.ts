import { afterAll, describe, expect, it } from 'vitest';
import { generateGoods } from './catalog/generate.js';
import { encodeImage } from './images/encode.js';
import { type ImageFile, imageSpec, PicturesBusy, ProductPictures } from './pictures.js';
import { VOCABULARY } from './vocabulary.js';

const rows = [...generateGoods(VOCABULARY, { seed: 9, goodsPerPlatform: 6 }, 'taobao')].map((g) => ({
  category: g.category,
  product_type: g.productType,
  colours: JSON.stringify(g.colours),
  image_seed: g.imageSeed,
}));
const row = (i: number) => rows[i] ?? (rows[0] as (typeof rows)[number]);

const open: ProductPictures[] = [];
function pictures(options: ConstructorParameters<typeof ProductPictures>[0]): ProductPictures {
  const p = new ProductPictures(options);
  open.push(p);
  return p;
}
afterAll(() => Promise.all(open.map((p) => p.close())));

describe('product pictures drawn in worker threads', () => {
  it('gives the same bytes as drawing on the main thread, in every format', async () => {
    const pool = pictures({ workers: 2, cacheBytes: 0 });
    const files: ImageFile[] = [
      { view: 0, colour: null, format: 'jpeg' },
      { view: 1, colour: null, format: 'webp' },
      { view: 3, colour: null, format: 'png' },
    ];
    for (const [i, file] of files.entries()) {
      const spec = imageSpec(row(i), file.view, file.colour);
      if (!spec) throw new Error('no spec');
      const drawn = await pool.render(row(i), file);
      expect(drawn?.equals(await encodeImage(spec, { format: file.format }))).toBe(true);
    }
    expect(await pool.render(row(0), { view: 0, colour: 'notacolour', format: 'jpeg' })).toBeNull();
  });

  it('draws a picture requested several times at once only once, and keeps it', async () => {
    const uncached = pictures({ workers: 1, cacheBytes: 0 });
    const file: ImageFile = { view: 2, colour: null, format: 'jpeg' };
    const same = await Promise.all([1, 2, 3].map(() => uncached.render(row(1), file)));
    expect(same[1]).toBe(same[0]);
    expect(same[2]).toBe(same[0]);
    expect(await uncached.render(row(1), file)).not.toBe(same[0]);

    const cached = pictures({ workers: 1 });
    const first = await cached.render(row(1), file);
    expect(await cached.render(row(1), file)).toBe(first);
  });

  it('keeps encoded pictures up to a number of bytes, dropping the least recently used', async () => {
    const file: ImageFile = { view: 0, colour: null, format: 'png' };
    const probe = pictures({ workers: 1, cacheBytes: 0 });
    const sizes = await Promise.all([0, 1, 2].map(async (i) => (await probe.render(row(i), file))?.length ?? 0));
    // Room for the two largest pictures but not for all three.
    const [small, mid, large] = [...sizes].sort((a, b) => a - b) as [number, number, number];
    const pool = pictures({ workers: 1, cacheBytes: mid + large });
    expect(small + mid + large).toBeGreaterThan(mid + large);
    const first = await pool.render(row(0), file);
    expect(await pool.render(row(0), file)).toBe(first);
    await pool.render(row(1), file);
    await pool.render(row(2), file);
    // The other two are used again, so the first is the least recently used.
    await pool.render(row(1), file);
    await pool.render(row(2), file);
    const again = await pool.render(row(0), file);
    // Past the byte budget the least recently used picture went: it is drawn again, to the same bytes.
    expect(again).not.toBe(first);
    expect(again?.equals(first as Buffer)).toBe(true);
  });

  it('refuses at once when every worker is busy and the queue is full', async () => {
    const pool = pictures({ workers: 1, queue: 0, cacheBytes: 0 });
    const a = pool.render(row(2), { view: 0, colour: null, format: 'png' });
    await expect(pool.render(row(3), { view: 0, colour: null, format: 'png' })).rejects.toBeInstanceOf(PicturesBusy);
    expect(await a).toBeInstanceOf(Buffer);
    expect(await pool.render(row(3), { view: 0, colour: null, format: 'png' })).toBeInstanceOf(Buffer);
  });

  it('stops its threads on close', async () => {
    const pool = pictures({ workers: 1 });
    await pool.render(row(4), { view: 0, colour: null, format: 'jpeg' });
    await pool.close();
    await expect(pool.render(row(5), { view: 0, colour: null, format: 'jpeg' })).rejects.toThrow(/closed/);
  });
});
