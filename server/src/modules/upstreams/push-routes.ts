import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../platform/deps.js';
import { receiveAopPush } from './routes/push-1688.js';
import { receiveIopPush } from './routes/push-taobao.js';

/** Pushed messages are small; a larger body is not one. */
const BODY_LIMIT = 256 * 1024;

/**
 * The upstreams' push routes (docs/adr/0016-real-upstreams.md), registered through the module's `registerRaw`:
 * outside the signed developer API and its envelope, each upstream is answered as it expects. Their bodies are kept
 * as received, since the signatures cover them byte for byte: 1688's form as text, Taobao Global's JSON as bytes.
 * Neither is in the OpenAPI document: no developer calls them.
 */
export function registerPushRoutes(app: FastifyInstance, deps: AppDeps): void {
  app.register(async (scope) => {
    scope.addContentTypeParser(
      'application/x-www-form-urlencoded',
      { parseAs: 'string', bodyLimit: BODY_LIMIT },
      (_req, body, done) => done(null, body),
    );
    // The app's JSON parser parses; here the bytes are verified before anything reads them.
    scope.removeContentTypeParser('application/json');
    scope.addContentTypeParser('application/json', { parseAs: 'buffer', bodyLimit: BODY_LIMIT }, (_req, body, done) =>
      done(null, body),
    );
    const schema = { hide: true };
    scope.post('/upstream/push/1688', { schema, bodyLimit: BODY_LIMIT }, (req, reply) =>
      receiveAopPush(deps, req, reply),
    );
    scope.post('/upstream/push/taobao', { schema, bodyLimit: BODY_LIMIT }, (req, reply) =>
      receiveIopPush(deps, req, reply),
    );
  });
}
