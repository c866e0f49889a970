import { defineRoute } from '../../../platform/http/route.js';
import { RedeliverBody, Redelivered } from '../messages.schemas.js';
import { scopeOf } from '../queries.js';
import { redeliverMessages } from '../redeliver.js';

export default defineRoute({
  method: 'POST',
  url: '/open/message/redeliver',
  operationId: 'redeliverMessages',
  summary: 'Deliver messages again',
  description:
    'Queues again one message (`messageId`), or every message written in [`startTime`, `endTime`) — at most 30 ' +
    'days, within the 30 days messages are kept — whatever its state, or with `onlyFailed` only the `failed` ones. ' +
    'Each starts a fresh round of the retry schedule at once and is delivered with the same `webhook-id` as ' +
    'before; `attemptCount` keeps counting. Refused (40901) when there is no enabled callback URL. A sub-account ' +
    'redelivers only the messages of its own objects.',
  tags: ['Messages'],
  auth: 'signed',
  mutation: true,
  errors: [40401, 40901],
  body: RedeliverBody,
  data: Redelivered,
  handler: async ({ deps, db, auth, body }) => ({
    redelivered: await redeliverMessages(deps, db, scopeOf(auth), body),
  }),
});
