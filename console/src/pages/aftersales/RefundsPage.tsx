import type { PonteClient, PonteMessageOf } from '@ponte/sdk';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { getRouteApi, Link, useNavigate } from '@tanstack/react-router';
import { type FormEvent, useState } from 'react';
import { useDeveloper } from '../../api';
import { useCommon } from '../../i18n/common';
import { useNav } from '../../i18n/nav';
import { useFormat } from '../../ui/format';
import { Field, PageHeader, Table } from '../../ui/page';
import { Pager } from '../../ui/pager';
import { Empty, QueryView } from '../../ui/states';
import { useAftersalesMessages } from './messages';
import { ALIBABA_REFUND_STATUSES, type Platform, TAOBAO_REFUND_STATUSES } from './model';
import { RefundRequest } from './RefundRequest';
import { ItemPicture, RefundStatusBadge, refundStatusLabel, refundTypeLabel } from './shared';

const route = getRouteApi('/dev/refunds');
const PAGE_SIZE = 20;

/** `/dev/refunds`: the refunds of either marketplace, or with `orderId` the form that asks for one. */
export function RefundsPage() {
  const { platform = 'taobao', orderId } = route.useSearch();
  if (orderId) return <RefundRequest platform={platform} orderId={orderId} />;
  return <RefundList platform={platform} />;
}

function RefundList({ platform }: { platform: Platform }) {
  const { t } = useAftersalesMessages();
  const { t: tn } = useNav();
  const { t: tc } = useCommon();
  const { status, page = 1 } = route.useSearch();
  const navigate = route.useNavigate();
  const statuses: readonly string[] = platform === '1688' ? ALIBABA_REFUND_STATUSES : TAOBAO_REFUND_STATUSES;
  const toPage = (p: number) => void navigate({ search: (s) => ({ ...s, page: p > 1 ? p : undefined }) });
  return (
    <>
      <PageHeader title={tn('refunds')}>
        <p className="as-muted">{t('refundsIntro')}</p>
      </PageHeader>
      <div className="as-filters">
        <Field label={t('marketplace')}>
          <select
            value={platform}
            onChange={(e) =>
              void navigate({ search: { platform: e.target.value === '1688' ? ('1688' as const) : undefined } })
            }
          >
            <option value="taobao">{t('taobao')}</option>
            <option value="1688">1688</option>
          </select>
        </Field>
        <Field label={t('status')}>
          <select
            value={status ?? ''}
            onChange={(e) =>
              void navigate({
                search: (s) => ({
                  ...s,
                  status: (e.target.value || undefined) as typeof status,
                  page: undefined,
                }),
              })
            }
          >
            <option value="">{tc('all')}</option>
            {statuses.map((s) => (
              <option key={s} value={s}>
                {refundStatusLabel(t, s)}
              </option>
            ))}
          </select>
        </Field>
        <FindRefund />
      </div>
      {platform === '1688' ? (
        <AlibabaRefunds status={status} page={page} onPage={toPage} />
      ) : (
        <TaobaoRefunds status={status} page={page} onPage={toPage} />
      )}
    </>
  );
}

/** Opens a refund by its id: `TQ…` is 1688's, a decimal id Taobao's. */
function FindRefund() {
  const { t } = useAftersalesMessages();
  const navigate = useNavigate();
  const [id, setId] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const refundId = id.trim();
    if (!/^(TQ)?[0-9]{1,20}$/.test(refundId)) return setProblem(t('refundIdInvalid'));
    setProblem(null);
    void navigate({
      to: '/dev/refunds/$platform/$refundId',
      params: { platform: refundId.startsWith('TQ') ? '1688' : 'taobao', refundId },
    });
  };
  return (
    <form className="as-filters" onSubmit={submit}>
      <Field label={t('findRefund')} error={problem}>
        <input value={id} onChange={(e) => setId(e.target.value)} name="refundId" autoComplete="off" />
      </Field>
      <button type="submit" className="btn">
        {t('open')}
      </button>
    </form>
  );
}

type Filter = { status: string | undefined; page: number; onPage: (page: number) => void };

function TaobaoRefunds({ status, page, onPage }: Filter) {
  const { t, language } = useAftersalesMessages();
  const { client, devKey } = useDeveloper();
  const f = useFormat();
  const query = useQuery({
    queryKey: devKey('aftersales', 'refunds', 'taobao', status ?? '', page, language),
    queryFn: () =>
      client.taobao.refunds.list({
        pageNo: page,
        pageSize: PAGE_SIZE,
        language,
        ...(status ? { refundStatus: status } : {}),
      }),
    placeholderData: keepPreviousData,
  });
  return (
    <QueryView query={query}>
      {(data) =>
        data.refundOrderAggregates.length === 0 ? (
          <Empty>{t('noRefunds')}</Empty>
        ) : (
          <>
            <Table label={t('taobaoRefundsTable')}>
              <thead>
                <tr>
                  <th>{t('refund')}</th>
                  <th>{t('item')}</th>
                  <th>{t('type')}</th>
                  <th className="num">{t('asked')}</th>
                  <th className="num">{t('refunded')}</th>
                  <th>{t('status')}</th>
                  <th>{t('submitted')}</th>
                </tr>
              </thead>
              <tbody>
                {data.refundOrderAggregates.map(({ refundOrder: r, purchaseOrderLine: line }) => (
                  <tr key={r.refundId}>
                    <td>
                      <Link to="/dev/refunds/$platform/$refundId" params={{ platform: 'taobao', refundId: r.refundId }}>
                        {r.refundId}
                      </Link>
                    </td>
                    <td>
                      <span className="as-item">
                        <ItemPicture src={line.itemImageUrl} alt="" />
                        <span>{line.itemTitle}</span>
                      </span>
                    </td>
                    <td>{refundTypeLabel(t, r.refundType)}</td>
                    <td className="num">{f.money(r.refundFee)}</td>
                    <td className="num">{f.money(r.refundedFee)}</td>
                    <td>
                      <RefundStatusBadge status={r.refundStatus} />
                    </td>
                    <td>{f.dateTime(r.createTime)}</td>
                  </tr>
                ))}
              </tbody>
            </Table>
            <Pager pageNo={page} pageSize={PAGE_SIZE} total={data.total} onChange={onPage} />
          </>
        )
      }
    </QueryView>
  );
}

