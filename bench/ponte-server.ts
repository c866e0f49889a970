// What the benchmarks share for running a Ponte server as a child process, as `npm start` runs it.
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';

/** The demo developer the server creates on its first start (`<data>/demo-credentials.json`). */
export interface DemoCredentials {
  developId: string;
  userId: string;
  accessKey: string;
  accessSecret: string;
}

export interface RunningPonte {
  child: ChildProcess;
  baseUrl: string;
  creds: DemoCredentials;
  /** The end of what the server printed, for error messages. */
  output(): string;
}

/** A free loopback port: listen on port 0, note the port, close. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Stops a child with SIGTERM, then SIGKILL if it has not exited within 5 s. */
export function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

export interface PonteServerOptions {
  script: string;
  cwd: string;
  dataDir: string;
  env?: Record<string, string>;
  /** Options for node itself, before the script (for example `--cpu-prof`). */
  nodeArgs?: string[];
  timeoutMs?: number;
  /**
   * HTTP processes (`PONTE_PROCESSES`): the start then also waits until the primary has started that many
   * processes. Unset: whatever the environment says, else the server's default (one).
   */
  processes?: number;
  /** Background workers (`PONTE_WORKERS`: outbox, callbacks, the sandbox's sellers); off unless asked for. */
  workers?: boolean;
  /**
   * The per-key rate limit: `raised` (the default) too high to matter, so that a benchmark measures the server
   * rather than its limit; `server`: the server's own defaults. The per-address limit on failed authentications
   * (`AUTH_FAILURES_PER_MINUTE`, `AUTH_FAILURES_BURST`) is never changed here: it is the server's default unless
   * the environment sets it.
   */
  keyRateLimit?: 'raised' | 'server';
}

/**
 * Starts `ponte serve` (the given `ponte.js`) on a free port with a fresh data dir, quiet, with the
 * demo developer and (unless `workers`) no background workers, and waits until it is ready, has written the
 * demo credentials and each of its processes serves. `env` adds or overrides settings; variables that would point it
 * elsewhere are dropped.
 */
