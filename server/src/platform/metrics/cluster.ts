import cluster, { type Worker } from 'node:cluster';
import { randomUUID } from 'node:crypto';
import { AggregatorRegistry, type Registry } from 'prom-client';

/**
 * Metrics across the HTTP processes of `ponte serve` (node:cluster). The processes share the port, so a scrape reaches
 * one of them; that one asks the primary, which collects every process's registry (prom-client's AggregatorRegistry,
 * over the cluster's IPC) and answers the aggregate: counters and histograms summed, the gauges read from the
 * database taken from the first process (`aggregator: 'first'`), since every process reads the same rows.
 */

/** A worker's request for the aggregate; the primary's answer carries the same type and id. */
const REQUEST = 'ponte:metrics';
const ANSWER = 'ponte:metrics:answer';
/** How long a worker waits for the aggregate (prom-client's primary gives up on a silent worker after 5 s too). */
export const CLUSTER_METRICS_TIMEOUT_MS = 5_000;

interface MetricsRequest {
  type: typeof REQUEST;
  id: string;
}

interface MetricsAnswer {
  type: typeof ANSWER;
  id: string;
  metrics?: string;
  error?: string;
}

const isRequest = (m: unknown): m is MetricsRequest =>
  typeof m === 'object' &&
  m !== null &&
  (m as MetricsRequest).type === REQUEST &&
  typeof (m as MetricsRequest).id === 'string';

const isAnswer = (m: unknown): m is MetricsAnswer =>
  typeof m === 'object' &&
  m !== null &&
  (m as MetricsAnswer).type === ANSWER &&
  typeof (m as MetricsAnswer).id === 'string';

/**
 * In the primary, once: answers the workers' requests with every worker's metrics aggregated. Returns the function
 * that stops answering.
 */
export function servePrimaryMetrics(): () => void {
  // Constructing it installs prom-client's listener of the workers' replies.
  const aggregator = new AggregatorRegistry();
  const onMessage = (worker: Worker, message: unknown) => {
    if (!isRequest(message)) return;
    const answer = (body: Pick<MetricsAnswer, 'metrics' | 'error'>) => {
      // A worker that died meanwhile has nobody to read the answer. Given a callback, a send that fails (the worker
      // went while it was on its way) is not an 'error' event, which would bring the primary down.
      if (!worker.isConnected()) return;
      worker.send({ type: ANSWER, id: message.id, ...body } satisfies MetricsAnswer, () => {});
    };
    aggregator.clusterMetrics().then(
      (metrics) => answer({ metrics }),
      (err: Error) => answer({ error: err.message }),
    );
  };
  cluster.on('message', onMessage);
  return () => {
    cluster.off('message', onMessage);
  };
}

/** In a worker: `registry` is what this process contributes when the primary collects the workers' metrics. */
export function contributeToPrimary(registry: Registry): void {
  // Constructing one installs prom-client's answer to the primary's requests (once per process).
  new AggregatorRegistry();
  AggregatorRegistry.setRegistries([registry]);
}

/** In a worker: the metrics of every process, in the text format, from the primary (servePrimaryMetrics). */
export function metricsFromPrimary(timeoutMs = CLUSTER_METRICS_TIMEOUT_MS): Promise<string> {
  const id = randomUUID();
  return new Promise<string>((resolve, reject) => {
    const done = (err: Error | undefined, metrics?: string) => {
      clearTimeout(timer);
      process.off('message', onMessage);
      if (err) reject(err);
      else resolve(metrics ?? '');
    };
    const onMessage = (message: unknown) => {
      if (!isAnswer(message) || message.id !== id) return;
      if (message.error !== undefined) done(new Error(`the primary could not collect the metrics: ${message.error}`));
      else done(undefined, message.metrics);
    };
    const timer = setTimeout(() => done(new Error(`no metrics from the primary within ${timeoutMs} ms`)), timeoutMs);
    process.on('message', onMessage);
    if (!process.send) {
      done(new Error('this process has no primary to ask'));
      return;
    }
    process.send({ type: REQUEST, id } satisfies MetricsRequest, undefined, {}, (err: Error | null) => {
      if (err) done(err);
    });
  });
}
