import { defineRoute } from '../../../platform/http/route.js';
import { Strict, Type } from '../../../platform/http/schema.js';
import { AccessKeyInfo, toAccessKeyInfo } from '../accounts.schemas.js';
import { setNonceless } from '../accounts.service.js';
import { KeyParams } from './admin-params.js';

export default defineRoute({
  method: 'POST',
  url: '/admin/keys/:accessKey/nonceless',
  operationId: 'adminSetNonceless',
  summary: 'Allow or forbid v2 requests without nonce-str for a key',
  description:
    'PandaPon’s v2 pages list no `nonce-str`. A key allowed here may leave it out on the v2 paths; such a request is ' +
    'accepted once: its signature, which covers its timestamp and all it asks, serves as its nonce (a replay within ' +
    'the timestamp window answers 40104). Off by default: without a nonce, two identical requests in the same ' +
    'millisecond cannot both pass.',
  tags: ['Admin'],
  auth: 'admin',
  mutation: true,
  errors: [40401],
  params: KeyParams,
  body: Strict({ enabled: Type.Boolean({ description: 'Accept v2 requests without nonce-str for this key' }) }),
  data: AccessKeyInfo,
  handler: async ({ deps, db, params, body }) =>
    toAccessKeyInfo(await setNonceless(deps, db, params.accessKey, body.enabled)),
});
