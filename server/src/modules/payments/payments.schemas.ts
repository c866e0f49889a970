import { EpochMs, Id, Int, PageNo, PageSize, Strict, Text, Type } from '../../platform/http/schema.js';
import type { LedgerKind } from './ledger.js';
import type { LedgerEntryRow, TopupRow, VoucherRow } from './payments.repo.js';

/** The most one top-up or voucher may carry: 1,000,000 CNY in fen. */
export const MAX_AMOUNT_FEN = 100_000_000;

const Kind = Type.Union(
  [
    Type.Literal('topup'),
    Type.Literal('voucher_topup'),
    Type.Literal('order_payment'),
    Type.Literal('payment_reversal'),
    Type.Literal('order_refund'),
    Type.Literal('refund'),
    Type.Literal('freight_charge'),
    Type.Literal('freight_settle'),
    Type.Literal('freight_refund'),
    Type.Literal('storage_fee'),
    Type.Literal('adjustment'),
  ],
  {
    description:
      'What moved the money: `topup` (by the operator), `voucher_topup` (an approved payment voucher), ' +
      '`order_payment`, `payment_reversal` (a payment that could not be made upstream, given back), ' +
      '`order_refund` (an order the marketplace closed after payment), `refund` (an after-sales refund paid back), ' +
      '`freight_charge` (an international parcel booked: its estimate), `freight_settle` (the parcel weighed: the ' +
      'gap charged or the surplus refunded), `freight_refund` (a booking cancelled), `storage_fee` (warehouse ' +
      'storage past the free days), `adjustment`',
    examples: ['topup'],
  },
);

const Currency = Type.Literal('CNY', { description: 'Always CNY: amounts are in fen (1/100 CNY)' });
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()]);

export const Balance = Type.Object(
  {
    developId: Id('The developer the balance belongs to'),
    currency: Currency,
    balance: Int('The balance in fen; never below 0', 0, Number.MAX_SAFE_INTEGER, 150000),
    updateTime: EpochMs('When the balance last moved (the developer’s creation before any movement)'),
  },
  { description: "The developer's prepaid balance, shared by all its sub-accounts" },
);

export function toBalance(developId: string, balanceFen: number, updateTime: number) {
  return { developId, currency: 'CNY' as const, balance: balanceFen, updateTime };
}

export const LedgerQuery = Type.Object(
  {
    pageNo: PageNo,
    pageSize: PageSize,
    kind: Type.Optional(Kind),
    startTime: Type.Optional(EpochMs('Only entries at or after this time (epoch ms)')),
    endTime: Type.Optional(EpochMs('Only entries at or before this time (epoch ms)')),
  },
  { additionalProperties: false },
);

export const LedgerEntry = Type.Object(
  {
    entryId: Id('Id of the entry'),
    transactionId: Id('The ledger transaction it is part of (its other entries are on system accounts)'),
    kind: Kind,
    amount: Int('Signed amount in fen: positive credits the balance, negative debits it', -1e15, 1e15, 50000),
    balanceAfter: Int('The balance in fen right after this entry', 0, Number.MAX_SAFE_INTEGER, 150000),
    orderId: Nullable(Id('The order it pays or refunds')),
    paymentId: Nullable(Id('The order payment it belongs to')),
    voucherId: Nullable(Id('The payment voucher it credits')),
    topupId: Nullable(Id('The top-up it credits')),
    memo: Text('What happened, in words', 500, 'Top-up by the operator (bank transfer 20260115-001)'),
    createTime: EpochMs('When the entry was written'),
  },
  { description: 'One movement of the balance; it names the order, voucher or top-up it belongs to' },
);

export function toLedgerEntry(row: LedgerEntryRow) {
  return {
    entryId: row.entryId,
    transactionId: row.transactionId,
    kind: row.kind as LedgerKind,
    amount: Number(row.amountFen),
    balanceAfter: Number(row.balanceAfterFen),
    orderId: row.orderId,
    paymentId: row.paymentId,
    voucherId: row.voucherId,
    topupId: row.topupId,
    memo: row.memo,
    createTime: Number(row.createdAt),
  };
}

export const LedgerPage = Type.Object({
  total: Int('Number of entries matching the filters', 0, Number.MAX_SAFE_INTEGER),
  pageNo: Int('This page', 1, 100_000),
  pageSize: Int('Page size', 1, 50),
  currency: Currency,
  entries: Type.Array(LedgerEntry, { description: 'Newest first' }),
});

