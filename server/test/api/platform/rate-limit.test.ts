import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/platform/clock.js';
import {
  type Credentials,
  createTestDatabase,
  type Reply,
  startServer,
  type TestDatabase,
  type TestServer,
} from '../../harness.js';

/**
 * Per-key token buckets (docs/architecture.md §12): 5 tokens a second, bursts of 10, 429 / 42901 with
 * Retry-After. Run against the in-memory buckets and the SQL ones.
 */

const LIMITS = { RATE_LIMIT_PER_SECOND: '5', RATE_LIMIT_BURST: '10' };
const READ = '/open/user/list';

function expectAllowed(r: Reply): void {
  expect(r.body.code, r.text).toBe(200);
  expect(r.status).toBe(200);
}

function expectLimited(r: Reply): number {
  expect(r.body.code, r.text).toBe(42901);
  expect(r.status).toBe(429);
  expect(r.body.data).toBeNull();
  expect(r.body.requestId).toBe(r.headers.get('x-request-id'));
  const retryAfter = r.headers.get('retry-after') ?? '';
  expect(retryAfter).toMatch(/^[0-9]+$/);
  const seconds = Number(retryAfter);
  expect(seconds).toBeGreaterThanOrEqual(1);
  expect(r.body.msg).toContain(retryAfter);
  return seconds;
}

describe.each(['memory', 'database'] as const)('rate limit with RATE_LIMIT_STORE=%s', (store) => {
  const clock = new ManualClock(Date.UTC(2026, 2, 1, 12, 0, 0));
  let server: TestServer;
  let dev: Credentials;
  let other: Credentials;

  beforeAll(async () => {
    server = await startServer({ env: { ...LIMITS, RATE_LIMIT_STORE: store }, overrides: { clock } });
    dev = await server.createDeveloper('Limited developer');
    other = await server.createDeveloper('Other developer');
  });
  afterAll(() => server?.close());

  const read = (creds: Credentials) => server.signed(creds, 'GET', READ);

  it('lets a burst of 10 through, refuses the 11th with Retry-After, and refills 5 a second', async () => {
    clock.advance(60_000);
    for (let i = 0; i < 10; i++) expectAllowed(await read(dev));
    const seconds = expectLimited(await read(dev));
    expect(seconds).toBe(1);
    // Refused requests take nothing: still refused, still 1 s to wait.
    expectLimited(await read(dev));
    expectLimited(await read(dev));

    clock.advance(1000);
    for (let i = 0; i < 5; i++) expectAllowed(await read(dev));
    expectLimited(await read(dev));

    // 200 ms brings one token back.
    clock.advance(199);
    expectLimited(await read(dev));
    clock.advance(1);
    expectAllowed(await read(dev));
    expectLimited(await read(dev));

    // The buckets live where the configuration says.
    const rows = await server.deps.database.db
      .selectFrom('rate_limit_buckets')
      .selectAll()
      .where('bucket_key', '=', dev.accessKey)
      .execute();
    expect(rows).toHaveLength(store === 'database' ? 1 : 0);
  });

  it('keeps limits per access key', async () => {
    clock.advance(60_000);
    for (let i = 0; i < 10; i++) expectAllowed(await read(dev));
    expectLimited(await read(dev));
    // Another developer's key is unaffected.
    for (let i = 0; i < 10; i++) expectAllowed(await read(other));
    expectLimited(await read(other));

    // A second key of the same developer has its own bucket.
    const issued = await server.admin<{ accessKey: string; accessSecret: string }>(
      'POST',
      `/admin/developers/${dev.developId}/keys`,
      { label: 'second' },
    );
    expect(issued.body.code, issued.text).toBe(200);
    const second: Credentials = { ...dev, ...issued.body.data };
    for (let i = 0; i < 10; i++) expectAllowed(await read(second));
    expectLimited(await read(second));
    expectLimited(await read(dev));
  });

  it('caps the bucket at the burst however long the key was idle', async () => {
    clock.advance(3_600_000);
    for (let i = 0; i < 10; i++) expectAllowed(await read(dev));
    expectLimited(await read(dev));
  });

  it('lets a request through after waiting the Retry-After it was given', async () => {
    clock.advance(60_000);
    for (let i = 0; i < 10; i++) expectAllowed(await read(dev));
    const seconds = expectLimited(await read(dev));
    clock.advance(seconds * 1000);
    expectAllowed(await read(dev));
  });

  it('lets exactly the burst through when 40 requests arrive at once', async () => {
    clock.advance(60_000);
    const replies = await Promise.all(Array.from({ length: 40 }, () => read(dev)));
    const allowed = replies.filter((r) => r.body.code === 200);
    const limited = replies.filter((r) => r.body.code !== 200);
    expect(allowed).toHaveLength(10);
    for (const r of limited) expectLimited(r);
  });

  it('limits mutations the same way and runs nothing when refusing', async () => {
    clock.advance(60_000);
    const count = async () =>
      Number(
        (
          await server.deps.database.db
            .selectFrom('sub_accounts')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .where('develop_id', '=', dev.developId)
            .executeTakeFirstOrThrow()
        ).n,
      );
    for (let i = 0; i < 10; i++) expectAllowed(await read(dev));
    const before = await count();
    const r = await server.signed(dev, 'POST', '/open/user/create', { body: { name: 'limited' } });
    expectLimited(r);
    expect(await count()).toBe(before);
  });
});

