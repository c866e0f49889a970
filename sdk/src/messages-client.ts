import type { OperationData, OperationQuery } from './operations.js';
import { rfc3986 } from './signing.js';
import type { CallOptions, MutationOptions, RequestOptions } from './transport.js';

/** What the messages resource needs from {@link PonteClient}. */
interface SignedRequester {
  request<T>(method: string, path: string, options?: RequestOptions): Promise<T>;
}

/** What the operator's messages resource needs from {@link PonteAdminClient}. */
interface Requester {
  request<T>(method: string, path: string, options?: Omit<RequestOptions, 'userId'>): Promise<T>;
}

type Options = CallOptions & { userId?: string };
type Mutation = MutationOptions & { userId?: string };

export type MessagePage = OperationData<'listMessages'>;
/** A message as the listings answer it: the delivered fields, what it is about, and its delivery state. */
export type ListedMessage = MessagePage['messages'][number];
export type MessageDeliveryStatus = ListedMessage['status'];
export type MessageListQuery = OperationQuery<'listMessages'>;
export type MessageFilters = Omit<MessageListQuery, 'pageNo' | 'pageSize'>;
export type MessageAttempts = OperationData<'listMessageAttempts'>;
export type MessageAttempt = MessageAttempts['attempts'][number];
export type MessagePullQuery = OperationQuery<'pullMessages'>;
export type MessagePullPage = OperationData<'pullMessages'>;
/** A pulled message: exactly what a delivery POSTs, plus its `status`. */
export type PulledMessage = MessagePullPage['messages'][number];
export type Redelivered = OperationData<'redeliverMessages'>;
export type CallbackSettings = NonNullable<OperationData<'getCallbackSettings'>>;
/** The settings with `callbackSecret`: the secret when this answer made it (shown once), else null. */
export type CallbackSettingsWithSecret = OperationData<'saveCallbackUrl'>;
export type CallbackState = OperationData<'adminGetCallbackState'>;
export type AdminMessageAttempts = OperationData<'adminListMessageAttempts'>;

/** What to redeliver: one message, or every message written in [startTime, endTime) (at most 30 days). */
export type RedeliverInput =
  | { messageId: string }
  | {
      /** Epoch ms, inclusive. */
      startTime: number;
      /** Epoch ms, exclusive; at most 30 days after `startTime`. */
      endTime: number;
      /** Only the messages whose retry schedule ran out. */
      onlyFailed?: boolean;
    };

const seg = (value: string) => rfc3986(value);

/** The developer's callback URL and signing secrets (`/open/message/callback`); main account only. */
export class CallbackSettingsResource {
  constructor(private readonly client: SignedRequester) {}

  /** The settings (URL, enabled or why not, the secrets' ids), or null before a URL was saved. */
  get(options: Options = {}): Promise<CallbackSettings | null> {
    return this.client.request('GET', '/open/message/callback', options);
  }

  /**
   * Saves the callback URL once it answers a signed verification POST with 2xx, and enables it. The first save
   * answers the signing secret in `callbackSecret`, the only time it is shown: keep it for `verifyCallback`.
   * @throws {ApiError} 40001 naming `callbackUrl` when the URL is refused or does not answer 2xx.
   */
  save(callbackUrl: string, options: Mutation = {}): Promise<CallbackSettingsWithSecret> {
    return this.client.request('POST', '/open/message/callback', { ...options, body: { callbackUrl } });
  }

  /**
   * Makes a new signing secret (answered once, in `callbackSecret`); the previous one keeps signing beside it for
   * `overlapSeconds` (server default 86400). @throws {ApiError} 40401 before a URL was saved.
   */
  rotateSecret(input: { overlapSeconds?: number } = {}, options: Mutation = {}): Promise<CallbackSettingsWithSecret> {
    return this.client.request('POST', '/open/message/callback/secret', { ...options, body: input });
  }
}

/** The developer's callback messages (`/open/message/*`): listing, attempts, redelivery, pull, settings. */
export class MessagesResource {
  /** The callback URL and signing secrets. */
  readonly callback: CallbackSettingsResource;

  constructor(private readonly client: SignedRequester) {
    this.callback = new CallbackSettingsResource(client);
  }

  /** One page of messages, newest first, with their delivery state; a sub-account sees its own objects' only. */
  list(query: MessageListQuery = {}, options: Options = {}): Promise<MessagePage> {
    return this.client.request('GET', '/open/message/list', { ...options, query });
  }

