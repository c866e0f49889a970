// Generates the OpenAPI document from the route schemas: `--write` updates openapi.json, `--check`
// fails when the committed file differs from a fresh generation.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildApp } from '../server/src/app.js';
import { loadConfig } from '../server/src/config.js';
import { migrateToLatest } from '../server/src/platform/db/database.js';

const root = path.resolve(import.meta.dirname, '..');
const target = path.join(root, 'openapi.json');

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ponte-openapi-'));
const { app, deps } = await buildApp(
  loadConfig({ PONTE_DATA_DIR: dataDir, PONTE_SQLITE_FILE: ':memory:', LOG_LEVEL: 'silent' }),
);
// Ready means serving: the app leases an id node and listens for changes, in a migrated database.
await migrateToLatest(deps.database);
await app.ready();
const fresh = `${JSON.stringify(app.swagger(), null, 2)}\n`;
await app.close();
fs.rmSync(dataDir, { recursive: true, force: true });

if (process.argv.includes('--check')) {
  const committed = fs.existsSync(target) ? fs.readFileSync(target, 'utf8') : '';
  if (committed !== fresh) {
    process.stderr.write('openapi.json is out of date: run `npm run generate` and commit the result\n');
    process.exit(1);
  }
  process.stdout.write('openapi.json is up to date\n');
} else {
  fs.writeFileSync(target, fresh);
  process.stdout.write(`wrote ${path.relative(process.cwd(), target)}\n`);
}
