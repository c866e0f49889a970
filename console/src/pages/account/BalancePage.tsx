import type { LedgerEntry, LedgerQuery } from '@ponte/sdk';
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { Link, useNavigate, useSearch } from '@tanstack/react-router';
import { useWindowVirtualizer } from '@tanstack/react-virtual';
import { type FormEvent, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { useDeveloper } from '../../api';
import { useCommon } from '../../i18n/common';
import { useNav } from '../../i18n/nav';
import { useFormat } from '../../ui/format';
import { Facts, Field, PageHeader, Section, Table } from '../../ui/page';
import { Empty, ErrorView, Loading, QueryView } from '../../ui/states';
import './account.css';
import { type LedgerReference, orderPlatforms, referencesOf } from './ledger-references';
import { useAccountMessages } from './messages';
import { MainAccountOnly, useIsMainAccount } from './parts';
import { LEDGER_KINDS, type LedgerSearch, localTime } from './search';

/** Entries per request: the API's most. */
const PAGE_SIZE = 50;

/** The balance and its ledger; the ledger is read page by page as the list is scrolled, and only its rows in view are drawn. */
export function BalancePage() {
  const { t } = useAccountMessages();
  const { t: tn } = useNav();
  const { client, devKey } = useDeveloper();
  const { money, dateTime } = useFormat();
  const search = useSearch({ from: '/dev/balance' });
  const isMain = useIsMainAccount();
  const balance = useQuery({ queryKey: devKey('balance'), queryFn: () => client.account.balance() });

  return (
    <>
      <PageHeader title={tn('balance')} />
      <Section title={t('balanceTitle')}>
        <QueryView query={balance}>
          {(b) => (
            <Facts
              items={[
                [
                  t('balanceNow'),
                  <strong key="b" className="count" data-testid="balance">
                    {money(b.balance, b.currency)}
                  </strong>,
                ],
                [t('currency'), b.currency],
                [t('lastMovement'), dateTime(b.updateTime)],
              ]}
            />
          )}
        </QueryView>
        <p className="field-hint">{t('balanceShared')}</p>
      </Section>
      <Section title={t('ledgerTitle')}>
        {isMain ? (
          <>
            <LedgerFilters key={JSON.stringify(search)} search={search} />
            <Ledger search={search} />
          </>
        ) : (
          <MainAccountOnly what={t('ledgerTitle')} />
        )}
      </Section>
    </>
  );
}

function LedgerFilters({ search }: { search: LedgerSearch }) {
  const { t } = useAccountMessages();
  const { t: tc } = useCommon();
  const navigate = useNavigate({ from: '/dev/balance' });
  const [form, setForm] = useState({ kind: search.kind ?? '', from: search.from ?? '', to: search.to ?? '' });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void navigate({
      search: {
        kind: LEDGER_KINDS.find((k) => k === form.kind),
        from: form.from || undefined,
        to: form.to || undefined,
      },
    });
  };
  return (
    <form className="form-row filters" onSubmit={submit} aria-label={t('filters')}>
      <Field label={t('kind')}>
        <select value={form.kind} onChange={(e) => setForm((f) => ({ ...f, kind: e.target.value }))} name="kind">
          <option value="">{tc('all')}</option>
          {LEDGER_KINDS.map((k) => (
            <option key={k} value={k}>
              {t(`kind_${k}`)}
            </option>
          ))}
        </select>
      </Field>
      <Field label={t('fromDate')}>
        <input type="date" value={form.from} onChange={(e) => setForm((f) => ({ ...f, from: e.target.value }))} />
      </Field>
      <Field label={t('toDate')}>
        <input type="date" value={form.to} onChange={(e) => setForm((f) => ({ ...f, to: e.target.value }))} />
      </Field>
      <div className="form-actions">
        <button type="submit" className="btn btn-primary">
          {tc('apply')}
        </button>
        <Link to="/dev/balance" search={{}} className="btn">
          {t('clearFilters')}
        </Link>
      </div>
    </form>
  );
}

function Ledger({ search }: { search: LedgerSearch }) {
  const { t } = useAccountMessages();
  const { client, devKey } = useDeveloper();
  const { number } = useFormat();
  const startTime = localTime(search.from);
  const endTime = localTime(search.to, true);
  const badRange = startTime !== undefined && endTime !== undefined && endTime < startTime;
  const filters: LedgerQuery = {
    ...(search.kind ? { kind: search.kind } : {}),
    ...(startTime !== undefined ? { startTime } : {}),
    ...(endTime !== undefined ? { endTime } : {}),
  };
  const query = useInfiniteQuery({
    queryKey: devKey('ledger', filters),
    queryFn: ({ pageParam }) => client.account.ledger({ ...filters, pageNo: pageParam, pageSize: PAGE_SIZE }),
    initialPageParam: 1,
    getNextPageParam: (last) => (last.pageNo * last.pageSize < last.total ? last.pageNo + 1 : undefined),
    enabled: !badRange,
  });
  // Entries written while the list is read shift the pages: an entry seen on two pages is shown once.
  const entries = useMemo(() => {
    const seen = new Set<string>();
    const out: LedgerEntry[] = [];
    for (const page of query.data?.pages ?? []) {
      for (const e of page.entries) {
        if (seen.has(e.entryId)) continue;
        seen.add(e.entryId);
        out.push(e);
      }
    }
    return out;
  }, [query.data]);

  if (badRange) return <p className="field-error">{t('rangeReversed')}</p>;
  if (query.isPending) return <Loading />;
  // A failed next page keeps the pages read so far: only a failed first page replaces the list.
  if (!query.data) return <ErrorView error={query.error} onRetry={() => void query.refetch()} />;
  const total = query.data.pages[0]?.total ?? 0;
  if (entries.length === 0) return <Empty>{t('ledgerEmpty')}</Empty>;
  return (
    <>
      <p className="field-hint" data-testid="ledger-count">
        {t('ledgerShown', { shown: number(entries.length), total: number(total) })}
      </p>
      <LedgerTable
        entries={entries}
        hasMore={query.hasNextPage}
        loadingMore={query.isFetchingNextPage}
        loadMore={() => void query.fetchNextPage()}
      />
      {query.isError && (
        <ErrorView
          error={query.error}
          onRetry={() => void (query.isFetchNextPageError ? query.fetchNextPage() : query.refetch())}
        />
      )}
      {query.hasNextPage && (
        <div className="form-actions">
          <button
            type="button"
            className="btn"
            disabled={query.isFetchingNextPage}
            onClick={() => void query.fetchNextPage()}
          >
            {query.isFetchingNextPage ? t('loadingMore') : t('loadMore')}
          </button>
        </div>
      )}
    </>
  );
}

