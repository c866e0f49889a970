// P1: a signed read on the real server against a bare Fastify route returning the same JSON, side by side.
//
//   npm run bench:signed-read -- [--duration 10] [--warmup 3] [--connections 10] [--rounds 3] [--postgres]
//                                [--cpu-prof <dir>]
//                                [--route product|user|v2-product]
//
// The signed read is `GET /open/product/get` (goods details, served from the details cache after the first
// call) by default, `GET /open/user/get` (one row of the main database) with `--route user`, or the v2 twin of the
// goods details, `GET /v2/taobao/product/get` (the same, with opaque ids), with `--route v2-product`.
//
// Starts two child processes on loopback: the Ponte server (`ponte serve`, SQLite in a temp dir, or a
// throwaway PostgreSQL cluster with --postgres) and bench/bare-server.ts. autocannon, in this process, loads
// each in turn with the same connections and duration after a warm-up, alternating for --rounds rounds; the
// figures are the medians of the rounds. Every request gets fresh signature
// headers, for both targets, so the load generator does the same work. Progress goes to stderr; stdout gets
// exactly one line:
//
//   signed-read: bare=<n> req/s signed=<m> req/s ratio=<m/n> (goal >= 0.5) p99 bare=<a> ms signed=<b> ms db=<db>
//
// Exits non-zero when any request fails (transport error, non-2xx status, or an envelope code other than 200).
import { parseArgs } from 'node:util';
import { signRequest } from '@ponte/sdk/signing';
import {
  firstTaobaoItem,
  LOAD_FLAGS,
  loadSettings,
  log,
  type Measurement,
  measure,
  median,
  runBench,
  signedGets,
  startBare,
  startPonte,
  startPostgres,
} from './load.js';

// ---- options ------------------------------------------------------------------------------------------

const { values: flags } = parseArgs({
  options: { ...LOAD_FLAGS, route: { type: 'string', default: 'product' } },
});
if (flags.route !== 'product' && flags.route !== 'user' && flags.route !== 'v2-product') {
  process.stderr.write(`--route: expected product, user or v2-product, got "${flags.route}"\n`);
  process.exit(2);
}
const { duration, warmup, connections, rounds, db, serverNodeArgs } = loadSettings(flags);

// ---- run ----------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const databaseUrl = flags.postgres ? await startPostgres() : undefined;
  log(`starting the Ponte server (${db})`);
  const ponte = await startPonte(databaseUrl, serverNodeArgs);
  const url =
    flags.route === 'user'
      ? `/open/user/get?userId=${encodeURIComponent(ponte.creds.userId)}`
      : `${flags.route === 'v2-product' ? '/v2/taobao' : '/open'}/product/get?itemId=${firstTaobaoItem(ponte.dataDir)}`;

  // One signed request first: it must succeed, and its body is what the bare route returns.
  const headers = signRequest({
    method: 'GET',
    url,
    accessKey: ponte.creds.accessKey,
    accessSecret: ponte.creds.accessSecret,
    userId: ponte.creds.userId,
  });
  const first = await fetch(ponte.baseUrl + url, { headers });
  const body = await first.text();
  if (first.status !== 200 || (JSON.parse(body) as { code?: unknown }).code !== 200) {
    throw new Error(`the first signed read failed: HTTP ${first.status} ${body}`);
  }

  log('starting the bare Fastify server');
  const bareUrl = await startBare(url.slice(0, url.indexOf('?')), body);

  const target = (baseUrl: string, seconds: number) => signedGets(baseUrl, url, ponte.creds, connections, seconds);
  await measure('bare', target(bareUrl, warmup), true);
  await measure('signed', target(ponte.baseUrl, warmup), true);
  // Alternating rounds, each figure the median of its rounds: a burst of load from elsewhere on the
  // machine then moves one round, not the result.
  const bares: Measurement[] = [];
  const signeds: Measurement[] = [];
  for (let r = 1; r <= rounds; r++) {
    log(`round ${r} of ${rounds}`);
    bares.push(await measure('bare', target(bareUrl, duration)));
    signeds.push(await measure('signed', target(ponte.baseUrl, duration)));
  }
  const bare = median(bares.map((m) => m.reqPerSec));
  const signed = median(signeds.map((m) => m.reqPerSec));
  const ratios = bares.map((b, i) => (signeds[i]?.reqPerSec ?? 0) / b.reqPerSec);
  process.stdout.write(
    `signed-read: bare=${bare.toFixed(0)} req/s signed=${signed.toFixed(0)} req/s ` +
      `ratio=${(signed / bare).toFixed(2)} (goal >= 0.5; rounds ${ratios.map((x) => x.toFixed(2)).join(' ')}) ` +
      `p99 bare=${median(bares.map((m) => m.p99))} ms signed=${median(signeds.map((m) => m.p99))} ms db=${db}\n`,
  );
}

await runBench('signed-read', main);
