// P1: a signed read on the real server against a bare Fastify route returning the same JSON, side by side.
//
//   npm run bench:signed-read -- [--duration 10] [--warmup 3] [--connections 10] [--rounds 3] [--postgres]
//                                [--route product|user]
//
// The signed read is `GET /open/product/get` (goods details, served from the details cache after the first
// call) by default, or `GET /open/user/get` (one row of the main database) with `--route user`.
//
// Starts two child processes on loopback: the Ponte server (`ponte serve`, SQLite in a temp dir, or a
// throwaway PostgreSQL cluster with --postgres) and bench/bare-server.ts. autocannon, in this process, loads
// each in turn with the same connections and duration after a warm-up, alternating for --rounds rounds; the
// figures are the medians of the rounds. Every request gets fresh signature
// headers, for both targets, so the load generator does the same work. Progress goes to stderr; stdout gets
// exactly one line:
//
//   signed-read: bare=<n> req/s signed=<m> req/s ratio=<m/n> (goal >= 0.5) p99 bare=<a> ms signed=<b> ms db=<db>
//
// Exits non-zero when any request fails (transport error, non-2xx status, or an envelope code other than 200).
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { signRequest } from '@ponte/sdk/signing';
import Sqlite from 'better-sqlite3';
import { positiveInt } from './args.js';
import { type DemoCredentials, startPonteServer, stopChild } from './ponte-server.js';

// ---- autocannon (no bundled types): the part of its API used here -------------------------------------

interface AutocannonRequest {
  method: string;
  path: string;
  headers?: Record<string, string>;
}

interface AutocannonHistogram {
  average: number;
  p50: number;
  p99: number;
  max: number;
  total: number;
}

interface AutocannonResult {
  duration: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  '2xx': number;
  statusCodeStats: Record<string, { count: number }>;
  requests: AutocannonHistogram;
  latency: AutocannonHistogram;
}

interface AutocannonOptions {
  url: string;
  connections: number;
  duration: number;
  pipelining?: number;
  requests: Array<{
    method: string;
    path: string;
    setupRequest?: (request: AutocannonRequest) => AutocannonRequest;
    onResponse?: (status: number, body: string) => void;
  }>;
}

type Autocannon = (
  options: AutocannonOptions,
  callback: (err: Error | null, result: AutocannonResult) => void,
) => unknown;

const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

// ---- the throwaway PostgreSQL cluster (scripts/pg-cluster.mjs) ------------------------------------------

interface PgCluster {
  url: string;
}

interface PgClusterModule {
  start(options?: { log?: (line: string) => void }): Promise<PgCluster>;
  stop(cluster: PgCluster): Promise<void>;
}

// ---- options ------------------------------------------------------------------------------------------

const root = path.resolve(import.meta.dirname, '..');
const { values: flags } = parseArgs({
  options: {
    duration: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '3' },
    connections: { type: 'string', default: '10' },
    rounds: { type: 'string', default: '3' },
    postgres: { type: 'boolean', default: false },
    route: { type: 'string', default: 'product' },
  },
});
if (flags.route !== 'product' && flags.route !== 'user') {
  process.stderr.write(`--route: expected product or user, got "${flags.route}"\n`);
  process.exit(2);
}

const duration = positiveInt('duration', flags.duration);
const warmup = positiveInt('warmup', flags.warmup);
const connections = positiveInt('connections', flags.connections);
const rounds = positiveInt('rounds', flags.rounds);
const db = flags.postgres ? 'postgres' : 'sqlite';

const log = (line: string) => process.stderr.write(`${line}\n`);

// ---- child processes and cleanup ----------------------------------------------------------------------

const children: ChildProcess[] = [];
const cleanups: Array<() => Promise<void> | void> = [];

process.on('exit', () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

async function cleanup(): Promise<void> {
  for (const fn of cleanups.splice(0).reverse()) {
    try {
      await fn();
    } catch (err) {
      log(`cleanup: ${(err as Error).message}`);
    }
  }
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    log(`${signal}: stopping`);
    cleanup().finally(() => process.exit(130));
  });
}

