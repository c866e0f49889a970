import type { LedgerKind, MessageDeliveryStatus } from '@ponte/sdk';

/** Reading the pages' URL search parameters: anything malformed falls back to the default. */

export function pageNumber(value: unknown): number {
  const n = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : Number.NaN;
  return Number.isInteger(n) && n >= 1 && n <= 100_000 ? n : 1;
}

/** A text parameter; ids come back as numbers when the URL was typed by hand, so those are taken as text too. */
export function text(value: unknown, maxLength = 64): string | undefined {
  const s = typeof value === 'string' ? value : typeof value === 'number' ? String(value) : undefined;
  return s && s.length <= maxLength ? s : undefined;
}

/** The message platform: 0 Taobao, 1 1688. */
export function platformNumber(value: unknown): 0 | 1 | undefined {
  const n = typeof value === 'string' ? Number(value) : value;
  return n === 0 || n === 1 ? n : undefined;
}

export function oneOf<T extends string>(value: unknown, allowed: readonly T[]): T | undefined {
  return typeof value === 'string' && (allowed as readonly string[]).includes(value) ? (value as T) : undefined;
}

/** A `date` input's value (`2026-12-05`). */
export function dateText(value: unknown): string | undefined {
  return typeof value === 'string' && /^\d{4}-\d\d-\d\d$/.test(value) ? value : undefined;
}

/** A `datetime-local` input's value (`2026-12-05T10:30`). */
export function dateTimeText(value: unknown): string | undefined {
  return typeof value === 'string' && /^\d{4}-\d\d-\d\dT\d\d:\d\d$/.test(value) ? value : undefined;
}

/** Epoch ms of a local date or date-time input value; the end of the day when `endOfDay` and only a date. */
export function localTime(value: string | undefined, endOfDay = false): number | undefined {
  if (!value) return undefined;
  const ms = new Date(value.length === 10 ? `${value}T${endOfDay ? '23:59:59.999' : '00:00'}` : value).getTime();
  return Number.isNaN(ms) ? undefined : ms;
}

/** A `datetime-local` value for an epoch ms, in the browser's time zone. */
export function toDateTimeInput(ms: number): string {
  const d = new Date(ms);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

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
] as const satisfies readonly LedgerKind[];

export const DELIVERY_STATUSES = [
  'held',
  'pending',
  'delivered',
  'failed',
] as const satisfies readonly MessageDeliveryStatus[];

export interface LedgerSearch {
  kind?: LedgerKind | undefined;
  from?: string | undefined;
  to?: string | undefined;
}

export interface MessagesSearch {
  page: number;
  status?: MessageDeliveryStatus | undefined;
  type?: string | undefined;
  /** 0 Taobao, 1 1688. */
  platform?: 0 | 1 | undefined;
  objectId?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  /** The message opened below the list. */
  message?: string | undefined;
}

export interface UsersSearch {
  page: number;
}
