import type { AdminShipment, AdminWarehouseItemPage, PackInput, ShipInput } from '@ponte/sdk';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useParams } from '@tanstack/react-router';
import { type FormEvent, useState } from 'react';
import { useOperator } from '../../api';
import { ConfirmAction } from '../../ui/actions';
import { useFormat } from '../../ui/format';
import { Facts, Field, PageHeader, Section, Table } from '../../ui/page';
import { Empty, ErrorView, QueryView } from '../../ui/states';
import { useOperationsMessages } from './messages';
import { Done, intIn, ShipmentStatusBadge, Thumb, useStatusWord } from './shared';

const SHIPMENT_ID = /^PP[0-9]{1,20}$/;
type StoredItem = AdminWarehouseItemPage['list'][number];

/** One international parcel: its booking, the goods to pack, and the warehouse's steps as its state allows them. */
export function ShipmentPage() {
  const { t } = useOperationsMessages();
  const { client, opKey } = useOperator();
  const { shipmentId } = useParams({ from: '/op/shipments/$shipmentId' });
  const valid = SHIPMENT_ID.test(shipmentId);
  const shipment = useQuery({
    queryKey: opKey('operations', 'shipment', shipmentId),
    queryFn: () => client.shipments.get(shipmentId),
    enabled: valid,
  });
  return (
    <>
      <PageHeader title={t('shipmentTitle', { id: shipmentId })}>
        {shipment.data && <ShipmentStatusBadge status={shipment.data.status} />}
      </PageHeader>
      <p>
        <Link to="/op/shipments">{t('backToShipments')}</Link>
      </p>
      {valid ? (
        <QueryView query={shipment}>{(data) => <ShipmentView parcel={data} />}</QueryView>
      ) : (
        <Empty>{t('shipmentIdInvalid')}</Empty>
      )}
    </>
  );
}

/** The settlement at packing in words: what was charged or refunded. */
function useSettlementText() {
  const { t } = useOperationsMessages();
  const format = useFormat();
  return (parcel: AdminShipment) => {
    const s = parcel.settlement;
    if (!s) return '—';
    const amount = format.money(Math.abs(s.amount), parcel.currency);
    if (s.direction === 'charge') return t('settlementCharge', { amount });
    if (s.direction === 'refund') return t('settlementRefund', { amount });
    return t('settlementNone');
  };
}

