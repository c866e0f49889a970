import { defineRoute } from '../../../platform/http/route.js';
import { Int, Strict, Type } from '../../../platform/http/schema.js';
import { IssuedKey } from '../accounts.schemas.js';
import { MAX_ROTATION_OVERLAP_S, rotateKey } from '../accounts.service.js';
import { KeyParams } from './admin-params.js';

export default defineRoute({
  method: 'POST',
  url: '/admin/keys/:accessKey/rotate',
  operationId: 'adminRotateKey',
  summary: "Rotate a key's secret",
  description:
    'Issues a new secret. During `overlapSeconds` (default 86400) requests signed with the previous secret still verify, so clients switch without losing a request.',
  tags: ['Admin'],
  auth: 'admin',
  mutation: true,
  errors: [40401, 40901],
  params: KeyParams,
  body: Strict({
    overlapSeconds: Type.Optional(
      Int('How long the previous secret keeps verifying (0 = not at all)', 0, MAX_ROTATION_OVERLAP_S, 86400),
    ),
  }),
  data: Type.Object({
    ...IssuedKey.properties,
    previousSecretExpireTime: Type.Union([
      Type.Integer({ description: 'Until when the previous secret verifies' }),
      Type.Null(),
    ]),
  }),
  handler: async ({ deps, db, params, body }) => {
    const r = await rotateKey(deps, db, params.accessKey, body.overlapSeconds ?? 86400);
    return {
      accessKey: r.accessKey,
      accessSecret: r.accessSecret,
      previousSecretExpireTime: r.previousSecretExpiresAt,
    };
  },
});
