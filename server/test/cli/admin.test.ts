import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../harness.js';
import { json, ponte } from './ponte-admin.js';

describe('ponte admin', () => {
  let server: TestServer;
  let at: string[];
  beforeAll(async () => {
    server = await startServer();
    at = ['--url', server.baseUrl, '--token', server.deps.adminToken];
  });
  afterAll(() => server.close());

  it('creates a developer and lists it', async () => {
    const created = json<{ developer: { developId: string; name: string }; key: { accessSecret: string } }>(
      await ponte(['developers', 'create', '--name', 'Saigon Sourcing Co.', '--email', 'ops@example.com', ...at]),
    );
    expect(created.developer.name).toBe('Saigon Sourcing Co.');
    expect(created.key.accessSecret.length).toBeGreaterThan(20);

    const run = await ponte([...at, 'developers', 'list']);
    const list = json<{ list: { developId: string; email: string }[]; total: number }>(run);
    expect(list.total).toBe(1);
    expect(list.list[0]).toMatchObject({ developId: created.developer.developId, email: 'ops@example.com' });
    expect(run.stdout).toContain('\n  "list"'); // pretty-printed by default
  });

  it('manages keys, sub-accounts and developer status', async () => {
    const dev = await server.createDeveloper('CLI keys');
    const keysFlow = async () => {
      const issued = json<{ accessKey: string }>(
        await ponte(['keys', 'issue', dev.developId, '--label', 'erp', ...at]),
      );
      const unlabelled = json<{ accessKey: string }>(await ponte(['keys', 'issue', dev.developId, ...at]));
      const keys = json<{ label: string | null }[]>(await ponte(['keys', 'list', dev.developId, ...at]));
      expect(keys.map((k) => k.label)).toEqual(['first key', 'erp', null]);
      const rotated = json<{ previousSecretExpireTime: number | null }>(
        await ponte(['keys', 'rotate', issued.accessKey, '--overlap', '60', ...at]),
      );
      expect(rotated.previousSecretExpireTime).toBeGreaterThan(Date.now());
      const byDefault = json<{ previousSecretExpireTime: number }>(
        await ponte(['keys', 'rotate', unlabelled.accessKey, ...at]),
      );
      expect(byDefault.previousSecretExpireTime).toBeGreaterThan(Date.now() + 86_000_000);
      const md5 = json<{ legacyMd5: boolean }>(await ponte(['keys', 'legacy-md5', issued.accessKey, '--on', ...at]));
      expect(md5.legacyMd5).toBe(true);
      const nonceless = json<{ nonceless: boolean }>(
        await ponte(['keys', 'nonceless', issued.accessKey, '--on', ...at]),
      );
      expect(nonceless.nonceless).toBe(true);
      const neither = await ponte(['keys', 'legacy-md5', issued.accessKey, ...at]);
      expect(neither.code).not.toBe(0);
      expect(neither.stderr).toContain('--on');
      expect(json<{ status: string }>(await ponte(['keys', 'revoke', issued.accessKey, ...at])).status).toBe('revoked');
    };
    const usersFlow = async () => {
      const sub = json<{ userId: string }>(
        await ponte(['users', 'create', dev.developId, '--name', 'Hanoi store', '--out-member-id', 'hn-1', ...at]),
      );
      expect(json<{ status: string }>(await ponte(['users', 'disable', sub.userId, ...at])).status).toBe('disabled');
      const users = json<{ total: number; list: { userId: string; status: string }[] }>(
        await ponte(['users', 'list', dev.developId, '--page-size', '10', ...at]),
      );
      expect(users.total).toBe(2);
      expect(users.list.find((u) => u.userId === sub.userId)?.status).toBe('disabled');
      expect(json<{ status: string }>(await ponte(['users', 'enable', sub.userId, ...at])).status).toBe('active');
    };
    await Promise.all([keysFlow(), usersFlow()]);

    const disabled = json<{ status: string }>(await ponte(['developers', 'disable', dev.developId, ...at]));
    expect(disabled.status).toBe('disabled');
    const shown = json<{ developer: { status: string }; keys: unknown[] }>(
      await ponte(['developers', 'get', dev.developId, ...at]),
    );
    expect(shown.developer.status).toBe('disabled');
    expect(shown.keys).toHaveLength(3);
    expect(json<{ status: string }>(await ponte(['developers', 'enable', dev.developId, ...at])).status).toBe('active');
  });

  it('reads the token from the data directory, and reports API errors on stderr with exit code 1', async () => {
    const fromFile = await ponte(['developers', 'get', '1', '--url', server.baseUrl], {
      PONTE_DATA_DIR: server.deps.config.dataDir,
    });
    expect(fromFile.code).toBe(1);
    expect(fromFile.stdout).toBe('');
    expect(fromFile.stderr).toMatch(/^error 40401: Not found: developer 1 \(requestId [0-9a-f]{32}\)\n$/);

    const badToken = await ponte(['developers', 'list', '--url', server.baseUrl, '--token', 'x'.repeat(32)]);
    expect(badToken.code).toBe(1);
    expect(badToken.stderr).toMatch(/^error 40106: /);
  });

  it('lists, retries and discards dead letters', async () => {
    const { database, ids, clock } = server.deps;
    const now = clock.now();
    const row = (id: string, key: string) => ({
      id,
      event_type: 'test.cli',
      payload: JSON.stringify({ n: id }),
      status: 'dead' as const,
      attempts: 3,
      max_attempts: 3,
      available_at: now,
      lease_owner: null,
      lease_until: null,
      last_error: 'receiver said no',
      ordering_key: key,
      created_at: now,
      updated_at: now,
    });
    const [a, b] = [ids.next(now), ids.next(now)];
    await database.db
      .insertInto('outbox')
      .values([row(a, 'k1'), row(b, 'k2')])
      .execute();

    const list = json<{ total: number; list: { id: string; lastError: string }[] }>(
      await ponte(['dead-letters', 'list', '--type', 'test.cli', ...at]),
    );
    expect(list.total).toBe(2);
    expect(list.list.map((d) => d.id).sort()).toEqual([a, b].sort());
    expect(list.list[0]?.lastError).toBe('receiver said no');
    expect(json<{ status: string }>(await ponte(['dead-letters', 'retry', a, ...at])).status).toBe('pending');
    expect(json<{ status: string }>(await ponte(['dead-letters', 'discard', b, ...at])).status).toBe('done');
    const after = json<{ total: number }>(await ponte(['dead-letters', 'list', '--type', 'test.cli', ...at]));
    expect(after.total).toBe(0);
    const again = await ponte(['dead-letters', 'retry', a, ...at]);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/^error 40401: /);
    await database.db.deleteFrom('outbox').where('event_type', '=', 'test.cli').execute();
  });
});
