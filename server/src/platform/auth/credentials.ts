import type { RateDecision } from '../http/rate-limit.js';
import type { KeyCache } from './key-cache.js';
import type { KeyRecord, KeyState } from './records.js';

export type { KeyRecord, KeyState, SubAccountState } from './records.js';

/** `stale`: the developer's credentials changed since the record was read; nothing was recorded. */
export type NonceOutcome = 'recorded' | 'replayed' | 'stale';

export interface CredentialStore {
  /** One database read: the key with its developer's state and the sub-account `userId`, if it is the developer's. */
  lookup(accessKey: string, userId: string): Promise<KeyRecord | null>;
  /**
   * Records a nonce for the key, only if the developer is active and still at `key.authVersion`.
   * `replayed` when it was already used and has not expired. A store that takes the key's rate-limit token in the
   * same statement answers the decision in `rate` (then the caller takes no other).
   */
  useNonce(
    key: KeyState,
    nonce: string,
    expiresAt: number,
    now: number,
  ): Promise<{ outcome: NonceOutcome; rate?: RateDecision }>;
  /** This process's copy of key records (see key-cache.ts); the process that changes credentials drops them. */
  readonly cache: KeyCache;
}

/** Who is calling, once the signature is verified. */
export interface AuthContext {
  developId: string;
  accessKey: string;
  userId: string;
  isMainAccount: boolean;
}
