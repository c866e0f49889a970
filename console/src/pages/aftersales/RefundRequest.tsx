import type { AlibabaOrder, TaobaoOrder } from '@ponte/sdk';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate } from '@tanstack/react-router';
import { type FormEvent, type ReactNode, useRef, useState } from 'react';
import { useDeveloper } from '../../api';
import { FileDrop } from '../../ui/file-drop';
import type { PickedPicture } from '../../ui/files';
import { useFormat } from '../../ui/format';
import { Field, PageHeader, Section } from '../../ui/page';
import { ErrorView, Loading, QueryView } from '../../ui/states';
import { setFlash } from './flash';
import { useAftersalesMessages } from './messages';
import { fenOf, type Platform, yuanText } from './model';
import {
  alibabaGoodsLabel,
  type Evidence,
  ItemPicture,
  MAX_PICTURE_BYTES,
  MAX_PICTURES,
  PickedPictures,
  platformLabel,
  refundTypeLabel,
  taobaoGoodsLabel,
} from './shared';

/** The pictures the refund APIs take, by their type. */
const PICTURE_TYPES = ['image/jpeg', 'image/png', 'image/gif', 'image/bmp'];

/** The form that asks the seller of one paid order line for a refund, or a return and refund. */
export function RefundRequest({ platform, orderId }: { platform: Platform; orderId: string }) {
  const { t } = useAftersalesMessages();
  return (
    <>
      <PageHeader
        title={t('requestTitle')}
        actions={
          <Link className="btn" to="/dev/refunds" search={platform === '1688' ? { platform } : {}}>
            {t('backToRefunds')}
          </Link>
        }
      >
        <p className="as-muted">{t('requestIntro', { order: orderId, platform: platformLabel(t, platform) })}</p>
      </PageHeader>
      {platform === '1688' ? <AlibabaRequest orderId={orderId} /> : <TaobaoRequest orderId={orderId} />}
    </>
  );
}

/** Picked pictures: checked, kept, and (for 1688) uploaded through the voucher upload as they are picked. */
export function useEvidence(upload?: (picture: PickedPicture) => Promise<string>) {
  const { t } = useAftersalesMessages();
  const [pictures, setPictures] = useState<Evidence[]>([]);
  const [problem, setProblem] = useState<unknown>(null);
  const counter = useRef(0);
  const update = (id: string, change: Partial<Evidence>) =>
    setPictures((list) => list.map((p) => (p.id === id ? { ...p, ...change } : p)));
  const add = (picture: PickedPicture) => {
    if (!PICTURE_TYPES.includes(picture.type)) return setProblem(new Error(t('pictureType')));
    if (pictures.length >= MAX_PICTURES) return setProblem(new Error(t('tooManyPictures', { max: MAX_PICTURES })));
    setProblem(null);
    counter.current += 1;
    const id = `p${counter.current}`;
    setPictures((list) => [...list, { id, name: picture.name, dataUrl: picture.dataUrl, uploading: !!upload }]);
    if (upload) {
      upload(picture).then(
        (path) => update(id, { path, uploading: false }),
        (error: unknown) => {
          setPictures((list) => list.filter((p) => p.id !== id));
          setProblem(error);
        },
      );
    }
  };
  const remove = (id: string) => setPictures((list) => list.filter((p) => p.id !== id));
  const clear = () => setPictures([]);
  const uploading = pictures.some((p) => p.uploading);
  return { pictures, add, remove, clear, problem, uploading };
}

type EvidenceState = ReturnType<typeof useEvidence>;

/** The drop zone, the problem with the last picture, and the pictures picked. */
export function EvidenceField({ evidence, label }: { evidence: EvidenceState; label: string }) {
  const { t } = useAftersalesMessages();
  return (
    <div className="field">
      <FileDrop
        label={`${label} ${t('picturesHint', { max: MAX_PICTURES })}`}
        maxBytes={MAX_PICTURE_BYTES}
        onPicture={evidence.add}
        testId="evidence-drop"
      />
      {evidence.problem !== null &&
        (evidence.problem instanceof Error && !('code' in evidence.problem) ? (
          <p className="field-error" role="alert">
            {evidence.problem.message}
          </p>
        ) : (
          <ErrorView error={evidence.problem} />
        ))}
      <PickedPictures pictures={evidence.pictures} onRemove={evidence.remove} label={t('picturesPicked')} />
    </div>
  );
}

