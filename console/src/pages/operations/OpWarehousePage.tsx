import type { Receipt } from '@ponte/sdk';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate, useSearch } from '@tanstack/react-router';
import { type FormEvent, type KeyboardEvent, useEffect, useRef, useState } from 'react';
import { isApiError, useOperator } from '../../api';
import { useCommon } from '../../i18n/common';
import { ConfirmAction } from '../../ui/actions';
import { useFormat } from '../../ui/format';
import { Field, PageHeader, Section, Table } from '../../ui/page';
import { Pager } from '../../ui/pager';
import { Empty, ErrorView, QueryView } from '../../ui/states';
import { useOperationsMessages } from './messages';
import { DEVELOP_ID, EXCEPTION_STATUSES, type ExceptionStatus, ITEM_STATUSES, type ItemStatus } from './search';
import { Done, ExceptionStatusBadge, ItemStatusBadge, Thumb } from './shared';

const PAGE_SIZE = 20;
const TRACKING_NO = /^[A-Za-z0-9-]{4,64}$/;
/** This tab's receipts, kept while the tab lives so that going to an item and back keeps the list. */
const SCANS_KEY = 'ponte.operations.receipts';
const MAX_SCANS = 100;

/** A receipt as the list keeps it: what the scan matched, or why it failed. */
interface Scan {
  key: string;
  trackingNo: string;
  at: number;
  state: 'pending' | 'done' | 'failed';
  outcome?: Receipt['outcome'];
  items?: { itemId: string; title: string; developId: string }[];
  exceptionId?: string | null;
  error?: { code?: number; msg: string; requestId?: string };
}

function readScans(): Scan[] {
  try {
    const raw = sessionStorage.getItem(SCANS_KEY);
    const list = raw ? (JSON.parse(raw) as Scan[]) : [];
    return Array.isArray(list) ? list.filter((s) => s.state !== 'pending') : [];
  } catch {
    return [];
  }
}

function failureOf(error: unknown): NonNullable<Scan['error']> {
  if (isApiError(error)) return { code: error.code, msg: error.msg, requestId: error.requestId };
  return { msg: error instanceof Error ? error.message : String(error) };
}

/** The warehouse floor: receive parcels by scanning, the items across developers, and the exception queue. */
export function OpWarehousePage() {
  const { t } = useOperationsMessages();
  return (
    <>
      <PageHeader title={t('warehouseTitle')}>
        <p>{t('warehouseIntro')}</p>
      </PageHeader>
      <ReceiveBox />
      <ItemsSection />
      <ExceptionsSection />
    </>
  );
}

/**
 * The receiving desk: a barcode scanner types the tracking number and presses Enter; each scan is received in turn
 * while the field is cleared and ready for the next one, and its result is listed.
 */
