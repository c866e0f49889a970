import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { copyHashed, syncDir } from './fs-copy.js';
import { BackupError, type Manifest, type ManifestFile } from './manifest.js';

/** Copies a backup file to `dest`, checking on the way that it is still the file whose checksum was verified. */
async function copyVerified(dir: string, entry: ManifestFile, dest: string): Promise<void> {
  const copied = await copyHashed(path.join(dir, ...entry.path.split('/')), dest);
  if (copied.sha256 !== entry.sha256) throw new BackupError(`${entry.path} changed in the backup during the restore`);
}

/** Copies made beside their targets, to be renamed into place once everything is ready. */
export class Staging {
  private readonly tag = randomBytes(6).toString('hex');
  private readonly temps: string[] = [];

  constructor(
    private readonly dir: string,
    private readonly manifest: Manifest,
  ) {}

  private entry(rel: string): ManifestFile {
    const entry = this.manifest.files.find((f) => f.path === rel);
    if (!entry) throw new BackupError(`${rel} is named by the manifest but has no checksum in it`);
    return entry;
  }

  /** An SQLite file copied next to `target`. */
  async file(rel: string, target: string): Promise<string> {
    await fs.promises.mkdir(path.dirname(target), { recursive: true });
    const temp = `${target}.restore-${this.tag}.tmp`;
    this.temps.push(temp);
    await copyVerified(this.dir, this.entry(rel), temp);
    return temp;
  }

  /** The file store copied into a folder next to `target`. */
  async folder(prefix: string, target: string): Promise<{ temp: string; count: number }> {
    const temp = `${target}.restore-${this.tag}`;
    this.temps.push(temp);
    await fs.promises.mkdir(temp, { recursive: true, mode: 0o700 });
    const entries = this.manifest.files.filter((f) => f.path.startsWith(`${prefix}/`));
    const folders = new Set([temp]);
    for (const entry of entries) {
      const dest = path.join(temp, ...entry.path.slice(prefix.length + 1).split('/'));
      await fs.promises.mkdir(path.dirname(dest), { recursive: true, mode: 0o700 });
      folders.add(path.dirname(dest));
      await copyVerified(this.dir, entry, dest);
    }
    for (const folder of folders) await syncDir(folder);
    return { temp, count: entries.length };
  }

  /** Moves an SQLite file into place; the old file's journal and WAL would otherwise be applied to the new one. */
  async swapFile(temp: string, target: string): Promise<void> {
    for (const suffix of ['-wal', '-shm', '-journal']) await fs.promises.rm(target + suffix, { force: true });
    await fs.promises.rename(temp, target);
    await syncDir(path.dirname(target));
  }

  async swapFolder(temp: string, target: string): Promise<void> {
    const old = `${target}.replaced-${this.tag}`;
    const had = fs.existsSync(target);
    if (had) await fs.promises.rename(target, old);
    await fs.promises.rename(temp, target);
    await syncDir(path.dirname(target));
    if (had) await fs.promises.rm(old, { recursive: true, force: true });
  }

  /** Removes whatever was staged and not moved into place. */
  async cleanUp(): Promise<void> {
    for (const temp of this.temps) await fs.promises.rm(temp, { recursive: true, force: true });
  }
}