export async function startPonteServer(options: PonteServerOptions): Promise<RunningPonte> {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of ['DATABASE_URL', 'PONTE_MASTER_KEY', 'PONTE_ADMIN_TOKEN', 'PUBLIC_URL']) delete env[name];
  Object.assign(env, {
    PORT: String(port),
    HOST: '127.0.0.1',
    PONTE_DATA_DIR: options.dataDir,
    LOG_LEVEL: 'warn',
    PONTE_WORKERS: options.workers ? 'true' : 'false',
    PONTE_DEMO: 'true',
    ...(options.keyRateLimit === 'server' ? {} : { RATE_LIMIT_PER_SECOND: '1000000', RATE_LIMIT_BURST: '10000000' }),
    ...(options.processes === undefined ? {} : { PONTE_PROCESSES: String(options.processes) }),
    ...options.env,
  });
  if (options.keyRateLimit === 'server') {
    // The server's defaults, not a value inherited from the shell.
    delete env.RATE_LIMIT_PER_SECOND;
    delete env.RATE_LIMIT_BURST;
  }
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), options.script, 'serve'], {
    cwd: options.cwd,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-8000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);

  const baseUrl = `http://127.0.0.1:${port}`;
  const credsFile = path.join(options.dataDir, 'demo-credentials.json');
  const timeoutMs = options.timeoutMs ?? 60_000;
  const deadline = Date.now() + timeoutMs;
  // While it migrates and does its start-up work the server answers on its port already, `/readyz` with 503: it
  // serves once `/readyz` answers 200. With several processes that is the first; the measurement needs them all.
  // One process is the whole server (no primary), so children are waited for only when there are several.
  const minChildren = (options.processes ?? 1) > 1 ? (options.processes ?? 1) : 0;
  try {
    for (;;) {
      if (child.exitCode !== null || child.signalCode !== null) {
        throw new Error(`the Ponte server exited (${child.exitCode ?? child.signalCode}):\n${output}`);
      }
      if (Date.now() > deadline) {
        const started = minChildren > 0 ? ` (${childPids(child.pid).length} of ${minChildren} processes running)` : '';
        throw new Error(`the Ponte server did not start within ${timeoutMs} ms${started}:\n${output}`);
      }
      try {
        const res = await fetch(`${baseUrl}/readyz`);
        await res.arrayBuffer();
        if (res.ok && fs.existsSync(credsFile) && childPids(child.pid).length >= minChildren) break;
      } catch {
        // not listening yet
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    if (minChildren > 0) await untilEveryProcessServes(port, child.pid, minChildren, deadline);
  } catch (err) {
    await stopChild(child);
    throw err;
  }
  const creds = JSON.parse(fs.readFileSync(credsFile, 'utf8')) as DemoCredentials;
  return { child, baseUrl, creds, output: () => output };
}

/**
 * The child processes of `pid` (a `ponte serve` primary's HTTP and worker processes), from /proc: each thread's
 * `children` file, or, where the kernel has none, every process's parent in `/proc/<pid>/stat`. Empty off Linux.
 */
export function childPids(pid: number | undefined): number[] {
  if (pid === undefined) return [];
  const found = new Set<number>();
  try {
    for (const task of fs.readdirSync(`/proc/${pid}/task`)) {
      const list = fs.readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').trim();
      for (const child of list ? list.split(/\s+/) : []) found.add(Number(child));
    }
    return [...found].sort((a, b) => a - b);
  } catch {
    // no /proc, or a kernel without the children files: look at every process's parent
  }
  let entries: string[];
  try {
    entries = fs.readdirSync('/proc').filter((name) => /^[0-9]+$/.test(name));
  } catch {
    return [];
  }
  for (const name of entries) {
    try {
      const stat = fs.readFileSync(`/proc/${name}/stat`, 'utf8');
      // After the command name in parentheses: state, then the parent's pid.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) found.add(Number(name));
    } catch {
      // it exited meanwhile
    }
  }
  return [...found].sort((a, b) => a - b);
}

/** The inodes of the established TCP connections whose local port is `port` (the server's side), from /proc. */
function serverSideSockets(port: number): Set<string> {
  const inodes = new Set<string>();
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  for (const line of fs.readFileSync('/proc/net/tcp', 'utf8').split('\n').slice(1)) {
    // sl, local address:port, remote address:port, state (01: established), …, inode (the tenth field)
    const fields = line.trim().split(/\s+/);
    if (fields[1]?.endsWith(`:${hexPort}`) && fields[3] === '01' && fields[9]) inodes.add(fields[9]);
  }
  return inodes;
}

/** How many of `inodes` process `pid` holds open. */
function socketsHeld(pid: number, inodes: Set<string>): number {
  let held = 0;
  for (const fd of fs.readdirSync(`/proc/${pid}/fd`)) {
    try {
      const target = fs.readlinkSync(`/proc/${pid}/fd/${fd}`);
      if (inodes.has(/^socket:\[(\d+)\]$/.exec(target)?.[1] ?? '')) held++;
    } catch {
      // closed meanwhile
    }
  }
  return held;
}

/**
 * Waits until each of the `count` processes of a primary serves connections. The primary starts the others once
 * the first listens, so they exist before they accept anything, and a benchmark's keep-alive connections opened
 * meanwhile would all stay with the first. The primary hands each new connection to a listening process in turn:
 * once four connections per process are open, every listening one holds some (seen in /proc). Linux only; elsewhere
 * it returns at once.
 */
async function untilEveryProcessServes(port: number, pid: number | undefined, count: number, deadline: number) {
  if (!fs.existsSync('/proc/net/tcp')) return;
  for (;;) {
    const agent = new http.Agent({ keepAlive: true, maxSockets: count * 4 });
    try {
      await Promise.all(
        Array.from(
          { length: count * 4 },
          () =>
            new Promise<void>((resolve, reject) => {
              const req = http.get({ host: '127.0.0.1', port, path: '/healthz', agent }, (res) => {
                res.resume();
                res.on('end', resolve);
              });
              req.on('error', reject);
            }),
        ),
      );
      const inodes = serverSideSockets(port);
      const serving = childPids(pid).filter((child) => socketsHeld(child, inodes) > 0).length;
      if (serving >= count) return;
      if (Date.now() > deadline) throw new Error(`only ${serving} of ${count} server processes accept connections`);
    } finally {
      agent.destroy();
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