function ReceiveBox() {
  const { t } = useOperationsMessages();
  const { client, opKey } = useOperator();
  const queryClient = useQueryClient();
  const format = useFormat();
  const input = useRef<HTMLInputElement>(null);
  const [value, setValue] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [scans, setScans] = useState<Scan[]>(readScans);
  const chain = useRef<Promise<void>>(Promise.resolve());
  const counter = useRef(0);

  useEffect(() => {
    // After the console has moved focus to the page's heading: the scanner types into this field.
    const timer = setTimeout(() => input.current?.focus(), 0);
    return () => clearTimeout(timer);
  }, []);

  useEffect(() => {
    try {
      sessionStorage.setItem(SCANS_KEY, JSON.stringify(scans.filter((s) => s.state !== 'pending')));
    } catch {
      // not kept: the list still shows this page's scans
    }
  }, [scans]);

  const update = (key: string, change: Partial<Scan>) =>
    setScans((list) => list.map((s) => (s.key === key ? { ...s, ...change } : s)));

  const receive = (raw: string) => {
    const trackingNo = raw.trim();
    if (!TRACKING_NO.test(trackingNo)) {
      setProblem(t('trackingNoInvalid'));
      input.current?.select();
      return;
    }
    setProblem(null);
    setValue('');
    input.current?.focus();
    counter.current += 1;
    const key = `${Date.now()}-${counter.current}`;
    setScans((list) => [{ key, trackingNo, at: Date.now(), state: 'pending' as const }, ...list].slice(0, MAX_SCANS));
    chain.current = chain.current.then(async () => {
      try {
        const r = await client.warehouse.receive({ trackingNo });
        update(key, {
          state: 'done',
          outcome: r.outcome,
          items: r.items.map((i) => ({ itemId: i.itemId, title: i.titleTrans || i.title, developId: i.developId })),
          exceptionId: r.exception?.exceptionId ?? null,
        });
        await queryClient.invalidateQueries({ queryKey: opKey('operations') });
      } catch (error) {
        update(key, { state: 'failed', error: failureOf(error) });
      }
    });
  };

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    receive(value);
  };
  // A scanner ends with Enter; received here so that a scan is taken even while the previous one is being received.
  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'Enter' && !e.nativeEvent.isComposing) {
      e.preventDefault();
      receive(e.currentTarget.value);
    }
  };
  const busy = scans.some((s) => s.state === 'pending');

  return (
    <Section title={t('receiveTitle')}>
      <form onSubmit={onSubmit} className="form-row">
        <Field label={t('trackingNo')} hint={t('receiveHint')} error={problem}>
          <input
            ref={input}
            name="trackingNo"
            value={value}
            onChange={(e) => setValue(e.target.value)}
            onKeyDown={onKeyDown}
            autoComplete="off"
            autoCapitalize="characters"
            spellCheck={false}
            maxLength={64}
          />
        </Field>
        <div className="form-actions">
          <button type="submit" className="btn btn-primary" disabled={busy}>
            {busy ? t('receiving') : t('receive')}
          </button>
        </div>
      </form>
      {scans.length === 0 ? (
        <Empty>{t('noScans')}</Empty>
      ) : (
        <>
          <div className="form-actions">
            <button type="button" className="btn btn-small" disabled={busy} onClick={() => setScans([])}>
              {t('clearScans')}
            </button>
          </div>
          <ul aria-label={t('scansLabel')} aria-live="polite" style={{ paddingLeft: '1.25rem' }}>
            {scans.map((s) => (
              <li key={s.key} data-testid="scan">
                <code>{s.trackingNo}</code> · {format.dateTime(s.at)} · <ScanResult scan={s} />
              </li>
            ))}
          </ul>
        </>
      )}
    </Section>
  );
}

function ScanResult({ scan }: { scan: Scan }) {
  const { t } = useOperationsMessages();
  if (scan.state === 'pending') return <span>{t('receiving')}</span>;
  if (scan.state === 'failed') {
    const e = scan.error;
    return (
      <span className="field-error">
        {t('scanFailed', { code: e?.code ?? '—', msg: e?.msg ?? '' })}
        {e?.requestId ? ` (${e.requestId})` : ''}
      </span>
    );
  }
  if (scan.outcome === 'exception') {
    return (
      <span>
        <strong>{t('outcome_exception')}</strong> {t('exceptionOpened', { id: scan.exceptionId ?? '—' })}
      </span>
    );
  }
  return (
    <span>
      <strong>{t(scan.outcome === 'already_received' ? 'outcome_already_received' : 'outcome_received')}</strong>{' '}
      {scan.items?.map((i, n) => (
        <span key={i.itemId}>
          {n > 0 ? ', ' : ''}
          <Link to="/op/warehouse/items/$itemId" params={{ itemId: i.itemId }}>
            {i.itemId}
          </Link>{' '}
          {i.title}
        </span>
      ))}
    </span>
  );
}

