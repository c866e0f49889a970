import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { DialectKind } from '../db/dialect.js';
import { serverPackage } from '../package-root.js';

/**
 * The description of a backup, `manifest.json` at its root: what it holds and how to check it. It is written last,
 * and the backup's folder gets its final name only after it, so a folder with a manifest and without `.partial` at
 * the end of its name is a complete backup.
 */

export const MANIFEST_FILE = 'manifest.json';
export const FORMAT = 'ponte-backup';
/** Raised when the layout changes in a way an older `ponte restore` could not read. */
export const FORMAT_VERSION = 1;
/** The suffix of a backup being written (or one that never completed). */
export const PARTIAL_SUFFIX = '.partial';

/** The names of what a backup holds, relative to its folder. */
export const BACKUP_PATHS = {
  sqlite: 'database.sqlite',
  pgdump: 'database.pgdump',
  sandbox: 'sandbox.sqlite',
  files: 'files',
  masterKey: 'master.key',
} as const;

export interface ManifestFile {
  /** Relative to the backup's folder, with `/` separators. */
  path: string;
  size: number;
  sha256: string;
}

export interface Manifest {
  format: typeof FORMAT;
  formatVersion: number;
  ponteVersion: string;
  /** ISO 8601, UTC. */
  createdAt: string;
  database: { kind: DialectKind; file: string };
  /** The migrations the backed-up database had applied, in order. */
  migrations: string[];
  /** Rows per table of the main database, as copied. */
  tables: Record<string, number>;
  /** The sandbox market's store, when the deployment had one. */
  sandbox: { file: string } | null;
  /** The file store's folder inside the backup, and how many stored files (sidecars included) it holds. */
  fileStore: { folder: string; files: number };
  /** Which master key the database's sealed secrets need, and whether the backup holds it. Null: none was found. */
  masterKey: { fingerprint: string; included: boolean } | null;
  /** Every file of the backup but the manifest. */
  files: ManifestFile[];
}

/** A failure the operator can act on: printed as it is, without a stack. */
export class BackupError extends Error {
  override name = 'BackupError';
}

// A label of its own, so that the fingerprint says nothing about any other value derived from the key.
const FINGERPRINT_LABEL = 'ponte master key fingerprint v1\n';

/** Tells master keys apart without revealing them: the first 16 hex digits of SHA-256(label + key bytes). */
export function masterKeyFingerprint(key: Buffer): string {
  return createHash('sha256').update(FINGERPRINT_LABEL).update(key).digest('hex').slice(0, 16);
}

/** SHA-256 and size of a file, read as a stream (backups may be large). */
export async function hashFile(file: string): Promise<{ size: number; sha256: string }> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of fs.createReadStream(file)) {
    hash.update(chunk as Buffer);
    size += (chunk as Buffer).length;
  }
  return { size, sha256: hash.digest('hex') };
}

const SEGMENT = /^[A-Za-z0-9_-][A-Za-z0-9._-]*$/;

/**
 * Whether a path named by a manifest stays inside the backup's folder: relative, `/`-separated, no `.` or `..`
 * segments. A manifest is input like any other: one could be edited to make a restore write elsewhere.
 */
export function isSafeRelativePath(p: string): boolean {
  const parts = p.split('/');
  return p.length <= 1024 && parts.every((s) => SEGMENT.test(s) && s !== '.' && s !== '..');
}

/** The version of this Ponte; a backup needs it to tell which migrations its database has. */
export function ponteVersion(): string {
  const version = serverPackage()?.version;
  if (!version) throw new Error('server/package.json not found above the backup code');
  return version;
}

export async function writeManifest(dir: string, manifest: Manifest): Promise<void> {
  const file = path.join(dir, MANIFEST_FILE);
  const handle = await fs.promises.open(file, 'wx', 0o600);
  try {
    await handle.writeFile(`${JSON.stringify(manifest, null, 2)}\n`);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

function shapeProblem(m: Partial<Manifest>): string | undefined {
  if (m.format !== FORMAT) return 'it is not a Ponte backup manifest';
  if (typeof m.formatVersion !== 'number' || m.formatVersion > FORMAT_VERSION) {
    return `its format version ${m.formatVersion} is newer than this Ponte reads (${FORMAT_VERSION}): use a newer Ponte`;
  }
  if (m.database?.kind !== 'sqlite' && m.database?.kind !== 'postgres') return 'database.kind is missing';
  if (!Array.isArray(m.migrations) || typeof m.tables !== 'object' || m.tables === null) {
    return 'migrations or tables are missing';
  }
  if (!Array.isArray(m.files) || typeof m.fileStore?.folder !== 'string') return 'files or fileStore are missing';
  const named = [m.database.file, m.sandbox?.file, m.fileStore.folder, ...m.files.map((f) => f?.path)];
  const unsafe = named.find((p) => p !== undefined && (typeof p !== 'string' || !isSafeRelativePath(p)));
  if (unsafe !== undefined) return `it names a path outside the backup: ${JSON.stringify(unsafe)}`;
  const badFile = m.files.find((f) => !Number.isSafeInteger(f.size) || !/^[0-9a-f]{64}$/.test(f.sha256));
  if (badFile) return `the size or checksum of ${badFile.path} is malformed`;
  return undefined;
}

/** Reads and checks the manifest of the backup in `dir`; refuses anything it cannot trust to restore from. */
export function readManifest(dir: string): Manifest {
  const file = path.join(dir, MANIFEST_FILE);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new BackupError(`${dir} is not a backup: it has no ${MANIFEST_FILE}`);
    }
    throw err;
  }
  let manifest: Partial<Manifest>;
  try {
    manifest = JSON.parse(text) as Partial<Manifest>;
  } catch {
    throw new BackupError(`${file} is not valid JSON`);
  }
  const problem = shapeProblem(manifest);
  if (problem) throw new BackupError(`${file} cannot be used: ${problem}`);
  return manifest as Manifest;
}

/**
 * Checks every file the manifest lists against its size and SHA-256, before anything is restored, and refuses on the
 * first that differs or is missing, naming it.
 */
export async function verifyChecksums(dir: string, manifest: Manifest): Promise<void> {
  for (const entry of manifest.files) {
    const file = path.join(dir, ...entry.path.split('/'));
    let actual: { size: number; sha256: string };
    try {
      actual = await hashFile(file);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
        throw new BackupError(`the backup is incomplete: ${entry.path} is missing`);
      }
      throw err;
    }
    if (actual.size !== entry.size || actual.sha256 !== entry.sha256) {
      throw new BackupError(
        `the backup is damaged: ${entry.path} does not match its checksum in ${MANIFEST_FILE} ` +
          `(expected ${entry.size} bytes, sha256 ${entry.sha256}; found ${actual.size} bytes, sha256 ${actual.sha256})`,
      );
    }
  }
}
