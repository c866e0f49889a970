import { notFound } from '../../../platform/http/errors.js';
import { defineRoute } from '../../../platform/http/route.js';
import { Id, Type } from '../../../platform/http/schema.js';
import { SubAccount, toSubAccount } from '../accounts.schemas.js';
import { getSubAccount } from '../accounts.service.js';

export default defineRoute({
  method: 'GET',
  url: '/open/user/get',
  operationId: 'getSubAccount',
  summary: 'Get one sub-account',
  description:
    "The main account may read any of its developer's sub-accounts; a sub-account only itself (others answer 40401).",
  tags: ['Sub-accounts'],
  auth: 'signed',
  errors: [40401],
  query: Type.Object({ userId: Id('The sub-account to read') }),
  data: SubAccount,
  handler: async ({ db, auth, query }) => {
    if (!auth.isMainAccount && query.userId !== auth.userId) throw notFound('subAccount', query.userId);
    return toSubAccount(await getSubAccount(db, auth.developId, query.userId));
  },
});
