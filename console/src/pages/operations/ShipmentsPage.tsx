import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Link, useNavigate, useSearch } from '@tanstack/react-router';
import { type FormEvent, useState } from 'react';
import { useOperator } from '../../api';
import { useCommon } from '../../i18n/common';
import { useFormat } from '../../ui/format';
import { Badge, Field, PageHeader, Section, Table } from '../../ui/page';
import { Pager } from '../../ui/pager';
import { Empty, QueryView } from '../../ui/states';
import { useOperationsMessages } from './messages';
import { DEVELOP_ID, SHIPMENT_STATUSES, type ShipmentStatus } from './search';
import { ShipmentStatusBadge } from './shared';

const PAGE_SIZE = 20;

/** International parcels of every developer: what to pack (booked), to ship (packed), and to follow. */
export function ShipmentsPage() {
  const { t } = useOperationsMessages();
  const { t: tc } = useCommon();
  const { client, opKey } = useOperator();
  const format = useFormat();
  const search = useSearch({ from: '/op/shipments' });
  const navigate = useNavigate({ from: '/op/shipments' });
  const [developId, setDevelopId] = useState(search.developId ?? '');
  const [problem, setProblem] = useState<string | null>(null);
  const shipments = useQuery({
    queryKey: opKey('operations', 'shipments', search.status, search.developId, search.page),
    queryFn: () =>
      client.shipments.list({
        status: search.status,
        developId: search.developId,
        pageNo: search.page,
        pageSize: PAGE_SIZE,
      }),
    placeholderData: keepPreviousData,
  });

  const apply = (e: FormEvent) => {
    e.preventDefault();
    const d = developId.trim();
    if (d && !DEVELOP_ID.test(d)) return setProblem(t('developIdInvalid'));
    setProblem(null);
    void navigate({ search: (s) => ({ ...s, developId: d || undefined, page: 1 }) });
  };

  return (
    <>
      <PageHeader title={t('shipmentsTitle')}>
        <p>{t('shipmentsIntro')}</p>
      </PageHeader>
      <Section title={t('parcels')}>
        <form className="form-row" onSubmit={apply}>
          <Field label={t('status')}>
            <select
              value={search.status ?? ''}
              onChange={(e) =>
                void navigate({
                  search: (s) => ({
                    ...s,
                    status: (e.target.value || undefined) as ShipmentStatus | undefined,
                    page: 1,
                  }),
                })
              }
            >
              <option value="">{tc('all')}</option>
              {SHIPMENT_STATUSES.map((s) => (
                <option key={s} value={s}>
                  {t(`shipment_${s}`)}
                </option>
              ))}
            </select>
          </Field>
          <Field label={t('developId')} error={problem}>
            <input value={developId} onChange={(e) => setDevelopId(e.target.value)} inputMode="numeric" />
          </Field>
          <div className="form-actions">
            <button type="submit" className="btn">
              {tc('apply')}
            </button>
          </div>
        </form>
        <QueryView query={shipments}>
          {(data) =>
            data.list.length === 0 ? (
              <Empty>{t('noShipments')}</Empty>
            ) : (
              <>
                <Table label={t('parcels')}>
                  <thead>
                    <tr>
                      <th scope="col">{t('parcel')}</th>
                      <th scope="col">{t('developer')}</th>
                      <th scope="col">{t('status')}</th>
                      <th scope="col">{t('channel')}</th>
                      <th scope="col">{t('destination')}</th>
                      <th scope="col" className="num">
                        {t('lines')}
                      </th>
                      <th scope="col" className="num">
                        {t('estimate')}
                      </th>
                      <th scope="col" className="num">
                        {t('actual')}
                      </th>
                      <th scope="col">{t('bookedAt')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {data.list.map((p) => (
                      <tr key={p.parcelId}>
                        <td>
                          <Link to="/op/shipments/$shipmentId" params={{ shipmentId: p.parcelId }}>
                            {p.parcelId}
                          </Link>
                        </td>
                        <td>
                          <Link to="/op/developers/$developId" params={{ developId: p.developId }}>
                            {p.developId}
                          </Link>
                        </td>
                        <td>
                          <ShipmentStatusBadge status={p.status} />
                          {p.holdReason && (
                            <>
                              {' '}
                              <Badge tone="warn">{t('onHold')}</Badge>
                            </>
                          )}
                        </td>
                        <td>{p.channel.freightInfo.companyName}</td>
                        <td>{p.receiverAddress.country}</td>
                        <td className="num">{format.number(p.lines.length)}</td>
                        <td className="num">{format.money(p.estimate, p.currency)}</td>
                        <td className="num">{format.money(p.actual, p.currency)}</td>
                        <td>{format.dateTime(p.createTime)}</td>
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
    </>
  );
}
