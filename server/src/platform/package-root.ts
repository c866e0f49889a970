import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The server package's folder and version: server/package.json, found upwards from here in the sources and in the
 * build (server/dist) alike. */
export interface ServerPackage {
  dir: string;
  version: string;
}

let found: ServerPackage | null | undefined;

/** server/package.json's folder and version, or null when this code runs outside its package (a bundle). */
export function serverPackage(): ServerPackage | null {
  if (found !== undefined) return found;
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const file = path.join(dir, 'package.json');
    if (fs.existsSync(file)) {
      const pkg = JSON.parse(fs.readFileSync(file, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === '@ponte/server' && pkg.version) {
        found = { dir, version: pkg.version };
        return found;
      }
    }
    const parent = path.dirname(dir);
    if (parent === dir) {
      found = null;
      return found;
    }
    dir = parent;
  }
}

/** The version of this Ponte (server/package.json's), or `unknown`. */
export function ponteVersion(): string {
  return serverPackage()?.version ?? 'unknown';
}