/** A radio group of order lines. */
function LineChoice<L>({
  lines,
  value,
  onChange,
  id,
  allowed,
  render,
}: {
  lines: readonly L[];
  value: string;
  onChange: (id: string) => void;
  id: (line: L) => string;
  allowed: (line: L) => boolean;
  render: (line: L) => ReactNode;
}) {
  const { t } = useAftersalesMessages();
  return (
    <fieldset className="as-choices">
      <legend>{t('orderLine')}</legend>
      {lines.map((line) => (
        <label key={id(line)} className="as-choice">
          <input
            type="radio"
            name="line"
            value={id(line)}
            checked={value === id(line)}
            disabled={!allowed(line)}
            onChange={() => onChange(id(line))}
          />
          <span className="as-item">{render(line)}</span>
        </label>
      ))}
    </fieldset>
  );
}

/** The amount field: yuan, at most `max` fen, with the most shown. */
function AmountField({
  label,
  value,
  onChange,
  max,
  disabled,
  error,
}: {
  label: string;
  value: string;
  onChange: (text: string) => void;
  max: number;
  disabled?: boolean;
  error?: string | null;
}) {
  const { t } = useAftersalesMessages();
  const f = useFormat();
  return (
    <Field label={label} hint={t('amountMost', { amount: f.money(max) })} error={error}>
      <input
        inputMode="decimal"
        value={value}
        onChange={(e) => onChange(e.target.value)}
        disabled={disabled}
        name="amount"
        autoComplete="off"
      />
    </Field>
  );
}

// -- Taobao ------------------------------------------------------------------------------------------------------

type TaobaoLine = TaobaoOrder['subPurchaseOrders'][number]['orderLines'][number];

function TaobaoRequest({ orderId }: { orderId: string }) {
  const { client, devKey } = useDeveloper();
  const { language } = useAftersalesMessages();
  const order = useQuery({
    queryKey: devKey('aftersales', 'order', 'taobao', orderId, language),
    queryFn: () => client.taobao.orders.get(orderId, language),
  });
  return <QueryView query={order}>{(o) => <TaobaoForm order={o} />}</QueryView>;
}

const taobaoLineOpen = (l: TaobaoLine) =>
  l.status !== 'WAIT_BUYER_PAY' && l.status !== 'TRADE_CLOSED' && l.refundedFee < l.totalPrice;
/** The goods status the line's state suggests: not shipped before the seller ships, else on the way. */
const taobaoGoodsGuess = (l: TaobaoLine) => (l.status === 'WAIT_SELLER_SEND_GOODS' && !l.mailNo ? 1 : 2);

