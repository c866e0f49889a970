import type { OperationBody, OperationData, OperationQuery } from './operations.js';
import type { CallOptions, MutationOptions, RequestOptions } from './transport.js';

/** What the Taobao after-sales resource needs from {@link PonteClient}. */
interface SignedRequest {
  request<T>(method: string, path: string, options?: RequestOptions): Promise<T>;
}

type Options = CallOptions & { userId?: string };
type Mutation = MutationOptions & { userId?: string };

/** A reverse order with the line it is about, in PandaPon's `refundOrderAggregate` envelope (T20, T22, T24, T25). */
export type TaobaoRefund = OperationData<'taobaoGetRefund'>;
/** The reverse order itself: `refundOrder`, `purchaseOrderLine`, `logistics`, `subUserId`. */
export type TaobaoRefundAggregate = TaobaoRefund['refundOrderAggregate'];
export type TaobaoRefundPage = OperationData<'taobaoListRefunds'>;
export type TaobaoRefundListInput = NonNullable<OperationBody<'taobaoListRefunds'>>;
export type TaobaoRefundRenderInput = OperationBody<'taobaoRenderRefund'>;
export type TaobaoRefundRender = OperationData<'taobaoRenderRefund'>;
export type TaobaoRefundSubmitInput = OperationBody<'taobaoSubmitRefund'>;
export type TaobaoRefundModifyInput = OperationBody<'taobaoModifyRefund'>;
export type TaobaoRefundReturnRender = OperationData<'taobaoRenderRefundReturn'>;
export type TaobaoRefundReturnInput = OperationBody<'taobaoSubmitRefundReturn'>;
export type TaobaoRefundCancel = OperationData<'taobaoCancelRefund'>;
/** One message of a reverse order's conversation with the seller (yours, theirs, or the marketplace's). */
export type TaobaoRefundConversationMessage = OperationData<'taobaoSubmitRefundMessage'>;
export type TaobaoRefundConversationPage = OperationData<'taobaoListRefundMessages'>;
type Paging = Pick<OperationBody<'taobaoListRefundMessages'>, 'pageNo' | 'pageSize'>;
type RefundIdQuery = OperationQuery<'taobaoGetRefund'>;

/**
 * Taobao reverse orders (`/open/order/refund/*`, T16–T25): a refund of one paid order line, decided by the seller.
 * Amounts are fen, times epoch milliseconds. A refund credits the balance once, when it succeeds (`400`); each
 * change also comes as an `ORDER_BUYER_VIEW_ORDER_BUYER_REFUND` callback message.
 */
export class TaobaoRefunds {
  constructor(private readonly client: SignedRequest) {}

  private post<T>(path: string, body: unknown, options: Options | Mutation): Promise<T> {
    return this.client.request<T>('POST', path, { ...options, body });
  }

  /** One page of reverse orders, newest first (T16); filter by id, order, sub purchase order, status or time. */
  list(input: TaobaoRefundListInput = {}, options: Options = {}): Promise<TaobaoRefundPage> {
    return this.post('/open/order/refund/queryList', input, options);
  }

  /** Every reverse order matching `input`, page after page (`pageSize` per request, default 20). */
  async *iterate(
    input: Omit<TaobaoRefundListInput, 'pageNo'> = {},
    options: Options = {},
  ): AsyncGenerator<TaobaoRefundAggregate, void, undefined> {
    const pageSize = input.pageSize ?? 20;
    for (let pageNo = 1; ; pageNo++) {
      const page = await this.list({ ...input, pageNo, pageSize }, options);
      yield* page.refundOrderAggregates;
      if (page.refundOrderAggregates.length < pageSize || pageNo * pageSize >= page.total) return;
    }
  }

  /**
   * What a reverse order of one line may say (T17): the reasons for the chosen `refundType` and `goodsStatus`,
   * the types and goods states the line allows now, and the most you may ask (`maxRefundFee.refundFee`).
   * `saleFlag` is false when the line cannot have one now.
   * @throws {ApiError} 40001 a `refundType` or `goodsStatus` the line does not allow, 40401 not your line.
   */
  render(input: TaobaoRefundRenderInput, options: Options = {}): Promise<TaobaoRefundRender> {
    return this.post('/open/order/refund/render', input, options);
  }

