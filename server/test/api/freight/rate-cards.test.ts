import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SAMPLE_CHANNELS } from '../../../src/modules/freight/sample-channels.js';
import { json, ponte } from '../../cli/ponte-admin.js';
import { type Credentials, startServer, type TestServer } from '../../harness.js';

/**
 * The rate cards as the operator keeps them: the sample rates until an import, exported and imported as CSV (API and
 * CLI), checked whole with errors that name the row and column, and used by the next quote at once.
 */

interface Card {
  source: 'sample' | 'operator';
  channels: number;
  csv: string;
}
interface Estimate {
  channels: { freightInfo: { serviceId: string; companyName: string }; freight: number; sample: boolean }[];
}

let server: TestServer;
let dev: Credentials;
let item: { itemId: string; skuId: string };
let at: string[];
let dir: string;

const estimate = () =>
  server.signed<Estimate>(dev, 'POST', '/open/pp/logistics/itemLogisticsPrice', {
    body: { ...item, quantity: 1, receiverAddress: { country: 'DE' } },
  });

beforeAll(async () => {
  server = await startServer({ env: { SANDBOX_GOODS: '150', SANDBOX_SEED: '4' } });
  server.deps.sandbox?.ensureSeeded();
  dev = await server.createDeveloper('Freight rates');
  const search = await server.signed<{ list: { itemId: number }[] }>(dev, 'POST', '/open/product/item/search', {
    body: { keyword: '', pageSize: 5, pageNo: 1 },
  });
  const itemId = String(search.body.data.list[0]?.itemId);
  const product = await server.deps.market.taobao.getProduct(itemId);
  item = { itemId, skuId: product?.skus[0]?.skuId as string };
  at = ['--url', server.baseUrl, '--token', server.deps.adminToken];
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ponte-rates-'));
}, 120_000);
afterAll(async () => {
  await server?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('the rate cards', () => {
  it('are the sample rates until the operator imports some, and export as CSV', async () => {
    const r = await server.admin<Card>('GET', '/admin/freight/channels/csv');
    expect(r.body.code, r.text).toBe(200);
    expect(r.body.data.source).toBe('sample');
    expect(r.body.data.channels).toBe(SAMPLE_CHANNELS.length);
    const lines = r.body.data.csv.trim().split('\n');
    expect(lines[0]).toBe(
      'id,name,category,country,first_weight_g,first_price_fen,step_g,step_price_fen,volumetric_divisor,' +
        'max_weight_g,max_side_cm,max_girth_cm,refused,transit_min_days,transit_max_days,active,sample',
    );
    expect(lines).toHaveLength(SAMPLE_CHANNELS.length + 1);
    const quoted = await estimate();
    expect(quoted.body.code, quoted.text).toBe(200);
    expect(quoted.body.data.channels.every((c) => c.sample)).toBe(true);
  });

  it('import refuses a bad card whole, naming the row and column, and changes nothing', async () => {
    const card = (await server.admin<Card>('GET', '/admin/freight/channels/csv')).body.data.csv;
    const rows = card.trim().split('\n');
    const bad = (row: number, from: string, to: string) =>
      [...rows.slice(0, row), (rows[row] as string).replace(from, to), ...rows.slice(row + 1)].join('\n');
    const cases: [string, string][] = [
      [bad(3, ',express,', ',rocket,'), 'csv row 4, category'],
      [bad(1, ',5000,', ',-5,'), 'csv row 2, volumetric_divisor'],
      [bad(5, ',true,true', ',maybe,true'), 'csv row 6, active'],
      [`${rows.join('\n')}\n${rows[1]}`, 'csv row'],
      [rows[0] as string, 'csv'],
      ['id,name\n1,x', 'csv'],
    ];
    for (const [csv, field] of cases) {
      const r = await server.admin('PUT', '/admin/freight/channels/csv', { csv });
      expect(r.body.code, r.text).toBe(40001);
      expect(r.text).toContain(field);
    }
    expect((await server.admin<Card>('GET', '/admin/freight/channels/csv')).body.data.source).toBe('sample');
  });

  it('the CLI exports a file, an edited one imports, and the next quote uses the new rates', async () => {
    const file = path.join(dir, 'rates.csv');
    const exported = json<{ file: string; source: string; channels: number }>(
      await ponte(['freight', 'channels', 'export', '--out', file, ...at]),
    );
    expect(exported).toEqual({ file, source: 'sample', channels: SAMPLE_CHANNELS.length });
    // The operator's own: only Germany, one express line at a flat 99.00 CNY for anything up to 30 kg.
    const rows = fs.readFileSync(file, 'utf8').trim().split('\n');
    const germany = rows.filter((r) => r.includes(',DE,') && r.includes(',express,'));
    expect(germany).toHaveLength(1);
    const own = (germany[0] as string)
      .split(',')
      .map((v, i) => (i === 1 ? 'Forwarder DE' : i === 4 ? '30000' : i === 5 ? '9900' : i === 16 ? 'false' : v))
      .join(',');
    fs.writeFileSync(file, `${rows[0]}\n${own}\n`);
    const imported = json<{ source: string; channels: number; countries: string[] }>(
      await ponte(['freight', 'channels', 'import', file, ...at]),
    );
    expect(imported).toEqual({ source: 'operator', channels: 1, countries: ['DE'] });
    const quoted = await estimate();
    expect(quoted.body.code, quoted.text).toBe(200);
    expect(quoted.body.data.channels).toHaveLength(1);
    expect(quoted.body.data.channels[0]).toMatchObject({
      freightInfo: { companyName: 'Forwarder DE' },
      freight: 9900,
      sample: false,
    });
    // The samples no longer answer: the US has no channel now.
    const us = await server.signed(dev, 'POST', '/open/pp/logistics/itemLogisticsPrice', {
      body: { ...item, quantity: 1, receiverAddress: { country: 'US' } },
    });
    expect(us.body.code, us.text).toBe(40001);
    // Printed to standard output without --out.
    const printed = await ponte(['freight', 'channels', 'export', ...at]);
    expect(printed.code).toBe(0);
    expect(printed.stdout).toContain('Forwarder DE');
  });

  it('belong to the operator: a developer’s signature or no token is refused', async () => {
    const anonymous = await fetch(`${server.baseUrl}/admin/freight/channels/csv`);
    expect(anonymous.status).toBe(401);
    const missing = await ponte(['freight', 'channels', 'import', path.join(dir, 'nothing.csv'), ...at]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('cannot read');
  });
});
