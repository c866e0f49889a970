import { defineRoute } from '../../../platform/http/route.js';
import { Type } from '../../../platform/http/schema.js';
import { AccessKeyInfo, toAccessKeyInfo } from '../accounts.schemas.js';
import { listKeys } from '../accounts.service.js';
import { DeveloperParams } from './admin-params.js';

export default defineRoute({
  method: 'GET',
  url: '/admin/developers/:developId/keys',
  operationId: 'adminListKeys',
  summary: "List a developer's access keys (without secrets)",
  tags: ['Admin'],
  auth: 'admin',
  errors: [40401],
  params: DeveloperParams,
  data: Type.Object({ list: Type.Array(AccessKeyInfo) }),
  handler: async ({ db, params }) => ({ list: (await listKeys(db, params.developId)).map(toAccessKeyInfo) }),
});
