// Signed reads while the public sandbox pictures are being walked: the latency of `GET /open/product/get` on
// an otherwise idle server and under 8 clients requesting pictures nobody asked for before, side by side.
//
//   npm run bench:picture-load -- [--duration 10] [--clients 8] [--rounds 2] [--goods 1000]
//                                 [--server server/bin/ponte.js]
//
// Starts the Ponte server as a child process (`ponte serve`, SQLite in a temp dir). In this process, one
// client sends signed reads back to back and times each; in the loaded phases `--clients` more walk
// `/sandbox/images/taobao/{id}/{view}[-{colour}].{jpg|webp|png}` over ids × views × colours × formats, so
// every picture is drawn for the first time. Idle and loaded phases alternate for `--rounds` rounds; the
// figures are over all samples of each kind. Progress goes to stderr; stdout gets exactly one line:
//
//   picture-load: p99 ratio=<loaded/idle> signed-read p50 idle=<a> ms loaded=<b> ms p99 idle=<c> ms
//                 loaded=<d> ms pictures=<n>/s clients=<k>
//
// Exits non-zero when any request fails (transport error, a picture answering other than 200, or a signed
// read answering other than code 200). `--server` runs another checkout's `ponte.js`, to compare builds.
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { signRequest } from '@ponte/sdk/signing';
import Sqlite from 'better-sqlite3';
import { positiveInt } from './args.js';
import { type DemoCredentials, startPonteServer, stopChild } from './ponte-server.js';

const root = path.resolve(import.meta.dirname, '..');
const { values: flags } = parseArgs({
  options: {
    duration: { type: 'string', default: '10' },
    clients: { type: 'string', default: '8' },
    rounds: { type: 'string', default: '2' },
    goods: { type: 'string', default: '1000' },
    server: { type: 'string', default: path.join(root, 'server/bin/ponte.js') },
  },
});

const duration = positiveInt('duration', flags.duration);
const clients = positiveInt('clients', flags.clients);
const rounds = positiveInt('rounds', flags.rounds);
const goods = positiveInt('goods', flags.goods);
const serverScript = path.resolve(flags.server);

const log = (line: string) => process.stderr.write(`${line}\n`);

// ---- the server ---------------------------------------------------------------------------------------

let child: ChildProcess | undefined;
let dataDir: string | undefined;

function cleanup(): void {
  if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
}
process.on('exit', cleanup);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    log(`${signal}: stopping`);
    process.exit(130);
  });
}

/** Stops the server with SIGTERM (SIGKILL after 5 s) and removes its data dir. */
async function stopPonte(): Promise<void> {
  if (child) await stopChild(child);
  cleanup();
}

async function startPonte(): Promise<{ baseUrl: string; creds: DemoCredentials }> {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ponte-bench-pictures-'));
  const running = await startPonteServer({
    script: serverScript,
    cwd: root,
    dataDir,
    env: { SANDBOX_GOODS: String(goods) },
    timeoutMs: 120_000,
  });
  child = running.child;
  return running;
}

/** Every picture of the Taobao catalog, in an order that asks for each once: goods, then views, colours, formats. */
function picturePaths(): string[] {
  const db = new Sqlite(path.join(dataDir ?? '', 'sandbox.db'), { readonly: true });
  try {
    const rows = db.prepare("select id, colours from goods where platform = 'taobao' order by idx").all() as {
      id: string;
      colours: string;
    }[];
    const paths: string[] = [];
    for (const ext of ['jpg', 'webp', 'png']) {
      for (const colourIndex of [0, 1, 2]) {
        for (const view of [0, 1, 2, 3]) {
          for (const row of rows) {
            const colour = (JSON.parse(row.colours) as string[])[colourIndex];
            if (colour === undefined) continue;
            const suffix = colourIndex === 0 ? '' : `-${colour}`;
            paths.push(`/sandbox/images/taobao/${row.id}/${view}${suffix}.${ext}`);
          }
        }
      }
    }
    return paths;
  } finally {
    db.close();
  }
}

