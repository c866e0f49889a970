#!/usr/bin/env node
// Entry point of the `ponte` command: loads the TypeScript sources through tsx.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli.ts');
main(process.argv).catch((err) => {
  // A configuration problem is the operator's to fix: say what is wrong, without a stack trace.
  if (err?.name === 'ConfigError') {
    process.stderr.write(`ponte: ${err.message}\n`);
    process.exit(2);
  }
  process.stderr.write(`${err?.stack ?? err}\n`);
  process.exit(1);
});