  /** Every message matching `filters`, newest first, fetching page after page (`pageSize` per request, 50). */
  async *iterate(
    filters: MessageFilters = {},
    params: { pageSize?: number } = {},
    options: Options = {},
  ): AsyncGenerator<ListedMessage, void, undefined> {
    const pageSize = params.pageSize ?? 50;
    for (let pageNo = 1; ; pageNo++) {
      const page = await this.list({ ...filters, pageNo, pageSize }, options);
      yield* page.messages;
      if (page.messages.length < pageSize || pageNo * pageSize >= page.total) return;
    }
  }

  /** A message with every attempt to deliver it, oldest first. @throws {ApiError} 40401 when not the caller's. */
  attempts(messageId: string, options: Options = {}): Promise<MessageAttempts> {
    return this.client.request('GET', '/open/message/attempts', { ...options, query: { messageId } });
  }

  /**
   * Queues one message, or a time range of them (optionally only the failed ones), for delivery again: a fresh
   * round of the retry schedule, the same `webhook-id`.
   * @throws {ApiError} 40901 without an enabled callback URL, 40401 for a message not the caller's.
   */
  redeliver(input: RedeliverInput, options: Mutation = {}): Promise<Redelivered> {
    return this.client.request('POST', '/open/message/redeliver', { ...options, body: input });
  }

  /**
   * Up to `limit` (default 100, at most 500) messages written after `cursor`, oldest first, each as a delivery
   * POSTs it plus its `status`; pass the answered `cursor` to the next call. Messages written in the last two
   * seconds are answered by a later pull. @throws {ApiError} 40001 for a malformed cursor.
   */
  pull(query: MessagePullQuery = {}, options: Options = {}): Promise<MessagePullPage> {
    return this.client.request('GET', '/open/message/pull', { ...options, query });
  }

  /**
   * Every message that can be pulled now after `cursor` (from the oldest kept without one), page after page.
   * Keep the last `cursor` this yields beside each message to resume from it later.
   */
  async *pullAll(
    cursor: string | null = null,
    params: { limit?: number } = {},
    options: Options = {},
  ): AsyncGenerator<{ message: PulledMessage; cursor: string }, void, undefined> {
    for (;;) {
      const page = await this.pull({ ...(cursor ? { cursor } : {}), ...params }, options);
      for (const message of page.messages) {
        cursor = `${message.timestamp}.${message.messageId}`;
        yield { message, cursor };
      }
      if (!page.hasMore || page.messages.length === 0) return;
      cursor = page.cursor;
    }
  }
}

/** Any developer's callback delivery (`/admin/developers/:developId/callback|messages`, `/admin/messages`). */
export class AdminMessages {
  constructor(private readonly admin: Requester) {}

  /** The developer's settings, failing time, messages counted by status and last attempt. */
  state(developId: string, options: CallOptions = {}): Promise<CallbackState> {
    return this.admin.request('GET', `/admin/developers/${seg(developId)}/callback`, options);
  }

  /** One page of the developer's messages, newest first, with the developer's filters. */
  list(developId: string, query: MessageListQuery = {}, options: CallOptions = {}): Promise<MessagePage> {
    return this.admin.request('GET', `/admin/developers/${seg(developId)}/messages`, { ...options, query });
  }

  /** Any message with its developer and attempts. @throws {ApiError} 40401 when unknown. */
  attempts(messageId: string, options: CallOptions = {}): Promise<AdminMessageAttempts> {
    return this.admin.request('GET', `/admin/messages/${seg(messageId)}/attempts`, options);
  }

  /** Queues the developer's message, or a range of its messages, again. @throws {ApiError} 40901 without a URL. */
  redeliver(developId: string, input: RedeliverInput, options: MutationOptions = {}): Promise<Redelivered> {
    return this.admin.request('POST', `/admin/developers/${seg(developId)}/messages/redeliver`, {
      ...options,
      body: input,
    });
  }

  /**
   * Re-enables a callback URL that delivery disabled; held messages wait for {@link AdminMessages.redeliver}.
   * @throws {ApiError} 40401 without a URL, 40901 when it is enabled already.
   */
  enable(developId: string, options: MutationOptions = {}): Promise<CallbackState> {
    return this.admin.request('POST', `/admin/developers/${seg(developId)}/callback/enable`, options);
  }
}
