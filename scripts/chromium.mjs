// Chromium for the console's browser tests (console/test): Debian's `chromium` package, driven by Playwright through
// its executablePath (Playwright's own browser downloads are not used).
//
//   node scripts/chromium.mjs            prints the Chromium found, or says none is
//   node scripts/chromium.mjs install    installs Debian's chromium with apt-get (as root or with sudo -n)
import fs from 'node:fs';
import { pathToFileURL } from 'node:url';
import { aptInstall } from './apt.mjs';

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser'];

/** The Chromium the browser tests use: PONTE_CHROMIUM, else Debian's; null when there is none. */
export function findChromium() {
  return [process.env.PONTE_CHROMIUM, ...CANDIDATES].find((p) => p && fs.existsSync(p)) ?? null;
}

/** Installs Debian's chromium package and returns its path; throws when the installation fails. */
export function installChromium(log = (line) => process.stderr.write(`${line}\n`)) {
  aptInstall(['chromium'], log);
  const found = findChromium();
  if (!found) throw new Error('apt-get installed chromium but no chromium binary is found');
  return found;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  if (process.argv[2] === 'install') {
    process.stdout.write(`${installChromium()}\n`);
  } else {
    const found = findChromium();
    process.stdout.write(found ? `${found}\n` : 'no Chromium found (node scripts/chromium.mjs install)\n');
    process.exit(found ? 0 : 1);
  }
}
