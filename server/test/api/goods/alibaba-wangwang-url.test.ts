import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AlibabaServer, expectInvalid, startAlibabaServer } from './alibaba-harness.js';

interface Wangwang {
  sellerOpenId: string;
  wangwangNick: string;
  url: string;
}

const ENDPOINT = '/alibaba/product/wangwang/url';

describe('POST /alibaba/product/wangwang/url (A2)', () => {
  let a: AlibabaServer;
  let sellerOpenId: string;
  beforeAll(async () => {
    a = await startAlibabaServer();
    const good = await a.post<{ sellerOpenId: string }>('/alibaba/product/detail/get', { offerId: a.offerIds[0] });
    sellerOpenId = good.body.data.sellerOpenId;
  });
  afterAll(() => a.close());

  const wangwang = (body: unknown) => a.post<Wangwang>(ENDPOINT, body);

  it('decodes the seller id of a good into the supplier’s Wangwang nickname and chat link', async () => {
    const r = await wangwang({ sellerOpenId });
    expect(r.body.code).toBe(200);
    const { wangwangNick, url } = r.body.data;
    expect(r.body.data.sellerOpenId).toBe(sellerOpenId);
    expect(wangwangNick).toMatch(/^cn[a-z]+\d+$/);
    expect(new URL(url).searchParams.get('uid')).toBe(wangwangNick);
    expect(url).toMatch(/^https:\/\//);
  });

  it('gives each supplier its own nickname', async () => {
    const others = await a.post<{ data: { sellerOpenId: string }[] }>('/alibaba/product/keywords/query', {
      pageSize: 50,
    });
    const ids = [...new Set(others.body.data.data.map((g) => g.sellerOpenId))];
    expect(ids.length).toBeGreaterThan(1);
    const nicks = await Promise.all(
      ids.map(async (id) => (await wangwang({ sellerOpenId: id })).body.data.wangwangNick),
    );
    expect(new Set(nicks).size).toBe(ids.length);
  });

  it('answers 40401 for an unknown seller id', async () => {
    const r = await wangwang({ sellerOpenId: 'BBBwAN4GQ60zRPzBkv7BYPJRQ' });
    expect(r.status).toBe(404);
    expect(r.body.code).toBe(40401);
    expect(r.body.msg).toContain('BBBwAN4GQ60zRPzBkv7BYPJRQ');
  });

  it('answers 40001 naming the field for a missing or malformed seller id', async () => {
    expectInvalid(await wangwang({}), 'sellerOpenId');
    expectInvalid(await wangwang({ sellerOpenId: '' }), 'sellerOpenId');
    expectInvalid(await wangwang({ sellerOpenId: 'not an id' }), 'sellerOpenId');
    expectInvalid(await wangwang({ sellerOpenId, extra: 1 }), 'extra');
  });

  it('answers 50201 and 50401 when either marketplace lookup fails or hangs', async () => {
    for (const operation of ['getSupplier', 'wangwangUrl']) {
      await a.fault(operation, 'error');
      const failed = await wangwang({ sellerOpenId });
      await a.fault(operation, 'timeout');
      const late = await wangwang({ sellerOpenId });
      await a.clearFaults();
      expect(failed.body.code, operation).toBe(50201);
      expect(late.body.code, operation).toBe(50401);
    }
    expect((await wangwang({ sellerOpenId })).body.code).toBe(200);
  });
});
