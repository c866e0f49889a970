import './aftersales.css';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { Badge } from '../../ui/page';
import { type AftersalesKey, useAftersalesMessages } from './messages';
import { type Platform, parcelTone, refundTone, warehouseTone } from './model';

type T = ReturnType<typeof useAftersalesMessages>['t'];

/** A word of the API in the console's words when the map knows it, else as the API said it. */
export const labelOf = (t: T, map: Record<string, AftersalesKey>, value: string): string => {
  const key = map[value];
  return key ? t(key) : value;
};

const REFUND_STATUS_KEY: Record<string, AftersalesKey> = {
  '100': 'refundWaitSellerAgree',
  '200': 'refundWaitBuyerReturn',
  '300': 'refundWaitSellerReceive',
  '400': 'refundSuccess',
  '-10': 'refundRefused',
  '-20': 'refundClosed',
  waitselleragree: 'refundWaitSellerAgree',
  waitbuyersend: 'refundWaitBuyerReturn',
  waitsellerreceive: 'refundWaitSellerReceive',
  refundsuccess: 'refundSuccess',
  waitbuyermodify: 'refundRefused',
  refundclose: 'refundClosed',
};

/** A refund status in words (whatever the marketplace's word for it); an unknown word as it came. */
export const refundStatusLabel = (t: T, status: string): string => labelOf(t, REFUND_STATUS_KEY, status);

/** A refund's status as a badge: the meaning, and the marketplace's own word beside it. */
export function RefundStatusBadge({ status, testId }: { status: string; testId?: string }) {
  const { t } = useAftersalesMessages();
  return (
    <Badge tone={refundTone(status)}>
      <span data-testid={testId}>{refundStatusLabel(t, status)}</span> · <code>{status}</code>
    </Badge>
  );
}

const WAREHOUSE_KEY: Record<string, AftersalesKey> = {
  expected: 'whExpected',
  received: 'whReceived',
  inspected: 'whInspected',
  stored: 'whStored',
  packed: 'whPacked',
  shipped: 'whShipped',
  exception: 'whException',
  returned: 'whReturned',
};
export const warehouseStatusLabel = (t: T, status: string): string => labelOf(t, WAREHOUSE_KEY, status);
export function WarehouseStatusBadge({ status }: { status: string }) {
  const { t } = useAftersalesMessages();
  return <Badge tone={warehouseTone(status)}>{warehouseStatusLabel(t, status)}</Badge>;
}

const PARCEL_KEY: Record<string, AftersalesKey> = {
  booked: 'pcBooked',
  packed: 'pcPacked',
  shipped: 'pcShipped',
  delivered: 'pcDelivered',
  cancelled: 'pcCancelled',
};
export const parcelStatusLabel = (t: T, status: string): string => labelOf(t, PARCEL_KEY, status);
export function ParcelStatusBadge({ status, testId }: { status: string; testId?: string }) {
  const { t } = useAftersalesMessages();
  return (
    <Badge tone={parcelTone(status)}>
      <span data-testid={testId}>{parcelStatusLabel(t, status)}</span>
    </Badge>
  );
}

const CONDITION_KEY: Record<string, AftersalesKey> = {
  ok: 'condOk',
  damaged: 'condDamaged',
  wrong_item: 'condWrongItem',
  short: 'condShort',
};
export const conditionLabel = (t: T, condition: string | null): string =>
  condition === null ? '—' : labelOf(t, CONDITION_KEY, condition);

const ATTRIBUTE_KEY: Record<string, AftersalesKey> = {
  battery: 'attrBattery',
  liquid: 'attrLiquid',
  powder: 'attrPowder',
  food: 'attrFood',
  brand: 'attrBrand',
};
export const attributesLabel = (t: T, attributes: readonly string[] | null | undefined): string =>
  attributes && attributes.length > 0 ? attributes.map((a) => labelOf(t, ATTRIBUTE_KEY, a)).join(', ') : '—';

const CATEGORY_KEY: Record<string, AftersalesKey> = {
  express: 'catExpress',
  standard: 'catStandard',
  economy: 'catEconomy',
  sea: 'catSea',
};
export const categoryLabel = (t: T, category: string): string => labelOf(t, CATEGORY_KEY, category);

const FREIGHT_REASON_KEY: Record<string, AftersalesKey> = {
  overweight: 'whyOverweight',
  over_length: 'whyOverLength',
  over_girth: 'whyOverGirth',
  refused_goods: 'whyRefusedGoods',
};
/** Why a channel does not carry goods: the reason in words, else the API's own detail. */
export const freightReasonLabel = (t: T, reason: { code: string; detail: string } | null | undefined): string =>
  !reason
    ? ''
    : FREIGHT_REASON_KEY[reason.code]
      ? labelOf(t, FREIGHT_REASON_KEY, reason.code)
      : reason.detail || reason.code;

/** Taobao's goods status (1–4) in words. */
const TAOBAO_GOODS_KEY: Record<number, AftersalesKey> = {
  1: 'goodsNotShipped',
  2: 'goodsInTransit',
  3: 'goodsReceived',
  4: 'goodsAtWarehouse',
};
export const taobaoGoodsLabel = (t: T, goodsStatus: number | null | undefined): string => {
  const key = goodsStatus === null || goodsStatus === undefined ? undefined : TAOBAO_GOODS_KEY[goodsStatus];
  return key ? t(key) : goodsStatus === null || goodsStatus === undefined ? '—' : String(goodsStatus);
};

