import type { AppDeps } from './deps.js';

const DONE_OUTBOX_RETENTION_MS = 7 * 24 * 3600 * 1000;
/** Handled upstream events are remembered this long, so that a late redelivery is still dropped. */
const INBOX_RETENTION_MS = 30 * 24 * 3600 * 1000;
/** Change signals are read by other processes within a poll interval; an hour is ample. */
const CHANGE_SIGNAL_RETENTION_MS = 3600 * 1000;

/**
 * Deletes expired nonces and idempotency keys, outbox rows done for over a week, upstream events
 * handled over 30 days ago, and change signals over an hour old.
 */
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
  await db
    .deleteFrom('upstream_inbox')
    .where('handled_at', 'is not', null)
    .where('handled_at', '<', now - INBOX_RETENTION_MS)
    .execute();
  await db
    .deleteFrom('change_signals')
    .where('created_at', '<', now - CHANGE_SIGNAL_RETENTION_MS)
    .execute();
  await db
    .deleteFrom('id_nodes')
    .where('lease_until', '<', now - CHANGE_SIGNAL_RETENTION_MS)
    .execute();
}
