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
