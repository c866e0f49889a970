import { defineRoute } from '../../../platform/http/route.js';
import { Int, PageNo, PageSize, Text, Type } from '../../../platform/http/schema.js';
import { deadLetters } from '../../../platform/outbox/dead-letters.js';
import { DeadLetter, toDeadLetter } from '../dead-letters.schemas.js';

export default defineRoute({
  method: 'GET',
  url: '/admin/dead-letters',
  operationId: 'adminListDeadLetters',
  summary: 'List background work that kept failing',
  description:
    'Outbox rows (upstream events, later callbacks and jobs) whose handler failed on every attempt, newest first. ' +
    'Rows queued behind one of them for the same object wait until it is retried or discarded.',
  tags: ['Admin'],
  auth: 'admin',
  query: Type.Object({
    type: Type.Optional(Text('Only rows of this type', 100, 'upstream.event', 1)),
    pageNo: PageNo,
    pageSize: PageSize,
  }),
  data: Type.Object({ list: Type.Array(DeadLetter), total: Int('Number of dead rows', 0, 1_000_000_000) }),
  handler: async ({ db, query }) => {
    const pageSize = query.pageSize ?? 20;
    const { total, rows } = await deadLetters.page(db, {
      type: query.type,
      offset: ((query.pageNo ?? 1) - 1) * pageSize,
      limit: pageSize,
    });
    return { list: rows.map(toDeadLetter), total };
  },
});
