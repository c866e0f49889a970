import { notFound } from '../../../platform/http/errors.js';
import { defineRoute } from '../../../platform/http/route.js';
import { deadLetters } from '../../../platform/outbox/dead-letters.js';
import { DeadLetter, DeadLetterParams, toDeadLetter } from '../dead-letters.schemas.js';

const ACTIONS = {
  retry: {
    operationId: 'adminRetryDeadLetter',
    summary: 'Run a dead row again',
    description:
      'Puts the row back in the queue from its first attempt; the rows waiting behind it follow once it succeeds.',
  },
  discard: {
    operationId: 'adminDiscardDeadLetter',
    summary: 'Give up on a dead row',
    description:
      'Marks the row done without running it (its last error is kept), so that the rows waiting behind it for the ' +
      'same object run. Use it when the row can never succeed.',
  },
} as const;

/** `POST /admin/dead-letters/{id}/retry` and `…/discard`: one definition, two actions on a dead row. */
function route(action: keyof typeof ACTIONS) {
  return defineRoute({
    method: 'POST',
    url: `/admin/dead-letters/:id/${action}`,
    ...ACTIONS[action],
    tags: ['Admin'],
    auth: 'admin',
    mutation: true,
    errors: [40401],
    params: DeadLetterParams,
    data: DeadLetter,
    handler: async ({ db, deps, params }) => {
      const row = await deadLetters[action](db, params.id, deps.clock.now());
      if (!row) throw notFound(`dead letter ${params.id}`);
      return toDeadLetter(row);
    },
  });
}

export const retryDeadLetter = route('retry');
export const discardDeadLetter = route('discard');
