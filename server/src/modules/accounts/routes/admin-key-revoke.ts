import { defineRoute } from '../../../platform/http/route.js';
import { AccessKeyInfo, toAccessKeyInfo } from '../accounts.schemas.js';
import { revokeKey } from '../accounts.service.js';
import { KeyParams } from './admin-params.js';

export default defineRoute({
  method: 'POST',
  url: '/admin/keys/:accessKey/revoke',
  operationId: 'adminRevokeKey',
  summary: 'Revoke a key',
  description: 'Every process refuses the key (40105) from the next request.',
  tags: ['Admin'],
  auth: 'admin',
  mutation: true,
  errors: [40401],
  params: KeyParams,
  data: AccessKeyInfo,
  handler: async ({ deps, db, params }) => toAccessKeyInfo(await revokeKey(deps, db, params.accessKey)),
});
