import cluster from 'node:cluster';
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Registry } from 'prom-client';
import type { AppDeps } from '../deps.js';
import { ApiError } from '../http/errors.js';
import { clientAddressKey } from '../http/rate-limit.js';
import { authenticateOperator } from '../http/route.js';
import { contributeToPrimary, metricsFromPrimary } from './cluster.js';
import { installHttpMetrics, METRICS_PATH } from './http.js';

/**
 * Installs the metrics of an app: the HTTP hooks, and `GET /metrics` in Prometheus's text format, outside the
 * envelope and the OpenAPI document. In a process of a cluster, the answer is every process's metrics, asked of the
 * primary (cluster.ts); elsewhere this process's.
 */
export function installMetrics(app: FastifyInstance, deps: AppDeps): void {
  installHttpMetrics(app, deps.metrics);
  if (cluster.isWorker) contributeToPrimary(deps.metrics.registry);
  app.get(METRICS_PATH, { schema: { hide: true } }, async (req, reply) => {
    await authenticateScraper(req, deps);
    let text: string;
    try {
      text = cluster.isWorker ? await metricsFromPrimary() : await deps.metrics.registry.metrics();
    } catch (err) {
      req.log.warn({ err }, 'metrics not collected');
      throw new ApiError(50301, { reason: 'the metrics could not be collected' });
    }
    return reply.type(Registry.PROMETHEUS_CONTENT_TYPE).send(text);
  });
}

/**
 * The operator's token, as on `/admin` (failures count against the client address, 40106), or `METRICS_TOKEN`, a
 * token that reads the metrics only, so that a scraper need not hold the operator's. A wrong token goes on to the
 * operator's check, which counts it: guessing the metrics token is limited as guessing the operator's is.
 */
async function authenticateScraper(req: FastifyRequest, deps: AppDeps): Promise<void> {
  const metricsToken = deps.config.metricsToken;
  if (metricsToken && sameToken(bearerToken(req), metricsToken)) {
    if (deps.authFailures.check(clientAddressKey(req.ip), deps.clock.now()).allowed) return;
  }
  await authenticateOperator(req, deps);
}

function bearerToken(req: FastifyRequest): string {
  const header = req.headers.authorization ?? '';
  return header.startsWith('Bearer ') ? header.slice(7).trim() : '';
}

/** Compared in constant time, whatever the lengths (of their digests). */
function sameToken(given: string, expected: string): boolean {
  if (!given) return false;
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}
