import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/** Copying files for backups and restores: streamed, hashed on the way, flushed to disk before they count. */

export interface Copied {
  size: number;
  sha256: string;
}

/**
 * Copies `src` to a new file `dest` (never over an existing one) as a stream, hashing the bytes written, and flushes
 * it to disk. A failed copy leaves no `dest` behind.
 */
export async function copyHashed(src: string, dest: string, mode = 0o600): Promise<Copied> {
  const hash = createHash('sha256');
  let size = 0;
  const out = await fs.promises.open(dest, 'wx', mode);
  try {
    for await (const chunk of fs.createReadStream(src)) {
      const bytes = chunk as Buffer;
      hash.update(bytes);
      size += bytes.length;
      for (let done = 0; done < bytes.length; ) {
        done += (await out.write(bytes, done, bytes.length - done)).bytesWritten;
      }
    }
    await out.sync();
  } catch (err) {
    await out.close().catch(() => {});
    await fs.promises.rm(dest, { force: true });
    throw err;
  }
  await out.close();
  return { size, sha256: hash.digest('hex') };
}

/** Flushes a file already written and closed (a database file another library wrote). */
export async function syncFile(file: string): Promise<void> {
  const handle = await fs.promises.open(file, 'r+');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Flushes a folder's entries, so that files created or renamed in it survive a crash. */
export async function syncDir(dir: string): Promise<void> {
  const handle = await fs.promises.open(dir, 'r');
  try {
    await handle.sync();
  } catch (err) {
    // Some file systems cannot flush a folder; the files themselves were flushed.
    if (!['EINVAL', 'EISDIR', 'EPERM'].includes((err as NodeJS.ErrnoException).code ?? '')) throw err;
  } finally {
    await handle.close();
  }
}

/** The regular files under `root`, as sorted `/`-separated relative paths; none when `root` does not exist. */
export async function listFiles(root: string, prefix = ''): Promise<string[]> {
  let entries: fs.Dirent[];
  try {
    entries = await fs.promises.readdir(path.join(root, prefix), { withFileTypes: true });
  } catch (err) {
    // A folder that is not there (or went away while listed) holds nothing to copy.
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const found: string[] = [];
  for (const e of entries) {
    const rel = prefix ? `${prefix}/${e.name}` : e.name;
    if (e.isDirectory()) found.push(...(await listFiles(root, rel)));
    else if (e.isFile()) found.push(rel);
  }
  return found.sort();
}

/** True when `p` exists and is a file of at least one byte. */
export function isNonEmptyFile(p: string): boolean {
  const stat = fs.statSync(p, { throwIfNoEntry: false });
  return stat?.isFile() === true && stat.size > 0;
}

/** The byte count as people read it: 812 B, 4.2 MB. */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let value = n / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}
