import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pictureBodyLimit } from '../../../src/modules/goods/image-input.js';
import { type GoodsServer, startGoodsServer } from './goods-harness.js';

interface Hit {
  itemId: number;
  title: string;
  titleTrans: string;
  picUrl: string;
  price: number;
  similarity: number;
}

interface Page {
  total: number;
  pageNo: number;
  pageSize: number;
  list: Hit[];
}

/** An uncompressed bottom-up 24-bit BMP of packed RGB pixels. */
function bmp24(rgb: Buffer, width: number, height: number): Buffer {
  const stride = Math.ceil((width * 3) / 4) * 4;
  const out = Buffer.alloc(54 + stride * height);
  out.write('BM', 0, 'latin1');
  out.writeUInt32LE(out.length, 2);
  out.writeUInt32LE(54, 10);
  out.writeUInt32LE(40, 14);
  out.writeInt32LE(width, 18);
  out.writeInt32LE(height, 22);
  out.writeUInt16LE(1, 26);
  out.writeUInt16LE(24, 28);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const from = (y * width + x) * 3;
      const to = 54 + (height - 1 - y) * stride + x * 3;
      out[to] = rgb[from + 2] as number;
      out[to + 1] = rgb[from + 1] as number;
      out[to + 2] = rgb[from] as number;
    }
  }
  return out;
}

