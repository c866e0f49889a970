import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Metrics } from './metrics.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The `code` of the envelope answered to this request, once known: the `code` label of the HTTP metrics. */
    envelopeCode?: number;
  }
}

/** Where the metrics are scraped; its own requests are not counted. */
export const METRICS_PATH = '/metrics';

/** Records the code of the envelope answered to `req` (for an envelope sent as text, which no hook reads). */
export function recordEnvelopeCode(req: FastifyRequest, code: number): void {
  req.envelopeCode = code;
}

/**
 * Counts every answered request by route template, method, HTTP status and envelope code, and times it from its
 * arrival to its answer being written. Envelopes are objects until serialised: the code is read from the object in
 * `preSerialization`, which sees successes and errors alike (the error handler sends an object too).
 */
export function installHttpMetrics(app: FastifyInstance, metrics: Metrics): void {
  app.addHook('preSerialization', (req, _reply, payload, done) => {
    const code = envelopeCodeOf(payload);
    if (code !== undefined) req.envelopeCode = code;
    done(null, payload);
  });
  app.addHook('onResponse', (req, reply, done) => {
    const route = req.routeOptions.url;
    if (route !== METRICS_PATH) {
      metrics.httpRequest(
        { route: route ?? 'unmatched', method: req.method, status: reply.statusCode, code: codeOf(req, reply) },
        reply.elapsedTime / 1000,
      );
    }
    done();
  });
}

function envelopeCodeOf(payload: unknown): number | undefined {
  if (typeof payload !== 'object' || payload === null) return undefined;
  const { code, requestId } = payload as { code?: unknown; requestId?: unknown };
  return typeof code === 'number' && typeof requestId === 'string' ? code : undefined;
}

/**
 * The envelope's code; else, for an envelope route's answer sent already serialised (a cached read, `answerIn`), 200
 * when the status is 200, since an error code's first three digits are its HTTP status (docs/architecture.md §4);
 * else `none`, an answer outside the envelope (a picture, the OpenAPI document).
 */
function codeOf(req: FastifyRequest, reply: FastifyReply): number | 'none' {
  if (req.envelopeCode !== undefined) return req.envelopeCode;
  return reply.statusCode === 200 && answersEnvelope(req) ? 200 : 'none';
}

/** Whether the route's 200 answer is an envelope: its response schema has the envelope's fields. */
function answersEnvelope(req: FastifyRequest): boolean {
  const response = req.routeOptions.schema?.response as Record<string, { properties?: object }> | undefined;
  const properties = response?.['200']?.properties;
  return properties !== undefined && 'requestId' in properties && 'code' in properties;
}
