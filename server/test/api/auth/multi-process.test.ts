import fs from 'node:fs';
import path from 'node:path';
import { signRequest } from '@ponte/sdk/signing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Credentials, createTestDatabase, TEST_DB, type TestDatabase } from '../../harness.js';
import { type ServerProcesses, spawnServers } from '../../processes.js';

/**
 * S2 and S3 (docs/architecture.md §13) across processes: three `ponte serve` processes share one database; a nonce is
 * accepted once whichever process sees it, and a revoked key is refused by every process at once.
 */

const PROCESSES = 3;
const DISTINCT = 2_500;
const COPIES = 5;
const IN_FLIGHT = 64;

interface Answer {
  status: number;
  code: number;
  text: string;
}

async function call(url: string, init: RequestInit = {}): Promise<Answer> {
  try {
    const res = await fetch(url, init);
    const text = await res.text();
    let code = -1;
    try {
      code = (JSON.parse(text) as { code: number }).code;
    } catch {
      // not an envelope: reported through `text`
    }
    return { status: res.status, code, text };
  } catch (err) {
    return { status: -1, code: -1, text: String(err) };
  }
}

/** Runs `tasks` with at most `limit` of them in flight, in order of the array. */
async function pool(tasks: (() => Promise<void>)[], limit: number): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const task = tasks[next++];
      if (task) await task();
    }
  };
  await Promise.all(Array.from({ length: limit }, worker));
}

describe(`signatures across ${PROCESSES} processes on one database (${TEST_DB})`, () => {
  let db: TestDatabase;
  let servers: ServerProcesses | undefined;
  let adminToken: string;
  let dev: Credentials;

  function admin(i: number, method: string, url: string, body?: unknown): Promise<Answer> {
    return call(`${servers?.urls[i]}${url}`, {
      method,
      body: body === undefined ? undefined : JSON.stringify(body),
      headers: {
        authorization: `Bearer ${adminToken}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
    });
  }

  function signedList(i: number): Promise<Answer> {
    const url = '/open/user/list';
    const headers = signRequest({ method: 'GET', url, ...dev });
    return call(`${servers?.urls[i]}${url}`, { headers });
  }

  beforeAll(async () => {
    db = await createTestDatabase();
    servers = await spawnServers(PROCESSES, db.env);
    adminToken = fs.readFileSync(path.join(db.dataDir, 'admin-token'), 'utf8').trim();
    const created = await admin(0, 'POST', '/admin/developers', { name: 'Across processes' });
    expect(created.code, created.text).toBe(200);
    const data = (
      JSON.parse(created.text) as {
        data: {
          developer: { developId: string };
          mainAccount: { userId: string };
          key: { accessKey: string; accessSecret: string };
        };
      }
    ).data;
    dev = {
      developId: data.developer.developId,
      userId: data.mainAccount.userId,
      accessKey: data.key.accessKey,
      accessSecret: data.key.accessSecret,
    };
  }, 180_000);

  afterAll(async () => {
    await servers?.stop();
    await db?.drop();
  }, 60_000);

  it('every process knows the key created through process 0', async () => {
    for (let i = 0; i < PROCESSES; i++) {
      const r = await signedList(i);
      expect(r.code, `process ${i}: ${r.text}`).toBe(200);
    }
  });

  it(`${DISTINCT} requests each sent ${COPIES} times concurrently, spread over the processes: each accepted once`, async () => {
    const url = '/open/user/list?pageSize=1';
    const requests = Array.from({ length: DISTINCT }, () => signRequest({ method: 'GET', url, ...dev }));
    expect(new Set(requests.map((h) => h['nonce-str'])).size).toBe(DISTINCT);

    const answers: { request: number; process: number; answer: Answer }[] = [];
    const tasks: (() => Promise<void>)[] = [];
    for (let r = 0; r < DISTINCT; r++) {
      for (let copy = 0; copy < COPIES; copy++) {
        const p = (r * COPIES + copy) % PROCESSES;
        const headers = requests[r];
        tasks.push(async () => {
          answers.push({ request: r, process: p, answer: await call(`${servers?.urls[p]}${url}`, { headers }) });
        });
      }
    }
    await pool(tasks, IN_FLIGHT);

    expect(answers).toHaveLength(DISTINCT * COPIES);
    const byCode = new Map<string, number>();
    for (const { answer } of answers) {
      const k = `${answer.status}/${answer.code}`;
      byCode.set(k, (byCode.get(k) ?? 0) + 1);
    }
    const unexpected = answers.filter((a) => a.answer.code !== 200 && a.answer.code !== 40104);
    expect(unexpected.slice(0, 5).map((a) => `process ${a.process}: ${a.answer.status} ${a.answer.text}`)).toEqual([]);
    expect(Object.fromEntries(byCode)).toEqual({ '200/200': DISTINCT, '401/40104': DISTINCT * (COPIES - 1) });

    const accepted = new Map<number, number>();
    for (const a of answers) if (a.answer.code === 200) accepted.set(a.request, (accepted.get(a.request) ?? 0) + 1);
    expect(accepted.size).toBe(DISTINCT);
    expect([...accepted.values()].every((n) => n === 1)).toBe(true);
    // Every process both accepted requests and refused replays.
    for (let p = 0; p < PROCESSES; p++) {
      const mine = answers.filter((a) => a.process === p);
      expect(mine.some((a) => a.answer.code === 200)).toBe(true);
      expect(mine.some((a) => a.answer.code === 40104)).toBe(true);
    }
  }, 180_000);

  it('a key revoked through process 0 is refused by the very next request to every other process', async () => {
    for (let i = 1; i < PROCESSES; i++) expect((await signedList(i)).code).toBe(200);
    const revoked = await admin(0, 'POST', `/admin/keys/${dev.accessKey}/revoke`);
    expect(revoked.code, revoked.text).toBe(200);
    for (let i = 1; i < PROCESSES; i++) {
      const r = await signedList(i);
      expect(r.status, `process ${i}`).toBe(401);
      expect(r.code, `process ${i}: ${r.text}`).toBe(40105);
    }
    expect((await signedList(0)).code).toBe(40105);
  }, 60_000);
});
