import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { signRequest } from '@ponte/sdk/signing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Credentials, createTestDatabase, TEST_DB, type TestDatabase } from '../harness.js';
import { type ServerProcesses, spawnServers } from '../processes.js';
import { waitFor } from '../wait.js';

/**
 * `ponte serve` with PONTE_PROCESSES=2: one primary and two HTTP processes sharing the port and the database. The
 * primary starts a process that dies again; the per-key rate limit is one bucket for both processes (the database
 * store, the default when several processes serve); SIGTERM stops them all.
 */
const PROCESSES = 2;
const BURST = 8;

/** The primary's children (the HTTP processes), from /proc. */
function children(pid: number): number[] {
  const text = fs.readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim();
  return text === '' ? [] : text.split(/\s+/).map(Number);
}

interface Answer {
  status: number;
  code: number;
  retryAfter: string | undefined;
}

/** One request on a connection of its own, so that the primary hands each to the next process in turn. */
function request(url: string, pathname: string, headers: Record<string, string>): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.get(`${url}${pathname}`, { agent: false, headers, timeout: 10_000 }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        text += chunk;
      });
      res.on('end', () => {
        const retryAfter = res.headers['retry-after'];
        resolve({ status: res.statusCode ?? 0, code: (JSON.parse(text) as { code: number }).code, retryAfter });
      });
    });
    req.on('timeout', () => req.destroy(new Error(`${pathname}: no answer within 10 s`)));
    req.on('error', reject);
  });
}

describe(`ponte serve with ${PROCESSES} processes (${TEST_DB})`, () => {
  let db: TestDatabase;
  let server: ServerProcesses | undefined;
  let dev: Credentials;
  let url = '';

  const balance = () => {
    const route = '/open/account/balance';
    return request(url, route, signRequest({ method: 'GET', url: route, ...dev }));
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    server = await spawnServers(1, {
      ...db.env,
      PONTE_PROCESSES: String(PROCESSES),
      PONTE_DEMO: 'true',
      SANDBOX_GOODS: '50',
      RATE_LIMIT_PER_SECOND: '1',
      RATE_LIMIT_BURST: String(BURST),
      // The primary says on stdout which process listens.
      LOG_LEVEL: 'info',
      LOG_FORMAT: 'json',
    });
    url = server.urls[0] ?? '';
    const demo = JSON.parse(fs.readFileSync(path.join(db.dataDir, 'demo-credentials.json'), 'utf8'));
    dev = {
      developId: demo.developId,
      userId: demo.userId,
      accessKey: demo.accessKey,
      accessSecret: demo.accessSecret,
    };
  }, 120_000);

  afterAll(async () => {
    await server?.stop();
    await db?.drop();
  });

  /** The processes the primary has seen listen, from its log. */
  const listening = () =>
    (server?.stdout(0) ?? '')
      .split('\n')
      .filter((line) => line.includes('"server process listening"'))
      .map((line) => (JSON.parse(line) as { pid: number }).pid);
  const serving = (primary: number) => {
    const now = children(primary);
    return now.length === PROCESSES && now.every((pid) => listening().includes(pid)) ? now : undefined;
  };

  it('runs one process per PONTE_PROCESSES and starts a killed one again', async () => {
    const primary = server?.pid(0) ?? 0;
    const before = await waitFor(() => serving(primary), {
      timeoutMs: 60_000,
      message: () => `both processes listening (children ${children(primary)}, log: ${server?.stdout(0)})`,
    });
    const [victim, survivor] = before;
    process.kill(victim ?? 0, 'SIGKILL');
    // A connection handed to the process as it died is lost with it: once the primary has seen it die, the
    // survivor takes every connection while the primary starts another process.
    await waitFor(() => !children(primary).includes(victim ?? 0), { timeoutMs: 10_000 });
    for (let i = 0; i < 10; i++) expect((await request(url, '/readyz', {})).status).toBe(200);
    const after = await waitFor(() => serving(primary)?.filter((pid) => pid !== survivor), {
      timeoutMs: 60_000,
      message: () => `a new process listening (log: ${server?.stdout(0)})`,
    });
    expect(after).toHaveLength(1);
    expect(after).not.toContain(victim);
  }, 150_000);

  it('keeps one rate limit per key across the processes', async () => {
    // Connections of their own alternate between the processes; each process's own bucket would let 2 × BURST through.
    const answers: Answer[] = [];
    for (let i = 0; i < BURST * 3; i++) answers.push(await balance());
    const allowed = answers.filter((a) => a.code === 200).length;
    const limited = answers.filter((a) => a.code === 42901);
    expect(allowed + limited.length, JSON.stringify(answers)).toBe(answers.length);
    // The burst, and the tokens refilled (one a second) while the requests were sent.
    expect(allowed).toBeGreaterThanOrEqual(BURST);
    expect(allowed).toBeLessThanOrEqual(BURST + 3);
    for (const a of limited) {
      expect(a.status).toBe(429);
      expect(Number(a.retryAfter)).toBeGreaterThanOrEqual(1);
    }
  });

  it('stops every process on SIGTERM', async () => {
    const primary = server?.pid(0) ?? 0;
    const workers = children(primary);
    expect(workers).toHaveLength(PROCESSES);
    await server?.kill(0, 'SIGTERM');
    for (const pid of workers) {
      expect(() => process.kill(pid, 0), `process ${pid} still runs`).toThrow();
    }
  });
});
