import { randomBytes } from 'node:crypto';
import { CALLBACK_SECRET_PREFIX, callbackHeaders } from '@ponte/sdk/callbacks';
import { type Selectable, sql } from 'kysely';
import type { AuthContext } from '../../platform/auth/credentials.js';
import type { Executor } from '../../platform/db/database.js';
import type { CallbackEndpointsTable } from '../../platform/db/schema.js';
import type { AppDeps } from '../../platform/deps.js';
import { ApiError, invalidParameter, notFound } from '../../platform/http/errors.js';
import { phrase } from '../../platform/http/reasons.js';
import { FetchRefused, safePost } from '../../platform/net/safe-fetch.js';
import { insertMessage, publishEndpointChange } from './write.js';

/**
 * A developer's callback URL and signing secrets (docs/adr/0013). The URL is verified when saved: a signed POST
 * of a `CALLBACK_VERIFICATION` message must be answered 2xx within CALLBACK_TIMEOUT_MS. Secrets are sealed with
 * the master key and shown once, when made; settings name them by an id.
 */

type Deps = Pick<AppDeps, 'config' | 'clock' | 'ids' | 'secrets' | 'changes'>;
type EndpointRow = Selectable<CallbackEndpointsTable>;

/** The message type of the verification POST. */
export const VERIFICATION_MESSAGE_TYPE = 'CALLBACK_VERIFICATION';
/** How much of a receiver's answer is kept (attempts show it). */
export const RESPONSE_EXCERPT_BYTES = 1024;

export interface CallbackSettings {
  url: string;
  enabled: boolean;
  disabledReason: string | null;
  disabledTime: number | null;
  secretId: string;
  /** The previous secret, while it still signs beside the current one. */
  previousSecretId: string | null;
  previousSecretExpireTime: number | null;
  verifiedTime: number;
}

function newSecret(): { id: string; secret: string } {
  return {
    id: `cbs_${randomBytes(6).toString('hex')}`,
    secret: `${CALLBACK_SECRET_PREFIX}${randomBytes(24).toString('base64')}`,
  };
}

function settingsOf(row: EndpointRow, now: number): CallbackSettings {
  const overlapping = row.previous_expires_at !== null && row.previous_expires_at > now;
  return {
    url: row.url,
    enabled: row.enabled === 1,
    disabledReason: row.disabled_reason,
    disabledTime: row.disabled_at,
    secretId: row.secret_id,
    previousSecretId: overlapping ? row.previous_secret_id : null,
    previousSecretExpireTime: overlapping ? row.previous_expires_at : null,
    verifiedTime: row.verified_at,
  };
}

/** The secrets that sign a message now: the current one, and the previous one during its overlap. */
export function signingSecrets(open: (sealed: string) => string, row: EndpointRow, now: number): string[] {
  const secrets = [open(row.secret_sealed)];
  if (row.previous_secret_sealed && row.previous_expires_at !== null && row.previous_expires_at > now) {
    secrets.push(open(row.previous_secret_sealed));
  }
  return secrets;
}

async function endpointOf(db: Executor, developId: string): Promise<EndpointRow | undefined> {
  return db.selectFrom('callback_endpoints').selectAll().where('develop_id', '=', developId).executeTakeFirst();
}

/** The callback settings are the developer's, not a sub-account's. */
function mainAccountOnly(auth: AuthContext): void {
  if (!auth.isMainAccount) throw new ApiError(40301);
}

/** The developer's settings, or null before a URL was saved. */
export async function readCallbackSettings(
  deps: Deps,
  db: Executor,
  auth: AuthContext,
): Promise<CallbackSettings | null> {
  mainAccountOnly(auth);
  return callbackSettingsOf(deps, db, auth.developId);
}

/** A developer's settings, or null before a URL was saved (the operator's read; developers go through the above). */
export async function callbackSettingsOf(
  deps: Pick<AppDeps, 'clock'>,
  db: Executor,
  developId: string,
): Promise<CallbackSettings | null> {
  const row = await endpointOf(db, developId);
  return row ? settingsOf(row, deps.clock.now()) : null;
}

/**
 * The URL as saved, refused when it does not parse or its scheme is not allowed; its address is checked by
 * `safePost` when the verification POST connects.
 */
