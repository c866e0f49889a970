import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { signRequest } from '@ponte/sdk/signing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../harness.js';
import { freePort } from '../processes.js';
import { waitFor } from '../wait.js';

const BIN = path.resolve(import.meta.dirname, '../../bin/ponte.js');

async function waitReady(url: string, child: ChildProcess, output: () => string): Promise<void> {
  await waitFor(
    async () => {
      if (child.exitCode !== null) throw new Error(`server exited: ${output()}`);
      return fetch(`${url}/readyz`).then(
        (res) => res.ok,
        () => false, // not listening yet
      );
    },
    { timeoutMs: 20_000, intervalMs: 100, message: () => `the server to be ready; its output:\n${output()}` },
  );
}

describe('first start of `ponte serve` on an empty database', () => {
  let db: TestDatabase;
  let child: ChildProcess;
  let url: string;
  let stdout = '';

  beforeAll(async () => {
    db = await createTestDatabase();
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    child = spawn(process.execPath, [BIN, 'serve'], {
      env: { ...process.env, ...db.env, PORT: String(port), LOG_LEVEL: 'trace', PONTE_WORKERS: 'true' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.on('data', (d) => {
      stdout += d;
    });
    child.stderr?.on('data', (d) => {
      stdout += d;
    });
    await waitReady(url, child, () => stdout);
  });

  afterAll(async () => {
    if (child.exitCode === null) child.kill('SIGKILL');
    await db.drop();
  });

  it('creates the demo developer, prints it and writes the credential files', async () => {
    const file = path.join(db.dataDir, 'demo-credentials.json');
    const creds = JSON.parse(fs.readFileSync(file, 'utf8'));
    expect(Object.keys(creds).sort()).toEqual(['accessKey', 'accessSecret', 'developId', 'userId']);
    for (const value of Object.values(creds)) expect(stdout).toContain(value as string);
    expect(fs.statSync(file).mode & 0o077).toBe(0);
    const token = fs.readFileSync(path.join(db.dataDir, 'admin-token'), 'utf8').trim();
    expect(token.length).toBeGreaterThanOrEqual(24);
    expect(fs.statSync(path.join(db.dataDir, 'master.key')).mode & 0o077).toBe(0);
    // The secret is stored encrypted, not in clear.
    if (!db.env.DATABASE_URL) {
      const raw = fs.readFileSync(path.join(db.dataDir, 'ponte.db'));
      expect(raw.includes(Buffer.from(creds.accessSecret))).toBe(false);
    }

    const pathAndQuery = '/open/user/list?pageNo=1';
    const headers = signRequest({ method: 'GET', url: pathAndQuery, ...creds });
    const reply = await fetch(url + pathAndQuery, { headers });
    const body = (await reply.json()) as { code: number; developId: string; data: { list: { userId: string }[] } };
    expect(body.code).toBe(200);
    expect(body.developId).toBe(creds.developId);
    expect(body.data.list[0]?.userId).toBe(creds.userId);

    const admin = await fetch(`${url}/admin/developers`, { headers: { authorization: `Bearer ${token}` } });
    expect(((await admin.json()) as { data: { total: number } }).data.total).toBe(1);
  });

  it('seeds the sandbox market with the default catalog, in its own file, and serves its pictures', async () => {
    expect(stdout).toMatch(/sandbox market has 1000 goods on Taobao and 1000 on 1688 \(seed 1\)/);
    expect(fs.existsSync(path.join(db.dataDir, 'sandbox.db'))).toBe(true);
    const token = fs.readFileSync(path.join(db.dataDir, 'admin-token'), 'utf8').trim();
    const status = await fetch(`${url}/sandbox/status`, { headers: { authorization: `Bearer ${token}` } });
    const body = (await status.json()) as { data: { taobao: { goods: number }; alibaba: { goods: number } } };
    expect(body.data.taobao.goods).toBe(1000);
    expect(body.data.alibaba.goods).toBe(1000);
    const seeded = /"msg":"sandbox market seeded"[^\n]*"ms":(\d+)|"ms":(\d+)[^\n]*"msg":"sandbox market seeded"/.exec(
      stdout,
    );
    // The log line carries how long seeding took; how fast it is belongs in bench/, not here.
    expect(Number(seeded?.[1] ?? seeded?.[2])).toBeGreaterThanOrEqual(0);
  });

  it('logs each request with its requestId and never a secret, token or signature', async () => {
    const token = fs.readFileSync(path.join(db.dataDir, 'admin-token'), 'utf8').trim();
    const created = await fetch(`${url}/admin/developers`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Log check' }),
    }).then(
      (r) =>
        r.json() as Promise<{
          data: { key: { accessKey: string; accessSecret: string }; mainAccount: { userId: string } };
        }>,
    );
    const key = created.data.key;
    const headers = signRequest({
      method: 'GET',
      url: '/open/user/list',
      accessKey: key.accessKey,
      accessSecret: key.accessSecret,
      userId: created.data.mainAccount.userId,
    });
    const listed = await fetch(`${url}/open/user/list`, { headers });
    const requestId = listed.headers.get('x-request-id');
    const inQuery = await fetch(`${url}/open/user/list?signature=${headers.signature}&access-key=${key.accessKey}`);
    expect(((await inQuery.json()) as { code: number }).code).toBe(40101);
    // Both requests must have been logged before the log is searched for what must not be in it.
    const logged = (id: string | null) =>
      stdout.split('\n').some((line) => line.includes(`"requestId":"${id}"`) && line.includes('request completed'));
    expect(requestId).toBeTruthy();
    await waitFor(() => logged(requestId) && logged(inQuery.headers.get('x-request-id')), {
      message: 'both requests to be logged as completed',
    });
    for (const secret of [key.accessSecret, token, headers.signature, key.accessKey])
      expect(stdout).not.toContain(secret);
  });

  it('stops cleanly on SIGTERM with exit code 0', async () => {
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});

describe('`ponte serve` with invalid configuration', () => {
  it('exits with code 2 and names every invalid variable, without a stack trace', async () => {
    const child = spawn(process.execPath, [BIN, 'serve'], {
      env: { ...process.env, PORT: 'eighty', RATE_LIMIT_STORE: 'redis', DATABASE_URL: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr?.on('data', (d) => {
      stderr += d;
    });
    const code = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
    expect(code).toBe(2);
    expect(stderr).toContain('PORT: expected an integer');
    expect(stderr).toContain('RATE_LIMIT_STORE: expected one of memory, database');
    expect(stderr).not.toContain('    at ');
  });
});
