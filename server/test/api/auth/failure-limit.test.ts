import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ManualClock } from '../../../src/platform/clock.js';
import { clientAddressKey } from '../../../src/platform/http/rate-limit.js';
import { type Credentials, type Reply, startServer, type TestServer } from '../../harness.js';

/**
 * Failed authentications are limited per client address: each failure (40101 to 40105 on signed
 * routes, 40106 on operator routes) takes a token from the address's bucket; an address whose bucket
 * is empty is refused with 42901 and Retry-After before any key lookup, even with correct credentials,
 * until tokens come back. Successful requests take nothing.
 */

const READ = '/open/user/list';

function expectLimited(r: Reply, seconds: number): void {
  expect(r.body.code, r.text).toBe(42901);
  expect(r.status).toBe(429);
  expect(r.headers.get('retry-after')).toBe(String(seconds));
  expect(r.body.msg).toContain(String(seconds));
}

const wrongSecret = (dev: Credentials): Credentials => ({ ...dev, accessSecret: `${dev.accessSecret}x` });

describe('with the default settings (60 a minute, bursts of 30)', () => {
  const clock = new ManualClock(Date.UTC(2026, 4, 1, 10, 0, 0));
  let server: TestServer;
  let dev: Credentials;

  beforeAll(async () => {
    // The harness lifts the limit for other tests; empty values give the defaults back.
    server = await startServer({
      env: { AUTH_FAILURES_PER_MINUTE: '', AUTH_FAILURES_BURST: '' },
      overrides: { clock },
    });
    dev = await server.createDeveloper('Failure limit developer');
  });
  afterAll(() => server?.close());

  it('reads the defaults', () => {
    expect(server.deps.config.authFailures).toEqual({ perMinute: 60, burst: 30 });
  });

  it('30 failures, then 42901 with Retry-After, before any key lookup, even for a correct request', async () => {
    for (let i = 0; i < 100; i++) expect((await server.signed(dev, 'GET', READ)).body.code).toBe(200);
    for (let i = 0; i < 30; i++) {
      const r = await server.signed(wrongSecret(dev), 'GET', READ);
      expect(r.body.code, `failure ${i + 1}`).toBe(40102);
    }
    const lookups = vi.spyOn(server.deps.credentials, 'lookup');
    try {
      expectLimited(await server.signed(dev, 'GET', READ), 1);
      // A flood of unknown keys costs no database read.
      for (let i = 0; i < 20; i++) {
        const unknown = { ...dev, accessKey: randomBytes(16).toString('hex') };
        expectLimited(await server.signed(unknown, 'GET', READ), 1);
      }
      expect(lookups).not.toHaveBeenCalled();
    } finally {
      lookups.mockRestore();
    }

    // One token comes back a second: a correct request passes and takes nothing.
    clock.advance(1000);
    for (let i = 0; i < 5; i++) expect((await server.signed(dev, 'GET', READ)).body.code).toBe(200);
    expect((await server.signed(wrongSecret(dev), 'GET', READ)).body.code).toBe(40102);
    expectLimited(await server.signed(dev, 'GET', READ), 1);

    // After 30 s the whole burst is back.
    clock.advance(30_000);
    for (let i = 0; i < 30; i++) expect((await server.signed(wrongSecret(dev), 'GET', READ)).body.code).toBe(40102);
    expectLimited(await server.signed(wrongSecret(dev), 'GET', READ), 1);
    clock.advance(30_000);
  });
});

describe('concurrent attempts', () => {
  const clock = new ManualClock(Date.UTC(2026, 4, 3, 10, 0, 0));
  let server: TestServer;
  let dev: Credentials;

  beforeAll(async () => {
    server = await startServer({
      env: { AUTH_FAILURES_PER_MINUTE: '60', AUTH_FAILURES_BURST: '5' },
      overrides: { clock },
    });
    dev = await server.createDeveloper('Concurrent failures developer');
  });
  afterAll(() => server?.close());

  it('an address that has failed cannot pass the gate with many attempts at once while their keys are read', async () => {
    expect((await server.signed(wrongSecret(dev), 'GET', READ)).body.code).toBe(40102);
    // Unknown keys are read from the database: every attempt waits there before it fails (slowly, as on a busy
    // PostgreSQL, so that the attempts overlap).
    const store = server.deps.credentials;
    const read = store.lookup.bind(store);
    const lookups = vi.spyOn(store, 'lookup').mockImplementation(async (accessKey, userId) => {
      await new Promise((r) => setTimeout(r, 20));
      return read(accessKey, userId);
    });
    let answers: Reply[];
    try {
      answers = await Promise.all(
        Array.from({ length: 40 }, () =>
          server.signed({ ...dev, accessKey: randomBytes(16).toString('hex') }, 'GET', READ),
        ),
      );
    } finally {
      lookups.mockRestore();
    }
    const codes = answers.map((r) => r.body.code);
    // Four tokens were left: at most four attempts reach the key lookup, the others are refused before it.
    expect(codes.filter((c) => c === 40105).length).toBeLessThanOrEqual(4);
    expect(codes.filter((c) => c === 42901).length).toBeGreaterThanOrEqual(36);
    clock.advance(60_000);
  });

  it('an address that has not failed is not held back by its requests under way', async () => {
    const answers = await Promise.all(Array.from({ length: 40 }, () => server.signed(dev, 'GET', READ)));
    expect(answers.map((r) => r.body.code)).toEqual(Array(40).fill(200));
  });
});

