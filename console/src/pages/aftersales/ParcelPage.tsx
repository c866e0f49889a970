import type { Parcel } from '@ponte/sdk';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { getRouteApi, Link } from '@tanstack/react-router';
import { type ReactNode, useState } from 'react';
import { useDeveloper } from '../../api';
import { useFormat } from '../../ui/format';
import { Badge, Facts, PageHeader, Section, Table } from '../../ui/page';
import { Empty, ErrorView, QueryView } from '../../ui/states';
import { useFlash } from './flash';
import { type AftersalesKey, useAftersalesMessages } from './messages';
import {
  attributesLabel,
  categoryLabel,
  ItemPicture,
  labelOf,
  ParcelStatusBadge,
  parcelStatusLabel,
  RefreshButton,
} from './shared';

const route = getRouteApi('/dev/parcels/$parcelId');

const CAUSE_KEY: Record<string, AftersalesKey> = {
  'api:book': 'causeBook',
  'api:cancel': 'causeCancel',
  'admin:pack': 'causePack',
  'admin:ship': 'causeShip',
  'admin:deliver': 'causeDeliver',
  'admin:cancel': 'causeOperatorCancel',
};

/** `/dev/parcels/$parcelId`: one international parcel, its freight as booked and as settled, and its way. */
export function ParcelPage() {
  const { t } = useAftersalesMessages();
  const { client, devKey } = useDeveloper();
  const { parcelId } = route.useParams();
  const known = /^PP[0-9]{1,20}$/.test(parcelId);
  const flash = useFlash(`parcel/${parcelId}`);
  const query = useQuery({
    queryKey: devKey('aftersales', 'parcel', parcelId),
    queryFn: () => client.logistics.parcel(parcelId),
    enabled: known,
    // The warehouse packs, ships and delivers it: read it again while it is on its way.
    refetchInterval: (q) =>
      q.state.data && q.state.data.status !== 'delivered' && q.state.data.status !== 'cancelled' ? 5000 : false,
  });
  return (
    <>
      <PageHeader
        title={t('parcelTitle', { id: parcelId })}
        actions={
          <>
            {known && <RefreshButton queryKey={devKey('aftersales', 'parcel', parcelId)} />}
            <Link className="btn" to="/dev/parcels">
              {t('backToParcels')}
            </Link>
          </>
        }
      />
      {flash && (
        <p className="notice" role="status">
          {flash}
        </p>
      )}
      {known ? (
        <QueryView query={query}>{(p) => <ParcelDetail parcel={p} />}</QueryView>
      ) : (
        <Empty>{t('unknownParcel')}</Empty>
      )}
    </>
  );
}

function ParcelDetail({ parcel: p }: { parcel: Parcel }) {
  const { t } = useAftersalesMessages();
  const f = useFormat();
  const a = p.receiverAddress;
  const address = [a.name, a.address, a.city, a.state, a.zip, a.country].filter(Boolean).join(', ');
  const summary: [string, ReactNode][] = [
    [t('status'), <ParcelStatusBadge key="s" status={p.status} testId="parcel-status" />],
    [
      t('channel'),
      <span key="c">
        {p.channel.freightInfo.companyName} ({categoryLabel(t, p.channel.freightInfo.serviceCategory)}){' '}
        {p.channel.sample && <Badge>{t('sampleRate')}</Badge>}
      </span>,
    ],
    [
      t('transit'),
      p.channel.transitDays.min === p.channel.transitDays.max
        ? t('daysExact', { count: p.channel.transitDays.max })
        : t('daysRange', { min: p.channel.transitDays.min, max: p.channel.transitDays.max }),
    ],
    [t('receiver'), address || '—'],
    [t('yourReference'), p.tmallOrderId || '—'],
    [t('warehouseNote'), p.remark || '—'],
    [t('bookedAt'), f.dateTime(p.createTime)],
    [t('packedAt'), f.dateTime(p.packTime)],
    [t('shippedAt'), f.dateTime(p.shipTime)],
    [t('deliveredAt'), f.dateTime(p.deliverTime)],
  ];
  if (p.cancelTime) summary.push([t('cancelledAt'), f.dateTime(p.cancelTime)]);
  return (
    <>
      <Section title={t('summary')}>
        <Facts items={summary} />
      </Section>
      <FreightSection parcel={p} />
      <Section title={t('tracking')}>
        <Facts
          items={[
            [t('carrier'), p.carrier ?? '—'],
            [t('trackingNo'), p.trackingNo ? <code key="n">{p.trackingNo}</code> : '—'],
            [
              t('measured'),
              p.measured
                ? t('measuredFacts', {
                    weight: f.number(p.measured.weightG),
                    length: p.measured.lengthCm,
                    width: p.measured.widthCm,
                    height: p.measured.heightCm,
                    volumetric: f.number(p.measured.volumetricWeightG),
                    chargeable: f.number(p.measured.chargeableWeightG),
                  })
                : '—',
            ],
          ]}
        />
        <h3>{t('traceEvents')}</h3>
        <Table label={t('traceEvents')}>
          <thead>
            <tr>
              <th>{t('when')}</th>
              <th>{t('status')}</th>
              <th>{t('what')}</th>
              <th>{t('remark')}</th>
            </tr>
          </thead>
          <tbody>
            {p.history.map((h) => (
              <tr key={`${h.time}-${h.toStatus}-${h.cause}`}>
                <td>{f.dateTime(h.time)}</td>
                <td>
                  {h.fromStatus ? `${parcelStatusLabel(t, h.fromStatus)} → ` : ''}
                  {parcelStatusLabel(t, h.toStatus)}
                </td>
                <td>{labelOf(t, CAUSE_KEY, h.cause)}</td>
                <td>{h.detail || '—'}</td>
              </tr>
            ))}
          </tbody>
        </Table>
      </Section>
      <Section title={t('contents')}>
        <Table label={t('contents')}>
          <thead>
            <tr>
              <th>{t('item')}</th>
              <th className="num">{t('quantity')}</th>
              <th className="num">{t('chargeableWeight')}</th>
              <th className="num">{t('estimateCol')}</th>
            </tr>
          </thead>
          <tbody>
            {p.lines.map((l) => (
              <tr key={`${l.itemId}/${l.skuId}`}>
                <td>
                  <span className="as-item">
                    <ItemPicture src={l.imageUrl} alt="" />
                    <span>
                      {l.title}
                      {l.attributes.length > 0 && (
                        <>
                          <br />
                          <span className="as-muted">{attributesLabel(t, l.attributes)}</span>
                        </>
                      )}
                    </span>
                  </span>
                </td>
                <td className="num">{l.quantity}</td>
                <td className="num">{t('grams', { weight: f.number(l.chargeableWeightG) })}</td>
                <td className="num">{f.money(l.estimate)}</td>
              </tr>
            ))}
          </tbody>
        </Table>
        <p>
          {t('warehouseItemsIn')}{' '}
          {p.itemIds.length === 0 ? t('notPackedYet') : p.itemIds.map((id) => <code key={id}>{id} </code>)}
        </p>
      </Section>
      {(p.status === 'booked' || p.status === 'cancelled') && <CancelParcel parcelId={p.parcelId} status={p.status} />}
    </>
  );
}

