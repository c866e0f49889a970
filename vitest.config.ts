import { defineConfig } from 'vitest/config';

// Unit tests under server/src and the sandbox market's own tests never touch the main database, so the
// PostgreSQL pass of `npm test` leaves them out instead of running them twice.
const mainDatabaseOnly = process.env.PONTE_TEST_DB === 'postgres';

export default defineConfig({
  // `@ponte/sdk` resolves to its TypeScript sources under this condition (plain node gets sdk/dist).
  ssr: { resolve: { conditions: ['ponte-source'] } },
  test: {
    include: ['server/test/**/*.test.ts', 'server/src/**/*.test.ts', 'sdk/test/**/*.test.ts'],
    exclude: mainDatabaseOnly
      ? ['server/src/**', 'server/test/sandbox/**', 'sdk/test/**', '**/node_modules/**']
      : ['**/node_modules/**'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    reporters: process.env.CI ? ['default'] : ['default'],
  },
});
