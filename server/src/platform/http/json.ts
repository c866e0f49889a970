import { isSafeNumber, parse as parseLossless } from 'lossless-json';
import { invalidParameter } from './errors.js';

export const MAX_JSON_DEPTH = 32;

/** Fails with 40001 when arrays and objects nest deeper than `max` (checked before parsing). */
function checkDepth(text: string, field: string, max: number): void {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92 /* \ */) i++;
      else if (c === 34 /* " */) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 /* { */ || c === 91 /* [ */) {
      if (++depth > max) throw invalidParameter(field, 'jsonTooDeep', { max });
    } else if (c === 125 /* } */ || c === 93 /* ] */) depth--;
  }
}

/**
 * Numbers a double holds exactly are JS numbers; any other (integers beyond 2^53, long decimals)
 * stays as its exact text, so an id reaches handlers digit for digit, and an integer field given
 * such a value answers 40001 instead of being rounded.
 */
function parseNumber(text: string): number | string {
  return isSafeNumber(text) ? Number(text) : text;
}

const LONG_DIGITS = /\d{16,}/;
const POISON_KEY = /"(?:__proto__|constructor|prototype)"\s*:/;

/**
 * Parses JSON text without losing large integers (ids of 19 digits reach handlers as strings), with
 * a nesting limit and without keys that could poison prototypes. Errors are 40001 naming `field`.
 */
export function parseJsonLossless(text: string, field = 'body', maxDepth = MAX_JSON_DEPTH): unknown {
  checkDepth(text, field, maxDepth);
  if (POISON_KEY.test(text)) throw invalidParameter(field, 'forbiddenKey');
  try {
    // JSON.parse is much faster; only text that may hold a long integer needs the lossless parser.
    return LONG_DIGITS.test(text) ? parseLossless(text, undefined, parseNumber) : JSON.parse(text);
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    throw invalidParameter(field, 'malformedJson', { detail: why });
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Decodes request bytes as strict UTF-8 (40001 on invalid sequences). */
export function decodeUtf8(bytes: Uint8Array, field = 'body'): string {
  try {
    return utf8.decode(bytes);
  } catch {
    throw invalidParameter(field, 'notUtf8');
  }
}

/** A value validation accepted that cannot be stored as it is, and why (a reason id of reasons.ts). */
export interface Unstorable {
  field: string;
  reason: 'notFinite' | 'nulCharacter';
}

/**
 * The first value that cannot be stored, or undefined: a number that is not finite (Ajv coerces strings
 * such as `Infinity` or `1e309` to Infinity and then skips its range checks for non-finite numbers), or a
 * string holding the NUL character (PostgreSQL's text refuses it, and no field of the contract needs it).
 * The route helper looks after validation, so that every route refuses both the same way on both databases.
 */
export function findUnstorable(value: unknown, at: string): Unstorable | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? undefined : { field: at, reason: 'notFinite' };
  if (typeof value === 'string') return value.includes('\u0000') ? { field: at, reason: 'nulCharacter' } : undefined;
  if (typeof value !== 'object' || value === null) return undefined;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findUnstorable(value[i], `${at}[${i}]`);
      if (found) return found;
    }
    return undefined;
  }
  for (const [k, v] of Object.entries(value)) {
    const found = findUnstorable(v, at ? `${at}.${k}` : k);
    if (found) return found;
  }
  return undefined;
}
