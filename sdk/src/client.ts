import { AddressesResource } from './addresses.js';
import { AlibabaCart, TaobaoCart } from './carts.js';
import { AlibabaGoods, TaobaoGoods } from './goods.js';
import { LogisticsResource } from './logistics.js';
import { MessagesResource } from './messages-client.js';
import type { OperationBody, OperationData, OperationQuery } from './operations.js';
import { AlibabaOrders } from './orders-alibaba.js';
import { TaobaoOrders } from './orders-taobao.js';
import { AccountResource } from './payments.js';
import { AlibabaRefunds } from './refunds-alibaba.js';
import { TaobaoRefunds } from './refunds-taobao.js';
import { type SignatureMethod, type SignedRequest, signRequest, signRequestWithCanonical } from './signing.js';
import {
  type CallOptions,
  type MutationOptions,
  type RequestOptions,
  Transport,
  type TransportOptions,
} from './transport.js';
import { type V2Api, v2Api } from './v2.js';
import { signRequestWebCrypto } from './webcrypto.js';

export type { OperationBody, OperationData, OperationQuery } from './operations.js';
export {
  type CallOptions,
  type Envelope,
  encodeQuery,
  type MutationOptions,
  type Query,
  type QueryValue,
  type RequestOptions,
  Transport,
  type TransportOptions,
  unwrapEnvelope,
} from './transport.js';

export type SubAccount = OperationData<'getSubAccount'>;
export type SubAccountPage = OperationData<'listSubAccounts'>;
export type CreateSubAccountInput = OperationBody<'createSubAccount'>;
export type PagingParams = OperationQuery<'listSubAccounts'>;

/** Options of {@link PonteClient}. */
export interface PonteClientOptions extends TransportOptions {
  accessKey: string;
  accessSecret: string;
  /** The sub-account acting by default (the `user-id` header); a call can override it. */
  userId: string;
  /** `hmac-sha256` (default) or the legacy `md5`, which the operator must enable for the key. */
  signatureMethod?: SignatureMethod;
  /**
   * Sign with the runtime's Web Crypto (`crypto.subtle`, asynchronous) instead of the SDK's own hashes: the same
   * signatures, computed by the browser's native implementation (default false).
   */
  webCrypto?: boolean;
  /** Called with every attempt's canonical string and system headers, as signed (for tools that show them). */
  onSigned?: (signed: SignedRequest & { method: string; url: string }) => void;
}

/** Sub-accounts of the calling developer (`/open/user/*`). */
export class UsersResource {
  constructor(private readonly client: PonteClient) {}

  /**
   * Creates a sub-account; only the main account may. Retries reuse one `Idempotency-Key`, so a retried
   * creation never makes two sub-accounts.
   * @throws {ApiError} 40301 when acting as a sub-account, 40901 when `outMemberId` is taken.
   */
  create(input: CreateSubAccountInput, options: MutationOptions & { userId?: string } = {}): Promise<SubAccount> {
    return this.client.request<SubAccount>('POST', '/open/user/create', { ...options, body: input });
  }

  /** One page of sub-accounts: all of the developer's for the main account, only itself for a sub-account. */
  list(params: PagingParams = {}, options: CallOptions & { userId?: string } = {}): Promise<SubAccountPage> {
    return this.client.request<SubAccountPage>('GET', '/open/user/list', { ...options, query: params });
  }

  /**
   * One sub-account by its `userId`.
   * @throws {ApiError} 40401 when it is not one the caller may see.
   */
  get(userId: string, options: CallOptions & { userId?: string } = {}): Promise<SubAccount> {
    return this.client.request<SubAccount>('GET', '/open/user/get', { ...options, query: { userId } });
  }

  /** Every visible sub-account, fetching page after page (`pageSize` per request, default 50). */
  async *iterate(
    params: { pageSize?: number } = {},
    options: CallOptions & { userId?: string } = {},
  ): AsyncGenerator<SubAccount, void, undefined> {
    const pageSize = params.pageSize ?? 50;
    for (let pageNo = 1; ; pageNo++) {
      const page = await this.list({ pageNo, pageSize }, options);
      yield* page.list;
      if (page.list.length < pageSize || pageNo * pageSize >= page.total) return;
    }
  }
}

