import type { Socket } from 'node:net';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { randomHex32 } from '../ids.js';
import { errorEnvelope } from './envelope.js';
import { ApiError, type ErrorCode, type ErrorParams, httpStatusOf } from './errors.js';
import { type Phrase, phrase } from './reasons.js';
import { upstreamApiError } from './upstream-errors.js';

interface AjvIssue {
  instancePath?: string;
  keyword?: string;
  message?: string;
  params?: Record<string, unknown>;
}

/** `/orderLineList/0/quantity` → `orderLineList[0].quantity`. */
function fieldPath(instancePath: string | undefined, extra?: unknown): string {
  const parts = (instancePath ?? '').split('/').filter(Boolean);
  if (typeof extra === 'string') parts.push(extra);
  return (
    parts
      .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
      .reduce((acc, p) => (/^\d+$/.test(p) ? `${acc}[${p}]` : acc ? `${acc}.${p}` : p), '') || 'body'
  );
}

/**
 * A union of literals (`Type.Union([Type.Literal('en'), ...])`) fails as one `const` issue per branch,
 * then `anyOf`, at the same path: that is "must be one of" the literals. Undefined for anything else.
 */
function literalChoices(issues: AjvIssue[]): string | undefined {
  const at = issues[0]?.instancePath;
  const end = issues.findIndex((i) => i.keyword === 'anyOf');
  if (end < 1 || issues[end]?.instancePath !== at) return undefined;
  const branches = issues.slice(0, end);
  const literal = (i: AjvIssue) =>
    i.keyword === 'const' && i.instancePath === at && i.params && 'allowedValue' in i.params;
  return branches.every(literal) ? branches.map((i) => String(i.params?.allowedValue)).join(', ') : undefined;
}

/**
 * 40001's params for the first issue Ajv found: the field's path and the reason as a phrase, put in
 * words in the request's language only when the envelope is made (see reasons.ts).
 */
function fromValidation(issues: AjvIssue[], context: string | undefined): ErrorParams {
  const issue = issues[0] as AjvIssue;
  const p = issue.params ?? {};
  if (issue.keyword === 'required') {
    return { field: fieldPath(issue.instancePath, p.missingProperty), reason: phrase('required') };
  }
  if (issue.keyword === 'additionalProperties') {
    return { field: fieldPath(issue.instancePath, p.additionalProperty), reason: phrase('unknownField') };
  }
  const field = fieldPath(issue.instancePath);
  const choices =
    issue.keyword === 'enum' && Array.isArray(p.allowedValues) ? p.allowedValues.join(', ') : literalChoices(issues);
  const reason: Phrase =
    choices !== undefined
      ? phrase('oneOf', { values: choices })
      : issue.keyword
        ? { ajv: { keyword: issue.keyword, params: p, ...(issue.message ? { message: issue.message } : {}) } }
        : phrase('invalid');
  return { field: field === 'body' && context && context !== 'body' ? context : field, reason };
}

/** What an error becomes on the wire: its code, params and extra headers. */
export function classify(err: unknown): { code: ErrorCode; params: ErrorParams; headers: Record<string, string> } {
  if (err instanceof ApiError) return { code: err.code, params: err.params, headers: err.headers };
  const upstream = upstreamApiError(err);
  if (upstream) return { code: upstream.code, params: upstream.params, headers: {} };
  const e = err as FastifyError & { validation?: AjvIssue[]; validationContext?: string };
  if (Array.isArray(e.validation) && e.validation[0]) {
    return { code: 40001, params: fromValidation(e.validation, e.validationContext), headers: {} };
  }
  switch (e.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return { code: 41301, params: { limit: String((e as { limit?: number }).limit ?? '') }, headers: {} };
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_ERR_CTP_INVALID_TYPE':
      return { code: 41501, params: { type: 'given' }, headers: {} };
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return { code: 40001, params: { field: 'body', reason: phrase('emptyBody') }, headers: {} };
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return { code: 40001, params: { field: 'Content-Length', reason: phrase('contentLengthMismatch') }, headers: {} };
  }
  // Only the framework's own client errors describe the request; any other error's message is internal.
  if (e.code?.startsWith('FST_') && typeof e.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500) {
    return {
      code: 40001,
      params: { field: 'request', reason: phrase('malformedRequest', { detail: e.message }) },
      headers: {},
    };
  }
  return { code: 50001, params: {}, headers: {} };
}

export function installErrorHandlers(app: FastifyInstance, bodyLimit: number): void {
  app.setErrorHandler((err, req: FastifyRequest, reply) => {
    const { code, params, headers } = classify(err);
    const status = httpStatusOf(code);
    if (status >= 500) req.log.error({ err }, 'request failed');
    else req.log.info({ code, params }, 'request refused');
    if (code === 41301) params.limit = req.routeOptions.bodyLimit ?? bodyLimit;
    if (code === 41501) params.type = String(req.headers['content-type'] ?? 'none');
    return reply
      .code(status)
      .headers(headers)
      .send(errorEnvelope(req, code, params));
  });
  app.setNotFoundHandler((req, reply) =>
    reply.code(404).send(errorEnvelope(req, 40401, { what: `${req.method} ${req.url.split('?')[0]}` })),
  );
}

const BASELINE_HEADERS = {
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
  'cache-control': 'no-store',
};

/** Errors Fastify raises before routing (a malformed URL, for example): still an envelope. */
export function sendFrameworkError(err: FastifyError, req: FastifyRequest, reply: FastifyReply): void {
  const { code, params } = classify(err);
  reply
    .code(httpStatusOf(code))
    .headers({ ...BASELINE_HEADERS, 'x-request-id': req.id })
    .send(errorEnvelope(req, code, params));
}

/** Requests Node's HTTP parser refuses (an unknown method, a malformed head): an envelope on the socket. */
export function answerClientError(err: Error & { code?: string }, socket: Socket): void {
  if (!socket.writable) return;
  const requestId = randomHex32();
  const status = err.code === 'HPE_HEADER_OVERFLOW' ? 431 : 400;
  const body = JSON.stringify({
    requestId,
    code: 40001,
    developId: '',
    msg: `Invalid parameter request: ${status === 431 ? 'headers too large' : 'malformed HTTP request'}`,
    data: null,
  });
  const headers = Object.entries({ ...BASELINE_HEADERS, 'x-request-id': requestId })
    .map(([k, v]) => `${k}: ${v}\r\n`)
    .join('');
  socket.end(
    `HTTP/1.1 ${status} ${status === 431 ? 'Request Header Fields Too Large' : 'Bad Request'}\r\n` +
      `content-type: application/json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(body)}\r\n` +
      `${headers}connection: close\r\n\r\n${body}`,
  );
}
