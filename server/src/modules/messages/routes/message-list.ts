import { defineRoute } from '../../../platform/http/route.js';
import { MessageList, MessageListQuery } from '../messages.schemas.js';
import { listMessages, scopeOf } from '../queries.js';

export default defineRoute({
  method: 'GET',
  url: '/open/message/list',
  operationId: 'listMessages',
  summary: 'List the callback messages written for the developer',
  description:
    'Every message the callbacks carry (order price and status changes, refunds, the callback URL being ' +
    'disabled), newest first by the time it was written, each with its delivery state: `status`, `attemptCount`, ' +
    'when the next attempt is due and when it was delivered. Filters: `messageType`, `messagePlatform`, ' +
    '`objectId`, `status`, and the written time (`startTime` inclusive, `endTime` exclusive). Messages are kept ' +
    '30 days. A sub-account sees the messages of its own objects; the main account all of its developer’s.',
  tags: ['Messages'],
  auth: 'signed',
  query: MessageListQuery,
  data: MessageList,
  handler: ({ db, auth, query }) => {
    const { pageNo, pageSize, ...filters } = query;
    return listMessages(db, scopeOf(auth), filters, { pageNo, pageSize });
  },
});
