import callbackFile from '../test-vectors/callbacks.json' with { type: 'json' };
import file from '../test-vectors/signature.json' with { type: 'json' };
import type { SignatureMethod } from './signing.js';

/**
 * One published signature test vector (`test-vectors/signature.json`): the inputs of a request and
 * what a correct implementation derives from them.
 */
export interface SignatureVector {
  name: string;
  description: string;
  method: string;
  /** Path and raw query exactly as sent. */
  url: string;
  /** The exact UTF-8 text sent, or null for no body. */
  body: string | null;
  accessKey: string;
  accessSecret: string;
  timestamp: string;
  nonce: string;
  userId: string;
  signatureMethod: SignatureMethod;
  canonicalQuery: string;
  /** HMAC-SHA256 vectors only. */
  canonicalString?: string;
  /** MD5 vectors only: the text that is hashed. */
  md5Text?: string;
  signature: string;
}

/** Every published vector. */
export const signatureVectors: readonly SignatureVector[] = (file as { vectors: SignatureVector[] }).vectors;

/**
 * One published callback signature vector (`test-vectors/callbacks.json`): a delivery's inputs and the
 * `webhook-signature` header a correct implementation of Standard Webhooks derives from them.
 */
export interface CallbackVector {
  name: string;
  description: string;
  /** `whsec_` secrets; several while a secret is rotated, the newest first. */
  secrets: string[];
  /** `webhook-id`. */
  id: string;
  /** `webhook-timestamp`, seconds since the epoch. */
  timestamp: number;
  /** The exact UTF-8 text sent. */
  body: string;
  /** `webhook-signature`: one `v1,<base64>` per secret, separated by spaces. */
  signature: string;
}

/** Every published callback vector. */
export const callbackVectors: readonly CallbackVector[] = (callbackFile as { vectors: CallbackVector[] }).vectors;
