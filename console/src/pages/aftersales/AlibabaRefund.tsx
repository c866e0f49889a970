import type { AlibabaRefund } from '@ponte/sdk';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { type FormEvent, type ReactNode, useState } from 'react';
import { useDeveloper } from '../../api';
import { useFormat } from '../../ui/format';
import { Facts, Field, Section, Table } from '../../ui/page';
import { Empty, ErrorView, QueryView } from '../../ui/states';
import { useFlash } from './flash';
import { type AftersalesKey, useAftersalesMessages } from './messages';
import { refundIsOpen, TRACKING_NO } from './model';
import { EvidenceField, useEvidence } from './RefundRequest';
import { alibabaGoodsLabel, labelOf, PhotoThumbs, RefundStatusBadge, refundTypeLabel } from './shared';

/** One step of `refundOperationList`. */
interface Operation {
  operateType: string;
  operator: string | null;
  from: string | null;
  to: string | null;
  gmtCreate: number;
  remark: string | null;
}

const ACTION_KEY: Record<string, AftersalesKey> = {
  BUYER_APPLY_REFUND: 'actApply',
  BUYER_MODIFY_REFUND: 'actModify',
  BUYER_CLOSE_REFUND: 'actClose',
  BUYER_SEND_GOODS: 'actSendGoods',
  SELLER_AGREE_REFUND: 'actSellerAgree',
  SYSTEM_AGREE_REFUND: 'actSystemAgree',
  SELLER_REFUSE_REFUND: 'actSellerRefuse',
  SELLER_RECEIVE_GOODS: 'actSellerReceive',
  SYSTEM_RECEIVE_GOODS: 'actSystemReceive',
  REFUND_SUCCESS: 'actSuccess',
  SYSTEM_CLOSE_REFUND: 'actSystemClose',
};

/** The steps as the API gives them (a JSON array in a string); none when it cannot be read. */
function operationsOf(list: string | null): Operation[] {
  if (!list) return [];
  try {
    const parsed: unknown = JSON.parse(list);
    return Array.isArray(parsed) ? (parsed as Operation[]) : [];
  } catch {
    return [];
  }
}

/** A 1688 refund: where it is, its amounts, pictures, return and every step, and the return parcel when due. */
export function AlibabaRefundView({ refundId }: { refundId: string }) {
  const { client, devKey } = useDeveloper();
  const { language } = useAftersalesMessages();
  const flash = useFlash(`1688/${refundId}`);
  const query = useQuery({
    queryKey: devKey('aftersales', 'refund', '1688', refundId, language),
    queryFn: () => client.alibaba.refunds.info(refundId, language),
    refetchInterval: (q) => (q.state.data && refundIsOpen(q.state.data.status) ? 5000 : false),
  });
  return (
    <>
      {flash && (
        <p className="notice" role="status">
          {flash}
        </p>
      )}
      <QueryView query={query}>{(data) => <AlibabaRefundDetail data={data} />}</QueryView>
    </>
  );
}

function AlibabaRefundDetail({ data: r }: { data: AlibabaRefund }) {
  const { t } = useAftersalesMessages();
  const f = useFormat();
  const operations = operationsOf(r.refundOperationList);
  const facts: [string, ReactNode][] = [
    [t('status'), <RefundStatusBadge key="s" status={r.status} testId="refund-status" />],
    [t('type'), refundTypeLabel(t, r.disputeRequest)],
    [t('goodsStatus'), r.goodsStatusCode ? alibabaGoodsLabel(t, r.goodsStatusCode) : '—'],
    [t('asked'), f.money(r.applyPayment)],
    [t('askedShipping'), f.money(r.applyCarriage)],
    [t('askedTotal'), f.money(r.applyExpect)],
    [
      t('refunded'),
      <span key="c" data-testid="refunded-amount">
        {f.money(r.refundPayment)}
      </span>,
    ],
    [t('reason'), r.applyReasonTrans || r.applyReason || '—'],
    [t('description'), r.description || '—'],
    [t('item'), r.productName || '—'],
    [t('submitted'), f.dateTime(r.gmtCreate ?? r.createTime)],
    [t('lastChanged'), f.dateTime(r.gmtModified ?? r.updateTime)],
    [t('finished'), f.dateTime(r.gmtCompleted)],
  ];
  if (r.gmtTimeOut) {
    facts.push([
      t('deadline'),
      t('deadlineText', {
        what: r.timeOutOperateType === 'AUTO_AGREE' ? t('thenAgreed') : t('thenClosed'),
        time: f.dateTime(r.gmtTimeOut),
      }),
    ]);
  }
  if (r.rejectReason) {
    facts.push([t('refusal'), `${r.rejectReason} (${t('refusedTimes', { count: r.rejectTimes ?? 1 })})`]);
  }
  facts.push([t('marketplaceId'), r.refundOuterId ?? '—']);
  facts.push([
    t('order'),
    <Link key="o" to="/dev/orders/$platform/$orderId" params={{ platform: '1688', orderId: r.orderId }}>
      {r.orderId}
    </Link>,
  ]);
  const returning = r.sellerReceiveAddress || r.freightBill;
  return (
    <>
      <Section title={t('summary')}>
        <Facts items={facts} />
        <p className="as-muted">{t('alibabaNoMessages')}</p>
      </Section>
      <Section title={t('evidence')}>
        <PhotoThumbs photos={r.vouchers} label={(i) => t('evidencePhoto', { n: i + 1, total: r.vouchers.length })} />
      </Section>
      {returning && (
        <Section title={t('returnTitle')}>
          <Facts
            items={[
              [
                t('returnAddress'),
                [r.sellerRealName, r.sellerMobile || r.sellerTel, r.sellerReceiveAddress].filter(Boolean).join(', ') ||
                  '—',
              ],
              [t('carrier'), r.buyerLogisticsName ?? '—'],
              [t('trackingNo'), r.freightBill ?? '—'],
            ]}
          />
        </Section>
      )}
      {r.status === 'waitbuyersend' && <AlibabaReturnForm refundId={r.refundId} address={r.sellerReceiveAddress} />}
      <Section title={t('history')}>
        {operations.length === 0 ? (
          <Empty>{t('noHistory')}</Empty>
        ) : (
          <Table label={t('history')}>
            <thead>
              <tr>
                <th>{t('when')}</th>
                <th>{t('what')}</th>
                <th>{t('by')}</th>
                <th>{t('status')}</th>
                <th>{t('remark')}</th>
              </tr>
            </thead>
            <tbody>
              {operations.map((op) => (
                <tr key={`${op.gmtCreate}-${op.operateType}-${op.to}`}>
                  <td>{f.dateTime(op.gmtCreate)}</td>
                  <td>{labelOf(t, ACTION_KEY, op.operateType)}</td>
                  <td>
                    {op.operator === 'buyer'
                      ? t('senderBuyer')
                      : op.operator === 'seller'
                        ? t('senderSeller')
                        : t('senderSystem')}
                  </td>
                  <td>{op.to ? <RefundStatusBadge status={op.to} /> : '—'}</td>
                  <td>{op.remark || '—'}</td>
                </tr>
              ))}
            </tbody>
          </Table>
        )}
      </Section>
    </>
  );
}

