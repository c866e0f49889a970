import { EpochMs, Int, PageNo, PageSize, Type } from '../../platform/http/schema.js';

/** Where a message stands in its delivery to the callback URL (docs/adr/0013). */
export const DeliveryStatus = Type.Union(
  [Type.Literal('held'), Type.Literal('pending'), Type.Literal('delivered'), Type.Literal('failed')],
  {
    description:
      '`held`: not queued (no enabled callback URL when written, or the URL was disabled); `pending`: queued or ' +
      'waiting for a retry; `delivered`: a 2xx acknowledged it; `failed`: the retry schedule ran out',
    examples: ['delivered'],
  },
);

const MessagePlatform = Type.Union([Type.Integer(), Type.Null()], {
  description: '0 Taobao, 1 1688; null for the messages about the callback URL itself',
  examples: [1],
});

/** The fields of a message as a delivery POSTs it (`wire.ts` `deliveredBody`). */
const deliveredFields = {
  messageId: Type.String({
    description: 'Stable id of the message (the same on every delivery: the `webhook-id` header)',
    examples: ['1849203311240003584'],
  }),
  messageType: Type.String({ description: 'The callback type', examples: ['ORDER_BUYER_VIEW_ORDER_PAY'] }),
  messagePlatform: MessagePlatform,
  messageBody: Type.Unknown({ description: 'The body as the callback carries it' }),
  timestamp: Type.Integer({ description: 'When the message was written (epoch ms)', examples: [1733385600000] }),
  version: Type.Integer({ description: "The object's version: grows with every message about it", examples: [3] }),
};

export const MessageItem = Type.Object({
  ...deliveredFields,
  objectType: Type.String({
    description: 'What the message is about: `order`, `refund`, or `callback` (the callback URL itself)',
    examples: ['order'],
  }),
  objectId: Type.String({ description: "Ponte's id of the object", examples: ['1849203311240003500'] }),
  status: DeliveryStatus,
  attemptCount: Type.Integer({
    description: 'Delivery attempts made so far, every redelivery included',
    examples: [1],
  }),
  nextAttemptTime: Type.Union([Type.Integer(), Type.Null()], {
    description: 'When the next attempt is due (epoch ms); null unless `pending`',
  }),
  deliveredTime: Type.Union([Type.Integer(), Type.Null()], {
    description: 'When a receiver last acknowledged it (epoch ms), or null',
  }),
});

export const MessageList = Type.Object({
  total: Type.Integer({ description: 'Messages matching the filters' }),
  pageNo: Type.Integer(),
  pageSize: Type.Integer(),
  messages: Type.Array(MessageItem, { description: "This page's messages, newest first" }),
});

/** The filters of a message listing, the developer's and the operator's. */
export const MessageFilters = {
  messageType: Type.Optional(
    Type.String({ maxLength: 64, description: 'Only this type', examples: ['ORDER_BUYER_VIEW_ORDER_PAY'] }),
  ),
  messagePlatform: Type.Optional(
    Type.Union([Type.Literal(0), Type.Literal(1)], { description: 'Only this platform: 0 Taobao, 1 1688' }),
  ),
  objectId: Type.Optional(
    Type.String({ pattern: '^[0-9A-Za-z]{1,32}$', description: 'Only messages about this order or refund' }),
  ),
  status: Type.Optional(DeliveryStatus),
  startTime: Type.Optional(EpochMs('Only messages written at or after this time')),
  endTime: Type.Optional(EpochMs('Only messages written before this time (after `startTime`)')),
};

export const MessageListQuery = Type.Object(
  { pageNo: PageNo, pageSize: PageSize, ...MessageFilters },
  { additionalProperties: false },
);

export const MessageIdField = Type.String({
  pattern: '^[0-9]{1,20}$',
  description: 'The message id',
  examples: ['1849203311240003584'],
});

export const Attempt = Type.Object({
  attempt: Type.Integer({ description: "The attempt's number, from 1 (redeliveries keep counting)", examples: [1] }),
  attemptTime: Type.Integer({ description: 'When it was sent (epoch ms)', examples: [1733385600000] }),
  url: Type.String({ description: 'Where it was sent', examples: ['https://reseller.example/ponte/callbacks'] }),
  httpStatus: Type.Union([Type.Integer(), Type.Null()], {
    description: 'The HTTP status answered; null when none was (timeout, refused connection)',
    examples: [200],
  }),
  durationMs: Type.Integer({ description: 'How long the attempt took', examples: [42] }),
  response: Type.Union([Type.String(), Type.Null()], { description: 'The first 1 KB of the answer' }),
  error: Type.Union([Type.String(), Type.Null()], {
    description: 'Why it failed',
    examples: ['answered HTTP 500'],
  }),
  outcome: Type.Union(
    [Type.Literal('delivered'), Type.Literal('retry'), Type.Literal('failed'), Type.Literal('gone')],
    {
      description:
        '`delivered` (2xx), `retry` (a failure with attempts left), `failed` (the last of the schedule), `gone` ' +
        '(410: the URL was disabled)',
    },
  ),
});

