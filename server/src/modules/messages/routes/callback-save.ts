import { defineRoute } from '../../../platform/http/route.js';
import { Strict, Type } from '../../../platform/http/schema.js';
import { saveCallbackUrl } from '../callbacks.js';
import { CallbackSecretField, CallbackSettings } from '../messages.schemas.js';

export default defineRoute({
  method: 'POST',
  url: '/open/message/callback',
  operationId: 'saveCallbackUrl',
  summary: 'Save the callback URL',
  description:
    'Verifies the URL first: a POST signed like every callback (Standard Webhooks headers), whose body is a ' +
    '`CALLBACK_VERIFICATION` message, must be answered 2xx within `CALLBACK_TIMEOUT_MS`; a redirect is not followed. ' +
    'Then saves and enables it. The first save makes the signing secret and answers it in `callbackSecret`, the ' +
    'only time it is shown (later saves keep the secrets and answer null). The URL must be https and reach a ' +
    'public address unless the operator allows otherwise (`CALLBACK_ALLOW_PRIVATE`). Main account only.',
  tags: ['Messages'],
  auth: 'signed',
  mutation: true,
  ownTransactions: true,
  errors: [40301, 40901],
  body: Strict({
    callbackUrl: Type.String({
      minLength: 1,
      maxLength: 2048,
      description: 'Where messages are POSTed',
      examples: ['https://reseller.example/ponte/callbacks'],
    }),
  }),
  data: Type.Object({ ...CallbackSettings.properties, ...CallbackSecretField }),
  handler: async ({ deps, db, auth, body }) => {
    const { settings, secret } = await saveCallbackUrl(deps, db, auth, body.callbackUrl);
    return { ...settings, callbackSecret: secret };
  },
});
