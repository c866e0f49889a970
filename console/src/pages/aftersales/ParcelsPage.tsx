import type { FreightPreview, ItemFreightEstimate, WarehouseItemPage } from '@ponte/sdk';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { getRouteApi, Link, useNavigate } from '@tanstack/react-router';
import { type FormEvent, useId, useMemo, useState } from 'react';
import { useDeveloper } from '../../api';
import { useCommon } from '../../i18n/common';
import { useNav } from '../../i18n/nav';
import { useFormat } from '../../ui/format';
import { Badge, Field, PageHeader, Section, Table } from '../../ui/page';
import { Pager } from '../../ui/pager';
import { Empty, ErrorView, QueryView } from '../../ui/states';
import { setFlash } from './flash';
import { useAftersalesMessages } from './messages';
import { PARCEL_STATUSES, type ParcelStatus, SAMPLE_COUNTRIES } from './model';
import {
  attributesLabel,
  categoryLabel,
  freightReasonLabel,
  ItemPicture,
  ParcelStatusBadge,
  parcelStatusLabel,
} from './shared';

const route = getRouteApi('/dev/parcels');
const PAGE_SIZE = 20;
const COUNTRY = /^[A-Za-z]{2}$/;

type WarehouseItem = WarehouseItemPage['list'][number];

/** `/dev/parcels`: freight estimates, booking a parcel from stored goods, and the parcels booked. */
export function ParcelsPage() {
  const { t } = useAftersalesMessages();
  const { t: tn } = useNav();
  return (
    <>
      <PageHeader title={tn('parcels')}>
        <p className="as-muted">{t('parcelsIntro')}</p>
      </PageHeader>
      <EstimateSection />
      <BookSection />
      <ParcelList />
    </>
  );
}

/** Country names in the console's language. */
function useCountryName() {
  const f = useFormat();
  return useMemo(() => {
    const names = new Intl.DisplayNames([f.locale], { type: 'region' });
    return (code: string) => {
      try {
        return COUNTRY.test(code) ? (names.of(code.toUpperCase()) ?? code) : code;
      } catch {
        return code;
      }
    };
  }, [f.locale]);
}

/** A destination country as ISO 3166-1 alpha-2, with the sample rate cards' countries suggested. */
function CountryField({
  value,
  onChange,
  error,
}: {
  value: string;
  onChange: (code: string) => void;
  error: string | null;
}) {
  const { t } = useAftersalesMessages();
  const name = useCountryName();
  const id = useId();
  return (
    <Field label={t('country')} hint={COUNTRY.test(value) ? name(value) : t('countryHint')} error={error}>
      <input
        list={id}
        value={value}
        onChange={(e) => onChange(e.target.value.toUpperCase().slice(0, 2))}
        autoComplete="country"
        name="country"
      />
      <datalist id={id}>
        {SAMPLE_COUNTRIES.map((c) => (
          <option key={c} value={c}>
            {name(c)}
          </option>
        ))}
      </datalist>
    </Field>
  );
}

/** Days in transit as a range. */
function useTransit() {
  const { t } = useAftersalesMessages();
  return (d: { min: number; max: number }) =>
    d.min === d.max ? t('daysExact', { count: d.max }) : t('daysRange', { min: d.min, max: d.max });
}

// -- W1 ----------------------------------------------------------------------------------------------------------

