import type { FastifyInstance, FastifyReply } from 'fastify';
import type { AppDeps } from '../deps.js';
import { FILES_PATH } from './file-store.js';

/**
 * Refusals are short texts, not the envelope: these links are opened by browsers and image tags, the way an
 * object store's presigned links are, and nothing else of the API answers a refused link. They are never
 * cached, so that a link fixed or renewed is read again.
 */
function refuse(reply: FastifyReply, status: 403 | 404, text: string): FastifyReply {
  return reply.code(status).type('text/plain; charset=utf-8').header('cache-control', 'no-store').send(text);
}

/**
 * `GET /files/{key}?expires=…&signature=…`: a stored file, for whoever holds a link the file store signed
 * (handed only to the file's owner). Outside the envelope and the OpenAPI document: the links are made by
 * the API's answers, never built by a client. A missing, wrong or expired signature answers 403 before the
 * store is read; a file no longer there answers 404; a folder is never listed.
 */
export function registerFileRoutes(app: FastifyInstance, deps: Pick<AppDeps, 'files' | 'clock'>): void {
  // A wildcard, not a parameter: keys have several parts.
  app.get(`${FILES_PATH}*`, { schema: { hide: true } }, async (req, reply) => {
    const key = (req.params as { '*': string })['*'];
    const { expires, signature } = req.query as { expires?: unknown; signature?: unknown };
    const now = deps.clock.now();
    const valid =
      typeof expires === 'string' &&
      typeof signature === 'string' &&
      deps.files.verifySignedUrl?.(key, expires, signature, now) === true;
    if (!valid) return refuse(reply, 403, 'Forbidden: the link is not valid or has expired');
    const file = await deps.files.get(key);
    if (!file) return refuse(reply, 404, 'Not found: the file is no longer stored');
    // Cached by the holder only, and no longer than the link is valid.
    const maxAge = Math.max(0, Math.floor((Number(expires) * 1000 - now) / 1000));
    return reply
      .type(file.contentType)
      .header('cache-control', `private, max-age=${maxAge}`)
      .header('x-content-type-options', 'nosniff')
      .header('content-disposition', 'inline')
      .header('content-security-policy', "default-src 'none'; sandbox")
      .send(file.bytes);
  });
}
