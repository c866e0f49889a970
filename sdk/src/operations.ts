import type { operations } from './generated/openapi.js';

/** Types of the API's operations, read from the generated OpenAPI types; the resource modules share them. */
type JsonOf<R> = R extends { content: { 'application/json': infer J } } ? J : never;
/** The `data` of a successful answer of the operation `K` of the OpenAPI document. */
export type OperationData<K extends keyof operations> = operations[K]['responses'] extends { 200: infer R }
  ? JsonOf<R> extends { data: infer D }
    ? D
    : never
  : never;
/** The JSON request body of the operation `K`. */
export type OperationBody<K extends keyof operations> = operations[K] extends { requestBody?: infer B }
  ? JsonOf<NonNullable<B>>
  : never;
/** The query parameters of the operation `K`. */
export type OperationQuery<K extends keyof operations> = NonNullable<operations[K]['parameters']['query']>;
