import type { Selectable } from 'kysely';
import type { Executor } from '../../platform/db/database.js';
import type { PaymentVouchersTable, TopupsTable } from '../../platform/db/schema.js';

export type TopupRow = Selectable<TopupsTable>;
export type VoucherRow = Selectable<PaymentVouchersTable>;
export type VoucherStatus = VoucherRow['status'];

/** One entry of an account with what its transaction belongs to. */
export interface LedgerEntryRow {
  entryId: string;
  transactionId: string;
  kind: string;
  amountFen: number;
  balanceAfterFen: number;
  orderId: string | null;
  paymentId: string | null;
  voucherId: string | null;
  topupId: string | null;
  memo: string;
  createdAt: number;
}

export interface LedgerFilter {
  account: string;
  kind?: string | undefined;
  /** Inclusive bounds on the entry's time (epoch ms). */
  startTime?: number | undefined;
  endTime?: number | undefined;
  offset: number;
  limit: number;
}

export const ledgerRepo = {
  /** An account's running balance and when it last moved; undefined before its first movement. */
  account: (db: Executor, account: string) =>
    db
      .selectFrom('ledger_accounts')
      .select(['balance_fen', 'updated_at'])
      .where('account', '=', account)
      .executeTakeFirst(),

  /** One page of an account's entries, newest first (in the order its balance moved), and how many match. */
  async page(db: Executor, f: LedgerFilter): Promise<{ total: number; rows: LedgerEntryRow[] }> {
    let base = db
      .selectFrom('ledger_entries as e')
      .innerJoin('ledger_transactions as t', 't.id', 'e.transaction_id')
      .where('e.account', '=', f.account);
    if (f.kind) base = base.where('t.kind', '=', f.kind);
    if (f.startTime !== undefined) base = base.where('e.created_at', '>=', f.startTime);
    if (f.endTime !== undefined) base = base.where('e.created_at', '<=', f.endTime);
    const total = await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const rows = await base
      .select([
        'e.id as entryId',
        'e.transaction_id as transactionId',
        't.kind as kind',
        'e.amount_fen as amountFen',
        'e.balance_after_fen as balanceAfterFen',
        't.order_id as orderId',
        't.payment_id as paymentId',
        't.voucher_id as voucherId',
        't.topup_id as topupId',
        't.memo as memo',
        'e.created_at as createdAt',
      ])
      .orderBy('e.account_seq', 'desc')
      .offset(f.offset)
      .limit(f.limit)
      .execute();
    return { total: Number(total.n), rows };
  },
};

export const topupsRepo = {
  insert: (db: Executor, row: TopupRow) => db.insertInto('topups').values(row).execute(),
};

export const vouchersRepo = {
  insert: (db: Executor, row: VoucherRow) => db.insertInto('payment_vouchers').values(row).execute(),

  find: (db: Executor, id: string) =>
    db.selectFrom('payment_vouchers').selectAll().where('id', '=', id).executeTakeFirst(),

  /**
   * Moves a pending voucher to `approved` or `rejected`; false when it is no longer pending. The
   * condition is in the update, so of two concurrent reviews only one wins.
   */
  async review(
    db: Executor,
    id: string,
    status: Exclude<VoucherStatus, 'pending'>,
    note: string | null,
    now: number,
  ): Promise<boolean> {
    const r = await db
      .updateTable('payment_vouchers')
      .set({ status, review_note: note, reviewed_at: now, updated_at: now })
      .where('id', '=', id)
      .where('status', '=', 'pending')
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  },

  /** Pending vouchers oldest first (a queue to work through); reviewed ones most recently reviewed first. */
  async page(
    db: Executor,
    q: { status: VoucherStatus; developId?: string | undefined; offset: number; limit: number },
  ): Promise<{ total: number; rows: VoucherRow[] }> {
    let base = db.selectFrom('payment_vouchers').where('status', '=', q.status);
    if (q.developId) base = base.where('develop_id', '=', q.developId);
    const total = await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    let rows = base.selectAll();
    rows =
      q.status === 'pending'
        ? rows.orderBy('created_at').orderBy('id')
        : rows.orderBy('reviewed_at', 'desc').orderBy('id', 'desc');
    return { total: Number(total.n), rows: await rows.offset(q.offset).limit(q.limit).execute() };
  },
};
