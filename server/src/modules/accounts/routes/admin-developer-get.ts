import { defineRoute } from '../../../platform/http/route.js';
import { Type } from '../../../platform/http/schema.js';
import { AccessKeyInfo, Developer, toAccessKeyInfo, toDeveloper } from '../accounts.schemas.js';
import { getDeveloper } from '../accounts.service.js';
import { DeveloperParams } from './admin-params.js';

export default defineRoute({
  method: 'GET',
  url: '/admin/developers/:developId',
  operationId: 'adminGetDeveloper',
  summary: 'Get a developer with its access keys',
  tags: ['Admin'],
  auth: 'admin',
  errors: [40401],
  params: DeveloperParams,
  data: Type.Object({ developer: Developer, keys: Type.Array(AccessKeyInfo) }),
  handler: async ({ db, params }) => {
    const { developer, keys } = await getDeveloper(db, params.developId);
    return { developer: toDeveloper(developer), keys: keys.map(toAccessKeyInfo) };
  },
});
