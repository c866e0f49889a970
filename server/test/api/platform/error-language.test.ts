import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Credentials, type Reply, startServer, type TestServer } from '../../harness.js';

/**
 * Every error's `msg` is one sentence in the request's language, the reason included: `language` or
 * 1688's `country` in the body (read even when the body is invalid), then in the query, then
 * Accept-Language, then English.
 */

const KEYWORDS = '/alibaba/product/keywords/query';
const TAOBAO_SEARCH = '/open/product/item/search';
const IMAGE_SEARCH = '/open/product/image/search';

/** Words of Ajv's and the project's English that must not show through in another language. */
const ENGLISH = /must|should|required|unknown field|invalid|not base64/i;

describe('error messages in the request language', () => {
  let server: TestServer;
  let dev: Credentials;
  beforeAll(async () => {
    server = await startServer({
      env: { SANDBOX_GOODS: '150', SANDBOX_SEED: '4', RATE_LIMIT_PER_SECOND: '10000', RATE_LIMIT_BURST: '10000' },
    });
    dev = await server.createDeveloper();
  });
  afterAll(() => server.close());

  const post = (url: string, body: unknown, headers: Record<string, string> = {}) =>
    server.signed(dev, 'POST', url, { body, headers });
  const get = (url: string, headers: Record<string, string> = {}) => server.signed(dev, 'GET', url, { headers });

  /** A 40001 answer whose msg is exactly `msg`. */
  function expectInvalid(r: Reply, msg: string): void {
    expect(r.status, r.text).toBe(400);
    expect(r.body.code, r.text).toBe(40001);
    expect(r.body.data).toBeNull();
    expect(r.body.msg).toBe(msg);
  }

  it("answers a validation error in 1688's country, reason included", async () => {
    const r = await post(KEYWORDS, { keyword: 'shoes', beginPage: 0, country: 'vi' });
    expectInvalid(r, 'Tham số beginPage không hợp lệ: phải lớn hơn hoặc bằng 1');
    expect(r.body.msg).not.toMatch(ENGLISH);
  });

  it('answers it in the language of Accept-Language when the body names none', async () => {
    const r = await post(KEYWORDS, { keyword: 'shoes', beginPage: 0 }, { 'accept-language': 'th' });
    expectInvalid(r, 'พารามิเตอร์ beginPage ไม่ถูกต้อง: ต้อง >= 1');
  });

  it("answers it in Taobao's language field", async () => {
    const r = await post(TAOBAO_SEARCH, { keyword: 'x', pageSize: 999, language: 'es' });
    expectInvalid(r, 'Parámetro pageSize no válido: debe ser <= 40');
  });

  it('names a missing required field in Chinese', async () => {
    const r = await get('/open/product/get?language=zh');
    expectInvalid(r, '参数 itemId 无效：必填');
  });

  it('names an unknown field in each of the five languages', async () => {
    const expected = {
      en: 'Invalid parameter color: unknown field',
      zh: '参数 color 无效：未知字段',
      vi: 'Tham số color không hợp lệ: trường không xác định',
      th: 'พารามิเตอร์ color ไม่ถูกต้อง: ไม่รู้จักฟิลด์นี้',
      es: 'Parámetro color no válido: campo desconocido',
    };
    for (const [language, msg] of Object.entries(expected)) {
      expectInvalid(await post(TAOBAO_SEARCH, { keyword: 'x', color: 'red', language }), msg);
      expectInvalid(await post(KEYWORDS, { keyword: 'x', color: 'red', country: language }), msg);
    }
  });

  it('says what type a field takes', async () => {
    expectInvalid(
      await post(KEYWORDS, { beginPage: 'first', country: 'vi' }),
      'Tham số beginPage không hợp lệ: phải là số nguyên',
    );
    expectInvalid(
      await post(KEYWORDS, { beginPage: 'first', country: 'zh' }),
      '参数 beginPage 无效：应当是 integer 类型',
    );
    expectInvalid(await post(KEYWORDS, { beginPage: 'first' }), 'Invalid parameter beginPage: must be integer');
  });

  it('lists the values an enumerated field takes', async () => {
    // `country` is an enum; an unsupported value of it names no language, so Accept-Language decides.
    expectInvalid(
      await post(KEYWORDS, { country: 'fr' }, { 'accept-language': 'vi' }),
      'Tham số country không hợp lệ: phải là một trong các giá trị: en, zh, vi, th, es',
    );
    // Taobao's `language` is a union of literals: the same sentence.
    expectInvalid(
      await post(TAOBAO_SEARCH, { language: 'fr' }, { 'accept-language': 'es' }),
      'Parámetro language no válido: debe ser uno de en, zh, vi, th, es',
    );
  });

  it("translates the project's own reasons", async () => {
    const r = await post(IMAGE_SEARCH, { imageBase64: '!!! not a picture !!!', language: 'vi' });
    expectInvalid(r, 'Tham số imageBase64 không hợp lệ: không phải base64');
    const none = await post(IMAGE_SEARCH, { language: 'th' });
    expectInvalid(none, 'พารามิเตอร์ imageBase64 ไม่ถูกต้อง: โปรดระบุ imageBase64 หรือ imageAddress');
    const sort = await post(KEYWORDS, { sort: '{"colour":"asc"}', country: 'zh' });
    expectInvalid(sort, '参数 sort 无效：未知的键 colour；请按 price 或 sales 排序');
  });

  it('lets the body language win over Accept-Language', async () => {
    const r = await post(KEYWORDS, { beginPage: 0, country: 'es' }, { 'accept-language': 'vi' });
    expectInvalid(r, 'Parámetro beginPage no válido: debe ser >= 1');
    const both = await post(KEYWORDS, { beginPage: 0, language: 'zh', country: 'es' });
    expect(both.body.msg).toContain('参数');
  });

  it('reads the language from the query of a GET', async () => {
    expectInvalid(
      await get('/open/product/get?itemId=abc&language=zh'),
      '参数 itemId 无效：应当匹配模式 "^[0-9]{1,20}$"',
    );
    expectInvalid(
      await get('/open/product/get?itemId=abc&language=vi'),
      'Tham số itemId không hợp lệ: phải khớp với mẫu "^[0-9]{1,20}$"',
    );
  });

  it("follows 1688's country in a success's msg too", async () => {
    const r = await post(KEYWORDS, { keyword: 'shoes', country: 'vi' }, { 'accept-language': 'th' });
    expect(r.body.code, r.text).toBe(200);
    expect(r.body.msg).toBe('thành công');
  });

  it('keeps English when nothing names a language', async () => {
    const r = await post(KEYWORDS, { keyword: 'shoes', beginPage: 0 });
    expectInvalid(r, 'Invalid parameter beginPage: must be >= 1');
  });

  it('translates what was not found', async () => {
    const r = await get('/open/user/get?userId=999', { 'accept-language': 'vi' });
    expect(r.body.code, r.text).toBe(40401);
    expect(r.body.msg).toBe('Không tìm thấy: tài khoản phụ 999');
    const es = await get('/open/product/get?itemId=1&language=es');
    expect(es.body.code, es.text).toBe(40401);
    expect(es.body.msg).toBe('No encontrado: artículo 1');
  });

  it('answers an authentication error in Spanish', async () => {
    const stranger = { ...dev, accessKey: 'AK-unknown-to-this-server' };
    const r = await server.signed(stranger, 'POST', KEYWORDS, {
      body: { keyword: 'x' },
      headers: { 'accept-language': 'es' },
    });
    expect(r.body.code, r.text).toBe(40105);
    expect(r.body.msg).toBe('Clave de acceso desconocida o deshabilitada');
  });

  it('answers a malformed system parameter in the language of the body', async () => {
    const r = await server.signed(dev, 'POST', KEYWORDS, { body: { keyword: 'x', country: 'vi' }, nonce: 'short' });
    expectInvalid(r, 'Tham số nonce-str không hợp lệ: từ 8 đến 64 ký tự [A-Za-z0-9_-]');
  });
});