function ShipmentView({ parcel }: { parcel: AdminShipment }) {
  const { t } = useOperationsMessages();
  const format = useFormat();
  const settlementText = useSettlementText();
  const word = useStatusWord();
  const [notice, setNotice] = useState<string | null>(null);
  const money = (fen: number | null) => format.money(fen, parcel.currency);
  const m = parcel.measured;
  const a = parcel.receiverAddress;
  const address = [a.name, a.address, a.city, a.state, a.zip, a.country].filter(Boolean).join(', ');
  const days = parcel.channel.transitDays;
  return (
    <>
      {notice && <Done>{notice}</Done>}
      {parcel.holdReason && (
        <p className="error-box" role="note">
          <strong>{t('onHold')}:</strong> {parcel.holdReason}
        </p>
      )}
      <Section title={t('booking')}>
        <Facts
          items={[
            [t('status'), <ShipmentStatusBadge key="s" status={parcel.status} />],
            [
              t('developer'),
              <Link key="d" to="/op/developers/$developId" params={{ developId: parcel.developId }}>
                {parcel.developId}
              </Link>,
            ],
            [t('subAccount'), parcel.userId],
            [
              t('channel'),
              <span key="c">
                {parcel.channel.freightInfo.companyName} ({parcel.channel.freightInfo.serviceCategory}
                {parcel.channel.sample ? `, ${t('sampleRates')}` : ''})
              </span>,
            ],
            [t('transitDays'), t('daysRange', { min: days.min, max: days.max })],
            [t('destination'), address],
            [t('yourReference'), parcel.tmallOrderId ?? '—'],
            [t('remark'), parcel.remark ?? '—'],
            [t('renderId'), parcel.renderId || '—'],
            [t('estimate'), money(parcel.estimate)],
            [
              t('actual'),
              <span key="a" data-testid="actual-freight">
                {money(parcel.actual)}
              </span>,
            ],
            [
              t('settlement'),
              <span key="st" data-testid="settlement">
                {settlementText(parcel)}
              </span>,
            ],
            [t('storageFee'), money(parcel.storageFee)],
            [
              t('measured'),
              m
                ? t('measuredText', {
                    weight: format.number(m.weightG),
                    length: m.lengthCm,
                    width: m.widthCm,
                    height: m.heightCm,
                    chargeable: format.number(m.chargeableWeightG),
                  })
                : '—',
            ],
            [t('carrier'), parcel.carrier ?? '—'],
            [t('trackingNo'), parcel.trackingNo ?? '—'],
            [t('bookedAt'), format.dateTime(parcel.createTime)],
            [t('packedAt'), format.dateTime(parcel.packTime)],
            [t('shippedAt'), format.dateTime(parcel.shipTime)],
            [t('deliveredAt'), format.dateTime(parcel.deliverTime)],
            [t('cancelledAt'), format.dateTime(parcel.cancelTime)],
          ]}
        />
      </Section>
      <Section title={t('bookedLines')}>
        <Table label={t('bookedLines')}>
          <thead>
            <tr>
              <th scope="col">{t('goods')}</th>
              <th scope="col">{t('productSku')}</th>
              <th scope="col" className="num">
                {t('quantity')}
              </th>
              <th scope="col">{t('attributes')}</th>
              <th scope="col" className="num">
                {t('quotedWeight')}
              </th>
              <th scope="col" className="num">
                {t('estimate')}
              </th>
            </tr>
          </thead>
          <tbody>
            {parcel.lines.map((l) => (
              <tr key={`${l.itemId}-${l.skuId}`}>
                <td>
                  <span style={{ display: 'flex', gap: '0.5rem', alignItems: 'center' }}>
                    <Thumb src={l.imageUrl} />
                    <span>{l.title}</span>
                  </span>
                </td>
                <td>
                  <code>
                    {l.itemId} / {l.skuId}
                  </code>
                </td>
                <td className="num">{format.number(l.quantity)}</td>
                <td>{l.attributes.map((x) => t(`attribute_${x}`)).join(', ') || '—'}</td>
                <td className="num">{format.number(l.chargeableWeightG)} g</td>
                <td className="num">{money(l.estimate)}</td>
              </tr>
            ))}
          </tbody>
        </Table>
        {parcel.itemIds.length > 0 && (
          <>
            <h3>{t('packedItems')}</h3>
            <ul>
              {parcel.itemIds.map((id) => (
                <li key={id}>
                  <Link to="/op/warehouse/items/$itemId" params={{ itemId: id }}>
                    {id}
                  </Link>
                </li>
              ))}
            </ul>
          </>
        )}
      </Section>
      {parcel.status === 'booked' && <PackForm parcel={parcel} onDone={setNotice} />}
      {parcel.status === 'packed' && <ShipForm parcel={parcel} onDone={setNotice} />}
      {parcel.status === 'shipped' && <DeliverSection parcel={parcel} onDone={setNotice} />}
      {parcel.status === 'booked' && <CancelSection parcel={parcel} onDone={setNotice} />}
      <Section title={t('history')}>
        <Table label={t('history')}>
          <thead>
            <tr>
              <th scope="col">{t('time')}</th>
              <th scope="col">{t('from')}</th>
              <th scope="col">{t('to')}</th>
              <th scope="col">{t('cause')}</th>
              <th scope="col">{t('detail')}</th>
            </tr>
          </thead>
          <tbody>
            {parcel.history.map((h, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: the history only grows, in order
              <tr key={i}>
                <td>{format.dateTime(h.time)}</td>
                <td>{word.shipment(h.fromStatus)}</td>
                <td>{word.shipment(h.toStatus)}</td>
                <td>
                  <code>{h.cause}</code>
                </td>
                <td>{h.detail ?? '—'}</td>
              </tr>
            ))}
          </tbody>
        </Table>
      </Section>
    </>
  );
}

/**
 * A change of the parcel: its confirmation is given to `onDone` (the form that made it goes when the state moves on),
 * the answer replaces the parcel shown, and the lists read it anew.
 */
function useShipmentChange<I>(
  parcel: AdminShipment,
  run: (input: I) => Promise<AdminShipment>,
  onDone: (notice: string) => void,
  notice: (updated: AdminShipment, input: I) => string,
) {
  const { opKey } = useOperator();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: run,
    onSuccess: async (updated, input) => {
      onDone(notice(updated, input));
      queryClient.setQueryData(opKey('operations', 'shipment', parcel.parcelId), updated);
      await queryClient.invalidateQueries({ queryKey: opKey('operations') });
    },
    // A refused pack records why on the parcel (its hold reason): read it again.
    onError: () => queryClient.invalidateQueries({ queryKey: opKey('operations', 'shipment', parcel.parcelId) }),
  });
}