type AlibabaRefundBody = PonteMessageOf<'1688_ORDER_BUYER_VIEW_ORDER_BUYER_REFUND_IN_SALES'>['messageBody'];
type AlibabaRefundSeen = AlibabaRefundBody['refund'];

const ALIBABA_REFUND_MESSAGES = [
  'ORDER_BUYER_VIEW_ORDER_BUYER_REFUND_IN_SALES',
  'ORDER_BUYER_VIEW_ORDER_REFUND_AFTER_SALES',
] as const;
/** Pages of 50 messages read per message type at most. */
const MESSAGE_PAGES = 20;

/**
 * The 1688 refunds as their callback messages last told them (the API lists 1688 refunds no other way): every
 * message of the last 30 days about a 1688 refund, the latest version of each refund kept, newest refund first.
 */
async function alibabaRefundsSeen(client: PonteClient): Promise<{ refunds: AlibabaRefundSeen[]; complete: boolean }> {
  const latest = new Map<string, { version: number; refund: AlibabaRefundSeen }>();
  let complete = true;
  for (const messageType of ALIBABA_REFUND_MESSAGES) {
    for (let pageNo = 1; ; pageNo++) {
      const page = await client.messages.list({ messageType, messagePlatform: 1, pageNo, pageSize: 50 });
      for (const m of page.messages) {
        const body = m.messageBody as AlibabaRefundBody;
        const seen = latest.get(m.objectId);
        if (body?.refund && (!seen || seen.version < m.version)) {
          latest.set(m.objectId, { version: m.version, refund: body.refund });
        }
      }
      if (page.messages.length < 50 || pageNo * 50 >= page.total) break;
      if (pageNo === MESSAGE_PAGES) {
        complete = false;
        break;
      }
    }
  }
  const refunds = [...latest.values()]
    .map((v) => v.refund)
    .sort((a, b) => (b.gmtCreate ?? 0) - (a.gmtCreate ?? 0) || (a.refundId < b.refundId ? 1 : -1));
  return { refunds, complete };
}

function AlibabaRefunds({ status, page, onPage }: Filter) {
  const { t } = useAftersalesMessages();
  const { client, devKey } = useDeveloper();
  const f = useFormat();
  const query = useQuery({
    queryKey: devKey('aftersales', 'refunds', '1688'),
    queryFn: () => alibabaRefundsSeen(client),
  });
  return (
    <QueryView query={query}>
      {({ refunds, complete }) => {
        const shown = status ? refunds.filter((r) => r.status === status) : refunds;
        const rows = shown.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE);
        return (
          <>
            <p className="as-muted">{complete ? t('alibabaListNote') : t('alibabaListPartial')}</p>
            {rows.length === 0 ? (
              <Empty>{t('noRefunds')}</Empty>
            ) : (
              <>
                <Table label={t('alibabaRefundsTable')}>
                  <thead>
                    <tr>
                      <th>{t('refund')}</th>
                      <th>{t('item')}</th>
                      <th>{t('type')}</th>
                      <th className="num">{t('asked')}</th>
                      <th className="num">{t('refunded')}</th>
                      <th>{t('status')}</th>
                      <th>{t('submitted')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {rows.map((r) => (
                      <tr key={r.refundId}>
                        <td>
                          <Link
                            to="/dev/refunds/$platform/$refundId"
                            params={{ platform: '1688', refundId: r.refundId }}
                          >
                            {r.refundId}
                          </Link>
                        </td>
                        <td>{r.productName ?? '—'}</td>
                        <td>{refundTypeLabel(t, r.disputeRequest)}</td>
                        <td className="num">{f.money(r.applyExpect ?? r.applyPayment)}</td>
                        <td className="num">{f.money(r.refundPayment)}</td>
                        <td>
                          <RefundStatusBadge status={r.status} />
                        </td>
                        <td>{f.dateTime(r.gmtCreate ?? r.createTime)}</td>
                      </tr>
                    ))}
                  </tbody>
                </Table>
                <Pager pageNo={page} pageSize={PAGE_SIZE} total={shown.length} onChange={onPage} />
              </>
            )}
          </>
        );
      }}
    </QueryView>
  );
}
