import type { OperationData, OperationQuery } from '@ponte/sdk';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { getRouteApi, Link } from '@tanstack/react-router';
import { type FormEvent, useState } from 'react';
import { useOperator } from '../../api';
import { useCommon } from '../../i18n/common';
import { useNav } from '../../i18n/nav';
import { useFormat } from '../../ui/format';
import { Field, PageHeader, Section, Table } from '../../ui/page';
import { Pager } from '../../ui/pager';
import { Empty, QueryView } from '../../ui/states';
import { useOperatorMessages } from './messages';
import { DeveloperLink, OrderLink, platformName, RefundStatusBadge } from './parts';
import { compact, ID_PATTERN, PAGE_SIZE, PLATFORMS, REFUND_STATUSES } from './search';

const route = getRouteApi('/op/refunds');

type RefundPage = OperationData<'adminListRefunds'>;

/** Refunds of every developer on both marketplaces, newest first, filtered; each opens its history and credit. */
export function OpRefundsPage() {
  const { t } = useOperatorMessages();
  const { t: tc } = useCommon();
  const { t: tn } = useNav();
  const { client, opKey } = useOperator();
  const { money, dateTime } = useFormat();
  const search = route.useSearch();
  const navigate = route.useNavigate();
  const { page, platform, status, developId, orderId } = search;
  const [form, setForm] = useState({
    platform: platform ?? '',
    status: status ?? '',
    developId: developId ?? '',
    orderId: orderId ?? '',
  });
  const [problems, setProblems] = useState<{ developId?: string; orderId?: string }>({});
  const refunds = useQuery({
    queryKey: opKey('refunds', page, platform, status, developId, orderId),
    queryFn: () => {
      const query: OperationQuery<'adminListRefunds'> = {
        pageNo: page,
        pageSize: PAGE_SIZE,
        ...compact({ platform, status, developId, orderId }),
      };
      return client.request<RefundPage>('GET', '/admin/refunds', { query });
    },
    placeholderData: keepPreviousData,
  });
  const apply = (e: FormEvent) => {
    e.preventDefault();
    const next: typeof problems = {};
    if (form.developId.trim() && !ID_PATTERN.test(form.developId.trim())) next.developId = t('idInvalid');
    if (form.orderId.trim() && !ID_PATTERN.test(form.orderId.trim())) next.orderId = t('idInvalid');
    setProblems(next);
    if (next.developId || next.orderId) return;
    void navigate({
      search: {
        page: 1,
        platform: PLATFORMS.find((p) => p === form.platform),
        status: REFUND_STATUSES.find((s) => s === form.status),
        developId: form.developId.trim() || undefined,
        orderId: form.orderId.trim() || undefined,
      },
    });
  };
  const set = (name: keyof typeof form) => (e: { target: { value: string } }) =>
    setForm((f) => ({ ...f, [name]: e.target.value }));

  return (
    <>
      <PageHeader title={tn('refunds')}>
        <p>{t('refundsIntro')}</p>
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
              {REFUND_STATUSES.map((s) => (
                <option key={s} value={s}>
                  {t(`rs_${s}`)}
                </option>
              ))}
            </select>
          </Field>
          <Field label={t('developId')} error={problems.developId}>
            <input name="developId" inputMode="numeric" value={form.developId} onChange={set('developId')} />
          </Field>
          <Field label={t('orderId')} error={problems.orderId}>
            <input name="orderId" inputMode="numeric" value={form.orderId} onChange={set('orderId')} />
          </Field>
        </div>
        <div className="form-actions">
          <button type="submit" className="btn btn-primary">
            {tc('apply')}
          </button>
        </div>
      </form>
      <Section title={t('refundList')}>
        <QueryView query={refunds}>
          {(data) =>
            data.list.length === 0 ? (
              <Empty>{t('noRefunds')}</Empty>
            ) : (
              <>
                <Table label={t('refundList')}>
                  <thead>
                    <tr>
                      <th scope="col">{t('refund')}</th>
                      <th scope="col">{t('platform')}</th>
                      <th scope="col">{t('developer')}</th>
                      <th scope="col">{t('order')}</th>
                      <th scope="col">{t('refundType')}</th>
                      <th scope="col">{t('status')}</th>
                      <th scope="col" className="num">
                        {t('asked')}
                      </th>
                      <th scope="col" className="num">
                        {t('credited')}
                      </th>
                      <th scope="col">{t('created')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {data.list.map((r) => (
                      <tr key={r.refundId} data-testid="refund-row">
                        <td>
                          <Link to="/op/refunds/$refundId" params={{ refundId: r.refundId }}>
                            {r.refundId}
                          </Link>
                        </td>
                        <td>{platformName(r.platform)}</td>
                        <td>
                          <DeveloperLink developId={r.developId} />
                        </td>
                        <td>
                          <OrderLink orderId={r.orderId} />
                        </td>
                        <td>{t(`rt_${r.refundType}`)}</td>
                        <td>
                          <RefundStatusBadge status={r.status} />
                          <div className="field-hint">
                            <code>{r.platformStatus}</code>
                          </div>
                        </td>
                        <td className="num">{money(r.amount)}</td>
                        <td className="num">{r.credited > 0 ? money(r.credited) : '—'}</td>
                        <td>{dateTime(r.createTime)}</td>
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
