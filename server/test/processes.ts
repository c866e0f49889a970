import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

/**
 * Real server processes (`ponte serve`) for tests across processes: they share the database that the
 * given environment names (see `createTestDatabase().env`), each on its own loopback port.
 *
 * They run server/bin/ponte.js, that is the compiled JavaScript in server/dist and sdk/dist, exactly
 * what `npm start` runs. `npm test` builds before its test steps; for `npx vitest run <file>` on its
 * own, importing this module runs `ensureBuilt()`, which rebuilds with `npm run build` when a source
 * is newer than the build, so that the processes never run stale code. Test processes take turns
 * through a lock directory, so that parallel test files build once.
 */

const PONTE_BIN = fileURLToPath(new URL('../bin/ponte.js', import.meta.url));
const SERVER_DIR = fileURLToPath(new URL('..', import.meta.url));
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const OUTPUT_LIMIT = 64 * 1024;
const READY_TIMEOUT_MS = 60_000;

/** Variables the server reads; inherited values are dropped so that only the test's settings apply. */
const SERVER_VARIABLES = [
  'PORT',
  'HOST',
  'PONTE_DATA_DIR',
  'DATABASE_URL',
  'PONTE_SQLITE_FILE',
  'DB_POOL_SIZE',
  'LOG_LEVEL',
  'LOG_FORMAT',
  'PONTE_PROCESSES',
  'METRICS_TOKEN',
  'PONTE_MASTER_KEY',
  'PONTE_ADMIN_TOKEN',
  'IDEMPOTENCY_LOCK_MS',
  'RATE_LIMIT_PER_SECOND',
  'RATE_LIMIT_BURST',
  'RATE_LIMIT_STORE',
  'AUTH_FAILURES_PER_MINUTE',
  'AUTH_FAILURES_BURST',
  'BODY_LIMIT_BYTES',
  'SIGNATURE_WINDOW_SECONDS',
  'PONTE_WORKERS',
  'PONTE_DEMO',
  'SHUTDOWN_TIMEOUT_MS',
  'TRUST_PROXY',
  'SANDBOX_GOODS',
  'SANDBOX_SEED',
  'UPSTREAM_TIMEOUT_MS',
  'ORDER_SETTLE_DELAY_MS',
  'CALLBACK_ALLOW_PRIVATE',
  'CALLBACK_TIMEOUT_MS',
  'CALLBACK_CONCURRENCY',
  'CALLBACK_URL_CONCURRENCY',
  'CALLBACK_SECRET_OVERLAP_SECONDS',
];

const DEFAULTS: Record<string, string> = {
  HOST: '127.0.0.1',
  LOG_LEVEL: 'warn',
  PONTE_WORKERS: 'false',
  PONTE_DEMO: 'false',
  RATE_LIMIT_PER_SECOND: '1000000',
  RATE_LIMIT_BURST: '10000000',
  // The tests send thousands of refused requests (replays) from 127.0.0.1.
  AUTH_FAILURES_PER_MINUTE: '60000000',
  AUTH_FAILURES_BURST: '10000000',
};

export interface ServerProcesses {
  /** Base URL of each process, `http://127.0.0.1:<port>`. */
  urls: string[];
  /** Sends `signal` (SIGKILL by default) to process `i`; resolves once it has exited. */
  kill(i: number, signal?: NodeJS.Signals): Promise<void>;
  /** The operating system's id of process `i` (of `ponte serve`: with PONTE_PROCESSES above 1, the primary). */
  pid(i: number): number;
  /** What process `i` wrote to stderr so far (the last 64 KiB). */
  stderr(i: number): string;
  /** What process `i` wrote to stdout so far (the last 64 KiB). */
  stdout(i: number): string;
  /** Stops every process still running (SIGTERM, then SIGKILL after 10 s). */
  stop(): Promise<void>;
}

/** A free loopback port: listen on port 0, note the port, close. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.unref();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const address = s.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      s.close(() => resolve(port));
    });
  });
}

function childEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  const base: NodeJS.ProcessEnv = { ...process.env };
  for (const name of SERVER_VARIABLES) delete base[name];
  return { ...base, ...DEFAULTS, ...env };
}

/** What `npm run build` compiles (tests left out), and one output of each of its two compilations. */
const BUILD_SOURCES = ['server/src', 'server/migrations', 'sdk/src', 'sdk/test-vectors'];
const BUILD_CONFIGS = ['tsconfig.base.json', 'server/tsconfig.build.json', 'sdk/tsconfig.build.json'];
const BUILD_OUTPUTS = ['server/dist/src/cli.js', 'sdk/dist/src/index.js'];
const BUILD_LOCK = path.join(
  os.tmpdir(),
  `ponte-build-${createHash('sha256').update(ROOT).digest('hex').slice(0, 12)}`,
);
const BUILD_TIMEOUT_MS = 120_000;

const mtime = (file: string): number => fs.statSync(file, { throwIfNoEntry: false })?.mtimeMs ?? Number.NaN;

/** Whether an output is missing or older than a source (tsc rewrites every output on each build). */
function buildIsStale(): boolean {
  const built = Math.min(...BUILD_OUTPUTS.map((f) => mtime(path.join(ROOT, f))));
  if (Number.isNaN(built)) return true;
  const files = BUILD_CONFIGS.map((f) => path.join(ROOT, f));
  for (const dir of BUILD_SOURCES.map((d) => path.join(ROOT, d))) {
    for (const name of fs.readdirSync(dir, { recursive: true, encoding: 'utf8' })) {
      if (/\.(ts|json)$/.test(name) && !name.endsWith('.test.ts')) files.push(path.join(dir, name));
    }
  }
  return files.some((file) => mtime(file) > built);
}

