/** Reading Taobao Global's answers, whose ids flip between numbers and strings and whose fields may be missing. */

export type Json = Record<string, unknown>;

/** The value as an object, or null. */
export function record(value: unknown): Json | null {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : null;
}

/** The objects of an array value (anything else left out); empty when it is not an array. */
export function list(value: unknown): Json[] {
  return Array.isArray(value) ? value.map(record).filter((x): x is Json => x !== null) : [];
}

/** Ids and texts as strings, whether the gateway typed them as numbers or strings; null when absent. */
export function text(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  return null;
}

/** A whole non-negative number written as a number or as digits; null otherwise. */
export function count(value: unknown): number | null {
  const n = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  return typeof n === 'number' && Number.isSafeInteger(n) && n >= 0 ? n : null;
}
