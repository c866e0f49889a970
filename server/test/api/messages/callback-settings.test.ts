import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { type CallbackMessage, verifyCallback } from '@ponte/sdk/callbacks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Credentials, startServer, type TestServer } from '../../harness.js';

// The callback settings (docs/adr/0013): saving a URL verifies it with a signed POST, the secret is shown once,
// rotation signs with both secrets during the overlap. Receivers are HTTP servers on loopback, which the
// configuration allows here (CALLBACK_ALLOW_PRIVATE).

interface Received {
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A receiver on loopback answering `status` (or never, for `hang`), keeping what it was sent. */
async function receiver(
  answer: number | 'hang' | 'redirect',
): Promise<{ url: string; got: Received[]; close(): Promise<void> }> {
  const got: Received[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      got.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      if (answer === 'hang') return;
      if (answer === 'redirect') {
        res.writeHead(302, { location: 'http://127.0.0.1:1/' }).end();
        return;
      }
      res.writeHead(answer, { 'content-type': 'text/plain' }).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/callbacks`,
    got,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

type Settings = {
  url: string;
  enabled: boolean;
  secretId: string;
  previousSecretId: string | null;
  previousSecretExpireTime: number | null;
  callbackSecret: string | null;
};

let server: TestServer;
let strict: TestServer;
let dev: Credentials;

beforeAll(async () => {
  server = await startServer({ env: { CALLBACK_ALLOW_PRIVATE: 'true', CALLBACK_TIMEOUT_MS: '500' } });
  strict = await startServer();
  dev = await server.createDeveloper('Callbacks');
});
afterAll(async () => {
  await server?.close();
  await strict?.close();
});

describe('saving the callback URL', () => {
  it('verifies it with a signed POST, then answers the secret once; reading the settings never shows it', async () => {
    const r = await receiver(200);
    try {
      expect((await server.signed(dev, 'GET', '/open/message/callback')).body.data).toBeNull();
      const saved = await server.signed<Settings>(dev, 'POST', '/open/message/callback', {
        body: { callbackUrl: r.url },
      });
      expect(saved.body.code, saved.text).toBe(200);
      const { callbackSecret, secretId } = saved.body.data;
      expect(callbackSecret).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);
      expect(secretId).toMatch(/^cbs_[0-9a-f]{12}$/);
      expect(saved.body.data).toMatchObject({ url: r.url, enabled: true, previousSecretId: null });

      // The verification POST: Standard Webhooks headers, signed with the secret just answered.
      expect(r.got).toHaveLength(1);
      const [post] = r.got;
      const { message } = verifyCallback<{ developId: string; callbackUrl: string }>(
        post?.headers ?? {},
        post?.body ?? '',
        callbackSecret as string,
      );
      expect(message).toMatchObject({
        messageType: 'CALLBACK_VERIFICATION',
        messageBody: { developId: dev.developId, callbackUrl: r.url },
      } satisfies Partial<CallbackMessage>);
      expect(post?.headers['webhook-id']).toBe(message.messageId);

      const read = await server.signed<Settings>(dev, 'GET', '/open/message/callback');
      expect(read.body.data).toMatchObject({ url: r.url, enabled: true, secretId });
      expect(read.text).not.toContain(callbackSecret as string);
      // The secret is sealed at rest.
      const row = await server.deps.database.db
        .selectFrom('callback_endpoints')
        .selectAll()
        .where('develop_id', '=', dev.developId)
        .executeTakeFirstOrThrow();
      expect(row.secret_sealed).not.toContain((callbackSecret as string).slice(6));

      // Saving again (another URL) keeps the secret: it is not shown again, and it signs the new verification.
      const other = await receiver(204);
      try {
        const again = await server.signed<Settings>(dev, 'POST', '/open/message/callback', {
          body: { callbackUrl: other.url },
        });
        expect(again.body.data).toMatchObject({ url: other.url, secretId, callbackSecret: null });
        const [second] = other.got;
        expect(() => verifyCallback(second?.headers ?? {}, second?.body ?? '', callbackSecret as string)).not.toThrow();
      } finally {
        await other.close();
      }
    } finally {
      await r.close();
    }
  });

  it('refuses a URL that does not answer 2xx, answers too late or redirects, naming callbackUrl, and keeps nothing', async () => {
    const fresh = await server.createDeveloper('Unverified');
    for (const [answer, reason] of [
      [500, 'HTTP 500'],
      ['hang', 'no answer within 500 ms'],
      ['redirect', 'HTTP 302'],
    ] as const) {
      const r = await receiver(answer);
      try {
        const res = await server.signed(fresh, 'POST', '/open/message/callback', { body: { callbackUrl: r.url } });
        expect(res.body.code, res.text).toBe(40001);
        expect(res.body.msg).toContain('callbackUrl');
        expect(res.body.msg).toContain(reason);
        expect(r.got).toHaveLength(1);
      } finally {
        await r.close();
      }
    }
    const refused = await server.signed(fresh, 'POST', '/open/message/callback', {
      body: { callbackUrl: 'http://127.0.0.1:1/nothing-listens' },
    });
    expect(refused.body.code).toBe(40001);
    expect((await server.signed(fresh, 'GET', '/open/message/callback')).body.data).toBeNull();
  });

  it('takes only public https URLs unless the operator allows otherwise', async () => {
    const someone = await strict.createDeveloper('Strict');
    const r = await receiver(200);
    try {
      const plain = await strict.signed(someone, 'POST', '/open/message/callback', { body: { callbackUrl: r.url } });
      expect(plain.body.code).toBe(40001);
      expect(plain.body.msg).toContain('https');
      const loopback = await strict.signed(someone, 'POST', '/open/message/callback', {
        body: { callbackUrl: 'https://127.0.0.1/callbacks' },
      });
      expect(loopback.body.code).toBe(40001);
      expect(loopback.body.msg).toContain('private or reserved address');
      const junk = await strict.signed(someone, 'POST', '/open/message/callback', {
        body: { callbackUrl: 'not a url' },
      });
      expect(junk.body.code).toBe(40001);
      expect(r.got).toHaveLength(0);
    } finally {
      await r.close();
    }
  });

  it('is the main account’s: a sub-account gets 40301', async () => {
    const sub = await server.signed<{ userId: string }>(dev, 'POST', '/open/user/create', { body: { name: 'Sub' } });
    const asSub = { ...dev, userId: sub.body.data.userId };
    expect((await server.signed(asSub, 'GET', '/open/message/callback')).body.code).toBe(40301);
    const r = await receiver(200);
    try {
      const res = await server.signed(asSub, 'POST', '/open/message/callback', { body: { callbackUrl: r.url } });
      expect(res.body.code).toBe(40301);
      expect(r.got).toHaveLength(0);
    } finally {
      await r.close();
    }
  });
});

describe('rotating the callback secret', () => {
  it('answers a new secret once; during the overlap both secrets sign, after it only the new one', async () => {
    const owner = await server.createDeveloper('Rotation');
    const r = await receiver(200);
    try {
      const none = await server.signed(owner, 'POST', '/open/message/callback/secret', { body: {} });
      expect(none.body.code).toBe(40401);
      const saved = await server.signed<Settings>(owner, 'POST', '/open/message/callback', {
        body: { callbackUrl: r.url },
      });
      const first = saved.body.data.callbackSecret as string;
      const rotated = await server.signed<Settings>(owner, 'POST', '/open/message/callback/secret', {
        body: { overlapSeconds: 3600 },
      });
      expect(rotated.body.code, rotated.text).toBe(200);
      const second = rotated.body.data.callbackSecret as string;
      expect(second).toMatch(/^whsec_/);
      expect(second).not.toBe(first);
      expect(rotated.body.data.previousSecretId).toBe(saved.body.data.secretId);
      expect(rotated.body.data.previousSecretExpireTime).toBeGreaterThan(Date.now() + 3500 * 1000);

      // A new verification during the overlap carries both signatures: either secret verifies it.
      await server.signed(owner, 'POST', '/open/message/callback', { body: { callbackUrl: r.url } });
      const during = r.got.at(-1) as Received;
      expect(String(during.headers['webhook-signature']).split(' ')).toHaveLength(2);
      for (const s of [first, second]) expect(() => verifyCallback(during.headers, during.body, s)).not.toThrow();

      // With no overlap the previous secret stops signing at once.
      const third = (
        await server.signed<Settings>(owner, 'POST', '/open/message/callback/secret', { body: { overlapSeconds: 0 } })
      ).body.data;
      expect(third.previousSecretId).toBeNull();
      await server.signed(owner, 'POST', '/open/message/callback', { body: { callbackUrl: r.url } });
      const after = r.got.at(-1) as Received;
      expect(String(after.headers['webhook-signature']).split(' ')).toHaveLength(1);
      expect(() => verifyCallback(after.headers, after.body, third.callbackSecret as string)).not.toThrow();
      expect(() => verifyCallback(after.headers, after.body, second)).toThrow();
    } finally {
      await r.close();
    }
  });
});