function TaobaoForm({ order }: { order: TaobaoOrder }) {
  const { t, language } = useAftersalesMessages();
  const { client, devKey } = useDeveloper();
  const f = useFormat();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const lines = order.subPurchaseOrders.flatMap((p) => p.orderLines);
  const first = lines.find(taobaoLineOpen);
  const [lineId, setLineId] = useState(first?.purchaseOrderLineId ?? '');
  const line = lines.find((l) => l.purchaseOrderLineId === lineId);
  const [refundType, setRefundType] = useState(1);
  const [goodsStatus, setGoodsStatus] = useState(first ? taobaoGoodsGuess(first) : 1);
  const [reasonId, setReasonId] = useState('');
  const [amount, setAmount] = useState<string | null>(null);
  const [description, setDescription] = useState('');
  const [checked, setChecked] = useState(false);
  const evidence = useEvidence();

  const render = useQuery({
    queryKey: devKey('aftersales', 'taobao-render', lineId, refundType, goodsStatus, language),
    queryFn: () => client.taobao.refunds.render({ subOrderId: lineId, refundType, goodsStatus, language }),
    enabled: !!lineId,
  });
  const template = render.data?.refundOrderTemplate;
  const max = template?.maxRefundFee.refundFee ?? 0;
  const min = template?.maxRefundFee.minRefundFee ?? 1;
  const canEdit = template?.maxRefundFee.canEditRefundFee ?? false;
  const amountText = amount ?? (template ? yuanText(max) : '');
  const fee = canEdit ? fenOf(amountText) : max;
  const reason = template?.refundReasons.find((r) => r.reasonId === reasonId);
  const amountError = fee === null || fee < min || fee > max ? t('amountInvalid', { amount: f.money(max) }) : null;
  const errors = {
    reason: reason ? null : t('reasonRequired'),
    amount: amountError,
    pictures: reason?.needProof && evidence.pictures.length === 0 ? t('picturesNeeded') : null,
  };

  const submit = useMutation({
    mutationFn: () =>
      client.taobao.refunds.submit({
        subOrderId: lineId,
        refundType,
        goodsStatus,
        reasonId,
        refundFee: fee ?? 0,
        language,
        ...(description.trim() ? { refundDesc: description.trim() } : {}),
        ...(evidence.pictures.length > 0 ? { refundImages: evidence.pictures.map((p) => p.dataUrl) } : {}),
      }),
    onSuccess: (r) => {
      const refundId = r.refundOrderAggregate.refundOrder.refundId;
      void queryClient.invalidateQueries({ queryKey: devKey('aftersales') });
      setFlash(`taobao/${refundId}`, 'requested');
      void navigate({ to: '/dev/refunds/$platform/$refundId', params: { platform: 'taobao', refundId } });
    },
  });

  const chooseLine = (id: string) => {
    const next = lines.find((l) => l.purchaseOrderLineId === id);
    setLineId(id);
    setRefundType(1);
    setGoodsStatus(next ? taobaoGoodsGuess(next) : 1);
    setReasonId('');
    setAmount(null);
  };
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    setChecked(true);
    if (!template || !render.data?.saleFlag || Object.values(errors).some(Boolean)) return;
    submit.mutate();
  };

  if (!first) return <p className="notice">{t('noRefundableLine')}</p>;
  return (
    <form onSubmit={onSubmit} noValidate>
      <Section title={t('whatToRefund')}>
        <LineChoice
          lines={lines}
          value={lineId}
          onChange={chooseLine}
          id={(l) => l.purchaseOrderLineId}
          allowed={taobaoLineOpen}
          render={(l) => (
            <>
              <ItemPicture src={l.itemImageUrl} alt="" />
              <span>
                {l.itemTitleTrans || l.itemTitle}
                <br />
                <span className="as-muted">
                  {Object.values(l.propertiesTrans ?? {}).join(' / ')}{' '}
                  {t('lineFacts', {
                    quantity: l.quantity,
                    amount: f.money(l.totalPrice),
                    refunded: f.money(l.refundedFee),
                  })}
                </span>
              </span>
            </>
          )}
        />
        {render.isPending && lineId ? (
          <Loading />
        ) : render.isError ? (
          <ErrorView error={render.error} onRetry={() => void render.refetch()} />
        ) : template && line ? (
          <>
            {!render.data?.saleFlag && (
              <p className="notice" role="status">
                {t('lineNotRefundable')}
              </p>
            )}
            <fieldset className="as-choices">
              <legend>{t('type')}</legend>
              {template.refundTypeList.map((type) => (
                <label key={type} className="as-choice">
                  <input
                    type="radio"
                    name="refundType"
                    checked={refundType === type}
                    onChange={() => {
                      setRefundType(type);
                      setReasonId('');
                    }}
                  />
                  <span>{refundTypeLabel(t, type)}</span>
                </label>
              ))}
            </fieldset>
            <div className="form-row">
              <Field label={t('goodsStatus')}>
                <select
                  value={goodsStatus}
                  onChange={(e) => {
                    setGoodsStatus(Number(e.target.value));
                    setReasonId('');
                  }}
                >
                  {template.goodsStatusList.map((g) => (
                    <option key={g} value={g}>
                      {taobaoGoodsLabel(t, g)}
                    </option>
                  ))}
                </select>
              </Field>
              <Field label={t('reason')} hint={reason?.tips || undefined} error={checked ? errors.reason : null}>
                <select value={reasonId} onChange={(e) => setReasonId(e.target.value)} name="reason">
                  <option value="">{t('chooseReason')}</option>
                  {template.refundReasons.map((r) => (
                    <option key={r.reasonId} value={r.reasonId}>
                      {r.reasonDescTrans || r.reasonDesc}
                    </option>
                  ))}
                </select>
              </Field>
              <AmountField
                label={t('amount')}
                value={amountText}
                onChange={setAmount}
                max={max}
                disabled={!canEdit}
                error={checked ? errors.amount : null}
              />
            </div>
            <Field label={t('description')} hint={t('descriptionHint', { max: 500 })}>
              <textarea
                value={description}
                maxLength={500}
                onChange={(e) => setDescription(e.target.value)}
                name="description"
              />
            </Field>
            <EvidenceField evidence={evidence} label={t('evidence')} />
            {checked && errors.pictures && (
              <p className="field-error" role="alert">
                {errors.pictures}
              </p>
            )}
          </>
        ) : null}
        {submit.isError && <ErrorView error={submit.error} />}
        <div className="form-actions">
          <button
            type="submit"
            className="btn btn-primary"
            disabled={submit.isPending || !template || !render.data?.saleFlag}
          >
            {submit.isPending ? t('submitting') : t('submitRequest')}
          </button>
        </div>
      </Section>
    </form>
  );
}

