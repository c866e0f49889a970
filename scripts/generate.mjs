// `npm run generate`: openapi.json from the route schemas, then the SDK's types from openapi.json; then, from the
// callback messages' schemas (server/src/modules/messages/message-bodies.ts), the SDK's message types and the
// README's table and examples of them.
// `npm run generate -- --check`: fails if any of these committed files is stale.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const check = process.argv.includes('--check');
const run = (cmd, args) => execFileSync(cmd, args, { cwd: root, stdio: 'inherit' });

// The SDK from its sources (`ponte-source`), so that generating needs no build first.
run(process.execPath, [
  '--conditions=ponte-source',
  '--import',
  'tsx',
  'scripts/openapi.ts',
  check ? '--check' : '--write',
]);

const typesFile = path.join(root, 'sdk/src/generated/openapi.ts');
const tempDir = check ? fs.mkdtempSync(path.join(os.tmpdir(), 'ponte-types-')) : undefined;
const out = tempDir ? path.join(tempDir, 'openapi.ts') : typesFile;
fs.mkdirSync(path.dirname(out), { recursive: true });
run(process.execPath, [
  path.join(root, 'node_modules/openapi-typescript/bin/cli.js'),
  'openapi.json',
  '-o',
  out,
  '--root-types',
  '--alphabetize',
]);
if (tempDir) {
  const stale = !fs.existsSync(typesFile) || fs.readFileSync(out, 'utf8') !== fs.readFileSync(typesFile, 'utf8');
  fs.rmSync(tempDir, { recursive: true, force: true });
  if (stale) {
    process.stderr.write('sdk/src/generated/openapi.ts is out of date: run `npm run generate` and commit the result\n');
    process.exit(1);
  }
  process.stdout.write('sdk/src/generated/openapi.ts is up to date\n');
}

// -- Callback messages ---------------------------------------------------------------------------------

// The message kinds, and their OpenAPI `webhooks` as the server documents them, read from the TypeScript sources.
const LOAD_MESSAGES = `
const { MESSAGE_BODIES } = await import('./server/src/modules/messages/message-bodies.ts');
const { callbackWebhooks } = await import('./server/src/platform/http/openapi.ts');
process.stdout.write(JSON.stringify({ kinds: MESSAGE_BODIES, webhooks: callbackWebhooks(MESSAGE_BODIES) }));
`;
const { kinds, webhooks } = JSON.parse(
  execFileSync(
    process.execPath,
    ['--conditions=ponte-source', '--import', 'tsx', '--input-type=module', '-e', LOAD_MESSAGES],
    { cwd: root, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
  ),
);
let stale = false;

/** Writes `file`, or (with --check) tells whether it differs from `text`. */
function generated(file, text) {
  const target = path.join(root, file);
  const same = fs.existsSync(target) && fs.readFileSync(target, 'utf8') === text;
  if (!check) {
    if (!same) fs.writeFileSync(target, text);
    process.stdout.write(`${same ? 'kept' : 'wrote'} ${file}\n`);
  } else if (same) {
    process.stdout.write(`${file} is up to date\n`);
  } else {
    process.stderr.write(`${file} is out of date: run \`npm run generate\` and commit the result\n`);
    stale = true;
  }
}

// The SDK's message types: openapi-typescript over a document holding only the webhooks.
const messagesDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ponte-messages-'));
const webhooksDoc = path.join(messagesDir, 'webhooks.json');
fs.writeFileSync(
  webhooksDoc,
  JSON.stringify({
    openapi: '3.1.0',
    info: { title: 'Ponte callback messages', version: '0.1.0' },
    paths: {},
    webhooks,
  }),
);
const messageTypes = path.join(messagesDir, 'messages.ts');
run(process.execPath, [
  path.join(root, 'node_modules/openapi-typescript/bin/cli.js'),
  webhooksDoc,
  '-o',
  messageTypes,
  '--root-types',
  '--alphabetize',
]);
generated('sdk/src/generated/messages.ts', fs.readFileSync(messageTypes, 'utf8'));
fs.rmSync(messagesDir, { recursive: true, force: true });

// The README's table and examples, between its markers.
const START = '<!-- callback-messages:start -->';
const END = '<!-- callback-messages:end -->';
const PLATFORMS = { 0: '0 (Taobao)', 1: '1 (1688)', null: 'null' };
const cell = (text) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
/** JSON on one line, spaced as it is when indented. */
function oneLine(value) {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(oneLine).join(', ')}]`;
  const entries = Object.entries(value).map(([k, v]) => `${JSON.stringify(k)}: ${oneLine(v)}`);
  return entries.length === 0 ? '{}' : `{ ${entries.join(', ')} }`;
}
/** JSON indented by two, with what fits in 120 columns on one line. */
function json(value, indent = '', prefix = '') {
  const flat = oneLine(value);
  if (value === null || typeof value !== 'object' || indent.length + prefix.length + flat.length <= 120) return flat;
  const inner = `${indent}  `;
  const items = Array.isArray(value)
    ? value.map((v) => `${inner}${json(v, inner)}`)
    : Object.entries(value).map(
        ([k, v]) => `${inner}${JSON.stringify(k)}: ${json(v, inner, `${JSON.stringify(k)}: `)}`,
      );
  const [open, close] = Array.isArray(value) ? ['[', ']'] : ['{', '}'];
  return items.length === 0 ? `${open}${close}` : `${open}\n${items.join(',\n')}\n${indent}${close}`;
}
function messagesSection() {
  const entries = Object.values(kinds);
  return [
    START,
    '<!-- Generated by `npm run generate` from server/src/modules/messages/message-bodies.ts: edit it there. -->',
    '',
    '| `messageType` | `messagePlatform` | Sent when |',
    '|---|---|---|',
    ...entries.map((k) => `| \`${k.messageType}\` | ${PLATFORMS[k.platform]} | ${cell(k.description)} |`),
    '',
    ...entries.flatMap((k) => [
      `<details><summary><code>${k.messageType}</code>, ${PLATFORMS[k.platform]}: an example <code>messageBody</code></summary>`,
      '',
      '```json',
      json(k.example),
      '```',
      '',
      '</details>',
      '',
    ]),
    END,
  ].join('\n');
}

