import type { Executor } from '../db/database.js';
import type { OutboxRow } from './worker.js';

/**
 * Outbox rows whose handler kept failing (`dead`): the operator lists them, retries one (it runs again
 * from its first attempt, and the rows of its ordering key behind it follow), or discards one (it is
 * marked done without running, which releases the rows behind it).
 */
export const deadLetters = {
  async page(db: Executor, q: { type?: string | undefined; offset: number; limit: number }) {
    let base = db.selectFrom('outbox').where('status', '=', 'dead');
    if (q.type) base = base.where('event_type', '=', q.type);
    const total = await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const rows = await base
      .selectAll()
      .orderBy('updated_at', 'desc')
      .orderBy('id')
      .offset(q.offset)
      .limit(q.limit)
      .execute();
    return { total: Number(total.n), rows };
  },

  /** Puts a dead row back in the queue; null when no dead row has this id. */
  async retry(db: Executor, id: string, now: number): Promise<OutboxRow | null> {
    const r = await db
      .updateTable('outbox')
      .set({ status: 'pending', attempts: 0, available_at: now, lease_owner: null, lease_until: null, updated_at: now })
      .where('id', '=', id)
      .where('status', '=', 'dead')
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) !== 1) return null;
    return (await db.selectFrom('outbox').selectAll().where('id', '=', id).executeTakeFirst()) ?? null;
  },

  /** Gives up on a dead row for good; null when no dead row has this id. */
  async discard(db: Executor, id: string, now: number): Promise<OutboxRow | null> {
    const row = await db
      .selectFrom('outbox')
      .selectAll()
      .where('id', '=', id)
      .where('status', '=', 'dead')
      .executeTakeFirst();
    if (!row) return null;
    const note = `discarded by the operator; last error: ${row.last_error ?? ''}`.slice(0, 2000);
    await db
      .updateTable('outbox')
      .set({ status: 'done', last_error: note, updated_at: now })
      .where('id', '=', id)
      .execute();
    return { ...row, status: 'done', last_error: note, updated_at: now };
  },
};
