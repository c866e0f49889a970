import type { SwaggerOptions } from '@fastify/swagger';
import { ERROR_CODES, type ErrorCode, httpStatusOf } from './errors.js';
import { JSON_STRING } from './schema.js';

const VERSION = '0.1.0';

function errorTable(): string {
  const rows = (Object.keys(ERROR_CODES) as unknown as ErrorCode[]).map(
    (c) =>
      `| ${c} | ${httpStatusOf(Number(c))} | ${ERROR_CODES[c].name} | ${ERROR_CODES[c].en.replace(/\|/g, '\\|')} |`,
  );
  return ['| code | HTTP | name | meaning |', '|---|---|---|---|', ...rows].join('\n');
}

const DESCRIPTION = `Ponte serves the PandaPon OpenAPI contract: the same methods, paths, system headers and envelope.

Every answer is the envelope \`{requestId, code, developId, msg, data}\`; \`code\` 200 means success, any other
code is one of the table below, and its first three digits are the HTTP status sent with it. \`msg\` follows the
request's \`language\` field or \`Accept-Language\` (en, zh, vi, th, es).

**Signing.** Send \`access-key\`, \`timestamp\` (epoch ms, within ±300 s), \`nonce-str\` (8–64 of [A-Za-z0-9_-], once
per key), \`user-id\` and \`signature\` = upper-case hex HMAC-SHA256(accessSecret, canonical string), where the canonical
string is the lines METHOD, path, canonical query, access-key, timestamp, nonce-str, user-id and the hex SHA-256 of the
body, joined by \\n. The SDK package publishes test vectors.

**Retries.** Mutations accept \`Idempotency-Key\`: the first reply is stored for 24 h and replayed
(\`idempotent-replayed: true\`); the same key with another request answers 40902, while the first still runs 40903.

## Error codes

${errorTable()}`;

/** Shows a contract JSON-in-a-string field as "a JSON string, or the value itself". */
function documentJsonStrings(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(documentJsonStrings);
  if (typeof schema !== 'object' || schema === null) return schema;
  const s = schema as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(s)) if (k !== JSON_STRING) out[k] = documentJsonStrings(v);
  if (!s[JSON_STRING]) return out;
  const { description, ...inner } = out;
  return {
    description,
    anyOf: [
      { type: 'string', contentMediaType: 'application/json', description: 'The value, JSON-encoded in a string' },
      inner,
    ],
  };
}

export function openApiOptions(): SwaggerOptions {
  return {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Ponte API',
        version: VERSION,
        description: DESCRIPTION,
        license: { name: 'Apache-2.0', identifier: 'Apache-2.0' },
      },
      servers: [{ url: 'http://127.0.0.1:3000', description: 'A local server started with npm start' }],
      tags: [
        { name: 'System', description: 'Health and readiness' },
        { name: 'Sub-accounts', description: "The developer's sub-accounts (the user-id header)" },
        {
          name: 'Taobao goods',
          description: 'Taobao items: search by keyword or picture, details, distribution check',
        },
        { name: '1688 goods', description: '1688 offers: details, search by keyword, picture or supplier, categories' },
        { name: '1688 marketing', description: 'Strict-selection and hot-selling lists' },
        { name: 'Addresses', description: "The acting sub-account's receiving addresses" },
        { name: 'Taobao cart', description: 'The Taobao cart of the acting sub-account: add, list, edit, preview' },
        {
          name: 'Taobao orders',
          description: 'Taobao orders: create (from lines or the cart), pay, vouchers, cancel, details, logistics',
        },
        { name: '1688 cart', description: 'The 1688 cart of the acting sub-account: add, list, edit, preview' },
        {
          name: '1688 orders',
          description: '1688 orders: preview, create (one or several suppliers), pay, cancel, confirm, details, trace',
        },
        { name: 'Balance', description: "The developer's CNY balance and its ledger" },
        { name: 'Messages', description: 'The callback messages written for the developer' },
        {
          name: 'Admin',
          description: "The operator's API: developers, access keys, sub-accounts, top-ups, vouchers, dead letters",
        },
        {
          name: 'Sandbox',
          description: 'The built-in sandbox marketplace: its controls (operator token) and product pictures',
        },
      ],
      components: {
        securitySchemes: {
          accessKey: { type: 'apiKey', in: 'header', name: 'access-key', description: 'Your access key' },
          timestamp: { type: 'apiKey', in: 'header', name: 'timestamp', description: 'Epoch milliseconds' },
          nonce: { type: 'apiKey', in: 'header', name: 'nonce-str', description: 'Random, once per key' },
          userId: { type: 'apiKey', in: 'header', name: 'user-id', description: 'The acting sub-account' },
          signature: { type: 'apiKey', in: 'header', name: 'signature', description: 'See the description above' },
          operatorToken: { type: 'http', scheme: 'bearer', description: "The operator's admin token" },
        },
      },
      'x-error-codes': Object.fromEntries(
        (Object.keys(ERROR_CODES) as unknown as ErrorCode[]).map((c) => [c, { ...ERROR_CODES[c] }]),
      ),
    } as SwaggerOptions extends { openapi?: infer O } ? O : never,
    transform: ({ schema, url }) => ({ schema: documentJsonStrings(schema) as typeof schema, url }),
  };
}