/** Every developer's items, filtered by status, developer and tracking number, paged. */
function ItemsSection() {
  const { t } = useOperationsMessages();
  const { t: tc } = useCommon();
  const { client, opKey } = useOperator();
  const format = useFormat();
  const search = useSearch({ from: '/op/warehouse' });
  const navigate = useNavigate({ from: '/op/warehouse' });
  const [developId, setDevelopId] = useState(search.developId ?? '');
  const [trackingNo, setTrackingNo] = useState(search.trackingNo ?? '');
  const [problem, setProblem] = useState<string | null>(null);
  const query = { status: search.status, developId: search.developId, trackingNo: search.trackingNo };
  const items = useQuery({
    queryKey: opKey('operations', 'warehouse', 'items', query, search.page),
    queryFn: () => client.warehouse.items({ ...query, pageNo: search.page, pageSize: PAGE_SIZE }),
    placeholderData: keepPreviousData,
  });

  const apply = (e: FormEvent) => {
    e.preventDefault();
    const d = developId.trim();
    const n = trackingNo.trim();
    if (d && !DEVELOP_ID.test(d)) return setProblem(t('developIdInvalid'));
    if (n && !TRACKING_NO.test(n)) return setProblem(t('trackingNoInvalid'));
    setProblem(null);
    void navigate({
      search: (s) => ({ ...s, developId: d || undefined, trackingNo: n || undefined, page: 1 }),
    });
  };

  return (
    <Section title={t('itemsTitle')}>
      <form className="form-row" onSubmit={apply}>
        <Field label={t('status')}>
          <select
            value={search.status ?? ''}
            onChange={(e) =>
              void navigate({
                search: (s) => ({ ...s, status: (e.target.value || undefined) as ItemStatus | undefined, page: 1 }),
              })
            }
          >
            <option value="">{tc('all')}</option>
            {ITEM_STATUSES.map((s) => (
              <option key={s} value={s}>
                {t(`item_${s}`)}
              </option>
            ))}
          </select>
        </Field>
        <Field label={t('developId')}>
          <input value={developId} onChange={(e) => setDevelopId(e.target.value)} inputMode="numeric" />
        </Field>
        <Field label={t('trackingNo')}>
          <input value={trackingNo} onChange={(e) => setTrackingNo(e.target.value)} maxLength={64} />
        </Field>
        <div className="form-actions">
          <button type="submit" className="btn">
            {tc('apply')}
          </button>
        </div>
      </form>
      {problem && (
        <p className="field-error" role="alert">
          {problem}
        </p>
      )}
      <QueryView query={items}>
        {(data) =>
          data.list.length === 0 ? (
            <Empty>{t('noItems')}</Empty>
          ) : (
            <>
              <Table label={t('itemsTitle')}>
                <thead>
                  <tr>
                    <th scope="col">{t('item')}</th>
                    <th scope="col">{t('goods')}</th>
                    <th scope="col">{t('developer')}</th>
                    <th scope="col">{t('status')}</th>
                    <th scope="col" className="num">
                      {t('quantity')}
                    </th>
                    <th scope="col">{t('trackingNo')}</th>
                    <th scope="col">{t('receivedAt')}</th>
                  </tr>
                </thead>
                <tbody>
                  {data.list.map((item) => (
                    <tr key={item.itemId}>
                      <td>
                        <Link to="/op/warehouse/items/$itemId" params={{ itemId: item.itemId }}>
                          {item.itemId}
                        </Link>
                      </td>
                      <td>
                        <span style={{ display: 'flex', gap: '0.5rem', alignItems: 'center' }}>
                          <Thumb src={item.imageUrl} />
                          <span>{item.titleTrans || item.title}</span>
                        </span>
                      </td>
                      <td>
                        <Link to="/op/developers/$developId" params={{ developId: item.developId }}>
                          {item.developId}
                        </Link>
                      </td>
                      <td>
                        <ItemStatusBadge status={item.status} />
                      </td>
                      <td className="num">{format.number(item.quantity)}</td>
                      <td>
                        <code>{item.trackingNo}</code>
                      </td>
                      <td>{format.dateTime(item.receiveTime)}</td>
                    </tr>
                  ))}
                </tbody>
              </Table>
              <Pager
                pageNo={search.page}
                pageSize={PAGE_SIZE}
                total={data.total}
                onChange={(page) => void navigate({ search: (s) => ({ ...s, page }) })}
              />
            </>
          )
        }
      </QueryView>
    </Section>
  );
}

