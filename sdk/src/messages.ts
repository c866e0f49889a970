import type { webhooks } from './generated/messages.js';

/**
 * The callback messages Ponte sends, typed from the server's schemas of them (`generated/messages.ts`, written by
 * `npm run generate`). A kind of message is a message type on a platform: `ORDER_BUYER_VIEW_ORDER_PRICE_MODIFY` is
 * sent on both, each with its own body. `PonteMessage` is the union of them all: `switch (m.messageType)` narrows
 * `m.messageBody`, and then `m.messagePlatform` does for the price change.
 */

/** The kinds, named as PandaPon titles its callback pages: `TAOBAO_…`, `1688_…`, and `CALLBACK_…` for the URL's own. */
export type PonteMessageKind = keyof webhooks;

/** What is POSTed for one kind: the envelope, with that kind's `messageType`, `messagePlatform` and `messageBody`. */
export type PonteMessageOf<K extends PonteMessageKind> =
  webhooks[K]['post']['requestBody']['content']['application/json'];

/** Any message Ponte sends. */
export type PonteMessage = { [K in PonteMessageKind]: PonteMessageOf<K> }[PonteMessageKind];
export type PonteMessageType = PonteMessage['messageType'];

export type TaobaoOrderPriceMessage = PonteMessageOf<'TAOBAO_ORDER_BUYER_VIEW_ORDER_PRICE_MODIFY'>;
export type TaobaoOrderStatusMessage = PonteMessageOf<'TAOBAO_ORDER_BUYER_VIEW_ORDER_STATUS_CHANGE'>;
/** Any of the 1688 order messages: one type per transition, each with the order as `/alibaba/order/detail` has it. */
export type AlibabaOrderMessage = PonteMessageOf<Extract<PonteMessageKind, `1688_${string}`>>;
export type CallbackVerificationMessage = PonteMessageOf<'CALLBACK_VERIFICATION'>;
export type CallbackDisabledMessage = PonteMessageOf<'CALLBACK_DISABLED'>;
/** A warehouse item changed (`WAREHOUSE_ITEM_*`): the item as `GET /open/pp/warehouse/items/{itemId}` answers it. */
export type WarehouseItemMessage = PonteMessageOf<Extract<PonteMessageKind, `WAREHOUSE_ITEM_${string}`>>;
/** A parcel changed (`PARCEL_*`): the parcel as `GET /open/pp/logistics/parcels/{parcelId}` answers it. */
export type ParcelMessage = PonteMessageOf<Extract<PonteMessageKind, `PARCEL_${string}`>>;

export type TaobaoOrderPriceMessageBody = TaobaoOrderPriceMessage['messageBody'];
export type TaobaoOrderStatusMessageBody = TaobaoOrderStatusMessage['messageBody'];
export type AlibabaOrderMessageBody = AlibabaOrderMessage['messageBody'];
export type CallbackVerificationMessageBody = CallbackVerificationMessage['messageBody'];
export type CallbackDisabledMessageBody = CallbackDisabledMessage['messageBody'];

