import type { AlibabaOrder } from '@ponte/sdk';
import { useMutation, useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useEffect, useState } from 'react';
import { useDeveloper } from '../../api';
import { useFormat } from '../../ui/format';
import { Facts, PageHeader, Section } from '../../ui/page';
import { Empty, ErrorView, QueryView } from '../../ui/states';
import { useBuyingMessages } from './messages';
import {
  CancelOrder,
  LinesTable,
  OrderBadges,
  Parcel,
  PayFromBalance,
  RefundLink,
  type Step,
  Timeline,
  useOrderKeys,
} from './order-parts';
import { skuText } from './parts';

const ALIBABA_SHIPPED = ['waitbuyerreceive', 'confirm_goods', 'success'];
/** 1688 refuses to cancel an order in its first 10 seconds. */
const CANCEL_AFTER_MS = 10_000;

/** A 1688 order in its buyer view: lines, amounts, timeline, parcels, and what can be done now. */
export function AlibabaOrderView({ orderId }: { orderId: string }) {
  const { t, language } = useBuyingMessages();
  const { client } = useDeveloper();
  const keys = useOrderKeys('1688', orderId);
  const order = useQuery({
    queryKey: keys.order,
    queryFn: () => client.alibaba.orders.get(orderId, language),
    refetchInterval: (q) => (q.state.data?.baseInfo.payState === 'paying' ? 3000 : false),
  });
  return (
    <>
      <PageHeader
        title={t('alibabaOrderTitle', { id: orderId })}
        actions={
          <Link to="/dev/orders" search={{ platform: '1688' }}>
            {t('backToOrders')}
          </Link>
        }
      >
        {order.data && <OrderBadges status={order.data.baseInfo.status} payStatus={order.data.baseInfo.payState} />}
      </PageHeader>
      <QueryView query={order}>{(o) => <AlibabaOrderBody order={o} />}</QueryView>
    </>
  );
}

function AlibabaOrderBody({ order }: { order: AlibabaOrder }) {
  const { t } = useBuyingMessages();
  const { money, dateTime } = useFormat();
  const b = order.baseInfo;
  const shipped = b.allDeliveredTime !== null || ALIBABA_SHIPPED.includes(b.status);
  const received = b.receivingTime !== null || b.status === 'confirm_goods' || b.status === 'success';
  const steps: Step[] = [
    { key: 'created', time: b.createTime, done: true },
    { key: 'paid', time: b.payTime, done: b.payTime !== null || b.payState === 'paid' },
    { key: 'shipped', time: b.allDeliveredTime, done: shipped },
    { key: 'received', time: b.receivingTime, done: received },
    { key: 'finished', time: b.status === 'success' ? b.completeTime : null, done: b.status === 'success' },
  ];
  const receiver = b.receiverInfo;
  const parcels = new Map(
    order.nativeLogistics.logisticsItems.flatMap((p) =>
      p.subItemIds.split(',').map((id) => [id.trim(), `${p.logisticsCompanyName} ${p.logisticsBillNo}`] as const),
    ),
  );
  return (
    <>
      <Section title={t('summary')}>
        <Facts
          items={[
            [t('createdAt'), dateTime(b.createTime)],
            [t('placedBy'), b.buyerID],
            [t('supplier'), b.sellerContact.companyNameTrans || b.sellerContact.companyName],
            [t('receiverTitle'), `${receiver.toFullName} · ${receiver.toMobile || receiver.toPhone}`],
            [t('receiverAddress'), receiver.toArea],
            ...(b.remark ? ([[t('messageToSupplier'), b.remark]] as [string, string][]) : []),
          ]}
        />
        <h3>{t('amounts')}</h3>
        <Facts
          items={[
            [t('goods'), money(b.sumProductPayment)],
            [t('shippingToWarehouse'), money(b.shippingFee)],
            ...(b.discount !== 0 ? ([[t('sellerAdjustment'), money(b.discount)]] as [string, string][]) : []),
            [t('total'), <strong key="total">{money(b.totalAmount)}</strong>],
            [
              t('paidAmount'),
              <span key="paid" data-testid="paid-amount">
                {money(b.paidAmount)}
              </span>,
            ],
            ...(b.refund > 0 ? ([[t('refunded'), money(b.refund)]] as [string, string][]) : []),
          ]}
        />
      </Section>
      <Section title={t('timeline')}>
        <Timeline
          steps={steps}
          closed={b.status === 'cancel' ? { time: b.completeTime, reason: b.closeReason } : null}
        />
      </Section>
      <Section title={t('actionsTitle')}>
        <AlibabaActions order={order} />
      </Section>
      <Section title={t('lines')}>
        <LinesTable
          label={t('lines')}
          lines={order.productItems.map((l) => ({
            key: l.subItemID,
            pic: l.productImgUrl[0] ?? null,
            title: l.name,
            titleTrans: l.nameTrans,
            sku: skuText(
              l.skuInfos.map((s) => ({
                propName: s.name,
                propNameTrans: s.nameTrans,
                valueName: s.value,
                valueNameTrans: s.valueTrans,
              })),
            ),
            quantity: l.quantity,
            unitPrice: l.price,
            amount: l.itemAmount,
            refunded: l.refund,
            status: l.status,
            parcel: parcels.get(l.subItemID) ?? null,
          }))}
        />
        {shipped && <AlibabaTrace orderId={b.id} />}
      </Section>
    </>
  );
}

