// Installs Debian packages for the test runs that need them (PostgreSQL's server, Chromium): apt-get update, then
// install, as root or through passwordless sudo, without questions. Meant for CI machines.
import { spawnSync } from 'node:child_process';

/** Runs apt-get update and installs `packages`; throws when a step fails. */
export function aptInstall(packages, log = (line) => process.stderr.write(`${line}\n`)) {
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
  apt(['install', '-y', '--no-install-recommends', ...packages]);
}
