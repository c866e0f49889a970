import { pageByTime } from '../../../platform/db/paging.js';
import { defineRoute } from '../../../platform/http/route.js';
import { Int, PageNo, PageSize, Strict, Type } from '../../../platform/http/schema.js';
import { toWarehouseException, WarehouseException } from '../warehouse.schemas.js';

export default defineRoute({
  method: 'GET',
  url: '/admin/warehouse/exceptions',
  operationId: 'adminWarehouseExceptionList',
  summary: 'List the parcels received that matched nothing',
  description: 'Warehouse exceptions, oldest first (the queue to work through), optionally of one status.',
  tags: ['Admin'],
  auth: 'admin',
  query: Strict({
    status: Type.Optional(
      Type.Union([Type.Literal('open'), Type.Literal('matched'), Type.Literal('returned')], {
        description: 'Only exceptions in this status',
        examples: ['open'],
      }),
    ),
    pageNo: PageNo,
    pageSize: PageSize,
  }),
  data: Type.Object({
    list: Type.Array(WarehouseException, { description: 'Oldest first' }),
    total: Int('Number of exceptions matching the filter', 0, Number.MAX_SAFE_INTEGER),
  }),
  handler: async ({ db, query }) => {
    let q = db.selectFrom('warehouse_exceptions');
    if (query.status) q = q.where('status', '=', query.status);
    const { rows, total } = await pageByTime(q, query, 'asc');
    return { list: rows.map(toWarehouseException), total };
  },
});
