import { defineRoute } from '../../../platform/http/route.js';
import { Type } from '../../../platform/http/schema.js';
import { MessageAttempts, MessageIdField } from '../messages.schemas.js';
import { messageAttempts, scopeOf } from '../queries.js';

export default defineRoute({
  method: 'GET',
  url: '/open/message/attempts',
  operationId: 'listMessageAttempts',
  summary: "A message's delivery attempts",
  description:
    'The message with every attempt to deliver it to the callback URL, oldest first: when, where, the HTTP status ' +
    'answered, how long it took, the first 1 KB of the answer, the error and what came of it. A sub-account sees ' +
    'only the messages of its own objects; any other id answers 40401.',
  tags: ['Messages'],
  auth: 'signed',
  errors: [40401],
  query: Type.Object({ messageId: MessageIdField }, { additionalProperties: false }),
  data: MessageAttempts,
  handler: async ({ db, auth, query }) => {
    const { message, attempts } = await messageAttempts(db, query.messageId, scopeOf(auth));
    return { message, attempts };
  },
});