function callbackUrlOf(deps: Deps, raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw invalidParameter('callbackUrl', 'invalid');
  }
  const allowed = deps.config.callbacks.allowPrivate ? ['https:', 'http:'] : ['https:'];
  if (!allowed.includes(url.protocol)) throw invalidParameter('callbackUrl', 'callbackHttps');
  return url.toString();
}

/**
 * POSTs the signed verification message to `url`; throws 40001 naming `callbackUrl` with what went wrong (an
 * address refused, no answer within the deadline, a status other than 2xx; a redirect is not followed).
 */
async function verifyUrl(deps: Deps, developId: string, url: string, secrets: string[]): Promise<void> {
  const now = deps.clock.now();
  const id = `verify_${deps.ids.next(now)}`;
  const body = JSON.stringify({
    messageId: id,
    messageType: VERIFICATION_MESSAGE_TYPE,
    messagePlatform: null,
    messageBody: { developId, callbackUrl: url },
    timestamp: now,
    version: 0,
  });
  const headers = callbackHeaders(secrets, id, Math.floor(now / 1000), body);
  try {
    const reply = await safePost(
      url,
      { ...headers, 'content-type': 'application/json', 'user-agent': 'Ponte-Callbacks/1' },
      body,
      {
        timeoutMs: deps.config.callbacks.timeoutMs,
        maxBytes: RESPONSE_EXCERPT_BYTES,
        allowPrivate: deps.config.callbacks.allowPrivate,
      },
    );
    if (reply.status < 200 || reply.status > 299) {
      throw invalidParameter('callbackUrl', 'callbackAnswered', { status: reply.status });
    }
  } catch (err) {
    if (err instanceof FetchRefused)
      throw invalidParameter('callbackUrl', 'callbackUnreachable', { detail: err.message });
    throw err;
  }
}

/**
 * Saves (or replaces) the callback URL once it answers the verification POST, and enables it. The first save makes
 * the signing secret and returns it, the only time it is shown; a later save keeps the secrets.
 */
export async function saveCallbackUrl(
  deps: Deps,
  db: Executor,
  auth: AuthContext,
  rawUrl: string,
): Promise<{ settings: CallbackSettings; secret: string | null }> {
  mainAccountOnly(auth);
  const url = callbackUrlOf(deps, rawUrl);
  const existing = await endpointOf(db, auth.developId);
  let made: { id: string; secret: string } | null = null;
  let secrets: string[];
  if (existing) secrets = signingSecrets((sealed) => deps.secrets.open(sealed), existing, deps.clock.now());
  else {
    made = newSecret();
    secrets = [made.secret];
  }
  await verifyUrl(deps, auth.developId, url, secrets);
  const now = deps.clock.now();
  if (existing) {
    await db
      .updateTable('callback_endpoints')
      .set({
        url,
        enabled: 1,
        disabled_reason: null,
        disabled_at: null,
        failing_since: null,
        verified_at: now,
        updated_at: now,
      })
      .where('develop_id', '=', auth.developId)
      .execute();
  } else if (made) {
    // (`made` is set exactly when there was no row.)
    await db
      .insertInto('callback_endpoints')
      .values({
        develop_id: auth.developId,
        url,
        enabled: 1,
        disabled_reason: null,
        disabled_at: null,
        secret_id: made.id,
        secret_sealed: deps.secrets.seal(made.secret),
        previous_secret_id: null,
        previous_secret_sealed: null,
        previous_expires_at: null,
        verified_at: now,
        created_at: now,
        updated_at: now,
      })
      // Two first saves at once: the second one's secret is not kept, and it is told so by a conflict.
      .onConflict((oc) => oc.column('develop_id').doNothing())
      .execute();
  }
  const row = (await endpointOf(db, auth.developId)) as EndpointRow;
  if (made && row.secret_id !== made.id) throw new ApiError(40901, { reason: phrase('callbackChanged') });
  await publishEndpointChange(deps, db, auth.developId);
  return { settings: settingsOf(row, now), secret: made?.secret ?? null };
}

/**
 * Makes a new signing secret and returns it (the only time it is shown). The current one keeps signing beside it
 * for `overlapSeconds` (CALLBACK_SECRET_OVERLAP_SECONDS by default; 0 retires it at once).
 */
