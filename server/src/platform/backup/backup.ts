import fs from 'node:fs';
import path from 'node:path';
import type { Config } from '../../config.js';
import { copyHashed, formatBytes, listFiles, syncDir, syncFile } from './fs-copy.js';
import {
  BACKUP_PATHS,
  BackupError,
  FORMAT,
  FORMAT_VERSION,
  hashFile,
  isSafeRelativePath,
  type Manifest,
  type ManifestFile,
  masterKeyFingerprint,
  PARTIAL_SUFFIX,
  ponteVersion,
  writeManifest,
} from './manifest.js';
import { keyFileText, readConfiguredKey } from './master-key.js';
import { findPgTool, runPgTool, withPgSnapshot } from './pg-tools.js';
import { type DatabaseContents, snapshotSqlite } from './sqlite-files.js';

/**
 * `ponte backup`: a consistent copy of a deployment taken while it runs. The main database is copied first, then the
 * sandbox market's store, then the file store: Ponte writes a marketplace order or a stored file before the row that
 * refers to it commits, so whatever the database copy refers to was already there when the later copies were taken.
 */

export interface BackupDeps {
  config: Config;
  /** PONTE_PG_BINDIR: where pg_dump is, when it is not found by itself. */
  pgBinDir: string | undefined;
  now: () => Date;
  /** Where the progress and the summary go (a line at a time). */
  log: (line: string) => void;
}

export interface BackupOptions {
  /** The folder to create; default `<data>/backups/<UTC time>`. */
  out?: string;
  /** Put the master key in the backup (otherwise the operator keeps it elsewhere). */
  includeMasterKey?: boolean;
}

export interface BackupResult {
  dir: string;
  manifest: Manifest;
  bytes: number;
  tookMs: number;
}

/** The folder of the file store (`createFileStore` in platform/files/file-store.ts keeps its files there). */
export const fileStoreFolder = (config: Pick<Config, 'dataDir'>) => path.join(config.dataDir, 'files');

/** 2026-12-06T01:30:00.123Z → 20261206T013000Z */
export const timestampName = (d: Date) =>
  d
    .toISOString()
    .replace(/\.\d+Z$/, 'Z')
    .replace(/[-:]/g, '');

function targetOf(deps: BackupDeps, out: string | undefined): string {
  const dir = path.resolve(out ?? path.join(deps.config.dataDir, 'backups', timestampName(deps.now())));
  if (dir.endsWith(PARTIAL_SUFFIX)) {
    throw new BackupError(`${dir}: a name ending in ${PARTIAL_SUFFIX} marks an unfinished backup; choose another`);
  }
  const stat = fs.statSync(dir, { throwIfNoEntry: false });
  if (stat && (!stat.isDirectory() || fs.readdirSync(dir).length > 0)) {
    throw new BackupError(`${dir} already exists and is not an empty folder: choose a new --out`);
  }
  if (fs.existsSync(dir + PARTIAL_SUFFIX)) {
    throw new BackupError(
      `${dir}${PARTIAL_SUFFIX} exists: another backup is being written there, or one was interrupted ` +
        '(remove it if no backup is running)',
    );
  }
  return dir;
}

/**
 * Readable by its owner only (the tools create files as the umask says): a copy of the database holds sealed secrets
 * and everything the developers did. Then flushed to disk.
 */
async function secure(file: string): Promise<void> {
  await fs.promises.chmod(file, 0o600);
  await syncFile(file);
}

async function copyMainDatabase(deps: BackupDeps, work: string): Promise<{ file: string; contents: DatabaseContents }> {
  const { config } = deps;
  const url = config.databaseUrl;
  if (url) {
    const pgDump = findPgTool('pg_dump', deps.pgBinDir);
    const file = path.join(work, BACKUP_PATHS.pgdump);
    const contents = await withPgSnapshot(url, async (snapshot, counted) => {
      await runPgTool(pgDump, ['--format=custom', '--no-owner', `--snapshot=${snapshot}`, `--file=${file}`], url);
      return counted;
    });
    await secure(file);
    return { file: BACKUP_PATHS.pgdump, contents };
  }
  if (config.sqliteFile === ':memory:') throw new BackupError('the database is in memory (PONTE_SQLITE_FILE=:memory:)');
  if (!fs.existsSync(config.sqliteFile)) throw new BackupError(`there is no database at ${config.sqliteFile}`);
  const contents = await snapshotSqlite(config.sqliteFile, path.join(work, BACKUP_PATHS.sqlite));
  await secure(path.join(work, BACKUP_PATHS.sqlite));
  return { file: BACKUP_PATHS.sqlite, contents };
}

async function copySandbox(config: Config, work: string): Promise<string | undefined> {
  const file = config.sandbox.file;
  // A deployment on real upstreams may never have opened the sandbox market.
  if (file === ':memory:' || !fs.existsSync(file)) return undefined;
  await snapshotSqlite(file, path.join(work, BACKUP_PATHS.sandbox));
  await secure(path.join(work, BACKUP_PATHS.sandbox));
  return BACKUP_PATHS.sandbox;
}

