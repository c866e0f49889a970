import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EVIDENCE_MAX_PICTURES, resolveEvidence } from '../../../src/modules/refunds/evidence.js';
import { ManualClock } from '../../../src/platform/clock.js';
import { ApiError } from '../../../src/platform/http/errors.js';
import { type Credentials, type Reply, startServer, type TestServer } from '../../harness.js';

interface Upload {
  imageDomain: string;
  imageRelativeUrl: string;
  url: string;
  expiresAt: number;
  contentType: string;
  size: number;
}

const MB = 1_048_576;

/** A small picture drawn by the image library, in one of its formats. */
function picture(format: 'jpeg' | 'png' | 'gif' | 'webp', width = 32, height = 20, red = 200): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: { r: red, g: 40, b: 90 } } })
    .toFormat(format)
    .toBuffer();
}

/** An uncompressed bottom-up 24-bit BMP, `length` bytes long when asked (the rest after the pixels). */
function bmp24(width: number, height: number, length?: number): Buffer {
  const stride = Math.ceil((width * 3) / 4) * 4;
  const out = Buffer.alloc(length ?? 54 + stride * height);
  out.write('BM', 0, 'latin1');
  out.writeUInt32LE(out.length, 2);
  out.writeUInt32LE(54, 10);
  out.writeUInt32LE(40, 14);
  out.writeInt32LE(width, 18);
  out.writeInt32LE(height, 22);
  out.writeUInt16LE(1, 26);
  out.writeUInt16LE(24, 28);
  for (let i = 54; i < 54 + stride * height; i++) out[i] = (i * 7) & 0xff;
  return out;
}

/** A PNG of random pixels, which does not compress: a real picture a little over 1 MB. */
function noisyPng(width: number, height: number): Promise<Buffer> {
  const raw = Buffer.alloc(width * height * 3);
  for (let i = 0; i < raw.length; i++) raw[i] = Math.floor(Math.random() * 256);
  return sharp(raw, { raw: { width, height, channels: 3 } })
    .png({ compressionLevel: 0 })
    .toBuffer();
}

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** An error answer with `code`, naming `field` for a 40001. */
function expectCode(r: Reply, code: number, field?: string): void {
  expect(r.body.code, r.text).toBe(code);
  expect(r.status, r.text).toBe(code === 200 ? 200 : Math.floor(code / 100));
  if (code !== 200) expect(r.body.data).toBeNull();
  if (field) expect(r.body.msg, r.text).toContain(`parameter ${field}:`);
}

/** What `resolveEvidence` throws, as the code and English message of the answer it becomes. */
async function refusal(promise: Promise<unknown>): Promise<{ code: number; message: string }> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ApiError);
  return { code: (err as ApiError).code, message: (err as ApiError).message };
}

