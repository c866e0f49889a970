import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { getRouteApi, Link } from '@tanstack/react-router';
import { type FormEvent, useEffect, useState } from 'react';
import { useDeveloper } from '../../api';
import { useCommon } from '../../i18n/common';
import { useNav } from '../../i18n/nav';
import { useFormat } from '../../ui/format';
import { Field, PageHeader, Table } from '../../ui/page';
import { Pager } from '../../ui/pager';
import { Empty, QueryView } from '../../ui/states';
import { useAftersalesMessages } from './messages';
import { WAREHOUSE_STATUSES, type WarehouseStatus } from './model';
import {
  attributesLabel,
  conditionLabel,
  ItemPicture,
  PhotoThumbs,
  WarehouseStatusBadge,
  warehouseStatusLabel,
} from './shared';

const route = getRouteApi('/dev/warehouse');
const PAGE_SIZE = 20;

/** `/dev/warehouse`: the developer's goods at (or on their way to) the consolidation warehouse. */
export function WarehousePage() {
  const { t } = useAftersalesMessages();
  const { t: tn } = useNav();
  const { t: tc } = useCommon();
  const { client, devKey } = useDeveloper();
  const f = useFormat();
  const { status, orderId, page = 1 } = route.useSearch();
  const navigate = route.useNavigate();
  const [orderText, setOrderText] = useState(orderId ?? '');
  // The address is the filter's truth: going back or forward shows its order again.
  useEffect(() => setOrderText(orderId ?? ''), [orderId]);
  const query = useQuery({
    queryKey: devKey('aftersales', 'warehouse', status ?? '', orderId ?? '', page),
    queryFn: () =>
      client.logistics.warehouseItems({
        pageNo: page,
        pageSize: PAGE_SIZE,
        ...(status ? { status } : {}),
        ...(orderId ? { orderId } : {}),
      }),
    placeholderData: keepPreviousData,
  });
  const applyOrder = (e: FormEvent) => {
    e.preventDefault();
    const text = orderText.trim().slice(0, 64);
    void navigate({ search: (s) => ({ ...s, orderId: text || undefined, page: undefined }) });
  };
  return (
    <>
      <PageHeader
        title={tn('warehouse')}
        actions={
          <Link className="btn" to="/dev/parcels">
            {t('bookParcel')}
          </Link>
        }
      >
        <p className="as-muted">{t('warehouseIntro')}</p>
      </PageHeader>
      <div className="as-filters">
        <Field label={t('status')}>
          <select
            value={status ?? ''}
            onChange={(e) =>
              void navigate({
                search: (s) => ({
                  ...s,
                  status: (e.target.value || undefined) as WarehouseStatus | undefined,
                  page: undefined,
                }),
              })
            }
          >
            <option value="">{tc('all')}</option>
            {WAREHOUSE_STATUSES.map((s) => (
              <option key={s} value={s}>
                {warehouseStatusLabel(t, s)}
              </option>
            ))}
          </select>
        </Field>
        <form className="as-filters" onSubmit={applyOrder}>
          <Field label={t('orderFilter')}>
            <input value={orderText} onChange={(e) => setOrderText(e.target.value)} maxLength={64} name="orderId" />
          </Field>
          <button type="submit" className="btn">
            {tc('apply')}
          </button>
        </form>
      </div>
      <QueryView query={query}>
        {(data) =>
          data.list.length === 0 ? (
            <Empty>{t('noWarehouseItems')}</Empty>
          ) : (
            <>
              <Table label={t('warehouseTable')}>
                <thead>
                  <tr>
                    <th>{t('item')}</th>
                    <th>{t('status')}</th>
                    <th className="num">{t('quantity')}</th>
                    <th>{t('inspection')}</th>
                    <th>{t('weightSize')}</th>
                    <th>{t('receivedAt')}</th>
                    <th>{t('inspectedAt')}</th>
                    <th>{t('photos')}</th>
                    <th>{t('storage')}</th>
                    <th>{t('parcel')}</th>
                  </tr>
                </thead>
                <tbody>
                  {data.list.map((item) => {
                    const title = item.titleTrans || item.title;
                    return (
                      <tr key={item.itemId} data-testid={`warehouse-item-${item.itemId}`}>
                        <td>
                          <span className="as-item">
                            <ItemPicture src={item.imageUrl} alt="" />
                            <span>
                              {title}
                              <br />
                              <code>{item.itemId}</code>
                              {item.orderId && item.platform && (
                                <>
                                  {' · '}
                                  <Link
                                    to="/dev/orders/$platform/$orderId"
                                    params={{ platform: item.platform, orderId: item.orderId }}
                                  >
                                    {t('orderNo', { id: item.orderId })}
                                  </Link>
                                </>
                              )}
                              {!item.orderId && item.externalOrderId && ` · ${item.externalOrderId}`}
                              <br />
                              <span className="as-muted">{t('domesticParcel', { no: item.trackingNo })}</span>
                            </span>
                          </span>
                        </td>
                        <td>
                          <WarehouseStatusBadge status={item.status} />
                        </td>
                        <td className="num">
                          {item.quantityReceived === null
                            ? f.number(item.quantity)
                            : t('receivedOf', { received: item.quantityReceived, expected: item.quantity })}
                        </td>
                        <td>
                          {conditionLabel(t, item.condition)}
                          {item.attributes && item.attributes.length > 0 && (
                            <>
                              <br />
                              <span className="as-muted">{attributesLabel(t, item.attributes)}</span>
                            </>
                          )}
                          {item.note && (
                            <>
                              <br />
                              <span className="as-muted">{item.note}</span>
                            </>
                          )}
                          {item.refundId && item.platform && (
                            <>
                              <br />
                              <Link
                                to="/dev/refunds/$platform/$refundId"
                                params={{ platform: item.platform, refundId: item.refundId }}
                              >
                                {t('refundNo', { id: item.refundId })}
                              </Link>
                            </>
                          )}
                        </td>
                        <td>
                          {item.weightG === null ? '—' : t('grams', { weight: f.number(item.weightG) })}
                          {item.size && (
                            <>
                              <br />
                              {t('sizeCm', {
                                length: item.size.lengthCm,
                                width: item.size.widthCm,
                                height: item.size.heightCm,
                              })}
                            </>
                          )}
                        </td>
                        <td>{f.dateTime(item.receiveTime)}</td>
                        <td>{f.dateTime(item.inspectTime)}</td>
                        <td>
                          <PhotoThumbs
                            photos={item.photos}
                            label={(i) => t('inspectionPhoto', { n: i + 1, total: item.photos.length, item: title })}
                          />
                        </td>
                        <td>
                          {t('storageDays', { count: item.storage.days })}
                          <br />
                          <span className="as-muted">
                            {item.storage.charged
                              ? t('storageCharged', { fee: f.money(item.storage.feeSoFar) })
                              : t('storageSoFar', { fee: f.money(item.storage.feeSoFar), free: item.storage.freeDays })}
                          </span>
                        </td>
                        <td>
                          {item.parcelId ? (
                            <Link to="/dev/parcels/$parcelId" params={{ parcelId: item.parcelId }}>
                              {item.parcelId}
                            </Link>
                          ) : (
                            '—'
                          )}
                        </td>
                      </tr>
                    );
                  })}
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
    </>
  );
}
