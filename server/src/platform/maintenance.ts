import type { AppDeps } from './deps.js';

const DONE_OUTBOX_RETENTION_MS = 7 * 24 * 3600 * 1000;

/** Deletes expired nonces and idempotency keys, and outbox rows done for over a week. */
export async function purgeExpired(deps: Pick<AppDeps, 'database' | 'clock'>): Promise<void> {
  const { db } = deps.database;
  const now = deps.clock.now();
  await db.deleteFrom('auth_nonces').where('expires_at', '<', now).execute();
  await db.deleteFrom('idempotency_keys').where('expires_at', '<', now).execute();
  await db
    .deleteFrom('outbox')
    .where('status', '=', 'done')
    .where('updated_at', '<', now - DONE_OUTBOX_RETENTION_MS)
    .execute();
}
