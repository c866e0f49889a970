// A throwaway PostgreSQL cluster for tests and benchmarks: a fresh data directory in a temp dir,
// listening on a free port on 127.0.0.1 only, trust authentication, durability switched off for speed.
//
//   import { start, stop } from './pg-cluster.mjs';
//   const cluster = await start();        // cluster.url: postgres://postgres@127.0.0.1:<port>/postgres
//   ...
//   await stop(cluster);                  // stops the server and deletes the temp dir
//
// From the command line:
//   node scripts/pg-cluster.mjs start            starts a cluster, prints its URL and leaves it running
//   node scripts/pg-cluster.mjs stop <dir>       stops a cluster started that way and deletes its dir
//   node scripts/pg-cluster.mjs run -- <cmd...>  runs a command with PONTE_TEST_PG_URL and DATABASE_URL
//                                                set to a fresh cluster, then stops it
//
// PostgreSQL refuses to run as root: when this process is root, the server runs as the `postgres` user
// (through runuser, or su when runuser is missing) and the temp dir is owned by that user.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { aptInstall } from './apt.mjs';

const SERVER_USER = 'postgres';

/** Settings written to postgresql.conf: fast and disposable, enough connections for several server pools. */
const SETTINGS = {
  listen_addresses: "'127.0.0.1'",
  max_connections: '300',
  shared_buffers: "'128MB'",
  fsync: 'off',
  synchronous_commit: 'off',
  full_page_writes: 'off',
  wal_level: 'minimal',
  max_wal_senders: '0',
  max_wal_size: "'1GB'",
  checkpoint_timeout: "'30min'",
  jit: 'off',
  logging_collector: 'off',
  log_min_messages: 'warning',
  log_min_error_statement: 'panic',
  timezone: "'UTC'",
};

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function sleepSync(ms) {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function isExecutable(file) {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

function hasServerBinaries(dir) {
  return Boolean(dir) && ['initdb', 'pg_ctl', 'postgres'].every((b) => isExecutable(path.join(dir, b)));
}

/** The folder holding initdb, pg_ctl and postgres, or null when PostgreSQL's server binaries are missing. */
export function findBinDir() {
  const candidates = [];
  if (process.env.PONTE_PG_BINDIR) candidates.push(process.env.PONTE_PG_BINDIR);
  const pgConfig = spawnSync('pg_config', ['--bindir'], { encoding: 'utf8' });
  if (pgConfig.status === 0) candidates.push(pgConfig.stdout.trim());
  // Debian keeps each major version in its own folder; prefer the newest.
  try {
    const versions = fs
      .readdirSync('/usr/lib/postgresql')
      .filter((v) => /^\d+(\.\d+)?$/.test(v))
      .sort((a, b) => Number(b) - Number(a));
    for (const v of versions) candidates.push(path.join('/usr/lib/postgresql', v, 'bin'));
  } catch {
    // no Debian-style installation
  }
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) if (dir) candidates.push(dir);
  return candidates.find(hasServerBinaries) ?? null;
}

/**
 * Installs Debian's PostgreSQL server with apt-get (as root, or through passwordless sudo) and returns
 * its bin folder. Meant for CI machines; throws when the installation fails.
 */
export function installServer(log = (line) => process.stderr.write(`${line}\n`)) {
  aptInstall(['postgresql'], log);
  const dir = findBinDir();
  if (!dir) throw new Error('apt-get installed postgresql but initdb, pg_ctl and postgres are still not found');
  return dir;
}

function serverUserIds() {
  const uid = spawnSync('id', ['-u', SERVER_USER], { encoding: 'utf8' });
  const gid = spawnSync('id', ['-g', SERVER_USER], { encoding: 'utf8' });
  if (uid.status !== 0 || gid.status !== 0) {
    throw new Error(`running as root, but there is no "${SERVER_USER}" user to run PostgreSQL as`);
  }
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

const shellQuote = (s) => `'${String(s).replace(/'/g, `'\\''`)}'`;

/** The command line that runs `file args` as the server's user (unchanged when not root). */
function asServerUser(file, args) {
  if (process.getuid?.() !== 0) return [file, args];
  if (spawnSync('runuser', ['--help'], { stdio: 'ignore' }).status === 0) {
    return ['runuser', ['-u', SERVER_USER, '--', file, ...args]];
  }
  return ['su', [SERVER_USER, '-s', '/bin/sh', '-c', [file, ...args].map(shellQuote).join(' ')]];
}

/** Runs a PostgreSQL tool as the server's user; resolves with its output, rejects with it on failure. */
function runTool(cwd, file, args) {
  const [cmd, cmdArgs] = asServerUser(file, args);
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, cmdArgs, { cwd, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LC_ALL: 'C' } });
    let output = '';
    child.stdout.on('data', (d) => {
      output += d;
    });
    child.stderr.on('data', (d) => {
      output += d;
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (code === 0) resolve(output);
      else reject(new Error(`${path.basename(file)} failed (${code ?? signal}):\n${output.trim()}`));
    });
  });
}

/** A port that was free on 127.0.0.1 a moment ago. */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function canConnect(port) {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host: '127.0.0.1' });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

function readPid(dataDir) {
  try {
    const pid = Number(fs.readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return err.code === 'EPERM';
  }
}

function signal(pid, sig) {
  try {
    process.kill(pid, sig);
  } catch {
    // already gone
  }
}

/** Waits for the server to accept a real login on 127.0.0.1 (pg_isready), not only a TCP connection. */
async function waitReady(binDir, cluster, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  const isready = path.join(binDir, 'pg_isready');
  for (;;) {
    if (isExecutable(isready)) {
      const r = spawnSync(isready, ['-q', '-h', '127.0.0.1', '-p', String(cluster.port), '-U', 'postgres'], {
        stdio: 'ignore',
      });
      if (r.status === 0) return;
    } else if (await canConnect(cluster.port)) {
      return;
    }
    if (Date.now() > deadline) throw new Error(`PostgreSQL did not accept connections within ${timeoutMs} ms`);
    await sleep(100);
  }
}

function logTail(cluster) {
  try {
    return fs.readFileSync(cluster.logFile, 'utf8').trim().split('\n').slice(-20).join('\n');
  } catch {
    return '(no server log)';
  }
}

/** Stops the server at once (SIGQUIT, then SIGKILL) and deletes the temp dir, without awaiting: for exit hooks. */
function stopSync(cluster) {
  const pid = readPid(cluster.dataDir) ?? cluster.pid;
  if (pid) {
    signal(pid, 'SIGQUIT');
    const deadline = Date.now() + 5000;
    while (alive(pid) && Date.now() < deadline) sleepSync(50);
    if (alive(pid)) signal(pid, 'SIGKILL');
  }
  fs.rmSync(cluster.dir, { recursive: true, force: true });
}

/**
 * Creates and starts a cluster. Options: `binDir` (default: findBinDir()), `port` (default: a free one),
 * `keep` (true: leave it running when this process exits; default false: an exit hook stops it),
 * `log` (progress lines; default silent).
 * Resolves with { url, port, dir, dataDir, logFile, pid, binDir, stop() }.
 */
export async function start(options = {}) {
  const log = options.log ?? (() => {});
  const binDir = options.binDir ?? findBinDir();
  if (!binDir) throw new Error('PostgreSQL server binaries (initdb, pg_ctl, postgres) not found');
  const root = process.getuid?.() === 0;
  const ids = root ? serverUserIds() : null;

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ponte-pg-'));
  const cluster = {
    dir,
    dataDir: path.join(dir, 'data'),
    socketDir: path.join(dir, 'sock'),
    logFile: path.join(dir, 'postgres.log'),
    binDir,
    port: 0,
    url: '',
    pid: null,
    stopped: false,
    stop: () => stop(cluster),
  };
  const onExit = () => {
    if (!cluster.stopped) stopSync(cluster);
  };
  if (!options.keep) process.on('exit', onExit);
  cluster.removeExitHook = () => process.off('exit', onExit);

  try {
    fs.mkdirSync(cluster.socketDir);
    fs.writeFileSync(cluster.logFile, '');
    if (ids) {
      for (const p of [dir, cluster.socketDir, cluster.logFile]) fs.chownSync(p, ids.uid, ids.gid);
    }
    const started = Date.now();
    await runTool(dir, path.join(binDir, 'initdb'), [
      '-D',
      cluster.dataDir,
      '-U',
      'postgres',
      '-A',
      'trust',
      '-E',
      'UTF8',
      '--locale=C',
      '--no-sync',
      '--no-instructions',
    ]);
    log(`initdb: ${Date.now() - started} ms`);
    // Only the local socket and 127.0.0.1, both without passwords.
    fs.writeFileSync(
      path.join(cluster.dataDir, 'pg_hba.conf'),
      'local all all trust\nhost all all 127.0.0.1/32 trust\n',
    );

    // Another process may take the port between choosing and binding it: then try another one.
    for (let attempt = 1; ; attempt++) {
      cluster.port = options.port ?? (await freePort());
      const settings = {
        ...SETTINGS,
        port: String(cluster.port),
        unix_socket_directories: `'${cluster.socketDir}'`,
      };
      fs.writeFileSync(
        path.join(cluster.dataDir, 'postgresql.auto.conf'),
        `${Object.entries(settings)
          .map(([k, v]) => `${k} = ${v}`)
          .join('\n')}\n`,
      );
      try {
        await runTool(dir, path.join(binDir, 'pg_ctl'), [
          '-D',
          cluster.dataDir,
          '-l',
          cluster.logFile,
          '-w',
          '-t',
          '60',
          'start',
        ]);
        break;
      } catch (err) {
        const inUse = /could not bind|address already in use/i.test(logTail(cluster));
        if (!inUse || options.port || attempt >= 5) throw new Error(`${err.message}\n${logTail(cluster)}`);
        log(`port ${cluster.port} was taken, trying another`);
      }
    }
    cluster.pid = readPid(cluster.dataDir);
    await waitReady(binDir, cluster, 30_000);
    cluster.url = `postgres://postgres@127.0.0.1:${cluster.port}/postgres`;
    log(`PostgreSQL ready at ${cluster.url} (${Date.now() - started} ms)`);
    return cluster;
  } catch (err) {
    cluster.removeExitHook();
    stopSync(cluster);
    cluster.stopped = true;
    throw err;
  }
}

