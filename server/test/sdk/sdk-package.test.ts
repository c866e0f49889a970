import { type ChildProcess, execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GoodsServer, startGoodsServer } from '../api/goods/goods-harness.js';
import type { Credentials } from '../harness.js';
import { ensureBuilt } from '../processes.js';

// @ponte/sdk as another project gets it: `npm pack`, installed from the tarball into an empty project outside
// the workspace, then used by an ordinary ES module and an ordinary CommonJS script under plain `node` (no
// TypeScript loader, no `ponte-source` condition) against a live server: the published vectors, a signed goods
// search, and a callback receiver verifying the server's signed POST. Then the same package under the `browser`
// condition (its hashing on @noble/hashes, without Buffer), and its declarations as a TypeScript project without
// Node's types checks them.

const ROOT = path.resolve(import.meta.dirname, '../../..');
const SDK = path.join(ROOT, 'sdk');
const run = promisify(execFile);

/** The environment without what npm and vitest set for themselves, so that npm and node act as in a shell. */
function plainEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (!/^npm_/i.test(name) && name !== 'NODE_OPTIONS') env[name] = value;
  }
  return { ...env, npm_config_update_notifier: 'false' };
}

/** The part of the consumer script shared by both module systems; the imports above it differ. */
const BODY = `
const say = (line) => process.stdout.write(\`\${JSON.stringify(line)}\\n\`);

function readSecret() {
  return new Promise((resolve) => {
    let text = '';
    process.stdin.setEncoding('utf8');
    process.stdin.on('data', (chunk) => {
      text += chunk;
    });
    process.stdin.on('end', () => resolve(text.trim()));
  });
}

async function main() {
  const { baseUrl, accessKey, accessSecret, userId, itemId } = JSON.parse(process.argv[2]);

  // The published vectors, as JavaScript and as the JSON files.
  const signed = signatureVectors.filter(
    (v) => signRequest({ ...v, body: v.body ?? undefined, timestamp: Number(v.timestamp) }).signature === v.signature,
  );
  const callbacksSigned = callbackFile.vectors.filter(
    (v) => callbackHeaders(v.secrets, v.id, v.timestamp, v.body)['webhook-signature'] === v.signature,
  );
  say({
    vectors: { signed: signed.length, of: signatureFile.vectors.length },
    callbackVectors: { signed: callbacksSigned.length, of: callbackVectors.length },
  });

  // A signed read and a signed search.
  const client = new PonteClient({ baseUrl, accessKey, accessSecret, userId });
  const product = await client.taobao.get(itemId, 'en');
  const page = await client.taobao.search({ keyword: product.titleTrans, language: 'en', pageSize: 40 });
  say({ search: { itemId: String(product.itemId), found: page.list.map((item) => String(item.itemId)) } });

  // A callback receiver: it answers 200 and keeps the raw body and the headers of what it gets.
  let deliver;
  const delivered = new Promise((resolve) => {
    deliver = resolve;
  });
  const receiver = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
      deliver({ headers: req.headers, body: Buffer.concat(chunks) });
    });
  });
  await new Promise((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  say({ url: \`http://127.0.0.1:\${receiver.address().port}/ponte/callbacks\` });

  const [delivery, secret] = await Promise.all([delivered, readSecret()]);
  receiver.close();
  const { id, message } = verifyCallback(delivery.headers, delivery.body, secret);
  const forged = Buffer.from(delivery.body.toString('utf8').replace('CALLBACK_VERIFICATION', 'ORDER_PAID'));
  let tampered = 'accepted';
  try {
    verifyCallback(delivery.headers, forged, secret);
  } catch (err) {
    tampered = err instanceof CallbackVerificationError ? err.reason : String(err);
  }
  say({ verified: { id, webhookId: delivery.headers['webhook-id'], message }, tampered });
}

main().catch((err) => {
  process.stderr.write(\`\${err && err.stack ? err.stack : err}\\n\`);
  process.exit(1);
});
`;

