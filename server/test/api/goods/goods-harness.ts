import { type Credentials, startServer, type TestServer } from '../../harness.js';

/** A server on the sandbox market (a small catalog), a developer, and helpers to pick goods. */
export interface GoodsServer {
  server: TestServer;
  dev: Credentials;
  /** Product ids by platform, in catalog order. */
  taobaoIds: string[];
  alibabaIds: string[];
  close(): Promise<void>;
}

export async function startGoodsServer(env: Record<string, string> = {}): Promise<GoodsServer> {
  const server = await startServer({
    env: {
      SANDBOX_GOODS: '150',
      SANDBOX_SEED: '4',
      UPSTREAM_TIMEOUT_MS: '200',
      RATE_LIMIT_PER_SECOND: '10000',
      RATE_LIMIT_BURST: '10000',
      ...env,
    },
  });
  const dev = await server.createDeveloper();
  const sandbox = server.deps.sandbox;
  if (!sandbox) throw new Error('the goods tests run on the sandbox market');
  sandbox.ensureSeeded();
  const ids = (platform: string) =>
    (
      sandbox.store.db.prepare('select id from goods where platform = ? order by idx').all(platform) as { id: string }[]
    ).map((r) => r.id);
  return { server, dev, taobaoIds: ids('taobao'), alibabaIds: ids('1688'), close: () => server.close() };
}