  /**
   * Asks the seller to refund one paid line (T22), `subOrderId` being its `purchaseOrderLineId`. Retries reuse
   * one `Idempotency-Key`, so a retried submit never opens two; pass your own `idempotencyKey` to retry across
   * processes.
   * @throws {ApiError} 40001 more than the line has left, 40901 the line has an open reverse order already.
   */
  submit(input: TaobaoRefundSubmitInput, options: Mutation = {}): Promise<TaobaoRefund> {
    return this.post('/open/order/refund/submit', input, options);
  }

  /** One reverse order as Ponte last heard of it (T25). @throws {ApiError} 40401 when it is not one you may see. */
  get(refundId: string, options: Options = {}): Promise<TaobaoRefund> {
    const query: RefundIdQuery = { refundId };
    return this.client.request('GET', '/open/order/refund/query', { ...options, query });
  }

  /**
   * Changes a reverse order the seller has not agreed to (T24): waiting (`100`), or refused (`-10`), which goes
   * back to `100`. Only the fields given change; new `refundImages` replace the pictures.
   * @throws {ApiError} 40901 in any other state.
   */
  modify(input: TaobaoRefundModifyInput, options: Mutation = {}): Promise<TaobaoRefund> {
    return this.post('/open/order/refund/modify', input, options);
  }

  /**
   * Withdraws a reverse order (T20) in `100`, `-10` or `200`: it closes (`-20`). The endpoint is a GET, which
   * carries no `Idempotency-Key`; repeating it is harmless: a closed one answers `cancelSuccess: false` with its
   * state (so after a retried call, read `refundStatus` rather than `cancelSuccess`).
   * @throws {ApiError} 40901 once refunded or while the returned parcel is on its way.
   */
  cancel(refundId: string, options: Options = {}): Promise<TaobaoRefundCancel> {
    return this.client.request('GET', `/open/order/refund/cancel/${encodeURIComponent(refundId)}`, options);
  }

  /**
   * Writes to the seller about a reverse order (T21), in any state. `images`: at most 10 pictures, as paths
   * answered by `client.alibaba.refunds.uploadVoucher` or `data:image/…;base64,` URLs (JPEG, GIF, PNG, BMP, 1 MB).
   */
  addMessage(
    refundId: string,
    message: string,
    images?: string | string[],
    options: Mutation = {},
  ): Promise<TaobaoRefundConversationMessage> {
    const body = { refundId, refundMessage: message, ...(images === undefined ? {} : { refundImages: images }) };
    return this.post('/open/order/refund/submit/message', body, options);
  }

  /** The conversation about a reverse order, oldest first (T23), read from the marketplace. */
  messages(refundId: string, paging: Paging = {}, options: Options = {}): Promise<TaobaoRefundConversationPage> {
    return this.post('/open/order/refund/message/queryList', { refundId, ...paging }, options);
  }

  /**
   * Where to send the goods of a return the seller agreed to (`200`), until when, and the carriers whose
   * `logisticCompanyCode` {@link submitReturn} takes (T18). @throws {ApiError} 40901 for a refund only, or before.
   */
  returnLogistics(refundId: string, options: Options = {}): Promise<TaobaoRefundReturnRender> {
    const query: OperationQuery<'taobaoRenderRefundReturn'> = { refundId };
    return this.client.request('GET', '/open/order/refund/returnLogistics/render', { ...options, query });
  }

  /**
   * Records the return parcel (T19): carrier code and tracking number. The reverse order moves to `300` until the
   * seller receives the goods (or its deadline passes), then it is refunded. @throws {ApiError} 40901 unless `200`.
   */
  submitReturn(input: TaobaoRefundReturnInput, options: Mutation = {}): Promise<TaobaoRefund> {
    return this.post('/open/order/refund/returnLogistics/submit', input, options);
  }
}