const ESM_SCRIPT = `// An ordinary ES module using @ponte/sdk.
import http from 'node:http';
import { PonteClient } from '@ponte/sdk';
import { CallbackVerificationError, callbackHeaders, verifyCallback } from '@ponte/sdk/callbacks';
import callbackFile from '@ponte/sdk/callback-vectors.json' with { type: 'json' };
import { signRequest } from '@ponte/sdk/signing';
import { callbackVectors, signatureVectors } from '@ponte/sdk/vectors';
import signatureFile from '@ponte/sdk/vectors.json' with { type: 'json' };
${BODY}`;

const CJS_SCRIPT = `// An ordinary CommonJS script using @ponte/sdk.
const http = require('node:http');
const { PonteClient } = require('@ponte/sdk');
const { CallbackVerificationError, callbackHeaders, verifyCallback } = require('@ponte/sdk/callbacks');
const callbackFile = require('@ponte/sdk/callback-vectors.json');
const { signRequest } = require('@ponte/sdk/signing');
const { callbackVectors, signatureVectors } = require('@ponte/sdk/vectors');
const signatureFile = require('@ponte/sdk/vectors.json');
${BODY}`;

/**
 * The browser build of the hashing (the `browser` condition), run by Node without its `Buffer`: the vectors, a
 * callback key, and a request signed and sent through a `fetch` of its own.
 */
const BROWSER_BODY = `
async function check(sdk, callbacks, vectors) {
  const { signatureVectors, callbackVectors } = vectors;
  const signed = signatureVectors.filter(
    (v) => sdk.signRequest({ ...v, body: v.body ?? undefined, timestamp: Number(v.timestamp) }).signature === v.signature,
  );
  const callbacksSigned = callbackVectors.filter(
    (v) => callbacks.callbackHeaders(v.secrets, v.id, v.timestamp, v.body)['webhook-signature'] === v.signature,
  );
  let sent;
  const fetch = async (url, init) => {
    sent = { url, init };
    // Not a Response: Node's own (undici) needs the Buffer this script took away.
    const text = JSON.stringify({ requestId: 'r1', code: 200, developId: 'd1', msg: 'success', data: 7 });
    return { status: 200, headers: { get: () => null }, text: async () => text };
  };
  const client = new sdk.PonteClient({ baseUrl: 'http://ponte.test', accessKey: 'k', accessSecret: 's', userId: '1', fetch });
  const data = await client.request('POST', '/open/anything', { body: { name: 'é' } });
  console.log(
    JSON.stringify({
      buffer: typeof Buffer,
      vectors: { signed: signed.length, of: signatureVectors.length },
      callbackVectors: { signed: callbacksSigned.length, of: callbackVectors.length },
      key: Object.prototype.toString.call(callbacks.callbackSecretKey(callbackVectors[0].secrets[0])),
      data,
      body: new TextDecoder().decode(sent.init.body),
      idempotencyKey: sent.init.headers['idempotency-key'],
      nonce: sent.init.headers['nonce-str'],
    }),
  );
}
`;
const BROWSER_ESM = `delete globalThis.Buffer;
${BROWSER_BODY}
await check(await import('@ponte/sdk'), await import('@ponte/sdk/callbacks'), await import('@ponte/sdk/vectors'));
`;
const BROWSER_CJS = `delete globalThis.Buffer;
${BROWSER_BODY}
check(require('@ponte/sdk'), require('@ponte/sdk/callbacks'), require('@ponte/sdk/vectors'));
`;

/** What a TypeScript project checks against the declarations: both module systems, no Node types. */
const TS_ESM = `import { ApiError, PonteClient, type CallbackMessage } from '@ponte/sdk';
import { callbackSecretKey, verifyCallback } from '@ponte/sdk/callbacks';
import { signRequest, type SignatureMethod } from '@ponte/sdk/signing';
import { signatureVectors } from '@ponte/sdk/vectors';

const client = new PonteClient({ baseUrl: 'https://api.example.com', accessKey: 'k', accessSecret: 's', userId: '1' });
export const page: Promise<{ list: { itemId: number }[] }> = client.taobao.search({ keyword: 'lamp' });
export const key: Uint8Array = callbackSecretKey('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw');
export const method: SignatureMethod = signatureVectors[0]?.signatureMethod ?? 'md5';
export const headers: Record<string, string> = signRequest({ method: 'GET', url: '/', accessKey: 'k', accessSecret: 's', userId: '1' });
export function receive(h: Headers, body: Uint8Array, secret: string): CallbackMessage<{ orderId: string }> {
  return verifyCallback<{ orderId: string }>(h, body, secret).message;
}
export const isApiError = (e: unknown): boolean => e instanceof ApiError;
`;
const TS_CJS = `import sdk = require('@ponte/sdk');
import callbacks = require('@ponte/sdk/callbacks');

export const client = new sdk.PonteClient({ baseUrl: 'https://api.example.com', accessKey: 'k', accessSecret: 's', userId: '1' });
export const key: Uint8Array = callbacks.callbackSecretKey('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw');
`;

