import { createRoute, lazyRouteComponent } from '@tanstack/react-router';
import { developerRoute as parent } from '../../routes/layouts';
import {
  ALIBABA_REFUND_STATUSES,
  type AlibabaRefundStatus,
  PARCEL_STATUSES,
  type ParcelStatus,
  type Platform,
  TAOBAO_REFUND_STATUSES,
  type TaobaoRefundStatus,
  WAREHOUSE_STATUSES,
  type WarehouseStatus,
} from './model';

/** The marketplace: `taobao` or `1688` (which the router reads from `?platform=1688` as a number). */
const platformOf = (value: unknown): Platform | undefined =>
  value === 'taobao' ? value : value === '1688' || value === 1688 || value === 'alibaba' ? '1688' : undefined;

/** A page number above 1 (1 is the default and stays out of the URL). */
const pageOf = (value: unknown): number | undefined => {
  const n = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : Number.NaN;
  return Number.isInteger(n) && n > 1 && n <= 100_000 ? n : undefined;
};

const oneOf = <T extends string>(values: readonly T[], value: unknown): T | undefined => {
  const text = typeof value === 'number' ? String(value) : value;
  return typeof text === 'string' && (values as readonly string[]).includes(text) ? (text as T) : undefined;
};

/**
 * A search value as the address has it. The router reads `?orderId=917287718834815001` as a number, which loses the
 * last digits of an id that long: such a value is read again from the address as written.
 */
const textOf = (key: string, value: unknown): string | undefined => {
  if (typeof value === 'string') return value;
  if (typeof value !== 'number' || !Number.isFinite(value)) return undefined;
  if (Number.isSafeInteger(value)) return String(value);
  const raw = typeof window === 'undefined' ? null : new URLSearchParams(window.location.search).get(key);
  return raw && /^[0-9]+$/.test(raw) && Number(raw) === value ? raw : undefined;
};

/** An order id as both marketplaces' APIs take it (decimal). */
const orderIdOf = (value: unknown): string | undefined => {
  const text = textOf('orderId', value);
  return text && /^[0-9]{1,20}$/.test(text) ? text : undefined;
};

const definedOnly = <T extends object>(value: T): T =>
  Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;

/**
 * The refunds list: marketplace (default Taobao), that marketplace's status (default all) and the page (default 1);
 * with `orderId`, the page is the form that asks for a refund of one of that order's lines.
 */
export interface RefundsSearch {
  platform?: Platform;
  status?: TaobaoRefundStatus | AlibabaRefundStatus;
  page?: number;
  orderId?: string;
}

/** The warehouse list: status (default all), an order (Ponte's id or your reference), the page. */
export interface WarehouseSearch {
  status?: WarehouseStatus;
  orderId?: string;
  page?: number;
}

/** The parcels list: status (default all) and the page. */
export interface ParcelsSearch {
  status?: ParcelStatus;
  page?: number;
}

export const refundsRoute = createRoute({
  getParentRoute: () => parent,
  path: 'refunds',
  validateSearch: (search: Record<string, unknown>): RefundsSearch => {
    const platform = platformOf(search.platform);
    const statuses: readonly (TaobaoRefundStatus | AlibabaRefundStatus)[] =
      platform === '1688' ? ALIBABA_REFUND_STATUSES : TAOBAO_REFUND_STATUSES;
    return definedOnly({
      platform,
      status: oneOf(statuses, search.status),
      page: pageOf(search.page),
      orderId: orderIdOf(search.orderId),
    });
  },
  component: lazyRouteComponent(() => import('./RefundsPage'), 'RefundsPage'),
});

export const refundRoute = createRoute({
  getParentRoute: () => parent,
  path: 'refunds/$platform/$refundId',
  component: lazyRouteComponent(() => import('./RefundPage'), 'RefundPage'),
});

export const warehouseRoute = createRoute({
  getParentRoute: () => parent,
  path: 'warehouse',
  validateSearch: (search: Record<string, unknown>): WarehouseSearch => {
    const orderId = textOf('orderId', search.orderId)?.trim().slice(0, 64);
    return definedOnly({
      status: oneOf(WAREHOUSE_STATUSES, search.status),
      orderId: orderId || undefined,
      page: pageOf(search.page),
    });
  },
  component: lazyRouteComponent(() => import('./WarehousePage'), 'WarehousePage'),
});

export const parcelsRoute = createRoute({
  getParentRoute: () => parent,
  path: 'parcels',
  validateSearch: (search: Record<string, unknown>): ParcelsSearch =>
    definedOnly({ status: oneOf(PARCEL_STATUSES, search.status), page: pageOf(search.page) }),
  component: lazyRouteComponent(() => import('./ParcelsPage'), 'ParcelsPage'),
});

export const parcelRoute = createRoute({
  getParentRoute: () => parent,
  path: 'parcels/$parcelId',
  component: lazyRouteComponent(() => import('./ParcelPage'), 'ParcelPage'),
});

export const aftersalesRoutes = [refundsRoute, refundRoute, warehouseRoute, parcelsRoute, parcelRoute] as const;