const COLUMNS = 6;

/** The ledger's rows in view (and a few around them), in the page's own scroll. */
function LedgerTable({
  entries,
  hasMore,
  loadingMore,
  loadMore,
}: {
  entries: LedgerEntry[];
  hasMore: boolean;
  loadingMore: boolean;
  loadMore: () => void;
}) {
  const { t } = useAccountMessages();
  const { money, dateTime } = useFormat();
  const body = useRef<HTMLTableSectionElement>(null);
  const [scrollMargin, setScrollMargin] = useState(0);
  // Where the rows start in the page: what is above them (the balance, the filters) may change height at any render.
  useLayoutEffect(() => {
    const top = body.current?.getBoundingClientRect().top;
    if (top === undefined) return;
    const margin = Math.round(top + window.scrollY);
    if (Math.abs(margin - scrollMargin) > 1) setScrollMargin(margin);
  });
  const virtualizer = useWindowVirtualizer({
    count: entries.length,
    estimateSize: () => 58,
    overscan: 8,
    scrollMargin,
  });
  const items = virtualizer.getVirtualItems();
  const last = items[items.length - 1];
  useEffect(() => {
    if (last && last.index >= entries.length - 10 && hasMore && !loadingMore) loadMore();
  }, [last, entries.length, hasMore, loadingMore, loadMore]);
  const platforms = useMemo(() => orderPlatforms(entries), [entries]);
  const first = items[0];
  const paddingTop = first ? first.start - scrollMargin : 0;
  const paddingBottom = last ? virtualizer.getTotalSize() - (last.end - scrollMargin) : 0;

  return (
    <Table label={t('ledgerTable')}>
      <thead>
        <tr>
          <th scope="col">{t('time')}</th>
          <th scope="col">{t('kind')}</th>
          <th scope="col" className="num">
            {t('amount')}
          </th>
          <th scope="col" className="num">
            {t('balanceAfter')}
          </th>
          <th scope="col">{t('reference')}</th>
          <th scope="col">{t('memo')}</th>
        </tr>
      </thead>
      <tbody ref={body}>
        {paddingTop > 0 && (
          <tr className="spacer">
            <td colSpan={COLUMNS} style={{ height: paddingTop }} />
          </tr>
        )}
        {items.map((item) => {
          const e = entries[item.index];
          if (!e) return null;
          return (
            <tr
              key={e.entryId}
              data-index={item.index}
              ref={virtualizer.measureElement}
              data-testid="ledger-row"
              data-entry-id={e.entryId}
            >
              <td>{dateTime(e.createTime)}</td>
              <td data-kind={e.kind}>{t(`kind_${e.kind}`)}</td>
              <td className={`num ${e.amount < 0 ? 'debit' : 'credit'}`} data-testid="ledger-amount">
                {e.amount > 0 ? '+' : ''}
                {money(e.amount)}
              </td>
              <td className="num" data-testid="ledger-balance-after">
                {money(e.balanceAfter)}
              </td>
              <td>
                <ul className="refs">
                  {referencesOf(e, platforms).map((r) => (
                    <li key={`${r.kind}`}>
                      <Reference reference={r} />
                    </li>
                  ))}
                </ul>
              </td>
              <td className="memo">{e.memo}</td>
            </tr>
          );
        })}
        {paddingBottom > 0 && (
          <tr className="spacer">
            <td colSpan={COLUMNS} style={{ height: paddingBottom }} />
          </tr>
        )}
      </tbody>
    </Table>
  );
}

function Reference({ reference: r }: { reference: LedgerReference }) {
  const { t } = useAccountMessages();
  switch (r.kind) {
    case 'order':
      return r.platform ? (
        <Link to="/dev/orders/$platform/$orderId" params={{ platform: r.platform, orderId: r.orderId }}>
          {t('refOrder', { id: r.orderId })}
        </Link>
      ) : (
        <span>{t('refOrder', { id: r.orderId })}</span>
      );
    case 'refund':
      return (
        <Link to="/dev/refunds/$platform/$refundId" params={{ platform: r.platform, refundId: r.refundId }}>
          {t('refRefund', { id: r.refundId })}
        </Link>
      );
    case 'parcel':
      return (
        <Link to="/dev/parcels/$parcelId" params={{ parcelId: r.parcelId }}>
          {t('refParcel', { id: r.parcelId })}
        </Link>
      );
    case 'voucher':
      return <span>{t('refVoucher', { id: r.voucherId })}</span>;
    case 'topup':
      return <span>{t('refTopup', { id: r.topupId })}</span>;
  }
}