function AlibabaTrace({ orderId }: { orderId: string }) {
  const { t, language } = useBuyingMessages();
  const { client, devKey } = useDeveloper();
  const trace = useQuery({
    queryKey: devKey('buying', 'logistics', '1688', orderId, language),
    queryFn: () => client.alibaba.orders.trace(orderId, language),
  });
  return (
    <>
      <h3>{t('logistics')}</h3>
      <QueryView query={trace}>
        {(d) =>
          d.logisticsTrace.length === 0 ? (
            <Empty>{t('noTraceYet')}</Empty>
          ) : (
            d.logisticsTrace.map((parcel) => (
              <Parcel
                key={parcel.logisticsId}
                carrier={parcel.logisticsCompanyName}
                trackingNo={parcel.logisticsBillNo}
                steps={parcel.logisticsSteps.map((s, i) => ({
                  key: `${s.acceptTime}-${i}`,
                  time: s.acceptTime,
                  action: s.status,
                  text: s.remarkTrans || s.remark,
                  place: '',
                }))}
              />
            ))
          )
        }
      </QueryView>
    </>
  );
}

function AlibabaActions({ order }: { order: AlibabaOrder }) {
  const { t } = useBuyingMessages();
  const { client } = useDeveloper();
  const b = order.baseInfo;
  const keys = useOrderKeys('1688', b.id);
  const { money } = useFormat();
  const [done, setDone] = useState<string | null>(null);
  const [payUrl, setPayUrl] = useState<string | null>(null);
  const unpaid = b.payState === 'unpaid' && b.status === 'waitbuyerpay';
  const paid = b.payState === 'paid';
  const age = useAge(b.createTime);
  const pay = useMutation({
    mutationFn: () => client.alibaba.orders.payUrl(b.id),
    onSuccess: async (r) => {
      if (r.protocolPaySuccess) {
        setPayUrl(null);
        setDone(t('paidNotice1688', { amount: money(b.totalAmount) }));
      } else {
        setPayUrl(r.payUrl);
      }
      await keys.refresh();
    },
    onError: () => keys.refresh(),
  });
  const cancel = useMutation({
    mutationFn: (reason: string) => client.alibaba.orders.cancel(b.id, reason),
    onSuccess: async () => {
      setDone(t('cancelledNotice'));
      await keys.refresh();
    },
  });
  const confirm = useMutation({
    mutationFn: () => client.alibaba.orders.confirmReceipt(b.id),
    onSuccess: async () => {
      setDone(t('receiptConfirmed'));
      await keys.refresh();
    },
  });
  return (
    <>
      {done && (
        <p className="notice" role="status">
          {done}
        </p>
      )}
      {unpaid && (
        <>
          <PayFromBalance total={b.totalAmount} pending={pay.isPending} error={pay.error} onPay={() => pay.mutate()} />
          {payUrl && (
            <p className="notice" role="status">
              {t('payPageNotice')} <a href={payUrl}>{t('openPayPage')}</a>
            </p>
          )}
          <CancelOrder
            pending={cancel.isPending}
            error={cancel.error}
            onCancel={(reason) => cancel.mutate(reason)}
            wait={age < CANCEL_AFTER_MS}
          />
        </>
      )}
      {b.status === 'waitbuyerreceive' && (
        <div style={{ marginTop: '1rem' }}>
          <h3>{t('confirmReceiptTitle')}</h3>
          <p className="field-hint">{t('confirmReceiptHint')}</p>
          {confirm.isError && <ErrorView error={confirm.error} />}
          <button
            type="button"
            className="btn btn-primary"
            disabled={confirm.isPending}
            onClick={() => confirm.mutate()}
          >
            {t('confirmReceipt')}
          </button>
        </div>
      )}
      {paid && <RefundLink platform="1688" orderId={b.id} />}
      {!unpaid && !paid && b.status !== 'waitbuyerreceive' && <p>{t('noActions')}</p>}
    </>
  );
}

/** How old something created at `since` is, ticking until the first 10 seconds have passed. */
function useAge(since: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const left = since + CANCEL_AFTER_MS - Date.now();
    if (left <= 0) return;
    const timer = setTimeout(() => setNow(Date.now()), left + 250);
    return () => clearTimeout(timer);
  }, [since]);
  return now - since;
}
