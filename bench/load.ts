// What the load benchmarks (signed-read, pay, processes, flood, soak) share: autocannon, the child processes they
// start (the Ponte server, the bare Fastify baseline, a throwaway PostgreSQL cluster) and their cleanup, what /proc
// says about the server's processes, signed requests to its API, and how a measured run is checked.
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { signRequest } from '@ponte/sdk/signing';
import Sqlite from 'better-sqlite3';
import { positiveInt } from './args.js';
import {
  childPids,
  type DemoCredentials,
  type PonteServerOptions,
  startPonteServer,
  stopChild,
} from './ponte-server.js';

// ---- autocannon (no bundled types): the part of its API used here -------------------------------------

interface AutocannonRequest {
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: string;
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
  /** Requests over all connections after which the run ends before `duration`. */
  maxOverallRequests?: number;
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

// ---- the flags every load benchmark takes ------------------------------------------------------------

/** For `parseArgs`: seconds of load per run, of warm-up, connections, alternating rounds, PostgreSQL or not. */
export const LOAD_FLAGS = {
  duration: { type: 'string', default: '10' },
  warmup: { type: 'string', default: '3' },
  connections: { type: 'string', default: '10' },
  rounds: { type: 'string', default: '3' },
  postgres: { type: 'boolean', default: false },
  /** A folder for a V8 CPU profile of the Ponte server (`node --cpu-prof`), written when it stops. */
  'cpu-prof': { type: 'string' },
} as const;

/** The values of LOAD_FLAGS, checked (a bad one exits with code 2). */
export function loadSettings(flags: {
  duration: string;
  warmup: string;
  connections: string;
  rounds: string;
  postgres: boolean;
  'cpu-prof'?: string;
}) {
  const profileDir = flags['cpu-prof'] ? path.resolve(flags['cpu-prof']) : undefined;
  return {
    duration: positiveInt('duration', flags.duration),
    warmup: positiveInt('warmup', flags.warmup),
    connections: positiveInt('connections', flags.connections),
    rounds: positiveInt('rounds', flags.rounds),
    db: flags.postgres ? ('postgres' as const) : ('sqlite' as const),
    /** Node options that make the Ponte server write a CPU profile into the --cpu-prof folder. */
    serverNodeArgs: profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [],
  };
}

// ---- logging, child processes and cleanup ---------------------------------------------------------------

export const root = path.resolve(import.meta.dirname, '..');

export const log = (line: string) => process.stderr.write(`${line}\n`);

const children: ChildProcess[] = [];
const cleanups: Array<() => Promise<void> | void> = [];

/** Runs `fn` at the end of the benchmark, also on failure or Ctrl-C; the last registered runs first. */
export function onCleanup(fn: () => Promise<void> | void): void {
  cleanups.push(fn);
}

async function cleanup(): Promise<void> {
  for (const fn of cleanups.splice(0).reverse()) {
    try {
      await fn();
    } catch (err) {
      log(`cleanup: ${(err as Error).message}`);
    }
  }
}

/**
 * Runs a benchmark's `main`, then removes what it started. On failure it names the benchmark and exits 1;
 * on SIGINT or SIGTERM it cleans up and exits 130; children still running at exit are killed.
 */
export async function runBench(name: string, main: () => Promise<void>): Promise<void> {
  process.on('exit', () => {
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      log(`${signal}: stopping`);
      cleanup().finally(() => process.exit(130));
    });
  }
  try {
    await main();
    await cleanup();
  } catch (err) {
    log(`${name} failed: ${(err as Error).stack ?? err}`);
    await cleanup();
    process.exit(1);
  }
}

/** Starts a child process and keeps the end of its output for error messages. */
function startChild(args: string[], env: NodeJS.ProcessEnv): { child: ChildProcess; output: () => string } {
  const child = spawn(process.execPath, args, { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  onCleanup(() => stopChild(child));
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-8000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  return { child, output: () => output };
}

/** A throwaway PostgreSQL cluster (`scripts/pg-cluster.mjs`), removed at the end; returns its URL. */
export async function startPostgres(): Promise<string> {
  const pgCluster = pathToFileURL(path.join(root, 'scripts/pg-cluster.mjs')).href;
  const pg = (await import(pgCluster)) as PgClusterModule;
  const cluster = await pg.start({ log });
  onCleanup(() => pg.stop(cluster));
  return cluster.url;
}

/** The Ponte server as `npm start` runs it (bench/ponte-server.ts), on a fresh data dir removed at the end. */
export function startPonte(
  databaseUrl: string | undefined,
  nodeArgs: string[] = [],
  /** Another entry point taking the `serve` command (bench/instant-upstream-server.ts, run through tsx). */
  script = path.join(root, 'server/bin/ponte.js'),
): Promise<StartedPonte> {
  return startPonteWith({ databaseUrl, nodeArgs, script });
}

export interface PonteOptions
  extends Pick<PonteServerOptions, 'nodeArgs' | 'processes' | 'workers' | 'keyRateLimit' | 'env'> {
  /** PostgreSQL; unset: SQLite in the data dir. */
  databaseUrl?: string | undefined;
  /** Another entry point taking the `serve` command (default `server/bin/ponte.js`). */
  script?: string;
}

export interface StartedPonte {
  baseUrl: string;
  creds: DemoCredentials;
  dataDir: string;
  /** The process started: the whole server, or the primary of several processes. */
  pid: number | undefined;
  /** The operator's token (`<data>/admin-token`). */
  adminToken: string;
}

/** startPonte with the settings of bench/ponte-server.ts (processes, workers, the per-key limit, more env). */
export async function startPonteWith(options: PonteOptions): Promise<StartedPonte> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ponte-bench-'));
  onCleanup(() => fs.rmSync(dataDir, { recursive: true, force: true }));
  const { databaseUrl, script, env, ...rest } = options;
  const running = await startPonteServer({
    ...rest,
    script: script ?? path.join(root, 'server/bin/ponte.js'),
    cwd: root,
    dataDir,
    env: { ...env, ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}) },
  });
  children.push(running.child);
  onCleanup(() => stopChild(running.child));
  const adminToken = fs.readFileSync(path.join(dataDir, 'admin-token'), 'utf8').trim();
  return { baseUrl: running.baseUrl, creds: running.creds, dataDir, pid: running.child.pid, adminToken };
}

