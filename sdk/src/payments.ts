import type { OperationBody, OperationData, OperationQuery } from './operations.js';
import { rfc3986 } from './signing.js';
import type { CallOptions, MutationOptions, RequestOptions } from './transport.js';

/** What the payments resources need from {@link PonteClient} or {@link PonteAdminClient}. */
interface Requester {
  request<T>(method: string, path: string, options?: Omit<RequestOptions, 'userId'>): Promise<T>;
}

interface SignedRequester {
  request<T>(method: string, path: string, options?: RequestOptions): Promise<T>;
}

type Options = CallOptions & { userId?: string };

export type AccountBalance = OperationData<'getAccountBalance'>;
export type LedgerPage = OperationData<'getAccountLedger'>;
export type LedgerEntry = LedgerPage['entries'][number];
export type LedgerQuery = OperationQuery<'getAccountLedger'>;
export type LedgerKind = LedgerEntry['kind'];
export type TopupInput = OperationBody<'adminCreateTopup'>;
export type TopupResult = OperationData<'adminCreateTopup'>;
export type PaymentVoucher = OperationData<'adminGetVoucher'>;
export type PaymentVoucherPage = OperationData<'adminListVouchers'>;
export type PaymentVoucherQuery = OperationQuery<'adminListVouchers'>;
export type PaymentVoucherStatus = PaymentVoucher['status'];
export type ApprovedVoucher = OperationData<'adminApproveVoucher'>;

const seg = (value: string) => rfc3986(value);

/** The developer's prepaid balance and its ledger (`/open/account/*`). */
export class AccountResource {
  constructor(private readonly client: SignedRequester) {}

  /** The balance in fen, shared by every sub-account of the developer. */
  balance(options: Options = {}): Promise<AccountBalance> {
    return this.client.request('GET', '/open/account/balance', options);
  }

  /**
   * One page of the balance's movements, newest first, each naming its order, voucher or top-up.
   * @throws {ApiError} 40301 when acting as a sub-account (the ledger is the main account's).
   */
  ledger(query: LedgerQuery = {}, options: Options = {}): Promise<LedgerPage> {
    return this.client.request('GET', '/open/account/ledger', { ...options, query });
  }
}

/** Credits to developers' balances (`/admin/developers/:developId/topups`). */
export class AdminTopups {
  constructor(private readonly admin: Requester) {}

  /**
   * Credits money received outside Ponte to a developer's balance. Retries reuse one `Idempotency-Key`,
   * so a retried top-up never credits twice. @throws {ApiError} 40401 for an unknown developer.
   */
  create(developId: string, input: TopupInput, options: MutationOptions = {}): Promise<TopupResult> {
    return this.admin.request('POST', `/admin/developers/${seg(developId)}/topups`, { ...options, body: input });
  }
}

/** Payment vouchers developers upload for the operator to review (`/admin/vouchers`). */
export class AdminVouchers {
  constructor(private readonly admin: Requester) {}

  /** One page of vouchers of a status (default `pending`, oldest first). */
  list(query: PaymentVoucherQuery = {}, options: CallOptions = {}): Promise<PaymentVoucherPage> {
    return this.admin.request('GET', '/admin/vouchers', { ...options, query });
  }

  /** A voucher with its `pictureUrl` (fetch it with the operator token). @throws {ApiError} 40401 when unknown. */
  get(voucherId: string, options: CallOptions = {}): Promise<PaymentVoucher> {
    return this.admin.request('GET', `/admin/vouchers/${seg(voucherId)}`, options);
  }

  /**
   * Approves a pending voucher: its amount is credited to the balance once, and the order it names is
   * paid next. @throws {ApiError} 40901 when it is not pending.
   */
  approve(voucherId: string, input: { note?: string } = {}, options: MutationOptions = {}): Promise<ApprovedVoucher> {
    return this.admin.request('POST', `/admin/vouchers/${seg(voucherId)}/approve`, { ...options, body: input });
  }

  /** Rejects a pending voucher, saying why; no money moves. @throws {ApiError} 40901 when it is not pending. */
  reject(voucherId: string, input: { note: string }, options: MutationOptions = {}): Promise<PaymentVoucher> {
    return this.admin.request('POST', `/admin/vouchers/${seg(voucherId)}/reject`, { ...options, body: input });
  }
}

/** A developer's balance, as the operator sees it. */
export function adminBalance(admin: Requester, developId: string, options: CallOptions = {}): Promise<AccountBalance> {
  return admin.request('GET', `/admin/developers/${seg(developId)}/balance`, options);
}

/** One page of a developer's ledger, as the operator sees it. */
export function adminLedger(
  admin: Requester,
  developId: string,
  query: LedgerQuery = {},
  options: CallOptions = {},
): Promise<LedgerPage> {
  return admin.request('GET', `/admin/developers/${seg(developId)}/ledger`, { ...options, query });
}
