import type { CallOptions, OperationBody, OperationData, OperationQuery } from './client.js';
import { rfc3986 } from './signing.js';

export type SandboxPlatform = 'taobao' | '1688';
export type SandboxStatus = OperationData<'sandboxStatus'>;
export type SandboxClock = OperationData<'sandboxClock'>;
export type SandboxAdvance = OperationData<'sandboxAdvanceClock'>;
export type SellerPolicy = OperationData<'sandboxPolicy'>;
export type SellerPolicyChange = OperationBody<'sandboxSetPolicy'>;
export type SandboxFault = OperationData<'sandboxSetFault'>;
export type SandboxFaultInput = OperationBody<'sandboxSetFault'>;
export type SandboxEventQuery = OperationQuery<'sandboxEvents'>;
export type SandboxEvent = OperationData<'sandboxEvents'>['list'][number];
export type SandboxOrder = OperationData<'sandboxGetOrder'>;
export type SandboxRefund = OperationData<'sandboxAgreeRefund'>;
export type SandboxShipInput = NonNullable<OperationBody<'sandboxShipOrder'>>;
export type SandboxReset = OperationData<'sandboxReset'>;
export interface SandboxResetInput {
  /** Goods per platform; the current catalog's by default. */
  goods?: number;
  /** Random seed; the current catalog's by default. */
  seed?: number;
  /** false: resolve at once with the running job, to follow with `resetJob`; true by default. */
  wait?: boolean;
}

/** What {@link AdminSandbox} needs from the operator client. */
interface OperatorRequest {
  request<T>(method: string, path: string, options?: CallOptions & { body?: unknown; query?: object }): Promise<T>;
}

const seg = (value: string) => rfc3986(value);

/**
 * The built-in sandbox marketplace's control API (`/sandbox`): move its clock, make sellers act now,
 * inject upstream faults, and read the market's events, to test an integration end to end.
 */
export class AdminSandbox {
  constructor(private readonly admin: OperatorRequest) {}

  status(options: CallOptions = {}): Promise<SandboxStatus> {
    return this.admin.request('GET', '/sandbox/status', options);
  }

  /**
   * Generates the catalog again and forgets orders, refunds, events, faults and the clock offset. Resolves
   * once the new catalog is in place (`state: 'done'`); with `wait: false` at once (`state: 'running'`), to
   * follow with {@link resetJob}, which suits catalogs that take longer than the client's `timeoutMs`.
   */
  reset(input: SandboxResetInput = {}, options: CallOptions = {}): Promise<SandboxReset> {
    return this.admin.request('POST', '/sandbox/reset', { ...options, body: input });
  }

  /** A reset's state (`running`, `done`, `failed`) and progress (`seededGoods` of `totalGoods`). */
  resetJob(jobId: string, options: CallOptions = {}): Promise<SandboxReset> {
    return this.admin.request('GET', `/sandbox/reset/${seg(jobId)}`, options);
  }

  clock(options: CallOptions = {}): Promise<SandboxClock> {
    return this.admin.request('GET', '/sandbox/clock', options);
  }

  /** Moves market time forward and runs what fell due (shipping, tracking, decisions, timeouts) before answering. */
  advance(seconds: number, options: CallOptions = {}): Promise<SandboxAdvance> {
    return this.admin.request('POST', '/sandbox/clock/advance', { ...options, body: { seconds } });
  }

  /** Market milliseconds per real millisecond (60: an hour passes in a minute). */
  setClockSpeed(speed: number, options: CallOptions = {}): Promise<SandboxClock> {
    return this.admin.request('PUT', '/sandbox/clock', { ...options, body: { speed } });
  }

  policy(options: CallOptions = {}): Promise<SellerPolicy> {
    return this.admin.request('GET', '/sandbox/policy', options);
  }

  /** Changes how sellers behave; fields left out keep their values, `{ reset: true }` restores the defaults. */
  setPolicy(change: SellerPolicyChange, options: CallOptions = {}): Promise<SellerPolicy> {
    return this.admin.request('PUT', '/sandbox/policy', { ...options, body: change });
  }

