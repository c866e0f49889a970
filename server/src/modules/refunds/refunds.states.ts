import type { RefundsTable } from '../../platform/db/schema.js';
import type { GoodsStatus, RefundType } from '../../providers/types.js';

/**
 * The refund lifecycle as a transition table (docs/architecture.md §7), over the marketplace's platform-neutral
 * statuses; each platform's view names them in its own words. Every change goes through `canMove` and writes a
 * history row; so does a change that keeps the status (a modification while the seller has not answered yet).
 */
export type RefundStatus = RefundsTable['status'];

const TRANSITIONS: Record<RefundStatus, readonly RefundStatus[]> = {
  wait_seller_agree: ['wait_buyer_return', 'success', 'seller_refused', 'closed'],
  seller_refused: ['wait_seller_agree', 'closed'],
  wait_buyer_return: ['wait_seller_receive', 'closed'],
  wait_seller_receive: ['success'],
  success: [],
  closed: [],
};

/** Every status, open ones first. */
export const REFUND_STATUSES: readonly RefundStatus[] = [
  'wait_seller_agree',
  'seller_refused',
  'wait_buyer_return',
  'wait_seller_receive',
  'success',
  'closed',
];

export const OPEN_STATUSES: readonly RefundStatus[] = [
  'wait_seller_agree',
  'seller_refused',
  'wait_buyer_return',
  'wait_seller_receive',
];

export function canMove(from: RefundStatus, to: RefundStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

export const isOpen = (status: RefundStatus): boolean => OPEN_STATUSES.includes(status);

// -- Taobao's words ---------------------------------------------------------------------------------

/** `refundStatus`: strings of integers. */
export const TAOBAO_REFUND_STATUS: Record<RefundStatus, string> = {
  wait_seller_agree: '100',
  wait_buyer_return: '200',
  wait_seller_receive: '300',
  success: '400',
  seller_refused: '-10',
  closed: '-20',
};

export const TAOBAO_REFUND_TYPE: Record<RefundType, number> = { refund: 1, return_refund: 2 };
export const TAOBAO_GOODS_STATUS: Record<GoodsStatus, number> = {
  not_shipped: 1,
  in_transit: 2,
  received: 3,
  at_warehouse: 4,
};

/** What the current step waits for, in Taobao's naming (`sAgreeRefundT`: the seller must agree in time). */
export const TAOBAO_TIMEOUT_TYPE: Record<RefundStatus, string | null> = {
  wait_seller_agree: 'sAgreeRefundT',
  seller_refused: 'bModifyRefundT',
  wait_buyer_return: 'bSendGoodsT',
  wait_seller_receive: 'sConfirmGoodsT',
  success: null,
  closed: null,
};

export function refundTypeOfTaobao(value: number): RefundType | null {
  return value === 1 ? 'refund' : value === 2 ? 'return_refund' : null;
}

export function goodsStatusOfTaobao(value: number): GoodsStatus | null {
  const found = Object.entries(TAOBAO_GOODS_STATUS).find(([, n]) => n === value);
  return found ? (found[0] as GoodsStatus) : null;
}

export function statusOfTaobao(value: string): RefundStatus | null {
  const found = Object.entries(TAOBAO_REFUND_STATUS).find(([, s]) => s === value);
  return found ? (found[0] as RefundStatus) : null;
}

// -- 1688's words -----------------------------------------------------------------------------------

export const ALIBABA_REFUND_STATUS: Record<RefundStatus, string> = {
  wait_seller_agree: 'waitselleragree',
  wait_buyer_return: 'waitbuyersend',
  wait_seller_receive: 'waitsellerreceive',
  success: 'refundsuccess',
  seller_refused: 'waitbuyermodify',
  closed: 'refundclose',
};

/** 1688's `disputeRequest`: a refund only, or the goods go back first. */
export const ALIBABA_DISPUTE: Record<RefundType, string> = { refund: 'refund', return_refund: 'returnRefund' };

/**
 * 1688's `goodsStatus` words, in a sale (`refund…`: before the trade succeeded) and after it (`aftersale…`), with
 * the marketplace-neutral state each stands for.
 */
export const ALIBABA_GOODS_STATUS: Record<string, GoodsStatus> = {
  refundWaitSellerSend: 'not_shipped',
  refundWaitBuyerReceive: 'in_transit',
  refundBuyerReceived: 'received',
  aftersaleBuyerNotReceived: 'in_transit',
  aftersaleBuyerReceived: 'received',
};

/** Events that tell what the marketplace did, and the 1688 `refundAction` a message names it by. */
export const REFUND_ACTIONS = {
  'api:create': 'BUYER_APPLY_REFUND',
  'api:modify': 'BUYER_MODIFY_REFUND',
  'api:cancel': 'BUYER_CLOSE_REFUND',
  'api:return': 'BUYER_SEND_GOODS',
  'upstream:refund.agreed': 'SELLER_AGREE_REFUND',
  'upstream:refund.agreed:automatic': 'SYSTEM_AGREE_REFUND',
  'upstream:refund.refused': 'SELLER_REFUSE_REFUND',
  'upstream:refund.goods_received': 'SELLER_RECEIVE_GOODS',
  'upstream:refund.goods_received:automatic': 'SYSTEM_RECEIVE_GOODS',
  'upstream:refund.succeeded': 'REFUND_SUCCESS',
  'upstream:refund.closed': 'SYSTEM_CLOSE_REFUND',
  'worker:create': 'BUYER_APPLY_REFUND',
} as const;

export type RefundCause = keyof typeof REFUND_ACTIONS;

/** Who did what an action word names: `BUYER_…` the buyer, `SYSTEM_…` the marketplace itself, anything else the seller. */
export function operatorOf(action: string): 'buyer' | 'seller' | 'system' {
  if (action.startsWith('BUYER_')) return 'buyer';
  if (action.startsWith('SYSTEM_')) return 'system';
  return 'seller';
}

/** The action word of a history row's or a change's cause. */
export const actionOf = (cause: string): string => REFUND_ACTIONS[cause as RefundCause] ?? cause;
