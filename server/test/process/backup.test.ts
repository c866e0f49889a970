import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual, promisify } from 'node:util';
import { signRequest } from '@ponte/sdk/signing';
import Sqlite from 'better-sqlite3';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { createBackup } from '../../src/platform/backup/backup.js';
import { BackupError } from '../../src/platform/backup/manifest.js';
import { restoreBackup } from '../../src/platform/backup/restore.js';
import { openDatabase } from '../../src/platform/db/database.js';
import { picture } from '../api/payments/payments-fixtures.js';
import { type Credentials, createTestDatabase, TEST_DB, type TestDatabase } from '../harness.js';
import { expectLedgerBalanced } from '../ledger.js';
import { type ServerProcesses, spawnServers } from '../processes.js';
import { waitFor } from '../wait.js';

/**
 * `ponte backup` and `ponte restore` on real processes: a backup taken while a server writes is consistent; one taken
 * with the writes stopped restores to the same rows, sandbox store and files, and a server started on the restored
 * data answers as the source did; and every refusal (a damaged file, an occupied target, another master key, an
 * unfinished backup, a target in use) changes nothing.
 */
const PONTE_BIN = fileURLToPath(new URL('../../bin/ponte.js', import.meta.url));
// The same public URL for the source's server and the restored one: links in answers are made from it.
const SETTINGS = { SANDBOX_GOODS: '40', SANDBOX_SEED: '4', PUBLIC_URL: 'http://ponte.test' };
/** Inherited settings that would point the command at another deployment than the test's. */
const DEPLOYMENT_VARIABLES = [
  'DATABASE_URL',
  'PONTE_DATA_DIR',
  'PONTE_SQLITE_FILE',
  'SANDBOX_FILE',
  'PONTE_MASTER_KEY',
];

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** The compiled `ponte` command with only `env` describing the deployment. */
async function ponte(args: string[], env: Record<string, string>): Promise<Run> {
  const base = { ...process.env };
  for (const name of DEPLOYMENT_VARIABLES) delete base[name];
  try {
    const r = await promisify(execFile)(process.execPath, [PONTE_BIN, ...args], {
      env: { ...base, ...SETTINGS, ...env },
      timeout: 60_000,
    });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

/**
 * A refusal of `ponte restore` or `ponte backup` checked in this process (the command's work, as its action runs it):
 * the refusals need no process of their own, and starting the command costs about a second of CPU each time.
 */
async function refusal(
  command: 'restore' | 'backup',
  options: { dir: string; force?: boolean },
  env: Record<string, string>,
): Promise<Run> {
  const deps = {
    config: loadConfig({ ...SETTINGS, ...env }),
    pgBinDir: process.env.PONTE_PG_BINDIR || undefined,
    now: () => new Date(),
    log: () => undefined,
  };
  try {
    if (command === 'restore') await restoreBackup(deps, options);
    else await createBackup(deps, { out: options.dir });
    return { code: 0, stdout: '', stderr: '' };
  } catch (err) {
    if (!(err instanceof BackupError)) throw err;
    return { code: 1, stdout: '', stderr: `ponte ${command}: ${err.message}\n` };
  }
}

type Rows = Record<string, unknown>[];
type Tables = Record<string, Rows>;

/** Rows in an order that does not depend on how they were stored. */
const sorted = (rows: Rows) =>
  rows
    .map((row) => ({
      row,
      key: JSON.stringify(row, (_, v) => (v?.type === 'Buffer' ? Buffer.from(v).toString('hex') : v)),
    }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .map((r) => r.row);

function sqliteTables(file: string): Tables {
  const db = new Sqlite(file, { fileMustExist: true });
  try {
    const names = db
      .prepare(`select name from sqlite_master where type = 'table' and name not like 'sqlite_%'`)
      .pluck();
    return Object.fromEntries(
      (names.all() as string[]).map((t) => [t, sorted(db.prepare(`select * from "${t}"`).all() as Rows)]),
    );
  } finally {
    db.close();
  }
}

async function mainTables(target: TestDatabase): Promise<Tables> {
  if (!target.env.DATABASE_URL) return sqliteTables(path.join(target.dataDir, 'ponte.db'));
  const client = new pg.Client({ connectionString: target.env.DATABASE_URL });
  await client.connect();
  try {
    const names = await client.query<{ t: string }>(
      'select tablename as t from pg_tables where schemaname = current_schema()',
    );
    const out: Tables = {};
    for (const { t } of names.rows) out[t] = sorted((await client.query(`select * from "${t}"`)).rows);
    return out;
  } finally {
    await client.end();
  }
}

function storedFiles(dataDir: string): Record<string, Buffer> {
  const root = path.join(dataDir, 'files');
  if (!fs.existsSync(root)) return {};
  const names = fs.readdirSync(root, { recursive: true, encoding: 'utf8' }).sort();
  const files = names.filter((n) => fs.statSync(path.join(root, n)).isFile());
  return Object.fromEntries(files.map((n) => [n, fs.readFileSync(path.join(root, n))]));
}

interface Snapshot {
  main: Tables;
  sandbox: Tables;
  files: Record<string, Buffer>;
}

const snapshot = async (target: TestDatabase): Promise<Snapshot> => ({
  main: await mainTables(target),
  sandbox: sqliteTables(path.join(target.dataDir, 'sandbox.db')),
  files: storedFiles(target.dataDir),
});

/** Which of two states of the source `actual` is: the backup's moment lies between them. */
const oneOf = <T>(actual: T, before: T, after: T): T => (isDeepStrictEqual(actual, after) ? after : before);

const manifestOf = (dir: string) =>
  JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as {
    tables: Record<string, number>;
    files: { path: string }[];
    masterKey: { fingerprint: string; included: boolean };
  };

const counts = (tables: Tables) => Object.fromEntries(Object.entries(tables).map(([t, rows]) => [t, rows.length]));

/** True when nothing was written into a target the test created empty. */
async function isEmpty(target: TestDatabase): Promise<boolean> {
  const tables = target.env.DATABASE_URL ? Object.keys(await mainTables(target)) : [];
  return fs.readdirSync(target.dataDir).length === 0 && tables.length === 0;
}

describe(`ponte backup and ponte restore (${TEST_DB})`, () => {
  const targets: TestDatabase[] = [];
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'ponte-backups-'));
  let source: TestDatabase;
  let servers: ServerProcesses | undefined;
  let restoredServers: ServerProcesses | undefined;
  let adminToken: string;
  let dev: Credentials;
  let paidOrderId: string;

  const target = async () => {
    const t = await createTestDatabase();
    targets.push(t);
    return t;
  };
  const call = async <T>(base: string, route: string, init: RequestInit) => {
    const res = await fetch(`${base}${route}`, init);
    const body = (await res.json()) as { code: number; msg: string; data: T };
    expect(body.code, `${route}: ${body.msg}`).toBe(200);
    return body.data;
  };
  const admin = <T>(route: string, body: unknown) =>
    call<T>(servers?.urls[0] ?? '', route, {
      method: 'POST',
      body: JSON.stringify(body),
      headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
    });
  const signed = <T>(base: string, method: string, route: string, body?: unknown) => {
    const text = body === undefined ? undefined : JSON.stringify(body);
    const headers = signRequest({ method, url: route, body: text, ...dev });
    return call<T>(base, route, {
      method,
      body: text,
      headers: { ...headers, ...(text === undefined ? {} : { 'content-type': 'application/json' }) },
    });
  };
  let sku: { itemId: string; skuId: string };
  const order = (base: string) =>
    signed<{ orderId: string; totalPrice: number }>(base, 'POST', '/open/order', {
      orderLineList: [{ ...sku, quantity: 1 }],
      receiver: { name: 'Warehouse', mobile_phone: '13800000000', state: '广东省', city: '东莞市', address: '1 号' },
    });
  const topUp = (amount: number) =>
    admin(`/admin/developers/${dev.developId}/topups`, { amount, reference: `r-${randomBytes(6).toString('hex')}` });

  beforeAll(async () => {
    source = await createTestDatabase();
    servers = await spawnServers(1, { ...source.env, ...SETTINGS });
    adminToken = fs.readFileSync(path.join(source.dataDir, 'admin-token'), 'utf8').trim();
    const created = await admin<{
      developer: { developId: string };
      mainAccount: { userId: string };
      key: { accessKey: string; accessSecret: string };
    }>('/admin/developers', { name: 'Backed up' });
    dev = { developId: created.developer.developId, userId: created.mainAccount.userId, ...created.key };
    const market = new Sqlite(path.join(source.dataDir, 'sandbox.db'), { readonly: true });
    sku = market
      .prepare(
        `select s.good_id as itemId, s.sku_id as skuId from skus s join goods g on g.platform = s.platform
         and g.id = s.good_id where s.platform = 'taobao' and s.stock >= 500 and g.status = 'active'
         and g.mp_id is not null order by g.idx limit 1`,
      )
      .get() as { itemId: string; skuId: string };
    market.close();
    const base = servers.urls[0] ?? '';
    const paid = await order(base);
    await topUp(paid.totalPrice * 3);
    await signed(base, 'POST', '/open/order/pay', { orderId: paid.orderId });
    paidOrderId = paid.orderId;
    const unpaid = await order(base);
    const jpeg = await picture('jpeg', 64, 48);
    await signed(base, 'POST', '/open/order/pay/voucher/upload', {
      orderId: unpaid.orderId,
      amount: unpaid.totalPrice,
      reference: 'ICBC-1',
      picture: `data:image/jpeg;base64,${jpeg.toString('base64')}`,
    });
  }, 120_000);

  afterAll(async () => {
    await restoredServers?.stop();
    await servers?.stop();
    for (const t of [source, ...targets]) await t?.drop();
    fs.rmSync(work, { recursive: true, force: true });
  });

  /** The backup taken with the writes stopped, where it was restored, and what the restore gave. */
  let quiet: { dir: string; restored: TestDatabase; copy: Snapshot };
  let online: string;

  it('a backup taken while a server writes: a state between the two around it, consistent, ledger balanced', async () => {
    const base = servers?.urls[0] ?? '';
    const before = counts(await mainTables(source));
    let stop = false;
    let writes = 0;
    const writer = (async () => {
      while (!stop) {
        await topUp(100);
        await order(base);
        writes++;
      }
    })();
    await waitFor(() => writes >= 2, { timeoutMs: 20_000 });
    online = path.join(work, 'online');
    const run = await ponte(['backup', '--out', online], source.env);
    stop = true;
    await writer;
    const after = counts(await mainTables(source));
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(`backup written to ${online}`);
    expect(run.stdout).toContain('is not in the backup: keep it separately');
    expect(fs.existsSync(`${online}.partial`)).toBe(false);
    const { tables } = manifestOf(online);
    for (const [table, n] of Object.entries(tables)) {
      expect(n, table).toBeGreaterThanOrEqual(before[table] ?? 0);
      expect(n, table).toBeLessThanOrEqual(after[table] ?? 0);
    }
    // Taken while the writes went on: neither the state before the command nor the one after it.
    expect(tables.topups).toBeGreaterThan(before.topups ?? 0);
    expect(tables.topups).toBeLessThan(after.topups ?? 0);

    const restored = await target();
    const key = fs.readFileSync(path.join(source.dataDir, 'master.key'), 'utf8').trim();
    const r = await ponte(['restore', online], { ...restored.env, PONTE_MASTER_KEY: key });
    expect(r.code, r.stderr).toBe(0);
    expect(counts(await mainTables(restored))).toEqual(tables);
    const database = openDatabase({
      databaseUrl: restored.env.DATABASE_URL,
      sqliteFile: path.join(restored.dataDir, 'ponte.db'),
      dbPoolSize: 2,
    });
    try {
      await expectLedgerBalanced(database.db);
    } finally {
      await database.close();
    }
  }, 60_000);

  it('with the writes stopped: the same rows, sandbox store, files and master key; a server on it answers alike', async () => {
    const base = servers?.urls[0] ?? '';
    // Signed requests record their nonces: read before the state is taken.
    const balance = await signed(base, 'GET', '/open/account/balance');
    const detail = await signed(base, 'GET', `/open/order/get?orderId=${paidOrderId}`);
    const before = await snapshot(source);
    const dir = path.join(work, 'quiet');
    const run = await ponte(['backup', '--out', dir, '--include-master-key'], source.env);
    const after = await snapshot(source);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('is IN the backup');
    expect(Object.keys(before.files).filter((f) => f.startsWith('vouchers/'))).toHaveLength(2);

    const restored = await target();
    const r = await ponte(['restore', dir], restored.env);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`written to ${path.join(restored.dataDir, 'master.key')}`);
    const copy = await snapshot(restored);
    expect(copy.main).toEqual(oneOf(copy.main, before.main, after.main));
    expect(copy.sandbox).toEqual(oneOf(copy.sandbox, before.sandbox, after.sandbox));
    expect(copy.files).toEqual(before.files);
    expect(fs.readFileSync(path.join(restored.dataDir, 'master.key'), 'utf8')).toBe(
      fs.readFileSync(path.join(source.dataDir, 'master.key'), 'utf8'),
    );
    quiet = { dir, restored, copy };

    restoredServers = await spawnServers(1, { ...restored.env, ...SETTINGS });
    const again = restoredServers.urls[0] ?? '';
    expect(await signed(again, 'GET', '/open/account/balance')).toEqual(balance);
    expect(await signed(again, 'GET', `/open/order/get?orderId=${paidOrderId}`)).toEqual(detail);
    await restoredServers.stop();
    restoredServers = undefined;
  }, 60_000);

  it('refuses a target that holds data and leaves it as it was; --force replaces it with the backup', async () => {
    const { dir, restored, copy } = quiet;
    // The restored server has written since (nonces, its id node): the target is not the backup any more.
    const used = await snapshot(restored);
    const refused = await ponte(['restore', dir], restored.env);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('not restored, nothing was changed');
    expect(refused.stderr).toContain(`the file store ${path.join(restored.dataDir, 'files')} holds 2 files`);
    expect(await snapshot(restored)).toEqual(used);

    const forced = await ponte(['restore', dir, '--force'], restored.env);
    expect(forced.code, forced.stderr).toBe(0);
    expect(await snapshot(restored)).toEqual(copy);
  }, 60_000);

  it('refuses a damaged file, another master key and an unfinished backup, naming why, and writes nothing', async () => {
    const empty = await target();
    const damaged = path.join(work, 'damaged');
    fs.cpSync(quiet.dir, damaged, { recursive: true });
    const voucher = manifestOf(damaged).files.find((f) => /^files\/vouchers\/.*\.jpg$/.test(f.path));
    const file = path.join(damaged, voucher?.path ?? '');
    const bytes = fs.readFileSync(file);
    bytes[bytes.length - 1] = (bytes[bytes.length - 1] ?? 0) ^ 0xff;
    fs.writeFileSync(file, bytes);
    const tampered = await refusal('restore', { dir: damaged }, empty.env);
    expect(tampered.code).toBe(1);
    expect(tampered.stderr).toContain(`the backup is damaged: ${voucher?.path} does not match its checksum`);

    const otherKey = await refusal(
      'restore',
      { dir: online },
      {
        ...empty.env,
        PONTE_MASTER_KEY: randomBytes(32).toString('base64'),
      },
    );
    expect(otherKey.code).toBe(1);
    expect(otherKey.stderr).toContain(
      `is not the one the backup's secrets are sealed with (fingerprint ${manifestOf(online).masterKey.fingerprint})`,
    );
    const noKey = await refusal('restore', { dir: online }, empty.env);
    expect(noKey.code).toBe(1);
    expect(noKey.stderr).toContain('no master key is configured and the backup does not hold one');

    const partial = path.join(work, 'crashed.partial');
    fs.cpSync(quiet.dir, partial, { recursive: true });
    const unfinished = await refusal('restore', { dir: partial }, empty.env);
    expect(unfinished.code).toBe(1);
    expect(unfinished.stderr).toContain('is an unfinished backup (.partial)');

    const over = await refusal('backup', { dir: quiet.dir }, source.env);
    expect(over.code).toBe(1);
    expect(over.stderr).toContain(`${quiet.dir} already exists and is not an empty folder`);
    expect(await isEmpty(empty)).toBe(true);
  }, 60_000);

  it('refuses to restore under a running server, even with --force', async () => {
    const sandboxFile = path.join(source.dataDir, 'sandbox.db');
    const inode = (f: string) => fs.statSync(f).ino;
    const held = TEST_DB === 'sqlite' ? path.join(source.dataDir, 'ponte.db') : sandboxFile;
    const before = { inode: inode(held), rows: counts(await mainTables(source)), files: storedFiles(source.dataDir) };
    const r = await refusal('restore', { dir: quiet.dir, force: true }, source.env);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${held} is in use by another process`);
    expect({ inode: inode(held), rows: counts(await mainTables(source)), files: storedFiles(source.dataDir) }).toEqual(
      before,
    );
  }, 60_000);
});
