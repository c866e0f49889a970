import { OPAQUE_PATTERN, type OpaqueKind } from '../../crypto/opaque-ids.js';
import type { ReasonId } from '../reasons.js';
import type { TSchema } from '../schema.js';
import { OPAQUE_ID, OPAQUE_SEPARATOR, V2_EXTRA, V2_LOOKUP, V2_NAME } from './annotations.js';
import type { IdCodec } from './codec.js';

/**
 * The v2 shape of a v1 schema and the functions that carry values between the two (docs/adr/0019): fields
 * marked `OpaqueId` become opaque ids, fields marked `V2Name` take their v2 name. Everything else is the v1
 * schema itself, so validation, the OpenAPI document and the SDK's types of v2 come from the same schemas.
 */

type Node = Record<string, unknown>;
/** `in`: a request's schema (v2 accepts an opaque id or the v1 id); `out`: an answer's (always opaque). */
export type Direction = 'in' | 'out';
export type { IdCodec } from './codec.js';

/** Turns a value of one shape into the other; values of an unexpected shape pass unchanged (validation had them). */
export type Translate = (value: unknown, ids: IdCodec) => unknown;

const OPAQUE_EXAMPLES: Record<OpaqueKind, string> = {
  'taobao-item': 'WUnUC1cILiBjt-Jv3lDdlQ',
  'taobao-sku': 'r3Pq0f6mZ1bX8cWkTnA2Yg',
  'taobao-mp': 'Qd7Ls2ZxN4vB9mHc1KpT0w',
  'taobao-mp-sku': 'Zt3Kc8Wm1PqX6vNb0LrD4g',
  'alibaba-offer': 'f6vE-dfY1NV37oG_fz9WSA',
  'alibaba-sku': 'H2kPz8QwL5mN0vXc3RtB7g',
  'alibaba-spec': 'a9Xk2LmQ7pRt0ZbW4vNc8yEh3Jd6Fs1Gu5Ko',
  order: 'p0Lr7VbN3xQm9ZcK2tWs5A',
  'order-part': 'Yc4Nw8Rk1ZpT6mQx0vLb3g',
  'order-line': 'Jm5Tq2Xz9BvK7cNw4pRd1A',
};

const isNode = (s: unknown): s is Node => typeof s === 'object' && s !== null && !Array.isArray(s);
const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const marksOf = new WeakMap<object, boolean>();

/** Whether the schema or anything inside it carries a v2 mark. */
function hasMarks(s: unknown): boolean {
  if (Array.isArray(s)) return s.some(hasMarks);
  if (!isNode(s)) return false;
  const known = marksOf.get(s);
  if (known !== undefined) return known;
  const found = OPAQUE_ID in s || V2_NAME in s || V2_EXTRA in s || V2_LOOKUP in s || Object.values(s).some(hasMarks);
  marksOf.set(s, found);
  return found;
}

/**
 * Whether an answer of this schema translates the same whatever the request: no field of several kinds, whose v2
 * form repeats what the request sent.
 */
export function translatesAlike(s: TSchema | undefined): boolean {
  const walk = (n: unknown): boolean =>
    Array.isArray(n)
      ? n.every(walk)
      : !isNode(n) ||
        (!(Array.isArray(n[OPAQUE_ID]) && (n[OPAQUE_ID] as unknown[]).length > 1) && Object.values(n).every(walk));
  return s === undefined || walk(s);
}

/** Whether a request of this schema may name an opaque id (so may be answered 40401 for one that is unknown). */
export function takesOpaqueIds(s: TSchema | undefined): boolean {
  const walk = (n: unknown): boolean =>
    Array.isArray(n) ? n.some(walk) : isNode(n) && (OPAQUE_ID in n || Object.values(n).some(walk));
  return s !== undefined && hasMarks(s) && walk(s);
}

function withoutMarks(s: Node): Node {
  const {
    [OPAQUE_ID]: _id,
    [OPAQUE_SEPARATOR]: _separator,
    [V2_NAME]: _name,
    [V2_EXTRA]: _extra,
    [V2_LOOKUP]: _lookup,
    ...rest
  } = s;
  return rest;
}

const extraOf = (s: Node): Node | undefined => (isNode(s[V2_EXTRA]) ? (s[V2_EXTRA] as Node) : undefined);

const isNullable = (s: Node): boolean =>
  Array.isArray(s.anyOf) && (s.anyOf as Node[]).some((b) => isNode(b) && b.type === 'null');

/** Whether the v1 field is a JSON integer (then an id given on v2 reaches the v1 handler as a number). */
function isInteger(s: Node): boolean {
  if (s.type === 'integer') return true;
  return Array.isArray(s.anyOf) && (s.anyOf as Node[]).some((b) => isNode(b) && b.type === 'integer');
}

const kindsOf = (s: Node): readonly OpaqueKind[] | undefined => {
  const k = s[OPAQUE_ID] as OpaqueKind | readonly OpaqueKind[] | undefined;
  return k === undefined ? undefined : typeof k === 'string' ? [k] : k;
};

