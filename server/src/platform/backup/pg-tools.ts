import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { BackupError } from './manifest.js';
import type { DatabaseContents } from './sqlite-files.js';

/**
 * PostgreSQL's own tools for backups (`pg_dump`, `pg_restore`), and the queries around them. A database URL may hold a
 * password: it is passed to the tools in their environment (PGPASSWORD), never on their command line, where any user
 * of the machine could read it, and every message shows the URL with the password masked.
 */

export type PgTool = 'pg_dump' | 'pg_restore';

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/** `pg_config --bindir`, when pg_config is installed. */
function pgConfigBinDir(): string | undefined {
  try {
    return execFileSync('pg_config', ['--bindir'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return undefined;
  }
}

/** The versioned folders Debian and Ubuntu install server and client binaries in, newest first. */
function debianBinDirs(): string[] {
  const root = '/usr/lib/postgresql';
  const versions = fs.existsSync(root) ? fs.readdirSync(root).filter((v) => /^\d+(\.\d+)?$/.test(v)) : [];
  return versions.sort((a, b) => Number(b) - Number(a)).map((v) => path.join(root, v, 'bin'));
}

/**
 * Finds a PostgreSQL tool: in `binDir` when given (PONTE_PG_BINDIR: an explicit choice, so nothing else is tried),
 * else on PATH, else in `pg_config --bindir`, else in the newest `/usr/lib/postgresql/<version>/bin`.
 */
export function findPgTool(tool: PgTool, binDir: string | undefined): string {
  if (binDir) {
    const file = path.join(binDir, tool);
    if (isExecutable(file)) return file;
    throw new BackupError(`PONTE_PG_BINDIR is ${binDir}, which holds no executable ${tool}`);
  }
  const onPath = (process.env.PATH ?? '').split(path.delimiter).filter(Boolean);
  for (const dir of [...onPath, pgConfigBinDir(), ...debianBinDirs()]) {
    if (dir && isExecutable(path.join(dir, tool))) return path.join(dir, tool);
  }
  throw new BackupError(
    `${tool} was not found (on PATH, in pg_config --bindir or /usr/lib/postgresql/<version>/bin): install the ` +
      `PostgreSQL client tools of the server's major version or newer (Debian and Ubuntu: apt-get install ` +
      'postgresql-client), or set PONTE_PG_BINDIR to the folder that holds them',
  );
}

/** The URL with its password (in the user part or a `password` parameter) replaced by `***`. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    if (u.searchParams.has('password')) u.searchParams.set('password', '***');
    return u.toString();
  } catch {
    return 'the database URL (not shown: it does not parse)';
  }
}

/** The password a URL carries, as the server receives it. */
function passwordOf(url: URL): string | undefined {
  return url.password ? decodeURIComponent(url.password) : (url.searchParams.get('password') ?? undefined);
}

/** Masks the URL's password wherever a tool's output repeats it. */
function redactText(text: string, url: string): string {
  let out = text.replaceAll(url, redactUrl(url));
  try {
    const u = new URL(url);
    for (const secret of [u.password, passwordOf(u)]) if (secret) out = out.replaceAll(secret, '***');
  } catch {
    // A URL that does not parse was never handed to a tool.
  }
  return out;
}

/** The URL without its password, and the environment that gives the password to libpq instead. */
function toolConnection(url: string): { dbname: string; env: NodeJS.ProcessEnv } {
  const u = new URL(url);
  const password = passwordOf(u);
  u.password = '';
  u.searchParams.delete('password');
  return { dbname: u.toString(), env: password === undefined ? {} : { PGPASSWORD: password } };
}

/** Runs `tool --dbname=<url> args…` and fails with what it wrote to stderr (password masked) when it fails. */
export async function runPgTool(tool: string, args: string[], url: string): Promise<void> {
  const { dbname, env } = toolConnection(url);
  const child = spawn(tool, [`--dbname=${dbname}`, ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-16_384);
  });
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (exitCode) => resolve(exitCode));
  });
  if (code !== 0) {
    const name = path.basename(tool);
    throw new BackupError(
      `${name} failed (exit code ${code}) on ${redactUrl(url)}: ${redactText(stderr.trim(), url) || 'no message'}`,
    );
  }
}

/** A client of the database at `url`; connection failures name the URL, password masked. */
export async function connectPg(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url });
  try {
    await client.connect();
  } catch (err) {
    await client.end().catch(() => {});
    throw new BackupError(`cannot connect to ${redactUrl(url)}: ${redactText((err as Error).message, url)}`);
  }
  return client;
}

/** The tables of the connection's current schema. */
export async function pgTables(client: pg.Client): Promise<string[]> {
  const r = await client.query<{ name: string }>(
    'select tablename as name from pg_tables where schemaname = current_schema() order by tablename',
  );
  return r.rows.map((row) => row.name);
}

/** Rows per table and the migrations applied, as the connection's transaction sees them. */
export async function pgContents(client: pg.Client): Promise<DatabaseContents> {
  const names = await pgTables(client);
  const tables: Record<string, number> = {};
  for (const name of names) {
    const r = await client.query<{ n: string }>(`select count(*) as n from ${client.escapeIdentifier(name)}`);
    tables[name] = Number(r.rows[0]?.n);
  }
  const migrations = names.includes('kysely_migration')
    ? (await client.query<{ name: string }>('select name from kysely_migration order by name')).rows.map((r) => r.name)
    : [];
  return { tables, migrations };
}

/**
 * Runs `work` with a snapshot of the database exported from a read-only repeatable-read transaction: `pg_dump
 * --snapshot` dumps exactly what that transaction sees, so the row counts read in it describe the dump, however
 * many processes write meanwhile.
 */
export async function withPgSnapshot<T>(
  url: string,
  work: (snapshot: string, contents: DatabaseContents) => Promise<T>,
): Promise<T> {
  const client = await connectPg(url);
  try {
    await client.query('begin isolation level repeatable read read only');
    const snapshot = (await client.query<{ id: string }>('select pg_export_snapshot() as id')).rows[0]?.id;
    if (!snapshot) throw new Error('pg_export_snapshot answered nothing');
    const result = await work(snapshot, await pgContents(client));
    await client.query('commit');
    return result;
  } finally {
    await client.end();
  }
}
