/**
 * P3: the sandbox market's search over a large catalog. Generates (or reuses) a catalog of `--goods` goods per
 * platform, loads the Taobao indexes, then times 1,000 keyword searches and 1,000 picture searches through the
 * market's own search functions (the work a search endpoint does, without HTTP). Prints one line:
 *
 *   sandbox-search goods=1000000 keyword_p95_ms=… image_p95_ms=… image_top1=… seed_s=… load_s=…
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import sharp from 'sharp';
import { Rng } from '../server/src/providers/sandbox/catalog/random.js';
import { SandboxMarket } from '../server/src/providers/sandbox/sandbox.js';
import type { KeywordSearch, Language, SearchSort } from '../server/src/providers/types.js';

const { values } = parseArgs({
  options: {
    goods: { type: 'string', default: '1000000' },
    seed: { type: 'string', default: '1' },
    queries: { type: 'string', default: '1000' },
    dir: { type: 'string', default: path.join(os.tmpdir(), 'ponte-bench-sandbox') },
    fresh: { type: 'boolean', default: false },
  },
});
const goods = Number(values.goods);
const seed = Number(values.seed);
const queries = Number(values.queries);
const log = (msg: string) => process.stderr.write(`${msg}\n`);

fs.mkdirSync(values.dir, { recursive: true });
const file = path.join(values.dir, `sandbox-${seed}-${goods}.db`);
const market = new SandboxMarket({
  file,
  baseUrl: () => 'http://bench.invalid',
  catalog: { seed, goodsPerPlatform: goods },
});

let seedSeconds = Number.NaN;
const current = market.seededWith();
if (values.fresh || !current || current.goodsPerPlatform !== goods || current.seed !== seed) {
  log(`generating ${goods} goods per platform (seed ${seed}) into ${file} ...`);
  const started = performance.now();
  let last = 0;
  market.reseed({ seed, goodsPerPlatform: goods }, ({ platform, done, total }) => {
    if (done - last >= 100_000 || done === total) {
      log(`  ${platform} ${done}/${total} (${((performance.now() - started) / 1000).toFixed(0)} s)`);
      last = done === total ? 0 : done;
    }
  });
  seedSeconds = (performance.now() - started) / 1000;
  log(`generated in ${seedSeconds.toFixed(1)} s`);
} else {
  log(`reusing ${file} (pass --fresh to time the generation)`);
}

let started = performance.now();
market.searchIndex('taobao');
const loadSeconds = (performance.now() - started) / 1000;
log(
  `indexes of ${goods} Taobao goods loaded in ${loadSeconds.toFixed(1)} s, RSS ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MB`,
);

const rng = new Rng('bench', seed);
const LANGS: Language[] = ['zh', 'en', 'vi', 'th', 'es'];
const SORTS: SearchSort[] = ['relevance', 'price_asc', 'price_desc', 'sales_desc'];
const pick = () => market.catalog.goodRowByIndex('taobao', rng.int(0, goods - 1));

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? Number.NaN;
}

// Keyword searches: words of a random good's title in a random language, random filters, sorts and pages.
const keywordTimes: number[] = [];
let keywordHits = 0;
for (let i = 0; i < queries; i++) {
  const row = pick();
  if (!row) continue;
  const lang = rng.pick(LANGS);
  const title = market.catalog.title(row)[lang];
  const words = lang === 'zh' || lang === 'th' ? title : title.split(' ').slice(0, rng.int(1, 3)).join(' ');
  const q: KeywordSearch = {
    keyword: words,
    language: lang,
    sort: rng.pick(SORTS),
    page: rng.int(1, 3),
    pageSize: rng.pick([20, 40]),
    ...(rng.chance(0.3) ? { priceMinFen: 1000, priceMaxFen: rng.int(5000, 50000) } : {}),
    ...(rng.chance(0.2) ? { shipIn24h: true } : {}),
  };
  const t = performance.now();
  const page = market.searchGoods('taobao', q);
  keywordTimes.push(performance.now() - t);
  if (page.total > 0) keywordHits++;
}
keywordTimes.sort((a, b) => a - b);
log(
  `keyword: p50 ${percentile(keywordTimes, 0.5).toFixed(2)} ms, p95 ${percentile(keywordTimes, 0.95).toFixed(2)} ms, ${keywordHits}/${queries} with results`,
);

// Picture searches: a good's main picture resized to 50 %, centre-cropped to 80 % and recompressed.
log('preparing picture queries ...');
const prepared: { id: string; bytes: Buffer }[] = [];
for (let i = 0; i < queries; i++) {
  const row = pick();
  if (!row) continue;
  const original = await market.image('taobao', row.id, { view: 0, colour: null, format: 'jpeg' });
  if (!original) continue;
  const half = await sharp(original).resize(400, 400).toBuffer();
  const bytes = await sharp(half)
    .extract({ left: 40, top: 40, width: 320, height: 320 })
    .jpeg({ quality: 70 })
    .toBuffer();
  prepared.push({ id: row.id, bytes });
}
const imageTimes: number[] = [];
let top1 = 0;
for (const q of prepared) {
  const t = performance.now();
  const page = await market.searchImages('taobao', { image: { bytes: q.bytes }, page: 1, pageSize: 20 });
  imageTimes.push(performance.now() - t);
  if (page.items[0]?.productId === q.id) top1++;
}
imageTimes.sort((a, b) => a - b);
log(
  `image: p50 ${percentile(imageTimes, 0.5).toFixed(1)} ms, p95 ${percentile(imageTimes, 0.95).toFixed(1)} ms, top-1 ${top1}/${prepared.length}`,
);

started = performance.now();
market.close();
process.stdout.write(
  `sandbox-search goods=${goods} keyword_p95_ms=${percentile(keywordTimes, 0.95).toFixed(2)} ` +
    `image_p95_ms=${percentile(imageTimes, 0.95).toFixed(1)} image_top1=${(top1 / Math.max(1, prepared.length)).toFixed(3)} ` +
    `keyword_p50_ms=${percentile(keywordTimes, 0.5).toFixed(2)} image_p50_ms=${percentile(imageTimes, 0.5).toFixed(1)} ` +
    `seed_s=${Number.isNaN(seedSeconds) ? 'reused' : seedSeconds.toFixed(0)} load_s=${loadSeconds.toFixed(1)}\n`,
);
