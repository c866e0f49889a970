// Whether a flood of bad signatures from one address slows another developer down: developer B's signed reads
// alone, and while another address sends requests that fail authentication at a fixed rate, side by side.
//
//   npm run bench:flood -- [--duration 10] [--warmup 3] [--connections 10] [--rounds 3] [--postgres]
//                          [--flood-rate 5000] [--flood mixed|signature|key] [--cpu-prof <dir>]
//
// Starts the Ponte server (bench/ponte-server.ts: SQLite in a temp dir, or a throwaway PostgreSQL cluster with
// --postgres; one process) with the per-key rate limit raised, so that B's load is not limited by its key, and the
// per-address limit on failed authentications left at the server's defaults (AUTH_FAILURES_PER_MINUTE 60,
// AUTH_FAILURES_BURST 30, unless the environment sets them). Developer A is the demo developer; B is created
// through the operator API. B's load is signed-read's request (`GET /open/product/get` of the first sandbox item,
// a fresh signature each time), from autocannon in this process on 127.0.0.1 with fixed connections.
//
// The flood comes from a child process (this file again), so that its work does not stall autocannon's event
// loop: node's HTTP client with its sockets bound to 127.0.0.2 (the server listens on 127.0.0.1; loopback accepts
// both, and the server sees another client address), sending `--flood-rate` requests a second on a fixed
// schedule whatever the answers, at most 2,000 waiting at once (more are counted as skipped). Each request is the
// same GET with well-formed system headers that fail: `signature` carries A's access key and a wrong signature
// (40102), `key` an access key that does not exist (40105), `mixed` (the default) alternates the two. Once the
// address has used up its failed attempts the server answers 42901 before looking at the key.
//
// Rounds: B alone for --duration s, then B while the flood runs (the flood starts 1 s before, so that its burst of
// failures is spent); --rounds rounds alternate, and the figures are the medians. Progress goes to stderr, with the
// server's CPU time per B request and per flood request; stdout gets exactly one line:
//
//   flood: alone=<n> req/s flooded=<m> req/s ratio=<m/n> p99 alone=<a> ms flooded=<b> ms
//          flood=<achieved>/s of <rate>/s answers=<code:count,...> db=<db>
//
// Exits non-zero when any request fails: one of B's (transport error, non-2xx status, an envelope code other than
// 200, so a 42901 for B too), or one of the flood's that errs at the transport level or answers anything other
// than 40102, 40105 or 42901.
import { type ChildProcess, fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { Pool } from 'undici';
import { positiveInt } from './args.js';
import {
  apiCall,
  type Caller,
  cpuMs,
  firstTaobaoItem,
  LOAD_FLAGS,
  loadSettings,
  log,
  type Measurement,
  measure,
  median,
  onCleanup,
  runBench,
  signedGets,
  startPonteWith,
  startPostgres,
} from './load.js';

/** Marks the child process that sends the flood. */
const SENDER_ENV = 'PONTE_BENCH_FLOOD_SENDER';
const FLOOD_ADDRESS = '127.0.0.2';
const FLOOD_SOCKETS = 16;
/** Requests in flight on one connection: sending costs the flood's process less than with one at a time. */
const FLOOD_PIPELINING = 8;
const MAX_WAITING = 2000;
const FLOOD_LEAD_MS = 1000;
/** What a failing authentication may answer: a wrong signature, an unknown key, the address's limit. */
const EXPECTED_FLOOD_CODES = new Set(['40102', '40105', '42901']);

type FloodKind = 'mixed' | 'signature' | 'key';

interface FloodStart {
  type: 'start';
  port: number;
  url: string;
  rate: number;
  kind: FloodKind;
  /** Developer A's key and sub-account, sent with wrong signatures. */
  accessKey: string;
  userId: string;
}

interface FloodResult {
  type: 'result';
  scheduled: number;
  sent: number;
  answered: number;
  skipped: number;
  errors: number;
  firstError: string | null;
  seconds: number;
  codes: Array<[string, number]>;
}

// ---- the sender (child process) ---------------------------------------------------------------------------

/** Headers of a request that fails authentication: A's key with a wrong signature, or a key nobody has. */
function failingHeaders(start: FloodStart, n: number): Record<string, string> {
  const wrongKey = start.kind === 'key' || (start.kind === 'mixed' && n % 2 === 1);
  return {
    'access-key': wrongKey ? randomBytes(16).toString('hex') : start.accessKey,
    timestamp: String(Date.now()),
    'nonce-str': randomBytes(16).toString('hex'),
    'user-id': start.userId,
    signature: randomBytes(32).toString('hex').toUpperCase(),
  };
}

/** Sends the flood on a fixed schedule until told to stop, then reports what came back. */
function flood(start: FloodStart, pool: Pool): () => Promise<FloodResult> {
  const t0 = performance.now();
  const codes = new Map<string, number>();
  let scheduled = 0;
  let sent = 0;
  let answered = 0;
  let skipped = 0;
  let errors = 0;
  let firstError: string | null = null;
  let waiting = 0;
  const count = (code: string) => codes.set(code, (codes.get(code) ?? 0) + 1);

  const send = () => {
    waiting++;
    sent++;
    pool
      .request({ method: 'GET', path: start.url, headers: failingHeaders(start, sent) })
      .then(async (res) => {
        const body = await res.body.text();
        answered++;
        try {
          count(String((JSON.parse(body) as { code?: unknown }).code));
        } catch {
          count(`HTTP ${res.statusCode} without an envelope`);
        }
      })
      .catch((err: Error) => {
        errors++;
        firstError ??= err.message;
      })
      .finally(() => {
        waiting--;
      });
  };

  const timer = setInterval(() => {
    const due = Math.floor(((performance.now() - t0) / 1000) * start.rate);
    for (; scheduled < due; scheduled++) {
      if (waiting >= MAX_WAITING) skipped++;
      else send();
    }
  }, 5);

  return async () => {
    clearInterval(timer);
    const seconds = (performance.now() - t0) / 1000;
    const deadline = Date.now() + 10_000;
    while (waiting > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    if (waiting > 0) {
      errors += waiting;
      firstError ??= `${waiting} requests unanswered 10 s after the flood stopped`;
    }
    return { type: 'result', scheduled, sent, answered, skipped, errors, firstError, seconds, codes: [...codes] };
  };
}

function runSender(): void {
  let pool: Pool | undefined;
  let stop: (() => Promise<FloodResult>) | undefined;
  process.on('message', (message: FloodStart | { type: 'stop' }) => {
    if (message.type === 'start') {
      pool ??= new Pool(`http://127.0.0.1:${message.port}`, {
        connections: FLOOD_SOCKETS,
        pipelining: FLOOD_PIPELINING,
        localAddress: FLOOD_ADDRESS,
      });
      stop = flood(message, pool);
    } else if (stop) {
      const finishing = stop;
      stop = undefined;
      void finishing().then((result) => process.send?.(result));
    }
  });
  // The benchmark ended (or died): so does the flood.
  process.on('disconnect', () => process.exit(0));
  process.send?.({ type: 'ready' });
}

// ---- the benchmark ----------------------------------------------------------------------------------------

/** The sender as a child process, started and stopped by message. */
class Flood {
  private constructor(private readonly child: ChildProcess) {}

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** Starts the sender and waits until it listens for messages. */
  static async start(): Promise<Flood> {
    // The same entry point and node options (tsx) as this process.
    const child = fork(import.meta.filename, [], { env: { ...process.env, [SENDER_ENV]: '1' } });
    onCleanup(() => {
      if (child.connected) child.disconnect();
    });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("the flood's process did not start within 30 s")), 30_000);
      child.once('message', () => {
        clearTimeout(timer);
        resolve();
      });
      child.once('exit', (code) => reject(new Error(`the flood's process exited (${code})`)));
    });
    return new Flood(child);
  }

  begin(start: Omit<FloodStart, 'type'>): void {
    this.child.send({ type: 'start', ...start } satisfies FloodStart);
  }

  end(): Promise<FloodResult> {
    return new Promise((resolve, reject) => {
      const onExit = (code: number | null) => reject(new Error(`the flood's process exited (${code})`));
      this.child.once('exit', onExit);
      this.child.once('message', (result: FloodResult) => {
        this.child.off('exit', onExit);
        resolve(result);
      });
      this.child.send({ type: 'stop' });
    });
  }
}

