import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCredentialStore } from '../../../src/modules/accounts/index.js';
import type { CredentialStore } from '../../../src/platform/auth/credentials.js';
import { ManualClock } from '../../../src/platform/clock.js';
import { type Database, openDatabase } from '../../../src/platform/db/database.js';
import {
  type Credentials,
  createTestDatabase,
  type Reply,
  startServer,
  TEST_DB,
  type TestDatabase,
  type TestServer,
  testConfig,
} from '../../harness.js';

/**
 * Key records cached in each process: two servers on one database stand for two processes. A change
 * made through A (revocation, rotation, a status) is seen by B on its very next request although B
 * holds the key in its cache; a bad signature on a cached key costs B no database read.
 */

/** A credential store that counts its database reads and nonce writes. */
function counting(inner: CredentialStore): { store: CredentialStore; counts: { lookups: number; nonces: number } } {
  const counts = { lookups: 0, nonces: 0 };
  const store: CredentialStore = {
    cache: inner.cache,
    lookup: (accessKey, userId) => {
      counts.lookups++;
      return inner.lookup(accessKey, userId);
    },
    useNonce: (key, nonce, expiresAt, now) => {
      counts.nonces++;
      return inner.useNonce(key, nonce, expiresAt, now);
    },
  };
  return { store, counts };
}

interface Issued {
  accessKey: string;
  accessSecret: string;
}