/** Stops a cluster started by `start` (fast shutdown, then harder) and deletes its temp dir. */
export async function stop(cluster) {
  if (!cluster || cluster.stopped) return;
  cluster.stopped = true;
  cluster.removeExitHook?.();
  const pid = readPid(cluster.dataDir) ?? cluster.pid;
  if (pid && alive(pid)) {
    // SIGINT is PostgreSQL's fast shutdown: clients are disconnected, nothing is waited for.
    signal(pid, 'SIGINT');
    let deadline = Date.now() + 15_000;
    while (alive(pid) && Date.now() < deadline) await sleep(50);
    if (alive(pid)) {
      signal(pid, 'SIGQUIT');
      deadline = Date.now() + 5000;
      while (alive(pid) && Date.now() < deadline) await sleep(50);
    }
    if (alive(pid)) signal(pid, 'SIGKILL');
  }
  fs.rmSync(cluster.dir, { recursive: true, force: true });
}

/** Stops a cluster left running by `node scripts/pg-cluster.mjs start`, given its temp dir. */
export async function stopDir(dir) {
  const dataDir = path.join(dir, 'data');
  if (!fs.existsSync(path.join(dataDir, 'PG_VERSION'))) throw new Error(`${dir} does not hold a cluster`);
  await stop({ dir, dataDir, pid: null, stopped: false });
}

