import { OpaqueIds as Opaque, type OpaqueIds, type OpaqueKind } from '../../crypto/opaque-ids.js';
import { ApiError, type ErrorParams, notFound } from '../errors.js';
import type { ReasonId } from '../reasons.js';
import { type AnyRoute, type HandlerContext, PreSerialized } from '../route.js';
import type { TSchema } from '../schema.js';
import { v2PlaceOf } from './paths.js';
import { type IdCodec, type Translate, takesOpaqueIds, translatesAlike, translator, v2Schema } from './schemas.js';

/**
 * The v2 twin of a v1 route (docs/adr/0019): PandaPon's v2 path, the v2 shapes of its schemas (opaque ids, v2
 * field names), and a handler that carries the request to the v1 handler and its answer back. One
 * implementation serves both: the twin adds no behaviour of its own but the ids and the names.
 */

/** What a 40401 names for an unknown opaque id of each kind. */
const UNKNOWN: Record<OpaqueKind, ReasonId> = {
  'taobao-item': 'item',
  'taobao-sku': 'sku',
  'taobao-mp': 'itemOrMpId',
  'taobao-mp-sku': 'sku',
  'alibaba-offer': 'offer',
  'alibaba-sku': 'sku',
  'alibaba-spec': 'sku',
  order: 'order',
  'order-part': 'order',
  'order-line': 'order',
};

/** Kinds whose v1 ids may look like an opaque id (1688's specIds are 32 hex characters): such a value is v1's. */
const TEXT_KINDS = new Set<OpaqueKind>(['alibaba-spec']);

/**
 * The codec of a request: opaque ids in, opaque ids out; an opaque id not made here for the kind is 40401. `named`
 * collects the v1 id of each opaque id the request sent, so that an error of the v1 handler names what was sent.
 */
export function idCodec(ids: OpaqueIds, named = new Map<string, string>()): IdCodec {
  return {
    toV1(kinds, value, wellFormed) {
      if (Opaque.looksOpaque(value)) {
        for (const kind of kinds) {
          const id = ids.decode(kind, value);
          if (id !== null) {
            named.set(id, value);
            return id;
          }
        }
        // A v1 id that has an opaque id's shape (1688's specIds are 32 hex characters) is v1's to look up.
        if (!(wellFormed && kinds.some((k) => TEXT_KINDS.has(k)))) throw notFound(UNKNOWN[kinds[0] ?? 'order'], value);
      }
      if (!wellFormed) throw notFound(UNKNOWN[kinds[0] ?? 'order'], value);
      return value;
    },
    lookup(thing, value, wellFormed) {
      if (!wellFormed) throw notFound(thing, value);
      return value;
    },
    toV2: (kind, id) => ids.encode(kind, id),
    echo: (id) => named.get(id) ?? id,
  };
}

/** `value` with every string or number equal to a v1 id in `named` replaced by the opaque id sent for it. */
function renamed(value: unknown, named: Map<string, string>): unknown {
  if (typeof value === 'string' || typeof value === 'number') return named.get(String(value)) ?? value;
  if (Array.isArray(value)) return value.map((v) => renamed(v, named));
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, renamed(v, named)]));
}

const capitalised = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** Whether the route has a v2 twin: a signed route under one of the contract's prefixes. */
export function hasV2Twin(route: AnyRoute): boolean {
  return (route.auth === 'signed' || route.auth === 'signed-or-query') && v2PlaceOf(route.method, route.url) !== null;
}

type Context = HandlerContext<TSchema | undefined, TSchema | undefined, TSchema | undefined, unknown>;

const carry = (t: Translate | null, value: unknown, ids: IdCodec) => (t && value !== undefined ? t(value, ids) : value);

/** The v2 twin of a route that has one (see hasV2Twin). */
export function v2Twin(route: AnyRoute): AnyRoute {
  const place = v2PlaceOf(route.method, route.url);
  if (!place || !hasV2Twin(route)) throw new Error(`${route.operationId} has no v2 twin`);
  // The v1 query's fields become the body when v2 changes GET to POST.
  const queryAsBody = route.method === 'GET' && place.method !== 'GET';
  const v1Body: TSchema | undefined = queryAsBody ? route.query : route.body;
  const inQuery = queryAsBody ? null : translator(route.query, 'in');
  const inBody = translator(v1Body, 'in');
  const inParams = translator(route.params, 'in');
  const out = translator(route.data, 'out');
  // A read's cached answer (a PreSerialized copy, served many times) is translated once, when its v2 form is the
  // same for every request.
  const translated = out && translatesAlike(route.data) ? new WeakMap<object, PreSerialized<unknown>>() : null;
  const v1 = `\`${route.method} ${route.url}\``;
  return {
    ...route,
    method: place.method,
    url: place.url,
    operationId: `v2${capitalised(route.operationId)}`,
    summary: route.summary,
    description:
      `The v2 twin of ${v1}: the same behaviour, with goods, SKU, offer and order ids exchanged as opaque ids` +
      `${queryAsBody ? ' and the query’s fields in a JSON body' : ''}.${route.description ? `\n\n${route.description}` : ''}`,
    tags: route.tags.map((t) => `v2 ${t}`),
    // An opaque id that is not one of this deployment's is unknown, whatever the v1 route answers otherwise.
    errors: [route.query, route.body, route.params].some(takesOpaqueIds)
      ? [...new Set([...(route.errors ?? []), 40401 as const])]
      : route.errors,
    nonceOptional: true,
    query: queryAsBody ? undefined : v2Schema(route.query, 'in'),
    body: v2Schema(v1Body, 'in'),
    params: v2Schema(route.params, 'in'),
    data: v2Schema(route.data, 'out'),
    handler: async (ctx: Context) => {
      const named = new Map<string, string>();
      const ids = idCodec(ctx.deps.opaqueIds, named);
      const body = carry(inBody, ctx.body, ids);
      const answer = await route
        .handler({
          ...ctx,
          v2: ids,
          query: queryAsBody ? body : carry(inQuery, ctx.query, ids),
          body: queryAsBody ? undefined : body,
          params: carry(inParams, ctx.params, ids),
          answerIn: (trx, data) => ctx.answerIn(trx, carry(out, data, ids)),
        })
        .catch((err: unknown) => {
          // "Not found: order 1795…" would tell the v1 id behind an opaque one: the error names what was sent.
          if (!(err instanceof ApiError) || named.size === 0) throw err;
          throw new ApiError(err.code, renamed(err.params, named) as ErrorParams, err.headers);
        });
      if (!out) return answer;
      if (!(answer instanceof PreSerialized)) return out(answer, ids);
      const known = translated?.get(answer);
      if (known) return known;
      const v2 = PreSerialized.of(out(JSON.parse(answer.json) as unknown, ids));
      translated?.set(answer, v2);
      return v2;
    },
  };
}
