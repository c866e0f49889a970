import { describe, expect, it } from 'vitest';
import { PonteClient } from '../src/client.js';
import { signRequest, signRequestWithCanonical } from '../src/signing.js';
import { signatureVectors } from '../src/vectors.js';
import { canonicalStringAsync, signRequestWebCrypto } from '../src/webcrypto.js';

describe('signing through Web Crypto', () => {
  describe.each(signatureVectors.map((v) => [v.name, v] as const))('%s', (_name, v) => {
    const options = {
      method: v.method,
      url: v.url,
      body: v.body ?? undefined,
      accessKey: v.accessKey,
      accessSecret: v.accessSecret,
      userId: v.userId,
      signatureMethod: v.signatureMethod,
      timestamp: Number(v.timestamp),
      nonce: v.nonce,
    };

    it('gives the published signature and the headers signRequest gives', async () => {
      const signed = await signRequestWebCrypto(options);
      expect(signed.headers.signature).toBe(v.signature);
      expect(signed.headers).toEqual(signRequest(options));
      expect(signRequestWithCanonical(options)).toEqual(signed);
    });

    it.runIf(v.signatureMethod === 'hmac-sha256')('gives the published canonical string', async () => {
      const q = v.url.indexOf('?');
      const canonical = await canonicalStringAsync({
        method: v.method,
        path: q < 0 ? v.url : v.url.slice(0, q),
        query: q < 0 ? '' : v.url.slice(q + 1),
        accessKey: v.accessKey,
        timestamp: v.timestamp,
        nonce: v.nonce,
        userId: v.userId,
        body: v.body ?? undefined,
      });
      expect(canonical).toBe(v.canonicalString);
    });
  });

  it('a client with webCrypto sends what onSigned reports, each retry signed anew', async () => {
    const sent: Record<string, string>[] = [];
    let calls = 0;
    const fakeFetch = (async (_url: string, init: RequestInit) => {
      sent.push(init.headers as Record<string, string>);
      calls++;
      if (calls === 1) return new Response('busy', { status: 503, headers: { 'retry-after': '0' } });
      const body = { requestId: 'r', code: 200, developId: 'd', msg: 'success', data: { ok: true } };
      return new Response(JSON.stringify(body), { status: 200 });
    }) as typeof fetch;
    const seen: { canonical: string; headers: Record<string, string>; url: string }[] = [];
    const client = new PonteClient({
      baseUrl: 'http://127.0.0.1:9',
      accessKey: 'AK1',
      accessSecret: 'secret-1',
      userId: '42',
      webCrypto: true,
      retryDelayMs: 1,
      fetch: fakeFetch,
      onSigned: (s) => seen.push(s),
    });
    await expect(client.request('POST', '/open/x', { query: { b: '2', a: '1' }, body: { n: 1 } })).resolves.toEqual({
      ok: true,
    });
    expect(seen).toHaveLength(2);
    expect(seen[0]?.url).toBe('/open/x?b=2&a=1');
    expect(seen[0]?.canonical.split('\n').slice(0, 3)).toEqual(['POST', '/open/x', 'a=1&b=2']);
    expect(seen[0]?.headers['nonce-str']).not.toBe(seen[1]?.headers['nonce-str']);
    for (const [i, s] of seen.entries()) {
      expect(sent[i]).toMatchObject(s.headers);
      const again = signRequest({
        method: 'POST',
        url: s.url,
        body: '{"n":1}',
        accessKey: 'AK1',
        accessSecret: 'secret-1',
        userId: '42',
        timestamp: Number(s.headers.timestamp),
        nonce: s.headers['nonce-str'],
      });
      expect(again.signature).toBe(s.headers.signature);
    }
  });
});
