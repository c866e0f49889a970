import type { AdminOrderDetail } from '@ponte/sdk';
import { useQuery } from '@tanstack/react-query';
import { getRouteApi, Link } from '@tanstack/react-router';
import { useOperator } from '../../api';
import { useFormat } from '../../ui/format';
import { Badge, Facts, PageHeader, Section, Table } from '../../ui/page';
import { Empty, QueryView } from '../../ui/states';
import { useOperatorMessages } from './messages';
import { DeveloperLink, OrderStatusBadge, PayStateBadge, platformName, Thumb } from './parts';

const route = getRouteApi('/op/orders/$orderId');

function Summary({ order }: { order: AdminOrderDetail }) {
  const { t } = useOperatorMessages();
  const { money, dateTime } = useFormat();
  const m = (fen: number) => money(fen, order.currency);
  return (
    <Section title={t('summary')}>
      <Facts
        items={[
          [t('platform'), platformName(order.platform)],
          [t('developer'), <DeveloperLink key="d" developId={order.developId} />],
          [t('userId'), <code key="u">{order.userId}</code>],
          [
            t('status'),
            <span key="s">
              <OrderStatusBadge status={order.status} /> <code>{order.platformStatus}</code>
            </span>,
          ],
          [t('payment'), <PayStateBadge key="p" state={order.payState} />],
          [t('createState'), t(`cs_${order.createState}`)],
          [t('goodsAmount'), m(order.goods)],
          [t('shipping'), m(order.shipping)],
          [t('adjust'), m(order.adjust)],
          [t('total'), <strong key="t">{m(order.total)}</strong>],
          [t('paid'), m(order.paid)],
          [t('refunded'), m(order.refunded)],
          [t('upstreamIds'), order.upstreamOrderIds.length ? order.upstreamOrderIds.join(', ') : '—'],
          [t('sellerOrderNumber'), order.sellerOrderNumber ?? '—'],
          [t('orderSource'), order.orderSource ?? '—'],
          [t('created'), dateTime(order.createTime)],
          [t('paidAt'), dateTime(order.payTime)],
          [t('closedAt'), order.closeTime ? `${dateTime(order.closeTime)} ${order.closeReason ?? ''}` : '—'],
        ]}
      />
    </Section>
  );
}

function Parts({ order }: { order: AdminOrderDetail }) {
  const { t } = useOperatorMessages();
  const { money, dateTime } = useFormat();
  return (
    <Section title={t('parts')}>
      {order.parts.length === 0 ? (
        <Empty>{t('noLinesYet')}</Empty>
      ) : (
        <Table label={t('parts')}>
          <thead>
            <tr>
              <th scope="col">{t('seller')}</th>
              <th scope="col">{t('upstreamId')}</th>
              <th scope="col">{t('status')}</th>
              <th scope="col">{t('payment')}</th>
              <th scope="col" className="num">
                {t('total')}
              </th>
              <th scope="col" className="num">
                {t('paid')}
              </th>
              <th scope="col">{t('shipped')}</th>
            </tr>
          </thead>
          <tbody>
            {order.parts.map((p) => (
              <tr key={p.partId}>
                <td>
                  {p.shopNameTrans}
                  <div className="field-hint" lang="zh">
                    {p.shopName}
                  </div>
                </td>
                <td>
                  <code>{p.upstreamOrderId}</code>
                </td>
                <td>
                  <OrderStatusBadge status={p.status} /> <code>{p.platformStatus}</code>
                </td>
                <td>
                  <PayStateBadge state={p.payState} />
                </td>
                <td className="num">{money(p.total, order.currency)}</td>
                <td className="num">{money(p.paid, order.currency)}</td>
                <td>{dateTime(p.shipTime)}</td>
              </tr>
            ))}
          </tbody>
        </Table>
      )}
    </Section>
  );
}

function Lines({ order }: { order: AdminOrderDetail }) {
  const { t } = useOperatorMessages();
  const { money, number } = useFormat();
  return (
    <Section title={t('lines')}>
      {order.lines.length === 0 ? (
        <Empty>{t('noLinesYet')}</Empty>
      ) : (
        <Table label={t('lines')}>
          <thead>
            <tr>
              <th scope="col">{t('goods')}</th>
              <th scope="col" className="num">
                {t('quantity')}
              </th>
              <th scope="col" className="num">
                {t('price')}
              </th>
              <th scope="col" className="num">
                {t('amount')}
              </th>
              <th scope="col" className="num">
                {t('refunded')}
              </th>
              <th scope="col">{t('status')}</th>
              <th scope="col">{t('tracking')}</th>
            </tr>
          </thead>
          <tbody>
            {order.lines.map((l) => (
              <tr key={l.lineId}>
                <td>
                  <div style={{ display: 'flex', gap: '0.5rem', alignItems: 'flex-start', minWidth: '16rem' }}>
                    <Thumb src={l.picture} />
                    <span>
                      {l.titleTrans}
                      <span className="field-hint" style={{ display: 'block' }}>
                        {Object.entries(l.propertiesTrans)
                          .map(([k, v]) => `${k}: ${v}`)
                          .join(' · ')}
                      </span>
                      <span className="field-hint" style={{ display: 'block' }}>
                        {t('lineIds', { line: l.lineId, product: l.productId, sku: l.skuId ?? '—' })}
                      </span>
                    </span>
                  </div>
                </td>
                <td className="num">{number(l.quantity)}</td>
                <td className="num">{money(l.price, order.currency)}</td>
                <td className="num">{money(l.amount, order.currency)}</td>
                <td className="num">{l.refunded > 0 ? money(l.refunded, order.currency) : '—'}</td>
                <td>
                  <OrderStatusBadge status={l.status} />
                </td>
                <td>{l.trackingNo ? `${l.carrierName ?? l.carrierCode ?? ''} ${l.trackingNo}` : '—'}</td>
              </tr>
            ))}
          </tbody>
        </Table>
      )}
    </Section>
  );
}