/** W1: what sending units of one SKU to a country costs on each channel. */
function EstimateSection() {
  const { t, language } = useAftersalesMessages();
  const { client, devKey } = useDeveloper();
  const goods = useQuery({
    queryKey: devKey('aftersales', 'warehouse', 'all-goods'),
    queryFn: () => client.logistics.warehouseItems({ pageNo: 1, pageSize: 50 }),
  });
  const [form, setForm] = useState({ itemId: '', skuId: '', quantity: '1', country: '' });
  const [checked, setChecked] = useState(false);
  const quantity = Number(form.quantity);
  const errors = {
    itemId: form.itemId.trim() ? null : t('itemIdRequired'),
    skuId: form.skuId.trim() ? null : t('skuIdRequired'),
    quantity: Number.isInteger(quantity) && quantity >= 1 && quantity <= 10_000 ? null : t('quantityInvalid'),
    country: COUNTRY.test(form.country) ? null : t('countryInvalid'),
  };
  const estimate = useMutation({
    mutationFn: () =>
      client.logistics.estimateItem({
        itemId: form.itemId.trim(),
        skuId: form.skuId.trim(),
        quantity,
        receiverAddress: { country: form.country },
        language,
      }),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setChecked(true);
    if (Object.values(errors).some(Boolean)) return;
    estimate.mutate();
  };
  const known = uniqueGoods(goods.data?.list ?? []);
  return (
    <Section title={t('estimateTitle')}>
      <form onSubmit={submit} noValidate>
        <p className="as-muted">{t('estimateHint')}</p>
        {known.length > 0 && (
          <Field label={t('fromWarehouse')}>
            <select
              value=""
              onChange={(e) => {
                const g = known.find((k) => k.key === e.target.value);
                if (g) setForm((v) => ({ ...v, itemId: g.productId, skuId: g.skuId, quantity: String(g.quantity) }));
              }}
            >
              <option value="">{t('chooseGoods')}</option>
              {known.map((g) => (
                <option key={g.key} value={g.key}>
                  {g.title}
                </option>
              ))}
            </select>
          </Field>
        )}
        <div className="form-row">
          <Field label={t('itemId')} error={checked ? errors.itemId : null}>
            <input
              value={form.itemId}
              onChange={(e) => setForm((v) => ({ ...v, itemId: e.target.value }))}
              maxLength={40}
              name="itemId"
              autoComplete="off"
            />
          </Field>
          <Field label={t('skuId')} error={checked ? errors.skuId : null}>
            <input
              value={form.skuId}
              onChange={(e) => setForm((v) => ({ ...v, skuId: e.target.value }))}
              maxLength={40}
              name="skuId"
              autoComplete="off"
            />
          </Field>
          <Field label={t('quantity')} error={checked ? errors.quantity : null}>
            <input
              type="number"
              min={1}
              max={10000}
              value={form.quantity}
              onChange={(e) => setForm((v) => ({ ...v, quantity: e.target.value }))}
              name="quantity"
            />
          </Field>
          <CountryField
            value={form.country}
            onChange={(country) => setForm((v) => ({ ...v, country }))}
            error={checked ? errors.country : null}
          />
        </div>
        {estimate.isError && <ErrorView error={estimate.error} />}
        <div className="form-actions">
          <button type="submit" className="btn btn-primary" disabled={estimate.isPending}>
            {estimate.isPending ? t('estimating') : t('estimate')}
          </button>
        </div>
      </form>
      {estimate.data && <EstimateResult data={estimate.data} />}
    </Section>
  );
}

/** The warehouse goods once per product and SKU, for the estimate's item choice. */
function uniqueGoods(items: readonly WarehouseItem[]) {
  const seen = new Map<string, { key: string; productId: string; skuId: string; title: string; quantity: number }>();
  for (const i of items) {
    const key = `${i.productId}/${i.skuId ?? ''}`;
    if (!seen.has(key) && i.skuId) {
      seen.set(key, {
        key,
        productId: i.productId,
        skuId: i.skuId,
        title: i.titleTrans || i.title,
        quantity: i.quantityReceived ?? i.quantity,
      });
    }
  }
  return [...seen.values()];
}

function EstimateResult({ data }: { data: ItemFreightEstimate }) {
  const { t } = useAftersalesMessages();
  const f = useFormat();
  const transit = useTransit();
  const name = useCountryName();
  return (
    <>
      <h3>{t('estimateFor', { country: name(data.country), quantity: data.quantity })}</h3>
      <p className="as-muted">
        {t('parcelFacts', {
          weight: f.number(data.parcel.weightG),
          length: data.parcel.lengthCm,
          width: data.parcel.widthCm,
          height: data.parcel.heightCm,
        })}{' '}
        {data.parcel.attributes.length > 0 && attributesLabel(t, data.parcel.attributes)}
      </p>
      {data.channels.length === 0 ? (
        <Empty>{t('noChannels')}</Empty>
      ) : (
        <Table label={t('channelsTable')}>
          <thead>
            <tr>
              <th>{t('channel')}</th>
              <th>{t('carries')}</th>
              <th className="num">{t('chargeableWeight')}</th>
              <th className="num">{t('freight')}</th>
              <th>{t('transit')}</th>
            </tr>
          </thead>
          <tbody>
            {data.channels.map((c) => (
              <tr key={c.freightInfo.serviceId}>
                <td>
                  {c.freightInfo.companyName}
                  <br />
                  <span className="as-muted">{categoryLabel(t, c.freightInfo.serviceCategory)}</span>{' '}
                  {c.sample && <Badge>{t('sampleRate')}</Badge>}
                </td>
                <td>{c.available ? t('yesCarries') : freightReasonLabel(t, c.reason)}</td>
                <td className="num">
                  {c.available || c.chargeableWeightG > 0 ? t('grams', { weight: f.number(c.chargeableWeightG) }) : '—'}
                </td>
                <td className="num">{c.available ? f.money(c.freight) : '—'}</td>
                <td>{transit(c.transitDays)}</td>
              </tr>
            ))}
          </tbody>
        </Table>
      )}
    </>
  );
}

// -- W2 → W4 -----------------------------------------------------------------------------------------------------

const STORED_PAGE = 50;

interface Receiver {
  country: string;
  name: string;
  phone: string;
  address: string;
  city: string;
  state: string;
  zip: string;
}

/** Booking a parcel: stored goods chosen, the receiver, a preview of every channel (W2), then the booking (W4). */
function BookSection() {
  const { t, language } = useAftersalesMessages();
  const { client, devKey } = useDeveloper();
  const f = useFormat();
  const [page, setPage] = useState(1);
  const stored = useQuery({
    queryKey: devKey('aftersales', 'warehouse', 'stored', page),
    queryFn: () => client.logistics.warehouseItems({ status: 'stored', pageNo: page, pageSize: STORED_PAGE }),
    placeholderData: keepPreviousData,
  });
  const balance = useQuery({
    queryKey: devKey('aftersales', 'balance'),
    queryFn: () => client.account.balance(),
  });
  const [chosen, setChosen] = useState<Map<string, WarehouseItem>>(new Map());
  const [receiver, setReceiver] = useState<Receiver>({
    country: '',
    name: '',
    phone: '',
    address: '',
    city: '',
    state: '',
    zip: '',
  });
  const [reference, setReference] = useState('');
  const [remark, setRemark] = useState('');
  const [checked, setChecked] = useState(false);
  const errors = {
    items: chosen.size > 0 ? null : t('chooseItems'),
    country: COUNTRY.test(receiver.country) ? null : t('countryInvalid'),
  };
  const receiverAddress = () => {
    const { country, ...rest } = receiver;
    const filled = Object.fromEntries(
      Object.entries(rest)
        .filter(([, v]) => v.trim())
        .map(([k, v]) => [k, v.trim()]),
    );
    return { country, ...filled, ...(receiver.phone.trim() ? { mobilePhone: receiver.phone.trim() } : {}) };
  };
  const preview = useMutation({
    mutationFn: (address: ReturnType<typeof receiverAddress>) =>
      client.logistics.preview({
        receiverAddress: address,
        renderItems: linesOf([...chosen.values()]).map((l) => ({
          ...l,
          freightInfo: { serviceId: '', companyName: '', serviceCategory: '' },
        })),
        language,
      }),
  });
  const toggle = (item: WarehouseItem) =>
    setChosen((m) => {
      const next = new Map(m);
      if (next.has(item.itemId)) next.delete(item.itemId);
      else next.set(item.itemId, item);
      return next;
    });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setChecked(true);
    if (errors.items || errors.country) return;
    preview.mutate(receiverAddress());
  };
  const set = (name: keyof Receiver, max: number) => (e: { target: { value: string } }) =>
    setReceiver((r) => ({ ...r, [name]: e.target.value.slice(0, max) }));

  return (
    <Section title={t('bookTitle')}>
      <form onSubmit={submit} noValidate>
        <p className="as-muted">{t('bookHint')}</p>
        <QueryView query={stored}>
          {(data) =>
            data.list.length === 0 ? (
              <Empty>{t('noStoredItems')}</Empty>
            ) : (
              <fieldset className="as-choices">
                <legend>{t('storedGoods')}</legend>
                {data.list.map((item) => (
                  <label key={item.itemId} className="as-choice">
                    <input
                      type="checkbox"
                      checked={chosen.has(item.itemId)}
                      onChange={() => toggle(item)}
                      name="items"
                      value={item.itemId}
                    />
                    <span className="as-item">
                      <ItemPicture src={item.imageUrl} alt="" />
                      <span>
                        {item.titleTrans || item.title}
                        <br />
                        <span className="as-muted">
                          {t('storedFacts', {
                            id: item.itemId,
                            quantity: item.quantityReceived ?? item.quantity,
                            weight: item.weightG === null ? '—' : f.number(item.weightG),
                          })}
                        </span>
                      </span>
                    </span>
                  </label>
                ))}
                {data.total > STORED_PAGE && (
                  <Pager pageNo={page} pageSize={STORED_PAGE} total={data.total} onChange={setPage} />
                )}
              </fieldset>
            )
          }
        </QueryView>
        {checked && errors.items && (
          <p className="field-error" role="alert">
            {errors.items}
          </p>
        )}
        <h3>{t('receiver')}</h3>
        <div className="form-row">
          <CountryField
            value={receiver.country}
            onChange={(country) => setReceiver((r) => ({ ...r, country }))}
            error={checked ? errors.country : null}
          />
          <Field label={t('receiverName')}>
            <input value={receiver.name} onChange={set('name', 100)} autoComplete="name" />
          </Field>
          <Field label={t('phone')}>
            <input value={receiver.phone} onChange={set('phone', 40)} type="tel" autoComplete="tel" />
          </Field>
        </div>
        <div className="form-row">
          <Field label={t('street')}>
            <input value={receiver.address} onChange={set('address', 300)} autoComplete="street-address" />
          </Field>
          <Field label={t('city')}>
            <input value={receiver.city} onChange={set('city', 100)} autoComplete="address-level2" />
          </Field>
          <Field label={t('state')}>
            <input value={receiver.state} onChange={set('state', 100)} autoComplete="address-level1" />
          </Field>
          <Field label={t('zip')}>
            <input value={receiver.zip} onChange={set('zip', 20)} autoComplete="postal-code" />
          </Field>
        </div>
        <div className="form-row">
          <Field label={t('yourReference')}>
            <input value={reference} onChange={(e) => setReference(e.target.value.slice(0, 64))} />
          </Field>
          <Field label={t('warehouseNote')}>
            <input value={remark} onChange={(e) => setRemark(e.target.value.slice(0, 500))} />
          </Field>
        </div>
        {preview.isError && <ErrorView error={preview.error} />}
        <div className="form-actions">
          <button type="submit" className="btn btn-primary" disabled={preview.isPending}>
            {preview.isPending ? t('previewing') : t('previewFreight')}
          </button>
        </div>
      </form>
      {preview.data && preview.variables && (
        <PreviewResult
          key={preview.data.renderId}
          data={preview.data}
          receiverAddress={preview.variables}
          reference={reference.trim()}
          remark={remark.trim()}
          balance={balance.data?.balance ?? null}
          titles={titlesOf([...chosen.values()])}
        />
      )}
    </Section>
  );
}