/** Throws unless every flood request was answered with one of the refusals a failing authentication gets. */
function checkFlood(result: FloodResult): void {
  const unexpected = result.codes.filter(([code]) => !EXPECTED_FLOOD_CODES.has(code));
  if (result.errors === 0 && unexpected.length === 0) return;
  throw new Error(
    `flood: ${result.errors} requests failed (${result.firstError ?? 'no transport error'}); answers other than ` +
      `${[...EXPECTED_FLOOD_CODES].join(', ')}: ${unexpected.map(([c, n]) => `${c} x${n}`).join(', ') || 'none'}`,
  );
}

async function main(flags: ReturnType<typeof readFlags>): Promise<void> {
  const { duration, warmup, connections, rounds, db, serverNodeArgs, floodRate, kind } = flags;
  const databaseUrl = flags.postgres ? await startPostgres() : undefined;
  log(`starting the Ponte server (${db})`);
  const ponte = await startPonteWith({ databaseUrl, nodeArgs: serverNodeArgs, keyRateLimit: 'raised' });
  log(
    `failed authentications per address: ${process.env.AUTH_FAILURES_PER_MINUTE || '60'} a minute, bursts of ` +
      `${process.env.AUTH_FAILURES_BURST || '30'}`,
  );
  const admin: Caller = { kind: 'admin', token: ponte.adminToken };
  const b = await apiCall<{ mainAccount: { userId: string }; key: { accessKey: string; accessSecret: string } }>(
    ponte.baseUrl,
    admin,
    'POST',
    '/admin/developers',
    { name: 'Bench developer B' },
  );
  const bCreds = { accessKey: b.key.accessKey, accessSecret: b.key.accessSecret, userId: b.mainAccount.userId };
  const url = `/open/product/get?itemId=${firstTaobaoItem(ponte.dataDir)}`;
  await apiCall(ponte.baseUrl, { kind: 'signed', creds: bCreds }, 'GET', url);

  const sender = await Flood.start();
  const floodStart = {
    port: Number(new URL(ponte.baseUrl).port),
    url,
    rate: floodRate,
    kind,
    accessKey: ponte.creds.accessKey,
    userId: ponte.creds.userId,
  };
  const bLoad = (seconds: number) => signedGets(ponte.baseUrl, url, bCreds, connections, seconds);
  /** B's run, with the server's CPU time over it. */
  /** CPU time so far, in ms: the server's, this process's (B's load generator) and the flood's process's. */
  const cpuNow = () => {
    const own = process.cpuUsage();
    return [cpuMs(ponte.pid) ?? Number.NaN, (own.user + own.system) / 1000, cpuMs(sender.pid) ?? Number.NaN];
  };
  /** B's run, with the server's CPU time over it; the share of a core each process used goes to stderr. */
  const run = async (name: string, seconds: number, warmUp = false) => {
    const before = cpuNow();
    const m = await measure(name, bLoad(seconds), warmUp);
    const used = cpuNow().map((ms, i) => ms - (before[i] ?? 0));
    const share = (ms: number | undefined) => `${(((ms ?? 0) / (m.result.duration * 1000)) * 100).toFixed(0)} %`;
    log(
      `${name}: CPU of one core: server ${share(used[0])}, B's load generator ${share(used[1])}, ` +
        `flood sender ${share(used[2])}`,
    );
    return { m, cpu: used[0] ?? Number.NaN };
  };
  const flooded = async (seconds: number, warmUp = false) => {
    sender.begin(floodStart);
    await new Promise((resolve) => setTimeout(resolve, FLOOD_LEAD_MS));
    const { m, cpu } = await run('flooded', seconds, warmUp);
    const result = await sender.end();
    checkFlood(result);
    log(
      `flood: ${result.sent} sent (${result.skipped} skipped: ${MAX_WAITING} waiting) in ${result.seconds.toFixed(1)} s, ` +
        `${(result.answered / result.seconds).toFixed(0)} answered a second: ${formatCodes(result.codes)}`,
    );
    return { m, cpu, result };
  };

  await run('alone', warmup, true);
  await flooded(warmup, true);
  const alone: Array<{ m: Measurement; cpu: number }> = [];
  const under: Array<{ m: Measurement; cpu: number; result: FloodResult }> = [];
  for (let r = 1; r <= rounds; r++) {
    log(`round ${r} of ${rounds}`);
    alone.push(await run('alone', duration));
    under.push(await flooded(duration));
  }
  report(alone, under, floodRate, db);
}

