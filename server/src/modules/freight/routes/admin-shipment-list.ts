import { pageByTime } from '../../../platform/db/paging.js';
import { defineRoute } from '../../../platform/http/route.js';
import { Id, Int, PageNo, PageSize, Strict, Text, Type } from '../../../platform/http/schema.js';
import { AdminShipment, loadAdminShipments, ParcelStatus } from '../parcel-view.js';

export default defineRoute({
  method: 'GET',
  url: '/admin/shipments',
  operationId: 'adminShipmentList',
  summary: 'List international parcels',
  description:
    'Parcels of every developer, newest first, optionally of one developer, in one status or of one preview: what ' +
    'the warehouse has to pack (`booked`, with `holdReason` when a pack was refused), ship (`packed`) or follow.',
  tags: ['Admin'],
  auth: 'admin',
  query: Strict({
    status: Type.Optional(ParcelStatus),
    developId: Type.Optional(Id('Only this developer’s parcels')),
    renderId: Type.Optional(Text('Only the parcels of this preview', 64, 'FF202408021796481939554000001')),
    pageNo: PageNo,
    pageSize: PageSize,
  }),
  data: Type.Object({
    list: Type.Array(AdminShipment, { description: 'Newest first' }),
    total: Int('Parcels matching the filters', 0, Number.MAX_SAFE_INTEGER),
  }),
  handler: async ({ db, query }) => {
    let q = db.selectFrom('shipments');
    if (query.status) q = q.where('status', '=', query.status);
    if (query.developId) q = q.where('develop_id', '=', query.developId);
    if (query.renderId) q = q.where('render_id', '=', query.renderId);
    const { rows, total } = await pageByTime(q, query);
    return { list: await loadAdminShipments(db, rows), total };
  },
});