function idSchema(kinds: readonly OpaqueKind[], v1: Node, direction: Direction): Node {
  const kind = kinds[0] as OpaqueKind;
  const base = withoutMarks(v1);
  const description = typeof base.description === 'string' ? `${base.description}. ` : '';
  if (direction === 'in') {
    return {
      description: `${description}On v2 its opaque id; the v1 id is accepted too, and any other text is unknown (40401)`,
      examples: [OPAQUE_EXAMPLES[kind]],
      anyOf: [
        { ...base, description: 'The v1 id' },
        { type: 'string', minLength: 1, maxLength: 300, description: `The opaque id (${OPAQUE_PATTERN})` },
      ],
    };
  }
  const opaque = { type: 'string', description: `${description}An opaque id`, examples: [OPAQUE_EXAMPLES[kind]] };
  return isNullable(base) ? { description: opaque.description, anyOf: [opaque, { type: 'null' }] } : opaque;
}

function lookupSchema(v1: Node): Node {
  const base = withoutMarks(v1);
  const description = typeof base.description === 'string' ? `${base.description}. ` : '';
  return {
    description: `${description}On v2 any other text is an unknown id (40401)`,
    anyOf: [base, { type: 'string', minLength: 1, maxLength: 300 }],
  };
}

/** Whether a string is what the v1 field accepts (its pattern and lengths, or an integer within its bounds). */
function conforms(s: Node): (v: string) => boolean {
  if (Array.isArray(s.anyOf)) {
    const branches = (s.anyOf as unknown[]).filter(isNode).map(conforms);
    return (v) => branches.some((b) => b(v));
  }
  if (s.type === 'integer') {
    const [min, max] = [Number(s.minimum ?? Number.MIN_SAFE_INTEGER), Number(s.maximum ?? Number.MAX_SAFE_INTEGER)];
    return (v) => /^-?[0-9]{1,16}$/.test(v) && Number(v) >= min && Number(v) <= max;
  }
  if (s.type !== 'string') return () => false;
  const pattern = typeof s.pattern === 'string' ? new RegExp(s.pattern, 'u') : null;
  const [min, max] = [Number(s.minLength ?? 0), Number(s.maxLength ?? Number.POSITIVE_INFINITY)];
  return (v) => v.length >= min && v.length <= max && (pattern === null || pattern.test(v));
}

const v2Of = new Map<Direction, WeakMap<object, Node>>([
  ['in', new WeakMap()],
  ['out', new WeakMap()],
]);

/** The v2 schema of a v1 schema; the v1 schema itself when nothing in it is marked. */
export function v2Schema<T extends TSchema | undefined>(schema: T, direction: Direction): T {
  return (schema === undefined ? undefined : convert(schema as unknown as Node, direction)) as T;
}

function convert(s: Node, direction: Direction): Node {
  if (!hasMarks(s)) return s;
  const cache = v2Of.get(direction) as WeakMap<object, Node>;
  const known = cache.get(s);
  if (known) return known;
  let out: Node;
  const kinds = kindsOf(s);
  if (kinds) out = idSchema(kinds, s, direction);
  else if (typeof s[V2_LOOKUP] === 'string' && direction === 'in') out = lookupSchema(s);
  else {
    out = {};
    for (const [key, value] of Object.entries(withoutMarks(s))) {
      if (key === 'properties' && isNode(value)) {
        out.properties = { ...convertProperties(value, direction), ...(direction === 'in' ? extraOf(s) : {}) };
      } else if (key === 'required' && Array.isArray(value) && isNode(s.properties)) {
        out.required = value.map((name: string) => v2NameOf((s.properties as Node)[name]) ?? name);
      } else if (Array.isArray(value)) out[key] = value.map((v) => (isNode(v) ? convert(v, direction) : v));
      else if (isNode(value) && key !== 'examples' && key !== 'default') {
        out[key] = key === 'patternProperties' ? convertProperties(value, direction) : convert(value, direction);
      } else out[key] = value;
    }
  }
  cache.set(s, out);
  return out;
}

function v2NameOf(s: unknown): string | undefined {
  return isNode(s) && typeof s[V2_NAME] === 'string' ? (s[V2_NAME] as string) : undefined;
}

function convertProperties(props: Node, direction: Direction): Node {
  const out: Node = {};
  for (const [name, value] of Object.entries(props)) {
    out[v2NameOf(value) ?? name] = isNode(value) ? convert(value, direction) : value;
  }
  return out;
}

// -- Values ------------------------------------------------------------------------------------------

const translators = new Map<Direction, WeakMap<object, Translate | null>>([
  ['in', new WeakMap()],
  ['out', new WeakMap()],
]);

/**
 * The function that carries a value of this v1 schema across: `in` from its v2 shape to v1 (opaque ids
 * decoded, v2 names back to v1 names), `out` from v1 to v2. Null when the schema has nothing to carry.
 */
export function translator(schema: TSchema | undefined, direction: Direction): Translate | null {
  return schema === undefined ? null : compile(schema as unknown as Node, direction);
}

