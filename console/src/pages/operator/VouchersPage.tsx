import { ApiError, type PaymentVoucher } from '@ponte/sdk';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { getRouteApi } from '@tanstack/react-router';
import { type FormEvent, useEffect, useState } from 'react';
import { useOperator } from '../../api';
import { useCommon } from '../../i18n/common';
import { useNav } from '../../i18n/nav';
import { apiBase } from '../../session';
import { ConfirmAction } from '../../ui/actions';
import { useFormat } from '../../ui/format';
import { Badge, Facts, Field, PageHeader } from '../../ui/page';
import { Pager } from '../../ui/pager';
import { Empty, ErrorView, Loading, QueryView } from '../../ui/states';
import { useOperatorMessages } from './messages';
import { DeveloperLink, Notice, OrderLink } from './parts';
import { ID_PATTERN, PAGE_SIZE, VOUCHER_STATUSES } from './search';

const route = getRouteApi('/op/vouchers');

const STATUS_TONES = { pending: 'warn', approved: 'good', rejected: 'bad' } as const;

/**
 * A voucher's picture: its endpoint needs the operator's token, so it is fetched with it and shown from an object URL
 * (released when the picture leaves the page).
 */
async function fetchPicture(voucherId: string, token: string, signal: AbortSignal): Promise<Blob> {
  const res = await fetch(`${apiBase()}/admin/vouchers/${encodeURIComponent(voucherId)}/picture`, {
    headers: { authorization: `Bearer ${token}` },
    signal,
  });
  if (res.ok) return res.blob();
  const text = await res.text();
  let envelope: { code?: unknown; msg?: unknown; requestId?: unknown } = {};
  try {
    envelope = JSON.parse(text);
  } catch {
    // not an envelope: the status says what happened
  }
  throw new ApiError({
    code: typeof envelope.code === 'number' ? envelope.code : res.status * 100,
    msg: typeof envelope.msg === 'string' ? envelope.msg : `HTTP ${res.status}`,
    requestId: typeof envelope.requestId === 'string' ? envelope.requestId : (res.headers.get('x-request-id') ?? ''),
    httpStatus: res.status,
    developId: '',
  });
}

function VoucherPicture({ voucher }: { voucher: PaymentVoucher }) {
  const { t } = useOperatorMessages();
  const { session, opKey } = useOperator();
  const picture = useQuery({
    queryKey: opKey('voucher-picture', voucher.voucherId),
    queryFn: ({ signal }) => fetchPicture(voucher.voucherId, session.token, signal),
    staleTime: Number.POSITIVE_INFINITY,
  });
  const [url, setUrl] = useState<string | null>(null);
  useEffect(() => {
    if (!picture.data) return;
    const objectUrl = URL.createObjectURL(picture.data);
    setUrl(objectUrl);
    return () => {
      URL.revokeObjectURL(objectUrl);
      setUrl(null);
    };
  }, [picture.data]);
  const alt = t('voucherPictureAlt', { id: voucher.voucherId, reference: voucher.reference });
  if (picture.isError) return <ErrorView error={picture.error} onRetry={() => void picture.refetch()} />;
  if (!url) {
    return (
      <div className="thumb" style={{ width: '100%', height: '12rem', display: 'grid', placeItems: 'center' }}>
        <Loading label={t('pictureLoading')} />
      </div>
    );
  }
  return (
    <a href={url} target="_blank" rel="noreferrer" title={t('openFullSize')}>
      <img
        src={url}
        alt={alt}
        data-testid="voucher-picture"
        style={{ display: 'block', maxHeight: '16rem', width: 'auto', borderRadius: '4px', background: '#eceff3' }}
      />
    </a>
  );
}

/** Approve (credits the amount, then pays the order it names) or reject with a reason, each asked first. */
function Review({ voucher, onDone }: { voucher: PaymentVoucher; onDone: (text: string) => void }) {
  const { t } = useOperatorMessages();
  const { t: tc } = useCommon();
  const { client, opKey } = useOperator();
  const { money } = useFormat();
  const queryClient = useQueryClient();
  const [rejecting, setRejecting] = useState(false);
  const [reason, setReason] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const after = () => {
    for (const part of ['vouchers', 'stats', 'balance', 'ledger', 'orders', 'order']) {
      void queryClient.invalidateQueries({ queryKey: opKey(part) });
    }
  };
  const approve = useMutation({
    mutationFn: () => client.vouchers.approve(voucher.voucherId, {}),
    onSuccess: (r) => {
      after();
      onDone(t('voucherApproved', { id: voucher.voucherId, amount: money(r.topup.amount) }));
    },
  });
  const reject = useMutation({
    mutationFn: (note: string) => client.vouchers.reject(voucher.voucherId, { note }),
    onSuccess: () => {
      after();
      onDone(t('voucherRejected', { id: voucher.voucherId }));
    },
  });
  const submitReject = (e: FormEvent) => {
    e.preventDefault();
    if (!reason.trim()) return setProblem(t('reasonRequired'));
    setProblem(null);
    reject.mutate(reason.trim());
  };
  const busy = approve.isPending || reject.isPending;
  return (
    <>
      {rejecting ? (
        <form onSubmit={submitReject} noValidate>
          <Field label={t('rejectReason')} hint={t('rejectReasonHint')} error={problem}>
            <textarea name="reason" maxLength={200} value={reason} onChange={(e) => setReason(e.target.value)} />
          </Field>
          <div className="form-actions">
            <button type="submit" className="btn btn-danger" disabled={busy}>
              {t('rejectVoucher')}
            </button>
            <button type="button" className="btn" onClick={() => setRejecting(false)}>
              {tc('cancel')}
            </button>
          </div>
        </form>
      ) : (
        <div className="form-actions">
          <ConfirmAction
            label={t('approve')}
            question={t('approveQuestion', { amount: money(voucher.amount) })}
            confirmLabel={t('approveVoucher')}
            pending={busy}
            onConfirm={() => approve.mutate()}
          />
          <button type="button" className="btn btn-small btn-danger" disabled={busy} onClick={() => setRejecting(true)}>
            {t('reject')}
          </button>
        </div>
      )}
      {approve.isError && <ErrorView error={approve.error} />}
      {reject.isError && <ErrorView error={reject.error} />}
    </>
  );
}