// ---- load ---------------------------------------------------------------------------------------------

/** Signed reads back to back until `until`; the latency of each, in ms. */
async function signedReads(baseUrl: string, url: string, creds: DemoCredentials, until: number): Promise<number[]> {
  const latencies: number[] = [];
  while (performance.now() < until) {
    const headers = signRequest({ method: 'GET', url, ...creds });
    const started = performance.now();
    const res = await fetch(baseUrl + url, { headers });
    const body = await res.text();
    latencies.push(performance.now() - started);
    if (res.status !== 200 || (JSON.parse(body) as { code?: unknown }).code !== 200) {
      throw new Error(`a signed read failed: HTTP ${res.status} ${body.slice(0, 300)}`);
    }
  }
  return latencies;
}

/** `clients` loops taking the next picture path until `until`; how many pictures they fetched. */
async function walkPictures(baseUrl: string, paths: string[], next: { i: number }, until: number): Promise<number> {
  let fetched = 0;
  const loop = async () => {
    while (performance.now() < until) {
      const p = paths[next.i++ % paths.length] as string;
      const res = await fetch(baseUrl + p);
      await res.arrayBuffer();
      if (res.status !== 200) throw new Error(`picture ${p} answered HTTP ${res.status}`);
      fetched++;
    }
  };
  await Promise.all(Array.from({ length: clients }, loop));
  return fetched;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

// ---- run ----------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  log(`starting the Ponte server (${path.relative(root, serverScript) || serverScript}, ${goods} goods)`);
  const { baseUrl, creds } = await startPonte();
  const paths = picturePaths();
  const itemId = /\/taobao\/(\d+)\//.exec(paths[0] ?? '')?.[1];
  const url = `/open/product/get?itemId=${itemId}`;
  log(`${paths.length} distinct pictures to walk`);

  // Warm-up: the details cache, the signing path, and the picture threads (the last pictures of the walk).
  await signedReads(baseUrl, url, creds, performance.now() + 2000);
  await walkPictures(baseUrl, paths, { i: paths.length - clients * 4 }, performance.now() + 2000);

  const idle: number[] = [];
  const loaded: number[] = [];
  const next = { i: 0 };
  let pictures = 0;
  for (let r = 1; r <= rounds; r++) {
    log(`round ${r} of ${rounds}: signed reads alone for ${duration} s`);
    idle.push(...(await signedReads(baseUrl, url, creds, performance.now() + duration * 1000)));
    log(`round ${r} of ${rounds}: signed reads with ${clients} clients walking pictures for ${duration} s`);
    const until = performance.now() + duration * 1000;
    const [reads, fetched] = await Promise.all([
      signedReads(baseUrl, url, creds, until),
      walkPictures(baseUrl, paths, next, until),
    ]);
    loaded.push(...reads);
    pictures += fetched;
    log(`  ${fetched} pictures (${(fetched / duration).toFixed(1)}/s), ${reads.length} signed reads`);
  }
  if (next.i > paths.length) log(`the walk wrapped around: raise --goods for pictures drawn for the first time`);

  const a = idle.sort((x, y) => x - y);
  const b = loaded.sort((x, y) => x - y);
  const ms = (n: number) => n.toFixed(1);
  process.stdout.write(
    `picture-load: p99 ratio=${(percentile(b, 99) / percentile(a, 99)).toFixed(2)} ` +
      `signed-read p50 idle=${ms(percentile(a, 50))} ms loaded=${ms(percentile(b, 50))} ms ` +
      `p99 idle=${ms(percentile(a, 99))} ms loaded=${ms(percentile(b, 99))} ms ` +
      `pictures=${(pictures / (duration * rounds)).toFixed(1)}/s clients=${clients}\n`,
  );
}

try {
  await main();
  await stopPonte();
} catch (err) {
  log(`picture-load failed: ${(err as Error).stack ?? err}`);
  await stopPonte();
  process.exit(1);
}
