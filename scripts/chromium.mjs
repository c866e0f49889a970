// Chromium for the console's browser tests (console/test): Debian's `chromium` package, driven by Playwright through
// its executablePath (Playwright's own browser downloads are not used).
//
//   node scripts/chromium.mjs            prints the Chromium found, or says none is
//   node scripts/chromium.mjs install    installs Debian's chromium with apt-get (as root or with sudo -n)
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { pathToFileURL } from 'node:url';

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser'];

/** The Chromium the browser tests use: PONTE_CHROMIUM, else Debian's; null when there is none. */
export function findChromium() {
  return [process.env.PONTE_CHROMIUM, ...CANDIDATES].find((p) => p && fs.existsSync(p)) ?? null;
}

/** Installs Debian's chromium package and returns its path; throws when the installation fails. */
export function installChromium(log = (line) => process.stderr.write(`${line}\n`)) {
  const root = process.getuid?.() === 0;
  const prefix = root ? [] : ['sudo', '-n', '--preserve-env=DEBIAN_FRONTEND'];
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const apt = (args) => {
    const cmd = [...prefix, 'apt-get', ...args];
    log(`$ ${cmd.join(' ')}`);
    const r = spawnSync(cmd[0], cmd.slice(1), { stdio: 'inherit', env });
    if (r.error) throw new Error(`could not run ${cmd[0]}: ${r.error.message}`);
    if (r.status !== 0) throw new Error(`${cmd.join(' ')} exited with ${r.status ?? r.signal}`);
  };
  apt(['update']);
  apt(['install', '-y', '--no-install-recommends', 'chromium']);
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