const ALIBABA_GOODS_KEY: Record<string, AftersalesKey> = {
  refundWaitSellerSend: 'goodsNotShipped',
  refundWaitBuyerReceive: 'goodsInTransit',
  refundBuyerReceived: 'goodsReceived',
  aftersaleBuyerNotReceived: 'goodsAfterSaleNotReceived',
  aftersaleBuyerReceived: 'goodsAfterSaleReceived',
};
/** 1688's goods status word in words. */
export const alibabaGoodsLabel = (t: T, word: string): string => labelOf(t, ALIBABA_GOODS_KEY, word);

/** Either marketplace's refund type (Taobao 1/2, 1688 `refund`/`returnRefund`, or A20's 1/2) in words. */
export const refundTypeLabel = (t: T, type: number | string | null | undefined): string =>
  type === 1 || type === 'refund' ? t('typeRefund') : type === 2 || type === 'returnRefund' ? t('typeReturn') : '—';

/** The platform in words. */
export const platformLabel = (t: T, platform: Platform): string => (platform === '1688' ? '1688' : t('taobao'));

/** A product picture from the API, or a grey box when there is none. */
export function ItemPicture({ src, alt }: { src: string | null | undefined; alt: string }) {
  return src ? <img className="thumb" src={src} alt={alt} loading="lazy" /> : <span className="as-placeholder" />;
}

/**
 * Photos as thumbnails, each a button that opens the photo larger in a modal dialog (Escape or the close button
 * closes it and focus goes back to the thumbnail).
 */
export function PhotoThumbs({ photos, label }: { photos: readonly string[]; label: (index: number) => string }) {
  const { t } = useAftersalesMessages();
  const [open, setOpen] = useState<number | null>(null);
  const dialog = useRef<HTMLDialogElement>(null);
  const opener = useRef<HTMLButtonElement | null>(null);
  useEffect(() => {
    if (open !== null && dialog.current && !dialog.current.open) dialog.current.showModal();
  }, [open]);
  if (photos.length === 0) return <span className="as-muted">{t('noPhotos')}</span>;
  const close = () => {
    setOpen(null);
    opener.current?.focus();
  };
  const shown = open === null ? null : photos[open];
  return (
    <>
      <ul className="as-thumbs">
        {photos.map((src, i) => (
          <li key={src}>
            <button
              type="button"
              className="as-thumb-button"
              onClick={(e) => {
                opener.current = e.currentTarget;
                setOpen(i);
              }}
            >
              <img className="thumb" src={src} alt={label(i)} />
              <span className="visually-hidden"> {t('enlarge')}</span>
            </button>
          </li>
        ))}
      </ul>
      {open !== null && shown && (
        <dialog ref={dialog} className="as-photo-dialog" aria-label={label(open)} onClose={close}>
          <img src={shown} alt={label(open)} data-testid="photo-large" />
          <div className="form-actions">
            {photos.length > 1 && (
              <>
                <button
                  type="button"
                  className="btn"
                  onClick={() => setOpen((open - 1 + photos.length) % photos.length)}
                >
                  {t('previousPhoto')}
                </button>
                <button type="button" className="btn" onClick={() => setOpen((open + 1) % photos.length)}>
                  {t('nextPhoto')}
                </button>
              </>
            )}
            <button type="button" className="btn btn-primary" onClick={() => dialog.current?.close()}>
              {t('closePhoto')}
            </button>
          </div>
        </dialog>
      )}
    </>
  );
}

/** A picture picked for upload, and what became of it. */
export interface Evidence {
  id: string;
  name: string;
  /** The picture itself, for its preview and for APIs that take pictures as `data:` URLs. */
  dataUrl: string;
  /** The path the voucher upload answered (1688), once uploaded. */
  path?: string;
  uploading?: boolean;
}

/** Pictures picked for upload, as thumbnails with a remove button each. */
export function PickedPictures({
  pictures,
  onRemove,
  label,
}: {
  pictures: readonly Evidence[];
  onRemove: (id: string) => void;
  label: string;
}) {
  const { t } = useAftersalesMessages();
  if (pictures.length === 0) return null;
  return (
    <ul className="as-thumbs as-picked-list" aria-label={label}>
      {pictures.map((p, i) => (
        <li key={p.id} className="as-picked">
          <img className="thumb" src={p.dataUrl} alt={t('pickedPicture', { n: i + 1, name: p.name })} />
          {p.uploading && <span className="as-muted">{t('uploading')}</span>}
          <button
            type="button"
            className="btn btn-small"
            onClick={() => onRemove(p.id)}
            aria-label={t('removePicture', { n: i + 1, name: p.name })}
          >
            {t('remove')}
          </button>
        </li>
      ))}
    </ul>
  );
}

/** How many pictures go with a refund, a message or a return parcel at most. */
export const MAX_PICTURES = 10;
/** The largest picture the APIs take. */
export const MAX_PICTURE_BYTES = 1024 * 1024;

/** Reads the queries under `queryKey` again now (the page also does so by itself while things may change). */
export function RefreshButton({ queryKey }: { queryKey: readonly unknown[] }) {
  const { t } = useAftersalesMessages();
  const queryClient = useQueryClient();
  return (
    <button
      type="button"
      className="btn"
      onClick={() => void queryClient.invalidateQueries({ queryKey: [...queryKey] })}
    >
      {t('refresh')}
    </button>
  );
}
