/** The parts of the server's OpenAPI document the explorer reads: operations, their parameters and bodies. */

export interface Schema {
  type?: string | string[];
  enum?: unknown[];
  anyOf?: Schema[];
  oneOf?: Schema[];
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  examples?: unknown[];
  example?: unknown;
  default?: unknown;
  description?: string;
  minimum?: number;
  maximum?: number;
  maxLength?: number;
}

interface RawParameter {
  in: string;
  name: string;
  required?: boolean;
  description?: string;
  schema?: Schema;
  example?: unknown;
}

interface RawOperation {
  operationId?: string;
  summary?: string;
  description?: string;
  tags?: string[];
  parameters?: RawParameter[];
  security?: Record<string, unknown>[];
  requestBody?: {
    required?: boolean;
    content?: Record<string, { schema?: Schema; example?: unknown }>;
  };
}

export interface OpenApiDocument {
  paths: Record<string, Record<string, RawOperation>>;
  tags?: { name: string; description?: string }[];
}

export interface Parameter {
  name: string;
  in: 'query' | 'path';
  required: boolean;
  description: string;
  /** The values it takes when it is an enumeration. */
  choices: string[] | null;
  type: string;
  example: string | null;
}

export interface Operation {
  id: string;
  method: string;
  path: string;
  summary: string;
  description: string;
  tag: string;
  parameters: Parameter[];
  /** The JSON body's schema, when the operation takes one. */
  body: { required: boolean; schema: Schema } | null;
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'];
/** Paths a developer's key cannot call: the operator's and the sandbox's. */
const NOT_FOR_DEVELOPERS = /^\/(admin|sandbox)(\/|$)/;

/** The values of an enumeration, however the schema spells it (`enum`, or `anyOf` of one-value enums). */
export function choicesOf(schema: Schema | undefined): string[] | null {
  if (!schema) return null;
  if (schema.enum) return schema.enum.map(String);
  const variants = schema.anyOf ?? schema.oneOf;
  if (variants?.length && variants.every((v) => v.enum?.length))
    return variants.flatMap((v) => (v.enum ?? []).map(String));
  return null;
}

function typeOf(schema: Schema | undefined): string {
  if (!schema) return 'string';
  if (typeof schema.type === 'string') return schema.type;
  if (Array.isArray(schema.type)) return schema.type.filter((t) => t !== 'null').join(' | ');
  const variants = schema.anyOf ?? schema.oneOf;
  if (variants) return [...new Set(variants.map(typeOf))].join(' | ');
  return 'string';
}

function exampleText(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/**
 * The operations a developer signs: every operation of the document that is signed with an access key, neither the
 * operator's (`/admin`) nor the sandbox's, in the order of the document's tags.
 */
export function operationsOf(doc: OpenApiDocument): Operation[] {
  const out: Operation[] = [];
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    if (NOT_FOR_DEVELOPERS.test(path)) continue;
    for (const method of METHODS) {
      const op = item[method];
      if (!op?.operationId) continue;
      if (!op.security?.some((s) => 'signature' in s)) continue;
      const parameters: Parameter[] = [];
      for (const p of op.parameters ?? []) {
        if (p.in !== 'query' && p.in !== 'path') continue;
        parameters.push({
          name: p.name,
          in: p.in,
          required: p.in === 'path' || p.required === true,
          description: p.description ?? p.schema?.description ?? '',
          choices: choicesOf(p.schema),
          type: typeOf(p.schema),
          example: exampleText(p.example ?? p.schema?.examples?.[0] ?? p.schema?.example),
        });
      }
      const json = op.requestBody?.content?.['application/json'];
      out.push({
        id: op.operationId,
        method: method.toUpperCase(),
        path,
        summary: op.summary ?? op.operationId,
        description: op.description ?? '',
        tag: op.tags?.[0] ?? '',
        parameters,
        body: json?.schema ? { required: op.requestBody?.required === true, schema: json.schema } : null,
      });
    }
  }
  const order = new Map((doc.tags ?? []).map((t, i) => [t.name, i]));
  const rank = (tag: string) => order.get(tag) ?? Number.MAX_SAFE_INTEGER;
  return out.sort((a, b) => rank(a.tag) - rank(b.tag));
}

/** The operations by tag, keeping the order given. */
export function groupByTag(operations: Operation[]): { tag: string; operations: Operation[] }[] {
  const groups = new Map<string, Operation[]>();
  for (const op of operations) {
    const list = groups.get(op.tag) ?? [];
    list.push(op);
    groups.set(op.tag, list);
  }
  return [...groups].map(([tag, ops]) => ({ tag, operations: ops }));
}

/** Whether an operation matches the filter box: by words in its id, summary, path or tag. */
export function matches(op: Operation, filter: string): boolean {
  const words = filter.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return true;
  const text = `${op.id} ${op.summary} ${op.method} ${op.path} ${op.tag}`.toLowerCase();
  return words.every((w) => text.includes(w));
}

/**
 * An example value of a schema from its examples: an object holds the properties that have one (and its required
 * properties, with a value of their type), so that the body editor starts from something the API documents.
 */
export function exampleOf(schema: Schema | undefined, required = true, depth = 0): unknown {
  if (!schema || depth > 8) return undefined;
  if (schema.examples?.length) return schema.examples[0];
  if (schema.example !== undefined) return schema.example;
  if (schema.default !== undefined) return schema.default;
  const variants = schema.anyOf ?? schema.oneOf;
  if (variants) {
    for (const v of variants) {
      if (v.type === 'null') continue;
      const e = exampleOf(v, false, depth + 1);
      if (e !== undefined) return e;
    }
    const choices = choicesOf(schema);
    return required && choices ? choices[0] : undefined;
  }
  const type = typeOf(schema);
  if (type === 'object' || schema.properties) {
    const out: Record<string, unknown> = {};
    for (const [name, prop] of Object.entries(schema.properties ?? {})) {
      const needed = schema.required?.includes(name) ?? false;
      const e = exampleOf(prop, needed, depth + 1);
      if (e !== undefined) out[name] = e;
    }
    return Object.keys(out).length > 0 || required ? out : undefined;
  }
  if (type === 'array') {
    const item = exampleOf(schema.items, required, depth + 1);
    return item === undefined ? (required ? [] : undefined) : [item];
  }
  if (!required) return undefined;
  if (schema.enum?.length) return schema.enum[0];
  if (type === 'integer' || type === 'number') return schema.minimum ?? 0;
  if (type === 'boolean') return false;
  return '';
}
