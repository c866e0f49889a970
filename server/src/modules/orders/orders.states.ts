import { ApiError } from '../../platform/http/errors.js';
import { phrase } from '../../platform/http/reasons.js';
import type { UpstreamOrderStatus } from '../../providers/types.js';
import type { Platform } from './orders.repo.js';

/**
 * The order lifecycles as transition tables (docs/architecture.md §7). Every status change of an order or
 * of one of its parts goes through `assertTransition` and writes a history row; a change the table does
 * not allow answers 40901.
 */
export const TAOBAO_STATUS = {
  waitBuyerPay: 'WAIT_BUYER_PAY',
  waitSellerSend: 'WAIT_SELLER_SEND_GOODS',
  waitBuyerConfirm: 'WAIT_BUYER_CONFIRM_GOODS',
  finished: 'TRADE_FINISHED',
  closed: 'TRADE_CLOSED',
} as const;

export const ALIBABA_STATUS = {
  waitBuyerPay: 'waitbuyerpay',
  waitSellerSend: 'waitsellersend',
  waitBuyerReceive: 'waitbuyerreceive',
  confirmGoods: 'confirm_goods',
  success: 'success',
  cancel: 'cancel',
} as const;

const T = TAOBAO_STATUS;
const A = ALIBABA_STATUS;

const TAOBAO_TRANSITIONS: Record<string, readonly string[]> = {
  [T.waitBuyerPay]: [T.waitSellerSend, T.closed],
  [T.waitSellerSend]: [T.waitBuyerConfirm, T.finished, T.closed],
  [T.waitBuyerConfirm]: [T.finished, T.closed],
  // A full refund of every line closes a finished order too (docs/architecture.md §7).
  [T.finished]: [T.closed],
  [T.closed]: [],
};

const ALIBABA_TRANSITIONS: Record<string, readonly string[]> = {
  [A.waitBuyerPay]: [A.waitSellerSend, A.cancel],
  [A.waitSellerSend]: [A.waitBuyerReceive, A.success, A.cancel],
  [A.waitBuyerReceive]: [A.confirmGoods, A.success, A.cancel],
  [A.confirmGoods]: [A.success, A.cancel],
  [A.success]: [A.cancel],
  [A.cancel]: [],
};

const TABLES: Record<Platform, Record<string, readonly string[]>> = {
  taobao: TAOBAO_TRANSITIONS,
  '1688': ALIBABA_TRANSITIONS,
};

/** The platform's statuses, from the first to the last (the closed one last). */
export const STATUSES: Record<Platform, readonly string[]> = {
  taobao: Object.values(TAOBAO_STATUS),
  '1688': Object.values(ALIBABA_STATUS),
};

export function canTransition(platform: Platform, from: string, to: string): boolean {
  return TABLES[platform][from]?.includes(to) ?? false;
}

export function assertTransition(platform: Platform, from: string, to: string): void {
  if (!canTransition(platform, from, to)) {
    throw new ApiError(40901, { reason: phrase('orderTransition', { from, to }) });
  }
}

/** The platform's word for the marketplace's status. */
export function platformStatus(platform: Platform, status: UpstreamOrderStatus): string {
  const taobao = platform === 'taobao';
  switch (status) {
    case 'wait_buyer_pay':
      return taobao ? T.waitBuyerPay : A.waitBuyerPay;
    case 'wait_seller_send':
      return taobao ? T.waitSellerSend : A.waitSellerSend;
    case 'wait_buyer_receive':
      return taobao ? T.waitBuyerConfirm : A.waitBuyerReceive;
    case 'confirmed':
      return taobao ? T.finished : A.confirmGoods;
    case 'finished':
      return taobao ? T.finished : A.success;
    case 'closed':
      return taobao ? T.closed : A.cancel;
  }
}

export const initialStatus = (platform: Platform): string => (platform === 'taobao' ? T.waitBuyerPay : A.waitBuyerPay);
export const paidStatus = (platform: Platform): string => (platform === 'taobao' ? T.waitSellerSend : A.waitSellerSend);
export const shippedStatus = (platform: Platform): string =>
  platform === 'taobao' ? T.waitBuyerConfirm : A.waitBuyerReceive;
export const closedStatus = (platform: Platform): string => (platform === 'taobao' ? T.closed : A.cancel);
export const finishedStatus = (platform: Platform): string => (platform === 'taobao' ? T.finished : A.success);
export const isClosed = (platform: Platform, status: string): boolean => status === closedStatus(platform);

/**
 * A Taobao order's status from its parts': closed when every part is closed, else the least advanced of
 * the open parts (the order waits for its slowest seller). A 1688 order has one part: its status.
 */
export function orderStatusOf(platform: Platform, partStatuses: string[]): string {
  const order = STATUSES[platform];
  const open = partStatuses.filter((s) => !isClosed(platform, s));
  if (open.length === 0) return closedStatus(platform);
  return open.reduce((least, s) => (order.indexOf(s) < order.indexOf(least) ? s : least));
}
