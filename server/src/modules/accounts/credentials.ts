import { sql } from 'kysely';
import type { CredentialStore, KeyRecord, KeyState, NonceOutcome } from '../../platform/auth/credentials.js';
import { KeyCache } from '../../platform/auth/key-cache.js';
import type { Database, Tx } from '../../platform/db/database.js';
import { GroupCommit } from '../../platform/db/group-commit.js';
import { prepared } from '../../platform/db/prepared.js';

/** The key with its developer's state and credentials version, and the sub-account `userId` if it is the developer's. */
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
      'd.auth_version',
      's.user_id',
      's.is_main',
      's.status as sub_status',
    ])
    .where('k.access_key', '=', a.accessKey),
);

// A type, not an interface: prepared() takes a record of values.
type NonceWrite = {
  accessKey: string;
  nonce: string;
  expiresAt: number;
  now: number;
  developId: string;
  authVersion: number;
};

// Inserts the nonce, or reuses the row of an expired one (a live row means a replay), but only while the
// developer is active and at the credentials version the request was verified against. The values are
// cast because PostgreSQL types the parameters of a SELECT list as text.
const insertNonce = prepared((db, a: NonceWrite) =>
  db
    .insertInto('auth_nonces')
    .columns(['access_key', 'nonce', 'expires_at'])
    .expression(
      db
        .selectFrom('developers')
        .select([
          sql<string>`cast(${a.accessKey} as text)`.as('access_key'),
          sql<string>`cast(${a.nonce} as text)`.as('nonce'),
          sql<number>`cast(${a.expiresAt} as bigint)`.as('expires_at'),
        ])
        .where('id', '=', a.developId)
        .where('auth_version', '=', a.authVersion)
        .where('status', '=', 'active'),
    )
    .onConflict((oc) =>
      oc
        .columns(['access_key', 'nonce'])
        .doUpdateSet((eb) => ({ expires_at: eb.ref('excluded.expires_at') }))
        .where('auth_nonces.expires_at', '<', a.now),
    ),
);

const developerVersion = prepared((db, a: { developId: string }) =>
  db.selectFrom('developers').select(['auth_version', 'status']).where('id', '=', a.developId),
);

/** Records nonces; when none was written, one read tells a replay from credentials changed since they were read. */
async function writeNonce(trx: Tx, n: NonceWrite): Promise<NonceOutcome> {
  const result = await insertNonce(trx, n);
  if (Number(result.numAffectedRows ?? 0) === 1) return 'recorded';
  const developer = (await developerVersion(trx, { developId: n.developId })).rows[0];
  const current = developer?.status === 'active' && developer.auth_version === n.authVersion;
  return current ? 'replayed' : 'stale';
}

/**
 * Reads keys and sub-accounts for request authentication (one query per read) and records nonces; the
 * cache of key records lives beside it (authenticate.ts uses both).
 */
export function createCredentialStore(database: Database): CredentialStore {
  const { db } = database;
  // Every signed request writes a nonce: those of concurrent requests share one commit.
  const nonces = new GroupCommit(database, writeNonce, (n) => `${n.accessKey}\n${n.nonce}`);
  return {
    cache: new KeyCache(),

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
        authVersion: row.auth_version,
        subAccount: row.user_id
          ? { userId: row.user_id, isMain: row.is_main === 1, active: row.sub_status === 'active' }
          : null,
      };
    },

    async useNonce(key: KeyState, nonce: string, expiresAt: number, now: number): Promise<NonceOutcome> {
      const { accessKey, developId, authVersion } = key;
      return nonces.run({ accessKey, nonce, expiresAt, now, developId, authVersion });
    },
  };
}