describe('rate limit with RATE_LIMIT_STORE=database across two servers', () => {
  const clockA = new ManualClock(Date.UTC(2026, 2, 2, 12, 0, 0));
  const clockB = new ManualClock(clockA.now());
  let database: TestDatabase;
  let a: TestServer;
  let b: TestServer;
  let dev: Credentials;

  beforeAll(async () => {
    database = await createTestDatabase();
    const env = { ...LIMITS, RATE_LIMIT_STORE: 'database' };
    a = await startServer({ database, env, overrides: { clock: clockA } });
    b = await startServer({ database, env, overrides: { clock: clockB } });
    dev = await a.createDeveloper('Shared limit developer');
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await database?.drop();
  });

  /** Both clocks move together; `lagMs` puts B's behind A's. */
  function tick(ms: number, lagMs = 0): void {
    clockA.advance(ms);
    clockB.set(clockA.now() - lagMs);
  }

  it('shares one bucket per key between the processes', async () => {
    tick(60_000);
    for (let i = 0; i < 10; i++) expectAllowed(await (i % 2 === 0 ? a : b).signed(dev, 'GET', READ));
    expectLimited(await a.signed(dev, 'GET', READ));
    expectLimited(await b.signed(dev, 'GET', READ));
    tick(1000);
    for (let i = 0; i < 5; i++) expectAllowed(await (i % 2 === 0 ? b : a).signed(dev, 'GET', READ));
    expectLimited(await b.signed(dev, 'GET', READ));
  });

  it('lets exactly the burst through when both processes receive requests at once', async () => {
    tick(60_000);
    const replies = await Promise.all(
      Array.from({ length: 40 }, (_, i) => (i % 2 === 0 ? a : b).signed(dev, 'GET', READ)),
    );
    expect(replies.filter((r) => r.body.code === 200)).toHaveLength(10);
    for (const r of replies.filter((x) => x.body.code !== 200)) expectLimited(r);
  });

  it('does not refuse a key with tokens left because one process clock is 2 s behind', async () => {
    tick(60_000, 2000);
    expectAllowed(await a.signed(dev, 'GET', READ));
    // Nine tokens are left in the shared bucket: the lagging process must see them too.
    for (let i = 0; i < 9; i++) expectAllowed(await b.signed(dev, 'GET', READ));
    expectLimited(await b.signed(dev, 'GET', READ));
    expectLimited(await a.signed(dev, 'GET', READ));
  });
});
