import { defineRoute } from '../../../platform/http/route.js';
import { EpochMs, Int, LanguageField, PageNo, PageSize, Type } from '../../../platform/http/schema.js';
import { OpaqueId } from '../../../platform/http/v2/annotations.js';
import { evidenceUrls } from '../evidence.js';
import { loadRefundAggregates } from '../refunds.repo.js';
import { statusOfTaobao } from '../refunds.states.js';
import { RefundEnvelope, RefundOrderAggregate, toRefundOrderAggregate } from '../taobao-view.js';

const IdText = (description: string) => Type.String({ description, maxLength: 40, examples: ['1796214365581049856'] });

export default defineRoute({
  method: 'POST',
  url: '/open/order/refund/queryList',
  operationId: 'taobaoListRefunds',
  summary: 'List reverse orders',
  description:
    'Your reverse orders (a sub-account: its own), newest first, filtered by any of: reverse order id, sub purchase ' +
    'order id (`purchaseOrderId`), order id (`salesOrderId`), status (`refundStatus`: `100`, `200`, `300`, `400`, ' +
    '`-10`, `-20`; a number is read as its text; an unknown value matches nothing), and the time it was submitted ' +
    '(`refundStartTime` to `refundEndTime`, epoch ms, both included).',
  tags: ['Taobao after-sales'],
  auth: 'signed',
  body: Type.Optional(
    Type.Object(
      {
        refundId: Type.Optional(IdText('Reverse order id')),
        purchaseOrderId: Type.Optional(
          OpaqueId('order-part', IdText('Sub purchase order id (one seller’s part of an order)')),
        ),
        salesOrderId: Type.Optional(OpaqueId('order', IdText('Order id'))),
        refundStatus: Type.Optional(
          Type.Union([Type.String({ maxLength: 8 }), Type.Integer({ minimum: -1000, maximum: 1000 })], {
            description: 'Status: `100`, `200`, `300`, `400`, `-10` or `-20`',
            examples: ['100'],
          }),
        ),
        refundStartTime: Type.Optional(EpochMs('Submitted at or after (epoch ms)')),
        refundEndTime: Type.Optional(EpochMs('Submitted at or before (epoch ms)')),
        pageNo: PageNo,
        pageSize: PageSize,
        language: LanguageField,
      },
      { additionalProperties: false },
    ),
  ),
  data: Type.Object({
    total: Int('Reverse orders matching', 0, Number.MAX_SAFE_INTEGER, 28),
    pageNo: Int('This page', 1, 100_000, 1),
    pageSize: Int('Page size', 1, 50, 20),
    ...RefundEnvelope,
    refundOrderAggregates: Type.Array(RefundOrderAggregate),
  }),
  handler: async ({ deps, db, auth, body, lang }) => {
    const filters = body ?? {};
    const pageNo = filters.pageNo ?? 1;
    const pageSize = filters.pageSize ?? 20;
    const status = filters.refundStatus === undefined ? undefined : statusOfTaobao(String(filters.refundStatus));
    let query = db
      .selectFrom('refunds')
      .where('develop_id', '=', auth.developId)
      .where('platform', '=', 'taobao')
      .where('create_state', '=', 'created');
    if (!auth.isMainAccount) query = query.where('user_id', '=', auth.userId);
    if (filters.refundId) query = query.where('id', '=', filters.refundId);
    if (filters.purchaseOrderId) query = query.where('part_id', '=', filters.purchaseOrderId);
    if (filters.salesOrderId) query = query.where('order_id', '=', filters.salesOrderId);
    if (status === null) query = query.where('id', '=', '');
    else if (status) query = query.where('status', '=', status);
    if (filters.refundStartTime !== undefined) query = query.where('created_at', '>=', filters.refundStartTime);
    if (filters.refundEndTime !== undefined) query = query.where('created_at', '<=', filters.refundEndTime);
    const [count, rows] = await Promise.all([
      query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
      query
        .selectAll()
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc')
        .limit(pageSize)
        .offset((pageNo - 1) * pageSize)
        .execute(),
    ]);
    const aggs = await loadRefundAggregates(db, rows);
    const now = deps.clock.now();
    return {
      total: Number(count.n),
      pageNo,
      pageSize,
      distributorId: auth.developId,
      currency: 'CNY' as const,
      refundOrderAggregates: aggs.map((agg) =>
        toRefundOrderAggregate(agg, lang, (keys) => evidenceUrls(deps, keys), now),
      ),
    };
  },
});