/** The titles of the items chosen in the console's language, by product and SKU. */
const titlesOf = (items: readonly WarehouseItem[]) =>
  new Map(items.map((i) => [`${i.productId}/${i.skuId ?? ''}`, i.titleTrans || i.title]));

/** The preview's lines: one per product and SKU, the units of the items chosen added up. */
function linesOf(items: readonly WarehouseItem[]) {
  const lines = new Map<string, { itemId: string; skuId: string; quantity: number }>();
  for (const i of items) {
    const key = `${i.productId}/${i.skuId ?? ''}`;
    const quantity = i.quantityReceived ?? i.quantity;
    const line = lines.get(key);
    if (line) line.quantity += quantity;
    else lines.set(key, { itemId: i.productId, skuId: i.skuId ?? '', quantity });
  }
  return [...lines.values()];
}

function PreviewResult({
  data,
  receiverAddress,
  reference,
  remark,
  balance,
  titles,
}: {
  data: FreightPreview;
  receiverAddress: { country: string };
  reference: string;
  remark: string;
  balance: number | null;
  titles: Map<string, string>;
}) {
  const { t, language } = useAftersalesMessages();
  const { client, devKey } = useDeveloper();
  const f = useFormat();
  const transit = useTransit();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const available = data.channels.filter((c) => c.available);
  const [serviceId, setServiceId] = useState(available[0]?.freightInfo.serviceId ?? '');
  const channel = data.channels.find((c) => c.freightInfo.serviceId === serviceId);
  const book = useMutation({
    mutationFn: () =>
      client.logistics.book({
        renderId: data.renderId,
        receiverAddress,
        lineItems: data.renderItems.map((l) => ({
          itemId: l.itemId,
          skuId: l.skuId,
          quantity: l.quantity,
          freightInfo: { serviceId, companyName: '', serviceCategory: '' },
        })),
        language,
        ...(reference ? { tmallOrderInfo: { tmallOrderId: reference } } : {}),
        ...(remark ? { remark } : {}),
      }),
    onSuccess: (r) => {
      void queryClient.invalidateQueries({ queryKey: devKey('aftersales') });
      const parcel = r.parcels[0];
      if (!parcel) return;
      setFlash(`parcel/${parcel.parcelId}`, 'booked', { amount: f.money(parcel.estimate) });
      void navigate({ to: '/dev/parcels/$parcelId', params: { parcelId: parcel.parcelId } });
    },
  });
  return (
    <div>
      <h3>{t('previewTitle')}</h3>
      <p className="as-muted">{t('previewExpires', { time: f.dateTime(data.expireTime) })}</p>
      <Table label={t('previewLines')}>
        <thead>
          <tr>
            <th>{t('item')}</th>
            <th className="num">{t('quantity')}</th>
            <th>{t('parcelSize')}</th>
            <th>{t('notCarriedBy')}</th>
          </tr>
        </thead>
        <tbody>
          {data.renderItems.map((l) => (
            <tr key={`${l.itemId}/${l.skuId}`}>
              <td>
                <span className="as-item">
                  <ItemPicture src={l.imageUrl} alt="" />
                  <span>{titles.get(`${l.itemId}/${l.skuId}`) ?? l.title}</span>
                </span>
              </td>
              <td className="num">{l.quantity}</td>
              <td>
                {t('parcelFacts', {
                  weight: f.number(l.parcel.weightG),
                  length: l.parcel.lengthCm,
                  width: l.parcel.widthCm,
                  height: l.parcel.heightCm,
                })}
              </td>
              <td>
                {l.reasons.length === 0
                  ? '—'
                  : l.reasons
                      .map((r) => {
                        const name = data.channels.find((c) => c.freightInfo.serviceId === r.serviceId);
                        return `${name?.freightInfo.companyName ?? r.serviceId}: ${freightReasonLabel(t, r)}`;
                      })
                      .join('; ')}
              </td>
            </tr>
          ))}
        </tbody>
      </Table>
      {available.length === 0 ? (
        <p className="notice" role="status">
          {t('noChannelCarries')}
        </p>
      ) : (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            if (channel?.available) book.mutate();
          }}
        >
          <fieldset className="as-choices">
            <legend>{t('chooseChannel')}</legend>
            {data.channels.map((c) => (
              <label key={c.freightInfo.serviceId} className="as-choice">
                <input
                  type="radio"
                  name="channel"
                  value={c.freightInfo.serviceId}
                  checked={serviceId === c.freightInfo.serviceId}
                  disabled={!c.available}
                  onChange={() => setServiceId(c.freightInfo.serviceId)}
                />
                <span>
                  <strong>{c.freightInfo.companyName}</strong> ({categoryLabel(t, c.freightInfo.serviceCategory)}) ·{' '}
                  {c.available ? f.money(c.freight) : t('notAvailable')} · {transit(c.transitDays)}{' '}
                  {c.sample && <Badge>{t('sampleRate')}</Badge>}
                </span>
              </label>
            ))}
          </fieldset>
          {channel && (
            <p>
              {t('bookCharge', { amount: f.money(channel.freight) })}{' '}
              {balance !== null && t('balanceNow', { amount: f.money(balance) })}
            </p>
          )}
          {book.isError && <ErrorView error={book.error} />}
          <div className="form-actions">
            <button type="submit" className="btn btn-primary" disabled={book.isPending || !channel?.available}>
              {book.isPending ? t('booking') : t('bookButton')}
            </button>
          </div>
        </form>
      )}
    </div>
  );
}

