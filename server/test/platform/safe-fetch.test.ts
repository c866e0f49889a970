import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  FetchRefused,
  isBlockedAddress,
  type ResolvedAddress,
  type SafeFetchOptions,
  safeFetch,
} from '../../src/platform/net/safe-fetch.js';

describe('safeFetch: client-given URLs cannot reach private addresses', () => {
  let server: http.Server;
  let base: string;

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      if (req.url === '/big') return res.end(Buffer.alloc(5000));
      if (req.url === '/slow') return setTimeout(() => res.end('late'), 500);
      if (req.url === '/slow-body') {
        res.writeHead(200, { 'content-type': 'image/png' }).write('early');
        return setTimeout(() => res.end('late'), 500);
      }
      if (req.url === '/redirect') return res.writeHead(302, { location: '/ok' }).end();
      if (req.url === '/ok') return res.end('fine');
      res.writeHead(404).end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  const guarded = { timeoutMs: 2000, maxBytes: 1000, allowPrivate: false };
  const open = { ...guarded, allowPrivate: true };

  it('knows the reserved ranges', () => {
    for (const a of [
      '127.0.0.1',
      '10.0.0.8',
      '172.20.1.1',
      '192.168.1.1',
      '169.254.169.254',
      '100.64.0.1',
      '0.0.0.0',
      '::1',
      'fe80::1',
      'fd00::1',
      '::ffff:127.0.0.1',
    ]) {
      expect(isBlockedAddress(a), a).toBe(true);
    }
    for (const a of ['8.8.8.8', '203.0.113.9', '2606:4700::1111']) expect(isBlockedAddress(a), a).toBe(false);
  });

  it('refuses loopback, private and metadata addresses, by literal and by DNS name', async () => {
    for (const url of [
      `${base}/ok`,
      'http://169.254.169.254/latest/meta-data',
      'http://[::1]/',
      'http://localhost/x.jpg',
    ]) {
      await expect(safeFetch(url, guarded), url).rejects.toBeInstanceOf(FetchRefused);
    }
  });

  it('refuses other schemes and credentials in URLs', async () => {
    await expect(safeFetch('file:///etc/passwd', open)).rejects.toThrow(/http/);
    await expect(safeFetch('ftp://example.com/x', open)).rejects.toThrow(/http/);
    await expect(safeFetch('http://user:pw@example.com/', open)).rejects.toThrow(/credentials/);
  });

  it('when private addresses are allowed: follows redirects, caps the size, keeps the deadline', async () => {
    expect((await safeFetch(`${base}/redirect`, open)).toString()).toBe('fine');
    await expect(safeFetch(`${base}/big`, open)).rejects.toThrow(/larger than 1000 bytes/);
    await expect(safeFetch(`${base}/slow`, { ...open, timeoutMs: 100 })).rejects.toThrow(/no answer within 100 ms/);
    await expect(safeFetch(`${base}/slow-body`, { ...open, timeoutMs: 100 })).rejects.toThrow(
      /no answer within 100 ms/,
    );
    await expect(safeFetch(`${base}/missing`, open)).rejects.toThrow(/HTTP 404/);
  });
});

