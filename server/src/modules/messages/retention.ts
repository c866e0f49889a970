import type { AppDeps } from '../../platform/deps.js';

/** Messages and their attempts are kept this long: listable, pullable and redeliverable until then. */
export const MESSAGE_RETENTION_MS = 30 * 24 * 3_600_000;

/**
 * Deletes the messages written over 30 days ago and their attempts, developer by developer through
 * `messages_developer_time` (no index on the time alone is written on the change's path).
 */
export async function purgeOldMessages(deps: Pick<AppDeps, 'database' | 'clock'>): Promise<number> {
  const { db } = deps.database;
  const cutoff = deps.clock.now() - MESSAGE_RETENTION_MS;
  let deleted = 0;
  const developers = await db.selectFrom('developers').select('id').execute();
  for (const { id } of developers) {
    await deps.database.transaction(async (trx) => {
      await trx
        .deleteFrom('message_attempts')
        .where('message_id', 'in', (eb) =>
          eb.selectFrom('messages').select('id').where('develop_id', '=', id).where('created_at', '<', cutoff),
        )
        .execute();
      const r = await trx
        .deleteFrom('messages')
        .where('develop_id', '=', id)
        .where('created_at', '<', cutoff)
        .executeTakeFirst();
      deleted += Number(r.numDeletedRows);
    });
  }
  return deleted;
}
