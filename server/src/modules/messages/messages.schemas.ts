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
