import { notFound } from '../../../platform/http/errors.js';
import { defineRoute } from '../../../platform/http/route.js';
import { EpochMs, Id, Int, Text, type TSchema, Type } from '../../../platform/http/schema.js';
import {
  AdminOrder,
  AdminOrderLine,
  AdminOrderPart,
  toAdminOrder,
  toAdminOrderLine,
  toAdminOrderPart,
} from '../admin-view.js';
import { loadAggregate, orderById } from '../orders.repo.js';

const Nullable = <T extends TSchema>(schema: T, description: string) =>
  Type.Union([schema, Type.Null()], { description });

const HistoryRow = Type.Object({
  partId: Nullable(Id('The seller’s part'), 'The seller’s part whose status changed; null for the order’s own'),
  from: Nullable(
    Text('Status before', 32, 'WAIT_BUYER_PAY'),
    'The status before, in the platform’s words (null ' + 'for the creation)',
  ),
  to: Text('Status after, in the platform’s words', 32, 'WAIT_SELLER_SEND_GOODS'),
  cause: Type.String({
    description: 'What moved it: `api:create`, `api:pay`, `api:cancel`, `upstream:order.shipped`, `worker:pay`, …',
    examples: ['api:pay'],
  }),
  detail: Nullable(Type.String({ description: 'Detail' }), 'What else is known: an upstream event id, a reason, …'),
  time: EpochMs('When'),
});

const Payment = Type.Object({
  paymentId: Id('Id of the payment attempt'),
  method: Type.Union([Type.Literal('balance'), Type.Literal('voucher')], {
    description: '`balance` (debited from the prepaid balance) or `voucher` (paid after an approved voucher)',
    examples: ['balance'],
  }),
  voucherId: Type.Union([Id('Voucher'), Type.Null()], { description: 'The voucher it came from, if any' }),
  amount: Int('Debited (fen)', 0, Number.MAX_SAFE_INTEGER, 1378),
  reversed: Int('Given back to the balance (fen)', 0, Number.MAX_SAFE_INTEGER, 0),
  state: Type.Union(
    [Type.Literal('paying'), Type.Literal('paid'), Type.Literal('partly_reversed'), Type.Literal('reversed')],
    {
      description: '`paying` (debited, the marketplace has not confirmed yet), `paid`, `partly_reversed` or `reversed`',
      examples: ['paid'],
    },
  ),
  lastError: Nullable(Type.String({ description: 'Error' }), 'Why the marketplace refused or did not answer, if so'),
  createTime: EpochMs('When it was debited'),
  updateTime: EpochMs('Last change'),
});

export default defineRoute({
  method: 'GET',
  url: '/admin/orders/:orderId',
  operationId: 'adminGetOrder',
  summary: 'Get an order with its lines, history, payments and refunds',
  description:
    'One order of any developer as in the list, with its sellers’ parts, its lines (with the marketplace’s ids), ' +
    'every status change of it and of its parts, oldest first (`history`), its payment attempts, and the ids of ' +
    'the refunds asked for its lines (`GET /admin/refunds/{refundId}` reads one).',
  tags: ['Admin'],
  auth: 'admin',
  errors: [40401],
  params: Type.Object({ orderId: Id('Ponte’s order id') }),
  data: Type.Object({
    ...AdminOrder.properties,
    parts: Type.Array(AdminOrderPart, { description: 'One per seller (a 1688 order has one)' }),
    lines: Type.Array(AdminOrderLine, { description: 'The goods, by part, in the order they were asked for' }),
    history: Type.Array(HistoryRow, { description: 'Every status change, oldest first' }),
    payments: Type.Array(Payment, { description: 'Every payment attempt, oldest first' }),
    refundIds: Type.Array(Text('Ponte’s refund id (1688 ones start with `TQ`)', 22, '1796214365581049856'), {
      description: 'The refunds asked for its lines, oldest first',
    }),
  }),
  handler: async ({ db, params, lang }) => {
    const order = await orderById(db, params.orderId);
    if (!order) throw notFound('order', params.orderId);
    const [agg, history, payments, refunds] = await Promise.all([
      loadAggregate(db, order),
      db.selectFrom('order_history').selectAll().where('order_id', '=', order.id).orderBy('at').orderBy('id').execute(),
      db
        .selectFrom('order_payments')
        .selectAll()
        .where('order_id', '=', order.id)
        .orderBy('created_at')
        .orderBy('id')
        .execute(),
      db
        .selectFrom('refunds')
        .select('id')
        .where('order_id', '=', order.id)
        .orderBy('created_at')
        .orderBy('id')
        .execute(),
    ]);
    return {
      ...toAdminOrder(agg, lang),
      parts: agg.parts.map((p) => toAdminOrderPart(p, lang)),
      lines: agg.parts.flatMap((p) =>
        p.lines.map((l) => toAdminOrderLine(l, order.platform, p.part.upstream_order_id, lang)),
      ),
      history: history.map((h) => ({
        partId: h.part_id,
        from: h.from_status,
        to: h.to_status,
        cause: h.cause,
        detail: h.detail,
        time: Number(h.at),
      })),
      payments: payments.map((p) => ({
        paymentId: p.id,
        method: p.method,
        voucherId: p.voucher_id,
        amount: Number(p.amount_fen),
        reversed: Number(p.reversed_fen),
        state: p.state,
        lastError: p.last_error,
        createTime: Number(p.created_at),
        updateTime: Number(p.updated_at),
      })),
      refundIds: refunds.map((r) => r.id),
    };
  },
});
