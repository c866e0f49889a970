import { defineRoute, PreSerialized } from '../../../platform/http/route.js';
import type { Static } from '../../../platform/http/schema.js';
import { PullPage, PullQuery } from '../messages.schemas.js';
import { PULL_SETTLE_MS, parseCursor, pullMessages, scopeOf } from '../queries.js';

export default defineRoute({
  method: 'GET',
  url: '/open/message/pull',
  operationId: 'pullMessages',
  summary: 'Pull messages in the order they were written',
  description:
    'For receivers that poll instead of (or besides) taking callbacks, or that lost some: up to `limit` messages ' +
    '(default 100, at most 500) written after `cursor`, oldest first, each exactly as a delivery POSTs it plus its ' +
    '`status`. Without a cursor the pull starts at the oldest message kept (30 days). Pass the answered `cursor` ' +
    'to the next pull; `hasMore` says whether more can be pulled at once. Only messages written over ' +
    `${PULL_SETTLE_MS / 1000} s ago are answered (a settling window: a message written just before another may ` +
    'commit just after it), so a cursor never passes a message that could still appear; the newest are answered ' +
    'by a later pull. The cursor is opaque; a malformed one answers 40001. A sub-account pulls the messages of its ' +
    'own objects.',
  tags: ['Messages'],
  auth: 'signed',
  query: PullQuery,
  data: PullPage,
  handler: async ({ deps, db, auth, query }) => {
    const cursor = query.cursor === undefined ? null : parseCursor(query.cursor);
    const json = await pullMessages(db, scopeOf(auth), cursor, query.limit ?? 100, deps.clock.now());
    return new PreSerialized<Static<typeof PullPage>>(json);
  },
});
