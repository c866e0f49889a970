/** The after-sales and logistics words of the API, shared by the routes (search validation) and the pages. */

export type Platform = 'taobao' | '1688';

/** Taobao's `refundStatus`: waiting for the seller, return agreed, parcel sent, refunded, refused, closed. */
export const TAOBAO_REFUND_STATUSES = ['100', '200', '300', '400', '-10', '-20'] as const;
export type TaobaoRefundStatus = (typeof TAOBAO_REFUND_STATUSES)[number];

/** 1688's refund `status`, in the same order of meaning as Taobao's. */
export const ALIBABA_REFUND_STATUSES = [
  'waitselleragree',
  'waitbuyersend',
  'waitsellerreceive',
  'refundsuccess',
  'waitbuyermodify',
  'refundclose',
] as const;
export type AlibabaRefundStatus = (typeof ALIBABA_REFUND_STATUSES)[number];

export const WAREHOUSE_STATUSES = [
  'expected',
  'received',
  'inspected',
  'stored',
  'packed',
  'shipped',
  'exception',
  'returned',
] as const;
export type WarehouseStatus = (typeof WAREHOUSE_STATUSES)[number];

export const PARCEL_STATUSES = ['booked', 'packed', 'shipped', 'delivered', 'cancelled'] as const;
export type ParcelStatus = (typeof PARCEL_STATUSES)[number];

export type Tone = 'neutral' | 'good' | 'warn' | 'bad';

/** The neutral meaning of either marketplace's refund status: its badge's tone and whether it may still change. */
const REFUND_STATE: Record<string, { tone: Tone; open: boolean }> = {
  '100': { tone: 'warn', open: true },
  '200': { tone: 'warn', open: true },
  '300': { tone: 'neutral', open: true },
  '400': { tone: 'good', open: false },
  '-10': { tone: 'bad', open: true },
  '-20': { tone: 'neutral', open: false },
  waitselleragree: { tone: 'warn', open: true },
  waitbuyersend: { tone: 'warn', open: true },
  waitsellerreceive: { tone: 'neutral', open: true },
  refundsuccess: { tone: 'good', open: false },
  waitbuyermodify: { tone: 'bad', open: true },
  refundclose: { tone: 'neutral', open: false },
};

export const refundTone = (status: string): Tone => REFUND_STATE[status]?.tone ?? 'neutral';
export const refundIsOpen = (status: string): boolean => REFUND_STATE[status]?.open ?? false;

export const warehouseTone = (status: string): Tone =>
  status === 'stored' ? 'good' : status === 'exception' || status === 'returned' ? 'bad' : 'neutral';

export const parcelTone = (status: string): Tone =>
  status === 'delivered' ? 'good' : status === 'cancelled' ? 'bad' : status === 'booked' ? 'warn' : 'neutral';

/** The countries of the shipped sample rate cards, offered as suggestions (an operator's cards may have others). */
export const SAMPLE_COUNTRIES = [
  'US',
  'GB',
  'DE',
  'ES',
  'FR',
  'IT',
  'NL',
  'PL',
  'VN',
  'TH',
  'MY',
  'PH',
  'ID',
  'SG',
  'JP',
  'KR',
  'AU',
  'CA',
  'BR',
  'MX',
] as const;

/** Yuan typed by a person (`12.5`, `12,50`) as fen; null when it is not an amount with at most two decimals. */
export function fenOf(text: string): number | null {
  const t = text.trim().replace(',', '.');
  if (!/^\d{1,9}(\.\d{0,2})?$/.test(t)) return null;
  return Math.round(Number(t) * 100);
}

/** Fen as the text of an amount input (`12.50`). */
export const yuanText = (fen: number): string => (fen / 100).toFixed(2);

/** A tracking number as the return-parcel operations take it. */
export const TRACKING_NO = /^[A-Za-z0-9-]{4,40}$/;
