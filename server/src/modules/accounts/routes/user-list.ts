import { defineRoute } from '../../../platform/http/route.js';
import { Paging, SubAccountPage, toSubAccount } from '../accounts.schemas.js';
import { listSubAccounts } from '../accounts.service.js';

export default defineRoute({
  method: 'GET',
  url: '/open/user/list',
  operationId: 'listSubAccounts',
  summary: 'List sub-accounts',
  description: 'The main account sees every sub-account of its developer; a sub-account sees only itself.',
  tags: ['Sub-accounts'],
  auth: 'signed',
  query: Paging,
  data: SubAccountPage,
  handler: async ({ db, auth, query }) => {
    const pageNo = query.pageNo ?? 1;
    const pageSize = query.pageSize ?? 20;
    const only = auth.isMainAccount ? undefined : auth.userId;
    const { rows, total } = await listSubAccounts(db, auth.developId, pageNo, pageSize, only);
    return { list: rows.map(toSubAccount), total, pageNo, pageSize };
  },
});
