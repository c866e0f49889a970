import type { TaobaoRefund } from '@ponte/sdk';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { type FormEvent, type ReactNode, useState } from 'react';
import { useDeveloper } from '../../api';
import { useFormat } from '../../ui/format';
import { Facts, Field, Section, Table } from '../../ui/page';
import { Pager } from '../../ui/pager';
import { Empty, ErrorView, QueryView } from '../../ui/states';
import { useFlash } from './flash';
import { type AftersalesKey, useAftersalesMessages } from './messages';
import { refundIsOpen, TRACKING_NO } from './model';
import { EvidenceField, useEvidence } from './RefundRequest';
import { ItemPicture, labelOf, PhotoThumbs, RefundStatusBadge, refundTypeLabel, taobaoGoodsLabel } from './shared';

const TIMEOUT_KEY: Record<string, AftersalesKey> = {
  sAgreeRefundT: 'waitSellerDecide',
  bModifyRefundT: 'waitYourChange',
  bSendGoodsT: 'waitYourParcel',
  sConfirmGoodsT: 'waitSellerConfirm',
};

/** A Taobao reverse order: where it is, its line, pictures, return, conversation, history, and what can be done. */
export function TaobaoRefundView({ refundId }: { refundId: string }) {
  const { client, devKey } = useDeveloper();
  const flash = useFlash(`taobao/${refundId}`);
  const query = useQuery({
    queryKey: devKey('aftersales', 'refund', 'taobao', refundId),
    queryFn: () => client.taobao.refunds.get(refundId),
    refetchInterval: (q) =>
      q.state.data && refundIsOpen(q.state.data.refundOrderAggregate.refundOrder.refundStatus) ? 5000 : false,
  });
  return (
    <>
      {flash && (
        <p className="notice" role="status">
          {flash}
        </p>
      )}
      <QueryView query={query}>{(data) => <TaobaoRefundDetail data={data} />}</QueryView>
    </>
  );
}

function TaobaoRefundDetail({ data }: { data: TaobaoRefund }) {
  const { t } = useAftersalesMessages();
  const f = useFormat();
  const { refundOrder: r, purchaseOrderLine: line, logistics } = data.refundOrderAggregate;
  const deadline = r.timeoutDate ? Number(r.timeoutDate) : null;
  const waitingFor = r.timeoutType ? labelOf(t, TIMEOUT_KEY, r.timeoutType) : '';
  const facts: [string, ReactNode][] = [
    [t('status'), <RefundStatusBadge key="s" status={r.refundStatus} testId="refund-status" />],
    [t('type'), refundTypeLabel(t, r.refundType)],
    [t('goodsStatus'), taobaoGoodsLabel(t, r.goodsStatus)],
    [t('asked'), f.money(r.refundFee)],
    [
      t('refunded'),
      <span key="c" data-testid="refunded-amount">
        {f.money(r.refundedFee)}
      </span>,
    ],
    [t('reason'), r.reasonDescTrans || r.reasonDesc || '—'],
    [t('description'), r.refundDesc || '—'],
    [t('submitted'), f.dateTime(r.createTime)],
    [t('lastChanged'), f.dateTime(r.updateTime)],
    [t('finished'), f.dateTime(r.finishTime)],
  ];
  if (deadline) facts.push([t('deadline'), t('deadlineText', { what: waitingFor, time: f.dateTime(deadline) })]);
  if (r.sellerRefuseReason || r.sellerRefuseReasonDescribe) {
    facts.push([
      t('refusal'),
      `${r.sellerRefuseReasonDescribe || r.sellerRefuseReason} (${t('refusedTimes', { count: r.refuseTimes })})`,
    ]);
  }
  facts.push([t('marketplaceId'), r.refundOuterId ?? '—']);
  facts.push([
    t('order'),
    <Link key="o" to="/dev/orders/$platform/$orderId" params={{ platform: 'taobao', orderId: line.salesOrderId }}>
      {line.salesOrderId}
    </Link>,
  ]);
  const properties = Object.values(line.properties ?? {}).join(' / ');
  return (
    <>
      <Section title={t('summary')}>
        <Facts items={facts} />
      </Section>
      <Section title={t('orderLine')}>
        <div className="as-item">
          <ItemPicture src={line.itemImageUrl} alt={line.itemTitle} />
          <span>
            {line.itemTitle}
            <br />
            <span className="as-muted">
              {properties} {t('lineFactsShort', { quantity: line.quantity, amount: f.money(line.totalPrice) })}
            </span>
          </span>
        </div>
      </Section>
      <Section title={t('evidence')}>
        <PhotoThumbs
          photos={r.refundImages}
          label={(i) => t('evidencePhoto', { n: i + 1, total: r.refundImages.length })}
        />
      </Section>
      {logistics && (
        <Section title={t('returnTitle')}>
          <Facts
            items={[
              [
                t('returnAddress'),
                logistics.receiverAddress
                  ? `${logistics.receiverAddress.receiver}, ${logistics.receiverAddress.phone}, ${logistics.receiverAddress.detailAddress}`
                  : '—',
              ],
              [t('sellerNote'), logistics.sellerAgreeReturnDescribe || '—'],
              [t('carrier'), logistics.logisticsCompany?.logisticsCompanyName ?? '—'],
              [t('trackingNo'), logistics.logisticsNo ?? '—'],
              [t('sent'), f.dateTime(logistics.returnTime)],
            ]}
          />
        </Section>
      )}
      {r.refundStatus === '200' && <TaobaoReturnForm refundId={r.refundId} />}
      {['100', '-10', '200', '-20'].includes(r.refundStatus) && (
        <CancelRefund refundId={r.refundId} status={r.refundStatus} />
      )}
      <Conversation refundId={r.refundId} version={r.version} />
      <StatusHistory refundId={r.refundId} version={r.version} />
    </>
  );
}

