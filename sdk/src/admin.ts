import {
  type CallOptions,
  type MutationOptions,
  type OperationBody,
  type OperationData,
  type OperationQuery,
  type RequestOptions,
  Transport,
  type TransportOptions,
} from './client.js';
import { AdminFreight, AdminShipments, AdminWarehouse } from './logistics-admin.js';
import { AdminMessages } from './messages-client.js';
import {
  type AccountBalance,
  AdminTopups,
  AdminVouchers,
  adminBalance,
  adminLedger,
  type LedgerPage,
  type LedgerQuery,
} from './payments.js';
import { AdminSandbox } from './sandbox.js';
import { rfc3986 } from './signing.js';

export type Developer = OperationData<'adminSetDeveloperStatus'>;
export type CreatedDeveloper = OperationData<'adminCreateDeveloper'>;
export type DeveloperWithKeys = OperationData<'adminGetDeveloper'>;
export type DeveloperPage = OperationData<'adminListDevelopers'>;
export type CreateDeveloperInput = OperationBody<'adminCreateDeveloper'>;
export type AccessKeyInfo = OperationData<'adminRevokeKey'>;
export type IssuedKey = OperationData<'adminIssueKey'>;
export type RotatedKey = OperationData<'adminRotateKey'>;
export type AdminSubAccount = OperationData<'adminCreateSubAccount'>;
export type AdminSubAccountPage = OperationData<'adminListSubAccounts'>;
export type AdminCreateSubAccountInput = OperationBody<'adminCreateSubAccount'>;
export type AdminPagingParams = OperationQuery<'adminListDevelopers'>;
export type AccountStatus = 'active' | 'disabled';
export type DeadLetter = OperationData<'adminRetryDeadLetter'>;
export type DeadLetterPage = OperationData<'adminListDeadLetters'>;
export type DeadLetterQuery = OperationQuery<'adminListDeadLetters'>;
export type AdminOrderPage = OperationData<'adminListOrders'>;
export type AdminOrder = AdminOrderPage['list'][number];
export type AdminOrderQuery = OperationQuery<'adminListOrders'>;
export type AdminOrderDetail = OperationData<'adminGetOrder'>;
export type AdminStats = OperationData<'adminStats'>;
export type AdminStatsQuery = OperationQuery<'adminStats'>;
export type CallbackHealthPage = OperationData<'adminCallbackHealth'>;
export type CallbackHealth = CallbackHealthPage['list'][number];
export type CallbackHealthQuery = OperationQuery<'adminCallbackHealth'>;

/** Options of {@link PonteAdminClient}. */
export interface PonteAdminClientOptions extends TransportOptions {
  /** The operator's bearer token (`PONTE_ADMIN_TOKEN` or `<data dir>/admin-token` on the server). */
  token: string;
}

const seg = (value: string) => rfc3986(value);

/** Developers (`/admin/developers`). */
export class AdminDevelopers {
  constructor(private readonly admin: PonteAdminClient) {}

  /** Creates a developer with its main sub-account and first key; the key's secret is only in this reply. */
  create(input: CreateDeveloperInput, options: MutationOptions = {}): Promise<CreatedDeveloper> {
    return this.admin.request('POST', '/admin/developers', { ...options, body: input });
  }

  /** One page of developers, newest first. */
  list(params: AdminPagingParams = {}, options: CallOptions = {}): Promise<DeveloperPage> {
    return this.admin.request('GET', '/admin/developers', { ...options, query: params });
  }

  /** A developer with its access keys (without secrets). @throws {ApiError} 40401 when unknown. */
  get(developId: string, options: CallOptions = {}): Promise<DeveloperWithKeys> {
    return this.admin.request('GET', `/admin/developers/${seg(developId)}`, options);
  }

  /** Enables or disables a developer; a disabled developer's keys answer 40105 from the next request. */
  setStatus(developId: string, status: AccountStatus, options: MutationOptions = {}): Promise<Developer> {
    return this.admin.request('POST', `/admin/developers/${seg(developId)}/status`, { ...options, body: { status } });
  }
}

/** Access keys (`/admin/developers/:developId/keys`, `/admin/keys/:accessKey/*`). */
export class AdminKeys {
  constructor(private readonly admin: PonteAdminClient) {}

  /** Issues another key for a developer; the secret is only in this reply. */
  issue(developId: string, input: { label?: string } = {}, options: MutationOptions = {}): Promise<IssuedKey> {
    return this.admin.request('POST', `/admin/developers/${seg(developId)}/keys`, { ...options, body: input });
  }

