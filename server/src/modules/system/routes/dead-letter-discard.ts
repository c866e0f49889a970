import { notFound } from '../../../platform/http/errors.js';
import { defineRoute } from '../../../platform/http/route.js';
import { deadLetters } from '../../../platform/outbox/dead-letters.js';
import { DeadLetter, DeadLetterParams, toDeadLetter } from '../dead-letters.schemas.js';

export default defineRoute({
  method: 'POST',
  url: '/admin/dead-letters/:id/discard',
  operationId: 'adminDiscardDeadLetter',
  summary: 'Give up on a dead row',
  description:
    'Marks the row done without running it (its last error is kept), so that the rows waiting behind it for the ' +
    'same object run. Use it when the row can never succeed.',
  tags: ['Admin'],
  auth: 'admin',
  mutation: true,
  errors: [40401],
  params: DeadLetterParams,
  data: DeadLetter,
  handler: async ({ db, deps, params }) => {
    const row = await deadLetters.discard(db, params.id, deps.clock.now());
    if (!row) throw notFound(`dead letter ${params.id}`);
    return toDeadLetter(row);
  },
});
