import fs from 'node:fs';
import path from 'node:path';
import { migrations as knownMigrations } from '../../../migrations/index.js';
import type { Config } from '../../config.js';
import { migrateToLatest, openDatabase } from '../db/database.js';
import { fileStoreFolder } from './backup.js';
import { isNonEmptyFile, listFiles } from './fs-copy.js';
import {
  BACKUP_PATHS,
  BackupError,
  type Manifest,
  masterKeyFingerprint,
  PARTIAL_SUFFIX,
  readManifest,
  verifyChecksums,
} from './manifest.js';
import { decodeKey, installKeyFile, masterKeyFile, readConfiguredKey } from './master-key.js';
import { connectPg, findPgTool, pgContents, pgTables, redactUrl, runPgTool } from './pg-tools.js';
import { assertNotInUse, readSqliteContents, sqliteHasTables } from './sqlite-files.js';
import { Staging } from './staging.js';

/**
 * `ponte restore`: puts a backup in place of a deployment's data, with its servers stopped. Everything is checked
 * before anything changes (the checksums, the master key, the targets); the files are then copied beside their
 * targets, checked again, and renamed into place, so that a restore that fails leaves the targets as they were.
 * Afterwards the migrations run, for a backup made by an older Ponte.
 */

export interface RestoreDeps {
  config: Config;
  /** PONTE_PG_BINDIR: where pg_restore is, when it is not found by itself. */
  pgBinDir: string | undefined;
  now: () => Date;
  log: (line: string) => void;
}

export interface RestoreOptions {
  dir: string;
  /** Replace a target that is not empty (a database with tables, a sandbox store, stored files). */
  force?: boolean;
}

export interface RestoreResult {
  manifest: Manifest;
  /** Migrations that ran after the restore. */
  applied: string[];
  tookMs: number;
}

/** Refuses what is not a finished backup before reading anything in it. */
function checkFolder(dir: string): void {
  if (path.basename(dir).endsWith(PARTIAL_SUFFIX)) {
    throw new BackupError(
      `${dir} is an unfinished backup (${PARTIAL_SUFFIX}): a backup that did not complete is never restored`,
    );
  }
  if (!fs.statSync(dir, { throwIfNoEntry: false })?.isDirectory()) throw new BackupError(`${dir} is not a folder`);
}

function checkCompatible(config: Config, manifest: Manifest): void {
  const kind = config.databaseUrl ? 'postgres' : 'sqlite';
  if (manifest.database.kind !== kind) {
    throw new BackupError(
      `the backup holds a ${manifest.database.kind} database, but this deployment uses ${kind} ` +
        `(${kind === 'postgres' ? 'DATABASE_URL is set' : 'DATABASE_URL is not set'})`,
    );
  }
  if (kind === 'sqlite' && config.sqliteFile === ':memory:') {
    throw new BackupError('PONTE_SQLITE_FILE is :memory:, which a restore cannot write to');
  }
  const unknown = manifest.migrations.filter((m) => !(m in knownMigrations));
  if (unknown.length > 0) {
    throw new BackupError(
      `the backup was made by a newer Ponte (${manifest.ponteVersion}): its database has migrations this version ` +
        `does not know (${unknown.join(', ')}); restore it with that version or a later one`,
    );
  }
}

