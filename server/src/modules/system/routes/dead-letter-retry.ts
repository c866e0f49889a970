import { notFound } from '../../../platform/http/errors.js';
import { defineRoute } from '../../../platform/http/route.js';
import { deadLetters } from '../../../platform/outbox/dead-letters.js';
import { DeadLetter, DeadLetterParams, toDeadLetter } from '../dead-letters.schemas.js';

export default defineRoute({
  method: 'POST',
  url: '/admin/dead-letters/:id/retry',
  operationId: 'adminRetryDeadLetter',
  summary: 'Run a dead row again',
  description:
    'Puts the row back in the queue from its first attempt; the rows waiting behind it follow once it succeeds.',
  tags: ['Admin'],
  auth: 'admin',
  mutation: true,
  errors: [40401],
  params: DeadLetterParams,
  data: DeadLetter,
  handler: async ({ db, deps, params }) => {
    const row = await deadLetters.retry(db, params.id, deps.clock.now());
    if (!row) throw notFound(`dead letter ${params.id}`);
    return toDeadLetter(row);
  },
});
