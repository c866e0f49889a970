import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../../platform/deps.js';
import { errorSchema } from '../../../platform/http/envelope.js';
import { ApiError } from '../../../platform/http/errors.js';
import { authenticateOperator } from '../../../platform/http/route.js';
import { findVoucher } from '../payments.service.js';

const picture = { schema: { type: 'string', format: 'binary' } };

/**
 * `GET /admin/vouchers/{voucherId}/picture`: the stored bytes of a voucher's picture with their media
 * type, outside the envelope (errors still answer in it). Operator token, checked as on every admin route.
 */
export function registerVoucherPictureRoute(app: FastifyInstance, deps: AppDeps): void {
  app.get(
    '/admin/vouchers/:voucherId/picture',
    {
      schema: {
        operationId: 'adminGetVoucherPicture',
        summary: "A payment voucher's picture",
        description: 'The picture as uploaded (JPEG, PNG, WebP or GIF), with its media type.',
        tags: ['Admin'],
        security: [{ operatorToken: [] }],
        params: {
          type: 'object',
          properties: {
            voucherId: {
              type: 'string',
              pattern: '^[0-9]{1,20}$',
              description: 'Id of the payment voucher',
              examples: ['1795432287562383360'],
            },
          },
          required: ['voucherId'],
        },
        response: {
          200: {
            description: 'The picture',
            content: { 'image/jpeg': picture, 'image/png': picture, 'image/webp': picture, 'image/gif': picture },
          },
          400: errorSchema([40001]),
          401: errorSchema([40106]),
          404: errorSchema([40401]),
          429: errorSchema([42901]),
          500: errorSchema([50001]),
        },
      },
      preValidation: async (req) => authenticateOperator(req, deps),
    },
    async (req, reply) => {
      const { voucherId } = req.params as { voucherId: string };
      const voucher = await findVoucher(deps.database.db, voucherId);
      const file = await deps.files.get(voucher.picture_key);
      if (!file) throw new ApiError(40401, { what: `picture of payment voucher ${voucherId}` });
      return reply.type(file.contentType).header('content-disposition', 'inline').send(file.bytes);
    },
  );
}
