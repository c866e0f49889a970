import type { SwaggerOptions } from '@fastify/swagger';
import { ERROR_CODES, type ErrorCode, httpStatusOf } from './errors.js';
import { EpochMs, Int, JSON_STRING, type TSchema, Type } from './schema.js';
import { V2_MARKS } from './v2/annotations.js';

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

**v2.** Every endpoint of the contract is also on PandaPon's v2 path (\`/v2/taobao/...\`, \`/v2/alibaba/...\`,
\`/v2/open/...\`), under the tags starting with "v2". It behaves as its v1 twin, but goods, SKU, offer and order ids are
opaque strings (a v1 id is accepted too; an opaque id that is not this deployment's answers 40401), and a few fields
have their v2 names (\`itemMapId\`, \`offerMapId\`). A key the operator allows may leave out \`nonce-str\` on v2: the
signature is then used once.

**Retries.** Mutations accept \`Idempotency-Key\`: the first reply is stored for 24 h and replayed
(\`idempotent-replayed: true\`); the same key with another request answers 40902, while the first still runs 40903.

## Error codes

${errorTable()}`;

/** The tags of the contract's endpoints, whose v2 twins are tagged `v2 <tag>`. */
const CONTRACT_TAGS = [
  'Taobao goods',
  '1688 goods',
  '1688 marketing',
  'Addresses',
  'Taobao cart',
  'Taobao orders',
  'Taobao after-sales',
  '1688 cart',
  '1688 orders',
  '1688 after-sales',
  'Warehouse logistics',
];

const V2_TAGS = CONTRACT_TAGS.map((name) => ({
  name: `v2 ${name}`,
  description: `${name} on PandaPon's v2 paths: opaque ids of goods, SKUs, offers and orders`,
}));