async function cli(argv) {
  const [command, ...rest] = argv;
  const log = (line) => process.stderr.write(`${line}\n`);
  if (command === 'start') {
    const cluster = await start({ log, keep: true });
    process.stdout.write(`${cluster.url}\n`);
    log(`data in ${cluster.dir}; stop it with: node scripts/pg-cluster.mjs stop ${cluster.dir}`);
    return 0;
  }
  if (command === 'stop' && rest[0]) {
    await stopDir(path.resolve(rest[0]));
    return 0;
  }
  if (command === 'run') {
    const cmd = rest[0] === '--' ? rest.slice(1) : rest;
    if (cmd.length === 0) throw new Error('usage: node scripts/pg-cluster.mjs run -- <command> [args...]');
    const cluster = await start({ log });
    const child = spawn(cmd[0], cmd.slice(1), {
      stdio: 'inherit',
      env: { ...process.env, PONTE_TEST_PG_URL: cluster.url, DATABASE_URL: cluster.url },
    });
    for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
      process.on(sig, () => child.kill(sig));
    }
    const code = await new Promise((resolve) => {
      child.on('error', (err) => {
        log(`could not run ${cmd[0]}: ${err.message}`);
        resolve(127);
      });
      child.on('close', (c, s) => resolve(c ?? (s ? 128 + (os.constants.signals[s] ?? 0) : 1)));
    });
    await stop(cluster);
    return code;
  }
  log(
    'usage:\n  node scripts/pg-cluster.mjs start\n  node scripts/pg-cluster.mjs stop <dir>\n' +
      '  node scripts/pg-cluster.mjs run -- <command> [args...]',
  );
  return 2;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  cli(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err) => {
      process.stderr.write(`pg-cluster: ${err.message}\n`);
      process.exit(1);
    },
  );
}
