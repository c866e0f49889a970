import { ApiError } from '../../../platform/http/errors.js';
import { defineRoute } from '../../../platform/http/route.js';
import { EpochMs, Id, Int, LanguageField, PageNo, PageSize, Text, Type } from '../../../platform/http/schema.js';
import { listOrders } from '../orders.service.js';
import { TaobaoOrder, TaobaoStatus, toTaobaoOrder } from '../taobao.schemas.js';

export default defineRoute({
  method: 'GET',
  url: '/open/order/page',
  operationId: 'taobaoListOrders',
  summary: 'Page through Taobao orders',
  description:
    'The caller’s Taobao orders, newest first, with their sub purchase orders and lines: all of the developer’s ' +
    'for the main account (narrowed to one sub-account with `userId`), only its own for a sub-account (naming ' +
    'another sub-account in `userId` answers 40301). An order whose creation was refused is not listed.',
  tags: ['Taobao orders'],
  auth: 'signed',
  query: Type.Object(
    {
      pageNo: PageNo,
      pageSize: PageSize,
      status: Type.Optional(TaobaoStatus),
      startTime: Type.Optional(EpochMs('Created at or after this time')),
      endTime: Type.Optional(EpochMs('Created at or before this time')),
      sellerOrderNumber: Type.Optional(Text('Your order number (`sellerOrderNumber` of the create request)', 64, '1')),
      userId: Type.Optional(Id('Only this sub-account’s orders (main account)', '2100007340000')),
      language: LanguageField,
    },
    { additionalProperties: false },
  ),
  data: Type.Object({
    list: Type.Array(TaobaoOrder, { description: 'This page’s orders, newest first' }),
    total: Int('Orders matching the filters', 0, Number.MAX_SAFE_INTEGER, 1),
    pageNo: Int('Page number', 1, 100_000, 1),
    pageSize: Int('Page size', 1, 50, 20),
  }),
  handler: async ({ db, auth, query, lang }) => {
    if (!auth.isMainAccount && query.userId !== undefined && query.userId !== auth.userId) throw new ApiError(40301);
    const pageNo = query.pageNo ?? 1;
    const pageSize = query.pageSize ?? 20;
    const { total, items } = await listOrders(db, auth, 'taobao', {
      page: pageNo,
      pageSize,
      ...(query.status ? { status: query.status } : {}),
      ...(query.startTime !== undefined ? { startTime: query.startTime } : {}),
      ...(query.endTime !== undefined ? { endTime: query.endTime } : {}),
      ...(query.sellerOrderNumber ? { sellerOrderNumber: query.sellerOrderNumber } : {}),
      ...(query.userId ? { userId: query.userId } : {}),
    });
    return { list: items.map((agg) => toTaobaoOrder(agg, lang)), total, pageNo, pageSize };
  },
});
