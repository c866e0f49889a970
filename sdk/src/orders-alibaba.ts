import type { OperationBody, OperationData, OperationQuery } from './operations.js';
import type { CallOptions, MutationOptions, RequestOptions } from './transport.js';

/** What the 1688 order resources need from {@link PonteClient}. */
interface SignedRequest {
  request<T>(method: string, path: string, options?: RequestOptions): Promise<T>;
}

type Options = CallOptions & { userId?: string };
type Mutation = MutationOptions & { userId?: string };

export type AlibabaOrder = OperationData<'alibabaOrderDetail'>;
export type AlibabaOrderPage = OperationData<'alibabaOrderPage'>;
export type AlibabaOrderPageInput = OperationBody<'alibabaOrderPage'>;
export type AlibabaOrderPreview = OperationData<'alibabaOrderPreview'>;
export type AlibabaPreviewInput = OperationBody<'alibabaOrderPreview'>;
export type AlibabaPreviewBatchInput = OperationBody<'alibabaOrderPreviewBatch'>;
export type AlibabaCreateOrderInput = OperationBody<'alibabaOrderCreate'>;
export type AlibabaCreateOrderResult = OperationData<'alibabaOrderCreate'>;
export type AlibabaBatchCreateInput = OperationBody<'alibabaOrderBatchCreate'>;
export type AlibabaBatchCreateResult = OperationData<'alibabaOrderBatchCreate'>;
export type AlibabaPayUrl = OperationData<'alibabaOrderPayUrl'>;
export type AlibabaBatchPayResult = OperationData<'alibabaOrderBatchPay'>;
export type AlibabaCancelInput = OperationBody<'alibabaOrderCancel'>;
export type AlibabaLogisticsTrace = OperationData<'alibabaOrderLogisticsTrace'>;
type Language = NonNullable<OperationQuery<'alibabaOrderLogisticsTrace'>['language']>;

/** 1688 orders (`/alibaba/order/*`). Amounts are fen, times epoch milliseconds. */
export class AlibabaOrders {
  constructor(private readonly client: SignedRequest) {}

  private post<T>(path: string, body: unknown, options: Options | Mutation): Promise<T> {
    return this.client.request<T>('POST', path, { ...options, body });
  }

  /** What an order of one supplier would cost (A14); each line's problem, if any. */
  preview(input: AlibabaPreviewInput, options: Options = {}): Promise<AlibabaOrderPreview> {
    return this.post('/alibaba/order/create/preview', input, options);
  }

  /** What orders of several suppliers would cost (A10), one result per supplier. */
  previewBatch(input: AlibabaPreviewBatchInput, options: Options = {}): Promise<AlibabaOrderPreview> {
    return this.post('/alibaba/order/create/previewbatch', input, options);
  }

  /**
   * Creates an order of one supplier (A15). Retries reuse one `Idempotency-Key`, so a retried creation never
   * buys twice; pass your own `idempotencyKey` to retry across processes.
   * @throws {ApiError} 40001 several suppliers or a missing address part, 40401 unknown offer, 42202 stock or minimum.
   */
  create(input: AlibabaCreateOrderInput, options: Mutation = {}): Promise<AlibabaCreateOrderResult> {
    return this.post('/alibaba/order/create', input, options);
  }

  /** Creates one order per supplier (A11), each whole or not at all; failures are listed with their codes. */
  createBatch(input: AlibabaBatchCreateInput, options: Mutation = {}): Promise<AlibabaBatchCreateResult> {
    return this.post('/alibaba/order/batch/create', input, options);
  }

  /**
   * Pays an order from the balance (A17) when it covers it (`protocolPaySuccess`), else answers `payUrl`, a
   * page where it can be paid once the balance is topped up. Safe to retry: an order is never debited twice.
   * @throws {ApiError} 40901 closed, 42203 the seller changed the price (read the order again).
   */
  payUrl(orderId: string, options: Options = {}): Promise<AlibabaPayUrl> {
    return this.client.request('GET', '/alibaba/order/pay/url', { ...options, query: { orderId } });
  }

  /** Pays several orders in the order given (A9); those that could not be paid are listed with why. */
  payBatch(orderIds: string[], options: Mutation = {}): Promise<AlibabaBatchPayResult> {
    return this.post('/alibaba/order/batch/submit/to/pay', { orderIds }, options);
  }

  /** Cancels an unpaid order (A16). @throws {ApiError} 40901 in its first 10 s or once a payment has begun. */
  cancel(orderId: string, cancelReason: string, remark?: string, options: Mutation = {}): Promise<boolean> {
    const body: AlibabaCancelInput = { webSite: '1688', orderId, cancelReason, ...(remark ? { remark } : {}) };
    return this.post('/alibaba/order/cancel', body, options);
  }

  /** Confirms the goods arrived (A18). @throws {ApiError} 40901 before the seller ships. */
  confirmReceipt(orderId: string, options: Mutation = {}): Promise<boolean> {
    return this.post('/alibaba/order/receive/confirm', { orderId }, options);
  }

  /** An order in 1688's buyer view (A19). @throws {ApiError} 40401 when it is not one the caller may see. */
  get(orderId: string, language?: Language, options: Options = {}): Promise<AlibabaOrder> {
    return this.post('/alibaba/order/detail', { webSite: '1688', orderId, ...(language ? { language } : {}) }, options);
  }

  /** One page of orders, newest first (A13). */
  list(input: AlibabaOrderPageInput = {}, options: Options = {}): Promise<AlibabaOrderPage> {
    return this.post('/alibaba/order/page', input, options);
  }

  /** Every order matching `input`, page after page (`pageSize` per request, default 50). */
  async *iterate(
    input: Omit<AlibabaOrderPageInput, 'beginPage'> = {},
    options: Options = {},
  ): AsyncGenerator<AlibabaOrder, void, undefined> {
    const pageSize = input.pageSize ?? 50;
    for (let beginPage = 1; ; beginPage++) {
      const page = await this.list({ ...input, beginPage, pageSize }, options);
      yield* page.result;
      if (page.result.length < pageSize || beginPage * pageSize >= page.totalRecords) return;
    }
  }

  /** The seller's parcels and their tracking steps (A12); empty before the seller ships. */
  trace(orderId: string, language?: Language, options: Options = {}): Promise<AlibabaLogisticsTrace> {
    return this.client.request('GET', '/alibaba/order/logistics/trace', {
      ...options,
      query: language ? { orderId, language } : { orderId },
    });
  }
}
