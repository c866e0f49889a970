import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Config } from '../../config.js';
import { BackupError } from './manifest.js';

/**
 * The master key as backups and restores see it: read where the server reads it (PONTE_MASTER_KEY, else
 * `<data>/master.key`) but never created, since a backup or a restore that made up a new key would leave a
 * deployment whose sealed secrets no key opens.
 */

export interface ConfiguredKey {
  key: Buffer;
  /** Where it came from, for messages: `PONTE_MASTER_KEY` or the file's path. */
  source: string;
}

export const masterKeyFile = (config: Pick<Config, 'dataDir'>) => path.join(config.dataDir, 'master.key');

/** Decodes a key as the server stores it (base64 of 32 bytes), naming where it came from when it is not one. */
export function decodeKey(text: string, source: string): Buffer {
  const key = Buffer.from(text.trim(), 'base64');
  if (key.length !== 32) throw new BackupError(`the master key in ${source} is not the base64 of 32 bytes`);
  return key;
}

/** The configured master key, or undefined when there is none yet (no PONTE_MASTER_KEY and no key file). */
export function readConfiguredKey(config: Pick<Config, 'dataDir' | 'masterKey'>): ConfiguredKey | undefined {
  if (config.masterKey) return { key: decodeKey(config.masterKey, 'PONTE_MASTER_KEY'), source: 'PONTE_MASTER_KEY' };
  const file = masterKeyFile(config);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  return { key: decodeKey(text, file), source: file };
}

/** The text of a key file: what the server writes on first start. */
export const keyFileText = (key: Buffer) => `${key.toString('base64')}\n`;

/**
 * Writes `<data>/master.key` (mode 0600) whole or not at all, and never over a key that appeared meanwhile: the key
 * goes to a temporary file that is then linked into place, as the server creates it.
 */
export function installKeyFile(config: Pick<Config, 'dataDir'>, key: Buffer): string {
  const file = masterKeyFile(config);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const temp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    const fd = fs.openSync(temp, 'wx', 0o600);
    try {
      fs.writeFileSync(fd, keyFileText(key));
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.linkSync(temp, file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') {
      throw new BackupError(`${file} appeared during the restore: check which key this deployment uses`);
    }
    throw err;
  } finally {
    fs.rmSync(temp, { force: true });
  }
  return file;
}