// -- The real upstreams' capability tables ---------------------------------------------------------------

const LOAD_CAPABILITIES = `
const { AOP_CAPABILITIES } = await import('./server/src/providers/aop/provider.ts');
const { TAOBAO_GLOBAL_CAPABILITIES } = await import('./server/src/providers/taobao-global/provider.ts');
process.stdout.write(JSON.stringify({ aop: AOP_CAPABILITIES, taobao: TAOBAO_GLOBAL_CAPABILITIES }));
`;
const capabilities = JSON.parse(
  execFileSync(
    process.execPath,
    ['--conditions=ponte-source', '--import', 'tsx', '--input-type=module', '-e', LOAD_CAPABILITIES],
    { cwd: root, encoding: 'utf8' },
  ),
);
const CAP_START = '<!-- upstream-capabilities:start -->';
const CAP_END = '<!-- upstream-capabilities:end -->';
function capabilityTable(title, table) {
  return [
    `**${title}**`,
    '',
    '| Operation | API |',
    '|---|---|',
    ...Object.entries(table).map(([op, c]) =>
      'api' in c
        ? `| \`${op}\` | ${cell(
            c.api
              .split(' + ')
              .map((a) => `\`${a}\``)
              .join(' + '),
          )} |`
        : `| \`${op}\` | **unsupported** (50101): ${cell(c.unsupported)} |`,
    ),
    '',
  ];
}
function capabilitiesSection() {
  return [
    CAP_START,
    "<!-- Generated by `npm run generate` from the providers' capability tables (server/src/providers/aop/provider.ts,",
    '     server/src/providers/taobao-global/provider.ts): edit them there. -->',
    '',
    ...capabilityTable('1688 (`UPSTREAM_1688=aop`)', capabilities.aop),
    ...capabilityTable('Taobao (`UPSTREAM_TAOBAO=taobao-global`)', capabilities.taobao),
    CAP_END,
  ].join('\n');
}

// -- The SDK's v2 operations ------------------------------------------------------------------------------

/** What the SDK's `client.v2` needs of each v2 operation of openapi.json: where its input's fields go. */
function v2OperationsFile() {
  const doc = JSON.parse(fs.readFileSync(path.join(root, 'openapi.json'), 'utf8'));
  const entries = [];
  for (const [route, methods] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      if (!op.operationId?.startsWith('v2')) continue;
      const names = (where) => (op.parameters ?? []).filter((p) => p.in === where).map((p) => p.name);
      const [query, params] = [names('query'), names('path')];
      // A field the URL and the body both take (1688 refund info's `refundId`) goes in the URL.
      const name = op.operationId.charAt(2).toLowerCase() + op.operationId.slice(3);
      entries.push(
        `  ${name}: { operationId: '${op.operationId}', method: '${method.toUpperCase()}', path: '${route}', ` +
          `query: ${JSON.stringify(query).replace(/"/g, "'")}, params: ${JSON.stringify(params).replace(/"/g, "'")}, ` +
          `body: ${op.requestBody ? 'true' : 'false'} },`,
      );
    }
  }
  entries.sort();
  return [
    '// Generated by `npm run generate` from openapi.json (its v2 operations): do not edit.',
    '',
    '/** Each v2 operation by its name in `client.v2`: method, path, and which input fields go in the query and path. */',
    'export const V2_OPERATIONS = {',
    ...entries,
    '} as const;',
    '',
  ].join('\n');
}
generated('sdk/src/generated/v2-operations.ts', v2OperationsFile());

/** Replaces the text between a section's markers in `text`. */
function section(text, start, end, content, what) {
  const [from, to] = [text.indexOf(start), text.indexOf(end)];
  if (from < 0 || to < from) {
    process.stderr.write(`README.md has no ${start} … ${end} section for ${what}\n`);
    process.exit(1);
  }
  return text.slice(0, from) + content + text.slice(to + end.length);
}
let readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
readme = section(readme, START, END, messagesSection(), 'the callback messages');
readme = section(readme, CAP_START, CAP_END, capabilitiesSection(), 'the upstream capability tables');
generated('README.md', readme);
if (stale) process.exit(1);
