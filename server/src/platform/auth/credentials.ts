import type { KeyCache } from './key-cache.js';

/** What request authentication needs to know about a key, read with its developer's state. */
export interface KeyState {
  accessKey: string;
  developId: string;
  secretSealed: string;
  previousSecretSealed: string | null;
  previousExpiresAt: number | null;
  legacyMd5: boolean;
  /** False when the key is revoked or its developer disabled. */
  usable: boolean;
  /**
   * The developer's credentials version when this was read: every change that affects authentication
   * (keys, developer status, sub-account status) raises it in the transaction of the change.
   */
  authVersion: number;
}

/** The state of the sub-account named by `user-id`. */
export interface SubAccountState {
  userId: string;
  isMain: boolean;
  active: boolean;
}

export interface KeyRecord extends KeyState {
  /** The sub-account named by `user-id`, when it belongs to the key's developer. */
  subAccount: SubAccountState | null;
}

/** `stale`: the developer's credentials changed since the record was read; nothing was recorded. */
export type NonceOutcome = 'recorded' | 'replayed' | 'stale';

export interface CredentialStore {
  /** One database read: the key with its developer's state and the sub-account `userId`, if it is the developer's. */
  lookup(accessKey: string, userId: string): Promise<KeyRecord | null>;
  /**
   * Records a nonce for the key, only if the developer is active and still at `key.authVersion`.
   * `replayed` when it was already used and has not expired.
   */
  useNonce(key: KeyState, nonce: string, expiresAt: number, now: number): Promise<NonceOutcome>;
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