  /** A developer's keys, without secrets. */
  list(developId: string, options: CallOptions = {}): Promise<AccessKeyInfo[]> {
    return this.admin
      .request<{ list: AccessKeyInfo[] }>('GET', `/admin/developers/${seg(developId)}/keys`, options)
      .then((r) => r.list);
  }

  /**
   * Gives a key a new secret. For `overlapSeconds` (server default 86400) the previous secret still
   * verifies; 0 ends it at once. @throws {ApiError} 40901 when the key is revoked.
   */
  rotate(
    accessKey: string,
    input: { overlapSeconds?: number } = {},
    options: MutationOptions = {},
  ): Promise<RotatedKey> {
    return this.admin.request('POST', `/admin/keys/${seg(accessKey)}/rotate`, { ...options, body: input });
  }

  /** Revokes a key: every server process refuses it from the next request. */
  revoke(accessKey: string, options: MutationOptions = {}): Promise<AccessKeyInfo> {
    return this.admin.request('POST', `/admin/keys/${seg(accessKey)}/revoke`, options);
  }

  /** Allows or forbids the legacy MD5 signature (which does not cover the request) for a key. */
  setLegacyMd5(accessKey: string, enabled: boolean, options: MutationOptions = {}): Promise<AccessKeyInfo> {
    return this.admin.request('POST', `/admin/keys/${seg(accessKey)}/legacy-md5`, { ...options, body: { enabled } });
  }

  /** Allows or forbids v2 requests without `nonce-str` for a key (each such signature is then accepted once). */
  setNonceless(accessKey: string, enabled: boolean, options: MutationOptions = {}): Promise<AccessKeyInfo> {
    return this.admin.request('POST', `/admin/keys/${seg(accessKey)}/nonceless`, { ...options, body: { enabled } });
  }
}

/** Sub-accounts of any developer (`/admin/developers/:developId/users`, `/admin/users/:userId`). */
export class AdminUsers {
  constructor(private readonly admin: PonteAdminClient) {}

  /** Creates a sub-account for a developer. @throws {ApiError} 40901 when `outMemberId` is taken. */
  create(
    developId: string,
    input: AdminCreateSubAccountInput,
    options: MutationOptions = {},
  ): Promise<AdminSubAccount> {
    return this.admin.request('POST', `/admin/developers/${seg(developId)}/users`, { ...options, body: input });
  }

  /** One page of a developer's sub-accounts, oldest first. */
  list(developId: string, params: AdminPagingParams = {}, options: CallOptions = {}): Promise<AdminSubAccountPage> {
    return this.admin.request('GET', `/admin/developers/${seg(developId)}/users`, { ...options, query: params });
  }

  /**
   * Enables or disables a sub-account; requests acting as a disabled one answer 40301.
   * @throws {ApiError} 40901 when disabling a main account.
   */
  setStatus(userId: string, status: AccountStatus, options: MutationOptions = {}): Promise<AdminSubAccount> {
    return this.admin.request('POST', `/admin/users/${seg(userId)}/status`, { ...options, body: { status } });
  }
}

/** Orders of every developer and both platforms (`/admin/orders`). */
export class AdminOrders {
  constructor(private readonly admin: PonteAdminClient) {}

  /**
   * One page of orders, newest first, optionally of one platform, status (the neutral word or a platform's own),
   * developer or sub-account.
   */
  list(query: AdminOrderQuery = {}, options: CallOptions = {}): Promise<AdminOrderPage> {
    return this.admin.request('GET', '/admin/orders', { ...options, query });
  }

  /**
   * An order with its parts, lines, status history, payments and refund ids.
   * @throws {ApiError} 40401 when no order has this id.
   */
  get(orderId: string, options: CallOptions = {}): Promise<AdminOrderDetail> {
    return this.admin.request('GET', `/admin/orders/${seg(orderId)}`, options);
  }
}

/** Callback delivery across developers (`/admin/callbacks`). */
export class AdminCallbacks {
  constructor(private readonly admin: PonteAdminClient) {}

  /**
   * One page of developers with a callback URL, newest URL first: state, queue, the last 24 hours' attempts, the
   * last delivery and failure; `state: 'failing'` for the ones that need attention.
   */
  health(query: CallbackHealthQuery = {}, options: CallOptions = {}): Promise<CallbackHealthPage> {
    return this.admin.request('GET', '/admin/callbacks', { ...options, query });
  }
}

