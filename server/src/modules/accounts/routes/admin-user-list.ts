import { notFound } from '../../../platform/http/errors.js';
import { defineRoute } from '../../../platform/http/route.js';
import { developersRepo } from '../accounts.repo.js';
import { Paging, SubAccountPage, toSubAccount } from '../accounts.schemas.js';
import { listSubAccounts } from '../accounts.service.js';
import { DeveloperParams } from './admin-params.js';

export default defineRoute({
  method: 'GET',
  url: '/admin/developers/:developId/users',
  operationId: 'adminListSubAccounts',
  summary: "List a developer's sub-accounts",
  tags: ['Admin'],
  auth: 'admin',
  errors: [40401],
  params: DeveloperParams,
  query: Paging,
  data: SubAccountPage,
  handler: async ({ db, params, query }) => {
    if (!(await developersRepo.find(db, params.developId))) throw notFound('developer', params.developId);
    const pageNo = query.pageNo ?? 1;
    const pageSize = query.pageSize ?? 20;
    const { rows, total } = await listSubAccounts(db, params.developId, pageNo, pageSize);
    return { list: rows.map(toSubAccount), total, pageNo, pageSize };
  },
});