/** Every kind, with the type and platform that name it. */
export const MESSAGE_KINDS = {
  TAOBAO_ORDER_BUYER_VIEW_ORDER_PRICE_MODIFY: {
    messageType: 'ORDER_BUYER_VIEW_ORDER_PRICE_MODIFY',
    messagePlatform: 0,
  },
  TAOBAO_ORDER_BUYER_VIEW_ORDER_STATUS_CHANGE: {
    messageType: 'ORDER_BUYER_VIEW_ORDER_STATUS_CHANGE',
    messagePlatform: 0,
  },
  '1688_ORDER_BUYER_VIEW_BUYER_MAKE': { messageType: 'ORDER_BUYER_VIEW_BUYER_MAKE', messagePlatform: 1 },
  '1688_ORDER_BUYER_VIEW_ORDER_PRICE_MODIFY': {
    messageType: 'ORDER_BUYER_VIEW_ORDER_PRICE_MODIFY',
    messagePlatform: 1,
  },
  '1688_ORDER_BUYER_VIEW_ORDER_PAY': { messageType: 'ORDER_BUYER_VIEW_ORDER_PAY', messagePlatform: 1 },
  '1688_ORDER_BUYER_VIEW_ANNOUNCE_SENDGOODS': {
    messageType: 'ORDER_BUYER_VIEW_ANNOUNCE_SENDGOODS',
    messagePlatform: 1,
  },
  '1688_ORDER_BUYER_VIEW_ORDER_COMFIRM_RECEIVEGOODS': {
    messageType: 'ORDER_BUYER_VIEW_ORDER_COMFIRM_RECEIVEGOODS',
    messagePlatform: 1,
  },
  '1688_ORDER_BUYER_VIEW_ORDER_SUCCESS': { messageType: 'ORDER_BUYER_VIEW_ORDER_SUCCESS', messagePlatform: 1 },
  '1688_ORDER_BUYER_VIEW_ORDER_BUYER_CLOSE': { messageType: 'ORDER_BUYER_VIEW_ORDER_BUYER_CLOSE', messagePlatform: 1 },
  '1688_ORDER_BUYER_VIEW_ORDER_SELLER_CLOSE': {
    messageType: 'ORDER_BUYER_VIEW_ORDER_SELLER_CLOSE',
    messagePlatform: 1,
  },
  TAOBAO_ORDER_BUYER_VIEW_ORDER_BUYER_REFUND: {
    messageType: 'ORDER_BUYER_VIEW_ORDER_BUYER_REFUND',
    messagePlatform: 0,
  },
  '1688_ORDER_BUYER_VIEW_ORDER_BUYER_REFUND_IN_SALES': {
    messageType: 'ORDER_BUYER_VIEW_ORDER_BUYER_REFUND_IN_SALES',
    messagePlatform: 1,
  },
  '1688_ORDER_BUYER_VIEW_ORDER_REFUND_AFTER_SALES': {
    messageType: 'ORDER_BUYER_VIEW_ORDER_REFUND_AFTER_SALES',
    messagePlatform: 1,
  },
  CALLBACK_VERIFICATION: { messageType: 'CALLBACK_VERIFICATION', messagePlatform: null },
  CALLBACK_DISABLED: { messageType: 'CALLBACK_DISABLED', messagePlatform: null },
  WAREHOUSE_ITEM_EXPECTED: { messageType: 'WAREHOUSE_ITEM_EXPECTED', messagePlatform: null },
  WAREHOUSE_ITEM_RECEIVED: { messageType: 'WAREHOUSE_ITEM_RECEIVED', messagePlatform: null },
  WAREHOUSE_ITEM_INSPECTED: { messageType: 'WAREHOUSE_ITEM_INSPECTED', messagePlatform: null },
  WAREHOUSE_ITEM_EXCEPTION: { messageType: 'WAREHOUSE_ITEM_EXCEPTION', messagePlatform: null },
  WAREHOUSE_ITEM_RETURNED: { messageType: 'WAREHOUSE_ITEM_RETURNED', messagePlatform: null },
  PARCEL_BOOKED: { messageType: 'PARCEL_BOOKED', messagePlatform: null },
  PARCEL_PACKED: { messageType: 'PARCEL_PACKED', messagePlatform: null },
  PARCEL_SHIPPED: { messageType: 'PARCEL_SHIPPED', messagePlatform: null },
  PARCEL_DELIVERED: { messageType: 'PARCEL_DELIVERED', messagePlatform: null },
  PARCEL_CANCELLED: { messageType: 'PARCEL_CANCELLED', messagePlatform: null },
} as const satisfies { [K in PonteMessageKind]: Pick<PonteMessageOf<K>, 'messageType' | 'messagePlatform'> };

/** Every message type Ponte sends, once each. */
export const MESSAGE_TYPES: readonly PonteMessageType[] = [
  ...new Set(Object.values(MESSAGE_KINDS).map((k) => k.messageType)),
];

/**
 * The message typed as a `PonteMessage` when its type and platform are a kind this SDK knows; null for one it does
 * not (a newer server's): acknowledge that one and move on. Takes the `message` `verifyCallback` answers, or any
 * parsed body; the body's fields are not checked (the signature already says who wrote them).
 */
export function asPonteMessage(message: unknown): PonteMessage | null {
  if (typeof message !== 'object' || message === null) return null;
  const { messageType, messagePlatform } = message as { messageType?: unknown; messagePlatform?: unknown };
  const known = Object.values(MESSAGE_KINDS).some(
    (k) => k.messageType === messageType && k.messagePlatform === messagePlatform,
  );
  return known ? (message as PonteMessage) : null;
}

/**
 * The object a message is about, whose version its `version` is: the order, the refund of an after-sales message, the
 * warehouse item, or the parcel. Keep the last version processed per object and drop a message whose `version` is
 * not greater. Null for the messages about the callback URL.
 */
export function messageObjectId(message: PonteMessage): string | null {
  if (message.messageType.startsWith('WAREHOUSE_ITEM_')) return (message as WarehouseItemMessage).messageBody.itemId;
  if (message.messageType.startsWith('PARCEL_')) return (message as ParcelMessage).messageBody.parcelId;
  if (message.messageType === 'ORDER_BUYER_VIEW_ORDER_BUYER_REFUND') {
    return message.messageBody.refundOrderAggregate.refundOrder.refundId;
  }
  if (
    message.messageType === 'ORDER_BUYER_VIEW_ORDER_BUYER_REFUND_IN_SALES' ||
    message.messageType === 'ORDER_BUYER_VIEW_ORDER_REFUND_AFTER_SALES'
  ) {
    return message.messageBody.refundId;
  }
  switch (message.messagePlatform) {
    case 0:
      return message.messageBody.orderId;
    case 1:
      return message.messageBody.baseInfo.id;
    default:
      return null;
  }
}
