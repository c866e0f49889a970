import type { OperationData } from '@ponte/sdk';
import { useQuery } from '@tanstack/react-query';
import { getRouteApi, Link } from '@tanstack/react-router';
import { useOperator } from '../../api';
import { useFormat } from '../../ui/format';
import { Facts, PageHeader, Section, Table } from '../../ui/page';
import { Empty, QueryView } from '../../ui/states';
import { useOperatorMessages } from './messages';
import { DeveloperLink, OrderLink, platformName, RefundStatusBadge } from './parts';

const route = getRouteApi('/op/refunds/$refundId');

type Refund = OperationData<'adminGetRefund'>;

const GOODS_STATUSES = ['gs_1', 'gs_2', 'gs_3', 'gs_4'] as const;

function Credit({ refund }: { refund: Refund }) {
  const { t } = useOperatorMessages();
  const { money, dateTime } = useFormat();
  const tx = refund.creditTransaction;
  return (
    <Section title={t('creditTransaction')}>
      {!tx ? (
        <Empty>{t('notCreditedYet')}</Empty>
      ) : (
        <>
          <Facts
            items={[
              [t('transactionId'), <code key="id">{tx.transactionId}</code>],
              [t('memo'), tx.memo],
              [t('time'), dateTime(tx.createTime)],
              [t('idemKey'), <code key="k">{tx.idemKey}</code>],
            ]}
          />
          <Table label={t('entries')}>
            <thead>
              <tr>
                <th scope="col">{t('account')}</th>
                <th scope="col" className="num">
                  {t('amount')}
                </th>
                <th scope="col" className="num">
                  {t('balanceAfter')}
                </th>
              </tr>
            </thead>
            <tbody>
              {tx.entries.map((e) => (
                <tr key={e.entryId}>
                  <td>
                    <code>{e.account}</code>
                  </td>
                  <td className="num">{money(e.amount)}</td>
                  <td className="num">{money(e.balanceAfter)}</td>
                </tr>
              ))}
            </tbody>
          </Table>
        </>
      )}
    </Section>
  );
}

/** One refund: what was asked, every change of it, and the ledger transaction that credited it. */
export function OpRefundPage() {
  const { t } = useOperatorMessages();
  const { refundId } = route.useParams();
  const { client, opKey } = useOperator();
  const { money, dateTime } = useFormat();
  const goodsStatus = (n: number) => {
    const key = GOODS_STATUSES[n - 1];
    return key ? t(key) : String(n);
  };
  const refund = useQuery({
    queryKey: opKey('refund', refundId),
    queryFn: () => client.request<Refund>('GET', `/admin/refunds/${encodeURIComponent(refundId)}`),
  });
  return (
    <>
      <PageHeader
        title={t('refundTitle', { id: refundId })}
        actions={
          <Link className="btn" to="/op/refunds">
            {t('allRefunds')}
          </Link>
        }
      />
      <QueryView query={refund}>
        {(r) => (
          <>
            <Section title={t('summary')}>
              <Facts
                items={[
                  [t('status'), <RefundStatusBadge key="s" status={r.status} />],
                  [t('platformStatus'), <code key="p">{r.platformStatus}</code>],
                  [t('platform'), platformName(r.platform)],
                  [t('developer'), <DeveloperLink key="d" developId={r.developId} />],
                  [t('userId'), <code key="u">{r.userId}</code>],
                  [t('order'), <OrderLink key="o" orderId={r.orderId} />],
                  [t('lineId'), <code key="l">{r.lineId}</code>],
                  [t('refundOuterId'), r.refundOuterId ?? '—'],
                  [t('refundType'), t(`rt_${r.refundType}`)],
                  [t('goodsStatus'), goodsStatus(r.goodsStatus)],
                  [t('asked'), money(r.amount)],
                  [t('carriage'), money(r.carriage)],
                  [t('credited'), money(r.credited)],
                  [t('refuseReason'), r.refuseReason ? `${r.refuseReason} (×${r.refuseCount})` : '—'],
                  [t('deadline'), dateTime(r.deadline)],
                  [t('returnParcel'), r.returnTracking ? `${r.returnCarrier ?? ''} ${r.returnTracking}` : '—'],
                  [t('created'), dateTime(r.createTime)],
                  [t('completed'), dateTime(r.completeTime)],
                ]}
              />
              <h3>{t('description')}</h3>
              <p>{r.description || '—'}</p>
            </Section>
            <Section title={t('history')}>
              {r.history.length === 0 ? (
                <Empty />
              ) : (
                <ol style={{ margin: 0, paddingLeft: '1.25rem' }}>
                  {r.history.map((h, i) => (
                    // biome-ignore lint/suspicious/noArrayIndexKey: the history only grows, oldest first: each change keeps its index
                    <li key={i} style={{ marginBottom: '0.5rem' }}>
                      <time dateTime={new Date(h.time).toISOString()}>{dateTime(h.time)}</time>{' '}
                      <strong>{h.from ? `${h.from} → ${h.to}` : h.to}</strong> <code>{h.cause}</code>
                      {h.detail && <div className="field-hint">{h.detail}</div>}
                    </li>
                  ))}
                </ol>
              )}
            </Section>
            <Credit refund={r} />
          </>
        )}
      </QueryView>
    </>
  );
}