/** The freight as estimated at booking and as settled at packing, and what moved the balance. */
function FreightSection({ parcel: p }: { parcel: Parcel }) {
  const { t } = useAftersalesMessages();
  const f = useFormat();
  const s = p.settlement;
  const settlement = !s
    ? t('notSettled')
    : s.direction === 'charge'
      ? t('settleCharge', { amount: f.money(s.amount) })
      : s.direction === 'refund'
        ? t('settleRefund', { amount: f.money(-s.amount) })
        : t('settleNone');
  const items: [string, ReactNode][] = [
    [
      t('estimateCol'),
      <span key="e" data-testid="freight-estimate">
        {f.money(p.estimate)}
      </span>,
    ],
    [
      t('actual'),
      <span key="a" data-testid="freight-actual">
        {p.actual === null ? t('notSettled') : f.money(p.actual)}
      </span>,
    ],
    [
      t('settlement'),
      <span key="s" data-testid="freight-settlement">
        {settlement}
      </span>,
    ],
    [t('storageFee'), f.money(p.storageFee)],
  ];
  if (p.status !== 'cancelled') {
    items.push([t('chargedInAll'), f.money((p.actual ?? p.estimate) + p.storageFee)]);
  }
  const tx = p.transactions;
  return (
    <Section title={t('freightTitle')}>
      <Facts items={items} />
      <h3>{t('ledgerEffect')}</h3>
      <ul>
        <li>{t('txBooking', { id: tx.booking ?? '—', amount: f.money(-p.estimate) })}</li>
        {tx.settlement && s && <li>{t('txSettlement', { id: tx.settlement, amount: f.money(-s.amount) })}</li>}
        {tx.cancellation && <li>{t('txCancellation', { id: tx.cancellation, amount: f.money(p.estimate) })}</li>}
      </ul>
      <p>
        <Link to="/dev/balance">{t('seeLedger')}</Link>
      </p>
    </Section>
  );
}

/** Cancels a parcel not packed yet, after a second click; its confirmation stays once it is cancelled. */
function CancelParcel({ parcelId, status }: { parcelId: string; status: string }) {
  const { t } = useAftersalesMessages();
  const { client, devKey } = useDeveloper();
  const queryClient = useQueryClient();
  const [confirming, setConfirming] = useState(false);
  const cancel = useMutation({
    mutationFn: () => client.logistics.cancelParcel(parcelId),
    onSuccess: (p) => {
      queryClient.setQueryData(devKey('aftersales', 'parcel', parcelId), p);
      void queryClient.invalidateQueries({ queryKey: devKey('aftersales') });
    },
  });
  if (status !== 'booked' && !cancel.isSuccess) return null;
  return (
    <Section title={t('cancelParcelTitle')}>
      <p className="as-muted">{t('cancelParcelHint')}</p>
      {cancel.isSuccess && (
        <p className="notice" role="status">
          {t('parcelCancelled')}
        </p>
      )}
      {cancel.isError && <ErrorView error={cancel.error} />}
      {status === 'booked' && (
        <div className="form-actions">
          {confirming ? (
            <>
              <button
                type="button"
                className="btn btn-danger"
                disabled={cancel.isPending}
                onClick={() => cancel.mutate()}
              >
                {cancel.isPending ? t('submitting') : t('confirmCancelParcel')}
              </button>
              <button type="button" className="btn" onClick={() => setConfirming(false)}>
                {t('keepParcel')}
              </button>
            </>
          ) : (
            <button type="button" className="btn btn-danger" onClick={() => setConfirming(true)}>
              {t('cancelParcel')}
            </button>
          )}
        </div>
      )}
    </Section>
  );
}
