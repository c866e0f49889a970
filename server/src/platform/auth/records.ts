/** What request authentication needs to know about a key, read with its developer's state. */
export interface KeyState {
  accessKey: string;
  developId: string;
  secretSealed: string;
  previousSecretSealed: string | null;
  previousExpiresAt: number | null;
  legacyMd5: boolean;
  /** v2 requests may leave out `nonce-str`; they are then used once by their signature (docs/adr/0019). */
  nonceless: boolean;
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
