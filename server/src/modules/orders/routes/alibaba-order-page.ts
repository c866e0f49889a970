import { invalidParameter } from '../../../platform/http/errors.js';
import { defineRoute } from '../../../platform/http/route.js';
import { EpochMs, Int, LanguageField, Type } from '../../../platform/http/schema.js';
import { AlibabaOrder, toAlibabaOrder } from '../alibaba.schemas.js';
import { listOrders } from '../orders.service.js';
import { STATUSES } from '../orders.states.js';

export default defineRoute({
  method: 'POST',
  url: '/alibaba/order/page',
  operationId: 'alibabaOrderPage',
  summary: 'List 1688 orders',
  description:
    'The caller’s 1688 orders, newest first, each as `/alibaba/order/detail` answers it: every sub-account’s ' +
    'for the main account (or one, with `userId`), only its own for a sub-account. Filters: `status`, and ' +
    'the creation time between `createStartTime` and `createEndTime` (epoch ms, both included).',
  tags: ['1688 orders'],
  auth: 'signed',
  body: Type.Object(
    {
      beginPage: Type.Optional(Int('Page number, from 1 (default 1)', 1, 100_000, 1)),
      pageSize: Type.Optional(Int('Orders per page, 1 to 50 (default 20)', 1, 50, 20)),
      status: Type.Optional(
        Type.Enum([...STATUSES['1688']], { description: 'Only orders in this status', examples: ['waitbuyerpay'] }),
      ),
      createStartTime: Type.Optional(EpochMs('Only orders created at or after this time (epoch ms)')),
      createEndTime: Type.Optional(EpochMs('Only orders created at or before this time (epoch ms)')),
      userId: Type.Optional(
        Type.String({
          pattern: '^[0-9]{1,20}$',
          description: 'Main account only: the orders of this sub-account (a sub-account always sees only its own)',
          examples: ['1795432287562383361'],
        }),
      ),
      language: LanguageField,
    },
    { additionalProperties: false },
  ),
  data: Type.Object({
    totalRecords: Int('Orders over all pages', 0, Number.MAX_SAFE_INTEGER),
    beginPage: Int('This page, from 1', 1, 100_000),
    pageSize: Int('Orders per page asked for; the last page may hold fewer', 1, 50),
    result: Type.Array(AlibabaOrder, { description: 'The orders of this page, newest first' }),
  }),
  handler: async ({ db, auth, body, lang }) => {
    const { createStartTime: start, createEndTime: end } = body;
    if (start !== undefined && end !== undefined && end < start) {
      throw invalidParameter('createEndTime', 'notBeforeField', { other: 'createStartTime' });
    }
    const page = body.beginPage ?? 1;
    const pageSize = body.pageSize ?? 20;
    const found = await listOrders(db, auth, '1688', {
      page,
      pageSize,
      ...(body.status ? { status: body.status } : {}),
      ...(start !== undefined ? { startTime: start } : {}),
      ...(end !== undefined ? { endTime: end } : {}),
      ...(body.userId ? { userId: body.userId } : {}),
    });
    return {
      totalRecords: found.total,
      beginPage: page,
      pageSize,
      result: found.items.map((agg) => toAlibabaOrder(agg, lang)),
    };
  },
});