/** Fields of /proc/<pid>/stat after the command name: field 3 (state) is at index 0. */
function statFields(pid: number | undefined): string[] | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

/** The CPU time (user and system) a process has used so far, in ms: from /proc on Linux, else undefined. */
export function cpuMs(pid: number | undefined): number | undefined {
  const fields = statFields(pid);
  // utime and stime are fields 14 and 15, in clock ticks of 10 ms.
  return fields ? (Number(fields[11]) + Number(fields[12])) * 10 : undefined;
}

/** A server's processes: the one started, then its children (a primary's HTTP and worker processes). */
export function serverPids(pid: number | undefined): number[] {
  return pid === undefined ? [] : [pid, ...childPids(pid)];
}

/** The CPU time of a server's processes together, in ms (children that exited meanwhile are left out). */
export function serverCpuMs(pid: number | undefined): number | undefined {
  const own = cpuMs(pid);
  if (own === undefined) return undefined;
  return childPids(pid).reduce((sum, child) => sum + (cpuMs(child) ?? 0), own);
}

/** A process's resident memory in MB (VmRSS in /proc/<pid>/status), or undefined once it has exited. */
export function rssMb(pid: number): number | undefined {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = /^VmRSS:\s+(\d+) kB/m.exec(status)?.[1];
    return kb === undefined ? undefined : Number(kb) / 1024;
  } catch {
    return undefined;
  }
}

/** bench/bare-server.ts, answering `body` to GET `routePath`; returns its base URL. */
export function startBare(routePath: string, body: string): Promise<string> {
  return startListening('bench/bare-server.ts', { BARE_PATH: routePath, BARE_BODY: body });
}

/**
 * Starts a TypeScript script of bench/ in a child process (through tsx) that prints `listening <port>` once it
 * listens on 127.0.0.1; returns its base URL.
 */
export async function startListening(script: string, env: Record<string, string> = {}): Promise<string> {
  const { child, output } = startChild(['--import', 'tsx', path.join(root, script)], { ...process.env, ...env });
  const port = await new Promise<number>((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => reject(new Error(`${script} did not start:\n${output()}`)), 30_000);
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
      reject(new Error(`${script} exited (${code ?? signal}):\n${output()}`));
    });
  });
  return `http://127.0.0.1:${port}`;
}

// ---- load ---------------------------------------------------------------------------------------------

/** One request of a load run, built afresh for every request sent. */
export interface LoadRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
}

export interface LoadOptions {
  baseUrl: string;
  connections: number;
  seconds: number;
  /** Builds the next request (a fresh signature each time; `setupRequest` runs once per request sent). */
  next: () => LoadRequest;
  /** Parse the envelope of every n-th answer (1: every answer) and count its code. */
  checkEvery: number;
  /** End the run after this many requests, before `seconds` if need be (a pool of single-use requests). */
  maxRequests?: number;
}

export interface Measurement {
  reqPerSec: number;
  p99: number;
  result: AutocannonResult;
  /** Envelope codes seen in the checked bodies, with their counts. */
  codes: Map<string, number>;
  checked: number;
  /** Whether the run ended on `maxRequests` rather than on time. */
  endedEarly: boolean;
}

