import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

// Unit tests under server/src, the sandbox market's own tests, the upstream gateways' tests (client against fake,
// no database), the `ponte admin` commands' tests (a client of the HTTP API, whose every route is tested on both
// databases), the SDK package's test and the console's browser tests (a client of the API) never touch the main
// database in a way that depends on its kind, so the PostgreSQL pass of `npm test` leaves them out instead of
// running them twice.
const mainDatabaseOnly = process.env.PONTE_TEST_DB === 'postgres';

export default defineConfig({
  // `@ponte/sdk` resolves to its TypeScript sources under this condition (plain node gets sdk/dist).
  ssr: { resolve: { conditions: ['ponte-source'] } },
  test: {
    include: [
      'server/test/**/*.test.ts',
      'server/src/**/*.test.ts',
      'sdk/test/**/*.test.ts',
      'console/test/**/*.test.ts',
    ],
    exclude: mainDatabaseOnly
      ? [
          'server/src/**',
          'server/test/sandbox/**',
          'server/test/upstreams/**',
          'server/test/cli/**',
          'sdk/test/**',
          'console/test/**',
          'server/test/sdk/sdk-package.test.ts',
          '**/node_modules/**',
        ]
      : ['**/node_modules/**'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // A worker runs its files one after another in one process, without loading every module again for each: the
    // server's modules are most of a file's start-up, and each test file builds its own app (its own database,
    // caches keyed by that app), so nothing of one file is seen by the next.
    isolate: false,
    // Two test files at a time even on two cores: much of a test's time is spent waiting (servers, processes,
    // PostgreSQL), which the default of one worker per core but one leaves unused. (Three on PostgreSQL were measured
    // slower, 426 s against 413 s, and overloaded the multi-process tests.)
    maxWorkers: Math.max(2, availableParallelism() - 1),
    minWorkers: 1,
    reporters: process.env.CI ? ['default'] : ['default'],
  },
});
