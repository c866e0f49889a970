// `npm test`: every check the project keeps, in order, stopping at the first failure.
//
//   1. lint and format          npx biome check .
//   2. type-check the server    npx tsc -p server
//   3. type-check the SDK       npx tsc -p sdk
//   4. type-check the console   npx tsc -p console, and its tests: npx tsc -p console/tsconfig.test.json
//   5. build                    npm run build (sdk/dist, server/dist, console/dist)
//   6. generated files fresh    node scripts/generate.mjs --check
//   7. OpenAPI lint             npx @redocly/cli lint openapi.json
//   8. tests on SQLite          npx vitest run (the console's browser tests among them)
//   9. tests on PostgreSQL      npx vitest run, PONTE_TEST_DB=postgres and PONTE_TEST_PG_URL
//
// Step 5 compiles the current sources, because the tests that start real server processes run
// server/bin/ponte.js, which runs server/dist as `npm start` does. Step 9 uses the server in
// PONTE_TEST_PG_URL when it is set; otherwise it starts a throwaway cluster (scripts/pg-cluster.mjs).
// Without PostgreSQL's server binaries it installs them when CI is set and skips the step, with a
// notice, when it is not.
//
// The console's browser tests (console/test) drive Debian's Chromium (scripts/chromium.mjs): when it is missing,
// step 8 installs it first under CI, and elsewhere runs without them, with a notice.
//
// Options: --no-postgres skips step 9; anything after `--` is passed to both vitest runs
// (`npm test -- server/test/api/accounts` runs only those files).
import { spawn } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { findChromium, installChromium } from './chromium.mjs';
import { findBinDir, installServer, start as startCluster, stop as stopCluster } from './pg-cluster.mjs';

const root = path.resolve(import.meta.dirname, '..');
const argv = process.argv.slice(2);
const dash = argv.indexOf('--');
const options = dash < 0 ? argv : argv.slice(0, dash);
const vitestArgs = dash < 0 ? [] : argv.slice(dash + 1);
const unknown = options.filter((o) => o !== '--no-postgres');
if (unknown.length > 0) {
  process.stderr.write(`unknown option ${unknown[0]}; usage: node scripts/test.mjs [--no-postgres] [-- vitest args]\n`);
  process.exit(2);
}
const inCi = Boolean(process.env.CI) && !/^(0|false|no)$/i.test(process.env.CI ?? '');

/** The environment without variables that would point a run at another database. */
function cleanEnv(extra = {}) {
  const env = { ...process.env, ...extra };
  for (const name of ['PONTE_TEST_DB', 'PONTE_TEST_PG_URL', 'DATABASE_URL']) {
    if (!(name in extra)) delete env[name];
  }
  return env;
}

const steps = [
  { title: 'Lint and format', cmd: ['npx', '--no', '--', 'biome', 'check', '.'] },
  { title: 'Type-check the server', cmd: ['npx', '--no', '--', 'tsc', '-p', 'server'] },
  { title: 'Type-check the SDK', cmd: ['npx', '--no', '--', 'tsc', '-p', 'sdk'] },
  { title: 'Type-check the console', cmd: ['npx', '--no', '--', 'tsc', '-p', 'console'] },
  { title: 'Type-check the console tests', cmd: ['npx', '--no', '--', 'tsc', '-p', 'console/tsconfig.test.json'] },
  { title: 'Build', cmd: ['npm', 'run', 'build'] },
  { title: 'OpenAPI document and SDK types are fresh', cmd: ['node', 'scripts/generate.mjs', '--check'] },
  {
    title: 'OpenAPI lint',
    cmd: ['npx', '--no', '--', '@redocly/cli', 'lint', 'openapi.json'],
    env: { REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
  },
  {
    title: 'Tests on SQLite',
    cmd: ['npx', '--no', '--', 'vitest', 'run', ...vitestArgs],
    env: cleanEnv(),
    browser: true,
  },
  { title: 'Tests on PostgreSQL', postgres: true },
];

let child = null;
let cluster = null;
let interrupted = false;

for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(sig, () => {
    if (interrupted) return;
    interrupted = true;
    process.stderr.write(`\n${sig}: stopping\n`);
    if (child?.pid) {
      try {
        process.kill(-child.pid, sig);
      } catch {
        // already gone
      }
    }
    // The child's exit (or this timer) ends the run; the cluster's exit hook stops PostgreSQL.
    setTimeout(() => process.exit(128 + (os.constants.signals[sig] ?? 0)), 10_000).unref();
  });
}

function run(cmd, env) {
  if (interrupted) return Promise.resolve(130);
  return new Promise((resolve) => {
    // Its own process group, so that a signal reaches npx and what it started (vitest and its workers).
    child = spawn(cmd[0], cmd.slice(1), { cwd: root, stdio: 'inherit', env: env ?? process.env, detached: true });
    child.on('error', (err) => {
      process.stderr.write(`could not run ${cmd[0]}: ${err.message}\n`);
      resolve(127);
    });
    child.on('close', (code, signal) => {
      child = null;
      resolve(code ?? 128 + (os.constants.signals[signal] ?? 0));
    });
  });
}