/** Every status change, oldest first, as a list in time order. */
function History({ order }: { order: AdminOrderDetail }) {
  const { t } = useOperatorMessages();
  const { dateTime } = useFormat();
  return (
    <Section title={t('history')}>
      {order.history.length === 0 ? (
        <Empty />
      ) : (
        <ol style={{ margin: 0, paddingLeft: '1.25rem' }} data-testid="history">
          {order.history.map((h, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: the history only grows, oldest first: each change keeps its index
            <li key={i} style={{ marginBottom: '0.5rem' }}>
              <time dateTime={new Date(h.time).toISOString()}>{dateTime(h.time)}</time>{' '}
              <strong>{h.from ? `${h.from} → ${h.to}` : h.to}</strong> <code>{h.cause}</code>
              {h.partId && <span className="field-hint"> {t('partRef', { id: h.partId })}</span>}
              {h.detail && <div className="field-hint">{h.detail}</div>}
            </li>
          ))}
        </ol>
      )}
    </Section>
  );
}

function Payments({ order }: { order: AdminOrderDetail }) {
  const { t } = useOperatorMessages();
  const { money, dateTime } = useFormat();
  return (
    <Section title={t('payments')}>
      {order.payments.length === 0 ? (
        <Empty>{t('noPayments')}</Empty>
      ) : (
        <Table label={t('payments')}>
          <thead>
            <tr>
              <th scope="col">{t('paymentId')}</th>
              <th scope="col">{t('method')}</th>
              <th scope="col">{t('status')}</th>
              <th scope="col" className="num">
                {t('amount')}
              </th>
              <th scope="col" className="num">
                {t('reversed')}
              </th>
              <th scope="col">{t('time')}</th>
              <th scope="col">{t('error')}</th>
            </tr>
          </thead>
          <tbody>
            {order.payments.map((p) => (
              <tr key={p.paymentId}>
                <td>
                  <code>{p.paymentId}</code>
                </td>
                <td>
                  {t(`pm_${p.method}`)}
                  {p.voucherId && <div className="field-hint">{t('voucherRef', { id: p.voucherId })}</div>}
                </td>
                <td>
                  <Badge tone={p.state === 'paid' ? 'good' : p.state === 'paying' ? 'neutral' : 'warn'}>
                    {t(`pst_${p.state}`)}
                  </Badge>
                </td>
                <td className="num">{money(p.amount, order.currency)}</td>
                <td className="num">{p.reversed > 0 ? money(p.reversed, order.currency) : '—'}</td>
                <td>{dateTime(p.createTime)}</td>
                <td>{p.lastError ?? '—'}</td>
              </tr>
            ))}
          </tbody>
        </Table>
      )}
    </Section>
  );
}

/** One order of any developer: its parts, lines, history, payments and refunds. */
export function OpOrderPage() {
  const { t } = useOperatorMessages();
  const { orderId } = route.useParams();
  const { client, opKey } = useOperator();
  const order = useQuery({ queryKey: opKey('order', orderId), queryFn: () => client.orders.get(orderId) });
  return (
    <>
      <PageHeader
        title={t('orderTitle', { id: orderId })}
        actions={
          <Link className="btn" to="/op/orders">
            {t('allOrders')}
          </Link>
        }
      />
      <QueryView query={order}>
        {(o) => (
          <>
            <Summary order={o} />
            <Parts order={o} />
            <Lines order={o} />
            <Payments order={o} />
            <Section title={t('refundsOfOrder')}>
              {o.refundIds.length === 0 ? (
                <Empty>{t('noRefunds')}</Empty>
              ) : (
                <ul>
                  {o.refundIds.map((id) => (
                    <li key={id}>
                      <Link to="/op/refunds/$refundId" params={{ refundId: id }}>
                        {id}
                      </Link>
                    </li>
                  ))}
                </ul>
              )}
            </Section>
            <History order={o} />
          </>
        )}
      </QueryView>
    </>
  );
}
