import { defineRoute } from '../../../platform/http/route.js';
import { SubAccount, SubAccountInput, toSubAccount } from '../accounts.schemas.js';
import { createSubAccount } from '../accounts.service.js';
import { DeveloperParams } from './admin-params.js';

export default defineRoute({
  method: 'POST',
  url: '/admin/developers/:developId/users',
  operationId: 'adminCreateSubAccount',
  summary: 'Create a sub-account for a developer',
  tags: ['Admin'],
  auth: 'admin',
  mutation: true,
  errors: [40401, 40901],
  params: DeveloperParams,
  body: SubAccountInput,
  data: SubAccount,
  handler: async ({ deps, db, params, body }) => toSubAccount(await createSubAccount(deps, db, params.developId, body)),
});
