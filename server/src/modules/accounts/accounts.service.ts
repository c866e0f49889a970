import { randomBytes } from 'node:crypto';
import type { Executor } from '../../platform/db/database.js';
import { isUniqueViolation } from '../../platform/db/dialect.js';
import type { AppDeps } from '../../platform/deps.js';
import { ApiError, notFound } from '../../platform/http/errors.js';
import { randomHex32 } from '../../platform/ids.js';
import {
  type AccessKeyRow,
  type DeveloperRow,
  developersRepo,
  keysRepo,
  type SubAccountRow,
  subAccountsRepo,
} from './accounts.repo.js';

export type ServiceDeps = Pick<AppDeps, 'ids' | 'clock' | 'secrets' | 'credentials'>;

/** A key's secret as issued: shown once, never returned again. */
export interface IssuedKey {
  accessKey: string;
  accessSecret: string;
}

export const MAX_ROTATION_OVERLAP_S = 7 * 24 * 3600;

function newSecret(): string {
  return randomBytes(24).toString('base64url');
}

async function requireDeveloper(db: Executor, developId: string): Promise<DeveloperRow> {
  const dev = await developersRepo.find(db, developId);
  if (!dev) throw notFound('developer', developId);
  return dev;
}

async function requireKey(db: Executor, accessKey: string): Promise<AccessKeyRow> {
  const key = await keysRepo.find(db, accessKey);
  if (!key) throw notFound('accessKey', accessKey);
  return key;
}

/**
 * Every change that affects request authentication calls this in its transaction: it raises the
 * developer's credentials version, so that every process's cached copy of its keys goes stale at its
 * next request (platform/auth/key-cache.ts), and drops this process's copies at once.
 */
async function credentialsChanged(deps: ServiceDeps, db: Executor, developId: string): Promise<void> {
  await developersRepo.bumpAuthVersion(db, developId);
  deps.credentials.cache.forgetDeveloper(developId);
}

/** Issues a new access key for a developer. */
export async function issueKey(
  deps: ServiceDeps,
  db: Executor,
  developId: string,
  label: string | null,
): Promise<IssuedKey> {
  await requireDeveloper(db, developId);
  const accessKey = randomHex32();
  const accessSecret = newSecret();
  await keysRepo.insert(db, {
    access_key: accessKey,
    develop_id: developId,
    label,
    secret_sealed: deps.secrets.seal(accessSecret),
    previous_secret_sealed: null,
    previous_expires_at: null,
    legacy_md5: 0,
    nonceless: 0,
    status: 'active',
    created_at: deps.clock.now(),
    rotated_at: null,
    revoked_at: null,
  });
  await credentialsChanged(deps, db, developId);
  return { accessKey, accessSecret };
}

/**
 * Creates a developer with its main sub-account and first access key. The main account's user-id
 * is issued with the first key (docs/architecture.md §6).
 */
export async function createDeveloper(
  deps: ServiceDeps,
  db: Executor,
  input: { name: string; email?: string | undefined },
): Promise<{ developer: DeveloperRow; main: SubAccountRow; key: IssuedKey }> {
  const now = deps.clock.now();
  const developer: DeveloperRow = {
    id: deps.ids.next(now),
    name: input.name,
    email: input.email ?? null,
    status: 'active',
    created_at: now,
    updated_at: now,
    auth_version: 0,
  };
  await developersRepo.insert(db, developer);
  const main: SubAccountRow = {
    user_id: deps.ids.next(now),
    develop_id: developer.id,
    name: 'main',
    out_member_id: null,
    is_main: 1,
    status: 'active',
    created_at: now,
    updated_at: now,
  };
  await subAccountsRepo.insert(db, main);
  const key = await issueKey(deps, db, developer.id, 'first key');
  return { developer, main, key };
}

/**
 * Gives a key a new secret. For `overlapSeconds` the previous secret still verifies, so clients can
 * switch without losing a request; 0 ends the old secret at once.
 */
export async function rotateKey(
  deps: ServiceDeps,
  db: Executor,
  accessKey: string,
  overlapSeconds: number,
): Promise<IssuedKey & { previousSecretExpiresAt: number | null }> {
  const key = await requireKey(db, accessKey);
  if (key.status !== 'active') throw new ApiError(40901, { reason: { id: 'keyRevoked' } });
  const now = deps.clock.now();
  const accessSecret = newSecret();
  const previousExpiresAt = overlapSeconds > 0 ? now + overlapSeconds * 1000 : null;
  await keysRepo.update(db, accessKey, {
    secret_sealed: deps.secrets.seal(accessSecret),
    previous_secret_sealed: previousExpiresAt === null ? null : key.secret_sealed,
    previous_expires_at: previousExpiresAt,
    rotated_at: now,
  });
  await credentialsChanged(deps, db, key.develop_id);
  return { accessKey, accessSecret, previousSecretExpiresAt: previousExpiresAt };
}

