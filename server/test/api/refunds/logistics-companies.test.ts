import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CARRIERS } from '../../../src/providers/sandbox/market/context.js';
import { type Credentials, startServer, type TestServer } from '../../harness.js';

interface Company {
  id: string;
  companyName: string;
  companyNameTrans: string;
  companyNo: string;
  companyPhone: string;
  supportPrint: boolean;
  spelling: string;
}

const URL_PATH = '/alibaba/logistics/company/list';

describe('GET /alibaba/logistics/company/list (A25)', () => {
  let server: TestServer;
  let dev: Credentials;
  beforeAll(async () => {
    server = await startServer();
    dev = await server.createDeveloper();
  });
  afterAll(() => server.close());

  const list = (query = '', headers: Record<string, string> = {}) =>
    server.signed<Company[]>(dev, 'GET', `${URL_PATH}${query}`, { headers });

  it('lists the marketplace’s carriers in 1688’s shape, their codes as companyNo', async () => {
    const r = await list();
    expect(r.body.code, r.text).toBe(200);
    expect(r.body.data).toEqual(
      CARRIERS.map((c) => ({
        id: c.code,
        companyName: c.name.zh,
        companyNameTrans: c.name.en,
        companyNo: c.code,
        companyPhone: '',
        supportPrint: false,
        spelling: c.name.en,
      })),
    );
    expect(r.body.data.map((c) => c.companyNo)).toContain('SF');
    expect(new Set(r.body.data.map((c) => c.companyNo)).size).toBe(r.body.data.length);
  });

  it('names them in the requested language: language, then country, then Accept-Language', async () => {
    const ems = CARRIERS.find((c) => c.code === 'EMS');
    const trans = async (query: string, headers: Record<string, string> = {}) =>
      (await list(query, headers)).body.data.find((c) => c.companyNo === 'EMS')?.companyNameTrans;
    expect(await trans('?language=vi')).toBe(ems?.name.vi);
    expect(await trans('?country=es')).toBe(ems?.name.es);
    expect(await trans('?language=th&country=es')).toBe(ems?.name.th);
    expect(await trans('', { 'accept-language': 'zh-CN' })).toBe(ems?.name.zh);
    const vi = await list('?language=vi');
    expect(vi.body.msg).toBe('thành công');
  });

  it('refuses an unknown parameter or language, and an unsigned request', async () => {
    const unknown = await list('?page=2');
    expect(unknown.body.code).toBe(40001);
    expect(unknown.body.msg).toContain('page');
    expect((await list('?language=fr')).body.code).toBe(40001);
    const unsigned = await server.request('GET', URL_PATH);
    expect(unsigned.status).toBe(401);
  });
});
