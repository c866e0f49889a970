import type { Executor } from '../../platform/db/database.js';
import { prepared } from '../../platform/db/prepared.js';
import type { MessagesTable } from '../../platform/db/schema.js';
import type { AppDeps } from '../../platform/deps.js';

/**
 * Writing a developer's message, in the transaction of the change it tells of (docs/adr/0013). A message is
 * queued for delivery (`pending`, due at once) when its developer has an enabled callback URL, else `held`
 * (listable, pullable, redeliverable). Which developers have one is kept per process and dropped through the
 * change feed whenever a URL is saved, disabled or enabled, in any process.
 */

/** The change-feed topic of callback URLs; the key is the developer's id. */
export const CALLBACK_ENDPOINT_CHANGED = 'callbacks.endpoint';

type WriterDeps = Pick<AppDeps, 'ids' | 'clock' | 'changes'>;

/** Past this many developers the cache starts over (it only saves a primary-key read). */
const TARGETS_CACHE_LIMIT = 100_000;

const endpointEnabled = prepared((db, a: { developId: string }) =>
  db.selectFrom('callback_endpoints').select('enabled').where('develop_id', '=', a.developId),
);

/** Whether a developer's messages are delivered: true when it has an enabled callback URL. */
class CallbackTargets {
  private readonly enabled = new Map<string, boolean>();

  async has(db: Executor, developId: string): Promise<boolean> {
    const known = this.enabled.get(developId);
    if (known !== undefined) return known;
    const row = (await endpointEnabled(db, { developId })).rows[0];
    const on = row?.enabled === 1;
    if (this.enabled.size >= TARGETS_CACHE_LIMIT) this.enabled.clear();
    this.enabled.set(developId, on);
    return on;
  }

  drop(developId: string): void {
    this.enabled.delete(developId);
  }

  clear(): void {
    this.enabled.clear();
  }
}

// One cache per running app, keyed by its change feed (one per app).
const targets = new WeakMap<object, CallbackTargets>();

function targetsOf(deps: Pick<AppDeps, 'changes'>): CallbackTargets {
  let t = targets.get(deps.changes);
  if (!t) {
    const created = new CallbackTargets();
    deps.changes.subscribe(CALLBACK_ENDPOINT_CHANGED, {
      onChange: (developId) => created.drop(developId),
      onReset: () => created.clear(),
    });
    targets.set(deps.changes, created);
    t = created;
  }
  return t;
}

/** Tells every process that a developer's callback URL changed (saved, disabled, enabled), in `db`'s transaction. */
export function publishEndpointChange(deps: Pick<AppDeps, 'changes'>, db: Executor, developId: string): Promise<void> {
  targetsOf(deps);
  return deps.changes.publish(db, CALLBACK_ENDPOINT_CHANGED, developId);
}

export interface NewMessage {
  developId: string;
  userId: string | null;
  /** 0 Taobao, 1 1688, null for messages about the callback URL itself. */
  platform: number | null;
  type: string;
  objectType: MessagesTable['object_type'];
  objectId: string;
  /** Greater than the version of every earlier message about the object. */
  version: number;
  /** JSON of `messageBody`. */
  body: string;
}

type MessageRow = {
  id: string;
  developId: string;
  userId: string | null;
  platform: number;
  type: string;
  objectType: string;
  objectId: string;
  version: number;
  body: string;
  now: number;
  delivery: string;
  nextAttemptAt: number | null;
};

const insertRow = prepared((db, a: MessageRow) =>
  db.insertInto('messages').values({
    id: a.id,
    develop_id: a.developId,
    user_id: a.userId,
    message_platform: a.platform,
    message_type: a.type,
    object_type: a.objectType as MessagesTable['object_type'],
    object_id: a.objectId,
    version: a.version,
    body: a.body,
    created_at: a.now,
    delivery: a.delivery as MessagesTable['delivery'],
    attempts: 0,
    round_attempts: 0,
    next_attempt_at: a.nextAttemptAt,
    lease_owner: null,
    delivered_at: null,
  }),
);

/** Writes a message in the caller's transaction, queued when its developer has an enabled callback URL; its id. */
export async function insertMessage(db: Executor, deps: WriterDeps, m: NewMessage): Promise<string> {
  const now = deps.clock.now();
  const id = deps.ids.next(now);
  const deliver = await targetsOf(deps).has(db, m.developId);
  await insertRow(db, {
    id,
    developId: m.developId,
    userId: m.userId,
    // The column is not null: messages about the URL itself carry -1 and are answered with null.
    platform: m.platform ?? -1,
    type: m.type,
    objectType: m.objectType,
    objectId: m.objectId,
    version: m.version,
    body: m.body,
    now,
    delivery: deliver ? 'pending' : 'held',
    nextAttemptAt: deliver ? now : null,
  });
  return id;
}
