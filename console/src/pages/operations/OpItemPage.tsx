import type { AdminWarehouseItem, InspectionInput } from '@ponte/sdk';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useParams } from '@tanstack/react-router';
import { type FormEvent, useState } from 'react';
import { useOperator } from '../../api';
import { ConfirmAction } from '../../ui/actions';
import { FileDrop } from '../../ui/file-drop';
import type { PickedPicture } from '../../ui/files';
import { useFormat } from '../../ui/format';
import { Facts, Field, PageHeader, Section, Table } from '../../ui/page';
import { Empty, ErrorView, QueryView } from '../../ui/states';
import { useOperationsMessages } from './messages';
import { Done, ItemStatusBadge, intIn, sizeText, Thumb, useStatusWord } from './shared';

const ITEM_ID = /^WI[0-9]{1,20}$/;
const CONDITIONS = ['ok', 'damaged', 'wrong_item', 'short'] as const;
type Condition = (typeof CONDITIONS)[number];
const ATTRIBUTES = ['battery', 'liquid', 'powder', 'food', 'brand'] as const;
type Attribute = (typeof ATTRIBUTES)[number];
/** What the API takes: six photos of at most 1 MB each. */
const MAX_PHOTOS = 6;
const MAX_PHOTO_BYTES = 1024 * 1024;

/** One warehouse item: what it is and where it stands, its inspection, its history, and its return to the seller. */
export function OpItemPage() {
  const { t } = useOperationsMessages();
  const { client, opKey } = useOperator();
  const { itemId } = useParams({ from: '/op/warehouse/items/$itemId' });
  const valid = ITEM_ID.test(itemId);
  const item = useQuery({
    queryKey: opKey('operations', 'item', itemId),
    queryFn: () => client.warehouse.item(itemId),
    enabled: valid,
  });
  return (
    <>
      <PageHeader title={t('itemTitle', { id: itemId })}>
        {item.data && <ItemStatusBadge status={item.data.status} />}
      </PageHeader>
      <p>
        <Link to="/op/warehouse">{t('backToWarehouse')}</Link>
      </p>
      {valid ? (
        <QueryView query={item}>{(data) => <ItemView item={data} />}</QueryView>
      ) : (
        <Empty>{t('itemIdInvalid')}</Empty>
      )}
    </>
  );
}

function ItemView({ item }: { item: AdminWarehouseItem }) {
  const { t } = useOperationsMessages();
  const format = useFormat();
  const word = useStatusWord();
  const [notice, setNotice] = useState<string | null>(null);
  const grams = (g: number | null) => (g === null ? '—' : `${format.number(g)} g`);
  return (
    <>
      {notice && <Done>{notice}</Done>}
      <Section title={t('goods')}>
        <div style={{ display: 'flex', gap: '0.75rem', alignItems: 'flex-start', marginBottom: '0.75rem' }}>
          <Thumb src={item.imageUrl} />
          <div>
            <strong>{item.titleTrans || item.title}</strong>
            {item.titleTrans && item.titleTrans !== item.title && <div lang="zh">{item.title}</div>}
          </div>
        </div>
        <Facts
          items={[
            [t('status'), <ItemStatusBadge key="s" status={item.status} />],
            [
              t('order'),
              item.orderId ? (
                <Link key="o" to="/op/orders/$orderId" params={{ orderId: item.orderId }}>
                  {item.platform ?? ''} {item.orderId}
                </Link>
              ) : (
                (item.externalOrderId ?? '—')
              ),
            ],
            [t('orderLine'), item.lineId ?? '—'],
            [t('productSku'), `${item.productId} / ${item.skuId ?? '—'}`],
            [
              t('developer'),
              <Link key="d" to="/op/developers/$developId" params={{ developId: item.developId }}>
                {item.developId}
              </Link>,
            ],
            [t('subAccount'), item.userId],
            [t('quantityExpected'), format.number(item.quantity)],
            [t('quantityReceived'), format.number(item.quantityReceived)],
            [t('condition'), item.condition ? t(`condition_${item.condition}`) : '—'],
            [t('trackingNo'), item.trackingNo],
            [t('carrier'), item.carrier ?? '—'],
            [t('weight'), grams(item.weightG)],
            [t('size'), sizeText(item.size)],
            [t('attributes'), item.attributes?.map((a) => t(`attribute_${a}`)).join(', ') || '—'],
            [t('note'), item.note ?? '—'],
            [t('expectedAt'), format.dateTime(item.createTime)],
            [t('receivedAt'), format.dateTime(item.receiveTime)],
            [t('inspectedAt'), format.dateTime(item.inspectTime)],
            [t('packedAt'), format.dateTime(item.packTime)],
            [t('shippedAt'), format.dateTime(item.shipTime)],
            [
              t('storage'),
              t('storageText', {
                count: item.storage.days,
                free: item.storage.freeDays,
                fee: format.money(item.storage.feeSoFar),
              }),
            ],
            [t('refund'), item.refundId ?? '—'],
            [
              t('parcel'),
              item.parcelId ? (
                <Link key="p" to="/op/shipments/$shipmentId" params={{ shipmentId: item.parcelId }}>
                  {item.parcelId}
                </Link>
              ) : (
                '—'
              ),
            ],
          ]}
        />
      </Section>
      {item.status === 'received' && <InspectForm item={item} onDone={setNotice} />}
      <Section title={t('photos')}>
        {item.photos.length === 0 ? (
          <Empty>{t('noPhotos')}</Empty>
        ) : (
          <ul className="grid" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
            {item.photos.map((url, i) => (
              <li key={url}>
                <a href={url} target="_blank" rel="noreferrer">
                  <img src={url} alt={t('photoN', { n: i + 1 })} style={{ maxHeight: '10rem' }} />
                </a>
              </li>
            ))}
          </ul>
        )}
      </Section>
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
            {item.history.map((h, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: the history only grows, in order
              <tr key={i}>
                <td>{format.dateTime(h.time)}</td>
                <td>{word.item(h.from)}</td>
                <td>{word.item(h.to)}</td>
                <td>
                  <code>{h.cause}</code>
                </td>
                <td>{h.detail ?? '—'}</td>
              </tr>
            ))}
          </tbody>
        </Table>
      </Section>
      {item.status === 'exception' && <ReturnSection item={item} onDone={setNotice} />}
    </>
  );
}

