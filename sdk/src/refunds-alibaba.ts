import { base64Encode } from '#crypto';
import type { OperationBody, OperationData, OperationQuery } from './operations.js';
import type { CallOptions, MutationOptions, RequestOptions } from './transport.js';

/** What the 1688 after-sales resource needs from {@link PonteClient}. */
interface SignedRequest {
  request<T>(method: string, path: string, options?: RequestOptions): Promise<T>;
}

type Options = CallOptions & { userId?: string };
type Mutation = MutationOptions & { userId?: string };

/** A 1688 refund in 1688's refund model (A20): status, amounts, reason, refusal, return, every step. */
export type AlibabaRefund = OperationData<'alibabaRefundInfo'>;
export type AlibabaRefundReasonsInput = OperationBody<'alibabaRefundReasons'>;
export type AlibabaRefundReasons = OperationData<'alibabaRefundReasons'>;
export type AlibabaRefundVoucher = OperationData<'alibabaUploadRefundVoucher'>;
export type AlibabaCreateRefundInput = OperationBody<'alibabaCreateRefund'>;
export type AlibabaCreateRefundResult = OperationData<'alibabaCreateRefund'>;
export type AlibabaReturnGoodsInput = OperationBody<'alibabaReturnRefundGoods'>;
export type AlibabaReturnGoodsResult = OperationData<'alibabaReturnRefundGoods'>;
export type AlibabaLogisticsCompany = OperationData<'alibabaLogisticsCompanies'>[number];
type Language = NonNullable<OperationQuery<'alibabaLogisticsCompanies'>['language']>;

/**
 * 1688 refunds (`/alibaba/refund/*`, A20–A25): a refund or return of one sub-order of a paid order, decided by the
 * seller. Amounts are fen, times epoch milliseconds, refund ids start with `TQ`. A refund credits the balance once,
 * when it succeeds (`refundsuccess`); each change also comes as a callback message
 * (`ORDER_BUYER_VIEW_ORDER_BUYER_REFUND_IN_SALES` before the trade succeeded, `…_REFUND_AFTER_SALES` after).
 */
export class AlibabaRefunds {
  constructor(private readonly client: SignedRequest) {}

  private post<T>(path: string, body: unknown, options: Options | Mutation): Promise<T> {
    return this.client.request<T>('POST', path, { ...options, body });
  }

  /**
   * The reasons 1688 accepts for a refund of one sub-order whose goods are where `goodsStatus` says, whether each
   * wants voucher pictures, and the most you may ask (`maxApplyPayment`) (A21). `refundable` is false when the
   * sub-order cannot have a refund now.
   */
  reasons(input: AlibabaRefundReasonsInput, options: Options = {}): Promise<AlibabaRefundReasons> {
    return this.post('/alibaba/refund/reason/list', input, options);
  }

  /**
   * Stores an evidence picture (A22) and answers its path: give `imageRelativeUrl` (or `imageDomain` +
   * `imageRelativeUrl`) in `vouchers` or `refundImages`; `url` shows it to you until `expiresAt`. `picture` is
   * the bytes (a `Buffer` or `Uint8Array`), or base64 text, optionally as a `data:image/…;base64,` URL.
   * @throws {ApiError} 40001 not a JPEG, GIF, PNG or BMP picture, or larger than 1 MB.
   */
  uploadVoucher(picture: Uint8Array | string, options: Mutation = {}): Promise<AlibabaRefundVoucher> {
    const imageBase64 = typeof picture === 'string' ? picture : base64Encode(picture);
    return this.post('/alibaba/refund/voucher/upload', { imageBase64 }, options);
  }

  /**
   * Asks the seller of a paid order to refund one sub-order (A23): `disputeRequest` `refund` or `returnRefund`,
   * a reason of {@link reasons}, voucher pictures of {@link uploadVoucher}. Retries reuse one `Idempotency-Key`, so
   * a retried create never opens two; pass your own `idempotencyKey` to retry across processes.
   * @throws {ApiError} 40001 more than the sub-order has left, 40901 it has an open refund already.
   */
  create(input: AlibabaCreateRefundInput, options: Mutation = {}): Promise<AlibabaCreateRefundResult> {
    return this.post('/alibaba/refund/detail/create', input, options);
  }

  /** A refund's details (A20). @throws {ApiError} 40401 when it is not one you may see. */
  info(refundId: string, language?: Language, options: Options = {}): Promise<AlibabaRefund> {
    return this.client.request('POST', '/alibaba/refund/info', {
      ...options,
      query: { refundId },
      ...(language ? { body: { language } } : {}),
    });
  }

  /**
   * Records the return parcel of a refund whose seller agreed to a return (`waitbuyersend`) (A24): a carrier's
   * `companyNo` of {@link logisticsCompanies} and the tracking number. The refund moves to `waitsellerreceive`.
   * @throws {ApiError} 40001 unknown carrier, 40901 in another state.
   */
  returnGoods(input: AlibabaReturnGoodsInput, options: Mutation = {}): Promise<AlibabaReturnGoodsResult> {
    return this.post('/alibaba/refund/goods/return', input, options);
  }

  /** The carriers a return parcel can go with (A25), named in Chinese and in `language`. */
  logisticsCompanies(language?: Language, options: Options = {}): Promise<AlibabaLogisticsCompany[]> {
    return this.client.request('GET', '/alibaba/logistics/company/list', {
      ...options,
      ...(language ? { query: { language } } : {}),
    });
  }
}