export function load(options: LoadOptions): Promise<Measurement> {
  const codes = new Map<string, number>();
  let responses = 0;
  let checked = 0;
  const startedAt = Date.now();
  let lastAnswerAt = startedAt;
  const request = {
    method: 'GET',
    path: '/',
    setupRequest: (r: AutocannonRequest) => Object.assign(r, options.next()),
    onResponse: (_status: number, body: string) => {
      lastAnswerAt = Date.now();
      if (responses++ % options.checkEvery !== 0) return;
      checked++;
      let code: string;
      try {
        code = String((JSON.parse(body) as { code?: unknown }).code);
      } catch {
        code = 'unparsable body';
      }
      codes.set(code, (codes.get(code) ?? 0) + 1);
    },
  };
  return new Promise((resolve, reject) => {
    autocannon(
      {
        url: options.baseUrl,
        connections: options.connections,
        duration: options.seconds,
        ...(options.maxRequests !== undefined ? { maxOverallRequests: options.maxRequests } : {}),
        requests: [request],
      },
      (err, result) => {
        if (err) return reject(err);
        // A run that ran out of requests ends at the next one-second tick: count to its last answer instead.
        const endedEarly = options.maxRequests !== undefined && responses >= options.maxRequests;
        const seconds = endedEarly ? Math.max(lastAnswerAt - startedAt, 1) / 1000 : result.duration;
        resolve({ reqPerSec: result['2xx'] / seconds, p99: result.latency.p99, result, codes, checked, endedEarly });
      },
    );
  });
}

/** Throws, naming what went wrong, unless every request answered 2xx and every checked body had code 200. */
export function assertSucceeded(name: string, m: Measurement): void {
  const r = m.result;
  const badCodes = [...m.codes].filter(([code]) => code !== '200');
  if (r.errors === 0 && r.timeouts === 0 && r.non2xx === 0 && badCodes.length === 0 && m.checked > 0) return;
  const statuses = Object.entries(r.statusCodeStats)
    .map(([status, s]) => `${status}: ${s.count}`)
    .join(', ');
  throw new Error(
    `${name}: requests failed: ${r.errors} errors, ${r.timeouts} timeouts, ${r.non2xx} non-2xx ` +
      `(statuses ${statuses || 'none'}); envelope codes in ${m.checked} checked bodies: ` +
      `${[...m.codes].map(([c, n]) => `${c} x${n}`).join(', ') || 'none'}`,
  );
}

/** A load run that must succeed, logged to stderr; `warmUp` runs say so and print less. */
export async function measure(name: string, options: LoadOptions, warmUp = false): Promise<Measurement> {
  log(`${name}: ${warmUp ? 'warm-up' : 'measuring'} ${options.seconds} s with ${options.connections} connections`);
  const m = await load(options);
  assertSucceeded(warmUp ? `${name} (warm-up)` : name, m);
  log(
    `${name}: ${m.reqPerSec.toFixed(0)} req/s, latency p50 ${m.result.latency.p50} ms, p99 ${m.p99} ms, ` +
      `${m.result['2xx']} responses, ${m.checked} bodies checked${m.endedEarly ? ', ended early: no requests left' : ''}`,
  );
  return m;
}

/** The median of some figures (the upper one of an even count). */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

// ---- signed requests ------------------------------------------------------------------------------------

/** Whose request: a developer's key and sub-account (signed), or the operator's token. */
export type Caller = { kind: 'signed'; creds: Omit<DemoCredentials, 'developId'> } | { kind: 'admin'; token: string };

/** The headers that authenticate a request as `caller`: fresh signature headers, or the bearer token. */
export function authHeaders(caller: Caller, method: string, url: string, body?: string): Record<string, string> {
  if (caller.kind === 'admin') return { authorization: `Bearer ${caller.token}` };
  return signRequest({ method, url, body, ...caller.creds });
}

/** A request that must answer HTTP 200 with envelope code 200; returns its `data`. */
export async function apiCall<T>(
  baseUrl: string,
  caller: Caller,
  method: string,
  url: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<T> {
  const text = body === undefined ? undefined : JSON.stringify(body);
  const res = await fetch(baseUrl + url, {
    method,
    body: text,
    headers: {
      ...authHeaders(caller, method, url, text),
      ...headers,
      ...(text === undefined ? {} : { 'content-type': 'application/json' }),
    },
  });
  const answer = await res.text();
  let code: unknown;
  try {
    code = (JSON.parse(answer) as { code?: unknown }).code;
  } catch {
    code = undefined;
  }
  if (res.status !== 200 || code !== 200) throw new Error(`${method} ${url}: HTTP ${res.status} ${answer}`);
  return (JSON.parse(answer) as { data: T }).data;
}

/** An item of the sandbox catalog the server seeded at its first start (`<data>/sandbox.db`, read-only). */
export function firstTaobaoItem(dataDir: string): string {
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

/**
 * A load run of signed GETs of `url` (signed-read's request), each with a fresh timestamp, nonce and signature;
 * every 50th answer's envelope code is checked.
 */
export function signedGets(
  baseUrl: string,
  url: string,
  creds: Omit<DemoCredentials, 'developId'>,
  connections: number,
  seconds: number,
): LoadOptions {
  return {
    baseUrl,
    connections,
    seconds,
    checkEvery: 50,
    next: () => ({ method: 'GET', path: url, headers: signRequest({ method: 'GET', url, ...creds }) }),
  };
}
