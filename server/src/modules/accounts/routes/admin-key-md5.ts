import { defineRoute } from '../../../platform/http/route.js';
import { Strict, Type } from '../../../platform/http/schema.js';
import { AccessKeyInfo, toAccessKeyInfo } from '../accounts.schemas.js';
import { setLegacyMd5 } from '../accounts.service.js';
import { KeyParams } from './admin-params.js';

export default defineRoute({
  method: 'POST',
  url: '/admin/keys/:accessKey/legacy-md5',
  operationId: 'adminSetLegacyMd5',
  summary: 'Allow or forbid the legacy MD5 signature for a key',
  description:
    'MD5 signs only the key, nonce and timestamp (not the request); enable it only for clients that cannot sign the body.',
  tags: ['Admin'],
  auth: 'admin',
  mutation: true,
  errors: [40401],
  params: KeyParams,
  body: Strict({ enabled: Type.Boolean({ description: 'Accept MD5 signatures for this key' }) }),
  data: AccessKeyInfo,
  handler: async ({ deps, db, params, body }) =>
    toAccessKeyInfo(await setLegacyMd5(deps, db, params.accessKey, body.enabled)),
});