/**
 * Client of the Ponte API for a developer: signs every request (docs/architecture.md §5), retries what is safe
 * to retry, and returns the envelope's `data` or throws {@link ApiError} / {@link NetworkError}.
 *
 * ```ts
 * const client = new PonteClient({ baseUrl, accessKey, accessSecret, userId });
 * const sub = await client.users.create({ name: 'Hanoi store' });
 * ```
 */
export class PonteClient {
  /** Sub-accounts. */
  readonly users: UsersResource;
  /** The acting sub-account's receiving addresses. */
  readonly addresses: AddressesResource;
  /** Taobao goods, orders (`taobao.orders`), reverse orders (`taobao.refunds`) and ordering the cart (`taobao.cart`). */
  readonly taobao: TaobaoGoods & { cart: TaobaoCart; orders: TaobaoOrders; refunds: TaobaoRefunds };
  /** 1688 goods and marketing lists, orders (`alibaba.orders`), refunds (`alibaba.refunds`) and the cart. */
  readonly alibaba: AlibabaGoods & { cart: AlibabaCart; orders: AlibabaOrders; refunds: AlibabaRefunds };
  /** The developer's balance and its ledger. */
  readonly account: AccountResource;
  /** Callback messages: listing, delivery attempts, redelivery, pull, and the callback settings. */
  readonly messages: MessagesResource;
  /** International freight (estimates, previews, bookings), parcels, and the goods at the warehouse. */
  readonly logistics: LogisticsResource;
  /**
   * PandaPon's v2 surface: every v2 operation by name (`client.v2.taobaoGetProduct({ itemId })`), with opaque ids of
   * goods, SKUs, offers and orders.
   */
  readonly v2: V2Api;
  private readonly transport: Transport;

  /** A client signing as `accessKey` and acting as `userId` unless a call names another sub-account. */
  constructor(private readonly options: PonteClientOptions) {
    this.transport = new Transport(options);
    this.users = new UsersResource(this);
    this.addresses = new AddressesResource(this);
    this.taobao = Object.assign(new TaobaoGoods(this), {
      cart: new TaobaoCart(this),
      orders: new TaobaoOrders(this),
      refunds: new TaobaoRefunds(this),
    });
    this.alibaba = Object.assign(new AlibabaGoods(this), {
      cart: new AlibabaCart(this),
      orders: new AlibabaOrders(this),
      refunds: new AlibabaRefunds(this),
    });
    this.account = new AccountResource(this);
    this.messages = new MessagesResource(this);
    this.logistics = new LogisticsResource(this);
    this.v2 = v2Api(this);
  }

  /**
   * Sends a signed request to any endpoint and returns the envelope's `data`.
   *
   * The body is JSON-encoded once and those bytes are both signed and sent. Network failures and
   * timeouts (and 429/503 with a bounded `Retry-After`) are retried up to `maxRetries` times, each
   * attempt signed anew; requests other than GET carry the same `Idempotency-Key` on every attempt.
   * @throws {ApiError} when the server answers with an error code or without an envelope.
   * @throws {NetworkError} when no reply arrived after the last attempt.
   */
  request<T = unknown>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    const { accessKey, accessSecret, signatureMethod, webCrypto, onSigned } = this.options;
    const userId = options.userId ?? this.options.userId;
    if (!webCrypto && !onSigned) {
      return this.transport.call<T>(method, path, options, (m, url, body) =>
        signRequest({ method: m, url, body, accessKey, accessSecret, userId, signatureMethod }),
      );
    }
    return this.transport.call<T>(method, path, options, async (m, url, body) => {
      const input = { method: m, url, body, accessKey, accessSecret, userId, signatureMethod };
      const signed = webCrypto ? await signRequestWebCrypto(input) : signRequestWithCanonical(input);
      onSigned?.({ ...signed, method: m, url });
      return signed.headers;
    });
  }
}
