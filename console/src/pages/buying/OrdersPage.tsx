import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Link, useNavigate, useSearch } from '@tanstack/react-router';
import { type FormEvent, useState } from 'react';
import { useDeveloper } from '../../api';
import { useCommon } from '../../i18n/common';
import { useFormat } from '../../ui/format';
import { Field, PageHeader, Table } from '../../ui/page';
import { Pager } from '../../ui/pager';
import { Empty, QueryView } from '../../ui/states';
import { useBuyingMessages } from './messages';
import { PayBadge, ProductCell, StatusBadge, Title, useStatusLabel } from './parts';
import { type AlibabaStatus, ORDER_STATUSES, type OrdersSearch, type Platform, type TaobaoStatus } from './search';

const PAGE_SIZE = 20;

/** An order of either platform as a row of the list. */
interface Row {
  orderId: string;
  createTime: number;
  pic: string | null;
  title: string;
  titleTrans: string;
  lines: number;
  seller: string;
  total: number;
  status: string;
  payStatus: string;
}

/** Both platforms' orders of the acting sub-account (all of them for the main account), paged and by status. */
export function OrdersPage() {
  const { t, language } = useBuyingMessages();
  const { t: tc } = useCommon();
  const { client, devKey } = useDeveloper();
  const navigate = useNavigate({ from: '/dev/orders' });
  const search = useSearch({ from: '/dev/orders' });
  const platform: Platform = search.platform ?? 'taobao';
  const page = search.page ?? 1;
  const status = search.status;
  const statusLabel = useStatusLabel();
  // The days are the reader's: from the start of the first to the end of the last.
  const start = search.from ? new Date(`${search.from}T00:00:00`).getTime() : undefined;
  const end = search.to ? new Date(`${search.to}T23:59:59.999`).getTime() : undefined;

  const orders = useQuery({
    queryKey: devKey(
      'buying',
      'orders',
      platform,
      status ?? null,
      start ?? null,
      end ?? null,
      search.number ?? null,
      page,
      language,
    ),
    queryFn: async (): Promise<{ rows: Row[]; total: number }> => {
      if (platform === 'taobao') {
        const r = await client.taobao.orders.list({
          pageNo: page,
          pageSize: PAGE_SIZE,
          language,
          ...(status ? { status: status as TaobaoStatus } : {}),
          ...(start !== undefined ? { startTime: start } : {}),
          ...(end !== undefined ? { endTime: end } : {}),
          ...(search.number ? { sellerOrderNumber: search.number } : {}),
        });
        return {
          total: r.total,
          rows: r.list.map((o) => {
            const lines = o.subPurchaseOrders.flatMap((p) => p.orderLines);
            const first = lines[0];
            return {
              orderId: o.orderId,
              createTime: o.createTime,
              pic: first?.itemImageUrl ?? null,
              title: first?.itemTitle ?? '',
              titleTrans: first?.itemTitleTrans ?? '',
              lines: lines.length,
              seller: o.subPurchaseOrders.map((p) => p.supplierNickTrans || p.supplierNick).join(', '),
              total: o.totalPrice,
              status: o.status,
              payStatus: o.payStatus,
            };
          }),
        };
      }
      const r = await client.alibaba.orders.list({
        beginPage: page,
        pageSize: PAGE_SIZE,
        language,
        ...(status ? { status: status as AlibabaStatus } : {}),
        ...(start !== undefined ? { createStartTime: start } : {}),
        ...(end !== undefined ? { createEndTime: end } : {}),
      });
      return {
        total: r.totalRecords,
        rows: r.result.map((o) => {
          const first = o.productItems[0];
          return {
            orderId: o.baseInfo.id,
            createTime: o.baseInfo.createTime,
            pic: first?.productImgUrl[0] ?? null,
            title: first?.name ?? '',
            titleTrans: first?.nameTrans ?? '',
            lines: o.productItems.length,
            seller: o.baseInfo.sellerContact.companyNameTrans || o.baseInfo.sellerContact.companyName,
            total: o.baseInfo.totalAmount,
            status: o.baseInfo.status,
            payStatus: o.baseInfo.payState,
          };
        }),
      };
    },
    placeholderData: keepPreviousData,
  });

  /** A new search: the page goes back to the first unless it is what changes. */
  const go = (change: Partial<OrdersSearch>) =>
    void navigate({
      search: (prev: OrdersSearch) => {
        const next: OrdersSearch = { ...prev, page: undefined, ...change };
        return Object.fromEntries(
          Object.entries(next).filter(([, v]) => v !== undefined && v !== '' && v !== 1),
        ) as OrdersSearch;
      },
    });

  return (
    <>
      <PageHeader title={t('ordersTitle')}>
        <p>{t('ordersIntro')}</p>
      </PageHeader>
      <div className="card">
        <nav aria-label={t('platform')} className="form-actions" style={{ marginTop: 0, marginBottom: '0.75rem' }}>
          {(['taobao', '1688'] as const).map((p) => (
            <Link
              key={p}
              to="/dev/orders"
              search={p === 'taobao' ? {} : { platform: p }}
              className={`btn${p === platform ? ' btn-primary' : ''}`}
              aria-current={p === platform ? 'page' : undefined}
            >
              {p === 'taobao' ? t('taobaoOrders') : t('alibabaOrdersList')}
            </Link>
          ))}
        </nav>
        <div className="form-row">
          <Field label={t('statusFilter')}>
            <select
              value={status ?? ''}
              onChange={(e) =>
                go({ status: (e.target.value || undefined) as TaobaoStatus | AlibabaStatus | undefined })
              }
            >
              <option value="">{tc('all')}</option>
              {ORDER_STATUSES[platform].map((s) => (
                <option key={s} value={s}>
                  {statusLabel(s)} ({s})
                </option>
              ))}
            </select>
          </Field>
        </div>
        <RangeFilters
          key={`${platform}|${search.from ?? ''}|${search.to ?? ''}|${search.number ?? ''}`}
          platform={platform}
          search={search}
          onApply={go}
        />
      </div>
      <QueryView query={orders}>
        {({ rows, total }) =>
          rows.length === 0 ? (
            <Empty>{status || search.from || search.to || search.number ? t('noOrdersFiltered') : t('noOrders')}</Empty>
          ) : (
            <>
              <OrdersTable platform={platform} rows={rows} />
              <Pager pageNo={page} pageSize={PAGE_SIZE} total={total} onChange={(n) => go({ page: n })} />
            </>
          )
        }
      </QueryView>
    </>
  );
}

