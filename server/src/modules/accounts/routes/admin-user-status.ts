import { defineRoute } from '../../../platform/http/route.js';
import { Strict, Type } from '../../../platform/http/schema.js';
import { SubAccount, toSubAccount } from '../accounts.schemas.js';
import { ownerOfSubAccount, setSubAccountStatus } from '../accounts.service.js';
import { UserParams } from './admin-params.js';

export default defineRoute({
  method: 'POST',
  url: '/admin/users/:userId/status',
  operationId: 'adminSetSubAccountStatus',
  summary: 'Enable or disable a sub-account',
  description: 'Requests acting as a disabled sub-account answer 40301. The main account cannot be disabled.',
  tags: ['Admin'],
  auth: 'admin',
  mutation: true,
  errors: [40401, 40901],
  params: UserParams,
  body: Strict({
    status: Type.Union([Type.Literal('active'), Type.Literal('disabled')], { description: 'New status' }),
  }),
  data: SubAccount,
  handler: async ({ deps, db, params, body }) => {
    const developId = await ownerOfSubAccount(db, params.userId);
    return toSubAccount(await setSubAccountStatus(deps, db, developId, params.userId, body.status));
  },
});
