import { defineRoute } from '../../../platform/http/route.js';
import { Int, Strict, Type } from '../../../platform/http/schema.js';
import { rotateCallbackSecret } from '../callbacks.js';
import { CallbackSecretField, CallbackSettings } from '../messages.schemas.js';

export default defineRoute({
  method: 'POST',
  url: '/open/message/callback/secret',
  operationId: 'rotateCallbackSecret',
  summary: 'Rotate the callback signing secret',
  description:
    'Makes a new signing secret and answers it in `callbackSecret`, the only time it is shown. During ' +
    '`overlapSeconds` (default `CALLBACK_SECRET_OVERLAP_SECONDS`, 86400) every message carries a signature under ' +
    'the new secret and one under the previous, so a receiver can switch at any moment. Main account only.',
  tags: ['Messages'],
  auth: 'signed',
  mutation: true,
  errors: [40301, 40401, 40901],
  body: Strict({
    overlapSeconds: Type.Optional(
      Int('How long the previous secret keeps signing (0 = not at all)', 0, 7 * 86_400, 86_400),
    ),
  }),
  data: Type.Object({ ...CallbackSettings.properties, ...CallbackSecretField }),
  handler: async ({ deps, db, auth, body }) => {
    const { settings, secret } = await rotateCallbackSecret(deps, db, auth, body.overlapSeconds);
    return { ...settings, callbackSecret: secret };
  },
});