export const MessageAttempts = Type.Object({
  message: MessageItem,
  attempts: Type.Array(Attempt, { description: 'Every attempt, oldest first' }),
});

export const RedeliverBody = Type.Object(
  {
    messageId: Type.Optional(MessageIdField),
    startTime: Type.Optional(EpochMs('Redeliver the messages written at or after this time')),
    endTime: Type.Optional(EpochMs('… and before this time; at most 30 days after `startTime`')),
    onlyFailed: Type.Optional(Type.Boolean({ description: 'Only the `failed` messages of the range' })),
  },
  {
    additionalProperties: false,
    description: 'Either `messageId`, or `startTime` and `endTime` (and optionally `onlyFailed`)',
  },
);

export const Redelivered = Type.Object({
  redelivered: Type.Integer({ description: 'How many messages were queued again', examples: [12] }),
});

export const PulledMessage = Type.Object({ ...deliveredFields, status: DeliveryStatus });

export const PullQuery = Type.Object(
  {
    cursor: Type.Optional(
      Type.String({
        maxLength: 64,
        description: 'The `cursor` of the previous answer; none starts at the oldest message kept',
        examples: ['1733385600000.1849203311240003584'],
      }),
    ),
    limit: Type.Optional(Int('Messages per answer', 1, 500, 100)),
  },
  { additionalProperties: false },
);

export const PullPage = Type.Object({
  messages: Type.Array(PulledMessage, { description: 'Messages in the order they were written' }),
  cursor: Type.Union([Type.String(), Type.Null()], {
    description:
      'Pass it to the next pull: after the last message answered (the one given when none was; null when neither)',
    examples: ['1733385600000.1849203311240003584'],
  }),
  hasMore: Type.Boolean({ description: 'Whether more messages can be pulled at once' }),
});

export const CallbackSettings = Type.Object({
  url: Type.String({ description: 'The callback URL', examples: ['https://reseller.example/ponte/callbacks'] }),
  enabled: Type.Boolean({ description: 'Whether messages are delivered to it' }),
  disabledReason: Type.Union([Type.String(), Type.Null()], {
    description: 'Why delivery stopped: `gone` (the receiver answered 410) or `failing` (5 days of failures)',
  }),
  disabledTime: Type.Union([Type.Integer(), Type.Null()], { description: 'When delivery stopped (epoch ms)' }),
  secretId: Type.String({ description: 'Names the signing secret (never the secret)', examples: ['cbs_5f2c0a9e41d7'] }),
  previousSecretId: Type.Union([Type.String(), Type.Null()], {
    description: 'The previous secret, while it still signs beside the current one',
  }),
  previousSecretExpireTime: Type.Union([Type.Integer(), Type.Null()], {
    description: 'Until when the previous secret signs (epoch ms)',
  }),
  verifiedTime: Type.Integer({ description: 'When the URL last answered the verification POST (epoch ms)' }),
});

export const CallbackSecretField = {
  callbackSecret: Type.Union([Type.String(), Type.Null()], {
    description:
      'The signing secret (`whsec_` + base64), shown only in the answer that made it: keep it; settings name it by `secretId`',
    examples: ['whsec_Zx0m5d2p0V1bW2pVqk9m7yL8r3sT4uQ1'],
  }),
};

const count = (what: string) => Type.Integer({ description: `Messages ${what}`, minimum: 0, examples: [0] });

/** A developer's delivery state, as the operator sees it. */
export const CallbackState = Type.Object({
  developId: Type.String({ description: 'The developer', examples: ['1795432287562383360'] }),
  settings: Type.Union([CallbackSettings, Type.Null()], { description: 'null before a URL was saved' }),
  failingSince: Type.Union([Type.Integer(), Type.Null()], {
    description: 'Since when every attempt failed (epoch ms); 5 days of it disable the URL',
  }),
  counts: Type.Object(
    {
      held: count('held'),
      pending: count('queued or waiting for a retry'),
      delivered: count('delivered'),
      failed: count('failed'),
    },
    { description: 'Messages kept (30 days) by delivery status' },
  ),
  lastAttempt: Type.Union(
    [
      Type.Object({ messageId: Type.String({ description: 'The message it sent' }), ...Attempt.properties }),
      Type.Null(),
    ],
    { description: 'The latest delivery attempt, or null' },
  ),
});
