import { defineRoute } from '../../../platform/http/route.js';
import { Int, Type } from '../../../platform/http/schema.js';
import { developersRepo } from '../accounts.repo.js';
import { Developer, Paging, toDeveloper } from '../accounts.schemas.js';

export default defineRoute({
  method: 'GET',
  url: '/admin/developers',
  operationId: 'adminListDevelopers',
  summary: 'List developers',
  tags: ['Admin'],
  auth: 'admin',
  query: Paging,
  data: Type.Object({ list: Type.Array(Developer), total: Int('Number of developers', 0, 1_000_000_000) }),
  handler: async ({ db, query }) => {
    const pageSize = query.pageSize ?? 20;
    const rows = await developersRepo.page(db, ((query.pageNo ?? 1) - 1) * pageSize, pageSize);
    return { list: rows.map(toDeveloper), total: await developersRepo.count(db) };
  },
});
