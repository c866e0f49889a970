import { ApiError, PonteAdminClient, PonteClient } from '@ponte/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../harness.js';

/** The SDK against the real server: signing, envelopes, errors, paging and idempotent retries agree. */
describe('SDK end to end', () => {
  let server: TestServer;
  let admin: PonteAdminClient;
  let client: PonteClient;

  beforeAll(async () => {
    server = await startServer();
    admin = new PonteAdminClient({ baseUrl: server.baseUrl, token: server.deps.adminToken });
    const created = await admin.developers.create({ name: 'SDK developer' });
    client = new PonteClient({
      baseUrl: server.baseUrl,
      accessKey: created.key.accessKey,
      accessSecret: created.key.accessSecret,
      userId: created.mainAccount.userId,
    });
  });
  afterAll(() => server.close());

  it('creates, reads and pages through sub-accounts', async () => {
    const names = Array.from({ length: 7 }, (_, i) => `store ${i}`);
    for (const name of names) await client.users.create({ name, outMemberId: name.replace(' ', '-') });
    const one = await client.users.list({ pageNo: 1, pageSize: 3 });
    expect(one.list).toHaveLength(3);
    expect(one.total).toBe(8); // the main account and seven more
    const all: string[] = [];
    for await (const user of client.users.iterate({ pageSize: 3 })) all.push(user.name);
    expect(all).toEqual(['main', ...names]);
    const first = one.list[1];
    expect(first && (await client.users.get(first.userId)).name).toBe('store 0');
  });

  it('turns error envelopes into ApiError with code, msg and requestId', async () => {
    const error = await client.users.get('1234567890').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).code).toBe(40401);
    expect((error as ApiError).requestId).toMatch(/^[0-9a-f]{32}$/);
    expect((error as ApiError).msg).toContain('1234567890');
  });

  it('acts as a sub-account when given its user-id, and is refused what the main account may do', async () => {
    const sub = await client.users.create({ name: 'acting' });
    const own = await client.users.list({}, { userId: sub.userId });
    expect(own.list.map((u) => u.userId)).toEqual([sub.userId]);
    const refused = await client.users.create({ name: 'x' }, { userId: sub.userId }).catch((e: unknown) => e);
    expect((refused as ApiError).code).toBe(40301);
  });

  it('replays a create sent twice with one idempotency key', async () => {
    const a = await client.users.create({ name: 'once' }, { idempotencyKey: 'sdk-once-1' });
    const b = await client.users.create({ name: 'once' }, { idempotencyKey: 'sdk-once-1' });
    expect(b).toEqual(a);
    const named = [];
    for await (const user of client.users.iterate()) if (user.name === 'once') named.push(user);
    expect(named).toHaveLength(1);
  });

  it('drives the operator API: rotate with overlap, then revoke', async () => {
    const dev = await admin.developers.create({ name: 'Rotating' });
    const rotated = await admin.keys.rotate(dev.key.accessKey, { overlapSeconds: 60 });
    const main = dev.mainAccount.userId;
    const oldClient = new PonteClient({ baseUrl: server.baseUrl, ...dev.key, userId: main });
    const newClient = new PonteClient({ baseUrl: server.baseUrl, ...rotated, userId: main });
    expect((await oldClient.users.list()).total).toBe(1);
    expect((await newClient.users.list()).total).toBe(1);
    await admin.keys.revoke(dev.key.accessKey);
    const refused = await newClient.users.list().catch((e: unknown) => e);
    expect((refused as ApiError).code).toBe(40105);
  });
});
