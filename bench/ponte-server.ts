// What the benchmarks share for running a Ponte server as a child process, as `npm start` runs it.
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
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

/**
 * Starts `ponte serve` (the given `ponte.js`) on a free port with a fresh data dir, quiet, with the
 * demo developer and no background workers, and waits until it answers and has written the demo
 * credentials. `env` adds or overrides settings; variables that would point it elsewhere are dropped.
 */
export async function startPonteServer(options: {
  script: string;
  cwd: string;
  dataDir: string;
  env?: Record<string, string>;
  /** Options for node itself, before the script (for example `--cpu-prof`). */
  nodeArgs?: string[];
  timeoutMs?: number;
}): Promise<RunningPonte> {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of ['DATABASE_URL', 'PONTE_MASTER_KEY', 'PONTE_ADMIN_TOKEN', 'PUBLIC_URL']) delete env[name];
  Object.assign(env, {
    PORT: String(port),
    HOST: '127.0.0.1',
    PONTE_DATA_DIR: options.dataDir,
    LOG_LEVEL: 'warn',
    PONTE_WORKERS: 'false',
    PONTE_DEMO: 'true',
    RATE_LIMIT_PER_SECOND: '1000000',
    RATE_LIMIT_BURST: '10000000',
    ...options.env,
  });
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
  try {
    for (;;) {
      if (child.exitCode !== null || child.signalCode !== null) {
        throw new Error(`the Ponte server exited (${child.exitCode ?? child.signalCode}):\n${output}`);
      }
      if (Date.now() > deadline) throw new Error(`the Ponte server did not start within ${timeoutMs} ms:\n${output}`);
      try {
        const res = await fetch(`${baseUrl}/healthz`);
        await res.arrayBuffer();
        if (res.ok && fs.existsSync(credsFile)) break;
      } catch {
        // not listening yet
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  } catch (err) {
    await stopChild(child);
    throw err;
  }
  const creds = JSON.parse(fs.readFileSync(credsFile, 'utf8')) as DemoCredentials;
  return { child, baseUrl, creds, output: () => output };
}
