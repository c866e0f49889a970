import { canonicalString, hmacSignature, md5Signature } from '@ponte/sdk/signing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Credentials, Reply } from '../../harness.js';
import { type GoodsServer, startGoodsServer } from '../goods/goods-harness.js';

/**
 * PandaPon's v2 pages list no `nonce-str` (docs/adr/0019): a key the operator allows may leave it out on the v2
 * paths, and such a request is then accepted once, by its signature.
 */
describe('v2 requests without nonce-str', () => {
  let g: GoodsServer;
  let dev: Credentials;
  let itemPath: string;
  beforeAll(async () => {
    g = await startGoodsServer();
    dev = await g.server.createDeveloper('Nonceless');
    itemPath = `/v2/taobao/product/get?itemId=${g.taobaoIds[0]}`;
  });
  afterAll(() => g.close());

  /** A request signed without a nonce: the canonical string's nonce line is empty and no nonce-str is sent. */
  function nonceless(
    url: string,
    options: { method?: string; body?: string; timestamp?: number; md5?: boolean; secret?: string } = {},
  ): Promise<Reply> {
    const method = options.method ?? 'GET';
    const timestamp = String(options.timestamp ?? g.server.deps.clock.now());
    const q = url.indexOf('?');
    const canonical = canonicalString({
      method,
      path: q < 0 ? url : url.slice(0, q),
      query: q < 0 ? '' : url.slice(q + 1),
      accessKey: dev.accessKey,
      timestamp,
      nonce: '',
      userId: dev.userId,
      body: options.body,
    });
    const secret = options.secret ?? dev.accessSecret;
    const signature = options.md5
      ? md5Signature(dev.accessKey, '', timestamp, secret)
      : hmacSignature(secret, canonical);
    return g.server.request(method, url, {
      body: options.body,
      headers: {
        'access-key': dev.accessKey,
        timestamp,
        'user-id': dev.userId,
        signature,
        ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
      },
    });
  }

  const allow = (enabled: boolean) =>
    g.server.admin<{ nonceless: boolean }>('POST', `/admin/keys/${dev.accessKey}/nonceless`, { enabled });

  it('refuses them with 40101 naming nonce-str until the operator allows the key', async () => {
    const r = await nonceless(itemPath);
    expect(r.status).toBe(401);
    expect(r.body.code).toBe(40101);
    expect(r.body.msg).toContain('nonce-str');
    // With a nonce, v2 is signed as v1 is.
    expect((await g.server.signed(dev, 'GET', itemPath)).body.code).toBe(200);
  });

  it('accepts each signature once on an allowed key: its replay is 40104, a new timestamp is a new request', async () => {
    const allowed = await allow(true);
    expect(allowed.body.code).toBe(200);
    expect(allowed.body.data.nonceless).toBe(true);
    const timestamp = g.server.deps.clock.now();
    const first = await nonceless(itemPath, { timestamp });
    expect(first.body.code).toBe(200);
    const replay = await nonceless(itemPath, { timestamp });
    expect(replay.status).toBe(401);
    expect(replay.body.code).toBe(40104);
    // Another request at the same millisecond has another signature.
    expect((await nonceless(`${itemPath}&language=vi`, { timestamp })).body.code).toBe(200);
    expect((await nonceless(itemPath, { timestamp: timestamp + 1 })).body.code).toBe(200);
    // The signature still covers the request: a body or path changed under it fails.
    const body = JSON.stringify({ itemId: g.taobaoIds[1] });
    const signed = await nonceless('/v2/taobao/product/source/get', { method: 'POST', body });
    expect(signed.body.code).toBe(200);
    const wrong = await nonceless(itemPath, { secret: 'not-the-secret' });
    expect(wrong.body.code).toBe(40102);
  });

  it('keeps the nonce required on v1, whatever the key allows', async () => {
    const r = await nonceless(`/open/product/get?itemId=${g.taobaoIds[0]}`);
    expect(r.body.code).toBe(40101);
    expect(r.body.msg).toContain('nonce-str');
  });

  it('guards a legacy MD5 signature (key and timestamp only) the same way', async () => {
    await g.server.admin('POST', `/admin/keys/${dev.accessKey}/legacy-md5`, { enabled: true });
    const timestamp = g.server.deps.clock.now() + 7;
    expect((await nonceless(itemPath, { md5: true, timestamp })).body.code).toBe(200);
    // MD5 does not sign the path: the same signature on another request is the same signature, refused.
    const other = await nonceless(`/v2/taobao/product/get?itemId=${g.taobaoIds[2]}`, { md5: true, timestamp });
    expect(other.body.code).toBe(40104);
    await g.server.admin('POST', `/admin/keys/${dev.accessKey}/legacy-md5`, { enabled: false });
  });

  it('refuses them again as soon as the operator withdraws the permission', async () => {
    expect((await allow(false)).body.data.nonceless).toBe(false);
    expect((await nonceless(itemPath)).body.code).toBe(40101);
  });
});