export const Topup = Type.Object(
  {
    topupId: Id('Id of the top-up'),
    developId: Id('The developer credited'),
    amount: Int('Amount credited, in fen', 1, MAX_AMOUNT_FEN, 100000),
    source: Type.Union([Type.Literal('operator'), Type.Literal('voucher')], {
      description: '`operator`: entered by the operator; `voucher`: an approved payment voucher',
    }),
    voucherId: Nullable(Id('The approved voucher, for `source` `voucher`')),
    reference: Text('The bank or transfer reference', 64, '20260115-ICBC-0042'),
    note: Text('Operator note', 200, 'January prepayment'),
    createTime: EpochMs('When the balance was credited'),
  },
  { description: 'Money credited to a developer’s balance' },
);

export function toTopup(row: TopupRow) {
  return {
    topupId: row.id,
    developId: row.develop_id,
    amount: Number(row.amount_fen),
    source: row.source,
    voucherId: row.voucher_id,
    reference: row.reference,
    note: row.note,
    createTime: Number(row.created_at),
  };
}

export const TopupInput = Strict({
  amount: Int('Amount to credit, in fen (at most 1,000,000 CNY)', 1, MAX_AMOUNT_FEN, 100000),
  reference: Text('The bank or transfer reference of the money received', 64, '20260115-ICBC-0042', 1),
  note: Type.Optional(Text('Operator note', 200, 'January prepayment')),
});

export const TopupResult = Type.Object({
  topup: Topup,
  transactionId: Id('The ledger transaction that credited the balance'),
  balance: Balance,
});

const VoucherStatus = Type.Union([Type.Literal('pending'), Type.Literal('approved'), Type.Literal('rejected')], {
  description: '`pending` until the operator approves it (the balance is credited) or rejects it',
  examples: ['pending'],
});

export const UploadedVoucher = Type.Object({
  voucherId: Id('Id of the payment voucher'),
  orderId: Id('The order it pays'),
  amount: Int('Amount transferred, in fen', 1, MAX_AMOUNT_FEN, 15800),
  status: Type.Literal('pending', { description: 'Always `pending`: the operator reviews it' }),
  createTime: EpochMs('When it was uploaded'),
});

export const Voucher = Type.Object(
  {
    voucherId: Id('Id of the payment voucher'),
    developId: Id('The developer that uploaded it'),
    userId: Id('The sub-account that uploaded it'),
    orderId: Nullable(Id('The order it pays, if any')),
    amount: Int('Amount transferred, in fen', 1, MAX_AMOUNT_FEN, 15800),
    reference: Text('The bank or transfer reference', 64, '20260115-ICBC-0042'),
    note: Text("The developer's note", 200, 'Paid from the Hanoi account'),
    status: VoucherStatus,
    reviewNote: Nullable(Text('The operator’s note when reviewing it', 200, 'Transfer received')),
    reviewTime: Nullable(EpochMs('When it was approved or rejected')),
    pictureType: Text('Media type of the picture', 32, 'image/jpeg'),
    pictureUrl: Text(
      'The picture (GET with the operator token)',
      2048,
      'http://127.0.0.1:3000/admin/vouchers/1/picture',
    ),
    createTime: EpochMs('When it was uploaded'),
    updateTime: EpochMs('Last change'),
  },
  { description: 'A payment voucher: proof of a bank transfer, for the operator to review' },
);

export function toVoucher(row: VoucherRow, baseUrl: string) {
  return {
    voucherId: row.id,
    developId: row.develop_id,
    userId: row.user_id,
    orderId: row.order_id,
    amount: Number(row.amount_fen),
    reference: row.reference,
    note: row.note,
    status: row.status,
    reviewNote: row.review_note,
    reviewTime: row.reviewed_at === null ? null : Number(row.reviewed_at),
    pictureType: row.picture_type,
    pictureUrl: `${baseUrl}/admin/vouchers/${row.id}/picture`,
    createTime: Number(row.created_at),
    updateTime: Number(row.updated_at),
  };
}

export const VoucherListQuery = Type.Object(
  {
    status: Type.Optional(VoucherStatus),
    developId: Type.Optional(Id('Only this developer’s vouchers')),
    pageNo: PageNo,
    pageSize: PageSize,
  },
  { additionalProperties: false },
);

export const VoucherPage = Type.Object({
  list: Type.Array(Voucher),
  total: Int('Number of vouchers matching the filters', 0, Number.MAX_SAFE_INTEGER),
});

export const VoucherParams = Type.Object({ voucherId: Id('Id of the payment voucher') });
export const DeveloperParams = Type.Object({ developId: Id('Developer id') });

export const ApprovedVoucher = Type.Object({
  voucher: Voucher,
  topup: Topup,
  balance: Balance,
});