describe('safeFetch: redirects and DNS answers cannot lead to private addresses', () => {
  // `internal` stands for what only the server can reach: any request it sees is a leak. `outside` is a
  // loopback fake these tests declare public (127.0.0.2 only), so a first hop to it is allowed and the
  // guard has to refuse on the redirect or the DNS answer, not on the first address.
  let internal: http.Server;
  let outside: http.Server;
  let internalPort: number;
  let outsidePort: number;
  let internalHits: string[] = [];
  let outsideHits: string[] = [];

  beforeAll(async () => {
    internal = http.createServer((req, res) => {
      internalHits.push(req.url ?? '');
      res.end('internal secret');
    });
    outside = http.createServer((req, res) => {
      outsideHits.push(req.url ?? '');
      const to = (location: string) => res.writeHead(302, { location }).end();
      if (req.url === '/to-loopback') return to(`http://127.0.0.1:${internalPort}/secret`);
      if (req.url === '/to-mapped') return to(`http://[::ffff:127.0.0.1]:${internalPort}/secret`);
      if (req.url === '/to-ten') return to('http://10.0.0.1/secret');
      if (req.url === '/to-internal-name') return to(`http://internal.example:${internalPort}/secret`);
      if (req.url === '/to-mixed-name') return to(`http://mixed.example:${internalPort}/secret`);
      if (req.url === '/hop') return to('/picture');
      if (req.url === '/picture') return res.end('public picture');
      res.writeHead(404).end();
    });
    await new Promise<void>((r) => internal.listen(0, '127.0.0.1', r));
    await new Promise<void>((r) => outside.listen(0, '127.0.0.2', r));
    internalPort = (internal.address() as AddressInfo).port;
    outsidePort = (outside.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await new Promise<void>((r) => internal.close(() => r()));
    await new Promise<void>((r) => outside.close(() => r()));
  });
  beforeEach(() => {
    internalHits = [];
    outsideHits = [];
  });

  const names: Record<string, string[]> = {
    'public.example': ['127.0.0.2'],
    'internal.example': ['127.0.0.1'],
    'mixed.example': ['93.184.216.34', '127.0.0.1'],
    'mixed-private-first.example': ['127.0.0.1', '93.184.216.34'],
  };
  const resolve = async (host: string): Promise<ResolvedAddress[]> => {
    const list = names[host];
    if (!list) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
    return list.map((address) => ({ address, family: 4 }));
  };
  const rules: SafeFetchOptions = {
    timeoutMs: 2000,
    maxBytes: 1000,
    allowPrivate: false,
    resolve,
    isBlocked: (address) => address !== '127.0.0.2' && isBlockedAddress(address),
  };
  const outsideUrl = (path: string) => `http://public.example:${outsidePort}${path}`;

  it('reaches the fake public host and follows its redirects (the setup lets a first hop through)', async () => {
    expect((await safeFetch(outsideUrl('/hop'), rules)).toString()).toBe('public picture');
    expect(outsideHits).toEqual(['/hop', '/picture']);
  });

  it('the internal listener sees a leak: with private addresses allowed, the redirect reaches it', async () => {
    const body = await safeFetch(outsideUrl('/to-loopback'), { ...rules, allowPrivate: true });
    expect(body.toString()).toBe('internal secret');
    expect(internalHits).toEqual(['/secret']);
  });

  it('refuses a redirect to a private address literal, with no request reaching it', async () => {
    for (const path of ['/to-loopback', '/to-mapped', '/to-ten']) {
      await expect(safeFetch(outsideUrl(path), rules), path).rejects.toThrow(
        /the URL points to a private or reserved address/,
      );
    }
    expect(outsideHits).toEqual(['/to-loopback', '/to-mapped', '/to-ten']);
    expect(internalHits).toEqual([]);
  });

  it('refuses a redirect to a name that resolves to a private address, with no request reaching it', async () => {
    await expect(safeFetch(outsideUrl('/to-internal-name'), rules)).rejects.toThrow(
      /internal\.example resolves to a private or reserved address/,
    );
    await expect(safeFetch(outsideUrl('/to-mixed-name'), rules)).rejects.toThrow(
      /mixed\.example resolves to a private or reserved address/,
    );
    expect(outsideHits).toEqual(['/to-internal-name', '/to-mixed-name']);
    expect(internalHits).toEqual([]);
  });

  it('refuses a name whose DNS answer mixes public and private addresses as a whole', async () => {
    for (const host of ['mixed.example', 'mixed-private-first.example']) {
      await expect(safeFetch(`http://${host}:${internalPort}/secret`, rules), host).rejects.toThrow(
        `${host} resolves to a private or reserved address`,
      );
    }
    expect(internalHits).toEqual([]);
  });
});
