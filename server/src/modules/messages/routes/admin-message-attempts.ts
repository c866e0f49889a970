import { defineRoute } from '../../../platform/http/route.js';
import { Type } from '../../../platform/http/schema.js';
import { MessageAttempts } from '../messages.schemas.js';
import { messageAttempts } from '../queries.js';
import { MessageParams } from './admin-params.js';

export default defineRoute({
  method: 'GET',
  url: '/admin/messages/:messageId/attempts',
  operationId: 'adminListMessageAttempts',
  summary: "Any message's delivery attempts",
  description: 'The message, its developer, and every attempt to deliver it, oldest first.',
  tags: ['Admin'],
  auth: 'admin',
  errors: [40401],
  params: MessageParams,
  data: Type.Object({
    developId: Type.String({ description: 'Whose message it is', examples: ['1795432287562383360'] }),
    ...MessageAttempts.properties,
  }),
  handler: ({ db, params }) => messageAttempts(db, params.messageId, null),
});
