/** The buying pages' address parameters: what each route's `validateSearch` takes, and the types pages share. */

export type Platform = 'taobao' | '1688';

// An address typed by hand says `platform=1688`, which the router reads as a number.
export const platformOf = (value: unknown): Platform | undefined =>
  value === 'taobao' || value === '1688' ? value : value === 1688 ? '1688' : undefined;

export const pageOf = (value: unknown): number | undefined => {
  const n = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : Number.NaN;
  return Number.isInteger(n) && n > 1 && n <= 100_000 ? n : undefined;
};

/**
 * Cart record ids, comma-separated in the URL: only decimal ids are kept, at most 200. The router reads one id
 * written without quotes as a number, which loses the last digits of a long id: it is read again as written.
 */
export const idsOf = (key: string, value: unknown): string | undefined => {
  const raw = (): string => new URLSearchParams(window.location.search).get(key) ?? '';
  const text =
    typeof value === 'string'
      ? value
      : typeof value === 'number'
        ? Number.isSafeInteger(value)
          ? String(value)
          : raw()
        : '';
  const ids = text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => /^[0-9]{1,20}$/.test(s))
    .slice(0, 200);
  return ids.length > 0 ? ids.join(',') : undefined;
};

const TAOBAO_STATUSES = [
  'WAIT_BUYER_PAY',
  'WAIT_SELLER_SEND_GOODS',
  'WAIT_BUYER_CONFIRM_GOODS',
  'TRADE_FINISHED',
  'TRADE_CLOSED',
] as const;
const ALIBABA_STATUSES = [
  'waitbuyerpay',
  'waitsellersend',
  'waitbuyerreceive',
  'confirm_goods',
  'success',
  'cancel',
] as const;
export type TaobaoStatus = (typeof TAOBAO_STATUSES)[number];
export type AlibabaStatus = (typeof ALIBABA_STATUSES)[number];
export const ORDER_STATUSES = { taobao: TAOBAO_STATUSES, '1688': ALIBABA_STATUSES } as const;

/** The checkout's lines: the cart records chosen on the cart page, per platform. */
export interface CheckoutSearch {
  taobao?: string;
  alibaba?: string;
}

/**
 * The orders list: platform (default Taobao), the platform's status filter, the days of creation (`from`, `to`:
 * yyyy-mm-dd, both included), Taobao's own order number, and the page (default 1).
 */
export interface OrdersSearch {
  platform?: Platform;
  status?: TaobaoStatus | AlibabaStatus;
  from?: string;
  to?: string;
  number?: string;
  page?: number;
}

export const dayOf = (value: unknown): string | undefined =>
  typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(Date.parse(value))
    ? value
    : undefined;

export const numberOf = (value: unknown): string | undefined => {
  const text = typeof value === 'number' && Number.isSafeInteger(value) ? String(value) : value;
  return typeof text === 'string' && text.trim() !== '' && text.length <= 64 ? text.trim() : undefined;
};

export const definedOnly = <T extends object>(value: T): T =>
  Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
