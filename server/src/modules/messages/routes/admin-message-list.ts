import { defineRoute } from '../../../platform/http/route.js';
import { MessageList, MessageListQuery } from '../messages.schemas.js';
import { listMessages } from '../queries.js';
import { DeveloperParams, requireDeveloper } from './admin-params.js';

export default defineRoute({
  method: 'GET',
  url: '/admin/developers/:developId/messages',
  operationId: 'adminListMessages',
  summary: "List a developer's callback messages",
  description:
    'Every message of the developer (all its sub-accounts), newest first, with its delivery state; the filters of ' +
    '`GET /open/message/list`.',
  tags: ['Admin'],
  auth: 'admin',
  errors: [40401],
  params: DeveloperParams,
  query: MessageListQuery,
  data: MessageList,
  handler: async ({ db, params, query }) => {
    await requireDeveloper(db, params.developId);
    const { pageNo, pageSize, ...filters } = query;
    return listMessages(db, { developId: params.developId, userId: null }, filters, { pageNo, pageSize });
  },
});