/** The inspection of a received item: units, condition, photos, the weighing and measuring, what the goods are. */
function InspectForm({ item, onDone }: { item: AdminWarehouseItem; onDone: (notice: string) => void }) {
  const { t } = useOperationsMessages();
  const { client, opKey } = useOperator();
  const queryClient = useQueryClient();
  const [quantity, setQuantity] = useState(String(item.quantity));
  const [condition, setCondition] = useState<Condition>('ok');
  const [photos, setPhotos] = useState<PickedPicture[]>([]);
  const [weight, setWeight] = useState('');
  const [size, setSize] = useState({ length: '', width: '', height: '' });
  const [attributes, setAttributes] = useState<Attribute[]>([]);
  const [note, setNote] = useState('');
  const [refund, setRefund] = useState(false);
  const [refundText, setRefundText] = useState('');
  const [problems, setProblems] = useState<Record<string, string>>({});
  const inspect = useMutation({
    mutationFn: (input: InspectionInput) => client.warehouse.inspect(item.itemId, input),
    onSuccess: async (updated) => {
      onDone(t('inspected', { status: t(`item_${updated.status}`) }));
      queryClient.setQueryData(opKey('operations', 'item', item.itemId), updated);
      await queryClient.invalidateQueries({ queryKey: opKey('operations') });
    },
  });
  const canRefund = item.source === 'order' && condition !== 'ok';

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const found: Record<string, string> = {};
    const q = intIn(quantity, 0, 100_000);
    if (q === null) found.quantity = t('wholeNumberBetween', { min: 0, max: 100_000 });
    const w = weight.trim() === '' ? undefined : intIn(weight, 0, 1_000_000);
    if (w === null) found.weight = t('wholeNumberBetween', { min: 0, max: 1_000_000 });
    const dims = [size.length, size.width, size.height].map((v) => (v.trim() === '' ? undefined : intIn(v, 0, 10_000)));
    const given = dims.filter((d) => d !== undefined).length;
    if (dims.some((d) => d === null)) found.size = t('wholeNumberBetween', { min: 0, max: 10_000 });
    else if (given > 0 && given < 3) found.size = t('sizeAllOrNone');
    const text = refundText.trim();
    if (canRefund && refund && text !== '' && (text.length < 2 || text.length > 150))
      found.refund = t('textLength', { min: 2, max: 150 });
    setProblems(found);
    if (Object.keys(found).length > 0 || q === null || w === null) return;
    const [lengthCm, widthCm, heightCm] = dims as (number | undefined)[];
    inspect.mutate({
      quantityReceived: q,
      condition,
      photos: photos.map((p) => p.base64),
      attributes,
      ...(w === undefined ? {} : { weightG: w }),
      ...(given === 3 ? { lengthCm, widthCm, heightCm } : {}),
      ...(note.trim() ? { note: note.trim() } : {}),
      ...(canRefund && refund ? { refund: text ? { description: text } : {} } : {}),
    });
  };

  return (
    <Section title={t('inspectTitle')}>
      <form onSubmit={submit} noValidate>
        <div className="form-row">
          <Field label={t('quantityReceived')} error={problems.quantity}>
            <input
              type="number"
              min={0}
              max={100000}
              inputMode="numeric"
              value={quantity}
              onChange={(e) => setQuantity(e.target.value)}
              required
            />
          </Field>
          <Field label={t('condition')}>
            <select value={condition} onChange={(e) => setCondition(e.target.value as Condition)}>
              {CONDITIONS.map((c) => (
                <option key={c} value={c}>
                  {t(`condition_${c}`)}
                </option>
              ))}
            </select>
          </Field>
        </div>
        <div className="form-row">
          <Field label={t('weightG')} error={problems.weight}>
            <input
              type="number"
              min={0}
              inputMode="numeric"
              value={weight}
              onChange={(e) => setWeight(e.target.value)}
            />
          </Field>
          <Field label={t('lengthCm')} error={problems.size}>
            <input
              type="number"
              min={0}
              inputMode="numeric"
              value={size.length}
              onChange={(e) => setSize((s) => ({ ...s, length: e.target.value }))}
            />
          </Field>
          <Field label={t('widthCm')}>
            <input
              type="number"
              min={0}
              inputMode="numeric"
              value={size.width}
              onChange={(e) => setSize((s) => ({ ...s, width: e.target.value }))}
            />
          </Field>
          <Field label={t('heightCm')}>
            <input
              type="number"
              min={0}
              inputMode="numeric"
              value={size.height}
              onChange={(e) => setSize((s) => ({ ...s, height: e.target.value }))}
            />
          </Field>
        </div>
        <fieldset style={{ marginBottom: '0.75rem' }}>
          <legend>{t('attributesFound')}</legend>
          <div className="form-row">
            {ATTRIBUTES.map((a) => (
              <label key={a} style={{ display: 'flex', gap: '0.35rem', alignItems: 'center' }}>
                <input
                  type="checkbox"
                  checked={attributes.includes(a)}
                  onChange={() =>
                    setAttributes((list) => (list.includes(a) ? list.filter((x) => x !== a) : [...list, a]))
                  }
                />
                {t(`attribute_${a}`)}
              </label>
            ))}
          </div>
        </fieldset>
        {photos.length < MAX_PHOTOS ? (
          <FileDrop
            label={t('addPhotos', { max: MAX_PHOTOS })}
            maxBytes={MAX_PHOTO_BYTES}
            onPicture={(p) => setPhotos((list) => (list.length < MAX_PHOTOS ? [...list, p] : list))}
            testId="inspection-photos"
          />
        ) : (
          <p>{t('photosFull', { max: MAX_PHOTOS })}</p>
        )}
        {photos.length > 0 && (
          <ul className="grid" style={{ listStyle: 'none', padding: 0, margin: '0.75rem 0' }}>
            {photos.map((p, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: the same picture may be added twice
              <li key={i} style={{ display: 'flex', flexDirection: 'column', gap: '0.35rem' }}>
                <img
                  src={p.dataUrl}
                  alt={t('photoPreview', { n: i + 1, name: p.name })}
                  style={{ maxHeight: '8rem' }}
                />
                <button
                  type="button"
                  className="btn btn-small"
                  onClick={() => setPhotos((list) => list.filter((_, j) => j !== i))}
                >
                  {t('removePhoto', { n: i + 1 })}
                </button>
              </li>
            ))}
          </ul>
        )}
        <Field label={t('note')}>
          <textarea value={note} onChange={(e) => setNote(e.target.value)} maxLength={500} rows={2} />
        </Field>
        {canRefund && (
          <fieldset style={{ marginBottom: '0.75rem' }}>
            <legend>{t('refund')}</legend>
            <label style={{ display: 'flex', gap: '0.35rem', alignItems: 'center' }}>
              <input type="checkbox" checked={refund} onChange={(e) => setRefund(e.target.checked)} />
              {t('askRefund')}
            </label>
            {refund && (
              <Field label={t('refundDescription')} hint={t('refundDescriptionHint')} error={problems.refund}>
                <input value={refundText} onChange={(e) => setRefundText(e.target.value)} maxLength={150} />
              </Field>
            )}
          </fieldset>
        )}
        {inspect.isError && <ErrorView error={inspect.error} />}
        <div className="form-actions">
          <button type="submit" className="btn btn-primary" disabled={inspect.isPending}>
            {inspect.isPending ? t('saving') : t('recordInspection')}
          </button>
        </div>
      </form>
    </Section>
  );
}