// -- the parcels -------------------------------------------------------------------------------------------------

function ParcelList() {
  const { t } = useAftersalesMessages();
  const { t: tc } = useCommon();
  const { client, devKey } = useDeveloper();
  const f = useFormat();
  const name = useCountryName();
  const { status, page = 1 } = route.useSearch();
  const navigate = route.useNavigate();
  const query = useQuery({
    queryKey: devKey('aftersales', 'parcels', status ?? '', page),
    queryFn: () => client.logistics.parcels({ pageNo: page, pageSize: PAGE_SIZE, ...(status ? { status } : {}) }),
    placeholderData: keepPreviousData,
  });
  return (
    <Section title={t('yourParcels')}>
      <div className="as-filters">
        <Field label={t('status')}>
          <select
            value={status ?? ''}
            onChange={(e) =>
              void navigate({
                search: (s) => ({
                  ...s,
                  status: (e.target.value || undefined) as ParcelStatus | undefined,
                  page: undefined,
                }),
              })
            }
          >
            <option value="">{tc('all')}</option>
            {PARCEL_STATUSES.map((s) => (
              <option key={s} value={s}>
                {parcelStatusLabel(t, s)}
              </option>
            ))}
          </select>
        </Field>
      </div>
      <QueryView query={query}>
        {(data) =>
          data.list.length === 0 ? (
            <Empty>{t('noParcels')}</Empty>
          ) : (
            <>
              <Table label={t('parcelsTable')}>
                <thead>
                  <tr>
                    <th>{t('parcel')}</th>
                    <th>{t('status')}</th>
                    <th>{t('channel')}</th>
                    <th>{t('country')}</th>
                    <th className="num">{t('estimateCol')}</th>
                    <th className="num">{t('actual')}</th>
                    <th>{t('bookedAt')}</th>
                  </tr>
                </thead>
                <tbody>
                  {data.list.map((p) => (
                    <tr key={p.parcelId}>
                      <td>
                        <Link to="/dev/parcels/$parcelId" params={{ parcelId: p.parcelId }}>
                          {p.parcelId}
                        </Link>
                      </td>
                      <td>
                        <ParcelStatusBadge status={p.status} />
                      </td>
                      <td>{p.channel.freightInfo.companyName}</td>
                      <td>{name(p.receiverAddress.country)}</td>
                      <td className="num">{f.money(p.estimate)}</td>
                      <td className="num">{f.money(p.actual)}</td>
                      <td>{f.dateTime(p.createTime)}</td>
                    </tr>
                  ))}
                </tbody>
              </Table>
              <Pager
                pageNo={page}
                pageSize={PAGE_SIZE}
                total={data.total}
                onChange={(p) => void navigate({ search: (s) => ({ ...s, page: p > 1 ? p : undefined }) })}
              />
            </>
          )
        }
      </QueryView>
    </Section>
  );
}
