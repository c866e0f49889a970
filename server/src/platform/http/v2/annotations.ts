import type { OpaqueKind } from '../../crypto/opaque-ids.js';
import type { ReasonId } from '../reasons.js';
import type { TSchema } from '../schema.js';

/**
 * Marks on the route schemas that make their v2 twins (docs/adr/0019): the one schema of a field says what v1
 * validates and what v2 exchanges instead. Both marks are left out of the OpenAPI document, which shows the v2
 * shapes under the v2 operations.
 */

/** The field holds an id of this kind: v2 exchanges it as an opaque id. */
export const OPAQUE_ID = 'x-opaque-id';
/** The field has another name on v2 (PandaPon's v2 pages: `itemMapId`, `offerMapId`). */
export const V2_NAME = 'x-v2-name';

/**
 * Fields an object has only on v2 (PandaPon's v2 cart add: `aliShopId`, `priceRanges`, `quoteType`): v2 validates
 * them, and the twin leaves them out of what it hands the v1 handler.
 */
export const V2_EXTRA = 'x-v2-extra';

/**
 * A plain id field (not opaque) that v2 looks up: any text is accepted, and one that is not a well-formed v1 id is
 * unknown (40401 naming `thing`), as PandaPon's v2 examples (`"refundId": "string"`) expect. v1 answers 40001.
 */
export const V2_LOOKUP = 'x-v2-lookup';

/** With `OPAQUE_ID`: the field holds several ids in one string, separated by this (1688's `"1,2"`). */
export const OPAQUE_SEPARATOR = 'x-opaque-separator';

/** Every mark: keywords the validator must accept, and the OpenAPI document leaves out. */
export const V2_MARKS = [OPAQUE_ID, OPAQUE_SEPARATOR, V2_NAME, V2_EXTRA, V2_LOOKUP] as const;

/** A copy of `schema` with `marks` added, keeping TypeBox's own (non-enumerable) markers such as optional. */
function marked<T extends TSchema>(schema: T, marks: Record<string, unknown>): T {
  const copy = Object.create(Object.getPrototypeOf(schema), Object.getOwnPropertyDescriptors(schema)) as T;
  return Object.assign(copy, marks);
}

/**
 * An id field that v2 exchanges as an opaque id of `kind`. Mark the id's own schema (inside `Type.Optional`).
 * A field that holds ids of one of several kinds (the freight endpoints take a Taobao item or a 1688 offer) lists
 * them: a request's opaque id is read as the first kind it is one of, and an answer repeats the opaque id the
 * request sent for the id (else the v1 id, whose kind the schema cannot tell).
 */
export function OpaqueId<T extends TSchema>(kind: OpaqueKind | readonly OpaqueKind[], schema: T): T {
  return marked(schema, { [OPAQUE_ID]: kind });
}

/** A text field holding several ids of `kind` separated by `separator`: on v2 each is its opaque id. */
export function OpaqueIdList<T extends TSchema>(kind: OpaqueKind, separator: string, schema: T): T {
  return marked(schema, { [OPAQUE_ID]: kind, [OPAQUE_SEPARATOR]: separator });
}

/** A field named `name` on v2. Mark the field's own schema (inside `Type.Optional`). */
export function V2Name<T extends TSchema>(name: string, schema: T): T {
  return marked(schema, { [V2_NAME]: name });
}

/** A plain id field that v2 looks up (see V2_LOOKUP); `thing` is what a 40401 names (a reason id). */
export function LookupId<T extends TSchema>(thing: ReasonId, schema: T): T {
  return marked(schema, { [V2_LOOKUP]: thing });
}

/** An object that takes `fields` besides its own on v2 (each optional); the v1 handler never sees them. */
export function V2Extra<T extends TSchema>(fields: Record<string, TSchema>, schema: T): T {
  return marked(schema, { [V2_EXTRA]: fields });
}
