import { ApiError } from '../../../platform/http/errors.js';
import { defineRoute } from '../../../platform/http/route.js';
import { SubAccount, SubAccountInput, toSubAccount } from '../accounts.schemas.js';
import { createSubAccount } from '../accounts.service.js';

export default defineRoute({
  method: 'POST',
  url: '/open/user/create',
  operationId: 'createSubAccount',
  summary: 'Create a sub-account',
  description:
    'Creates a sub-account of the calling developer; use its `userId` as the `user-id` header to act as it. Only the main account may create sub-accounts.',
  tags: ['Sub-accounts'],
  auth: 'signed',
  mutation: true,
  errors: [40901],
  body: SubAccountInput,
  data: SubAccount,
  handler: async ({ deps, db, auth, body }) => {
    if (!auth.isMainAccount) throw new ApiError(40301);
    return toSubAccount(await createSubAccount(deps, db, auth.developId, body));
  },
});
