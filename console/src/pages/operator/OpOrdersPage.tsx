import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { getRouteApi } from '@tanstack/react-router';
import { type FormEvent, useState } from 'react';
import { useOperator } from '../../api';
import { useCommon } from '../../i18n/common';
import { useNav } from '../../i18n/nav';
import { useFormat } from '../../ui/format';
import { Field, PageHeader, Section, Table } from '../../ui/page';
import { Pager } from '../../ui/pager';
import { Empty, QueryView } from '../../ui/states';
import { useOperatorMessages } from './messages';
import { DeveloperLink, OrderLink, OrderStatusBadge, PayStateBadge, platformName, Thumb } from './parts';
import { compact, ID_PATTERN, ORDER_STATUSES, PAGE_SIZE, PLATFORMS } from './search';

const route = getRouteApi('/op/orders');

/** Orders of every developer on both marketplaces, newest first, filtered by platform, status and owner. */
export function OpOrdersPage() {
  const { t } = useOperatorMessages();
  const { t: tc } = useCommon();
  const { t: tn } = useNav();
  const { client, opKey } = useOperator();
  const { money, dateTime } = useFormat();
  const search = route.useSearch();
  const navigate = route.useNavigate();
  const [form, setForm] = useState({
    platform: search.platform ?? '',
    status: search.status ?? '',
    developId: search.developId ?? '',
    userId: search.userId ?? '',
  });
  const [problems, setProblems] = useState<{ developId?: string; userId?: string }>({});
  const { page, platform, status, developId, userId } = search;
  const orders = useQuery({
    queryKey: opKey('orders', page, platform, status, developId, userId),
    queryFn: () =>
      client.orders.list({ pageNo: page, pageSize: PAGE_SIZE, ...compact({ platform, status, developId, userId }) }),
    placeholderData: keepPreviousData,
  });
  const apply = (e: FormEvent) => {
    e.preventDefault();
    const next: typeof problems = {};
    if (form.developId.trim() && !ID_PATTERN.test(form.developId.trim())) next.developId = t('idInvalid');
    if (form.userId.trim() && !ID_PATTERN.test(form.userId.trim())) next.userId = t('idInvalid');
    setProblems(next);
    if (next.developId || next.userId) return;
    void navigate({
      search: {
        page: 1,
        platform: PLATFORMS.find((p) => p === form.platform),
        status: ORDER_STATUSES.find((s) => s === form.status),
        developId: form.developId.trim() || undefined,
        userId: form.userId.trim() || undefined,
      },
    });
  };
  const set = (name: keyof typeof form) => (e: { target: { value: string } }) =>
    setForm((f) => ({ ...f, [name]: e.target.value }));

  return (
    <>
      <PageHeader title={tn('orders')}>
        <p>{t('ordersIntro')}</p>
      </PageHeader>
      <form className="card" onSubmit={apply} aria-label={t('filters')}>
        <div className="form-row">
          <Field label={t('platform')}>
            <select name="platform" value={form.platform} onChange={set('platform')}>
              <option value="">{tc('all')}</option>
              {PLATFORMS.map((p) => (
                <option key={p} value={p}>
                  {platformName(p)}
                </option>
              ))}
            </select>
          </Field>
          <Field label={t('status')}>
            <select name="status" value={form.status} onChange={set('status')}>
              <option value="">{tc('all')}</option>
              {ORDER_STATUSES.map((s) => (
                <option key={s} value={s}>
                  {t(`os_${s}`)}
                </option>
              ))}
            </select>
          </Field>
          <Field label={t('developId')} error={problems.developId}>
            <input name="developId" inputMode="numeric" value={form.developId} onChange={set('developId')} />
          </Field>
          <Field label={t('userId')} error={problems.userId}>
            <input name="userId" inputMode="numeric" value={form.userId} onChange={set('userId')} />
          </Field>
        </div>
        <div className="form-actions">
          <button type="submit" className="btn btn-primary">
            {tc('apply')}
          </button>
        </div>
      </form>
      <Section title={t('orderList')}>
        <QueryView query={orders}>
          {(data) =>
            data.list.length === 0 ? (
              <Empty>{t('noOrders')}</Empty>
            ) : (
              <>
                <Table label={t('orderList')}>
                  <thead>
                    <tr>
                      <th scope="col">{t('order')}</th>
                      <th scope="col">{t('goods')}</th>
                      <th scope="col">{t('platform')}</th>
                      <th scope="col">{t('developer')}</th>
                      <th scope="col">{t('status')}</th>
                      <th scope="col">{t('payment')}</th>
                      <th scope="col" className="num">
                        {t('total')}
                      </th>
                      <th scope="col" className="num">
                        {t('refunded')}
                      </th>
                      <th scope="col">{t('created')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {data.list.map((o) => (
                      <tr key={o.orderId} data-testid="order-row">
                        <td>
                          <OrderLink orderId={o.orderId} />
                        </td>
                        <td>
                          <div style={{ display: 'flex', gap: '0.5rem', alignItems: 'flex-start', minWidth: '14rem' }}>
                            <Thumb src={o.firstLinePicture} />
                            <span>
                              {o.firstLineTitleTrans ?? o.firstLineTitle ?? t('noLinesYet')}
                              {o.lineCount > 1 && (
                                <span className="field-hint"> {t('moreLines', { count: o.lineCount - 1 })}</span>
                              )}
                            </span>
                          </div>
                        </td>
                        <td>{platformName(o.platform)}</td>
                        <td>
                          <DeveloperLink developId={o.developId} />
                          <div className="field-hint">{t('userRef', { id: o.userId })}</div>
                        </td>
                        <td>
                          <OrderStatusBadge status={o.status} />
                          <div className="field-hint">
                            <code>{o.platformStatus}</code>
                          </div>
                        </td>
                        <td>
                          <PayStateBadge state={o.payState} />
                        </td>
                        <td className="num">{money(o.total, o.currency)}</td>
                        <td className="num">{o.refunded > 0 ? money(o.refunded, o.currency) : '—'}</td>
                        <td>{dateTime(o.createTime)}</td>
                      </tr>
                    ))}
                  </tbody>
                </Table>
                <Pager
                  pageNo={page}
                  pageSize={PAGE_SIZE}
                  total={data.total}
                  onChange={(p) => void navigate({ search: (s) => ({ ...s, page: p }) })}
                />
              </>
            )
          }
        </QueryView>
      </Section>
    </>
  );
}
