import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SecretBox } from '../../src/platform/crypto/secret-box.js';
import { AopGateway } from '../../src/providers/aop/gateway.js';
import { createAopProvider } from '../../src/providers/aop/provider.js';
import { FixedTokenSource } from '../../src/providers/tokens.js';
import { ensureBuilt } from '../processes.js';
import { quiet } from '../upstreams/fixtures.js';
import { waitFor } from '../wait.js';

// `ponte` runs the compiled server: build it first when the sources are newer.
await ensureBuilt();

/**
 * `ponte fake-upstream` (docs/adr/0016): both gateways' fakes start over a market of their own, print the settings
 * that point a server at them, and answer as the gateways do: the 1688 fake authorises through its page, exchanges
 * the code and answers a search from its market. And `ponte upstream seal-secret` seals with the master key.
 */

const BIN = fileURLToPath(new URL('../../bin/ponte.js', import.meta.url));
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ponte-fake-upstream-'));
let child: ChildProcess;
let output = '';

beforeAll(async () => {
  const { PONTE_ADMIN_TOKEN: _token, ...env } = process.env;
  child = spawn(
    process.execPath,
    [BIN, 'fake-upstream', '--aop-port', '0', '--taobao-port', '0', '--goods', '20', '--push-to', 'http://127.0.0.1:9'],
    { env: { ...env, PONTE_DATA_DIR: dataDir }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString('utf8');
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString('utf8');
  });
  await waitFor(() => output.includes('npm start'), { timeoutMs: 60_000, message: () => `the settings in ${output}` });
}, 90_000);

afterAll(async () => {
  if (child && child.exitCode === null) {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }
  fs.rmSync(dataDir, { recursive: true, force: true });
});

/** A setting as printed: `NAME=value`. */
const setting = (name: string) => new RegExp(`${name}=(\\S+)`).exec(output)?.[1] ?? '';

describe('ponte fake-upstream', () => {
  it('prints every setting a server needs', () => {
    for (const name of ['UPSTREAM_1688', 'AOP_GATEWAY_URL', 'AOP_APP_KEY', 'AOP_APP_SECRET', 'UPSTREAM_TAOBAO']) {
      expect(setting(name), name).not.toBe('');
    }
    expect(setting('TAOBAO_GLOBAL_GATEWAY_URL')).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(output).toContain('http://127.0.0.1:9/upstream/push/{1688,taobao}');
  });

  it('serves 1688’s gateway: authorises through its page, exchanges the code, answers from its market', async () => {
    const baseUrl = setting('AOP_GATEWAY_URL');
    const app = { appKey: setting('AOP_APP_KEY'), appSecret: setting('AOP_APP_SECRET') };
    const redirect = 'http://127.0.0.1:9/upstream/oauth/1688/callback';
    const page = await fetch(
      `${baseUrl}/oauth/authorize?client_id=${app.appKey}&site=1688&state=s1&redirect_uri=${encodeURIComponent(redirect)}`,
      { redirect: 'manual' },
    );
    expect(page.status).toBe(302);
    const back = new URL(page.headers.get('location') ?? '');
    expect(back.searchParams.get('state')).toBe('s1');
    const gateway = new AopGateway({ baseUrl, ...app, now: Date.now, log: quiet });
    const token = await gateway.exchangeCode(back.searchParams.get('code') ?? '', redirect);
    expect(token.owner).toMatch(/^b2b-/);
    const provider = createAopProvider({ gateway, tokens: new FixedTokenSource('aop', token.accessToken) });
    const page1 = await provider.search({ keyword: '', page: 1, pageSize: 5 });
    expect(page1.items.length).toBeGreaterThan(0);
  });

  it('serves Taobao Global’s gateway and its authorisation page', async () => {
    const baseUrl = setting('TAOBAO_GLOBAL_GATEWAY_URL');
    const redirect = encodeURIComponent('http://127.0.0.1:9/cb');
    const page = await fetch(
      `${baseUrl}/oauth/authorize?response_type=code&client_id=${setting('TAOBAO_GLOBAL_APP_KEY')}&redirect_uri=${redirect}`,
      { redirect: 'manual' },
    );
    expect(page.status).toBe(302);
    expect(page.headers.get('location')).toContain('code=');
  });
});

describe('ponte upstream seal-secret', () => {
  it('seals the secret on standard input with the master key', async () => {
    const key = randomBytes(32);
    const sealed = await new Promise<string>((resolve, reject) => {
      const run = execFile(
        process.execPath,
        [BIN, 'upstream', 'seal-secret'],
        { env: { ...process.env, PONTE_MASTER_KEY: key.toString('base64'), PONTE_DATA_DIR: dataDir } },
        (err, stdout) => (err ? reject(err) : resolve(stdout.trim())),
      );
      run.stdin?.end('the-app-secret\n');
    });
    expect(SecretBox.isSealed(sealed)).toBe(true);
    expect(new SecretBox(key).open(sealed)).toBe('the-app-secret');
  });
});
