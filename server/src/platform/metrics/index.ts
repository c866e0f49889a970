export { CLUSTER_METRICS_TIMEOUT_MS, metricsFromPrimary, servePrimaryMetrics } from './cluster.js';
export { CommitHooks } from './commit-hooks.js';
export { METRICS_PATH, recordEnvelopeCode } from './http.js';
export {
  type CallbackOutcome,
  createMetrics,
  type HttpLabels,
  type Metrics,
  type MetricsOptions,
  type UpstreamObserver,
} from './metrics.js';
export { installMetrics } from './route.js';
