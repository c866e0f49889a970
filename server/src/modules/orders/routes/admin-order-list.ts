import { pageByTime } from '../../../platform/db/paging.js';
import { defineRoute } from '../../../platform/http/route.js';
import { Id, Int, PageNo, PageSize, Strict, Type } from '../../../platform/http/schema.js';
import { AdminOrder, OrderPlatform, STATUS_FILTER, statusWordsOf, toAdminOrder } from '../admin-view.js';
import { loadAggregates } from '../orders.repo.js';

export default defineRoute({
  method: 'GET',
  url: '/admin/orders',
  operationId: 'adminListOrders',
  summary: 'List orders',
  description:
    'Orders of every developer on both marketplaces, newest first, optionally of one platform, status, developer ' +
    'or sub-account. `status` takes the neutral word (`wait_seller_send`: paid orders of both platforms) or a ' +
    'platform’s own (`WAIT_SELLER_SEND_GOODS`: only Taobao’s). Creates still settling (`createState` `creating`) ' +
    'are listed too. Titles are in Chinese with a `…Trans` beside them in the request’s language (Accept-Language).',
  tags: ['Admin'],
  auth: 'admin',
  query: Strict({
    platform: Type.Optional(OrderPlatform),
    status: Type.Optional(
      Type.Enum([...STATUS_FILTER], {
        description: 'Only orders in this status (the neutral word, or a platform’s own)',
        examples: ['wait_seller_send'],
      }),
    ),
    developId: Type.Optional(Id('Only this developer’s orders')),
    userId: Type.Optional(Id('Only the orders this sub-account placed', '2100007340000')),
    pageNo: PageNo,
    pageSize: PageSize,
  }),
  data: Type.Object({
    list: Type.Array(AdminOrder, { description: 'Newest first' }),
    total: Int('Number of orders matching the filters', 0, Number.MAX_SAFE_INTEGER),
  }),
  handler: async ({ db, query, lang }) => {
    let q = db.selectFrom('orders');
    if (query.platform) q = q.where('platform', '=', query.platform);
    if (query.status) q = q.where('status', 'in', statusWordsOf(query.status));
    if (query.developId) q = q.where('develop_id', '=', query.developId);
    if (query.userId) q = q.where('user_id', '=', query.userId);
    const { rows, total } = await pageByTime(q, query);
    const aggregates = await loadAggregates(db, rows);
    return { list: aggregates.map((agg) => toAdminOrder(agg, lang)), total };
  },
});
