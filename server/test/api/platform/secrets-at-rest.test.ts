import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { FastifyRequest } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SecretBox } from '../../../src/platform/crypto/secret-box.js';
import { REPLAY_TTL_MS, requestFingerprint } from '../../../src/platform/http/idempotency.js';
import {
  createTestDatabase,
  type Reply,
  startServer,
  TEST_DB,
  type TestDatabase,
  type TestServer,
} from '../../harness.js';

/**
 * No secret can be read back from the database files: the replies of developer creation, key issue
 * and rotation carry an `accessSecret`, and `Idempotency-Key` stores replies for 24 h to replay them,
 * so stored replies are sealed with the master key. The check searches the raw bytes of every file of
 * the database (SQLite: the main file, its WAL and shared memory, and the sandbox's) for each secret,
 * and shows that the same search finds what is stored in clear in the same rows.
 */

interface Issued {
  accessKey: string;
  accessSecret: string;
}

const unique = (label: string) => `${label}-${randomBytes(8).toString('hex')}`;

/** The ways a secret could be written: as text, and its bytes (it is base64url of random bytes) in hex or base64. */
function encodings(secret: string): Buffer[] {
  const raw = Buffer.from(secret, 'base64url');
  return [
    Buffer.from(secret, 'utf8'),
    Buffer.from(secret, 'utf16le'),
    raw,
    Buffer.from(raw.toString('hex'), 'latin1'),
    Buffer.from(raw.toString('hex').toUpperCase(), 'latin1'),
    Buffer.from(raw.toString('base64'), 'latin1'),
    Buffer.from(Buffer.from(secret, 'utf8').toString('hex'), 'latin1'),
  ];
}

/** Every file of the data dir but the master key and the admin token, which are not database files. */
function databaseFiles(dataDir: string): { name: string; bytes: Buffer }[] {
  return fs
    .readdirSync(dataDir)
    .filter((name) => name !== 'master.key' && name !== 'admin-token')
    .map((name) => path.join(dataDir, name))
    .filter((file) => fs.statSync(file).isFile())
    .map((file) => ({ name: path.basename(file), bytes: fs.readFileSync(file) }));
}

function filesContaining(files: { name: string; bytes: Buffer }[], needles: Buffer[]): string[] {
  return files.filter((f) => needles.some((n) => f.bytes.includes(n))).map((f) => f.name);
}

describe(`secrets at rest (${TEST_DB})`, () => {
  let database: TestDatabase;
  let server: TestServer;
  /** Written in clear in the same requests: the developer's name, the key's label and the Idempotency-Keys. */
  const name = unique('Secrets at rest developer');
  const label = unique('label');
  const idemKeys = { create: unique('idem-create'), issue: unique('idem-issue'), rotate: unique('idem-rotate') };
  const secrets: string[] = [];
  let rotated: Reply<Issued>;
  let accessKey: string;
  let closed = false;

  function admin<T>(method: string, url: string, body: unknown, idempotencyKey: string): Promise<Reply<T>> {
    return server.request<T>(method, url, {
      body: JSON.stringify(body),
      headers: {
        authorization: `Bearer ${server.deps.adminToken}`,
        'content-type': 'application/json',
        'idempotency-key': idempotencyKey,
      },
    });
  }

  beforeAll(async () => {
    database = await createTestDatabase();
    server = await startServer({ database });
    const created = await admin<{ developer: { developId: string }; key: Issued }>(
      'POST',
      '/admin/developers',
      { name },
      idemKeys.create,
    );
    expect(created.body.code, created.text).toBe(200);
    const developId = created.body.data.developer.developId;
    secrets.push(created.body.data.key.accessSecret);
    const issued = await admin<Issued>('POST', `/admin/developers/${developId}/keys`, { label }, idemKeys.issue);
    expect(issued.body.code, issued.text).toBe(200);
    secrets.push(issued.body.data.accessSecret);
    accessKey = issued.body.data.accessKey;
    rotated = await admin<Issued>('POST', `/admin/keys/${accessKey}/rotate`, { overlapSeconds: 0 }, idemKeys.rotate);
    expect(rotated.body.code, rotated.text).toBe(200);
    secrets.push(rotated.body.data.accessSecret);
    expect(new Set(secrets).size).toBe(3);
  });
  afterAll(async () => {
    if (!closed) await server?.close();
    await database?.drop();
  });

  it('a replay still answers the secret', async () => {
    const again = await admin<Issued>(
      'POST',
      `/admin/keys/${accessKey}/rotate`,
      { overlapSeconds: 0 },
      idemKeys.rotate,
    );
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.text).toBe(rotated.text);
    expect(again.body.data.accessSecret).toBe(secrets[2]);
  });

  it('every stored reply is sealed and none holds a secret', async () => {
    const rows = await server.deps.database.db
      .selectFrom('idempotency_keys')
      .select(['idem_key', 'response_body'])
      .execute();
    expect(rows.map((r) => r.idem_key).sort()).toEqual(Object.values(idemKeys).sort());
    for (const row of rows) {
      const body = row.response_body ?? '';
      expect(SecretBox.isSealed(body), body.slice(0, 40)).toBe(true);
      for (const secret of secrets) expect(body).not.toContain(secret);
      expect(body).not.toContain(name);
    }
  });

  it('a reply stored in clear before replies were sealed is replayed as it is', async () => {
    const key = unique('idem-legacy');
    const body = { name: unique('legacy') };
    const fake = { method: 'POST', raw: { url: '/admin/developers' }, rawBody: Buffer.from(JSON.stringify(body)) };
    const stored = JSON.stringify({ requestId: 'f'.repeat(32), code: 200, developId: '', msg: 'success', data: body });
    const now = server.deps.clock.now();
    await server.deps.database.db
      .insertInto('idempotency_keys')
      .values({
        develop_id: 'admin',
        idem_key: key,
        request_hash: requestFingerprint(fake as unknown as FastifyRequest),
        state: 'done',
        http_status: 200,
        response_body: stored,
        locked_until: now,
        created_at: now,
        expires_at: now + REPLAY_TTL_MS,
      })
      .execute();
    const replay = await admin('POST', '/admin/developers', body, key);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(replay.text).toBe(stored);
    await server.deps.database.db.deleteFrom('idempotency_keys').where('idem_key', '=', key).execute();
  });

  it.skipIf(TEST_DB !== 'sqlite')(
    'no file of the database holds a secret, while it holds what was stored in clear',
    async () => {
      const controls = [name, label, accessKey, ...Object.values(idemKeys)].map((v) => Buffer.from(v, 'utf8'));
      const needles = secrets.flatMap(encodings);
      const check = (when: string, expectWal: boolean) => {
        const files = databaseFiles(database.dataDir);
        const names = files.map((f) => f.name);
        expect(names, when).toContain('ponte.db');
        if (expectWal) expect(names, when).toContain('ponte.db-wal');
        expect(
          names.some((n) => n.startsWith('sandbox.db')),
          when,
        ).toBe(true);
        // The positive control: each value written in clear by the same requests (the Idempotency-Keys in
        // the very rows that hold the sealed replies) is found, in the WAL or in the main file.
        for (const control of controls)
          expect(filesContaining(files, [control]), `${when}: ${control}`).not.toEqual([]);
        expect(filesContaining(files, needles), when).toEqual([]);
      };
      // While the server runs, the latest writes are in the WAL (checkpoints copy them to the main file
      // but do not empty it); after it closes, the WAL is folded into the main file.
      check('server running', true);
      closed = true;
      await server.close();
      check('server closed', false);
    },
  );
});