describe('with small settings (6 a minute, bursts of 3), addresses told apart through X-Forwarded-For', () => {
  const clock = new ManualClock(Date.UTC(2026, 4, 2, 10, 0, 0));
  let server: TestServer;
  let dev: Credentials;

  beforeAll(async () => {
    server = await startServer({
      env: { AUTH_FAILURES_PER_MINUTE: '6', AUTH_FAILURES_BURST: '3', TRUST_PROXY: 'true' },
      overrides: { clock },
    });
    dev = await server.createDeveloper('Small limit developer');
  });
  afterAll(() => server?.close());

  const from = (address: string) => ({ 'x-forwarded-for': address });
  const signed = (creds: Credentials, address: string, options: { userId?: string; nonce?: string } = {}) =>
    server.signed(creds, 'GET', READ, { headers: from(address), ...options });
  const admin = (token: string, address: string) =>
    server.request('GET', '/admin/developers', { headers: { authorization: `Bearer ${token}`, ...from(address) } });

  it('limits bad operator tokens the same way, and the operator with the right token once blocked', async () => {
    const address = '198.51.100.7';
    for (let i = 0; i < 3; i++) expect((await admin('not-the-token', address)).body.code).toBe(40106);
    expectLimited(await admin(server.deps.adminToken, address), 10);
    expectLimited(await admin('not-the-token', address), 10);
    // Another address is not affected.
    expect((await admin(server.deps.adminToken, '198.51.100.8')).body.code).toBe(200);
    clock.advance(10_000);
    expect((await admin(server.deps.adminToken, address)).body.code).toBe(200);
    expect((await admin('not-the-token', address)).body.code).toBe(40106);
    expectLimited(await admin(server.deps.adminToken, address), 10);
  });

  it('signed and operator failures of one address share its bucket; every authentication failure counts', async () => {
    const address = '198.51.100.20';
    const r1 = await server.request('GET', READ, { headers: from(address) });
    expect(r1.body.code).toBe(40101);
    expect((await admin('not-the-token', address)).body.code).toBe(40106);
    const old = await server.signed(dev, 'GET', READ, { headers: from(address), timestamp: clock.now() - 600_000 });
    expect(old.body.code).toBe(40103);
    expectLimited(await signed(dev, address), 10);

    clock.advance(10_000);
    const nonce = randomBytes(16).toString('hex');
    expect((await signed(dev, address, { nonce })).body.code).toBe(200);
    expect((await signed(dev, address, { nonce })).body.code).toBe(40104);
    expectLimited(await signed(dev, address), 10);

    clock.advance(10_000);
    const unknown = { ...dev, accessKey: randomBytes(16).toString('hex') };
    expect((await signed(unknown, address)).body.code).toBe(40105);
    expectLimited(await signed(dev, address), 10);
  });

  it('refusals after authentication (40301) and malformed parameters (40001) do not count', async () => {
    const address = '198.51.100.30';
    for (let i = 0; i < 5; i++) {
      expect((await signed(dev, address, { userId: '1795432287562383361' })).body.code).toBe(40301);
      expect((await signed(dev, address, { nonce: 'bad' })).body.code).toBe(40001);
    }
    expect((await signed(dev, address)).body.code).toBe(200);
  });

  it('counts an IPv6 client by its /64', async () => {
    for (let i = 1; i <= 3; i++) {
      expect((await signed(wrongSecret(dev), `2001:db8:1:2::${i}`)).body.code).toBe(40102);
    }
    expectLimited(await signed(dev, '2001:db8:1:2:ffff::9'), 10);
    expect((await signed(dev, '2001:db8:1:3::1')).body.code).toBe(200);
    expect((await signed(dev, '198.51.100.40')).body.code).toBe(200);
  });
});

describe('client address keys', () => {
  it.each([
    ['127.0.0.1', '127.0.0.1'],
    ['::ffff:10.1.2.3', '10.1.2.3'],
    ['2001:db8:1:2::1', '2001:db8:1:2::/64'],
    ['2001:0db8:0001:0002:aaaa:bbbb:cccc:dddd', '2001:db8:1:2::/64'],
    ['::1', '0:0:0:0::/64'],
    ['fe80::1%eth0', 'fe80:0:0:0::/64'],
    ['2001:db8::', '2001:db8:0:0::/64'],
    ['::2:3:4:5:6:7:8', '0:2:3:4::/64'],
    ['64:ff9b::192.0.2.1', '64:ff9b:0:0::/64'],
  ])('%s counts as %s', (ip, key) => {
    expect(clientAddressKey(ip)).toBe(key);
  });
});