/** The parcels that matched nothing, oldest first, each resolved by matching it to expected goods or returning it. */
function ExceptionsSection() {
  const { t } = useOperationsMessages();
  const { t: tc } = useCommon();
  const { client, opKey } = useOperator();
  const format = useFormat();
  const search = useSearch({ from: '/op/warehouse' });
  const navigate = useNavigate({ from: '/op/warehouse' });
  const [selected, setSelected] = useState<string | null>(null);
  const status = search.exStatus === 'all' ? undefined : search.exStatus;
  const exceptions = useQuery({
    queryKey: opKey('operations', 'warehouse', 'exceptions', status, search.exPage),
    queryFn: () => client.warehouse.exceptions({ status, pageNo: search.exPage, pageSize: PAGE_SIZE }),
    placeholderData: keepPreviousData,
  });

  return (
    <Section title={t('exceptionsTitle')}>
      <div className="form-row">
        <Field label={t('status')}>
          <select
            value={search.exStatus}
            onChange={(e) =>
              void navigate({
                search: (s) => ({ ...s, exStatus: e.target.value as ExceptionStatus | 'all', exPage: 1 }),
              })
            }
          >
            {EXCEPTION_STATUSES.map((s) => (
              <option key={s} value={s}>
                {t(`exception_${s}`)}
              </option>
            ))}
            <option value="all">{tc('all')}</option>
          </select>
        </Field>
      </div>
      <QueryView query={exceptions}>
        {(data) =>
          data.list.length === 0 ? (
            <Empty>{t('noExceptions')}</Empty>
          ) : (
            <>
              <Table label={t('exceptionsTitle')}>
                <thead>
                  <tr>
                    <th scope="col">{t('exception')}</th>
                    <th scope="col">{t('trackingNo')}</th>
                    <th scope="col">{t('carrier')}</th>
                    <th scope="col">{t('receivedAt')}</th>
                    <th scope="col">{t('note')}</th>
                    <th scope="col">{t('status')}</th>
                    <th scope="col">{t('resolution')}</th>
                  </tr>
                </thead>
                <tbody>
                  {data.list.map((x) => (
                    <tr key={x.exceptionId} data-testid="exception-row">
                      <td>
                        <code>{x.exceptionId}</code>
                      </td>
                      <td>
                        <code>{x.trackingNo}</code>
                      </td>
                      <td>{x.carrier ?? '—'}</td>
                      <td>{format.dateTime(x.createTime)}</td>
                      <td>{x.note ?? '—'}</td>
                      <td>
                        <ExceptionStatusBadge status={x.status} />
                      </td>
                      <td>
                        {x.status === 'open' ? (
                          <button
                            type="button"
                            className="btn btn-small"
                            aria-pressed={selected === x.exceptionId}
                            aria-label={t('resolveException', { id: x.exceptionId })}
                            onClick={() => setSelected(selected === x.exceptionId ? null : x.exceptionId)}
                          >
                            {t('resolve')}
                          </button>
                        ) : (
                          <>
                            {x.resolution ?? '—'}
                            {x.itemIds.map((id) => (
                              <span key={id}>
                                {' '}
                                <Link to="/op/warehouse/items/$itemId" params={{ itemId: id }}>
                                  {id}
                                </Link>
                              </span>
                            ))}
                            {x.resolveTime ? ` · ${format.dateTime(x.resolveTime)}` : ''}
                          </>
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </Table>
              <Pager
                pageNo={search.exPage}
                pageSize={PAGE_SIZE}
                total={data.total}
                onChange={(exPage) => void navigate({ search: (s) => ({ ...s, exPage }) })}
              />
            </>
          )
        }
      </QueryView>
      {selected && <ResolvePanel key={selected} exceptionId={selected} onDone={() => setSelected(null)} />}
    </Section>
  );
}

/** Resolving one exception: the expected items its parcel holds, or the parcel recorded as sent back. */
function ResolvePanel({ exceptionId, onDone }: { exceptionId: string; onDone: () => void }) {
  const { t } = useOperationsMessages();
  const { t: tc } = useCommon();
  const { client, opKey } = useOperator();
  const queryClient = useQueryClient();
  const [orderFilter, setOrderFilter] = useState('');
  const [orderId, setOrderId] = useState<string | undefined>(undefined);
  const [chosen, setChosen] = useState<string[]>([]);
  const [note, setNote] = useState('');
  const [done, setDone] = useState<string | null>(null);
  const expected = useQuery({
    queryKey: opKey('operations', 'warehouse', 'expected', orderId),
    queryFn: () => client.warehouse.items({ status: 'expected', orderId, pageNo: 1, pageSize: 50 }),
  });
  const resolve = useMutation({
    mutationFn: (action: 'match' | 'return') =>
      client.warehouse.resolve(exceptionId, {
        action,
        ...(action === 'match' ? { itemIds: chosen } : {}),
        ...(note.trim() ? { note: note.trim() } : {}),
      }),
    onSuccess: async (r) => {
      setDone(
        r.exception.status === 'matched'
          ? t('exceptionMatched', { id: r.exception.exceptionId, count: r.items.length })
          : t('exceptionReturned', { id: r.exception.exceptionId }),
      );
      setChosen([]);
      await queryClient.invalidateQueries({ queryKey: opKey('operations') });
    },
  });
  const toggle = (id: string) => setChosen((c) => (c.includes(id) ? c.filter((x) => x !== id) : [...c, id]));

  return (
    <section className="card" aria-labelledby={`resolve-${exceptionId}`}>
      <div className="card-head">
        <h3 id={`resolve-${exceptionId}`}>{t('resolveException', { id: exceptionId })}</h3>
        <button type="button" className="btn btn-small" onClick={onDone}>
          {tc('close')}
        </button>
      </div>
      {done ? (
        <Done>{done}</Done>
      ) : (
        <>
          <p>{t('resolveHint')}</p>
          <form
            className="form-row"
            onSubmit={(e) => {
              e.preventDefault();
              setOrderId(orderFilter.trim() || undefined);
            }}
          >
            <Field label={t('orderFilter')}>
              <input value={orderFilter} onChange={(e) => setOrderFilter(e.target.value)} maxLength={64} />
            </Field>
            <div className="form-actions">
              <button type="submit" className="btn">
                {tc('search')}
              </button>
            </div>
          </form>
          <QueryView query={expected}>
            {(data) =>
              data.list.length === 0 ? (
                <Empty>{t('noExpected')}</Empty>
              ) : (
                <fieldset>
                  <legend>{t('expectedItems')}</legend>
                  {data.list.map((item) => (
                    <label key={item.itemId} style={{ display: 'flex', gap: '0.5rem', alignItems: 'center' }}>
                      <input
                        type="checkbox"
                        checked={chosen.includes(item.itemId)}
                        onChange={() => toggle(item.itemId)}
                      />
                      <code>{item.itemId}</code>
                      <span>
                        {item.titleTrans || item.title} · {t('orderShort', { id: item.orderId ?? '—' })} ·{' '}
                        <code>{item.trackingNo}</code>
                      </span>
                    </label>
                  ))}
                </fieldset>
              )
            }
          </QueryView>
          <Field label={t('note')}>
            <input value={note} onChange={(e) => setNote(e.target.value)} maxLength={500} />
          </Field>
          {resolve.isError && <ErrorView error={resolve.error} />}
          <div className="form-actions">
            <button
              type="button"
              className="btn btn-primary"
              disabled={resolve.isPending || chosen.length === 0}
              onClick={() => resolve.mutate('match')}
            >
              {t('matchItems', { count: chosen.length })}
            </button>
            <ConfirmAction
              danger
              label={t('recordReturned')}
              question={t('recordReturnedQuestion', { id: exceptionId })}
              confirmLabel={t('recordReturnedConfirm')}
              pending={resolve.isPending}
              onConfirm={() => resolve.mutate('return')}
            />
          </div>
        </>
      )}
    </section>
  );
}
