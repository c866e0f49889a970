import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Credentials, startServer, type TestServer } from '../../harness.js';

describe('POST /open/user/create', () => {
  let server: TestServer;
  let dev: Credentials;
  beforeAll(async () => {
    server = await startServer();
    dev = await server.createDeveloper();
  });
  afterAll(() => server.close());

  it('creates a sub-account that can then sign requests as itself', async () => {
    const r = await server.signed<{ userId: string; mainAccount: boolean }>(dev, 'POST', '/open/user/create', {
      body: { name: 'Hanoi store', outMemberId: 'hn-1' },
    });
    expect(r.status).toBe(200);
    expect(r.body.code).toBe(200);
    expect(r.body.developId).toBe(dev.developId);
    expect(r.body.data.mainAccount).toBe(false);
    const list = await server.signed<{ total: number }>(dev, 'GET', '/open/user/list', { userId: r.body.data.userId });
    expect(list.body.code).toBe(200);
    expect(list.body.data.total).toBe(1);
  });

  it('refuses a sub-account creating siblings with 40301', async () => {
    const sub = await server.signed<{ userId: string }>(dev, 'POST', '/open/user/create', {
      body: { name: 'Da Nang' },
    });
    const r = await server.signed(dev, 'POST', '/open/user/create', {
      body: { name: 'x' },
      userId: sub.body.data.userId,
    });
    expect(r.status).toBe(403);
    expect(r.body.code).toBe(40301);
  });
});
