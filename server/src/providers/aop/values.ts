import { UpstreamError } from '../errors.js';
import { scaledInteger, scaledText } from '../units.js';

export { fenToYuan } from '../units.js';

/**
 * The value conventions of 1688's open platform (ADR 0016), converted without floating point: catalogue
 * prices are yuan written as decimal text (`'12.30'`), weights are kilograms, and ids are integers that
 * may exceed 2^53 (the client hands those over as their exact digits).
 */

/** The value, or a `TypeError` naming what was not a decimal. */
function must(n: number | null, value: unknown, what: string): number {
  if (n === null) throw new TypeError(`${what}: not a decimal in range (${String(value)})`);
  return n;
}

/**
 * Yuan (decimal text or a JSON number) to integer fen: `'12.30'` → 1230, `'9.9'` → 990, `'7'` → 700; a price written
 * past the fen rounds half up (1688 writes some computed prices so).
 */
export function yuanToFen(value: unknown, what = 'price'): number {
  return must(scaledInteger(value, 2, 'half-up', true), value, what);
}

/** Kilograms to whole grams, rounded: `0.448` → 448, `'1.2'` → 1200. */
export function kgToGrams(value: unknown, what = 'weight'): number {
  return must(scaledInteger(value, 3, 'half-up', true), value, what);
}

/** Integer grams to the kilograms 1688 writes, without trailing zeros: 448 → `'0.448'`, 1200 → `'1.2'`. */
export function gramsToKg(grams: number): string {
  if (!Number.isSafeInteger(grams) || grams < 0) throw new TypeError(`grams must be a whole number, not ${grams}`);
  return scaledText(grams, 3).replace(/\.?0+$/, '');
}

/**
 * An id as text. The client parses integers a double cannot hold as their digits (a string), and the
 * others as numbers, which are exact integers here: either way no digit is lost. Anything else (a
 * fraction, an unsafe double made elsewhere) is refused rather than guessed at.
 */
export function idText(value: unknown, api: string, field: string): string {
  if (typeof value === 'string' && /^\d+$/.test(value)) return value;
  if (typeof value === 'bigint' && value >= 0n) return value.toString();
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return String(value);
  throw new UpstreamError(api, `${field} is not an id (${String(value)})`);
}

/** An optional id: null when absent, empty or zero (the gateway writes 0 for "none"). */
export function optionalId(value: unknown, api: string, field: string): string | null {
  if (value === undefined || value === null || value === '' || value === 0 || value === '0') return null;
  return idText(value, api, field);
}

/** A whole number the gateway may write as a number or as text (`soldOut` is a String). */
export function count(value: unknown): number {
  if (typeof value === 'number' && Number.isFinite(value)) return Math.trunc(value);
  if (typeof value === 'string' && /^\d+$/.test(value.trim())) return Number.parseInt(value.trim(), 10);
  return 0;
}