/** Starts a child process and keeps the end of its output for error messages. */
function startChild(args: string[], env: NodeJS.ProcessEnv): { child: ChildProcess; output: () => string } {
  const child = spawn(process.execPath, args, { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  cleanups.push(() => stopChild(child));
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-8000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  return { child, output: () => output };
}

/** An item of the sandbox catalog the server seeded at its first start. */
function firstTaobaoItem(dataDir: string): string {
  const db = new Sqlite(path.join(dataDir, 'sandbox.db'), { readonly: true });
  try {
    const row = db.prepare("select id from goods where platform = 'taobao' order by idx limit 1").get() as
      | { id: string }
      | undefined;
    if (!row) throw new Error('the sandbox catalog is empty');
    return row.id;
  } finally {
    db.close();
  }
}

// ---- the two servers ----------------------------------------------------------------------------------

async function startPonte(
  databaseUrl: string | undefined,
): Promise<{ baseUrl: string; creds: DemoCredentials; dataDir: string }> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ponte-bench-'));
  cleanups.push(() => fs.rmSync(dataDir, { recursive: true, force: true }));
  const running = await startPonteServer({
    script: path.join(root, 'server/bin/ponte.js'),
    cwd: root,
    dataDir,
    env: databaseUrl ? { DATABASE_URL: databaseUrl } : {},
  });
  children.push(running.child);
  cleanups.push(() => stopChild(running.child));
  return { baseUrl: running.baseUrl, creds: running.creds, dataDir };
}

async function startBare(routePath: string, body: string): Promise<string> {
  const { child, output } = startChild(['--import', 'tsx', path.join(root, 'bench/bare-server.ts')], {
    ...process.env,
    BARE_PATH: routePath,
    BARE_BODY: body,
  });
  const port = await new Promise<number>((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => reject(new Error(`the bare server did not start:\n${output()}`)), 30_000);
    child.stdout?.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      const m = /listening (\d+)/.exec(seen);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`the bare server exited (${code ?? signal}):\n${output()}`));
    });
  });
  return `http://127.0.0.1:${port}`;
}

// ---- load ---------------------------------------------------------------------------------------------

interface Measurement {
  reqPerSec: number;
  p99: number;
  result: AutocannonResult;
  /** Envelope codes seen in the sampled bodies, with their counts. */
  codes: Map<string, number>;
  sampled: number;
}

/** Every 50th response body is parsed and its envelope code counted. */
const SAMPLE_EVERY = 50;

function load(baseUrl: string, url: string, creds: DemoCredentials, seconds: number): Promise<Measurement> {
  const codes = new Map<string, number>();
  let responses = 0;
  let sampled = 0;
  const options: AutocannonOptions = {
    url: baseUrl,
    connections,
    duration: seconds,
    requests: [
      {
        method: 'GET',
        path: url,
        setupRequest: (request) => {
          // A fresh timestamp, nonce and signature for every request.
          request.headers = signRequest({
            method: 'GET',
            url,
            accessKey: creds.accessKey,
            accessSecret: creds.accessSecret,
            userId: creds.userId,
          });
          return request;
        },
        onResponse: (_status, body) => {
          if (responses++ % SAMPLE_EVERY !== 0) return;
          sampled++;
          let code: string;
          try {
            code = String((JSON.parse(body) as { code?: unknown }).code);
          } catch {
            code = 'unparsable body';
          }
          codes.set(code, (codes.get(code) ?? 0) + 1);
        },
      },
    ],
  };
  return new Promise((resolve, reject) => {
    autocannon(options, (err, result) => {
      if (err) return reject(err);
      resolve({
        reqPerSec: result['2xx'] / result.duration,
        p99: result.latency.p99,
        result,
        codes,
        sampled,
      });
    });
  });
}

/** Throws, naming what went wrong, unless every request answered 2xx and every sampled body had code 200. */
function assertSucceeded(name: string, m: Measurement): void {
  const r = m.result;
  const badCodes = [...m.codes].filter(([code]) => code !== '200');
  if (r.errors === 0 && r.timeouts === 0 && r.non2xx === 0 && badCodes.length === 0 && m.sampled > 0) return;
  const statuses = Object.entries(r.statusCodeStats)
    .map(([status, s]) => `${status}: ${s.count}`)
    .join(', ');
  throw new Error(
    `${name}: requests failed: ${r.errors} errors, ${r.timeouts} timeouts, ${r.non2xx} non-2xx ` +
      `(statuses ${statuses || 'none'}); envelope codes in ${m.sampled} sampled bodies: ` +
      `${[...m.codes].map(([c, n]) => `${c} x${n}`).join(', ') || 'none'}`,
  );
}