/** The key to write to `<data>/master.key`, if any; refuses when the backup's secrets would not open. */
function keyToInstall(config: Config, dir: string, manifest: Manifest): Buffer | undefined {
  const recorded = manifest.masterKey;
  if (!recorded) return undefined;
  const configured = readConfiguredKey(config);
  if (configured) {
    const fingerprint = masterKeyFingerprint(configured.key);
    if (fingerprint === recorded.fingerprint) return undefined;
    throw new BackupError(
      `the master key of this deployment (${configured.source}, fingerprint ${fingerprint}) is not the one the ` +
        `backup's secrets are sealed with (fingerprint ${recorded.fingerprint}): configure that key, then restore`,
    );
  }
  if (!recorded.included) {
    throw new BackupError(
      `no master key is configured and the backup does not hold one: set PONTE_MASTER_KEY or write ` +
        `${masterKeyFile(config)} with the key of the backed-up deployment (fingerprint ${recorded.fingerprint})`,
    );
  }
  const file = path.join(dir, BACKUP_PATHS.masterKey);
  const key = decodeKey(fs.readFileSync(file, 'utf8'), file);
  if (masterKeyFingerprint(key) !== recorded.fingerprint) {
    throw new BackupError(`${BACKUP_PATHS.masterKey} in the backup is not the key its manifest records`);
  }
  return key;
}

/** What the restore would replace that holds something, in words; empty when every target is empty. */
async function occupiedTargets(config: Config, manifest: Manifest): Promise<string[]> {
  const found: string[] = [];
  if (config.databaseUrl) {
    const client = await connectPg(config.databaseUrl);
    const tables = await pgTables(client).finally(() => client.end());
    if (tables.length > 0) found.push(`the database ${redactUrl(config.databaseUrl)} has ${tables.length} tables`);
  } else if (sqliteHasTables(config.sqliteFile)) {
    found.push(`the database ${config.sqliteFile} has tables`);
  }
  if (manifest.sandbox && isNonEmptyFile(config.sandbox.file))
    found.push(`the sandbox store ${config.sandbox.file} exists`);
  const stored = await listFiles(fileStoreFolder(config));
  if (stored.length > 0) found.push(`the file store ${fileStoreFolder(config)} holds ${stored.length} files`);
  return found;
}

function countMismatches(expected: Record<string, number>, actual: Record<string, number>): string[] {
  return Object.entries(expected)
    .filter(([table, rows]) => actual[table] !== rows)
    .map(([table, rows]) => `${table}: ${actual[table] ?? 'missing'} rows instead of ${rows}`);
}

/**
 * pg_restore in one transaction: it fails whole or succeeds whole. Under --force it drops the backup's tables before
 * creating them, and then the tables the backup does not have (made by later migrations of the replaced database),
 * so that the database is the backup's and the migrations can run on it.
 */
async function restorePostgres(deps: RestoreDeps, dir: string, manifest: Manifest, force: boolean): Promise<void> {
  const url = deps.config.databaseUrl as string;
  const tool = findPgTool('pg_restore', deps.pgBinDir);
  const clean = force ? ['--clean', '--if-exists'] : [];
  const dump = path.join(dir, ...manifest.database.file.split('/'));
  // Roles differ between deployments: ownership and grants are left to the target's.
  await runPgTool(
    tool,
    ['--no-owner', '--no-privileges', '--exit-on-error', '--single-transaction', ...clean, dump],
    url,
  );
  const client = await connectPg(url);
  try {
    const extra = (await pgTables(client)).filter((t) => !(t in manifest.tables));
    if (extra.length > 0) {
      await client.query(`drop table if exists ${extra.map((t) => client.escapeIdentifier(t)).join(', ')} cascade`);
      deps.log(`dropped tables the backup does not have: ${extra.join(', ')}`);
    }
    const wrong = countMismatches(manifest.tables, (await pgContents(client)).tables);
    if (wrong.length > 0) throw new BackupError(`the restored database differs from the manifest: ${wrong.join('; ')}`);
  } finally {
    await client.end();
  }
}

/**
 * Copies the files beside their targets and checks them, then runs pg_restore (it may still fail: nothing was moved
 * yet), then renames the copies into place. Answers the stored files' count and the key file written, if any.
 */
