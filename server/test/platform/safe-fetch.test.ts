import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FetchRefused, isBlockedAddress, safeFetch } from '../../src/platform/net/safe-fetch.js';

describe('safeFetch: client-given URLs cannot reach private addresses', () => {
  let server: http.Server;
  let base: string;

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      if (req.url === '/big') return res.end(Buffer.alloc(5000));
      if (req.url === '/slow') return setTimeout(() => res.end('late'), 500);
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
    await expect(safeFetch(`${base}/missing`, open)).rejects.toThrow(/HTTP 404/);
  });
});