/** Every one of the developer's stored items, read page by page (the warehouse keeps them until packed). */
async function storedItemsOf(
  list: (page: number) => Promise<AdminWarehouseItemPage>,
  maxPages = 20,
): Promise<StoredItem[]> {
  const out: StoredItem[] = [];
  for (let page = 1; page <= maxPages; page++) {
    const r = await list(page);
    out.push(...r.list);
    if (out.length >= r.total || r.list.length === 0) break;
  }
  return out;
}

/** Packing: the stored goods of the booking's lines go in, the parcel is weighed and measured, the freight settled. */
function PackForm({ parcel, onDone }: { parcel: AdminShipment; onDone: (notice: string) => void }) {
  const { t } = useOperationsMessages();
  const { client, opKey } = useOperator();
  const format = useFormat();
  const settlementText = useSettlementText();
  const stored = useQuery({
    queryKey: opKey('operations', 'warehouse', 'stored', parcel.developId),
    queryFn: () =>
      storedItemsOf((pageNo) =>
        client.warehouse.items({ developId: parcel.developId, status: 'stored', pageNo, pageSize: 50 }),
      ),
  });
  const candidates = (stored.data ?? []).filter((i) =>
    parcel.lines.some((l) => l.itemId === i.productId && l.skuId === (i.skuId ?? '')),
  );
  const [picked, setPicked] = useState<string[] | null>(null);
  const chosen = picked ?? candidates.map((i) => i.itemId);
  const [form, setForm] = useState({ weight: '', length: '', width: '', height: '' });
  const [problems, setProblems] = useState<Record<string, string>>({});
  const pack = useShipmentChange(
    parcel,
    (input: PackInput) => client.shipments.pack(parcel.parcelId, input),
    onDone,
    (updated) =>
      t('packedNotice', {
        actual: format.money(updated.actual, updated.currency),
        estimate: format.money(updated.estimate, updated.currency),
        settlement: settlementText(updated),
      }),
  );
  const inspectedWeight = candidates
    .filter((i) => chosen.includes(i.itemId))
    .reduce((sum, i) => sum + (i.weightG ?? 0), 0);

  const toggle = (id: string) => setPicked(chosen.includes(id) ? chosen.filter((x) => x !== id) : [...chosen, id]);
  const set = (name: keyof typeof form) => (e: { target: { value: string } }) =>
    setForm((f) => ({ ...f, [name]: e.target.value }));

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const found: Record<string, string> = {};
    const weightG = intIn(form.weight, 1, 1_000_000_000);
    const lengthCm = intIn(form.length, 1, 100_000);
    const widthCm = intIn(form.width, 1, 100_000);
    const heightCm = intIn(form.height, 1, 100_000);
    if (chosen.length === 0) found.items = t('chooseItems');
    if (weightG === null) found.weight = t('wholeNumberBetween', { min: 1, max: 1_000_000_000 });
    if (lengthCm === null || widthCm === null || heightCm === null)
      found.size = t('wholeNumberBetween', { min: 1, max: 100_000 });
    setProblems(found);
    if (Object.keys(found).length > 0 || weightG === null || lengthCm === null || widthCm === null || heightCm === null)
      return;
    pack.mutate({ itemIds: chosen, weightG, lengthCm, widthCm, heightCm });
  };

  return (
    <Section title={t('packTitle')}>
      <p>{t('packHint')}</p>
      <form onSubmit={submit} noValidate>
        <QueryView query={stored}>
          {() =>
            candidates.length === 0 ? (
              <Empty>{t('noStoredItems')}</Empty>
            ) : (
              <fieldset style={{ marginBottom: '0.75rem' }}>
                <legend>{t('itemsToPack')}</legend>
                {candidates.map((i) => (
                  <label key={i.itemId} style={{ display: 'flex', gap: '0.5rem', alignItems: 'center' }}>
                    <input type="checkbox" checked={chosen.includes(i.itemId)} onChange={() => toggle(i.itemId)} />
                    <code>{i.itemId}</code>
                    <span>
                      {i.titleTrans || i.title} · {format.number(i.quantityReceived ?? i.quantity)} ·{' '}
                      {i.weightG === null ? '—' : `${format.number(i.weightG)} g`}
                    </span>
                  </label>
                ))}
                {problems.items && (
                  <p className="field-error" role="alert">
                    {problems.items}
                  </p>
                )}
              </fieldset>
            )
          }
        </QueryView>
        <div className="form-row">
          <Field
            label={t('weightG')}
            hint={inspectedWeight > 0 ? t('inspectedWeight', { weight: format.number(inspectedWeight) }) : undefined}
            error={problems.weight}
          >
            <input type="number" min={1} inputMode="numeric" value={form.weight} onChange={set('weight')} required />
          </Field>
          <Field label={t('lengthCm')} error={problems.size}>
            <input type="number" min={1} inputMode="numeric" value={form.length} onChange={set('length')} required />
          </Field>
          <Field label={t('widthCm')}>
            <input type="number" min={1} inputMode="numeric" value={form.width} onChange={set('width')} required />
          </Field>
          <Field label={t('heightCm')}>
            <input type="number" min={1} inputMode="numeric" value={form.height} onChange={set('height')} required />
          </Field>
        </div>
        {pack.isError && <ErrorView error={pack.error} />}
        <div className="form-actions">
          <button type="submit" className="btn btn-primary" disabled={pack.isPending || candidates.length === 0}>
            {pack.isPending ? t('saving') : t('packAndSettle')}
          </button>
        </div>
      </form>
    </Section>
  );
}

