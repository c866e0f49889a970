import { defineRoute } from '../../../platform/http/route.js';
import { RedeliverBody, Redelivered } from '../messages.schemas.js';
import { redeliverMessages } from '../redeliver.js';
import { DeveloperParams, requireDeveloper } from './admin-params.js';

export default defineRoute({
  method: 'POST',
  url: '/admin/developers/:developId/messages/redeliver',
  operationId: 'adminRedeliverMessages',
  summary: "Deliver a developer's messages again",
  description:
    'As `POST /open/message/redeliver` for the developer’s main account: one message (`messageId`) or every ' +
    'message written in [`startTime`, `endTime`) (at most 30 days; `onlyFailed` for the failed ones), queued again ' +
    'for a fresh round of the retry schedule. Refused (40901) when the developer has no enabled callback URL.',
  tags: ['Admin'],
  auth: 'admin',
  mutation: true,
  errors: [40401, 40901],
  params: DeveloperParams,
  body: RedeliverBody,
  data: Redelivered,
  handler: async ({ deps, db, params, body }) => {
    await requireDeveloper(db, params.developId);
    const scope = { developId: params.developId, userId: null };
    return { redelivered: await redeliverMessages(deps, db, scope, body) };
  },
});
