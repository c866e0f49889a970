import { defaultClientConditions, defineConfig } from 'vite';

// The console is served by the Ponte server at /console (server/src/platform/http/console.ts). `npm run dev -w
// @ponte/console` serves it with hot reload and sends API calls to a server on PONTE_URL (default localhost:3000).
const api = process.env.PONTE_URL ?? 'http://127.0.0.1:3000';

export default defineConfig({
  base: '/console/',
  // The SDK is compiled from its TypeScript sources (its `ponte-source` export), with its browser crypto.
  resolve: { conditions: ['ponte-source', ...defaultClientConditions] },
  esbuild: { jsx: 'automatic', legalComments: 'none' },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    assetsInlineLimit: 0,
    reportCompressedSize: false,
    rollupOptions: {
      // React libraries mark their modules "use client" for server components; a browser bundle has no use for it.
      onwarn(warning, warn) {
        if (warning.code !== 'MODULE_LEVEL_DIRECTIVE') warn(warning);
      },
    },
  },
  server: {
    proxy: Object.fromEntries(
      ['/open', '/taobao', '/alibaba', '/admin', '/sandbox', '/files', '/openapi.json', '/healthz'].map((p) => [
        p,
        api,
      ]),
    ),
  },
});