/** An item in exception sent back to its seller. */
function ReturnSection({ item, onDone }: { item: AdminWarehouseItem; onDone: (notice: string) => void }) {
  const { t } = useOperationsMessages();
  const { client, opKey } = useOperator();
  const queryClient = useQueryClient();
  const [note, setNote] = useState('');
  const back = useMutation({
    mutationFn: () => client.warehouse.returnItem(item.itemId, note.trim() ? { note: note.trim() } : {}),
    onSuccess: async (updated) => {
      onDone(t('returned', { id: updated.itemId }));
      queryClient.setQueryData(opKey('operations', 'item', item.itemId), updated);
      await queryClient.invalidateQueries({ queryKey: opKey('operations') });
    },
  });
  return (
    <Section title={t('returnTitle')}>
      <p>{t('returnHint')}</p>
      <Field label={t('returnNote')}>
        <input value={note} onChange={(e) => setNote(e.target.value)} maxLength={500} />
      </Field>
      {back.isError && <ErrorView error={back.error} />}
      <ConfirmAction
        danger
        label={t('returnToSeller')}
        question={t('returnQuestion', { id: item.itemId })}
        confirmLabel={t('returnConfirm')}
        pending={back.isPending}
        onConfirm={() => back.mutate()}
      />
    </Section>
  );
}