/**
 * Client of the operator API (`/admin`), authenticated with the bearer token. Mutations carry an
 * `Idempotency-Key` (the same on every retry); failures throw {@link ApiError} or {@link NetworkError}.
 */
/** Background work that kept failing (`/admin/dead-letters`). */
export class AdminDeadLetters {
  constructor(private readonly admin: PonteAdminClient) {}

  /** One page of dead rows (upstream events and other background work), newest first, with their last error. */
  list(params: DeadLetterQuery = {}, options: CallOptions = {}): Promise<DeadLetterPage> {
    return this.admin.request('GET', '/admin/dead-letters', { ...options, query: params });
  }

  /** Runs a dead row again from its first attempt. @throws {ApiError} 40401 when no dead row has this id. */
  retry(id: string, options: MutationOptions = {}): Promise<DeadLetter> {
    return this.admin.request('POST', `/admin/dead-letters/${seg(id)}/retry`, options);
  }

  /** Gives up on a dead row, releasing the rows queued behind it. @throws {ApiError} 40401 when unknown. */
  discard(id: string, options: MutationOptions = {}): Promise<DeadLetter> {
    return this.admin.request('POST', `/admin/dead-letters/${seg(id)}/discard`, options);
  }
}

export class PonteAdminClient {
  readonly developers: AdminDevelopers;
  readonly keys: AdminKeys;
  readonly users: AdminUsers;
  /** Background work that kept failing. */
  readonly deadLetters: AdminDeadLetters;
  /** The sandbox marketplace's controls (when the server runs it as its upstream). */
  readonly sandbox: AdminSandbox;
  /** Credits to developers' balances. */
  readonly topups: AdminTopups;
  /** Payment vouchers to review. */
  readonly vouchers: AdminVouchers;
  /** Developers' callback delivery: state, messages, attempts, redelivery, re-enabling a URL. */
  readonly messages: AdminMessages;
  /** The warehouse: receipts, inspections, exceptions, returns. */
  readonly warehouse: AdminWarehouse;
  /** International parcels: pack (and settle), ship, deliver, cancel. */
  readonly shipments: AdminShipments;
  /** Freight rate cards. */
  readonly freight: AdminFreight;
  /** Orders of every developer. */
  readonly orders: AdminOrders;
  /** Callback delivery health across developers. */
  readonly callbacks: AdminCallbacks;
  private readonly transport: Transport;
  private readonly token: string;

  /** An operator client for the server at `baseUrl`, authenticated with `token`. */
  constructor(options: PonteAdminClientOptions) {
    this.transport = new Transport(options);
    this.token = options.token;
    this.developers = new AdminDevelopers(this);
    this.keys = new AdminKeys(this);
    this.users = new AdminUsers(this);
    this.deadLetters = new AdminDeadLetters(this);
    this.sandbox = new AdminSandbox(this);
    this.topups = new AdminTopups(this);
    this.vouchers = new AdminVouchers(this);
    this.messages = new AdminMessages(this);
    this.warehouse = new AdminWarehouse(this);
    this.shipments = new AdminShipments(this);
    this.freight = new AdminFreight(this);
    this.orders = new AdminOrders(this);
    this.callbacks = new AdminCallbacks(this);
  }

  /**
   * Volumes per UTC day over the last `days` (default 14, at most 90) and the queues now, optionally of one
   * developer. @throws {ApiError} 40001 naming `days` or `developId` for a bad value.
   */
  stats(query: AdminStatsQuery = {}, options: CallOptions = {}): Promise<AdminStats> {
    return this.request('GET', '/admin/stats', { ...options, query });
  }

  /** A developer's balance. @throws {ApiError} 40401 for an unknown developer. */
  balance(developId: string, options: CallOptions = {}): Promise<AccountBalance> {
    return adminBalance(this, developId, options);
  }

  /** One page of a developer's ledger, newest first. @throws {ApiError} 40401 for an unknown developer. */
  ledger(developId: string, query: LedgerQuery = {}, options: CallOptions = {}): Promise<LedgerPage> {
    return adminLedger(this, developId, query, options);
  }

  /**
   * Sends an operator request to any `/admin` or `/sandbox` endpoint and returns the envelope's `data`.
   * @throws {ApiError} when the server answers with an error code (40106 for a bad token).
   * @throws {NetworkError} when no reply arrived after the last attempt.
   */
  request<T = unknown>(method: string, path: string, options: Omit<RequestOptions, 'userId'> = {}): Promise<T> {
    const authorization = `Bearer ${this.token}`;
    return this.transport.call<T>(method, path, options, () => ({ authorization }));
  }
}
