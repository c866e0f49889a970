#!/usr/bin/env node
// Entry point of the `ponte` command. It runs the compiled JavaScript in server/dist (and sdk/dist), which
// `npm install` and `npm ci` build through the root `prepare` script and `npm run build` rebuilds; no
// TypeScript loader is involved at run time.
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';

const entry = fileURLToPath(new URL('../dist/src/cli.js', import.meta.url));

function notBuilt(missing) {
  process.stderr.write(
    `ponte: ${missing} is missing: Ponte has not been built (npm install --ignore-scripts skips the build).\n` +
      'Run `npm run build` at the repository root, then try again.\n',
  );
  process.exit(1);
}

if (!fs.existsSync(entry)) notBuilt(entry);
let main;
try {
  ({ main } = await import(new URL('../dist/src/cli.js', import.meta.url).href));
} catch (err) {
  // The server is built but a compiled file it imports is not, such as the SDK's (sdk/dist).
  const missing = err?.code === 'ERR_MODULE_NOT_FOUND' && /'([^']*[/\\]dist[/\\][^']*)'/.exec(err.message);
  if (missing) notBuilt(missing[1]);
  throw err;
}
main(process.argv).catch((err) => {
  // A configuration problem is the operator's to fix: say what is wrong, without a stack trace.
  if (err?.name === 'ConfigError') {
    process.stderr.write(`ponte: ${err.message}\n`);
    process.exit(2);
  }
  process.stderr.write(`${err?.stack ?? err}\n`);
  process.exit(1);
});
