import fs from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { errorEnvelope } from './envelope.js';

/** Where the browser console is served: its pages are client-side routes under this prefix. */
export const CONSOLE_PATH = '/console';

/**
 * Serves the built browser console (console/dist) at `/console/`: its hashed assets cached for a year, its page
 * (`index.html`) revalidated on every load, and every other path under `/console/` answered with that page so
 * that a deep link or a reload lands on the client-side route. Files are sent pre-compressed (`.br`, `.gz`) when the
 * build wrote them and the browser takes them. Without a build, `/console` says how to make one.
 */
export async function registerConsole(app: FastifyInstance, dir: string | undefined): Promise<void> {
  const index = dir ? path.join(dir, 'index.html') : undefined;
  if (!dir || !index || !fs.existsSync(index)) {
    const what = `the console (not built here${dir ? `: no ${index}` : ''}; run npm run build at the repository root)`;
    const notBuilt = (req: FastifyRequest, reply: FastifyReply) =>
      reply.code(404).send(errorEnvelope(req, 40401, { what }));
    app.get(CONSOLE_PATH, { schema: { hide: true } }, notBuilt);
    app.get(`${CONSOLE_PATH}/*`, { schema: { hide: true } }, notBuilt);
    return;
  }
  await app.register(
    async (scope) => {
      await scope.register(fastifyStatic, {
        root: dir,
        prefix: '/',
        preCompressed: true,
        index: false,
        wildcard: true,
        // Hashed names never change content; the page itself is revalidated (it names the current assets).
        cacheControl: false,
        setHeaders: (reply, file) => {
          const immutable = file.includes(`${path.sep}assets${path.sep}`);
          reply.header('cache-control', immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
        },
      });
      const page = (_req: FastifyRequest, reply: FastifyReply) =>
        reply.header('cache-control', 'no-cache').sendFile('index.html', dir);
      // `/console` and `/console/` alike (the server ignores a trailing slash).
      scope.get('/', { schema: { hide: true } }, page);
      scope.setNotFoundHandler((req, reply) => {
        // A missing asset is a 404; any other path is a page of the console's own router.
        const url = req.url.split('?')[0] ?? '';
        if (req.method !== 'GET' || url.startsWith(`${CONSOLE_PATH}/assets/`)) {
          return reply.code(404).send(errorEnvelope(req, 40401, { what: `${req.method} ${url}` }));
        }
        return page(req, reply);
      });
    },
    { prefix: CONSOLE_PATH },
  );
}