function VoucherCard({ voucher, onDone }: { voucher: PaymentVoucher; onDone: (text: string) => void }) {
  const { t } = useOperatorMessages();
  const { money, dateTime } = useFormat();
  return (
    <article
      className="card"
      style={{ margin: 0, minWidth: 0 }}
      data-testid="voucher"
      data-voucher-id={voucher.voucherId}
    >
      <div className="card-head">
        <h2>{t('voucherTitle', { id: voucher.voucherId })}</h2>
        <Badge tone={STATUS_TONES[voucher.status]}>{t(`vs_${voucher.status}`)}</Badge>
      </div>
      <VoucherPicture voucher={voucher} />
      <Facts
        items={[
          [t('amount'), <strong key="a">{money(voucher.amount)}</strong>],
          [t('developer'), <DeveloperLink key="d" developId={voucher.developId} />],
          [t('userId'), <code key="u">{voucher.userId}</code>],
          [t('order'), voucher.orderId ? <OrderLink key="o" orderId={voucher.orderId} /> : t('noOrder')],
          [t('reference'), voucher.reference],
          [t('developerNote'), voucher.note || '—'],
          [t('uploaded'), dateTime(voucher.createTime)],
          ...(voucher.reviewTime
            ? ([
                [t('reviewed'), dateTime(voucher.reviewTime)],
                [t('reviewNote'), voucher.reviewNote || '—'],
              ] as [string, string][])
            : []),
        ]}
      />
      {voucher.status === 'pending' && <Review voucher={voucher} onDone={onDone} />}
    </article>
  );
}

/** Payment vouchers to review, pending first (oldest first), with their pictures; approve or reject each. */
export function VouchersPage() {
  const { t } = useOperatorMessages();
  const { t: tc } = useCommon();
  const { t: tn } = useNav();
  const { client, opKey } = useOperator();
  const { status, developId, page } = route.useSearch();
  const navigate = route.useNavigate();
  const [notice, setNotice] = useState<string | null>(null);
  const [developer, setDeveloper] = useState(developId ?? '');
  const [problem, setProblem] = useState<string | null>(null);
  const list = useQuery({
    queryKey: opKey('vouchers', status, developId, page),
    queryFn: () =>
      client.vouchers.list({ status, pageNo: page, pageSize: PAGE_SIZE, ...(developId ? { developId } : {}) }),
    placeholderData: keepPreviousData,
  });
  const apply = (e: FormEvent) => {
    e.preventDefault();
    const value = developer.trim();
    if (value && !ID_PATTERN.test(value)) return setProblem(t('idInvalid'));
    setProblem(null);
    void navigate({ search: (s) => ({ ...s, page: 1, developId: value || undefined }) });
  };
  return (
    <>
      <PageHeader title={tn('vouchers')}>
        <p>{t('vouchersIntro')}</p>
      </PageHeader>
      <form className="form-row card" onSubmit={apply}>
        <Field label={t('status')}>
          <select
            value={status}
            onChange={(e) => {
              setNotice(null);
              void navigate({
                search: (s) => ({ ...s, page: 1, status: VOUCHER_STATUSES.find((v) => v === e.target.value) }),
              });
            }}
          >
            {VOUCHER_STATUSES.map((v) => (
              <option key={v} value={v}>
                {t(`vs_${v}`)}
              </option>
            ))}
          </select>
        </Field>
        <Field label={t('developId')} error={problem}>
          <input
            name="developId"
            inputMode="numeric"
            value={developer}
            onChange={(e) => setDeveloper(e.target.value)}
          />
        </Field>
        <div style={{ marginBottom: '0.75rem' }}>
          <button type="submit" className="btn">
            {tc('apply')}
          </button>
        </div>
      </form>
      <Notice text={notice} />
      <QueryView query={list}>
        {(data) =>
          data.list.length === 0 ? (
            <Empty>{t(status === 'pending' ? 'noPendingVouchers' : 'noVouchers')}</Empty>
          ) : (
            <>
              <p>{t('vouchersCount', { count: data.total })}</p>
              <div className="grid" style={{ gridTemplateColumns: 'repeat(auto-fill, minmax(min(100%, 20rem), 1fr))' }}>
                {data.list.map((v) => (
                  <VoucherCard key={v.voucherId} voucher={v} onDone={setNotice} />
                ))}
              </div>
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
    </>
  );
}
