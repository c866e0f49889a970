import { Type } from '../../platform/http/schema.js';

export const MessageItem = Type.Object({
  messageId: Type.String({
    description: 'Stable id of the message (the same on every delivery)',
    examples: ['1849203311240003584'],
  }),
  messageType: Type.String({ description: 'The callback type', examples: ['ORDER_BUYER_VIEW_ORDER_PAY'] }),
  messagePlatform: Type.Integer({ description: '0 Taobao, 1 1688', examples: [1] }),
  objectType: Type.String({ description: 'What the message is about: `order` or `refund`', examples: ['order'] }),
  objectId: Type.String({ description: "Ponte's id of the object", examples: ['1849203311240003500'] }),
  version: Type.Integer({ description: "The object's version: grows with every message about it", examples: [3] }),
  messageBody: Type.Unknown({ description: 'The body as the callback carries it' }),
  timestamp: Type.Integer({ description: 'When the message was written (epoch ms)', examples: [1733385600000] }),
});

export const MessageList = Type.Object({
  total: Type.Integer(),
  pageNo: Type.Integer(),
  pageSize: Type.Integer(),
  messages: Type.Array(MessageItem),
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