/** Revokes a key: every process refuses it from the next request (see credentialsChanged). */
export async function revokeKey(deps: ServiceDeps, db: Executor, accessKey: string): Promise<AccessKeyRow> {
  const key = await requireKey(db, accessKey);
  if (key.status === 'revoked') return key;
  const now = deps.clock.now();
  await keysRepo.update(db, accessKey, { status: 'revoked', revoked_at: now, previous_secret_sealed: null });
  await credentialsChanged(deps, db, key.develop_id);
  return { ...key, status: 'revoked', revoked_at: now, previous_secret_sealed: null };
}

/** A key's switches that the operator sets: every process applies a change from the next request. */
type KeySwitch = 'legacy_md5' | 'nonceless';

async function setKeySwitch(
  deps: ServiceDeps,
  db: Executor,
  accessKey: string,
  name: KeySwitch,
  enabled: boolean,
): Promise<AccessKeyRow> {
  const key = await requireKey(db, accessKey);
  await keysRepo.update(db, accessKey, { [name]: enabled ? 1 : 0 });
  await credentialsChanged(deps, db, key.develop_id);
  return { ...key, [name]: enabled ? 1 : 0 };
}

/** Allows or forbids the legacy MD5 signature for a key. */
export const setLegacyMd5 = (deps: ServiceDeps, db: Executor, accessKey: string, enabled: boolean) =>
  setKeySwitch(deps, db, accessKey, 'legacy_md5', enabled);

/** Allows or forbids v2 requests without `nonce-str` for a key (docs/adr/0019). */
export const setNonceless = (deps: ServiceDeps, db: Executor, accessKey: string, enabled: boolean) =>
  setKeySwitch(deps, db, accessKey, 'nonceless', enabled);

export async function getDeveloper(db: Executor, developId: string) {
  const developer = await requireDeveloper(db, developId);
  return { developer, keys: await keysRepo.listByDeveloper(db, developId) };
}

export async function listKeys(db: Executor, developId: string): Promise<AccessKeyRow[]> {
  await requireDeveloper(db, developId);
  return keysRepo.listByDeveloper(db, developId);
}

export async function setDeveloperStatus(
  deps: ServiceDeps,
  db: Executor,
  developId: string,
  status: DeveloperRow['status'],
) {
  await requireDeveloper(db, developId);
  await developersRepo.setStatus(db, developId, status, deps.clock.now());
  await credentialsChanged(deps, db, developId);
  return requireDeveloper(db, developId);
}

/** Creates a sub-account; `outMemberId` (the developer's own id for it) is unique per developer. */
export async function createSubAccount(
  deps: ServiceDeps,
  db: Executor,
  developId: string,
  input: { name: string; outMemberId?: string | undefined },
): Promise<SubAccountRow> {
  await requireDeveloper(db, developId);
  if (input.outMemberId !== undefined && (await subAccountsRepo.findByOutMemberId(db, developId, input.outMemberId))) {
    throw new ApiError(40901, { reason: { id: 'outMemberIdTaken', params: { outMemberId: input.outMemberId ?? '' } } });
  }
  const now = deps.clock.now();
  const row: SubAccountRow = {
    user_id: deps.ids.next(now),
    develop_id: developId,
    name: input.name,
    out_member_id: input.outMemberId ?? null,
    is_main: 0,
    status: 'active',
    created_at: now,
    updated_at: now,
  };
  try {
    await subAccountsRepo.insert(db, row);
  } catch (err) {
    if (isUniqueViolation(err))
      throw new ApiError(40901, {
        reason: { id: 'outMemberIdUsed', params: { outMemberId: input.outMemberId ?? '' } },
      });
    throw err;
  }
  return row;
}

export async function getSubAccount(db: Executor, developId: string, userId: string): Promise<SubAccountRow> {
  const row = await subAccountsRepo.find(db, developId, userId);
  if (!row) throw notFound('subAccount', userId);
  return row;
}

export async function listSubAccounts(
  db: Executor,
  developId: string,
  pageNo: number,
  pageSize: number,
  onlyUserId?: string,
) {
  return subAccountsRepo.page(db, developId, (pageNo - 1) * pageSize, pageSize, onlyUserId);
}

export async function setSubAccountStatus(
  deps: ServiceDeps,
  db: Executor,
  developId: string,
  userId: string,
  status: SubAccountRow['status'],
): Promise<SubAccountRow> {
  const row = await getSubAccount(db, developId, userId);
  if (row.is_main === 1 && status === 'disabled') {
    throw new ApiError(40901, { reason: { id: 'mainAccountCannotBeDisabled' } });
  }
  await subAccountsRepo.setStatus(db, developId, userId, status, deps.clock.now());
  await credentialsChanged(deps, db, developId);
  return { ...row, status, updated_at: deps.clock.now() };
}

/** The developer that owns a sub-account (admin routes address sub-accounts by user-id alone). */
export async function ownerOfSubAccount(db: Executor, userId: string): Promise<string> {
  const row = await db.selectFrom('sub_accounts').select('develop_id').where('user_id', '=', userId).executeTakeFirst();
  if (!row) throw notFound('subAccount', userId);
  return row.develop_id;
}
