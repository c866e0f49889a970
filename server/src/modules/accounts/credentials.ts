import type { CredentialStore, KeyRecord } from '../../platform/auth/credentials.js';
import type { Database } from '../../platform/db/database.js';
import { GroupCommit } from '../../platform/db/group-commit.js';
import { prepared } from '../../platform/db/prepared.js';

/** Reads keys and sub-accounts for request authentication (one query per request, no cache) and records nonces. */
const lookupKey = prepared((db, a: { accessKey: string; userId: string }) =>
  db
    .selectFrom('access_keys as k')
    .innerJoin('developers as d', 'd.id', 'k.develop_id')
    .leftJoin('sub_accounts as s', (j) => j.on('s.user_id', '=', a.userId).onRef('s.develop_id', '=', 'k.develop_id'))
    .select([
      'k.access_key',
      'k.develop_id',
      'k.secret_sealed',
      'k.previous_secret_sealed',
      'k.previous_expires_at',
      'k.legacy_md5',
      'k.status as key_status',
      'd.status as developer_status',
      's.user_id',
      's.is_main',
      's.status as sub_status',
    ])
    .where('k.access_key', '=', a.accessKey),
);

// Inserts the nonce, or reuses the row of an expired one; a live row means a replay.
const insertNonce = prepared((db, a: { accessKey: string; nonce: string; expiresAt: number; now: number }) =>
  db
    .insertInto('auth_nonces')
    .values({ access_key: a.accessKey, nonce: a.nonce, expires_at: a.expiresAt })
    .onConflict((oc) =>
      oc
        .columns(['access_key', 'nonce'])
        .doUpdateSet({ expires_at: a.expiresAt })
        .where('auth_nonces.expires_at', '<', a.now),
    ),
);

/** Reads keys and sub-accounts for request authentication (one query per request, no cache) and records nonces. */
export function createCredentialStore(database: Database): CredentialStore {
  const { db } = database;
  // Every signed request writes a nonce: those of concurrent requests share one commit.
  const nonces = new GroupCommit(
    database,
    async (trx, n: { accessKey: string; nonce: string; expiresAt: number; now: number }) => {
      const result = await insertNonce(trx, n);
      return Number(result.numAffectedRows ?? 0) === 1;
    },
    (n) => `${n.accessKey}\n${n.nonce}`,
  );
  return {
    async lookup(accessKey: string, userId: string): Promise<KeyRecord | null> {
      const row = (await lookupKey(db, { accessKey, userId })).rows[0];
      if (!row) return null;
      return {
        accessKey: row.access_key,
        developId: row.develop_id,
        secretSealed: row.secret_sealed,
        previousSecretSealed: row.previous_secret_sealed,
        previousExpiresAt: row.previous_expires_at,
        legacyMd5: row.legacy_md5 === 1,
        usable: row.key_status === 'active' && row.developer_status === 'active',
        subAccount: row.user_id
          ? { userId: row.user_id, isMain: row.is_main === 1, active: row.sub_status === 'active' }
          : null,
      };
    },

    async useNonce(accessKey: string, nonce: string, expiresAt: number, now: number): Promise<boolean> {
      return nonces.run({ accessKey, nonce, expiresAt, now });
    },
  };
}