  faults(options: CallOptions = {}): Promise<SandboxFault[]> {
    return this.admin.request<{ list: SandboxFault[] }>('GET', '/sandbox/faults', options).then((r) => r.list);
  }

  /**
   * Injects a fault into a provider operation (`getProduct`, `search`, `createOrder`, … or `*`): calls then fail
   * with 50201 (`errorRate`), never answer so that they end in 50401 (`timeoutRate`), take effect and then never
   * answer so that the server reconciles them (`lostReplyRate`), or wait `latencyMs`.
   */
  setFault(operation: string, fault: SandboxFaultInput, options: CallOptions = {}): Promise<SandboxFault> {
    return this.admin.request('PUT', `/sandbox/faults/${seg(operation)}`, { ...options, body: fault });
  }

  /** Removes one operation's fault, or every fault when `operation` is left out; resolves to how many. */
  clearFaults(operation?: string, options: CallOptions = {}): Promise<number> {
    const path = operation === undefined ? '/sandbox/faults' : `/sandbox/faults/${seg(operation)}`;
    return this.admin.request<{ removed: number }>('DELETE', path, options).then((r) => r.removed);
  }

  /** The market's events, oldest first; page with `afterSeq`. */
  events(query: SandboxEventQuery = {}, options: CallOptions = {}): Promise<SandboxEvent[]> {
    return this.admin
      .request<{ list: SandboxEvent[] }>('GET', '/sandbox/events', { ...options, query })
      .then((r) => r.list);
  }

  /** An upstream order as its seller sees it. */
  order(platform: SandboxPlatform, orderId: string, options: CallOptions = {}): Promise<SandboxOrder> {
    return this.admin.request('GET', `/sandbox/${platform}/orders/${seg(orderId)}`, options);
  }

  /** Makes the seller ship a paid order now (all unshipped lines by default). */
  ship(platform: SandboxPlatform, orderId: string, input: SandboxShipInput = {}, options: CallOptions = {}) {
    return this.admin.request<SandboxOrder>('POST', `/sandbox/${platform}/orders/${seg(orderId)}/ship`, {
      ...options,
      body: input,
    });
  }

  /** Makes the seller change an unpaid order's total (fen). */
  modifyPrice(platform: SandboxPlatform, orderId: string, totalFen: number, options: CallOptions = {}) {
    return this.admin.request<SandboxOrder>('POST', `/sandbox/${platform}/orders/${seg(orderId)}/price`, {
      ...options,
      body: { totalFen },
    });
  }

  agreeRefund(platform: SandboxPlatform, refundId: string, options: CallOptions = {}): Promise<SandboxRefund> {
    return this.admin.request('POST', `/sandbox/${platform}/refunds/${seg(refundId)}/agree`, options);
  }

  refuseRefund(platform: SandboxPlatform, refundId: string, reason?: string, options: CallOptions = {}) {
    return this.admin.request<SandboxRefund>('POST', `/sandbox/${platform}/refunds/${seg(refundId)}/refuse`, {
      ...options,
      body: reason === undefined ? {} : { reason },
    });
  }

  /** Makes the seller confirm that a returned parcel arrived: the refund is paid. */
  receiveReturn(platform: SandboxPlatform, refundId: string, options: CallOptions = {}): Promise<SandboxRefund> {
    return this.admin.request('POST', `/sandbox/${platform}/refunds/${seg(refundId)}/receive-return`, options);
  }

  /** Sets the stock of one SKU, or of every SKU when `skuId` is left out. */
  setStock(platform: SandboxPlatform, productId: string, stock: number, skuId?: string, options: CallOptions = {}) {
    return this.admin.request<OperationData<'sandboxSetStock'>>(
      'PUT',
      `/sandbox/${platform}/goods/${seg(productId)}/stock`,
      { ...options, body: skuId === undefined ? { stock } : { stock, skuId } },
    );
  }

  /** Delists a product (`listed: false`) or puts it back on sale. */
  setListed(platform: SandboxPlatform, productId: string, listed: boolean, options: CallOptions = {}) {
    return this.admin.request<OperationData<'sandboxDelistProduct'>>(
      'POST',
      `/sandbox/${platform}/goods/${seg(productId)}/${listed ? 'relist' : 'delist'}`,
      options,
    );
  }
}
