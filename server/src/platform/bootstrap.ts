import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Config } from '../config.js';

/**
 * Reads a secret file, or creates it (mode 0600) with `make()` when absent. Creation is atomic: the
 * value is written to a temporary file that is then linked into place, so a process starting at the
 * same moment never reads a half-written file, and only one value wins.
 */
function readOrCreate(file: string, make: () => string): { value: string; created: boolean } {
  try {
    return { value: fs.readFileSync(file, 'utf8').trim(), created: false };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const value = make();
  const temp = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  fs.writeFileSync(temp, `${value}\n`, { mode: 0o600 });
  try {
    fs.linkSync(temp, file);
    return { value, created: true };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return readOrCreate(file, make);
    throw err;
  } finally {
    fs.rmSync(temp, { force: true });
  }
}

/** The master key that encrypts access secrets: PONTE_MASTER_KEY, else `<dataDir>/master.key`. */
export function loadMasterKey(config: Config): Buffer {
  const b64 =
    config.masterKey ??
    readOrCreate(path.join(config.dataDir, 'master.key'), () => randomBytes(32).toString('base64')).value;
  const key = Buffer.from(b64, 'base64');
  if (key.length !== 32) throw new Error(`master key in ${config.dataDir}/master.key is not 32 bytes of base64`);
  return key;
}

/** The operator token for /admin: PONTE_ADMIN_TOKEN, else `<dataDir>/admin-token`. */
export function loadAdminToken(config: Config): { token: string; file?: string } {
  if (config.adminToken) return { token: config.adminToken };
  const file = path.join(config.dataDir, 'admin-token');
  return { token: readOrCreate(file, () => randomBytes(32).toString('base64url')).value, file };
}
