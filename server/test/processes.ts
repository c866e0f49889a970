import { type ChildProcess, execFile, spawn } from 'node:child_process';
import net from 'node:net';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

/**
 * Real server processes (`ponte serve`) for tests across processes: they share the database that the
 * given environment names (see `createTestDatabase().env`), each on its own loopback port.
 */

const PONTE_BIN = fileURLToPath(new URL('../bin/ponte.js', import.meta.url));
const SERVER_DIR = fileURLToPath(new URL('..', import.meta.url));
const STDERR_LIMIT = 64 * 1024;
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
  'PONTE_MASTER_KEY',
  'PONTE_ADMIN_TOKEN',
  'RATE_LIMIT_PER_SECOND',
  'RATE_LIMIT_BURST',
  'RATE_LIMIT_STORE',
  'BODY_LIMIT_BYTES',
  'SIGNATURE_WINDOW_SECONDS',
  'PONTE_WORKERS',
  'PONTE_DEMO',
  'SHUTDOWN_TIMEOUT_MS',
  'TRUST_PROXY',
];

const DEFAULTS: Record<string, string> = {
  HOST: '127.0.0.1',
  LOG_LEVEL: 'warn',
  PONTE_WORKERS: 'false',
  PONTE_DEMO: 'false',
  RATE_LIMIT_PER_SECOND: '1000000',
  RATE_LIMIT_BURST: '10000000',
};

export interface ServerProcesses {
  /** Base URL of each process, `http://127.0.0.1:<port>`. */
  urls: string[];
  /** Sends `signal` (SIGKILL by default) to process `i`; resolves once it has exited. */
  kill(i: number, signal?: NodeJS.Signals): Promise<void>;
  /** What process `i` wrote to stderr so far (the last 64 KiB). */
  stderr(i: number): string;
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
  exited: Promise<void>;
  exitCode: number | null;
  exitSignal: NodeJS.Signals | null;
  done: boolean;
}

function start(env: Record<string, string>, port: number): Child {
  const proc = spawn(process.execPath, [PONTE_BIN, 'serve'], {
    cwd: SERVER_DIR,
    env: childEnv({ ...env, PORT: String(port) }),
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const child: Child = {
    process: proc,
    url: `http://127.0.0.1:${port}`,
    stderr: '',
    exited: Promise.resolve(),
    exitCode: null,
    exitSignal: null,
    done: false,
  };
  proc.stderr?.setEncoding('utf8');
  proc.stderr?.on('data', (chunk: string) => {
    child.stderr = (child.stderr + chunk).slice(-STDERR_LIMIT);
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
export async function spawnServers(n: number, env: Record<string, string>): Promise<ServerProcesses> {
  await migrate(env);
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
    stderr: (i) => at(i).stderr,
    stop,
  };
}