async function putInPlace(
  deps: RestoreDeps,
  dir: string,
  manifest: Manifest,
  options: { force: boolean; key: Buffer | undefined },
): Promise<{ stored: number; keyFile: string | undefined }> {
  const { config } = deps;
  const staging = new Staging(dir, manifest);
  try {
    const main = config.databaseUrl ? undefined : await staging.file(manifest.database.file, config.sqliteFile);
    if (main) {
      const wrong = countMismatches(manifest.tables, readSqliteContents(main).tables);
      if (wrong.length > 0) throw new BackupError(`the database copy differs from the manifest: ${wrong.join('; ')}`);
    }
    const sandbox = manifest.sandbox ? await staging.file(manifest.sandbox.file, config.sandbox.file) : undefined;
    const files = await staging.folder(manifest.fileStore.folder, fileStoreFolder(config));
    const keyFile = options.key ? installKeyFile(config, options.key) : undefined;
    try {
      if (config.databaseUrl) await restorePostgres(deps, dir, manifest, options.force);
    } catch (err) {
      if (keyFile) fs.rmSync(keyFile, { force: true });
      throw err;
    }
    if (main) await staging.swapFile(main, config.sqliteFile);
    if (sandbox) await staging.swapFile(sandbox, config.sandbox.file);
    await staging.swapFolder(files.temp, fileStoreFolder(config));
    return { stored: files.count, keyFile };
  } finally {
    await staging.cleanUp();
  }
}

async function migrate(config: Config): Promise<string[]> {
  const database = openDatabase(config);
  try {
    return await migrateToLatest(database);
  } finally {
    await database.close();
  }
}

/** Restores the backup in `options.dir` into the deployment `deps.config` describes. */
export async function restoreBackup(deps: RestoreDeps, options: RestoreOptions): Promise<RestoreResult> {
  const started = deps.now();
  const { config } = deps;
  const dir = path.resolve(options.dir);
  checkFolder(dir);
  const manifest = readManifest(dir);
  checkCompatible(config, manifest);
  await verifyChecksums(dir, manifest);
  const key = keyToInstall(config, dir, manifest);
  if (config.databaseUrl) findPgTool('pg_restore', deps.pgBinDir);
  const occupied = await occupiedTargets(config, manifest);
  if (occupied.length > 0 && !options.force) {
    throw new BackupError(
      `not restored, nothing was changed: ${occupied.join('; ')}. To replace them with the backup, stop every ` +
        'server of this deployment and run ponte restore again with --force',
    );
  }
  if (!config.databaseUrl) assertNotInUse(config.sqliteFile);
  if (manifest.sandbox) assertNotInUse(config.sandbox.file);
  deps.log(`restoring ${dir} (made ${manifest.createdAt} by Ponte ${manifest.ponteVersion})`);
  const { stored, keyFile } = await putInPlace(deps, dir, manifest, { force: options.force === true, key });
  const applied = await migrate(config);
  const tookMs = deps.now().getTime() - started.getTime();
  for (const line of summary(config, manifest, { stored, keyFile, applied, tookMs })) deps.log(line);
  return { manifest, applied, tookMs };
}

function summary(
  config: Config,
  manifest: Manifest,
  done: { stored: number; keyFile: string | undefined; applied: string[]; tookMs: number },
): string[] {
  const rows = Object.values(manifest.tables).reduce((n, c) => n + c, 0);
  const where = config.databaseUrl ? redactUrl(config.databaseUrl) : config.sqliteFile;
  const key = done.keyFile
    ? `written to ${done.keyFile}`
    : manifest.masterKey
      ? 'the configured one opens the backup'
      : 'none recorded';
  return [
    `  database (${manifest.database.kind})  ${where}: ${Object.keys(manifest.tables).length} tables, ` +
      `${rows} rows, as the manifest counts`,
    `  sandbox store  ${manifest.sandbox ? config.sandbox.file : 'not in the backup, left as it was'}`,
    `  file store  ${fileStoreFolder(config)}: ${done.stored} files`,
    `  master key  ${key}`,
    `  migrations  ${done.applied.length > 0 ? `applied ${done.applied.join(', ')}` : 'none pending'}`,
    `restored in ${(done.tookMs / 1000).toFixed(1)} s`,
  ];
}
