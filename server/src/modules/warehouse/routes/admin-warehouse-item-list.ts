import { pageByTime } from '../../../platform/db/paging.js';
import { defineRoute } from '../../../platform/http/route.js';
import { Id, Int, PageNo, PageSize, Strict, Text, Type } from '../../../platform/http/schema.js';
import { AdminWarehouseItem, ItemStatus, toAdminWarehouseItem } from '../warehouse.schemas.js';

export default defineRoute({
  method: 'GET',
  url: '/admin/warehouse/items',
  operationId: 'adminWarehouseItemList',
  summary: 'List warehouse items',
  description:
    'Warehouse items of every developer, newest first, optionally of one status, developer, domestic tracking ' +
    'number or order (Ponte’s id or the developer’s W3 reference).',
  tags: ['Admin'],
  auth: 'admin',
  query: Strict({
    status: Type.Optional(ItemStatus),
    developId: Type.Optional(Id('Only this developer’s items')),
    trackingNo: Type.Optional(Text('Only the items of this domestic parcel', 64, 'SF1234521212678', 1)),
    orderId: Type.Optional(Text('Only the items of this order', 64, '1795432287562383360', 1)),
    pageNo: PageNo,
    pageSize: PageSize,
  }),
  data: Type.Object({
    list: Type.Array(AdminWarehouseItem, { description: 'Newest first' }),
    total: Int('Number of items matching the filters', 0, Number.MAX_SAFE_INTEGER),
  }),
  handler: async ({ deps, db, query, lang }) => {
    let q = db.selectFrom('warehouse_items');
    if (query.status) q = q.where('status', '=', query.status);
    if (query.developId) q = q.where('develop_id', '=', query.developId);
    if (query.trackingNo) q = q.where('tracking_no', '=', query.trackingNo);
    const orderId = query.orderId;
    if (orderId) q = q.where((eb) => eb.or([eb('order_id', '=', orderId), eb('external_order_id', '=', orderId)]));
    const { rows, total } = await pageByTime(q, query);
    return { list: rows.map((r) => toAdminWarehouseItem(deps, r, lang)), total };
  },
});
