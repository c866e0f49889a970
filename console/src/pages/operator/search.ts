import type { SearchSchemaInput } from '@tanstack/react-router';

/**
 * A route's `validateSearch`: the URL's search parsed into `T` with its defaults, while links and navigations may
 * leave out any part of it.
 */
export function searchOf<T>(parse: (raw: Record<string, unknown>) => T) {
  return (input: Partial<T> & SearchSchemaInput): T => parse(input as Record<string, unknown>);
}

/** A page number from 1 (the API's `pageNo`), 1 when absent or invalid. */
export function pageOf(value: unknown): number {
  const n = Number(value);
  return Number.isInteger(n) && n >= 1 && n <= 100_000 ? n : 1;
}

/** One of `values`, or undefined. */
export function oneOf<const T extends readonly (string | number)[]>(value: unknown, values: T): T[number] | undefined {
  return values.find((v) => v === value || String(v) === String(value));
}

export const ID_PATTERN = /^[0-9]{1,20}$/;

/**
 * An id of digits, or undefined. The router reads a search value that looks like a number as a number, which loses
 * the last digits of a long id: only ids that are still exact are taken.
 */
export function idOf(value: unknown): string | undefined {
  if (typeof value === 'string') return ID_PATTERN.test(value) ? value : undefined;
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return String(value);
  return undefined;
}

/** Leaves out the empty values of a filter form, so that they are not put in the URL. */
export function compact<T extends Record<string, unknown>>(values: T): Partial<T> {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== '' && v !== undefined)) as Partial<T>;
}

/** The page size of the operator console's lists (the API allows at most 50). */
export const PAGE_SIZE = 20;

/** The dashboard's periods, in days (the API takes 1 to 90). */
export const DAY_CHOICES = [7, 14, 30, 90] as const;

/** The values of the lists' filters, as the API takes them. */
export const ORDER_STATUSES = [
  'wait_buyer_pay',
  'wait_seller_send',
  'wait_buyer_receive',
  'confirmed',
  'finished',
  'closed',
] as const;
export const REFUND_STATUSES = [
  'wait_seller_agree',
  'seller_refused',
  'wait_buyer_return',
  'wait_seller_receive',
  'success',
  'closed',
] as const;
export const PLATFORMS = ['taobao', '1688'] as const;
export const VOUCHER_STATUSES = ['pending', 'approved', 'rejected'] as const;
export const CALLBACK_STATES = ['failing', 'disabled', 'healthy'] as const;
export const MESSAGE_STATUSES = ['held', 'pending', 'delivered', 'failed'] as const;
export const LEDGER_KINDS = [
  'topup',
  'voucher_topup',
  'order_payment',
  'payment_reversal',
  'order_refund',
  'refund',
  'freight_charge',
  'freight_settle',
  'freight_refund',
  'storage_fee',
  'adjustment',
] as const;
