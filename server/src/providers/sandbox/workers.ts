import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

/**
 * How to start one of the sandbox's worker scripts (`picture-worker`, `seed-worker`), which sit next to
 * this module. From the build this module is `.js` and so are the workers; under vitest or tsx it is
 * `.ts`, and worker threads do not inherit the loader that runs TypeScript, so they load tsx themselves.
 * Both run in piscina pools: a thread's own entry script cannot be TypeScript even with `--import tsx`
 * (on Node 20 the hooks are not in place yet), while piscina's entry is JavaScript and imports ours later.
 */
export function workerScript(name: string): { filename: URL; execArgv: string[] | undefined } {
  if (!import.meta.url.endsWith('.ts')) {
    return { filename: new URL(`./${name}.js`, import.meta.url), execArgv: undefined };
  }
  // tsx resolved from here rather than from the working directory, which may be anywhere.
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
  return { filename: new URL(`./${name}.ts`, import.meta.url), execArgv: ['--import', tsx] };
}