function compile(s: Node, direction: Direction): Translate | null {
  if (!hasMarks(s)) return null;
  const cache = translators.get(direction) as WeakMap<object, Translate | null>;
  if (cache.has(s)) return cache.get(s) ?? null;
  const t = build(s, direction);
  cache.set(s, t);
  return t;
}

function idTranslator(kinds: readonly OpaqueKind[], s: Node, direction: Direction): Translate {
  const [kind] = kinds;
  if (direction === 'out' && (kinds.length > 1 || !kind)) {
    return (v, ids) => (v === null || v === undefined || v === '' ? v : ids.echo(String(v)));
  }
  if (direction === 'out' && kind) {
    // '' is no id (a Taobao cart record of an item without SKUs has skuId '').
    return (v, ids) => (v === null || v === undefined || v === '' ? v : ids.toV2(kind, String(v)));
  }
  const integer = isInteger(s);
  const wellFormed = conforms(withoutMarks(s));
  return (v, ids) => {
    if (typeof v !== 'string') return v; // the v1 id as a JSON number, validated as v1 validates it
    const id = ids.toV1(kinds, v, wellFormed(v));
    return integer ? Number(id) : id;
  };
}

function lookupTranslator(thing: ReasonId, s: Node): Translate {
  const integer = isInteger(s);
  const wellFormed = conforms(withoutMarks(s));
  return (v, ids) => {
    if (typeof v !== 'string') return v;
    const id = ids.lookup(thing, v, wellFormed(v));
    return integer ? Number(id) : id;
  };
}

function withoutSeparator(s: Node): Node {
  const { [OPAQUE_SEPARATOR]: _separator, ...rest } = s;
  return rest;
}

/** Which values a branch of a union describes. */
function shapeOf(s: Node): (v: unknown) => boolean {
  if (s.type === 'object' || isNode(s.properties)) return isPlainObject;
  if (s.type === 'array' || isNode(s.items)) return Array.isArray;
  if (s.type === 'null') return (v) => v === null;
  return (v) => v !== null && typeof v !== 'object';
}

function build(s: Node, direction: Direction): Translate | null {
  const kinds = kindsOf(s);
  const separator = s[OPAQUE_SEPARATOR];
  if (kinds && typeof separator === 'string') {
    const one = idTranslator(kinds, withoutSeparator(s), direction);
    return (v, ids) =>
      typeof v === 'string' && v !== ''
        ? v
            .split(separator)
            .map((id) => one(id, ids))
            .join(separator)
        : v;
  }
  if (kinds) return idTranslator(kinds, s, direction);
  const thing = s[V2_LOOKUP];
  if (typeof thing === 'string') return direction === 'in' ? lookupTranslator(thing as ReasonId, s) : null;
  const steps: Translate[] = [];
  if (isNode(s.properties)) {
    const fields: { from: string; to: string; t: Translate | null }[] = [];
    for (const [name, prop] of Object.entries(s.properties as Node)) {
      if (!isNode(prop) || !hasMarks(prop)) continue;
      const v2 = v2NameOf(prop) ?? name;
      const [from, to] = direction === 'in' ? [v2, name] : [name, v2];
      fields.push({ from, to, t: compile(prop, direction) });
    }
    const extra = direction === 'in' ? Object.keys(extraOf(s) ?? {}) : [];
    if (fields.length > 0 || extra.length > 0) {
      steps.push((v, ids) => {
        if (!isPlainObject(v)) return v;
        const out: Record<string, unknown> = { ...v };
        for (const name of extra) delete out[name];
        for (const { from, to, t } of fields) {
          if (!(from in v)) continue;
          const value = v[from];
          if (from !== to) delete out[from];
          out[to] = t ? t(value, ids) : value;
        }
        return out;
      });
    }
  }
  if (isNode(s.items)) {
    const t = compile(s.items as Node, direction);
    if (t) steps.push((v, ids) => (Array.isArray(v) ? v.map((x) => t(x, ids)) : v));
  }
  for (const key of ['anyOf', 'oneOf'] as const) {
    const branches = Array.isArray(s[key]) ? (s[key] as unknown[]).filter(isNode) : [];
    const ts = branches.flatMap((b) => {
      const t = compile(b, direction);
      return t ? [{ fits: shapeOf(b), t }] : [];
    });
    // Branches differ in shape (an object or null, a value or its list): the first that fits the value carries it.
    if (ts.length > 0) steps.push((v, ids) => ts.find((b) => b.fits(v))?.t(v, ids) ?? v);
  }
  if (Array.isArray(s.allOf)) {
    for (const b of s.allOf) {
      const t = isNode(b) ? compile(b, direction) : null;
      if (t) steps.push(t);
    }
  }
  const values = isNode(s.additionalProperties) ? compile(s.additionalProperties as Node, direction) : null;
  if (values) {
    steps.push((v, ids) =>
      isPlainObject(v) ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, values(x, ids)])) : v,
    );
  }
  if (steps.length === 0) return null;
  if (steps.length === 1) return steps[0] as Translate;
  return (v, ids) => steps.reduce((acc, step) => step(acc, ids), v);
}
