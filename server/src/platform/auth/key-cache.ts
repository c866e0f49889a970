import { LRUCache } from 'lru-cache';
import type { KeyRecord, KeyState, SubAccountState } from './records.js';

/**
 * This process's copy of the key records that authentication reads, so that a signed request does no
 * database read before its signature is checked. A copy may be stale (another process revoked the key,
 * rotated its secret, disabled the developer or a sub-account): every such change raises the
 * developer's credentials version, and the nonce of each request is recorded only while the version
 * is the one the request was verified against (see authenticate.ts), so a stale copy is noticed, read
 * again and checked again before any request is accepted on it.
 *
 * Keys are cached by access key and sub-accounts by developer and user-id, each with the version it
 * was read at, so that requests naming unknown user-ids neither miss nor crowd the key's entry.
 * Unusable keys (revoked, developer disabled) and user-ids that are not the developer's are not kept:
 * requests refused on them never reach the nonce write that would notice a change back.
 */
export class KeyCache {
  private readonly keys: LRUCache<string, KeyState>;
  private readonly subs: LRUCache<string, { developId: string; authVersion: number; state: SubAccountState }>;
  private readonly rechecks: LRUCache<string, { at: number; done: Promise<unknown> }>;
  private readonly recheckIntervalMs: number;

  constructor(options: { maxKeys?: number; maxSubAccounts?: number; recheckIntervalMs?: number } = {}) {
    const maxKeys = options.maxKeys ?? 10_000;
    this.keys = new LRUCache({ max: maxKeys });
    this.subs = new LRUCache({ max: options.maxSubAccounts ?? 50_000 });
    this.rechecks = new LRUCache({ max: maxKeys });
    this.recheckIntervalMs = options.recheckIntervalMs ?? 1000;
  }

  key(accessKey: string): KeyState | undefined {
    return this.keys.get(accessKey);
  }

  /** The sub-account's state, when it was read at the key's credentials version. */
  subAccount(key: KeyState, userId: string): SubAccountState | undefined {
    const entry = this.subs.get(`${key.developId}\n${userId}`);
    return entry && entry.authVersion === key.authVersion ? entry.state : undefined;
  }

  /** Keeps what a database read returned (unless a newer copy is already kept). */
  remember(record: KeyRecord): void {
    const { subAccount, ...key } = record;
    const current = this.keys.peek(key.accessKey);
    if (current && current.authVersion > key.authVersion) return;
    if (!key.usable) {
      this.keys.delete(key.accessKey);
      return;
    }
    this.keys.set(key.accessKey, key);
    if (subAccount) {
      const entry = { developId: key.developId, authVersion: key.authVersion, state: subAccount };
      this.subs.set(`${key.developId}\n${subAccount.userId}`, entry);
    }
  }

  forget(accessKey: string): void {
    this.keys.delete(accessKey);
  }

  /** Drops every copy of the developer's keys and sub-accounts: the process that changes them calls it. */
  forgetDeveloper(developId: string): void {
    const keys = [...this.keys.entries()].filter(([, k]) => k.developId === developId).map(([name]) => name);
    for (const name of keys) this.keys.delete(name);
    const subs = [...this.subs.entries()].filter(([, s]) => s.developId === developId).map(([name]) => name);
    for (const name of subs) this.subs.delete(name);
  }

  /**
   * Runs `reload` before a request is refused on a cached key (its secret may have been rotated in
   * another process), at most once per interval per key, so that a flood of bad signatures costs at
   * most one database read a second per key; requests within the interval wait for that read instead.
   */
  async recheck(accessKey: string, now: number, reload: () => Promise<unknown>): Promise<void> {
    const last = this.rechecks.get(accessKey);
    if (last && now >= last.at && now - last.at < this.recheckIntervalMs) {
      await last.done.catch(() => undefined);
      return;
    }
    const done = reload();
    this.rechecks.set(accessKey, { at: now, done });
    await done;
  }
}
