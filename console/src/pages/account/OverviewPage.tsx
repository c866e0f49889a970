import { useQuery } from '@tanstack/react-query';
import { Link, type LinkProps } from '@tanstack/react-router';
import { useId } from 'react';
import { useDeveloper } from '../../api';
import { useNav } from '../../i18n/nav';
import { useFormat } from '../../ui/format';
import { Badge, Facts, PageHeader, Section } from '../../ui/page';
import { QueryView } from '../../ui/states';
import './account.css';
import { useAccountMessages } from './messages';

type To = NonNullable<LinkProps['to']>;

/** A count and what it is made of. */
interface Tally {
  total: number;
  parts: { label: string; count: number }[];
}

/** One count of the overview, read through list calls of one row whose `total` is the count. */
function CountCard({
  title,
  name,
  load,
  to,
  linkLabel,
}: {
  title: string;
  name: string;
  load: () => Promise<Tally>;
  to: To;
  linkLabel: string;
}) {
  const { devKey } = useDeveloper();
  const { number } = useFormat();
  const headingId = useId();
  const query = useQuery({ queryKey: devKey('overview', name), queryFn: load });
  return (
    <section className="card count-card" aria-labelledby={headingId}>
      <h3 id={headingId}>{title}</h3>
      <QueryView query={query}>
        {(tally) => (
          <>
            <p className="count" data-testid={`count-${name}`}>
              {number(tally.total)}
            </p>
            {tally.parts.length > 1 && (
              <ul className="count-parts">
                {tally.parts.map((p) => (
                  <li key={p.label}>
                    {p.label}: {number(p.count)}
                  </li>
                ))}
              </ul>
            )}
          </>
        )}
      </QueryView>
      <Link to={to}>{linkLabel}</Link>
    </section>
  );
}

/** The developer portal's start: who is acting, the balance, what needs attention, and the way to every area. */
export function OverviewPage() {
  const { t } = useAccountMessages();
  const { t: tn } = useNav();
  const { client, session, devKey } = useDeveloper();
  const { money, dateTime } = useFormat();
  const me = useQuery({ queryKey: devKey('me'), queryFn: () => client.users.get(session.userId) });
  const balance = useQuery({ queryKey: devKey('balance'), queryFn: () => client.account.balance() });
  const isMain = session.userId === session.mainUserId;

  const tally = async (parts: { label: string; count: Promise<number> }[]): Promise<Tally> => {
    const counts = await Promise.all(parts.map((p) => p.count));
    return {
      total: counts.reduce((a, b) => a + b, 0),
      parts: parts.map((p, i) => ({ label: p.label, count: counts[i] ?? 0 })),
    };
  };

  const areas: { to: To; label: string; text: string }[] = [
    { to: '/dev/goods', label: tn('goods'), text: t('areaGoods') },
    { to: '/dev/cart', label: tn('cart'), text: t('areaCart') },
    { to: '/dev/orders', label: tn('orders'), text: t('areaOrders') },
    { to: '/dev/addresses', label: tn('addresses'), text: t('areaAddresses') },
    { to: '/dev/refunds', label: tn('refunds'), text: t('areaRefunds') },
    { to: '/dev/warehouse', label: tn('warehouse'), text: t('areaWarehouse') },
    { to: '/dev/parcels', label: tn('parcels'), text: t('areaParcels') },
    { to: '/dev/balance', label: tn('balance'), text: t('areaBalance') },
    { to: '/dev/callbacks', label: tn('callbacks'), text: t('areaCallbacks') },
    { to: '/dev/messages', label: tn('messages'), text: t('areaMessages') },
    { to: '/dev/users', label: tn('users'), text: t('areaUsers') },
    { to: '/dev/explorer', label: tn('explorer'), text: t('areaExplorer') },
  ];

  return (
    <>
      <PageHeader title={tn('overview')} />
      <div className="overview-top">
        <Section title={t('accountTitle')}>
          <Facts
            items={[
              [
                t('actingAs'),
                <span key="acting" data-testid="overview-acting">
                  {me.data?.name ? `${me.data.name} · ` : ''}
                  <code>{session.userId}</code>{' '}
                  <Badge tone={isMain ? 'good' : 'neutral'}>{isMain ? t('mainAccount') : t('subAccount')}</Badge>
                </span>,
              ],
              [t('mainUserId'), <code key="main">{session.mainUserId}</code>],
              [t('accessKey'), <code key="key">{session.accessKey}</code>],
              [t('secret'), t('secretKept')],
            ]}
          />
        </Section>
        <Section title={t('balanceTitle')}>
          <QueryView query={balance}>
            {(b) => (
              <>
                <p className="count" data-testid="overview-balance">
                  {money(b.balance, b.currency)}
                </p>
                <p className="field-hint">{t('balanceUpdated', { time: dateTime(b.updateTime) })}</p>
                <Link to="/dev/balance">{t('seeLedger')}</Link>
              </>
            )}
          </QueryView>
        </Section>
      </div>

      <Section title={t('attentionTitle')}>
        <div className="grid">
          <CountCard
            name="unpaid"
            title={t('countUnpaid')}
            to="/dev/orders"
            linkLabel={tn('orders')}
            load={() =>
              tally([
                {
                  label: 'Taobao',
                  count: client.taobao.orders
                    .list({ status: 'WAIT_BUYER_PAY', pageNo: 1, pageSize: 1 })
                    .then((p) => p.total),
                },
                {
                  label: '1688',
                  count: client.alibaba.orders
                    .list({ status: 'waitbuyerpay', beginPage: 1, pageSize: 1 })
                    .then((p) => p.totalRecords),
                },
              ])
            }
          />
          <CountCard
            name="refunds"
            title={t('countRefunds')}
            to="/dev/refunds"
            linkLabel={tn('refunds')}
            load={() =>
              tally(
                (
                  [
                    ['100', t('refundWaiting')],
                    ['200', t('refundReturn')],
                    ['300', t('refundReturned')],
                  ] as const
                ).map(([refundStatus, label]) => ({
                  label,
                  count: client.taobao.refunds.list({ refundStatus, pageNo: 1, pageSize: 1 }).then((p) => p.total),
                })),
              )
            }
          />
          <CountCard
            name="parcels"
            title={t('countParcels')}
            to="/dev/parcels"
            linkLabel={tn('parcels')}
            load={() =>
              tally(
                (
                  [
                    ['booked', t('parcelBooked')],
                    ['packed', t('parcelPacked')],
                    ['shipped', t('parcelShipped')],
                  ] as const
                ).map(([status, label]) => ({
                  label,
                  count: client.logistics.parcels({ status, pageNo: 1, pageSize: 1 }).then((p) => p.total),
                })),
              )
            }
          />
          <CountCard
            name="failed"
            title={t('countFailed')}
            to="/dev/messages"
            linkLabel={tn('messages')}
            load={() =>
              tally([
                {
                  label: t('statusFailed'),
                  count: client.messages.list({ status: 'failed', pageNo: 1, pageSize: 1 }).then((p) => p.total),
                },
              ])
            }
          />
        </div>
      </Section>

      <Section title={t('areasTitle')}>
        <ul className="areas">
          {areas.map((a) => (
            <li key={a.to}>
              <Link to={a.to}>{a.label}</Link>
              <span className="field-hint">{a.text}</span>
            </li>
          ))}
        </ul>
      </Section>
    </>
  );
}
