import type { Executor } from '../../platform/db/database.js';
import type { AppDeps } from '../../platform/deps.js';
import { putByContent } from '../../platform/files/file-store.js';
import { ApiError, notFound } from '../../platform/http/errors.js';
import { phrase } from '../../platform/http/reasons.js';
import { enqueue } from '../../platform/outbox/outbox.js';
import { developersRepo } from '../accounts/index.js';
import { ACCOUNTS, balanceOf, postTransaction } from './ledger.js';
import {
  type LedgerFilter,
  ledgerRepo,
  type TopupRow,
  topupsRepo,
  type VoucherRow,
  vouchersRepo,
} from './payments.repo.js';
import type { VoucherPicture } from './voucher-picture.js';

type Deps = Pick<AppDeps, 'ids' | 'clock'>;

/** The outbox event of an approved voucher that names an order: the orders module pays the order. */
export const VOUCHER_APPROVED_EVENT = 'payments.voucher_approved';

export interface VoucherApprovedPayload {
  voucherId: string;
  developId: string;
  orderId: string;
}

/** A developer's balance and when it last moved; 40401 for an unknown developer. */
export async function developerBalance(db: Executor, developId: string) {
  const developer = await developersRepo.find(db, developId);
  if (!developer) throw notFound('developer', developId);
  const account = await ledgerRepo.account(db, ACCOUNTS.balance(developId));
  return {
    balanceFen: account ? Number(account.balance_fen) : 0,
    updateTime: account ? Number(account.updated_at) : Number(developer.created_at),
  };
}

/** One page of the entries of a developer's balance, newest first. */
export async function ledgerPage(
  db: Executor,
  developId: string,
  q: { pageNo?: number; pageSize?: number; kind?: string; startTime?: number; endTime?: number },
) {
  const pageNo = q.pageNo ?? 1;
  const pageSize = q.pageSize ?? 20;
  const filter: LedgerFilter = {
    account: ACCOUNTS.balance(developId),
    kind: q.kind,
    startTime: q.startTime,
    endTime: q.endTime,
    offset: (pageNo - 1) * pageSize,
    limit: pageSize,
  };
  return { pageNo, pageSize, ...(await ledgerRepo.page(db, filter)) };
}

export interface TopupInput {
  amountFen: number;
  reference: string;
  note?: string | undefined;
}

/**
 * Credits a developer's balance with money the operator received outside Ponte: a `topups` row and
 * its ledger transaction (`topup:{topupId}`) in the caller's transaction. 40401 for an unknown developer.
 */
export async function topUp(db: Executor, deps: Deps, developId: string, input: TopupInput) {
  if (!(await developersRepo.find(db, developId))) throw notFound('developer', developId);
  return credit(db, deps, {
    developId,
    amountFen: input.amountFen,
    source: 'operator',
    voucherId: null,
    reference: input.reference,
    note: input.note ?? '',
  });
}

interface Credit {
  developId: string;
  amountFen: number;
  source: TopupRow['source'];
  voucherId: string | null;
  reference: string;
  note: string;
  orderId?: string | null;
}

async function credit(
  db: Executor,
  deps: Deps,
  t: Credit,
): Promise<{ topup: TopupRow; transactionId: string; balanceFen: number }> {
  const now = deps.clock.now();
  const topup: TopupRow = {
    id: deps.ids.next(now),
    develop_id: t.developId,
    amount_fen: t.amountFen,
    source: t.source,
    voucher_id: t.voucherId,
    reference: t.reference,
    note: t.note,
    created_at: now,
  };
  await topupsRepo.insert(db, topup);
  const byVoucher = t.voucherId !== null;
  const posted = await postTransaction(db, deps, {
    // A voucher credits once whatever happens: its key is the voucher's, not the top-up's.
    idemKey: byVoucher ? `voucher:${t.voucherId}` : `topup:${topup.id}`,
    kind: byVoucher ? 'voucher_topup' : 'topup',
    developId: t.developId,
    topupId: topup.id,
    ...(byVoucher ? { voucherId: t.voucherId as string } : {}),
    ...(t.orderId ? { orderId: t.orderId } : {}),
    memo: byVoucher
      ? `Payment voucher approved (reference ${t.reference})`
      : `Top-up by the operator (reference ${t.reference})`,
    entries: [
      { account: ACCOUNTS.balance(t.developId), amountFen: t.amountFen },
      { account: ACCOUNTS.topups, amountFen: -t.amountFen },
    ],
  });
  if (!posted.created) throw new ApiError(40901, { reason: phrase('voucherApproved') });
  return { topup, transactionId: posted.transactionId, balanceFen: await balanceOf(db, t.developId) };
}

