import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/platform/clock.js';
import { type Credentials, type Reply, startServer, type TestServer } from '../../harness.js';

/** S3 (docs/architecture.md §13): a rotation with overlap loses no request; a revoked key is refused at once. */

interface Rotated {
  accessKey: string;
  accessSecret: string;
  previousSecretExpireTime: number | null;
}

interface KeyInfo {
  accessKey: string;
  status: string;
  rotateTime: number | null;
  previousSecretExpireTime: number | null;
  revokeTime: number | null;
}

describe('secret rotation and revocation', () => {
  const clock = new ManualClock(Date.UTC(2025, 4, 14, 8, 0, 0));
  let server: TestServer;
  /** Every secret ever issued in this file, to check that no admin reply shows one. */
  const issuedSecrets: string[] = [];

  beforeAll(async () => {
    server = await startServer({
      overrides: { clock },
      env: { RATE_LIMIT_BURST: '1000000', RATE_LIMIT_PER_SECOND: '1000000' },
    });
  });
  afterAll(async () => {
    await server?.close();
  });

  async function developer(name: string): Promise<Credentials> {
    const dev = await server.createDeveloper(name);
    issuedSecrets.push(dev.accessSecret);
    return dev;
  }

  async function rotate(accessKey: string, overlapSeconds: number): Promise<Rotated> {
    const r = await server.admin<Rotated>('POST', `/admin/keys/${accessKey}/rotate`, { overlapSeconds });
    expect(r.body.code, r.text).toBe(200);
    issuedSecrets.push(r.body.data.accessSecret);
    return r.body.data;
  }

  function list(dev: Credentials, accessSecret: string): Promise<Reply> {
    return server.signed({ ...dev, accessSecret }, 'GET', '/open/user/list');
  }

  async function keyInfo(dev: Credentials): Promise<KeyInfo> {
    const r = await server.admin<{ list: KeyInfo[] }>('GET', `/admin/developers/${dev.developId}/keys`);
    expect(r.body.code, r.text).toBe(200);
    const key = r.body.data.list.find((k) => k.accessKey === dev.accessKey);
    if (!key) throw new Error(`key ${dev.accessKey} not listed`);
    return key;
  }

  it('a client sending continuously through a rotation with a 60 s overlap loses no request', async () => {
    const dev = await developer('Busy client');
    const oldSecret = dev.accessSecret;
    let current = oldSecret;
    let newSecret: string | undefined;
    let rotation: Promise<Rotated> | undefined;
    const failures: string[] = [];
    const sent = { old: 0, new: 0, oldAfterRotation: 0 };

    const call = async (secret: string) => {
      if (secret === oldSecret) sent.old++;
      else sent.new++;
      if (secret === oldSecret && newSecret !== undefined) sent.oldAfterRotation++;
      const r = await list(dev, secret);
      if (r.status !== 200 || r.body.code !== 200) failures.push(r.text);
    };

    // One client sends 300 requests one after the other, 100 ms apart on the server clock. The
    // operator rotates after the 100th; the client switches to the new secret at the 200th.
    const sequential = async () => {
      for (let i = 0; i < 300; i++) {
        if (i === 100) {
          rotation = rotate(dev.accessKey, 60).then((r) => {
            newSecret = r.accessSecret;
            return r;
          });
        }
        if (i === 200) current = (await rotation)?.accessSecret ?? current;
        await call(current);
        clock.advance(100);
      }
      finished = true;
    };
    // Other instances of the client send bursts at the same time; some switch late, some early.
    let finished = false;
    const bursts = async () => {
      while (!finished) {
        await Promise.all(
          Array.from({ length: 8 }, (_, j) => call(j % 2 === 0 || newSecret === undefined ? current : newSecret)),
        );
      }
    };
    await Promise.all([sequential(), bursts(), bursts()]);

    expect(failures).toEqual([]);
    expect(sent.old + sent.new).toBeGreaterThanOrEqual(300 + 2 * 8);
    expect(sent.oldAfterRotation).toBeGreaterThan(0);
    expect(sent.new).toBeGreaterThan(0);
    expect(current).not.toBe(oldSecret);

    // The overlap ends 60 s after the rotation, on the server clock.
    const rotated = await rotation;
    const expires = rotated?.previousSecretExpireTime;
    if (typeof expires !== 'number') throw new Error('the rotation did not report an overlap');
    const rotatedAt = expires - 60_000;
    const info = await keyInfo(dev);
    expect(info.previousSecretExpireTime).toBe(expires);
    expect(info.rotateTime).toBe(rotatedAt);

    clock.set(rotatedAt + 59_000);
    expect((await list(dev, oldSecret)).body.code).toBe(200);
    clock.set(rotatedAt + 61_000);
    const late = await list(dev, oldSecret);
    expect(late.status).toBe(401);
    expect(late.body.code).toBe(40102);
    expect((await list(dev, current)).body.code).toBe(200);
  });

  it('both secrets verify during the overlap, in any order and concurrently', async () => {
    const dev = await developer('Two secrets');
    const r = await rotate(dev.accessKey, 60);
    expect(r.accessKey).toBe(dev.accessKey);
    expect(r.accessSecret).not.toBe(dev.accessSecret);
    expect(r.previousSecretExpireTime).toBe(clock.now() + 60_000);
    const replies = await Promise.all(
      Array.from({ length: 40 }, (_, i) => list(dev, i % 2 ? dev.accessSecret : r.accessSecret)),
    );
    expect(replies.map((x) => x.body.code)).toEqual(replies.map(() => 200));
  });

  it('a rotation with overlap 0 ends the old secret at once', async () => {
    const dev = await developer('No overlap');
    expect((await list(dev, dev.accessSecret)).body.code).toBe(200);
    const r = await rotate(dev.accessKey, 0);
    expect(r.previousSecretExpireTime).toBeNull();
    const old = await list(dev, dev.accessSecret);
    expect(old.status).toBe(401);
    expect(old.body.code).toBe(40102);
    expect((await list(dev, r.accessSecret)).body.code).toBe(200);
    expect((await keyInfo(dev)).previousSecretExpireTime).toBeNull();
  });

  it('a second rotation keeps only the secret it replaces', async () => {
    const dev = await developer('Rotates twice');
    const first = await rotate(dev.accessKey, 60);
    clock.advance(10_000);
    const second = await rotate(dev.accessKey, 60);
    expect((await list(dev, dev.accessSecret)).body.code).toBe(40102);
    expect((await list(dev, first.accessSecret)).body.code).toBe(200);
    expect((await list(dev, second.accessSecret)).body.code).toBe(200);
    expect(second.previousSecretExpireTime).toBe(clock.now() + 60_000);
  });

  it('a revoked key answers 40105 to every request, whatever secret signs it', async () => {
    const dev = await developer('Revoked');
    const r = await rotate(dev.accessKey, 600);
    expect((await list(dev, r.accessSecret)).body.code).toBe(200);
    const revoked = await server.admin<KeyInfo>('POST', `/admin/keys/${dev.accessKey}/revoke`);
    expect(revoked.body.code, revoked.text).toBe(200);
    expect(revoked.body.data.status).toBe('revoked');
    expect(revoked.body.data.revokeTime).toBe(clock.now());
    expect(revoked.body.data.previousSecretExpireTime).toBeNull();
    for (const secret of [r.accessSecret, dev.accessSecret]) {
      const reply = await list(dev, secret);
      expect(reply.status).toBe(401);
      expect(reply.body.code).toBe(40105);
    }
    const create = await server.signed({ ...dev, accessSecret: r.accessSecret }, 'POST', '/open/user/create', {
      body: { name: 'after revoke' },
    });
    expect(create.body.code).toBe(40105);
    // Revoking again changes nothing; a revoked key cannot be rotated back to life.
    const again = await server.admin<KeyInfo>('POST', `/admin/keys/${dev.accessKey}/revoke`);
    expect(again.body.data.status).toBe('revoked');
    const rot = await server.admin('POST', `/admin/keys/${dev.accessKey}/rotate`, { overlapSeconds: 60 });
    expect(rot.status).toBe(409);
    expect(rot.body.code).toBe(40901);
    expect((await list(dev, r.accessSecret)).body.code).toBe(40105);
  });

  it('requests in flight when a key is revoked are answered; every later one is refused', async () => {
    const dev = await developer('Revoked under load');
    const before = await Promise.all(Array.from({ length: 20 }, () => list(dev, dev.accessSecret)));
    expect(before.every((r) => r.body.code === 200)).toBe(true);
    const during = Array.from({ length: 20 }, () => list(dev, dev.accessSecret));
    await server.admin('POST', `/admin/keys/${dev.accessKey}/revoke`);
    for (const r of await Promise.all(during)) expect([200, 40105]).toContain(r.body.code);
    const after = await Promise.all(Array.from({ length: 20 }, () => list(dev, dev.accessSecret)));
    expect(after.map((r) => r.body.code)).toEqual(after.map(() => 40105));
  });

  it('unknown keys: rotating or revoking answers 40401; a malformed key answers 40001', async () => {
    const unknown = 'f'.repeat(32);
    expect((await server.admin('POST', `/admin/keys/${unknown}/rotate`, { overlapSeconds: 0 })).body.code).toBe(40401);
    expect((await server.admin('POST', `/admin/keys/${unknown}/revoke`)).body.code).toBe(40401);
    expect((await server.admin('POST', '/admin/keys/NOT-A-KEY/revoke')).body.code).toBe(40001);
  });

  it('an overlap longer than 7 days or negative answers 40001 naming overlapSeconds', async () => {
    const dev = await developer('Bad overlap');
    for (const overlapSeconds of [-1, 7 * 24 * 3600 + 1, 1.5]) {
      const r = await server.admin('POST', `/admin/keys/${dev.accessKey}/rotate`, { overlapSeconds });
      expect(r.body.code, r.text).toBe(40001);
      expect(r.body.msg).toContain('overlapSeconds');
    }
    expect((await list(dev, dev.accessSecret)).body.code).toBe(200);
  });

  it('rotating without a body uses the default overlap of 86400 s', async () => {
    const dev = await developer('Default overlap');
    const r = await server.admin<Rotated>('POST', `/admin/keys/${dev.accessKey}/rotate`);
    expect(r.body.code, r.text).toBe(200);
    issuedSecrets.push(r.body.data.accessSecret);
    expect(r.body.data.previousSecretExpireTime).toBe(clock.now() + 86_400_000);
  });

  it('issuing a key without a body issues it with no label', async () => {
    const dev = await developer('Second key');
    const r = await server.admin<{ accessKey: string; accessSecret: string }>(
      'POST',
      `/admin/developers/${dev.developId}/keys`,
    );
    expect(r.body.code, r.text).toBe(200);
    issuedSecrets.push(r.body.data.accessSecret);
  });

  it('no admin reply ever shows a secret', async () => {
    const dev = await developer('Secret keeper');
    const extra = await server.admin<{ accessKey: string; accessSecret: string }>(
      'POST',
      `/admin/developers/${dev.developId}/keys`,
      { label: 'erp' },
    );
    expect(extra.body.code, extra.text).toBe(200);
    issuedSecrets.push(extra.body.data.accessSecret);
    await rotate(dev.accessKey, 3600);
    await rotate(extra.body.data.accessKey, 0);

    const developers = await server.admin<{ list: { developId: string }[] }>('GET', '/admin/developers?pageSize=50');
    expect(developers.body.code).toBe(200);
    const replies = [developers];
    for (const { developId } of developers.body.data.list) {
      replies.push(await server.admin('GET', `/admin/developers/${developId}`));
      replies.push(await server.admin('GET', `/admin/developers/${developId}/keys`));
      replies.push(await server.admin('GET', `/admin/developers/${developId}/users`));
    }
    expect(replies.length).toBeGreaterThan(10);
    expect(issuedSecrets.length).toBeGreaterThan(10);
    const keyFields = [
      'accessKey',
      'createTime',
      'label',
      'legacyMd5',
      'nonceless',
      'previousSecretExpireTime',
      'revokeTime',
      'rotateTime',
      'status',
    ];
    let keysShown = 0;
    for (const reply of replies) {
      expect(reply.body.code, reply.text).toBe(200);
      for (const secret of issuedSecrets) expect(reply.text).not.toContain(secret);
      expect(reply.text).not.toMatch(/secret"\s*:\s*"/i);
      const data = reply.body.data as { keys?: object[]; list?: object[] };
      for (const key of data.keys ?? []) {
        expect(Object.keys(key).sort()).toEqual(keyFields);
        keysShown++;
      }
    }
    // Each developer's page shows at least its first key, so the field check above did run.
    expect(keysShown).toBeGreaterThanOrEqual(developers.body.data.list.length + 1);
    const keys = await server.admin<{ list: object[] }>('GET', `/admin/developers/${dev.developId}/keys`);
    expect(keys.body.data.list).toHaveLength(2);
    for (const key of keys.body.data.list) expect(Object.keys(key).sort()).toEqual(keyFields);
  });
});
