import { SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import { loadConfig } from '../config.js';
import { PlatformSearch } from '../providers/sandbox/search-index.js';
import { SandboxStore } from '../providers/sandbox/store.js';
import { VOCABULARY } from '../providers/sandbox/vocabulary.js';

function positiveInt(name: string, raw: string): number {
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n < 1) throw new Error(`--${name}: expected a positive integer, got "${raw}"`);
  return n;
}

/** `ponte sandbox seed`: (re)generates the sandbox market's catalog in `<PONTE_DATA_DIR>/sandbox.db`. */
export function registerSandboxCommands(program: Command): void {
  const sandbox = program.command('sandbox').description('The built-in sandbox marketplace');
  sandbox
    .command('seed')
    .description('Generate the catalog: the same seed and size give the same catalog, byte for byte')
    .option('--goods <n>', 'goods per platform (Taobao and 1688 each)', '1000')
    .option('--seed <n>', 'random seed', '1')
    .option('--digest', 'print a SHA-256 of the catalog (equal for equal seeds and sizes)')
    .action((opts: { goods: string; seed: string; digest?: boolean }) => {
      const params = { goodsPerPlatform: positiveInt('goods', opts.goods), seed: positiveInt('seed', opts.seed) };
      const store = new SandboxStore(loadConfig().sandbox.file);
      const bar = process.stderr.isTTY
        ? new SingleBar({ format: '{platform} [{bar}] {percentage}% {value}/{total} goods', hideCursor: true })
        : undefined;
      let current = '';
      const started = Date.now();
      try {
        store.seed(VOCABULARY, params, {
          features: (g) => PlatformSearch.features(g),
          onProgress: ({ platform, done, total }) => {
            if (platform !== current) {
              bar?.stop();
              bar?.start(total, 0, { platform });
              current = platform;
            }
            bar?.update(done, { platform });
          },
        });
        bar?.stop();
        process.stdout.write(
          `sandbox catalog: ${params.goodsPerPlatform} goods per platform, seed ${params.seed}, ` +
            `in ${((Date.now() - started) / 1000).toFixed(1)} s (${store.file})\n`,
        );
        if (opts.digest) process.stdout.write(`sha256 ${store.digest()}\n`);
      } finally {
        bar?.stop();
        store.close();
      }
    });
}
