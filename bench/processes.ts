// Signed reads on one `ponte serve` process against two (`PONTE_PROCESSES=2`: a primary and two HTTP processes
// sharing the port), side by side in one run.
//
//   npm run bench:processes -- [--duration 10] [--warmup 3] [--connections 10] [--rounds 3] [--postgres]
//                              [--processes 2] [--cpu-prof <dir>]
//
// Starts two Ponte servers as child processes (bench/ponte-server.ts, each with its own data dir: SQLite, or with
// --postgres a throwaway PostgreSQL cluster each), one with `PONTE_PROCESSES=1` and one with `PONTE_PROCESSES=2`
// (or --processes), both without background workers, so that the one not being measured stays idle. The request is signed-read's:
// `GET /open/product/get` of the first sandbox item (from the details cache after the first call), every request
// with a fresh signature. autocannon, in this process, warms each up, then loads them in turn with the same
// connections and duration for --rounds alternating rounds; the figures are the medians of the rounds. Progress
// and the servers' CPU time per request go to stderr; stdout gets exactly one line:
//
//   processes: p1=<n> req/s p2=<m> req/s ratio=<m/n> (rounds …) p99 p1=<a> ms p2=<b> ms
//              rate-limit-store p1=<s> p2=<t> cores=<c> db=<db>
//
// (`p2` is `p<N>` with --processes N; --processes 1 runs two single-process servers, a check of the bench itself.)
//
// Exits non-zero when any request fails (transport error, non-2xx status, or an envelope code other than 200).
import os from 'node:os';
import { parseArgs } from 'node:util';
import { positiveInt } from './args.js';
import {
  apiCall,
  firstTaobaoItem,
  LOAD_FLAGS,
  loadSettings,
  log,
  type Measurement,
  measure,
  median,
  runBench,
  type StartedPonte,
  serverCpuMs,
  serverPids,
  signedGets,
  startPonteWith,
  startPostgres,
} from './load.js';

const { values: flags } = parseArgs({ options: { ...LOAD_FLAGS, processes: { type: 'string', default: '2' } } });
const { duration, warmup, connections, rounds, db, serverNodeArgs } = loadSettings(flags);
const processes = positiveInt('processes', flags.processes);
/** The second server's name in the figures. */
const many = processes === 1 ? 'p1-again' : `p${processes}`;

/** The per-key buckets' store each server uses: set by the environment, else the server's default. */
function rateLimitStore(count: number): string {
  const set = process.env.RATE_LIMIT_STORE;
  if (set) return set;
  return count > 1 || flags.postgres ? 'database' : 'memory';
}

interface Target {
  name: string;
  processes: number;
  server: StartedPonte;
  url: string;
}

async function startTarget(count: number, name: string): Promise<Target> {
  const databaseUrl = flags.postgres ? await startPostgres() : undefined;
  log(`starting the Ponte server with PONTE_PROCESSES=${count} (${db})`);
  const server = await startPonteWith({ databaseUrl, nodeArgs: serverNodeArgs, processes: count });
  log(`  pids ${serverPids(server.pid).join(', ')}`);
  const url = `/open/product/get?itemId=${firstTaobaoItem(server.dataDir)}`;
  // One read first: it must succeed (and fills the details cache of the process that answers it).
  await apiCall(server.baseUrl, { kind: 'signed', creds: server.creds }, 'GET', url);
  return { name, processes: count, server, url };
}

/** A measured run, with the CPU time all of the server's processes used per answer (from /proc). */
async function run(target: Target, seconds: number, warmUp = false): Promise<Measurement> {
  const before = serverCpuMs(target.server.pid);
  const m = await measure(
    target.name,
    signedGets(target.server.baseUrl, target.url, target.server.creds, connections, seconds),
    warmUp,
  );
  const after = serverCpuMs(target.server.pid);
  if (before !== undefined && after !== undefined) {
    log(`${target.name}: the server used ${((after - before) / m.result['2xx']).toFixed(3)} ms of CPU per answer`);
  }
  return m;
}

async function main(): Promise<void> {
  const targets = [await startTarget(1, 'p1'), await startTarget(processes, many)];
  for (const target of targets) await run(target, warmup, true);
  // Alternating rounds, each figure the median of its rounds: a burst of load from elsewhere on the machine
  // then moves one round, not the result.
  const results: [Measurement[], Measurement[]] = [[], []];
  for (let r = 1; r <= rounds; r++) {
    log(`round ${r} of ${rounds}`);
    for (const [i, target] of targets.entries()) results[i]?.push(await run(target, duration));
  }
  const [one, two] = results;
  const p1 = median(one.map((m) => m.reqPerSec));
  const pN = median(two.map((m) => m.reqPerSec));
  const ratios = one.map((m, i) => (two[i]?.reqPerSec ?? 0) / m.reqPerSec);
  process.stdout.write(
    `processes: p1=${p1.toFixed(0)} req/s ${many}=${pN.toFixed(0)} req/s ratio=${(pN / p1).toFixed(2)} ` +
      `(rounds ${ratios.map((x) => x.toFixed(2)).join(' ')}) ` +
      `p99 p1=${median(one.map((m) => m.p99))} ms ${many}=${median(two.map((m) => m.p99))} ms ` +
      `rate-limit-store p1=${rateLimitStore(1)} ${many}=${rateLimitStore(processes)} ` +
      `cores=${os.availableParallelism()} db=${db}\n`,
  );
}

await runBench('processes', main);