export interface CreateVoucherInput {
  developId: string;
  userId: string;
  orderId: string | null;
  amountFen: number;
  reference: string;
  note?: string | undefined;
  /** Already checked by its content (`readVoucherPicture`). */
  picture: VoucherPicture;
}

/**
 * Records a payment voucher (`pending`) and stores its picture in the file store, in the caller's
 * transaction. The picture is written first: a rollback leaves an unreferenced file, never a voucher
 * without its picture. It is named by its content (`vouchers/{developId}/{sha256}.{ext}`), so the same
 * receipt sent again, by a retry or for another order, is kept once.
 */
export async function createVoucher(
  trx: Executor,
  deps: Pick<AppDeps, 'ids' | 'clock' | 'files'>,
  input: CreateVoucherInput,
): Promise<VoucherRow> {
  const now = deps.clock.now();
  const id = deps.ids.next(now);
  const { bytes, contentType, ext } = input.picture;
  const key = await putByContent(deps.files, `vouchers/${input.developId}`, bytes, contentType, ext);
  const row: VoucherRow = {
    id,
    develop_id: input.developId,
    user_id: input.userId,
    order_id: input.orderId,
    amount_fen: input.amountFen,
    reference: input.reference,
    note: input.note ?? '',
    picture_key: key,
    picture_type: input.picture.contentType,
    status: 'pending',
    review_note: null,
    reviewed_at: null,
    created_at: now,
    updated_at: now,
  };
  await vouchersRepo.insert(trx, row);
  return row;
}

export async function findVoucher(db: Executor, voucherId: string): Promise<VoucherRow> {
  const row = await vouchersRepo.find(db, voucherId);
  if (!row) throw notFound('voucher', voucherId);
  return row;
}

async function review(
  db: Executor,
  deps: Deps,
  voucherId: string,
  status: 'approved' | 'rejected',
  note: string | null,
): Promise<VoucherRow> {
  const voucher = await findVoucher(db, voucherId);
  if (!(await vouchersRepo.review(db, voucherId, status, note, deps.clock.now()))) {
    const current = await findVoucher(db, voucherId);
    throw new ApiError(40901, {
      reason: phrase(current.status === 'approved' ? 'voucherApproved' : 'voucherRejected'),
    });
  }
  return (await vouchersRepo.find(db, voucher.id)) as VoucherRow;
}

/**
 * Approves a pending voucher in the caller's transaction: the voucher becomes `approved`, its amount is
 * credited to the developer's balance (a `topups` row and ledger transaction `voucher:{voucherId}`),
 * and when it names an order an outbox event tells the orders module to pay it. 40901 unless pending.
 */
export async function approveVoucher(db: Executor, deps: Deps, voucherId: string, note: string | undefined) {
  const voucher = await review(db, deps, voucherId, 'approved', note ?? null);
  const credited = await credit(db, deps, {
    developId: voucher.develop_id,
    amountFen: Number(voucher.amount_fen),
    source: 'voucher',
    voucherId: voucher.id,
    reference: voucher.reference,
    note: note ?? '',
    orderId: voucher.order_id,
  });
  if (voucher.order_id) {
    const payload: VoucherApprovedPayload = {
      voucherId: voucher.id,
      developId: voucher.develop_id,
      orderId: voucher.order_id,
    };
    await enqueue(db, deps, VOUCHER_APPROVED_EVENT, payload, { orderingKey: `order:${voucher.order_id}` });
  }
  return { voucher, ...credited };
}

/** Rejects a pending voucher; no money moves. 40901 unless pending. */
export function rejectVoucher(db: Executor, deps: Deps, voucherId: string, note: string): Promise<VoucherRow> {
  return review(db, deps, voucherId, 'rejected', note);
}