/** Shipping a packed parcel with its international carrier and tracking number. */
function ShipForm({ parcel, onDone }: { parcel: AdminShipment; onDone: (notice: string) => void }) {
  const { t } = useOperationsMessages();
  const { client } = useOperator();
  const [carrier, setCarrier] = useState('');
  const [trackingNo, setTrackingNo] = useState('');
  const [problems, setProblems] = useState<Record<string, string>>({});
  const ship = useShipmentChange(
    parcel,
    (input: ShipInput) => client.shipments.ship(parcel.parcelId, input),
    onDone,
    (updated, input) =>
      t('shippedNotice', { carrier: input.carrier, trackingNo: updated.trackingNo ?? input.trackingNo }),
  );
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const c = carrier.trim();
    const n = trackingNo.trim();
    const found: Record<string, string> = {};
    if (c.length < 1 || c.length > 100) found.carrier = t('textLength', { min: 1, max: 100 });
    if (n.length < 1 || n.length > 64) found.trackingNo = t('textLength', { min: 1, max: 64 });
    setProblems(found);
    if (Object.keys(found).length > 0) return;
    ship.mutate({ carrier: c, trackingNo: n });
  };
  return (
    <Section title={t('shipTitle')}>
      <form onSubmit={submit} noValidate>
        <div className="form-row">
          <Field label={t('intlCarrier')} error={problems.carrier}>
            <input value={carrier} onChange={(e) => setCarrier(e.target.value)} maxLength={100} required />
          </Field>
          <Field label={t('intlTrackingNo')} error={problems.trackingNo}>
            <input value={trackingNo} onChange={(e) => setTrackingNo(e.target.value)} maxLength={64} required />
          </Field>
        </div>
        {ship.isError && <ErrorView error={ship.error} />}
        <div className="form-actions">
          <button type="submit" className="btn btn-primary" disabled={ship.isPending}>
            {ship.isPending ? t('saving') : t('shipParcel')}
          </button>
        </div>
      </form>
    </Section>
  );
}

function DeliverSection({ parcel, onDone }: { parcel: AdminShipment; onDone: (notice: string) => void }) {
  const { t } = useOperationsMessages();
  const { client } = useOperator();
  const deliver = useShipmentChange(
    parcel,
    () => client.shipments.deliver(parcel.parcelId),
    onDone,
    () => t('deliveredNotice'),
  );
  return (
    <Section title={t('deliverTitle')}>
      <p>{t('deliverHint')}</p>
      {deliver.isError && <ErrorView error={deliver.error} />}
      <button type="button" className="btn btn-primary" disabled={deliver.isPending} onClick={() => deliver.mutate()}>
        {deliver.isPending ? t('saving') : t('markDelivered')}
      </button>
    </Section>
  );
}

function CancelSection({ parcel, onDone }: { parcel: AdminShipment; onDone: (notice: string) => void }) {
  const { t } = useOperationsMessages();
  const { client } = useOperator();
  const format = useFormat();
  const cancel = useShipmentChange(
    parcel,
    () => client.shipments.cancel(parcel.parcelId),
    onDone,
    () => t('cancelledNotice'),
  );
  return (
    <Section title={t('cancelTitle')}>
      <p>{t('cancelHint', { amount: format.money(parcel.estimate, parcel.currency) })}</p>
      {cancel.isError && <ErrorView error={cancel.error} />}
      <ConfirmAction
        danger
        label={t('cancelBooking')}
        question={t('cancelQuestion', { id: parcel.parcelId })}
        confirmLabel={t('cancelConfirm')}
        pending={cancel.isPending}
        onConfirm={() => cancel.mutate()}
      />
    </Section>
  );
}