/** Chromium for the console's browser tests: installed under CI when missing, else their skip announced. */
function ensureChromium() {
  const found = findChromium();
  if (found) {
    process.stdout.write(`console browser tests: ${found}\n`);
  } else if (inCi) {
    process.stdout.write('Chromium not found; installing Debian’s chromium (CI is set)\n');
    installChromium((line) => process.stdout.write(`${line}\n`));
  } else {
    process.stdout.write(
      'console browser tests skipped: no Chromium found. Install it (Debian: apt-get install chromium, or ' +
        'node scripts/chromium.mjs install) or set PONTE_CHROMIUM to a Chromium binary.\n',
    );
  }
}

const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;
const results = [];

/** PostgreSQL step: the URL to use, or null (with the reason printed) when the step is skipped. */
async function postgresUrl() {
  if (process.env.PONTE_TEST_PG_URL) {
    process.stdout.write(`using the PostgreSQL server in PONTE_TEST_PG_URL\n`);
    return process.env.PONTE_TEST_PG_URL;
  }
  let binDir = findBinDir();
  if (!binDir) {
    if (!inCi) {
      process.stdout.write(
        'PostgreSQL suite skipped: no PostgreSQL server binaries (initdb, pg_ctl, postgres) found. ' +
          'Install them (Debian: apt-get install postgresql) or set PONTE_TEST_PG_URL to a server to use.\n',
      );
      return null;
    }
    process.stdout.write('PostgreSQL server binaries not found; installing them (CI is set)\n');
    binDir = installServer((line) => process.stdout.write(`${line}\n`));
  }
  cluster = await startCluster({ binDir, log: (line) => process.stdout.write(`${line}\n`) });
  return cluster.url;
}

async function runStep(step, index) {
  const heading = step.postgres
    ? 'npx vitest run (PONTE_TEST_DB=postgres)'
    : step.cmd.filter((a) => a !== '--no' && a !== '--').join(' ');
  process.stdout.write(`\n==> [${index + 1}/${steps.length}] ${step.title}: ${heading}\n`);
  const started = Date.now();
  let code;
  let skipped = false;
  if (step.postgres) {
    try {
      if (options.includes('--no-postgres')) process.stdout.write('PostgreSQL suite skipped: --no-postgres\n');
      const url = options.includes('--no-postgres') ? null : await postgresUrl();
      if (url === null) {
        skipped = true;
        code = 0;
      } else {
        const env = cleanEnv({ PONTE_TEST_DB: 'postgres', PONTE_TEST_PG_URL: url });
        code = await run(['npx', '--no', '--', 'vitest', 'run', ...vitestArgs], env);
      }
    } catch (err) {
      process.stderr.write(`${err.message}\n`);
      code = 1;
    } finally {
      if (cluster) await stopCluster(cluster);
      cluster = null;
    }
  } else {
    if (step.browser) {
      try {
        ensureChromium();
      } catch (err) {
        process.stderr.write(`${err.message}\n`);
        code = 1;
      }
    }
    code ??= await run(step.cmd, step.env ? { ...process.env, ...step.env } : undefined);
  }
  const took = Date.now() - started;
  results.push({ title: step.title, took, status: skipped ? 'skipped' : code === 0 ? 'ok' : 'FAILED' });
  const outcome = skipped ? 'skipped' : code === 0 ? 'passed' : `FAILED (exit code ${code})`;
  process.stdout.write(`<== ${step.title}: ${outcome} in ${seconds(took)}\n`);
  return code;
}

const started = Date.now();
let failed = null;
for (const [i, step] of steps.entries()) {
  const code = await runStep(step, i);
  if (code !== 0 || interrupted) {
    failed = { step, code: interrupted && code === 0 ? 130 : code };
    break;
  }
}

process.stdout.write('\nSummary:\n');
for (const r of results) process.stdout.write(`  ${r.status.padEnd(7)} ${seconds(r.took).padStart(8)}  ${r.title}\n`);
process.stdout.write(`  total   ${seconds(Date.now() - started).padStart(8)}\n`);
if (failed) {
  const what = interrupted ? 'was interrupted during' : 'failed at';
  process.stderr.write(
    `\nnpm test ${what} "${failed.step.title}" (exit code ${failed.code}); the later steps did not run.\n`,
  );
  process.exit(failed.code || 1);
}
const skipped = results.filter((r) => r.status === 'skipped').map((r) => r.title);
process.stdout.write(`\nAll checks passed${skipped.length ? ` (skipped: ${skipped.join(', ')})` : ''}.\n`);
