import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../platform/deps.js';
import { errorSchema } from '../../platform/http/envelope.js';
import { ApiError } from '../../platform/http/errors.js';
import { CONTENT_TYPES } from '../../providers/sandbox/images/encode.js';
import { parseSandboxImageUrl } from '../../providers/sandbox/picture-url.js';
import { PicturesBusy } from '../../providers/sandbox/pictures.js';
import { sandboxOf } from './sandbox.schemas.js';

/**
 * `GET /sandbox/images/{platform}/{productId}/{view}[-{colour}].{jpg|webp|png}`: the generated product
 * pictures the sandbox's goods link to. Public (pictures are links handed to buyers) and immutable
 * for a given catalog, so they carry an ETag and a long cache lifetime.
 */
export function registerImageRoute(app: FastifyInstance, deps: AppDeps): void {
  app.get(
    '/sandbox/images/:platform/:productId/:file',
    {
      schema: {
        operationId: 'sandboxImage',
        summary: 'A product picture of the sandbox market',
        security: [],
        description:
          'Pictures are generated from the catalog: `{view}` is 0 (main) to 3, `-{colour}` picks a SKU colour ' +
          '(a colour key such as `red`), the extension picks JPEG, WebP or PNG. Errors answer in the envelope. ' +
          'Pictures are drawn by a few worker threads and the recent ones kept; when too many are waiting to be ' +
          'drawn the request answers 503 (50301) at once, with `Retry-After`.',
        tags: ['Sandbox'],
        params: {
          type: 'object',
          properties: {
            platform: { type: 'string', enum: ['taobao', '1688'] },
            productId: { type: 'string', pattern: '^[0-9]{1,20}$' },
            file: {
              type: 'string',
              pattern: '^[0-9](-[a-z-]{1,30})?\\.(jpg|jpeg|webp|png)$',
              examples: ['0.jpg', '0-red.webp'],
            },
          },
          required: ['platform', 'productId', 'file'],
        },
        response: {
          200: {
            description: 'The picture',
            content: {
              'image/jpeg': { schema: { type: 'string', format: 'binary' } },
              'image/webp': { schema: { type: 'string', format: 'binary' } },
              'image/png': { schema: { type: 'string', format: 'binary' } },
            },
          },
          304: { description: 'Not modified (If-None-Match)', type: 'null' },
          400: errorSchema([40001]),
          404: errorSchema([40401]),
          500: errorSchema([50001]),
          503: errorSchema([50301]),
        },
      },
    },
    async (req, reply) => {
      const parsed = parseSandboxImageUrl(req.url.split('?')[0] ?? '');
      if (!parsed) throw new ApiError(40401, { what: 'picture' });
      const bytes = await sandboxOf(deps)
        .image(parsed.platform, parsed.productId, parsed.file)
        .catch((err: unknown) => {
          if (!(err instanceof PicturesBusy)) throw err;
          throw new ApiError(
            50301,
            { reason: 'too many pictures are being drawn' },
            { 'retry-after': String(err.retryAfterSeconds) },
          );
        });
      if (!bytes)
        throw new ApiError(40401, { what: `picture ${parsed.productId}/${(req.params as { file: string }).file}` });
      const etag = `"${createHash('sha256').update(bytes).digest('base64url').slice(0, 22)}"`;
      reply.header('etag', etag).header('cache-control', 'public, max-age=86400');
      if (req.headers['if-none-match'] === etag) return reply.status(304).send();
      return reply.type(CONTENT_TYPES[parsed.file.format]).send(bytes);
    },
  );
}
