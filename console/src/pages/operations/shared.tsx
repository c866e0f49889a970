import { type ReactNode, useState } from 'react';
import { Badge } from '../../ui/page';
import { useOperationsMessages } from './messages';
import { type ExceptionStatus, ITEM_STATUSES, type ItemStatus, SHIPMENT_STATUSES, type ShipmentStatus } from './search';

type Tone = 'neutral' | 'good' | 'warn' | 'bad';

const ITEM_TONES: Record<ItemStatus, Tone> = {
  expected: 'neutral',
  received: 'warn',
  inspected: 'neutral',
  stored: 'good',
  packed: 'good',
  shipped: 'good',
  exception: 'bad',
  returned: 'neutral',
};

const SHIPMENT_TONES: Record<ShipmentStatus, Tone> = {
  booked: 'warn',
  packed: 'neutral',
  shipped: 'good',
  delivered: 'good',
  cancelled: 'neutral',
};

const EXCEPTION_TONES: Record<ExceptionStatus, Tone> = { open: 'bad', matched: 'good', returned: 'neutral' };

export function ItemStatusBadge({ status }: { status: ItemStatus }) {
  const { t } = useOperationsMessages();
  return <Badge tone={ITEM_TONES[status]}>{t(`item_${status}`)}</Badge>;
}

export function ShipmentStatusBadge({ status }: { status: ShipmentStatus }) {
  const { t } = useOperationsMessages();
  return <Badge tone={SHIPMENT_TONES[status]}>{t(`shipment_${status}`)}</Badge>;
}

export function ExceptionStatusBadge({ status }: { status: ExceptionStatus }) {
  const { t } = useOperationsMessages();
  return <Badge tone={EXCEPTION_TONES[status]}>{t(`exception_${status}`)}</Badge>;
}

/** A link the page may load as a picture: the API's own or a web address (a declared good may carry anything). */
const loadable = (src: string | null | undefined): src is string => !!src && /^(https?:\/\/|\/)/.test(src);

/** A product's picture as a thumbnail, or an empty box when it has none (the title beside it names it). */
export function Thumb({ src, alt = '' }: { src: string | null | undefined; alt?: string }) {
  const [broken, setBroken] = useState(false);
  if (!loadable(src) || broken)
    return <span className="thumb" style={{ display: 'inline-block' }} aria-hidden="true" />;
  return <img className="thumb" src={src} alt={alt} loading="lazy" onError={() => setBroken(true)} />;
}

/** A short confirmation after a change, announced to screen readers. */
export function Done({ children }: { children: ReactNode }) {
  return (
    <p className="notice" role="status">
      {children}
    </p>
  );
}

/** An integer typed in a form, or null when it is empty, not whole or outside [min, max]. */
export function intIn(value: string, min: number, max: number): number | null {
  const s = value.trim();
  if (!/^-?[0-9]+$/.test(s)) return null;
  const n = Number(s);
  return n >= min && n <= max ? n : null;
}

/** A decimal typed in a form, or null when it is empty, not a number or outside [min, max]. */
export function numberIn(value: string, min: number, max: number): number | null {
  const s = value.trim();
  if (s === '' || !/^-?[0-9]*\.?[0-9]+$/.test(s)) return null;
  const n = Number(s);
  return n >= min && n <= max ? n : null;
}

/** Sizes in cm as `22 × 15 × 8 cm`. */
export function sizeText(size: { lengthCm: number; widthCm: number; heightCm: number } | null | undefined): string {
  return size ? `${size.lengthCm} × ${size.widthCm} × ${size.heightCm} cm` : '—';
}

/** A status named in a history row, in words when it is one the console knows. */
export function useStatusWord() {
  const { t } = useOperationsMessages();
  return {
    item: (s: string | null) =>
      s === null ? '—' : (ITEM_STATUSES as readonly string[]).includes(s) ? t(`item_${s as ItemStatus}`) : s,
    shipment: (s: string | null) =>
      s === null
        ? '—'
        : (SHIPMENT_STATUSES as readonly string[]).includes(s)
          ? t(`shipment_${s as ShipmentStatus}`)
          : s,
  };
}
