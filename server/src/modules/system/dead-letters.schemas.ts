import { EpochMs, Id, Int, Text, Type } from '../../platform/http/schema.js';
import type { OutboxRow } from '../../platform/outbox/worker.js';

export const DeadLetterParams = Type.Object({ id: Id('Id of the outbox row') });

export const DeadLetter = Type.Object({
  id: Id('Id of the outbox row'),
  type: Text('What the row carries, e.g. `upstream.event`', 100, 'upstream.event'),
  status: Type.Union([Type.Literal('dead'), Type.Literal('pending'), Type.Literal('done')], {
    description: '`dead` in the list; `pending` once retried; `done` once discarded',
  }),
  orderingKey: Type.Union([Type.String(), Type.Null()], {
    description: 'Rows with this key run one at a time; later ones wait behind this one',
    examples: ['taobao:order:1795432287562383360'],
  }),
  attempts: Int('Attempts made so far', 0, 1_000_000),
  lastError: Type.Union([Type.String(), Type.Null()], { description: 'Why the last attempt failed' }),
  payload: Type.Unknown({ description: 'The row’s payload (for `upstream.event`, the marketplace event)' }),
  createdAt: EpochMs('When the row was written'),
  updatedAt: EpochMs('When the row last changed'),
});

export function toDeadLetter(row: OutboxRow) {
  return {
    id: row.id,
    type: row.event_type,
    status: row.status,
    orderingKey: row.ordering_key,
    attempts: row.attempts,
    lastError: row.last_error,
    payload: JSON.parse(row.payload) as unknown,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