async function rebuildIfStale(): Promise<void> {
  if (!buildIsStale()) return;
  for (;;) {
    try {
      fs.mkdirSync(BUILD_LOCK);
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    // Another test process is building. A lock older than any build was left by a killed run.
    if (Date.now() - mtime(BUILD_LOCK) > BUILD_TIMEOUT_MS) fs.rmSync(BUILD_LOCK, { force: true, recursive: true });
    await new Promise((r) => setTimeout(r, 200));
  }
  try {
    if (!buildIsStale()) return;
    process.stderr.write('server/dist or sdk/dist is older than the sources: running `npm run build`\n');
    await promisify(execFile)('npm', ['run', 'build'], { cwd: ROOT, timeout: BUILD_TIMEOUT_MS }).catch((err) => {
      throw new Error(`npm run build failed: ${err.message}\n${err.stdout ?? ''}${err.stderr ?? ''}`);
    });
  } finally {
    fs.rmSync(BUILD_LOCK, { force: true, recursive: true });
  }
}

let built: Promise<void> | undefined;

/** Makes sure server/dist and sdk/dist hold the current sources; checks once per test process. */
export function ensureBuilt(): Promise<void> {
  built ??= rebuildIfStale();
  return built;
}

await ensureBuilt();

/** Runs `ponte migrate` once with `env`, so that the servers started afterwards do not race on it. */
export async function migrate(env: Record<string, string>): Promise<void> {
  try {
    await promisify(execFile)(process.execPath, [PONTE_BIN, 'migrate'], {
      cwd: SERVER_DIR,
      env: childEnv(env),
      timeout: 60_000,
    });
  } catch (err) {
    const e = err as { stderr?: string; stdout?: string; message: string };
    throw new Error(`ponte migrate failed: ${e.message}\n${e.stderr ?? ''}${e.stdout ?? ''}`);
  }
}

interface Child {
  process: ChildProcess;
  url: string;
  stderr: string;
  stdout: string;
  exited: Promise<void>;
  exitCode: number | null;
  exitSignal: NodeJS.Signals | null;
  done: boolean;
}

function start(env: Record<string, string>, port: number): Child {
  const proc = spawn(process.execPath, [PONTE_BIN, 'serve'], {
    cwd: SERVER_DIR,
    env: childEnv({ ...env, PORT: String(port) }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const child: Child = {
    process: proc,
    url: `http://127.0.0.1:${port}`,
    stderr: '',
    stdout: '',
    exited: Promise.resolve(),
    exitCode: null,
    exitSignal: null,
    done: false,
  };
  proc.stdout?.setEncoding('utf8');
  proc.stdout?.on('data', (chunk: string) => {
    child.stdout = (child.stdout + chunk).slice(-OUTPUT_LIMIT);
  });
  proc.stderr?.setEncoding('utf8');
  proc.stderr?.on('data', (chunk: string) => {
    child.stderr = (child.stderr + chunk).slice(-OUTPUT_LIMIT);
  });
  child.exited = new Promise((resolve) => {
    proc.once('exit', (code, signal) => {
      child.exitCode = code;
      child.exitSignal = signal;
      child.done = true;
      resolve();
    });
    proc.once('error', (err) => {
      child.stderr += `\n${err.stack ?? err.message}`;
      child.done = true;
      resolve();
    });
  });
  return child;
}

async function waitReady(child: Child): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.done) {
      throw new Error(
        `ponte serve (${child.url}) exited before it was ready (code ${child.exitCode}, signal ${child.exitSignal}):\n${child.stderr}`,
      );
    }
    try {
      const res = await fetch(`${child.url}/readyz`, { signal: AbortSignal.timeout(2_000) });
      await res.arrayBuffer();
      if (res.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`ponte serve (${child.url}) was not ready within ${READY_TIMEOUT_MS} ms:\n${child.stderr}`);
}

async function terminate(child: Child, signal: NodeJS.Signals, graceMs: number): Promise<void> {
  if (child.done) return;
  child.process.kill(signal);
  const timer = setTimeout(() => {
    if (!child.done) child.process.kill('SIGKILL');
  }, graceMs);
  await child.exited;
  clearTimeout(timer);
}

/**
 * Starts `n` server processes on one database. Migrations run once before; the first process starts
 * alone and creates the files the others share (`<PONTE_DATA_DIR>/master.key`, `admin-token`), then
 * the others start together. `env` holds the database settings and any other overrides.
 */
export async function spawnServers(
  n: number,
  env: Record<string, string>,
  /** `migrate: false` for processes started on a database already migrated (a restart): they start sooner. */
  options: { migrate?: boolean } = {},
): Promise<ServerProcesses> {
  if (options.migrate !== false) await migrate(env);
  const children: Child[] = [];
  const stop = async () => {
    await Promise.all(children.map((c) => terminate(c, 'SIGTERM', 10_000)));
  };
  try {
    const first = start(env, await freePort());
    children.push(first);
    await waitReady(first);
    const rest: Child[] = [];
    for (let i = 1; i < n; i++) rest.push(start(env, await freePort()));
    children.push(...rest);
    await Promise.all(rest.map(waitReady));
  } catch (err) {
    await stop();
    throw err;
  }
  const at = (i: number): Child => {
    const c = children[i];
    if (!c) throw new Error(`no server process ${i}`);
    return c;
  };
  return {
    urls: children.map((c) => c.url),
    kill: (i, signal = 'SIGKILL') => terminate(at(i), signal, 10_000),
    pid: (i) => at(i).process.pid ?? 0,
    stderr: (i) => at(i).stderr,
    stdout: (i) => at(i).stdout,
    stop,
  };
}
