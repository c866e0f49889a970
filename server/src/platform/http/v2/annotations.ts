import type { OpaqueKind } from '../../crypto/opaque-ids.js';
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

/** A copy of `schema` with `marks` added, keeping TypeBox's own (non-enumerable) markers such as optional. */
function marked<T extends TSchema>(schema: T, marks: Record<string, unknown>): T {
  const copy = Object.create(Object.getPrototypeOf(schema), Object.getOwnPropertyDescriptors(schema)) as T;
  return Object.assign(copy, marks);
}

/** An id field that v2 exchanges as an opaque id of `kind`. Mark the id's own schema (inside `Type.Optional`). */
export function OpaqueId<T extends TSchema>(kind: OpaqueKind, schema: T): T {
  return marked(schema, { [OPAQUE_ID]: kind });
}

/** A field named `name` on v2. Mark the field's own schema (inside `Type.Optional`). */
export function V2Name<T extends TSchema>(name: string, schema: T): T {
  return marked(schema, { [V2_NAME]: name });
}
