import { ApiError } from '../../platform/http/errors.js';
import { defineRoute } from '../../platform/http/route.js';
import { Type } from '../../platform/http/schema.js';
import type { AppModule } from '../../platform/module.js';
import adminStats from './routes/admin-stats.js';
import { discardDeadLetter, retryDeadLetter } from './routes/dead-letter-action.js';
import deadLetterList from './routes/dead-letter-list.js';

const healthz = defineRoute({
  method: 'GET',
  url: '/healthz',
  operationId: 'healthz',
  summary: 'Liveness: the process answers',
  tags: ['System'],
  auth: 'public',
  data: Type.Object({ status: Type.Literal('ok') }),
  handler: async () => ({ status: 'ok' as const }),
});

const readyz = defineRoute({
  method: 'GET',
  url: '/readyz',
  operationId: 'readyz',
  summary: 'Readiness: the database answers',
  tags: ['System'],
  auth: 'public',
  errors: [50301],
  data: Type.Object({
    status: Type.Literal('ready'),
    database: Type.Union([Type.Literal('sqlite'), Type.Literal('postgres')]),
  }),
  handler: async ({ deps }) => {
    try {
      await deps.database.ping();
    } catch (err) {
      deps.log.warn({ err }, 'database not reachable');
      throw new ApiError(50301, { reason: 'database not reachable' });
    }
    return { status: 'ready' as const, database: deps.database.kind };
  },
});

export const systemModule: AppModule = {
  name: 'system',
  routes: [healthz, readyz, deadLetterList, retryDeadLetter, discardDeadLetter, adminStats],
};
