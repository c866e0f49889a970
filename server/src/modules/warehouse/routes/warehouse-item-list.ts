import { pageByTime } from '../../../platform/db/paging.js';
import { defineRoute } from '../../../platform/http/route.js';
import { Int, LanguageField, PageNo, PageSize, Strict, Text, Type } from '../../../platform/http/schema.js';
import { OpaqueId } from '../../../platform/http/v2/annotations.js';
import { ItemStatus, toWarehouseItem, WarehouseItem } from '../warehouse.schemas.js';

export default defineRoute({
  method: 'GET',
  url: '/open/pp/warehouse/items',
  operationId: 'warehouseItemList',
  summary: 'List your goods at (or expected at) the warehouse',
  description:
    'Your warehouse items, newest first: one per order line and domestic parcel, with the state, inspection photos ' +
    '(signed links), weight and size, and the storage days and fee so far. A sub-account sees its own only. ' +
    '`orderId` matches Ponte’s order id or your own reference (W3).',
  tags: ['Warehouse logistics'],
  auth: 'signed',
  query: Strict({
    orderId: Type.Optional(
      OpaqueId(
        'order',
        Text('Only the items of this order (Ponte’s id or your W3 reference, read as on W3)', 64, '21', 1),
      ),
    ),
    status: Type.Optional(ItemStatus),
    trackingNo: Type.Optional(Text('Only the items of this domestic parcel', 64, 'SF1234521212678', 1)),
    pageNo: PageNo,
    pageSize: PageSize,
    language: LanguageField,
  }),
  data: Type.Object({
    list: Type.Array(WarehouseItem, { description: 'Newest first' }),
    total: Int('Number of items matching the filters', 0, Number.MAX_SAFE_INTEGER),
  }),
  handler: async ({ deps, db, auth, query, lang }) => {
    let q = db.selectFrom('warehouse_items').where('develop_id', '=', auth.developId);
    if (!auth.isMainAccount) q = q.where('user_id', '=', auth.userId);
    const orderId = query.orderId;
    if (orderId) q = q.where((eb) => eb.or([eb('order_id', '=', orderId), eb('external_order_id', '=', orderId)]));
    if (query.status) q = q.where('status', '=', query.status);
    if (query.trackingNo) q = q.where('tracking_no', '=', query.trackingNo);
    const { rows, total } = await pageByTime(q, query);
    return { list: rows.map((r) => toWarehouseItem(deps, r, lang)), total };
  },
});