/** The days of creation and, on Taobao, your own order number: applied together. */
function RangeFilters({
  platform,
  search,
  onApply,
}: {
  platform: Platform;
  search: OrdersSearch;
  onApply: (change: Partial<OrdersSearch>) => void;
}) {
  const { t } = useBuyingMessages();
  const { t: tc } = useCommon();
  const [from, setFrom] = useState(search.from ?? '');
  const [to, setTo] = useState(search.to ?? '');
  const [number, setNumber] = useState(search.number ?? '');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onApply({
      from: from || undefined,
      to: to || undefined,
      number: platform === 'taobao' ? number.trim() || undefined : undefined,
    });
  };
  return (
    <form className="form-row" onSubmit={submit}>
      <Field label={t('createdFrom')}>
        <input type="date" value={from} max={to || undefined} onChange={(e) => setFrom(e.target.value)} />
      </Field>
      <Field label={t('createdTo')}>
        <input type="date" value={to} min={from || undefined} onChange={(e) => setTo(e.target.value)} />
      </Field>
      {platform === 'taobao' && (
        <Field label={t('sellerOrderNumber')}>
          <input maxLength={64} value={number} onChange={(e) => setNumber(e.target.value)} />
        </Field>
      )}
      <div className="form-actions" style={{ marginBottom: '0.75rem' }}>
        <button type="submit" className="btn">
          {tc('apply')}
        </button>
      </div>
    </form>
  );
}

function OrdersTable({ platform, rows }: { platform: Platform; rows: Row[] }) {
  const { t } = useBuyingMessages();
  const { money, dateTime } = useFormat();
  return (
    <Table label={platform === 'taobao' ? t('taobaoOrders') : t('alibabaOrdersList')}>
      <thead>
        <tr>
          <th scope="col">{t('order')}</th>
          <th scope="col">{t('goods')}</th>
          <th scope="col" className="num">
            {t('total')}
          </th>
          <th scope="col">{t('status')}</th>
          <th scope="col">{t('payment')}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.orderId} data-testid="order-row">
            <td>
              <Link to="/dev/orders/$platform/$orderId" params={{ platform, orderId: r.orderId }}>
                {r.orderId}
              </Link>
              <br />
              <small>{dateTime(r.createTime)}</small>
            </td>
            <td>
              <ProductCell pic={r.pic}>
                <Title trans={r.titleTrans} original={r.title} />
                <small>
                  {r.seller}
                  {r.lines > 1 && ` · ${t('moreLines', { count: r.lines - 1 })}`}
                </small>
              </ProductCell>
            </td>
            <td className="num">{money(r.total)}</td>
            <td>
              <StatusBadge status={r.status} />
            </td>
            <td>
              <PayBadge payStatus={r.payStatus} />
            </td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}