export async function rotateCallbackSecret(
  deps: Deps,
  db: Executor,
  auth: AuthContext,
  overlapSeconds: number | undefined,
): Promise<{ settings: CallbackSettings; secret: string }> {
  mainAccountOnly(auth);
  const row = await endpointOf(db, auth.developId);
  if (!row) throw notFound('callbackSettings', '');
  const now = deps.clock.now();
  const overlap = (overlapSeconds ?? deps.config.callbacks.secretOverlapSeconds) * 1000;
  const made = newSecret();
  const change = {
    secret_id: made.id,
    secret_sealed: deps.secrets.seal(made.secret),
    previous_secret_id: overlap > 0 ? row.secret_id : null,
    previous_secret_sealed: overlap > 0 ? row.secret_sealed : null,
    previous_expires_at: overlap > 0 ? now + overlap : null,
    updated_at: now,
  };
  const updated = await db
    .updateTable('callback_endpoints')
    .set(change)
    .where('develop_id', '=', auth.developId)
    // Two rotations at once: one wins; the other would hand out a secret that was never kept.
    .where('secret_id', '=', row.secret_id)
    .executeTakeFirst();
  if (Number(updated.numUpdatedRows) !== 1) throw new ApiError(40901, { reason: phrase('callbackChanged') });
  return { settings: settingsOf({ ...row, ...change }, now), secret: made.secret };
}

/** The message type written when a developer's callback URL is disabled. */
export const DISABLED_MESSAGE_TYPE = 'CALLBACK_DISABLED';

/** Why delivery to a URL stopped: it answered 410 Gone, or every attempt failed for 5 days. */
export type DisabledReason = 'gone' | 'failing';

/**
 * Disables a developer's callback URL in `db`'s transaction (if it is still `url` and enabled): its pending messages
 * are held, every process hears of it, and a `CALLBACK_DISABLED` message says so (held too: listable and pullable).
 * False when there was nothing to disable.
 */
export async function disableCallbackUrl(
  db: Executor,
  deps: Pick<AppDeps, 'clock' | 'ids' | 'changes'>,
  developId: string,
  url: string,
  reason: DisabledReason,
): Promise<boolean> {
  const now = deps.clock.now();
  const changed = await db
    .updateTable('callback_endpoints')
    .set({ enabled: 0, disabled_reason: reason, disabled_at: now, updated_at: now })
    .where('develop_id', '=', developId)
    .where('url', '=', url)
    .where('enabled', '=', 1)
    .executeTakeFirst();
  if (Number(changed.numUpdatedRows) !== 1) return false;
  await db
    .updateTable('messages')
    .set({ delivery: 'held', next_attempt_at: null, lease_owner: null })
    // A literal: the pending messages are found through the partial index `messages_due`.
    .where(sql<boolean>`delivery = 'pending'`)
    .where('develop_id', '=', developId)
    .execute();
  await publishEndpointChange(deps, db, developId);
  const last = await db
    .selectFrom('messages')
    .select((eb) => eb.fn.max('version').as('version'))
    .where('develop_id', '=', developId)
    .where('object_id', '=', developId)
    .executeTakeFirst();
  await insertMessage(db, deps, {
    developId,
    userId: null,
    platform: null,
    type: DISABLED_MESSAGE_TYPE,
    objectType: 'callback',
    objectId: developId,
    version: Number(last?.version ?? 0) + 1,
    body: JSON.stringify({ callbackUrl: url, reason, disabledTime: now }),
  });
  return true;
}

/**
 * Enables a disabled callback URL again without a verification POST (the operator's decision); messages held
 * meanwhile stay held until redelivered. False when there is no URL or it is enabled already.
 */
export async function enableCallbackUrl(
  db: Executor,
  deps: Pick<AppDeps, 'clock' | 'changes'>,
  developId: string,
): Promise<boolean> {
  const now = deps.clock.now();
  const changed = await db
    .updateTable('callback_endpoints')
    .set({ enabled: 1, disabled_reason: null, disabled_at: null, failing_since: null, updated_at: now })
    .where('develop_id', '=', developId)
    .where('enabled', '=', 0)
    .executeTakeFirst();
  if (Number(changed.numUpdatedRows) !== 1) return false;
  await publishEndpointChange(deps, db, developId);
  return true;
}