/** The return parcel of a return the seller agreed to: carrier, tracking number, phone and a note. */
function TaobaoReturnForm({ refundId }: { refundId: string }) {
  const { t } = useAftersalesMessages();
  const { client, devKey } = useDeveloper();
  const f = useFormat();
  const queryClient = useQueryClient();
  const render = useQuery({
    queryKey: devKey('aftersales', 'taobao-return', refundId),
    queryFn: () => client.taobao.refunds.returnLogistics(refundId),
  });
  const [form, setForm] = useState({ carrier: '', trackingNo: '', phone: '', note: '' });
  const [checked, setChecked] = useState(false);
  const [done, setDone] = useState(false);
  const errors = {
    carrier: form.carrier ? null : t('carrierRequired'),
    trackingNo: TRACKING_NO.test(form.trackingNo.trim()) ? null : t('trackingInvalid'),
  };
  const send = useMutation({
    mutationFn: () =>
      client.taobao.refunds.submitReturn({
        refundId,
        logisticsCompanyCode: form.carrier,
        logisticsNo: form.trackingNo.trim(),
        ...(form.phone.trim() ? { buyerPhone: form.phone.trim() } : {}),
        ...(form.note.trim() ? { returnGoodsDesc: form.note.trim() } : {}),
      }),
    onSuccess: () => {
      setDone(true);
      void queryClient.invalidateQueries({ queryKey: devKey('aftersales') });
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setChecked(true);
    if (errors.carrier || errors.trackingNo) return;
    send.mutate();
  };
  const set = (name: keyof typeof form) => (e: { target: { value: string } }) =>
    setForm((v) => ({ ...v, [name]: e.target.value }));
  return (
    <Section title={t('sendReturn')}>
      {done ? (
        <p className="notice" role="status">
          {t('returnSent')}
        </p>
      ) : (
        <QueryView query={render}>
          {(r) => (
            <form onSubmit={submit} noValidate>
              <p>
                {t('sendTo', {
                  address: `${r.receiverAddress.receiver}, ${r.receiverAddress.phone}, ${r.receiverAddress.detailAddress}`,
                })}
                {r.timeoutDate ? ` ${t('sendBefore', { time: f.dateTime(r.timeoutDate) })}` : ''}
              </p>
              {r.sellerAgreeReturnDescribe && <p className="as-muted">{r.sellerAgreeReturnDescribe}</p>}
              <div className="form-row">
                <Field label={t('carrier')} error={checked ? errors.carrier : null}>
                  <select value={form.carrier} onChange={set('carrier')} name="carrier">
                    <option value="">{t('chooseCarrier')}</option>
                    {r.logisticsCompanies.map((c) => (
                      <option key={c.logisticCompanyCode} value={c.logisticCompanyCode}>
                        {c.logisticsCompanyNameTrans || c.logisticsCompanyName}
                      </option>
                    ))}
                  </select>
                </Field>
                <Field label={t('trackingNo')} error={checked ? errors.trackingNo : null}>
                  <input value={form.trackingNo} onChange={set('trackingNo')} name="trackingNo" autoComplete="off" />
                </Field>
                <Field label={t('yourPhone')}>
                  <input value={form.phone} onChange={set('phone')} maxLength={32} type="tel" autoComplete="tel" />
                </Field>
              </div>
              <Field label={t('noteForSeller')}>
                <textarea value={form.note} onChange={set('note')} maxLength={200} />
              </Field>
              {send.isError && <ErrorView error={send.error} />}
              <div className="form-actions">
                <button type="submit" className="btn btn-primary" disabled={send.isPending}>
                  {send.isPending ? t('submitting') : t('sendReturnButton')}
                </button>
              </div>
            </form>
          )}
        </QueryView>
      )}
    </Section>
  );
}

/** Withdraws the reverse order, after a second click; its confirmation stays once it is closed. */
function CancelRefund({ refundId, status }: { refundId: string; status: string }) {
  const { t } = useAftersalesMessages();
  const { client, devKey } = useDeveloper();
  const queryClient = useQueryClient();
  const [confirming, setConfirming] = useState(false);
  const cancel = useMutation({
    mutationFn: () => client.taobao.refunds.cancel(refundId),
    onSuccess: () => {
      setConfirming(false);
      void queryClient.invalidateQueries({ queryKey: devKey('aftersales') });
    },
  });
  const open = status !== '-20';
  if (!open && !cancel.isSuccess) return null;
  return (
    <Section title={t('cancelTitle')}>
      <p className="as-muted">{t('cancelHint')}</p>
      {cancel.isSuccess && (
        <p className="notice" role="status">
          {cancel.data.cancelSuccess ? t('cancelled') : t('alreadyClosed')}
        </p>
      )}
      {cancel.isError && <ErrorView error={cancel.error} />}
      {open && (
        <div className="form-actions">
          {confirming ? (
            <>
              <button
                type="button"
                className="btn btn-danger"
                disabled={cancel.isPending}
                onClick={() => cancel.mutate()}
              >
                {cancel.isPending ? t('submitting') : t('confirmCancel')}
              </button>
              <button type="button" className="btn" onClick={() => setConfirming(false)}>
                {t('keepRefund')}
              </button>
            </>
          ) : (
            <button type="button" className="btn btn-danger" onClick={() => setConfirming(true)}>
              {t('cancelRefund')}
            </button>
          )}
        </div>
      )}
    </Section>
  );
}

const TALK_PAGE = 50;

/** The conversation with the seller (the marketplace's own notes included), and a message to add with pictures. */
function Conversation({ refundId, version }: { refundId: string; version: number }) {
  const { t, language } = useAftersalesMessages();
  const { client, devKey } = useDeveloper();
  const f = useFormat();
  const queryClient = useQueryClient();
  const [page, setPage] = useState(1);
  const talk = useQuery({
    queryKey: devKey('aftersales', 'refund-talk', refundId, version, page, language),
    queryFn: () => client.taobao.refunds.messages(refundId, { pageNo: page, pageSize: TALK_PAGE }),
    placeholderData: keepPreviousData,
  });
  const [text, setText] = useState('');
  const [checked, setChecked] = useState(false);
  const evidence = useEvidence();
  const send = useMutation({
    mutationFn: () =>
      client.taobao.refunds.addMessage(
        refundId,
        text.trim(),
        evidence.pictures.length > 0 ? evidence.pictures.map((p) => p.dataUrl) : undefined,
      ),
    onSuccess: () => {
      setText('');
      setChecked(false);
      evidence.clear();
      void queryClient.invalidateQueries({ queryKey: devKey('aftersales', 'refund-talk', refundId) });
    },
  });
  const error = text.trim() ? null : t('messageRequired');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setChecked(true);
    if (!error) send.mutate();
  };
  const sender = (s: string | null | undefined) =>
    s === 'buyer' ? t('senderBuyer') : s === 'seller' ? t('senderSeller') : t('senderSystem');
  return (
    <Section title={t('conversation')}>
      <QueryView query={talk}>
        {(data) =>
          data.messages.length === 0 ? (
            <Empty>{t('noMessages')}</Empty>
          ) : (
            <>
              <ol className="as-conversation">
                {data.messages.map((m) => (
                  <li key={m.messageId} className={`as-message${m.senderType === 'buyer' ? ' as-message-buyer' : ''}`}>
                    <div className="as-message-head">
                      <strong>{sender(m.senderType)}</strong>
                      <span>{f.dateTime(m.createTime)}</span>
                    </div>
                    <p>{m.content}</p>
                    {m.images.length > 0 && (
                      <PhotoThumbs
                        photos={m.images}
                        label={(i) => t('messagePhoto', { n: i + 1, total: m.images.length })}
                      />
                    )}
                  </li>
                ))}
              </ol>
              {data.total > TALK_PAGE && (
                <Pager pageNo={page} pageSize={TALK_PAGE} total={data.total} onChange={setPage} />
              )}
            </>
          )
        }
      </QueryView>
      <form onSubmit={submit} noValidate>
        <h3>{t('writeToSeller')}</h3>
        <Field label={t('message')} error={checked ? error : null}>
          <textarea value={text} onChange={(e) => setText(e.target.value)} maxLength={500} name="message" />
        </Field>
        <EvidenceField evidence={evidence} label={t('messagePictures')} />
        {send.isSuccess && (
          <p className="notice" role="status">
            {t('messageSent')}
          </p>
        )}
        {send.isError && <ErrorView error={send.error} />}
        <div className="form-actions">
          <button type="submit" className="btn btn-primary" disabled={send.isPending}>
            {send.isPending ? t('submitting') : t('sendMessage')}
          </button>
        </div>
      </form>
    </Section>
  );
}

/** The refund's states over time, from the messages written at each change (kept 30 days). */
function StatusHistory({ refundId, version }: { refundId: string; version: number }) {
  const { t } = useAftersalesMessages();
  const { client, devKey } = useDeveloper();
  const f = useFormat();
  const history = useQuery({
    queryKey: devKey('aftersales', 'refund-history', refundId, version),
    queryFn: () =>
      client.messages.list({ objectId: refundId, messageType: 'ORDER_BUYER_VIEW_ORDER_BUYER_REFUND', pageSize: 50 }),
  });
  return (
    <Section title={t('history')}>
      <QueryView query={history}>
        {(page) => {
          const steps = page.messages
            .map((m) => ({
              version: m.version,
              time: m.timestamp,
              status: (m.messageBody as TaobaoRefund).refundOrderAggregate?.refundOrder?.refundStatus,
            }))
            .filter((s) => s.status)
            .sort((a, b) => a.version - b.version);
          return steps.length === 0 ? (
            <Empty>{t('noHistory')}</Empty>
          ) : (
            <Table label={t('history')}>
              <thead>
                <tr>
                  <th>{t('when')}</th>
                  <th>{t('status')}</th>
                  <th className="num">{t('version')}</th>
                </tr>
              </thead>
              <tbody>
                {steps.map((s) => (
                  <tr key={s.version}>
                    <td>{f.dateTime(s.time)}</td>
                    <td>
                      <RefundStatusBadge status={s.status} />
                    </td>
                    <td className="num">{s.version}</td>
                  </tr>
                ))}
              </tbody>
            </Table>
          );
        }}
      </QueryView>
    </Section>
  );
}
