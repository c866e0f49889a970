import { notFound } from '../../../platform/http/errors.js';
import { defineRoute } from '../../../platform/http/route.js';
import { EpochMs, Id, Int, Text, Type } from '../../../platform/http/schema.js';
import { historyOf, refundById } from '../refunds.repo.js';
import { RefundId } from '../refunds.schemas.js';
import { AdminRefund, toAdminRefund } from './admin-refund-list.js';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T, description: string) =>
  Type.Union([schema, Type.Null()], { description });

const HistoryRow = Type.Object({
  from: Nullable(Text('Status before', 32, 'wait_seller_agree'), 'The status before (null for the create)'),
  to: Text('Status after (the same as before for a change that kept it, such as a modification)', 32, 'success'),
  cause: Text(
    'What moved it: `api:create`, `api:modify`, `api:cancel`, `api:return`, `upstream:refund.agreed`, …, ' +
      '`worker:create` (a create settled by the worker)',
    80,
    'upstream:refund.succeeded',
  ),
  detail: Nullable(
    Type.String({ description: 'Detail' }),
    'What else is known: the upstream event id, a refusal’s reason, …',
  ),
  time: EpochMs('When'),
});

const LedgerEntry = Type.Object({
  entryId: Id('Id of the entry'),
  account: Type.String({
    description: 'The ledger account: `developer:{developId}:balance`, `upstream:clearing`, …',
    examples: ['upstream:clearing'],
  }),
  amount: Int('Signed amount in fen: positive raises the account', -1e15, 1e15, 7499),
  balanceAfter: Int('The account’s balance right after it, in fen', -1e15, 1e15, 150000),
  createTime: EpochMs('When it was written'),
});

const LedgerTransaction = Type.Object(
  {
    transactionId: Id('Id of the ledger transaction'),
    idemKey: Type.String({
      description: 'Its unique key: `refund:{platform}:{refundOuterId}` credits a refund once',
      examples: ['refund:taobao:7100000001'],
    }),
    kind: Text('Always `refund` here', 32, 'refund'),
    developId: Nullable(Id('Developer'), 'The developer credited'),
    orderId: Nullable(Id('Order'), 'The order refunded'),
    memo: Type.String({ description: 'What happened, in words' }),
    createTime: EpochMs('When it was posted'),
    entries: Type.Array(LedgerEntry, { description: 'Its entries, which sum to 0' }),
  },
  { description: 'The ledger transaction that credited the refund' },
);

export default defineRoute({
  method: 'GET',
  url: '/admin/refunds/:refundId',
  operationId: 'adminGetRefund',
  summary: 'Get a refund with its history and its credit',
  description:
    'One refund as in the list, with every change of it, oldest first (`history`), its description, and the ' +
    'ledger transaction that credited the developer (`creditTransaction`, with its entries; null until credited).',
  tags: ['Admin'],
  auth: 'admin',
  errors: [40401],
  params: Type.Object({ refundId: RefundId('Ponte’s refund id') }),
  data: Type.Object({
    ...AdminRefund.properties,
    description: Type.String({ description: 'What the developer wrote with it' }),
    history: Type.Array(HistoryRow, { description: 'Every change, oldest first' }),
    creditTransaction: Nullable(LedgerTransaction, 'The credit of the refund; null until it succeeded'),
  }),
  handler: async ({ db, params }) => {
    const refund = await refundById(db, params.refundId);
    if (!refund) throw notFound('refund', params.refundId);
    const history = await historyOf(db, refund.id);
    const tx =
      refund.credit_tx === null
        ? undefined
        : await db.selectFrom('ledger_transactions').selectAll().where('id', '=', refund.credit_tx).executeTakeFirst();
    const entries = tx
      ? await db.selectFrom('ledger_entries').selectAll().where('transaction_id', '=', tx.id).orderBy('id').execute()
      : [];
    return {
      ...toAdminRefund(refund),
      description: refund.description,
      history: history.map((h) => ({
        from: h.from_status,
        to: h.to_status,
        cause: h.cause,
        detail: h.detail,
        time: Number(h.at),
      })),
      creditTransaction: tx
        ? {
            transactionId: tx.id,
            idemKey: tx.idem_key,
            kind: tx.kind,
            developId: tx.develop_id,
            orderId: tx.order_id,
            memo: tx.memo,
            createTime: Number(tx.created_at),
            entries: entries.map((e) => ({
              entryId: e.id,
              account: e.account,
              amount: Number(e.amount_fen),
              balanceAfter: Number(e.balance_after_fen),
              createTime: Number(e.created_at),
            })),
          }
        : null,
    };
  },
});
