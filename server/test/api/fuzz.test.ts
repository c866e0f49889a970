import fs from 'node:fs';
import path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Credentials, type Reply, startServer, type TestServer } from '../harness.js';

/**
 * F1: every operation of the OpenAPI document, driven with random input. Whatever is sent, the answer
 * is never a 5xx, it is the envelope, its code is one the operation documents for that HTTP status,
 * and a success matches the operation's response schema. A new route is fuzzed without a change here.
 */
interface Operation {
  method: string;
  path: string;
  parameters?: { in: string; name: string; schema?: Record<string, unknown> }[];
  requestBody?: unknown;
  responses: Record<string, { content?: { 'application/json'?: { schema?: Record<string, unknown> } } }>;
  security?: Record<string, string[]>[];
}

const document = JSON.parse(fs.readFileSync(path.resolve(import.meta.dirname, '../../../openapi.json'), 'utf8')) as {
  paths: Record<string, Record<string, Omit<Operation, 'method' | 'path'>>>;
};
const operations: Operation[] = Object.entries(document.paths).flatMap(([p, ops]) =>
  Object.entries(ops).map(([method, op]) => ({ ...op, method: method.toUpperCase(), path: p })),
);

const ajv = new Ajv2020({ strict: false, allErrors: true });
const RUNS = 60;

/** Random scalars and JSON shaped to hit edges: huge and negative numbers, long and odd strings. */
const scalar = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.integer(),
  fc.bigInt({ min: -(10n ** 25n), max: 10n ** 25n }).map(String),
  fc.constantFrom('', '0', '-1', '1e309', 'null', '%', '../', '\u0000', '😀'.repeat(30)),
);
const pathSegment = fc
  .oneof(fc.string({ minLength: 1, maxLength: 30 }), fc.nat().map(String))
  .filter((v) => v !== '.' && v !== '..');
const json = fc.oneof(fc.jsonValue({ maxDepth: 3 }), fc.dictionary(fc.string({ maxLength: 12 }), scalar));

describe('every operation of the OpenAPI document, with random input', () => {
  let server: TestServer;
  let dev: Credentials;

  beforeAll(async () => {
    server = await startServer({
      env: { RATE_LIMIT_PER_SECOND: '100000', RATE_LIMIT_BURST: '100000', SANDBOX_GOODS: '40' },
    });
    dev = await server.createDeveloper();
  });
  afterAll(() => server.close());

  function send(op: Operation, pathValues: string[], query: Record<string, string>, body: unknown): Promise<Reply> {
    let i = 0;
    const url =
      op.path.replace(/\{[^}]+\}/g, () => encodeURIComponent(pathValues[i++] ?? 'x')) +
      (Object.keys(query).length ? `?${new URLSearchParams(query)}` : '');
    const raw = body === undefined ? undefined : JSON.stringify(body);
    const signed = op.security?.some((s) => 'signature' in s);
    if (signed) return server.signed(dev, op.method, url, { rawBody: raw });
    const headers: Record<string, string> = raw === undefined ? {} : { 'content-type': 'application/json' };
    if (op.security?.some((s) => 'operatorToken' in s)) headers.authorization = `Bearer ${server.deps.adminToken}`;
    return server.request(op.method, url, { body: raw, headers });
  }

  function check(op: Operation, reply: Reply): void {
    const where = `${op.method} ${op.path} → ${reply.status} ${reply.text.slice(0, 300)}`;
    expect(reply.status, where).toBeLessThan(500);
    expect(Object.keys(reply.body).sort(), where).toEqual(['code', 'data', 'developId', 'msg', 'requestId']);
    const documented = op.responses[String(reply.status)]?.content?.['application/json']?.schema;
    expect(documented, `${where}: status not documented`).toBeDefined();
    const validate = ajv.compile(documented as object);
    expect(validate(reply.body), `${where}: ${ajv.errorsText(validate.errors)}`).toBe(true);
  }

  for (const op of operations) {
    it(`${op.method} ${op.path}`, async () => {
      const pathNames = (op.parameters ?? []).filter((p) => p.in === 'path');
      const queryNames = (op.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name);
      const input = fc.record({
        // Not `.` or `..`: URL parsers resolve dot segments away (even encoded), so no client can send them.
        pathValues: fc.array(pathSegment, {
          minLength: pathNames.length,
          maxLength: pathNames.length,
        }),
        query: fc.dictionary(
          fc.oneof(fc.constantFrom(...(queryNames.length ? queryNames : ['x'])), fc.string()),
          scalar.map(String),
          {
            maxKeys: 4,
          },
        ),
        body: op.requestBody ? json : fc.constant(undefined),
      });
      await fc.assert(
        fc.asyncProperty(input, async ({ pathValues, query, body }) => {
          check(op, await send(op, pathValues, query, body));
        }),
        { numRuns: RUNS },
      );
    });
  }
});