interface Line {
  vectors?: { signed: number; of: number };
  callbackVectors?: { signed: number; of: number };
  search?: { itemId: string; found: string[] };
  url?: string;
  verified?: { id: string; webhookId: string; message: { messageType: string; messageBody: unknown } };
  tampered?: string;
}

let g: GoodsServer;
let tmp: string;
let project: string;

beforeAll(async () => {
  // Built if need be: importing processes.js rebuilt any stale dist; an SDK built without dist/cjs is rebuilt here.
  await ensureBuilt();
  if (!fs.existsSync(path.join(SDK, 'dist/cjs/package.json'))) {
    await run(process.execPath, [path.join(SDK, 'scripts/build.mjs')], { cwd: ROOT });
  }
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ponte-sdk-package-'));
  await Promise.all([
    startGoodsServer({ CALLBACK_ALLOW_PRIVATE: 'true' }).then((server) => {
      g = server;
    }),
    (async () => {
      // The SDK's dependency is packed from the repository's node_modules (npm ci put it there), so that the
      // install needs neither the registry nor npm's cache.
      const noble = [path.join(SDK, 'node_modules/@noble/hashes'), path.join(ROOT, 'node_modules/@noble/hashes')].find(
        (dir) => fs.existsSync(dir),
      );
      if (!noble) throw new Error('@noble/hashes is not installed: run npm ci');
      const packed = await run('npm', ['pack', SDK, noble, '--json', '--ignore-scripts', '--pack-destination', tmp], {
        cwd: tmp,
        env: plainEnv(),
      });
      const [sdk, hashes] = JSON.parse(packed.stdout) as { filename: string; files: { path: string }[] }[];
      const files = (sdk?.files ?? []).map((f) => f.path);
      for (const file of [
        'package.json',
        'dist/src/index.js',
        'dist/src/index.d.ts',
        'dist/src/crypto/browser.js',
        'dist/cjs/package.json',
        'dist/cjs/src/index.js',
        'dist/cjs/src/index.d.ts',
        'test-vectors/signature.json',
        'test-vectors/callbacks.json',
      ]) {
        expect(files).toContain(file);
      }
      expect(files.filter((f) => f.startsWith('src/') || f.startsWith('test/') || f.endsWith('.ts.map'))).toEqual([]);

      project = path.join(tmp, 'consumer');
      fs.mkdirSync(project);
      const manifest = { name: 'consumer', version: '1.0.0', description: '', main: 'index.js', license: 'ISC' };
      fs.writeFileSync(path.join(project, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
      const tarballs = [sdk?.filename ?? '', hashes?.filename ?? ''].map((f) => path.join(tmp, f));
      await run(
        'npm',
        ['install', ...tarballs, '--offline', '--no-audit', '--no-fund', '--cache', path.join(tmp, 'npm-cache')],
        { cwd: project, env: plainEnv() },
      );
      fs.writeFileSync(path.join(project, 'consumer.mjs'), ESM_SCRIPT);
      fs.writeFileSync(path.join(project, 'consumer.cjs'), CJS_SCRIPT);
      fs.writeFileSync(path.join(project, 'browser.mjs'), BROWSER_ESM);
      fs.writeFileSync(path.join(project, 'browser.cjs'), BROWSER_CJS);
    })(),
  ]);
}, 180_000);

afterAll(async () => {
  await g?.close();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

/** Runs a consumer script as the given developer, giving it the callback secret the server answers. */
async function runConsumer(script: string, dev: Credentials): Promise<Line[]> {
  const itemId = g.taobaoIds[3] ?? '';
  const child: ChildProcess = spawn(
    process.execPath,
    [script, JSON.stringify({ baseUrl: g.server.baseUrl, ...dev, itemId })],
    { cwd: project, env: plainEnv(), stdio: ['pipe', 'pipe', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  const lines = readline.createInterface({ input: child.stdout as NodeJS.ReadableStream })[Symbol.asyncIterator]();
  const got: Line[] = [];
  const next = async (): Promise<Line> => {
    const { value, done } = await lines.next();
    if (done) throw new Error(`${script} ended early (exit ${await exited}):\n${stderr}`);
    const line = JSON.parse(value) as Line;
    got.push(line);
    return line;
  };
  try {
    await next(); // vectors
    await next(); // search
    const { url } = await next();
    const saved = await g.server.signed<{ callbackSecret: string | null }>(dev, 'POST', '/open/message/callback', {
      body: { callbackUrl: url },
    });
    expect(saved.body.code, saved.text).toBe(200);
    child.stdin?.end(`${saved.body.data.callbackSecret}\n`);
    await next(); // verified
    expect(await exited, stderr).toBe(0);
    return got;
  } finally {
    child.kill();
  }
}

function expectWorked(lines: Line[], dev: Credentials): void {
  const [vectors, search, receiver, verified] = lines;
  expect(vectors?.vectors?.signed).toBe(vectors?.vectors?.of);
  expect(vectors?.vectors?.of).toBeGreaterThan(10);
  expect(vectors?.callbackVectors).toEqual({ signed: 4, of: 4 });
  expect(search?.search?.itemId).toBe(g.taobaoIds[3]);
  expect(search?.search?.found).toContain(g.taobaoIds[3]);
  expect(verified?.verified?.id).toBe(verified?.verified?.webhookId);
  expect(verified?.verified?.message).toMatchObject({
    messageType: 'CALLBACK_VERIFICATION',
    messageBody: { developId: dev.developId, callbackUrl: receiver?.url },
  });
  expect(verified?.tampered).toBe('no_matching_signature');
}

describe('@ponte/sdk installed from its tarball into another project', () => {
  it('works from an ES module: vectors, a signed search, a verified callback', async () => {
    expectWorked(await runConsumer('consumer.mjs', g.dev), g.dev);
  });

  it('works from a CommonJS script: vectors, a signed search, a verified callback', async () => {
    const dev = await g.server.createDeveloper('CommonJS receiver');
    expectWorked(await runConsumer('consumer.cjs', dev), dev);
  });

  it('takes the hashing from @noble/hashes and Web Crypto under the browser condition, with no Buffer', async () => {
    for (const script of ['browser.mjs', 'browser.cjs']) {
      const { stdout } = await run(process.execPath, ['--conditions=browser', script], {
        cwd: project,
        env: plainEnv(),
      });
      const got = JSON.parse(stdout);
      expect(got, script).toMatchObject({
        buffer: 'undefined',
        callbackVectors: { signed: 4, of: 4 },
        key: '[object Uint8Array]',
        data: 7,
        body: '{"name":"é"}',
      });
      expect(got.vectors.signed, script).toBe(got.vectors.of);
      expect(got.idempotencyKey, script).toMatch(/^[0-9a-f]{32}$/);
      expect(got.nonce, script).toMatch(/^[A-Za-z0-9_-]{32}$/);
    }
  });

  it('has declarations a TypeScript project checks, for import and for require, without Node types', async () => {
    fs.writeFileSync(path.join(project, 'check.mts'), TS_ESM);
    fs.writeFileSync(path.join(project, 'check.cts'), TS_CJS);
    const tsconfig = {
      compilerOptions: {
        module: 'nodenext',
        strict: true,
        noEmit: true,
        skipLibCheck: false,
        lib: ['es2022', 'dom'],
        types: [],
      },
      files: ['check.mts', 'check.cts'],
    };
    fs.writeFileSync(path.join(project, 'tsconfig.json'), JSON.stringify(tsconfig));
    const tsc = path.join(ROOT, 'node_modules/typescript/bin/tsc');
    const result = await run(process.execPath, [tsc, '-p', project], { cwd: project }).catch(
      (err: { stdout?: string; message: string }) => ({ stdout: err.stdout ?? err.message }),
    );
    expect(result.stdout).toBe('');
  });
});
