/** The operations pages' URL search parameters: what each page shows (filters, page numbers) lives in the URL. */

export const ITEM_STATUSES = [
  'expected',
  'received',
  'inspected',
  'stored',
  'packed',
  'shipped',
  'exception',
  'returned',
] as const;
export type ItemStatus = (typeof ITEM_STATUSES)[number];

export const EXCEPTION_STATUSES = ['open', 'matched', 'returned'] as const;
export type ExceptionStatus = (typeof EXCEPTION_STATUSES)[number];

export const SHIPMENT_STATUSES = ['booked', 'packed', 'shipped', 'delivered', 'cancelled'] as const;
export type ShipmentStatus = (typeof SHIPMENT_STATUSES)[number];

export const PLATFORMS = ['taobao', '1688'] as const;
export type Platform = (typeof PLATFORMS)[number];

export const EVENT_TYPES = [
  'order.price_modified',
  'order.shipped',
  'order.closed',
  'order.finished',
  'logistics.updated',
  'refund.agreed',
  'refund.refused',
  'refund.goods_received',
  'refund.succeeded',
  'refund.closed',
  'product.changed',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** A developer id as the API takes it. */
export const DEVELOP_ID = /^[0-9]{1,20}$/;

const oneOf = <T extends string>(values: readonly T[], value: unknown): T | undefined =>
  typeof value === 'string' && (values as readonly string[]).includes(value) ? (value as T) : undefined;

const pageOf = (value: unknown): number => {
  const n = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : Number.NaN;
  return Number.isInteger(n) && n >= 1 && n <= 100_000 ? n : 1;
};

const text = (value: unknown, pattern: RegExp): string | undefined => {
  const s = typeof value === 'number' ? String(value) : value;
  return typeof s === 'string' && pattern.test(s) ? s : undefined;
};

export interface WarehouseSearch {
  status?: ItemStatus | undefined;
  developId?: string | undefined;
  trackingNo?: string | undefined;
  page: number;
  exStatus: ExceptionStatus | 'all';
  exPage: number;
}

export const WAREHOUSE_DEFAULTS = { page: 1, exStatus: 'open', exPage: 1 } as const;

export function warehouseSearch(raw: object): WarehouseSearch {
  const input = raw as Record<string, unknown>;
  return {
    status: oneOf(ITEM_STATUSES, input.status),
    developId: text(input.developId, DEVELOP_ID),
    trackingNo: text(input.trackingNo, /^[A-Za-z0-9-]{4,64}$/),
    page: pageOf(input.page),
    exStatus: input.exStatus === 'all' ? 'all' : (oneOf(EXCEPTION_STATUSES, input.exStatus) ?? 'open'),
    exPage: pageOf(input.exPage),
  };
}

export interface ShipmentsSearch {
  status?: ShipmentStatus | undefined;
  developId?: string | undefined;
  page: number;
}

export const SHIPMENTS_DEFAULTS = { page: 1 } as const;

export function shipmentsSearch(raw: object): ShipmentsSearch {
  const input = raw as Record<string, unknown>;
  return {
    status: oneOf(SHIPMENT_STATUSES, input.status),
    developId: text(input.developId, DEVELOP_ID),
    page: pageOf(input.page),
  };
}

export interface SandboxSearch {
  platform?: Platform | undefined;
  type?: EventType | undefined;
  orderId?: string | undefined;
}

export function sandboxSearch(raw: object): SandboxSearch {
  const input = raw as Record<string, unknown>;
  return {
    platform: oneOf(PLATFORMS, input.platform),
    type: oneOf(EVENT_TYPES, input.type),
    orderId: text(input.orderId, /^[A-Za-z0-9-]{1,40}$/),
  };
}

export interface FreightSearch {
  page: number;
}

export const FREIGHT_DEFAULTS = { page: 1 } as const;

export function freightSearch(raw: object): FreightSearch {
  const input = raw as Record<string, unknown>;
  return { page: pageOf(input.page) };
}