async function warmUp(name: string, baseUrl: string, url: string, creds: DemoCredentials): Promise<void> {
  log(`${name}: warm-up ${warmup} s`);
  assertSucceeded(`${name} (warm-up)`, await load(baseUrl, url, creds, warmup));
}

async function measure(name: string, baseUrl: string, url: string, creds: DemoCredentials): Promise<Measurement> {
  log(`${name}: measuring ${duration} s with ${connections} connections`);
  const m = await load(baseUrl, url, creds, duration);
  assertSucceeded(name, m);
  log(
    `${name}: ${m.reqPerSec.toFixed(0)} req/s, latency p50 ${m.result.latency.p50} ms, p99 ${m.p99} ms, ` +
      `${m.result['2xx']} responses, ${m.sampled} bodies checked`,
  );
  return m;
}

// ---- run ----------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  let databaseUrl: string | undefined;
  if (flags.postgres) {
    const pgCluster = pathToFileURL(path.join(root, 'scripts/pg-cluster.mjs')).href;
    const pg = (await import(pgCluster)) as PgClusterModule;
    const cluster = await pg.start({ log });
    cleanups.push(() => pg.stop(cluster));
    databaseUrl = cluster.url;
  }

  log(`starting the Ponte server (${db})`);
  const ponte = await startPonte(databaseUrl);
  const url =
    flags.route === 'user'
      ? `/open/user/get?userId=${encodeURIComponent(ponte.creds.userId)}`
      : `/open/product/get?itemId=${firstTaobaoItem(ponte.dataDir)}`;

  // One signed request first: it must succeed, and its body is what the bare route returns.
  const headers = signRequest({
    method: 'GET',
    url,
    accessKey: ponte.creds.accessKey,
    accessSecret: ponte.creds.accessSecret,
    userId: ponte.creds.userId,
  });
  const first = await fetch(ponte.baseUrl + url, { headers });
  const body = await first.text();
  if (first.status !== 200 || (JSON.parse(body) as { code?: unknown }).code !== 200) {
    throw new Error(`the first signed read failed: HTTP ${first.status} ${body}`);
  }

  log('starting the bare Fastify server');
  const bareUrl = await startBare(url.slice(0, url.indexOf('?')), body);

  await warmUp('bare', bareUrl, url, ponte.creds);
  await warmUp('signed', ponte.baseUrl, url, ponte.creds);
  // Alternating rounds, each figure the median of its rounds: a burst of load from elsewhere on the
  // machine then moves one round, not the result.
  const bares: Measurement[] = [];
  const signeds: Measurement[] = [];
  for (let r = 1; r <= rounds; r++) {
    log(`round ${r} of ${rounds}`);
    bares.push(await measure('bare', bareUrl, url, ponte.creds));
    signeds.push(await measure('signed', ponte.baseUrl, url, ponte.creds));
  }
  const median = (ms: Measurement[], pick: (m: Measurement) => number) => {
    const sorted = ms.map(pick).sort((a, b) => a - b);
    return sorted[Math.floor(sorted.length / 2)] ?? 0;
  };
  const bare = median(bares, (m) => m.reqPerSec);
  const signed = median(signeds, (m) => m.reqPerSec);
  const ratios = bares.map((b, i) => (signeds[i]?.reqPerSec ?? 0) / b.reqPerSec);
  process.stdout.write(
    `signed-read: bare=${bare.toFixed(0)} req/s signed=${signed.toFixed(0)} req/s ` +
      `ratio=${(signed / bare).toFixed(2)} (goal >= 0.5; rounds ${ratios.map((x) => x.toFixed(2)).join(' ')}) ` +
      `p99 bare=${median(bares, (m) => m.p99)} ms signed=${median(signeds, (m) => m.p99)} ms db=${db}\n`,
  );
}

try {
  await main();
  await cleanup();
} catch (err) {
  log(`signed-read failed: ${(err as Error).stack ?? err}`);
  await cleanup();
  process.exit(1);
}