/** Copies every stored file (media-type sidecars included), keeping relative paths. */
async function copyFileStore(deps: BackupDeps, work: string): Promise<ManifestFile[]> {
  const root = fileStoreFolder(deps.config);
  const copied: ManifestFile[] = [];
  const folders = new Set<string>([path.join(work, BACKUP_PATHS.files)]);
  await fs.promises.mkdir(path.join(work, BACKUP_PATHS.files), { mode: 0o700 });
  for (const rel of await listFiles(root)) {
    // `.tmp` files are writes in progress, renamed over their key once complete.
    if (rel.endsWith('.tmp')) continue;
    const inBackup = `${BACKUP_PATHS.files}/${rel}`;
    if (!isSafeRelativePath(inBackup)) {
      deps.log(`skipped ${path.join(root, rel)}: not a name the file store makes`);
      continue;
    }
    const dest = path.join(work, ...inBackup.split('/'));
    await fs.promises.mkdir(path.dirname(dest), { recursive: true, mode: 0o700 });
    folders.add(path.dirname(dest));
    try {
      copied.push({ path: inBackup, ...(await copyHashed(path.join(root, rel), dest)) });
    } catch (err) {
      // Removed by the server after the listing: nothing the database copy can need (it was taken before).
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw err;
    }
  }
  for (const folder of folders) await syncDir(folder);
  return copied;
}

async function entryOf(work: string, rel: string): Promise<ManifestFile> {
  return { path: rel, ...(await hashFile(path.join(work, rel))) };
}

async function writeBackup(deps: BackupDeps, work: string, includeKey: boolean, started: Date): Promise<Manifest> {
  const key = readConfiguredKey(deps.config);
  if (includeKey && !key) throw new BackupError('--include-master-key: no master key is configured or stored');
  const main = await copyMainDatabase(deps, work);
  const sandbox = await copySandbox(deps.config, work);
  const stored = await copyFileStore(deps, work);
  if (includeKey && key) {
    await fs.promises.writeFile(path.join(work, BACKUP_PATHS.masterKey), keyFileText(key.key), { mode: 0o600 });
    await syncFile(path.join(work, BACKUP_PATHS.masterKey));
  }
  const named = [main.file, sandbox, includeKey ? BACKUP_PATHS.masterKey : undefined];
  const files = [...(await Promise.all(named.filter((f) => f !== undefined).map((f) => entryOf(work, f)))), ...stored];
  const manifest: Manifest = {
    format: FORMAT,
    formatVersion: FORMAT_VERSION,
    ponteVersion: ponteVersion(),
    createdAt: started.toISOString(),
    database: { kind: deps.config.databaseUrl ? 'postgres' : 'sqlite', file: main.file },
    migrations: main.contents.migrations,
    tables: main.contents.tables,
    sandbox: sandbox ? { file: sandbox } : null,
    fileStore: { folder: BACKUP_PATHS.files, files: stored.length },
    masterKey: key ? { fingerprint: masterKeyFingerprint(key.key), included: includeKey } : null,
    files,
  };
  await writeManifest(work, manifest);
  await syncDir(work);
  return manifest;
}

/**
 * Writes a backup into `<out>.partial` and renames it to `<out>` once everything, the manifest last, is on disk: a
 * backup that failed or was killed is never taken for a good one. A failure removes what it wrote.
 */
export async function createBackup(deps: BackupDeps, options: BackupOptions = {}): Promise<BackupResult> {
  const started = deps.now();
  const dir = targetOf(deps, options.out);
  const work = dir + PARTIAL_SUFFIX;
  await fs.promises.mkdir(path.dirname(dir), { recursive: true });
  await fs.promises.mkdir(work, { mode: 0o700 });
  let manifest: Manifest;
  try {
    manifest = await writeBackup(deps, work, options.includeMasterKey === true, started);
    await fs.promises.rename(work, dir);
    await syncDir(path.dirname(dir));
  } catch (err) {
    await fs.promises.rm(work, { recursive: true, force: true });
    throw err;
  }
  const bytes = manifest.files.reduce((n, f) => n + f.size, 0);
  const result = { dir, manifest, bytes, tookMs: deps.now().getTime() - started.getTime() };
  for (const line of summary(result)) deps.log(line);
  return result;
}

function summary({ dir, manifest, bytes, tookMs }: BackupResult): string[] {
  const size = (rel: string | undefined) => formatBytes(manifest.files.find((f) => f.path === rel)?.size ?? 0);
  const rows = Object.values(manifest.tables).reduce((n, c) => n + c, 0);
  const stored = manifest.files.filter((f) => f.path.startsWith(`${manifest.fileStore.folder}/`));
  const lines = [
    `backup written to ${dir} in ${(tookMs / 1000).toFixed(1)} s`,
    `  database (${manifest.database.kind})  ${size(manifest.database.file)}: ` +
      `${Object.keys(manifest.tables).length} tables, ${rows} rows`,
    `  sandbox store  ${manifest.sandbox ? size(manifest.sandbox.file) : 'none'}`,
    `  file store  ${stored.length} files, ${formatBytes(stored.reduce((n, f) => n + f.size, 0))}`,
    `  total  ${formatBytes(bytes)}`,
  ];
  const key = manifest.masterKey;
  if (!key) lines.push('no master key is configured or stored here: the backup records none');
  else if (key.included) lines.push(`master key ${key.fingerprint} is IN the backup: keep the backup as secret as it`);
  else {
    lines.push(
      `master key ${key.fingerprint} is not in the backup: keep it separately (PONTE_MASTER_KEY or ` +
        '<data>/master.key); without it the secrets in the backup cannot be opened',
    );
  }
  return lines;
}
