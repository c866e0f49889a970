/** What request authentication needs to know about a key and the acting sub-account. */
export interface KeyRecord {
  accessKey: string;
  developId: string;
  secretSealed: string;
  previousSecretSealed: string | null;
  previousExpiresAt: number | null;
  legacyMd5: boolean;
  /** False when the key is revoked or its developer disabled. */
  usable: boolean;
  /** The sub-account named by `user-id`, when it belongs to the key's developer. */
  subAccount: { userId: string; isMain: boolean; active: boolean } | null;
}

export interface CredentialStore {
  /** One read: the key with its developer's state and the sub-account `userId`, if it is the developer's. */
  lookup(accessKey: string, userId: string): Promise<KeyRecord | null>;
  /** Records a nonce for the key; false when it was already used and has not expired. */
  useNonce(accessKey: string, nonce: string, expiresAt: number, now: number): Promise<boolean>;
}

/** Who is calling, once the signature is verified. */
export interface AuthContext {
  developId: string;
  accessKey: string;
  userId: string;
  isMainAccount: boolean;
}