/** Shows a contract JSON-in-a-string field as "a JSON string, or the value itself". */
function documentJsonStrings(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(documentJsonStrings);
  if (typeof schema !== 'object' || schema === null) return schema;
  const s = schema as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  // The v2 marks are not shown: the v2 operations show what they make of the fields.
  for (const [k, v] of Object.entries(s)) {
    if (k !== JSON_STRING && !(V2_MARKS as readonly string[]).includes(k)) out[k] = documentJsonStrings(v);
  }
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

/** A schema without the v2 marks (the messages are the same for v1 and v2 clients: they carry v1 ids). */
function withoutMarks(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(withoutMarks);
  if (typeof schema !== 'object' || schema === null) return schema;
  return Object.fromEntries(
    Object.entries(schema)
      .filter(([k]) => !(V2_MARKS as readonly string[]).includes(k))
      .map(([k, v]) => [k, withoutMarks(v)]),
  );
}

/** What the webhooks need of a callback message kind (an entry of the messages module's message-bodies.ts). */
export interface CallbackMessageKind {
  messageType: string;
  /** `messagePlatform`: 0 Taobao, 1 1688, null for messages about the callback URL. */
  platform: 0 | 1 | null;
  schema: TSchema;
  /** When it is sent. */
  description: string;
  example: unknown;
}

const CALLBACK_HEADERS = [
  {
    name: 'webhook-id',
    description: 'The message’s id (`messageId`), the same on every attempt: a receiver drops a repeat',
    schema: Type.String({ examples: ['917033449992540160'] }),
  },
  {
    name: 'webhook-timestamp',
    description: 'When this attempt was signed, in seconds since the epoch: refuse one more than 5 minutes away',
    schema: Type.String({ pattern: '^[0-9]{1,12}$', examples: ['1796474645'] }),
  },
  {
    name: 'webhook-signature',
    description:
      '`v1,` + the base64 HMAC-SHA256 of `{webhook-id}.{webhook-timestamp}.{body}` under the key of the callback ' +
      'secret (`whsec_` + base64); during a secret rotation one per secret, separated by spaces (Standard Webhooks)',
    schema: Type.String({ examples: ['v1,DsyW5HGNWreUP980taVxp2xGUcxPVHyZNV1HPg+d2fM='] }),
  },
];

/** The signed POST of one kind of message: the envelope, whose `messageBody` is the kind's schema. */
function callbackOperation(name: string, kind: CallbackMessageKind): Record<string, unknown> {
  const envelope = Type.Object({
    messageId: Type.String({ description: 'The message’s id, also sent as `webhook-id`' }),
    messageType: Type.Literal(kind.messageType, { description: 'The message type' }),
    messagePlatform:
      kind.platform === null
        ? Type.Null({ description: 'No platform: the message is about the callback URL' })
        : Type.Literal(kind.platform, { description: '0 Taobao, 1 1688' }),
    messageBody: { ...(withoutMarks(kind.schema) as TSchema), examples: [kind.example] },
    timestamp: EpochMs('When the message was written (epoch ms)'),
    version: Int(
      'The version of the object the message is about: greater in every later message about it, so drop a message ' +
        'whose version is not greater than the last one processed for that object',
      0,
      Number.MAX_SAFE_INTEGER,
    ),
  });
  const camel = name
    .toLowerCase()
    .split('_')
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join('');
  return {
    operationId: `callback${camel}`,
    summary: `${kind.messageType}${kind.platform === null ? '' : kind.platform === 0 ? ' (Taobao)' : ' (1688)'}`,
    description: `${kind.description}\n\nPOSTed to your callback URL, signed; answer 2xx at once, before slow work.`,
    tags: ['Messages'],
    security: [],
    parameters: CALLBACK_HEADERS.map((h) => ({ ...h, in: 'header', required: true })),
    requestBody: { required: true, content: { 'application/json': { schema: JSON.parse(JSON.stringify(envelope)) } } },
    responses: {
      '2XX': { description: 'Acknowledged: the message is not sent again' },
      '410': { description: 'Gone: delivery to the URL stops, and a `CALLBACK_DISABLED` message says so' },
      default: {
        description:
          'Any other answer, no answer in time, or a redirect: retried after 5 s, 30 s, 2 min, 10 min, 30 min, 1 h, ' +
          '3 h, 6 h, 12 h and 24 h',
      },
    },
  };
}

/** The callback messages as OpenAPI 3.1 `webhooks`, one POST per kind, named as the kinds are. */
export function callbackWebhooks(kinds: Readonly<Record<string, CallbackMessageKind>>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(kinds).map(([name, kind]) => [name, { post: callbackOperation(name, kind) }]),
  );
}

/** `messages`: the callback message kinds, documented as `webhooks` (the messages module has them). */
export function openApiOptions(messages?: Readonly<Record<string, CallbackMessageKind>>): SwaggerOptions {
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
        {
          name: 'Taobao after-sales',
          description:
            'Taobao reverse orders: render, submit, modify, cancel, messages, return parcel, list and query; money back once',
        },
        { name: '1688 cart', description: 'The 1688 cart of the acting sub-account: add, list, edit, preview' },
        {
          name: '1688 orders',
          description: '1688 orders: preview, create (one or several suppliers), pay, cancel, confirm, details, trace',
        },
        {
          name: '1688 after-sales',
          description: '1688 refunds: reasons, voucher pictures, create, return parcel, details, logistics companies',
        },
        {
          name: 'Warehouse logistics',
          description: 'International freight: estimates per channel of the rate cards (sample rates by default)',
        },
        ...V2_TAGS,
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
      ...(messages ? { webhooks: callbackWebhooks(messages) } : {}),
      'x-error-codes': Object.fromEntries(
        (Object.keys(ERROR_CODES) as unknown as ErrorCode[]).map((c) => [c, { ...ERROR_CODES[c] }]),
      ),
    } as SwaggerOptions extends { openapi?: infer O } ? O : never,
    transform: ({ schema, url }) => ({ schema: documentJsonStrings(schema) as typeof schema, url }),
  };
}
