// `npm run generate`: openapi.json from the route schemas, then the SDK's types from openapi.json.
// `npm run generate -- --check`: fails if either committed file is stale.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const check = process.argv.includes('--check');
const run = (cmd, args) => execFileSync(cmd, args, { cwd: root, stdio: 'inherit' });

// The SDK from its sources (`ponte-source`), so that generating needs no build first.
run(process.execPath, [
  '--conditions=ponte-source',
  '--import',
  'tsx',
  'scripts/openapi.ts',
  check ? '--check' : '--write',
]);

const typesFile = path.join(root, 'sdk/src/generated/openapi.ts');
const tempDir = check ? fs.mkdtempSync(path.join(os.tmpdir(), 'ponte-types-')) : undefined;
const out = tempDir ? path.join(tempDir, 'openapi.ts') : typesFile;
fs.mkdirSync(path.dirname(out), { recursive: true });
run(process.execPath, [
  path.join(root, 'node_modules/openapi-typescript/bin/cli.js'),
  'openapi.json',
  '-o',
  out,
  '--root-types',
  '--alphabetize',
]);
if (tempDir) {
  const stale = !fs.existsSync(typesFile) || fs.readFileSync(out, 'utf8') !== fs.readFileSync(typesFile, 'utf8');
  fs.rmSync(tempDir, { recursive: true, force: true });
  if (stale) {
    process.stderr.write('sdk/src/generated/openapi.ts is out of date: run `npm run generate` and commit the result\n');
    process.exit(1);
  }
  process.stdout.write('sdk/src/generated/openapi.ts is up to date\n');
}