/** The return parcel of a return the seller agreed to: one of 1688's carriers and the tracking number. */
function AlibabaReturnForm({ refundId, address }: { refundId: string; address: string | null }) {
  const { t, language } = useAftersalesMessages();
  const { client, devKey } = useDeveloper();
  const queryClient = useQueryClient();
  const companies = useQuery({
    queryKey: devKey('aftersales', '1688-carriers', language),
    queryFn: () => client.alibaba.refunds.logisticsCompanies(language),
    staleTime: 3_600_000,
  });
  const [carrier, setCarrier] = useState('');
  const [bill, setBill] = useState('');
  const [note, setNote] = useState('');
  const [checked, setChecked] = useState(false);
  const evidence = useEvidence(async (p) => (await client.alibaba.refunds.uploadVoucher(p.dataUrl)).imageRelativeUrl);
  const noteText = note.trim();
  const errors = {
    carrier: carrier ? null : t('carrierRequired'),
    bill: TRACKING_NO.test(bill.trim()) ? null : t('trackingInvalid'),
    note:
      noteText && (noteText.length < 2 || noteText.length > 200) ? t('descriptionLength', { min: 2, max: 200 }) : null,
  };
  const send = useMutation({
    mutationFn: () =>
      client.alibaba.refunds.returnGoods({
        refundId,
        logisticsCompanyNo: carrier,
        freightBill: bill.trim(),
        ...(noteText ? { description: noteText } : {}),
        ...(evidence.pictures.length > 0 ? { vouchers: evidence.pictures.map((p) => p.path ?? p.dataUrl) } : {}),
      }),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: devKey('aftersales') }),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setChecked(true);
    if (errors.carrier || errors.bill || errors.note || evidence.uploading) return;
    send.mutate();
  };
  return (
    <Section title={t('sendReturn')}>
      {send.isSuccess ? (
        <p className="notice" role="status">
          {t('returnSent')}
        </p>
      ) : (
        <QueryView query={companies}>
          {(list) => (
            <form onSubmit={submit} noValidate>
              {address && <p>{t('sendTo', { address })}</p>}
              <div className="form-row">
                <Field label={t('carrier')} error={checked ? errors.carrier : null}>
                  <select value={carrier} onChange={(e) => setCarrier(e.target.value)} name="carrier">
                    <option value="">{t('chooseCarrier')}</option>
                    {list.map((c) => (
                      <option key={c.companyNo} value={c.companyNo}>
                        {c.companyNameTrans || c.companyName}
                      </option>
                    ))}
                  </select>
                </Field>
                <Field label={t('trackingNo')} error={checked ? errors.bill : null}>
                  <input value={bill} onChange={(e) => setBill(e.target.value)} name="trackingNo" autoComplete="off" />
                </Field>
              </div>
              <Field label={t('noteForSeller')} error={checked ? errors.note : null}>
                <textarea value={note} onChange={(e) => setNote(e.target.value)} maxLength={200} />
              </Field>
              <EvidenceField evidence={evidence} label={t('evidence')} />
              {send.isError && <ErrorView error={send.error} />}
              <div className="form-actions">
                <button type="submit" className="btn btn-primary" disabled={send.isPending || evidence.uploading}>
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
