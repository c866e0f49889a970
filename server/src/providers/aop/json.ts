import { isSafeNumber, parse, stringify } from 'lossless-json';

/**
 * JSON as the gateway writes it: order, refund and sub-order ids are integers above 2^53, which a
 * double cannot hold. Numbers a double holds (decimals included) become numbers; any other stays as
 * its exact digits, so an id reaches the caller as a string, digit for digit.
 */
function parseNumber(text: string): number | string {
  return isSafeNumber(text, { approx: true }) ? Number(text) : text;
}

/** Parses the gateway's JSON without losing the digits of long integers. Throws on malformed text. */
export function parseAopJson(text: string): unknown {
  return parse(text, undefined, parseNumber);
}

/**
 * Writes JSON the way the gateway reads it; a `bigint` is written as a plain JSON integer, so an id
 * kept as a bigint goes out with all its digits.
 */
export function stringifyAopJson(value: unknown): string {
  return stringify(value) ?? 'null';
}