const formatCodes = (codes: Iterable<[string, number]>) =>
  [...codes]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([code, n]) => `${code}:${n}`)
    .join(',');

/**
 * The summary line, and on stderr the server's CPU per flood request: what the flooded runs used beyond B's
 * requests, at the CPU per B request of the runs alone.
 */
function report(
  alone: Array<{ m: Measurement; cpu: number }>,
  under: Array<{ m: Measurement; cpu: number; result: FloodResult }>,
  floodRate: number,
  db: string,
): void {
  const perB = median(alone.map((a) => a.cpu / a.m.result['2xx']));
  const perFlood = median(
    under.map(
      (u) => (u.cpu - perB * u.m.result['2xx']) / ((u.result.answered * u.m.result.duration) / u.result.seconds),
    ),
  );
  log(`server CPU: ${perB.toFixed(3)} ms per B request, about ${perFlood.toFixed(3)} ms per flood request`);
  const codes = new Map<string, number>();
  for (const u of under) for (const [code, n] of u.result.codes) codes.set(code, (codes.get(code) ?? 0) + n);
  const achieved = median(under.map((u) => u.result.answered / u.result.seconds));
  const a = median(alone.map((x) => x.m.reqPerSec));
  const f = median(under.map((x) => x.m.reqPerSec));
  process.stdout.write(
    `flood: alone=${a.toFixed(0)} req/s flooded=${f.toFixed(0)} req/s ratio=${(f / a).toFixed(2)} ` +
      `p99 alone=${median(alone.map((x) => x.m.p99))} ms flooded=${median(under.map((x) => x.m.p99))} ms ` +
      `flood=${achieved.toFixed(0)}/s of ${floodRate}/s answers=${formatCodes(codes)} db=${db}\n`,
  );
}

function readFlags() {
  const { values } = parseArgs({
    options: { ...LOAD_FLAGS, 'flood-rate': { type: 'string', default: '5000' }, flood: { type: 'string' } },
  });
  const kind = values.flood ?? 'mixed';
  if (kind !== 'mixed' && kind !== 'signature' && kind !== 'key') {
    process.stderr.write(`--flood: expected mixed, signature or key, got "${kind}"\n`);
    process.exit(2);
  }
  return {
    ...loadSettings(values),
    postgres: values.postgres,
    floodRate: positiveInt('flood-rate', values['flood-rate']),
    kind: kind as FloodKind,
  };
}

if (process.env[SENDER_ENV]) {
  runSender();
} else {
  const flags = readFlags();
  await runBench('flood', () => main(flags));
}