describe('POST /open/product/image/search (T1)', () => {
  let g: GoodsServer;
  let itemId: string;
  let picUrl: string;
  let title: string;
  beforeAll(async () => {
    // Picture search does real work (decoding, descriptors): a deadline that a loaded machine meets.
    g = await startGoodsServer({ UPSTREAM_TIMEOUT_MS: '2000' });
    itemId = g.taobaoIds[11] ?? '';
    const r = await g.server.signed<{ picUrls: string[]; title: string }>(
      g.dev,
      'GET',
      `/open/product/get?itemId=${itemId}`,
    );
    picUrl = r.body.data.picUrls[0] ?? '';
    title = r.body.data.title;
  });
  afterAll(() => g.close());

  const imageSearch = (body: unknown) => g.server.signed<Page>(g.dev, 'POST', '/open/product/image/search', { body });

  /** The good's main picture as a buyer would have it: downloaded, resized, cropped and recompressed. */
  async function buyersCopy(): Promise<Buffer> {
    const original = Buffer.from(await (await fetch(picUrl)).arrayBuffer());
    return sharp(original)
      .resize(400, 400)
      .extract({ left: 40, top: 40, width: 320, height: 320 })
      .jpeg({ quality: 70 })
      .toBuffer();
  }

  it('finds the good first from a resized, cropped copy of its picture sent in base64', async () => {
    const copy = await buyersCopy();
    const r = await imageSearch({ imageBase64: copy.toString('base64'), language: 'es' });
    expect(r.body.code).toBe(200);
    const page = r.body.data;
    expect(page).toMatchObject({ pageNo: 1, pageSize: 20 });
    expect(page.list[0]?.itemId).toBe(Number(itemId));
    expect(page.list[0]?.title).toBe(title);
    expect(page.list[0]?.titleTrans).not.toBe(title);
    expect(page.list[0]?.similarity).toBeGreaterThan(0.5);
    expect(page.total).toBeGreaterThanOrEqual(page.list.length);
    const scores = page.list.map((h) => h.similarity);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    for (const s of scores) {
      expect(s).toBeGreaterThanOrEqual(0);
      expect(s).toBeLessThanOrEqual(1);
    }

    // A data: URL is the same picture.
    const viaDataUrl = await imageSearch({ imageBase64: `data:image/jpeg;base64,${copy.toString('base64')}` });
    expect(viaDataUrl.body.data.list[0]?.itemId).toBe(Number(itemId));
  });

  it('reads a sandbox picture given by imageAddress', async () => {
    const r = await imageSearch({ imageAddress: picUrl, pageSize: 5 });
    expect(r.body.code).toBe(200);
    expect(r.body.data.pageSize).toBe(5);
    expect(r.body.data.list[0]?.itemId).toBe(Number(itemId));
    expect(r.body.data.list[0]?.similarity).toBeGreaterThan(0.9);
    expect(r.body.data.list.length).toBeLessThanOrEqual(5);
  });

  it('pages the hits', async () => {
    const copy = (await buyersCopy()).toString('base64');
    const all = (await imageSearch({ imageBase64: copy, pageSize: 40 })).body.data;
    const second = (await imageSearch({ imageBase64: copy, pageNo: 2, pageSize: 1 })).body.data;
    expect(second.pageNo).toBe(2);
    expect(second.total).toBe(all.total);
    if (all.total >= 2) expect(second.list[0]?.itemId).toBe(all.list[1]?.itemId);
    else expect(second.list).toEqual([]);
  });

  it('reads PNG, WebP, GIF and uncompressed BMP pictures as well as JPEG', async () => {
    const copy = await buyersCopy();
    const { data, info } = await sharp(copy).removeAlpha().raw().toBuffer({ resolveWithObject: true });
    const formats: Record<string, Buffer> = {
      png: await sharp(copy).png().toBuffer(),
      webp: await sharp(copy).webp({ quality: 80 }).toBuffer(),
      gif: await sharp(copy).gif().toBuffer(),
      bmp: bmp24(data, info.width, info.height),
    };
    for (const [format, bytes] of Object.entries(formats)) {
      const r = await imageSearch({ imageBase64: bytes.toString('base64') });
      expect(r.body.code, format).toBe(200);
      expect(r.body.data.list[0]?.itemId, format).toBe(Number(itemId));
    }
    // A BMP variant the server does not read is refused with the reason.
    const rle = bmp24(data, info.width, info.height);
    rle.writeUInt32LE(1, 30);
    const refused = await imageSearch({ imageBase64: rle.toString('base64') });
    expect(refused.body.code).toBe(40001);
    expect(refused.body.msg).toMatch(/imageBase64.*uncompressed/);
  });

  it('answers 40001 naming imageBase64 for what is not a picture', async () => {
    const jpeg = await buyersCopy();
    const cases = [
      Buffer.from('this is plain text, not a picture').toString('base64'),
      'not base64 at all!',
      // A JPEG's first bytes only: its format is recognised, but the marketplace cannot read it.
      jpeg.subarray(0, 60).toString('base64'),
    ];
    for (const imageBase64 of cases) {
      const r = await imageSearch({ imageBase64 });
      expect(r.status, imageBase64.slice(0, 20)).toBe(400);
      expect(r.body.code).toBe(40001);
      expect(r.body.msg).toContain('imageBase64');
    }
    const none = await imageSearch({ pageSize: 5 });
    expect(none.body.code).toBe(40001);
    expect(none.body.msg).toContain('imageBase64');
  });

  it('refuses an imageAddress on a private network with 40001 naming imageAddress', async () => {
    const r = await imageSearch({ imageAddress: 'http://127.0.0.1:1/x.jpg' });
    expect(r.status).toBe(400);
    expect(r.body.code).toBe(40001);
    expect(r.body.msg).toContain('imageAddress');
    const notHttp = await imageSearch({ imageAddress: 'file:///etc/passwd' });
    expect(notHttp.body.code).toBe(40001);
    expect(notHttp.body.msg).toContain('imageAddress');
  });

  it('takes pictures beyond the general body limit, and caps the picture and the body', async () => {
    const { config } = g.server.deps;
    // Noise compresses badly: a PNG of it is larger than BODY_LIMIT_BYTES once in base64.
    const side = 700;
    const noise = Buffer.alloc(side * side * 3);
    for (let i = 0; i < noise.length; i++) noise[i] = (i * 2654435761) >>> 24;
    const big = await sharp(noise, { raw: { width: side, height: side, channels: 3 } })
      .png({ compressionLevel: 0 })
      .toBuffer();
    expect(big.length).toBeLessThan(config.images.maxBytes);
    expect(Math.ceil(big.length / 3) * 4).toBeGreaterThan(config.bodyLimit);
    expect((await imageSearch({ imageBase64: big.toString('base64') })).body.code).toBe(200);

    // A picture above IMAGE_MAX_BYTES whose base64 still fits in the body.
    const tooBig = Buffer.concat([big, Buffer.alloc(config.images.maxBytes - big.length + 1024)]);
    const r = await imageSearch({ imageBase64: tooBig.toString('base64') });
    expect(r.body.code).toBe(40001);
    expect(r.body.msg).toContain('imageBase64');

    const limit = pictureBodyLimit(config);
    const over = await imageSearch({ imageBase64: 'A'.repeat(limit) });
    expect(over.status).toBe(413);
    expect(over.body.code).toBe(41301);
  });

  it('answers 40001 naming the field for paging out of range or unknown fields', async () => {
    const cases: [unknown, string][] = [
      [{ imageAddress: picUrl, pageSize: 41 }, 'pageSize'],
      [{ imageAddress: picUrl, pageNo: 0 }, 'pageNo'],
      [{ imageAddress: picUrl, imageUrl: picUrl }, 'imageUrl'],
      [{ imageAddress: picUrl, language: 'de' }, 'language'],
    ];
    for (const [body, field] of cases) {
      const r = await imageSearch(body);
      expect(r.body.code, field).toBe(40001);
      expect(r.body.msg).toContain(field);
    }
  });

  it('answers 50201 when the marketplace fails and 50401 when it does not answer in time', async () => {
    try {
      await g.server.admin('PUT', '/sandbox/faults/imageSearch', { errorRate: 1 });
      const failed = await imageSearch({ imageAddress: picUrl });
      expect(failed.status).toBe(502);
      expect(failed.body.code).toBe(50201);

      await g.server.admin('PUT', '/sandbox/faults/imageSearch', { timeoutRate: 1 });
      const slow = await imageSearch({ imageAddress: picUrl });
      expect(slow.status).toBe(504);
      expect(slow.body.code).toBe(50401);
    } finally {
      await g.server.admin('DELETE', '/sandbox/faults');
    }
    expect((await imageSearch({ imageAddress: picUrl })).body.code).toBe(200);
  });
});
