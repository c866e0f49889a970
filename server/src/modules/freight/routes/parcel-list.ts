import { pageByTime } from '../../../platform/db/paging.js';
import { defineRoute } from '../../../platform/http/route.js';
import { Int, PageNo, PageSize, Strict, Text, Type } from '../../../platform/http/schema.js';
import { loadParcels, Parcel, ParcelStatus } from '../parcel-view.js';

export default defineRoute({
  method: 'GET',
  url: '/open/pp/logistics/parcels',
  operationId: 'parcelList',
  summary: 'List your international parcels',
  description:
    'Your parcels (a sub-account: its own), newest first, optionally in one status or of one preview (`renderId`): ' +
    'lines, channel, estimate, actual freight and settlement, storage fees, weights, tracking, history.',
  tags: ['Warehouse logistics'],
  auth: 'signed',
  query: Strict({
    status: Type.Optional(ParcelStatus),
    renderId: Type.Optional(Text('Only the parcels of this preview', 64, 'FF202408021796481939554000001')),
    pageNo: PageNo,
    pageSize: PageSize,
  }),
  data: Type.Object({
    total: Int('Parcels matching', 0, Number.MAX_SAFE_INTEGER, 3),
    pageNo: Int('This page', 1, 100_000, 1),
    pageSize: Int('Page size', 1, 50, 20),
    list: Type.Array(Parcel, { description: 'Newest first' }),
  }),
  handler: async ({ db, auth, query }) => {
    let q = db.selectFrom('shipments').where('develop_id', '=', auth.developId);
    if (!auth.isMainAccount) q = q.where('user_id', '=', auth.userId);
    if (query.status) q = q.where('status', '=', query.status);
    if (query.renderId) q = q.where('render_id', '=', query.renderId);
    const { rows, total, pageNo, pageSize } = await pageByTime(q, query);
    return { total, pageNo, pageSize, list: await loadParcels(db, rows) };
  },
});
