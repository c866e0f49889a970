import Type, { type TSchema } from 'typebox';

export type { Static, TSchema } from 'typebox';
export { Type };

/**
 * Schema helpers shared by every route. Each field carries a description and an example, which the
 * OpenAPI document shows.
 */

/** An id: a decimal string. Clients may send a JSON number; it is read as a string. */
export const Id = (description: string, example = '1795432287562383360') =>
  Type.String({ description, examples: [example], pattern: '^[0-9]{1,20}$', minLength: 1, maxLength: 20 });

/** A bounded integer: bounds keep numbers within 2^53, so a huge number is a 40001, not a lossy value. */
export const Int = (description: string, min: number, max: number, example?: number) =>
  Type.Integer({ description, minimum: min, maximum: max, ...(example === undefined ? {} : { examples: [example] }) });

/** Epoch milliseconds. */
export const EpochMs = (description: string) =>
  Type.Integer({ description, minimum: 0, maximum: 8_640_000_000_000_000, examples: [1715669977082] });

export const Text = (description: string, max: number, example?: string, min = 0) =>
  Type.String({
    description,
    maxLength: max,
    minLength: min,
    ...(example === undefined ? {} : { examples: [example] }),
  });

export const LanguageField = Type.Optional(
  Type.Union([Type.Literal('en'), Type.Literal('zh'), Type.Literal('vi'), Type.Literal('th'), Type.Literal('es')], {
    description: 'Language of `msg` and translated fields (defaults to Accept-Language, then en)',
    examples: ['en'],
  }),
);

/** Marks a field that the contract sends as a JSON-encoded string; the parsed value is also accepted. */
export const JSON_STRING = 'x-json-string';

export function JsonString<T extends TSchema>(inner: T, description: string): T {
  return { ...inner, description, [JSON_STRING]: true };
}

/** Taobao-style paging. */
export const PageNo = Type.Optional(Int('Page number, from 1', 1, 100_000, 1));
export const PageSize = Type.Optional(Int('Page size, at most 50', 1, 50, 20));

/** A strict object: unknown fields answer 40001 naming them. */
export function Strict<P extends Parameters<typeof Type.Object>[0]>(properties: P, description?: string) {
  return Type.Object(properties, { additionalProperties: false, ...(description ? { description } : {}) });
}
