import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SecretBox } from '../../src/platform/crypto/secret-box.js';
import { type Database, migrateToLatest, openDatabase } from '../../src/platform/db/database.js';
import { StoredTokenSource } from '../../src/platform/upstream/token-store.js';
import { IopClient } from '../../src/providers/taobao-global/gateway.js';
import { iopTokenGrant } from '../../src/providers/taobao-global/token-grant.js';
import { buildIopFake, type IopFake } from '../../src/upstream-fakes/taobao-global/fake.js';
import { createTestDatabase, startServer, type TestDatabase, type TestServer, testConfig } from '../harness.js';
import { ensureBuilt } from '../processes.js';
import { quiet } from '../upstreams/fixtures.js';
import type { Run } from './ponte-admin.js';

// `ponte` runs the compiled server: build it first when the sources are newer.
await ensureBuilt();

/**
 * `ponte upstream authorize|status|refresh` against a running server whose Taobao side is Taobao Global's fake
 * gateway (1688 stays on the sandbox market): the printed address authorises, the table shows whose the token is.
 */

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const IOP = { key: '500123', secret: 'iop-secret-Zx7' };
const ACCOUNT = { account: 'PonteBuyer:caigou01', userId: '2207000123456789012' };
const BIN = fileURLToPath(new URL('../../bin/ponte.js', import.meta.url));

/** Runs `ponte upstream …` in a child process, without the operator token of the caller's environment. */
function upstream(args: string[]): Promise<Run> {
  const { PONTE_ADMIN_TOKEN: _token, PONTE_DATA_DIR: _dir, ...env } = process.env;
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, 'upstream', ...args], { env }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr });
    });
  });
}

const t = Date.UTC(2026, 5, 1, 3, 0, 0);
let fake: IopFake;
let testDb: TestDatabase;
let database: Database;
let server: TestServer;
let at: string[];

beforeAll(async () => {
  fake = buildIopFake({ appKey: IOP.key, appSecret: IOP.secret, now: () => t, accounts: [ACCOUNT] });
  const iopUrl = await fake.listen();
  const env = {
    UPSTREAM_TAOBAO: 'taobao-global',
    TAOBAO_GLOBAL_GATEWAY_URL: iopUrl,
    TAOBAO_GLOBAL_AUTH_URL: iopUrl,
    TAOBAO_GLOBAL_APP_KEY: IOP.key,
    TAOBAO_GLOBAL_APP_SECRET: IOP.secret,
  };
  testDb = await createTestDatabase();
  database = openDatabase(testConfig(testDb, env));
  await migrateToLatest(database);
  const secrets = new SecretBox(randomBytes(32));
  const client = new IopClient({ baseUrl: iopUrl, appKey: IOP.key, appSecret: IOP.secret, now: () => t, log: quiet });
  const taobao = new StoredTokenSource({
    database,
    secrets,
    now: () => t,
    platform: 'taobao',
    grant: iopTokenGrant(client, iopUrl, IOP.key),
    refreshAheadMs: HOUR,
    log: quiet,
  });
  server = await startServer({
    database: testDb,
    env,
    overrides: { database, secrets, upstreamTokens: { taobao } },
  });
  at = ['--url', server.baseUrl, '--token', server.deps.adminToken];
}, 120_000);

afterAll(async () => {
  await server?.close();
  await database?.close();
  await testDb?.drop();
  await fake?.close();
});

describe('ponte upstream', () => {
  it('authorize prints the address; the owner’s browser returns to the server, and status shows the owner', async () => {
    const before = await upstream(['status', ...at]);
    expect(before.stderr).toBe('');
    expect(before.stdout.split('\n')[0]).toMatch(/^PLATFORM\s+MODE\s+OWNER\s+EXPIRES\s+REFRESH EXPIRES$/);
    expect(before.stdout).toMatch(/^1688\s+sandbox\s+-\s+-\s+-$/m);
    expect(before.stdout).toMatch(/^taobao\s+taobao-global\s+not authorised\s+-\s+-$/m);

    const printed = await upstream(['authorize', 'taobao', ...at]);
    expect(printed.stderr).toBe('');
    expect(printed.code).toBe(0);
    expect(printed.stdout).toContain(`${server.baseUrl}/upstream/oauth/taobao/callback`);
    const url = /^ {2}(https?:\/\/\S+)$/m.exec(printed.stdout)?.[1];
    expect(url).toBeDefined();
    const browser = await fetch(url as string, { redirect: 'manual' });
    const back = await fetch(browser.headers.get('location') as string);
    expect(back.status, await back.clone().text()).toBe(200);

    const after = await upstream(['status', ...at]);
    expect(after.stdout).toMatch(
      new RegExp(
        `^taobao\\s+taobao-global\\s+${ACCOUNT.account} \\(${ACCOUNT.userId}\\)\\s+` +
          `${new Date(t + 30 * DAY).toISOString()}\\s+${new Date(t + 180 * DAY).toISOString()}$`,
        'm',
      ),
    );
  });

  it('refresh renews the stored token and prints its row; --json prints the answer', async () => {
    const before = fake.calls.filter((c) => c.api === '/auth/token/refresh').length;
    const table = await upstream(['refresh', 'taobao', ...at]);
    expect(table.stderr).toBe('');
    expect(table.stdout).toMatch(/^taobao\s+taobao-global\s+PonteBuyer:caigou01/m);
    const json = await upstream(['refresh', 'taobao', '--json', ...at]);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({ platform: 'taobao', authorized: true, refreshedAt: t });
    expect(fake.calls.filter((c) => c.api === '/auth/token/refresh').length).toBe(before + 2);
  });

  it('a platform without stored tokens, or an unknown one, is an error on stderr with exit code 1', async () => {
    const sandbox = await upstream(['authorize', '1688', ...at]);
    expect(sandbox.code).toBe(1);
    expect(sandbox.stderr).toMatch(/^error 40901: .*sandbox/);
    const unknown = await upstream(['refresh', 'amazon', ...at]);
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toContain('expected 1688 or taobao');
  });
});
