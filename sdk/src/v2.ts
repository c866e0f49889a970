import type { operations } from './generated/openapi.js';
import { V2_OPERATIONS } from './generated/v2-operations.js';
import type { OperationData } from './operations.js';
import type { MutationOptions, Query, RequestOptions } from './transport.js';

/**
 * PandaPon's v2 surface (`/v2/taobao/...`, `/v2/alibaba/...`, `/v2/open/...`): every operation by name, typed from
 * the OpenAPI document, with one input object whose fields go to the query, the path or the JSON body as the
 * operation takes them. Goods, SKU, offer and order ids are opaque strings on v2; a v1 id is accepted as input too.
 *
 * ```ts
 * const page = await client.v2.taobaoSearch({ keyword: '电动车', pageSize: 5 });
 * const product = await client.v2.taobaoGetProduct({ itemId: page.list[0].itemId });
 * ```
 */

/** What {@link V2Api} needs from the client. */
interface SignedRequest {
  request<T>(method: string, path: string, options?: RequestOptions): Promise<T>;
}

type V2Names = keyof typeof V2_OPERATIONS;
type OperationIdOf<N extends V2Names> = (typeof V2_OPERATIONS)[N]['operationId'] & keyof operations;

type JsonBody<O> = O extends { requestBody?: infer B }
  ? NonNullable<B> extends { content: { 'application/json': infer J } }
    ? J
    : unknown
  : unknown;
type Part<P> = [P] extends [undefined] ? unknown : [P] extends [never] ? unknown : NonNullable<P>;
type Fields<O> = O extends { parameters: { query?: infer Q; path?: infer P } }
  ? Part<Q> & Part<P> & JsonBody<O>
  : JsonBody<O>;

/** The input of the v2 operation `N`: its query, path and body fields in one object. */
export type V2Input<N extends V2Names> = Fields<operations[OperationIdOf<N>]>;
/** The `data` of the v2 operation `N`'s answer. */
export type V2Data<N extends V2Names> = OperationData<OperationIdOf<N>>;
type Options = MutationOptions & { userId?: string };

/** Every v2 operation: `client.v2.<name>(input, options)` resolves to the answer's `data`. */
export type V2Api = {
  // An operation whose every input field is optional may be called without an input.
  [N in V2Names]: Record<never, never> extends V2Input<N>
    ? (input?: V2Input<N>, options?: Options) => Promise<V2Data<N>>
    : (input: V2Input<N>, options?: Options) => Promise<V2Data<N>>;
};

/** The v2 operations of a client: each call splits its input as the operation's table says and signs it. */
export function v2Api(client: SignedRequest): V2Api {
  const api: Record<string, (input?: Record<string, unknown>, options?: Options) => Promise<unknown>> = {};
  for (const [name, op] of Object.entries(V2_OPERATIONS)) {
    const inQuery = new Set<string>(op.query);
    const inPath = new Set<string>(op.params);
    api[name] = (input = {}, options = {}) => {
      const query: Query = {};
      const body: Record<string, unknown> = {};
      let path: string = op.path;
      for (const [field, value] of Object.entries(input)) {
        if (inPath.has(field)) path = path.replace(`{${field}}`, encodeURIComponent(String(value)));
        else if (inQuery.has(field)) query[field] = value as Query[string];
        else body[field] = value;
      }
      return client.request(op.method, path, { ...options, query, ...(op.body ? { body } : {}) });
    };
  }
  return api as unknown as V2Api;
}
