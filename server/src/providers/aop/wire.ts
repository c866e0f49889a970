import type { Localized } from '../types.js';

/** Reading 1688's answers, whose fields may be missing, typed loosely (`success` as text) or ids as numbers. */

export type Json = Record<string, unknown>;

/** The value as an object, or an empty one. */
export function obj(value: unknown): Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : {};
}

/** The value as an array, or an empty one. */
export function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** Ids and texts as strings, whether the gateway typed them as numbers or strings; empty when absent. */
export function text(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  return '';
}

/** True for `true` and `'true'`: some answers write `success` as text. */
export function truthy(value: unknown): boolean {
  return value === true || value === 'true';
}

/** A text with no translation: the same in every language. */
export function same(value: string): Localized {
  return { zh: value, en: value, vi: value, th: value, es: value };
}