// -- 1688 --------------------------------------------------------------------------------------------------------

type AlibabaLine = AlibabaOrder['productItems'][number];

function AlibabaRequest({ orderId }: { orderId: string }) {
  const { client, devKey } = useDeveloper();
  const { language } = useAftersalesMessages();
  const order = useQuery({
    queryKey: devKey('aftersales', 'order', '1688', orderId, language),
    queryFn: () => client.alibaba.orders.get(orderId, language),
  });
  return <QueryView query={order}>{(o) => <AlibabaForm order={o} />}</QueryView>;
}

const alibabaLineOpen = (l: AlibabaLine) =>
  l.status !== 'waitbuyerpay' && l.status !== 'cancel' && l.refund < l.itemAmount;
/** The goods status word the line's delivery suggests (1688 has after-sale words once the trade succeeded). */
const alibabaGoodsGuess = (order: AlibabaOrder, l: AlibabaLine): string => {
  const after = order.baseInfo.status === 'success';
  if (l.logisticsStatus === 1) return 'refundWaitSellerSend';
  if (l.logisticsStatus === 3) return after ? 'aftersaleBuyerReceived' : 'refundBuyerReceived';
  return after ? 'aftersaleBuyerNotReceived' : 'refundWaitBuyerReceive';
};

function AlibabaForm({ order }: { order: AlibabaOrder }) {
  const { t, language } = useAftersalesMessages();
  const { client, devKey } = useDeveloper();
  const f = useFormat();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const lines = order.productItems;
  const first = lines.find(alibabaLineOpen);
  const orderId = order.baseInfo.id;
  const [entryId, setEntryId] = useState(first?.subItemID ?? '');
  const [goodsStatus, setGoodsStatus] = useState(first ? alibabaGoodsGuess(order, first) : 'refundWaitSellerSend');
  const [dispute, setDispute] = useState<'refund' | 'returnRefund'>('refund');
  const [reasonId, setReasonId] = useState('');
  const [amount, setAmount] = useState<string | null>(null);
  const [carriage, setCarriage] = useState('0.00');
  const [description, setDescription] = useState('');
  const [checked, setChecked] = useState(false);
  const evidence = useEvidence(async (p) => (await client.alibaba.refunds.uploadVoucher(p.dataUrl)).imageRelativeUrl);

  const reasons = useQuery({
    queryKey: devKey('aftersales', '1688-reasons', orderId, entryId, goodsStatus, language),
    queryFn: () => client.alibaba.refunds.reasons({ orderId, orderEntryIds: [entryId], goodsStatus, language }),
    enabled: !!entryId,
  });
  const data = reasons.data;
  const max = data?.maxApplyPayment ?? 0;
  const reason = data?.reasons.find((r) => r.id === reasonId);
  const amountText = amount ?? (data ? yuanText(max) : '');
  const payment = fenOf(amountText);
  const shipping = reason?.noRefundCarriage ? 0 : fenOf(carriage);
  const desc = description.trim();
  const errors = {
    reason: reason ? null : t('reasonRequired'),
    amount:
      payment === null || shipping === null || payment + shipping < 1 || payment + shipping > max
        ? t('amountInvalid', { amount: f.money(max) })
        : null,
    description: desc.length < 2 || desc.length > 150 ? t('descriptionLength', { min: 2, max: 150 }) : null,
    pictures: reason?.needVoucher && evidence.pictures.length === 0 ? t('picturesNeeded') : null,
  };

  const create = useMutation({
    mutationFn: () =>
      client.alibaba.refunds.create({
        orderId,
        orderEntryIds: [entryId],
        disputeRequest: dispute,
        applyPayment: payment ?? 0,
        applyCarriage: shipping ?? 0,
        applyReasonId: reasonId,
        description: desc,
        goodsStatus,
        language,
        ...(evidence.pictures.length > 0 ? { vouchers: evidence.pictures.map((p) => p.path ?? p.dataUrl) } : {}),
      }),
    onSuccess: (r) => {
      void queryClient.invalidateQueries({ queryKey: devKey('aftersales') });
      setFlash(`1688/${r.refundId}`, 'requested');
      void navigate({ to: '/dev/refunds/$platform/$refundId', params: { platform: '1688', refundId: r.refundId } });
    },
  });

  const chooseLine = (id: string) => {
    const next = lines.find((l) => l.subItemID === id);
    setEntryId(id);
    setGoodsStatus(next ? alibabaGoodsGuess(order, next) : 'refundWaitSellerSend');
    setDispute('refund');
    setReasonId('');
    setAmount(null);
  };
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    setChecked(true);
    if (!data?.refundable || evidence.uploading || Object.values(errors).some(Boolean)) return;
    create.mutate();
  };

  if (!first) return <p className="notice">{t('noRefundableLine')}</p>;
  return (
    <form onSubmit={onSubmit} noValidate>
      <Section title={t('whatToRefund')}>
        <LineChoice
          lines={lines}
          value={entryId}
          onChange={chooseLine}
          id={(l) => l.subItemID}
          allowed={alibabaLineOpen}
          render={(l) => (
            <>
              <ItemPicture src={l.productImgUrl[0]} alt="" />
              <span>
                {l.nameTrans || l.name}
                <br />
                <span className="as-muted">
                  {l.skuInfos.map((s) => s.valueTrans || s.value).join(' / ')}{' '}
                  {t('lineFacts', {
                    quantity: l.quantity,
                    amount: f.money(l.itemAmount),
                    refunded: f.money(l.refund),
                  })}
                </span>
              </span>
            </>
          )}
        />
        {reasons.isPending && entryId ? (
          <Loading />
        ) : reasons.isError ? (
          <ErrorView error={reasons.error} onRetry={() => void reasons.refetch()} />
        ) : data ? (
          <>
            {!data.refundable && (
              <p className="notice" role="status">
                {t('lineNotRefundable')}
              </p>
            )}
            <fieldset className="as-choices">
              <legend>{t('type')}</legend>
              {data.disputeRequestList.map((d) => (
                <label key={d} className="as-choice">
                  <input
                    type="radio"
                    name="disputeRequest"
                    checked={dispute === d}
                    onChange={() => setDispute(d === 'returnRefund' ? 'returnRefund' : 'refund')}
                  />
                  <span>{refundTypeLabel(t, d)}</span>
                </label>
              ))}
            </fieldset>
            <div className="form-row">
              <Field label={t('goodsStatus')}>
                <select
                  value={goodsStatus}
                  onChange={(e) => {
                    setGoodsStatus(e.target.value);
                    setReasonId('');
                  }}
                >
                  {data.goodsStatusList.map((g) => (
                    <option key={g} value={g}>
                      {alibabaGoodsLabel(t, g)}
                    </option>
                  ))}
                </select>
              </Field>
              <Field label={t('reason')} hint={reason?.tip || undefined} error={checked ? errors.reason : null}>
                <select value={reasonId} onChange={(e) => setReasonId(e.target.value)} name="reason">
                  <option value="">{t('chooseReason')}</option>
                  {data.reasons.map((r) => (
                    <option key={r.id} value={r.id}>
                      {r.nameTrans || r.name}
                    </option>
                  ))}
                </select>
              </Field>
              <AmountField
                label={t('amount')}
                value={amountText}
                onChange={setAmount}
                max={max}
                error={checked ? errors.amount : null}
              />
              <Field
                label={t('shippingAmount')}
                hint={reason?.noRefundCarriage ? t('noShippingRefund') : t('shippingHint')}
              >
                <input
                  inputMode="decimal"
                  value={reason?.noRefundCarriage ? '0.00' : carriage}
                  disabled={!!reason?.noRefundCarriage}
                  onChange={(e) => setCarriage(e.target.value)}
                  name="carriage"
                  autoComplete="off"
                />
              </Field>
            </div>
            <Field
              label={t('description')}
              hint={t('descriptionRange', { min: 2, max: 150 })}
              error={checked ? errors.description : null}
            >
              <textarea
                value={description}
                maxLength={150}
                onChange={(e) => setDescription(e.target.value)}
                name="description"
              />
            </Field>
            <EvidenceField evidence={evidence} label={t('evidence')} />
            {checked && errors.pictures && (
              <p className="field-error" role="alert">
                {errors.pictures}
              </p>
            )}
          </>
        ) : null}
        {create.isError && <ErrorView error={create.error} />}
        <div className="form-actions">
          <button
            type="submit"
            className="btn btn-primary"
            disabled={create.isPending || evidence.uploading || !data?.refundable}
          >
            {create.isPending ? t('submitting') : evidence.uploading ? t('uploading') : t('submitRequest')}
          </button>
        </div>
      </Section>
    </form>
  );
}
