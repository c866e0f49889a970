import { defineRoute } from '../../../platform/http/route.js';
import { Type } from '../../../platform/http/schema.js';
import { readCallbackSettings } from '../callbacks.js';
import { CallbackSettings } from '../messages.schemas.js';

export default defineRoute({
  method: 'GET',
  url: '/open/message/callback',
  operationId: 'getCallbackSettings',
  summary: 'Read the callback settings',
  description:
    'The callback URL, whether messages are delivered to it (and why not), and the ids of the signing secrets; ' +
    '`null` before a URL was saved. The secrets themselves are shown only when made. Main account only.',
  tags: ['Messages'],
  auth: 'signed',
  errors: [40301],
  data: Type.Union([CallbackSettings, Type.Null()]),
  handler: ({ deps, db, auth }) => readCallbackSettings(deps, db, auth),
});