describe(`key records cached per process, two servers on one database (${TEST_DB})`, () => {
  const clock = new ManualClock(Date.UTC(2026, 3, 1, 9, 0, 0));
  let database: TestDatabase;
  /** B's own connection for its credential store, so that the store can be wrapped. */
  let storeDb: Database;
  let a: TestServer;
  let b: TestServer;
  let counts: { lookups: number; nonces: number };

  beforeAll(async () => {
    database = await createTestDatabase();
    a = await startServer({ database, overrides: { clock } });
    storeDb = openDatabase(testConfig(database));
    const wrapped = counting(createCredentialStore(storeDb));
    counts = wrapped.counts;
    b = await startServer({ database, overrides: { clock, credentials: wrapped.store } });
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
    await storeDb?.close();
    await database?.drop();
  });

  const list = (server: TestServer, creds: Credentials, userId?: string): Promise<Reply> =>
    server.signed(creds, 'GET', '/open/user/list', { userId });

  /** Counts B's database reads and nonce writes during `run`. */
  async function onB<T>(run: () => Promise<T>): Promise<{ result: T; lookups: number; nonces: number }> {
    const before = { ...counts };
    const result = await run();
    return { result, lookups: counts.lookups - before.lookups, nonces: counts.nonces - before.nonces };
  }

  /** A developer whose key B has cached: B answers it without reading the database. */
  async function cachedOnB(name: string): Promise<Credentials> {
    const dev = await a.createDeveloper(`${name} ${randomBytes(3).toString('hex')}`);
    expect((await list(b, dev)).body.code).toBe(200);
    const warm = await onB(() => list(b, dev));
    expect(warm.result.body.code, warm.result.text).toBe(200);
    expect(warm.lookups).toBe(0);
    expect(warm.nonces).toBe(1);
    return dev;
  }

  async function adminOnA(url: string, body?: unknown): Promise<void> {
    const r = await a.admin('POST', url, body);
    expect(r.body.code, r.text).toBe(200);
  }

  describe('a change through A is seen by B on its very next request', () => {
    it('a revoked key is refused', async () => {
      const dev = await cachedOnB('Revoked');
      await adminOnA(`/admin/keys/${dev.accessKey}/revoke`);
      const r = await list(b, dev);
      expect(r.status).toBe(401);
      expect(r.body.code).toBe(40105);
      expect((await list(b, dev)).body.code).toBe(40105);
      expect((await list(a, dev)).body.code).toBe(40105);
    });

    it('a disabled developer is refused, and accepted again once enabled', async () => {
      const dev = await cachedOnB('Disabled developer');
      await adminOnA(`/admin/developers/${dev.developId}/status`, { status: 'disabled' });
      expect((await list(b, dev)).body.code).toBe(40105);
      await adminOnA(`/admin/developers/${dev.developId}/status`, { status: 'active' });
      expect((await list(b, dev)).body.code).toBe(200);
    });

    it('a disabled sub-account is refused, and accepted again once enabled', async () => {
      const dev = await cachedOnB('Disabled sub-account');
      const sub = await a.signed<{ userId: string }>(dev, 'POST', '/open/user/create', { body: { name: 'Store' } });
      expect(sub.body.code, sub.text).toBe(200);
      const userId = sub.body.data.userId;
      expect((await list(b, dev, userId)).body.code).toBe(200);
      const warm = await onB(() => list(b, dev, userId));
      expect(warm.result.body.code).toBe(200);
      expect(warm.lookups).toBe(0);

      await adminOnA(`/admin/users/${userId}/status`, { status: 'disabled' });
      const off = await list(b, dev, userId);
      expect(off.status).toBe(403);
      expect(off.body.code).toBe(40301);
      // The developer's other sub-accounts and keys are unaffected.
      expect((await list(b, dev)).body.code).toBe(200);
      await adminOnA(`/admin/users/${userId}/status`, { status: 'active' });
      expect((await list(b, dev, userId)).body.code).toBe(200);
    });

    it('a sub-account created through A is accepted by B at once', async () => {
      const dev = await cachedOnB('New sub-account');
      const sub = await a.signed<{ userId: string }>(dev, 'POST', '/open/user/create', { body: { name: 'New' } });
      expect(sub.body.code, sub.text).toBe(200);
      expect((await list(b, dev, sub.body.data.userId)).body.code).toBe(200);
    });

    it('the legacy MD5 signature allowed through A is accepted by B, and refused once forbidden', async () => {
      const dev = await cachedOnB('MD5');
      const md5 = () => b.signed(dev, 'GET', '/open/user/list', { signatureMethod: 'md5' });
      expect((await md5()).body.code).toBe(40102);
      clock.advance(1000); // past the interval of re-reads for this key's bad signatures
      await adminOnA(`/admin/keys/${dev.accessKey}/legacy-md5`, { enabled: true });
      expect((await md5()).body.code).toBe(200);
      await adminOnA(`/admin/keys/${dev.accessKey}/legacy-md5`, { enabled: false });
      expect((await md5()).body.code).toBe(40102);
    });
  });

  describe('a rotation through A without overlap', () => {
    async function rotate(dev: Credentials): Promise<Credentials> {
      const r = await a.admin<Issued>('POST', `/admin/keys/${dev.accessKey}/rotate`, { overlapSeconds: 0 });
      expect(r.body.code, r.text).toBe(200);
      return { ...dev, accessSecret: r.body.data.accessSecret };
    }

    it('B accepts the new secret at once, then refuses the old', async () => {
      const dev = await cachedOnB('Rotated');
      const rotated = await rotate(dev);
      expect((await list(b, rotated)).body.code).toBe(200);
      const old = await list(b, dev);
      expect(old.status).toBe(401);
      expect(old.body.code).toBe(40102);
      expect((await list(b, rotated)).body.code).toBe(200);
    });

    it('B refuses the old secret at once, then accepts the new', async () => {
      const dev = await cachedOnB('Rotated, old first');
      const rotated = await rotate(dev);
      expect((await list(b, dev)).body.code).toBe(40102);
      expect((await list(b, rotated)).body.code).toBe(200);
    });

    it('concurrent requests with the new secret are all accepted by B', async () => {
      const dev = await cachedOnB('Rotated, concurrent');
      const rotated = await rotate(dev);
      const replies = await Promise.all(Array.from({ length: 20 }, () => list(b, rotated)));
      expect(replies.map((r) => r.body.code)).toEqual(replies.map(() => 200));
    });
  });

  describe('bad signatures on a cached key cost no database work', () => {
    const wrongSecret = (dev: Credentials): Credentials => ({ ...dev, accessSecret: `${dev.accessSecret}x` });

    it('after one good request: one re-read for the first bad signature, then none for 50 more', async () => {
      clock.advance(5000);
      const dev = await a.createDeveloper(`Bad signatures ${randomBytes(3).toString('hex')}`);
      const good = await onB(() => list(b, dev));
      expect(good.result.body.code).toBe(200);
      expect(good.lookups).toBe(1); // not cached yet

      // The first refusal is confirmed against the database once (a secret rotated by another process
      // must not be refused): at most one read a second per key.
      const first = await onB(() => list(b, wrongSecret(dev)));
      expect(first.result.body.code).toBe(40102);
      expect(first.lookups).toBe(1);

      const flood = await onB(async () => {
        const codes: number[] = [];
        for (let i = 0; i < 50; i++) codes.push((await list(b, wrongSecret(dev))).body.code);
        return codes;
      });
      expect(flood.result).toEqual(flood.result.map(() => 40102));
      expect(flood.lookups).toBe(0);
      expect(flood.nonces).toBe(0);

      // Concurrent ones, and ones naming user-ids that are not cached (or do not exist), cost nothing either.
      const concurrent = await onB(() =>
        Promise.all(
          Array.from({ length: 50 }, (_, i) =>
            list(b, wrongSecret(dev), i % 2 ? dev.userId : String(1_000_000_000 + i)),
          ),
        ),
      );
      expect(concurrent.result.map((r) => r.body.code)).toEqual(concurrent.result.map(() => 40102));
      expect(concurrent.lookups).toBe(0);
      expect(concurrent.nonces).toBe(0);

      // The good request still works, from the cache.
      const after = await onB(() => list(b, dev));
      expect(after.result.body.code).toBe(200);
      expect(after.lookups).toBe(0);

      // A second later, the next bad signature is confirmed once more.
      clock.advance(1000);
      const later = await onB(() => list(b, wrongSecret(dev)));
      expect(later.result.body.code).toBe(40102);
      expect(later.lookups).toBe(1);
    });

    it('good requests on a cached key read nothing: one nonce write each', async () => {
      const dev = await cachedOnB('Good requests');
      const run = await onB(() => Promise.all(Array.from({ length: 50 }, () => list(b, dev))));
      expect(run.result.map((r) => r.body.code)).toEqual(run.result.map(() => 200));
      expect(run.lookups).toBe(0);
      expect(run.nonces).toBe(50);
    });

    it('a replayed nonce on a cached key is refused with 40104 without a key read', async () => {
      const dev = await cachedOnB('Replays');
      const nonce = randomBytes(16).toString('hex');
      const timestamp = clock.now();
      const send = () => b.signed(dev, 'GET', '/open/user/list', { nonce, timestamp });
      expect((await send()).body.code).toBe(200);
      const replay = await onB(send);
      expect(replay.result.body.code).toBe(40104);
      expect(replay.lookups).toBe(0);
    });
  });
});