describe('POST /alibaba/refund/voucher/upload (A22) and the signed file links', () => {
  let server: TestServer;
  let clock: ManualClock;
  let devA: Credentials;
  let devB: Credentials;

  beforeAll(async () => {
    clock = new ManualClock(Date.now());
    server = await startServer({ overrides: { clock } });
    devA = await server.createDeveloper('Evidence A');
    devB = await server.createDeveloper('Evidence B');
  });
  afterAll(() => server.close());

  const upload = (body: unknown, dev = devA, headers: Record<string, string> = {}) =>
    server.signed<Upload>(dev, 'POST', '/alibaba/refund/voucher/upload', { body, headers });
  const fetchUrl = (url: string) => fetch(url);
  const evidenceDir = (developId: string) => path.join(server.deps.config.dataDir, 'files', 'evidence', developId);

  it.each([
    ['jpeg', 'image/jpeg', 'jpg'],
    ['gif', 'image/gif', 'gif'],
    ['png', 'image/png', 'png'],
  ] as const)('stores a %s picture and answers its path and a link that shows it', async (format, type, ext) => {
    const bytes = await picture(format);
    const r = await upload({ imageBase64: bytes.toString('base64') });
    expectCode(r, 200);
    const data = r.body.data;
    expect(data.imageDomain).toBe(`${server.baseUrl}/files/`);
    expect(data.imageRelativeUrl).toBe(`evidence/${devA.developId}/${sha256(bytes)}.${ext}`);
    expect(data.contentType).toBe(type);
    expect(data.size).toBe(bytes.length);
    expect(data.expiresAt).toBe((Math.floor(clock.now() / 1000) + 3600) * 1000);
    expect(data.url.startsWith(`${data.imageDomain}${data.imageRelativeUrl}?expires=`)).toBe(true);

    const res = await fetchUrl(data.url);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe(type);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('content-disposition')).toBe('inline');
    expect(res.headers.get('cache-control')).toMatch(/^private, max-age=(3[0-5][0-9]{2}|3600)$/);
    expect(Buffer.from(await res.arrayBuffer()).equals(bytes)).toBe(true);
  });

  it('stores a BMP as it was sent, once it has checked that it decodes', async () => {
    const bytes = bmp24(20, 10);
    const r = await upload({ imageData: `data:image/bmp;base64,${bytes.toString('base64')}` });
    expectCode(r, 200);
    expect(r.body.data.contentType).toBe('image/bmp');
    expect(r.body.data.imageRelativeUrl).toBe(`evidence/${devA.developId}/${sha256(bytes)}.bmp`);
    const res = await fetchUrl(r.body.data.url);
    expect(res.headers.get('content-type')).toBe('image/bmp');
    expect(Buffer.from(await res.arrayBuffer()).equals(bytes)).toBe(true);
  });

  it('takes a picture of exactly 1 MB and refuses one byte more', async () => {
    const exact = bmp24(512, 682, MB);
    expectCode(await upload({ imageBase64: exact.toString('base64') }), 200);
    const over = bmp24(512, 682, MB + 1);
    const r = await upload({ imageBase64: over.toString('base64') });
    expectCode(r, 40001, 'imageBase64');
    expect(r.body.msg).toContain(`larger than ${MB} bytes`);
  });

  it('refuses a real picture over 1 MB, naming the field', async () => {
    const big = await noisyPng(600, 600);
    expect(big.length).toBeGreaterThan(MB);
    const r = await upload({ imageData: big.toString('base64') });
    expectCode(r, 40001, 'imageData');
    expect(r.body.msg).toContain('larger than');
  });

  it('refuses what is not a JPEG, GIF, PNG or BMP by its content, whatever it claims to be', async () => {
    const webp = await picture('webp');
    const cases: [string, string, string][] = [
      [`data:image/jpeg;base64,${webp.toString('base64')}`, 'imageBase64', 'not a JPEG, GIF, PNG or BMP picture'],
      [Buffer.from('just some text, not a picture').toString('base64'), 'imageData', 'not a JPEG, GIF, PNG or BMP'],
      ['', 'imageBase64', 'the picture is empty'],
      ['data:image/png;base64,', 'imageData', 'the picture is empty'],
      ['not base64 at all!', 'imageBase64', 'not base64'],
    ];
    for (const [text, field, reason] of cases) {
      const r = await upload({ [field]: text });
      expectCode(r, 40001, field);
      expect(r.body.msg, text.slice(0, 40)).toContain(reason);
    }
  });

  it('refuses a picture that does not decode: truncated, or a BMP it cannot read', async () => {
    const png = await picture('png', 200, 120);
    const truncated = png.subarray(0, Math.floor(png.length * 0.7));
    const r1 = await upload({ imageBase64: truncated.toString('base64') });
    expectCode(r1, 40001, 'imageBase64');
    expect(r1.body.msg).toContain('cannot be read');

    const jpeg = await picture('jpeg', 200, 120);
    expectCode(await upload({ imageData: jpeg.subarray(0, jpeg.length - 200).toString('base64') }), 40001, 'imageData');

    const rle = bmp24(20, 10);
    rle.writeUInt32LE(1, 30); // BI_RLE8
    const r2 = await upload({ imageBase64: rle.toString('base64') });
    expectCode(r2, 40001, 'imageBase64');
    expect(r2.body.msg).toContain('uncompressed');
    const short = bmp24(20, 10).subarray(0, 200);
    expectCode(await upload({ imageBase64: short.toString('base64') }), 40001, 'imageBase64');
  });

  it('takes exactly one of imageBase64 and imageData, and says why in the caller’s language', async () => {
    const png = (await picture('png')).toString('base64');
    const both = await upload({ imageBase64: png, imageData: png });
    expectCode(both, 40001, 'imageBase64');
    expect(both.body.msg).toContain('exactly one of imageBase64 and imageData');
    expectCode(await upload({}), 40001, 'imageBase64');
    expectCode(await upload({ imageBase64: png, extra: 1 }), 40001, 'extra');
    const vi = await upload({ imageBase64: 'R0lGODlh', country: 'vi' });
    expectCode(vi, 40001);
    expect(vi.body.msg).toContain('Tham số imageBase64 không hợp lệ');
  });

  it('answers the same path for the same picture, and keeps one file', async () => {
    const bytes = await picture('png', 40, 40, 17);
    const first = await upload({ imageBase64: bytes.toString('base64') });
    const second = await upload({ imageData: `data:image/png;base64,${bytes.toString('base64')}` });
    expect(second.body.data.imageRelativeUrl).toBe(first.body.data.imageRelativeUrl);
    const name = `${sha256(bytes)}.png`;
    expect(fs.readdirSync(evidenceDir(devA.developId)).filter((f) => f.startsWith(name))).toEqual([
      name,
      `${name}.type`,
    ]);
  });

  it('replays its answer to a retry with the same Idempotency-Key', async () => {
    const body = { imageBase64: (await picture('jpeg', 18, 18, 250)).toString('base64') };
    const headers = { 'Idempotency-Key': `evidence-${clock.now()}` };
    const first = await upload(body, devA, headers);
    const again = await upload(body, devA, headers);
    expectCode(again, 200);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body.data).toEqual(first.body.data);
  });

  it('refuses a body far larger than a 1 MB picture before reading it', async () => {
    const r = await upload({ imageBase64: 'A'.repeat(3 * MB) });
    expectCode(r, 41301);
  });

  describe('GET /files/...', () => {
    let data: Upload;
    beforeAll(async () => {
      const r = await upload({ imageBase64: (await picture('jpeg', 24, 24, 3)).toString('base64') });
      data = r.body.data;
    });

    it('refuses a link without its signature, with another one, or changed in any part', async () => {
      const url = new URL(data.url);
      const expires = url.searchParams.get('expires') as string;
      const signature = url.searchParams.get('signature') as string;
      const base = `${url.origin}${url.pathname}`;
      const other = signature.startsWith('A') ? `B${signature.slice(1)}` : `A${signature.slice(1)}`;
      for (const bad of [
        base,
        `${base}?expires=${expires}`,
        `${base}?signature=${signature}`,
        `${base}?expires=${expires}&signature=${other}`,
        `${base}?expires=${Number(expires) + 60}&signature=${signature}`,
        `${base}?expires=${expires}&signature=${signature}&signature=${signature}`,
        `${url.origin}/files/evidence/${devB.developId}/${data.imageRelativeUrl.split('/')[2]}${url.search}`,
      ]) {
        const res = await fetchUrl(bad);
        expect(res.status, bad).toBe(403);
        expect(res.headers.get('cache-control')).toBe('no-store');
        expect(await res.text()).not.toContain('\xff\xd8');
      }
      expect((await fetchUrl(data.url)).status).toBe(200);
    });

    it('never lists a folder, and refuses paths that leave the store', async () => {
      const { search } = new URL(data.url);
      for (const p of [
        '/files/evidence',
        `/files/evidence/${devA.developId}/`,
        '/files/evidence%2F..%2F..%2Fmaster.key',
      ]) {
        expect((await fetchUrl(`${server.baseUrl}${p}${search}`)).status, p).toBe(403);
      }
      // The bare prefix is no route at all.
      expect((await server.request('GET', '/files/')).body.code).toBe(40401);
      // A folder signed by hand is still no file.
      const folder = server.deps.files.signedUrl(`evidence/${devA.developId}`, clock.now() + 60_000);
      expect((await fetchUrl(folder)).status).toBe(404);
    });

    it('answers 404 once the file is gone', async () => {
      const bytes = await picture('gif', 10, 10, 99);
      const r = await upload({ imageBase64: bytes.toString('base64') });
      await server.deps.files.delete(r.body.data.imageRelativeUrl);
      const res = await fetchUrl(r.body.data.url);
      expect(res.status).toBe(404);
      expect(res.headers.get('cache-control')).toBe('no-store');
    });

    it('stops serving a link once it expires', async () => {
      const bytes = await picture('png', 12, 12, 201);
      const r = await upload({ imageBase64: bytes.toString('base64') });
      expect((await fetchUrl(r.body.data.url)).status).toBe(200);
      clock.advance(3599_000);
      const late = await fetchUrl(r.body.data.url);
      expect(late.status).toBe(200);
      expect(Number(/max-age=(\d+)/.exec(late.headers.get('cache-control') ?? '')?.[1])).toBeLessThanOrEqual(1);
      clock.advance(1000);
      expect((await fetchUrl(r.body.data.url)).status).toBe(403);
      // A fresh upload of the same picture answers the same path with a new link.
      const again = await upload({ imageBase64: bytes.toString('base64') });
      expect(again.body.data.imageRelativeUrl).toBe(r.body.data.imageRelativeUrl);
      expect((await fetchUrl(again.body.data.url)).status).toBe(200);
    });
  });

  describe('resolveEvidence', () => {
    const resolve = (developId: string, refs: string[]) => resolveEvidence(server.deps, developId, refs, 'vouchers');
    let mine: Upload;
    let theirs: Upload;
    beforeAll(async () => {
      mine = (await upload({ imageBase64: (await picture('png', 30, 30, 1)).toString('base64') })).body.data;
      theirs = (await upload({ imageBase64: (await picture('png', 30, 30, 2)).toString('base64') }, devB)).body.data;
    });

    it('reads every form an upload answered, and collapses repeats', async () => {
      const key = mine.imageRelativeUrl;
      const keys = await resolve(devA.developId, [
        key,
        `/files/${key}`,
        `${mine.imageDomain}${key}`,
        mine.url,
        `${mine.imageDomain}${key}?expires=1&signature=whatever`,
        ` ${key} `,
      ]);
      expect(keys).toEqual([key]);
    });

    it('stores a data: picture on the spot, under the developer, and keeps the order given', async () => {
      const bytes = await picture('gif', 14, 14, 77);
      const keys = await resolve(devA.developId, [
        `data:image/gif;base64,${bytes.toString('base64')}`,
        mine.imageRelativeUrl,
      ]);
      expect(keys).toEqual([`evidence/${devA.developId}/${sha256(bytes)}.gif`, mine.imageRelativeUrl]);
      expect((await server.deps.files.get(keys[0] as string))?.bytes.equals(bytes)).toBe(true);
      const webp = await picture('webp');
      const bad = await refusal(
        resolve(devA.developId, [mine.imageRelativeUrl, `data:image/webp;base64,${webp.toString('base64')}`]),
      );
      expect(bad.code).toBe(40001);
      expect(bad.message).toContain('parameter vouchers[1]: not a JPEG, GIF, PNG or BMP picture');
    });

    it('does not let a developer name another developer’s picture, in any form', async () => {
      for (const ref of [theirs.imageRelativeUrl, `/files/${theirs.imageRelativeUrl}`, theirs.url]) {
        const err = await refusal(resolve(devA.developId, [mine.imageRelativeUrl, ref]));
        expect(err.code).toBe(40001);
        expect(err.message, ref).toContain('parameter vouchers[1]: no picture you uploaded is stored at this path');
      }
      // B may use its own.
      expect(await resolve(devB.developId, [theirs.url])).toEqual([theirs.imageRelativeUrl]);
    });

    it('refuses a malformed reference, a missing picture and more than 10, naming where', async () => {
      const malformed = [
        'https://elsewhere.example.com/x.jpg',
        `https://elsewhere.example.com/files/${mine.imageRelativeUrl}`,
        `vouchers/${devA.developId}/${mine.imageRelativeUrl.split('/')[2]}`,
        `evidence/${devA.developId}/../../master.key`,
        `evidence/${devA.developId}/abc.jpg`,
        mine.imageRelativeUrl.replace('.png', '.webp'),
        '',
      ];
      for (const ref of malformed) {
        const err = await refusal(resolve(devA.developId, [ref]));
        expect(err.message, ref).toContain('parameter vouchers[0]: not a picture path answered by');
      }
      const missing = `evidence/${devA.developId}/${'0'.repeat(64)}.jpg`;
      const gone = await refusal(resolve(devA.developId, [mine.imageRelativeUrl, mine.imageRelativeUrl, missing]));
      expect(gone.message).toContain('parameter vouchers[2]: no picture you uploaded');

      const eleven = Array.from({ length: EVIDENCE_MAX_PICTURES + 1 }, () => mine.imageRelativeUrl);
      const many = await refusal(resolve(devA.developId, eleven));
      expect(many.message).toContain('parameter vouchers: at most 10 pictures');
      expect(await resolve(devA.developId, eleven.slice(1))).toEqual([mine.imageRelativeUrl]);
      expect(await resolve(devA.developId, [])).toEqual([]);
    });
  });
});
