import type { TaobaoOrder } from '@ponte/sdk';
import { useMutation, useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { type FormEvent, useState } from 'react';
import { useDeveloper } from '../../api';
import { FileDrop } from '../../ui/file-drop';
import type { PickedPicture } from '../../ui/files';
import { useFormat } from '../../ui/format';
import { Facts, Field, PageHeader, Section } from '../../ui/page';
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
import { StatusBadge } from './parts';

const TAOBAO_SHIPPED = ['WAIT_BUYER_CONFIRM_GOODS', 'TRADE_FINISHED'];

/** A Taobao order: its sellers' parts, lines, amounts, timeline, parcels, and what can be done now. */
export function TaobaoOrderView({ orderId }: { orderId: string }) {
  const { t, language } = useBuyingMessages();
  const { client } = useDeveloper();
  const keys = useOrderKeys('taobao', orderId);
  const order = useQuery({
    queryKey: keys.order,
    queryFn: () => client.taobao.orders.get(orderId, language),
    // A payment the marketplace has not confirmed yet settles by itself: look again until it has.
    refetchInterval: (q) => (q.state.data?.payStatus === 'PAYING' ? 3000 : false),
  });
  return (
    <>
      <PageHeader
        title={t('taobaoOrderTitle', { id: orderId })}
        actions={<Link to="/dev/orders">{t('backToOrders')}</Link>}
      >
        {order.data && <OrderBadges status={order.data.status} payStatus={order.data.payStatus} />}
      </PageHeader>
      <QueryView query={order}>{(o) => <TaobaoOrderBody order={o} />}</QueryView>
    </>
  );
}

function TaobaoOrderBody({ order }: { order: TaobaoOrder }) {
  const { t } = useBuyingMessages();
  const { money, dateTime } = useFormat();
  const parts = order.subPurchaseOrders;
  const shipTimes = parts.map((p) => p.shipTime).filter((x): x is number => x !== null);
  const receiveTimes = parts.map((p) => p.receiveTime).filter((x): x is number => x !== null);
  const closed = order.status === 'TRADE_CLOSED';
  const unpaid = order.payStatus === 'UNPAID' && order.status === 'WAIT_BUYER_PAY';
  const paid = order.payStatus === 'PAID';
  const r = order.receiver;
  const steps: Step[] = [
    { key: 'created', time: order.createTime, done: true },
    { key: 'paid', time: order.payTime, done: order.payTime !== null || paid },
    {
      key: 'shipped',
      time: shipTimes.length > 0 ? Math.min(...shipTimes) : null,
      done: shipTimes.length > 0 || TAOBAO_SHIPPED.includes(order.status),
    },
    {
      key: 'received',
      time: receiveTimes.length > 0 ? Math.max(...receiveTimes) : null,
      done: receiveTimes.length > 0 || order.status === 'TRADE_FINISHED',
    },
  ];
  return (
    <>
      <Section title={t('summary')}>
        <Facts
          items={[
            [t('createdAt'), dateTime(order.createTime)],
            [t('placedBy'), order.userId],
            [t('receiverTitle'), `${r.name} · ${r.mobile_phone || r.phone}`],
            [
              t('receiverAddress'),
              [r.address, r.district, r.city, r.state, r.zip, r.country].filter(Boolean).join(', '),
            ],
            ...(order.sellerOrderNumber
              ? ([[t('sellerOrderNumber'), order.sellerOrderNumber]] as [string, string][])
              : []),
            ...(order.warehouseName
              ? ([[t('warehouseTitle'), `${order.warehouseName} · ${order.warehouseAddress ?? ''}`]] as [
                  string,
                  string,
                ][])
              : []),
          ]}
        />
        <h3>{t('amounts')}</h3>
        <Facts
          items={[
            [t('goods'), money(order.productFee)],
            [t('shippingToWarehouse'), money(order.postFee)],
            ...(order.adjustFee !== 0 ? ([[t('sellerAdjustment'), money(order.adjustFee)]] as [string, string][]) : []),
            [t('total'), <strong key="total">{money(order.totalPrice)}</strong>],
            [
              t('paidAmount'),
              <span key="paid" data-testid="paid-amount">
                {money(order.paidAmount)}
              </span>,
            ],
            ...(order.purchaseAmount !== null
              ? ([[t('budget'), money(order.purchaseAmount)]] as [string, string][])
              : []),
          ]}
        />
      </Section>
      <Section title={t('timeline')}>
        <Timeline steps={steps} closed={closed ? { time: order.closeTime, reason: order.closeReason } : null} />
      </Section>
      <Section title={t('actionsTitle')}>
        <TaobaoActions order={order} unpaid={unpaid} paid={paid} shipped={shipTimes.length > 0} />
      </Section>
      {parts.map((p) => (
        <Section
          key={p.subPurchaseOrderId}
          title={t('seller', { name: p.supplierNickTrans || p.supplierNick })}
          actions={<StatusBadge status={p.status} />}
        >
          <Facts
            items={[
              [t('marketplaceOrder'), <code key="outer">{p.purchaseOrderOuterId}</code>],
              [t('sellerTotal'), money(p.totalPrice)],
              [t('shippingToWarehouse'), money(p.postFee)],
              [t('shippedAt'), dateTime(p.shipTime)],
            ]}
          />
          <LinesTable
            label={t('linesOf', { name: p.supplierNickTrans || p.supplierNick })}
            lines={p.orderLines.map((l) => ({
              key: l.purchaseOrderLineId,
              pic: l.itemImageUrl,
              title: l.itemTitle,
              titleTrans: l.itemTitleTrans,
              sku: Object.entries(l.propertiesTrans as Record<string, string>)
                .map(([k, v]) => `${k}: ${v}`)
                .join(' · '),
              quantity: l.quantity,
              unitPrice: l.price,
              amount: l.totalPrice,
              refunded: l.refundedFee,
              status: l.status,
              parcel: l.mailNo ? `${l.logisticsCompanyName ?? l.logisticsCompanyCode ?? ''} ${l.mailNo}` : null,
            }))}
          />
          {(p.shipTime !== null || TAOBAO_SHIPPED.includes(p.status)) && (
            <TaobaoTrace subPurchaseOrderId={p.subPurchaseOrderId} />
          )}
        </Section>
      ))}
    </>
  );
}

function TaobaoTrace({ subPurchaseOrderId }: { subPurchaseOrderId: string }) {
  const { t, language } = useBuyingMessages();
  const { client, devKey } = useDeveloper();
  const trace = useQuery({
    queryKey: devKey('buying', 'logistics', 'taobao', subPurchaseOrderId, language),
    queryFn: () => client.taobao.orders.logistics(subPurchaseOrderId, language),
  });
  return (
    <>
      <h3>{t('logistics')}</h3>
      <QueryView query={trace}>
        {(d) =>
          d.pnmLogisticsDetails.length === 0 ? (
            <Empty>{t('noTraceYet')}</Empty>
          ) : (
            d.pnmLogisticsDetails.map((parcel) => (
              <Parcel
                key={parcel.mailNo}
                carrier={parcel.logisticsPartner[0]?.company ?? ''}
                trackingNo={parcel.mailNo}
                steps={parcel.logisticsTraces.map((s, i) => ({
                  key: `${s.time}-${i}`,
                  time: s.time,
                  action: s.action,
                  text: s.standerdDesc || s.statusDesc,
                  place: [s.city, s.facilityName].filter(Boolean).join(' · '),
                }))}
              />
            ))
          )
        }
      </QueryView>
    </>
  );
}

function TaobaoActions({
  order,
  unpaid,
  paid,
  shipped,
}: {
  order: TaobaoOrder;
  unpaid: boolean;
  paid: boolean;
  shipped: boolean;
}) {
  const { t } = useBuyingMessages();
  const { client } = useDeveloper();
  const keys = useOrderKeys('taobao', order.orderId);
  const { money } = useFormat();
  const [done, setDone] = useState<string | null>(null);
  const pay = useMutation({
    mutationFn: () => client.taobao.orders.pay(order.orderId),
    onSuccess: async (r) => {
      setDone(t('paidNotice', { amount: money(r.paidAmount), balance: money(r.balance) }));
      await keys.refresh();
    },
    // A seller's price change (42203) or a short balance: show the order and the balance as they are now.
    onError: () => keys.refresh(),
  });
  const cancel = useMutation({
    mutationFn: (reason: string) => client.taobao.orders.cancel(order.orderId, reason),
    onSuccess: async () => {
      setDone(t('cancelledNotice'));
      await keys.refresh();
    },
  });
  const open = order.status !== 'TRADE_CLOSED';
  return (
    <>
      {done && (
        <p className="notice" role="status">
          {done}
        </p>
      )}
      {unpaid && (
        <>
          <PayFromBalance
            total={order.totalPrice}
            pending={pay.isPending}
            error={pay.error}
            onPay={() => pay.mutate()}
            refuseShort
          />
          <VoucherUpload order={order} onDone={setDone} />
          <CancelOrder pending={cancel.isPending} error={cancel.error} onCancel={(reason) => cancel.mutate(reason)} />
        </>
      )}
      {open && !shipped && (order.status === 'WAIT_BUYER_PAY' || order.status === 'WAIT_SELLER_SEND_GOODS') && (
        <WarehouseForm order={order} onDone={setDone} />
      )}
      {paid && <RefundLink platform="taobao" orderId={order.orderId} />}
      {!unpaid && !paid && !open && <p>{t('noActions')}</p>}
    </>
  );
}

function VoucherUpload({ order, onDone }: { order: TaobaoOrder; onDone: (text: string) => void }) {
  const { t } = useBuyingMessages();
  const { client } = useDeveloper();
  const { money } = useFormat();
  const [amount, setAmount] = useState((order.totalPrice / 100).toFixed(2));
  const [reference, setReference] = useState('');
  const [note, setNote] = useState('');
  const [picture, setPicture] = useState<PickedPicture | null>(null);
  const [missing, setMissing] = useState(false);
  const upload = useMutation({
    mutationFn: (p: PickedPicture) =>
      client.taobao.orders.uploadVoucher({
        orderId: order.orderId,
        amount: Math.round(Number(amount) * 100),
        reference: reference.trim(),
        picture: p.base64,
        ...(note.trim() ? { note: note.trim() } : {}),
      }),
    onSuccess: (v) => {
      onDone(t('voucherSent', { id: v.voucherId, amount: money(v.amount) }));
      setPicture(null);
      setReference('');
      setNote('');
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!picture) return setMissing(true);
    upload.mutate(picture);
  };
  return (
    <form onSubmit={submit} aria-labelledby="voucher-title" style={{ marginTop: '1rem' }}>
      <h3 id="voucher-title">{t('voucherTitle')}</h3>
      <p className="field-hint">{t('voucherHint')}</p>
      <div className="form-row">
        <Field label={t('voucherAmount')} hint={t('voucherAmountHint', { total: money(order.totalPrice) })}>
          <input
            type="number"
            inputMode="decimal"
            required
            min={(order.totalPrice / 100).toFixed(2)}
            max={1_000_000}
            step="0.01"
            value={amount}
            onChange={(e) => setAmount(e.target.value)}
          />
        </Field>
        <Field label={t('voucherReference')}>
          <input required maxLength={64} value={reference} onChange={(e) => setReference(e.target.value)} />
        </Field>
      </div>
      <Field label={t('voucherNote')}>
        <input maxLength={200} value={note} onChange={(e) => setNote(e.target.value)} />
      </Field>
      <FileDrop
        label={t('voucherPicture')}
        maxBytes={5 * 1024 * 1024}
        preview={picture?.dataUrl}
        testId="voucher-drop"
        onPicture={(p) => {
          setMissing(false);
          setPicture(p);
        }}
      />
      {picture && <p className="field-hint">{t('pictureChosen', { name: picture.name })}</p>}
      {missing && (
        <p className="field-error" role="alert">
          {t('voucherPictureMissing')}
        </p>
      )}
      {upload.isError && <ErrorView error={upload.error} />}
      <div className="form-actions">
        <button type="submit" className="btn" disabled={upload.isPending}>
          {upload.isPending ? t('uploading') : t('uploadVoucher')}
        </button>
      </div>
    </form>
  );
}

function WarehouseForm({ order, onDone }: { order: TaobaoOrder; onDone: (text: string) => void }) {
  const { t } = useBuyingMessages();
  const { client } = useDeveloper();
  const keys = useOrderKeys('taobao', order.orderId);
  const [name, setName] = useState(order.warehouseName ?? '');
  const [address, setAddress] = useState(order.warehouseAddress ?? '');
  const save = useMutation({
    mutationFn: () =>
      client.taobao.orders.updateWarehouse({
        orderId: order.orderId,
        warehouseName: name.trim(),
        warehouseAddress: address.trim(),
      }),
    onSuccess: async () => {
      onDone(t('warehouseSaved'));
      await keys.refresh();
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate();
  };
  return (
    <form onSubmit={submit} aria-labelledby="warehouse-title" style={{ marginTop: '1rem' }}>
      <h3 id="warehouse-title">{t('warehouseTitle')}</h3>
      <p className="field-hint">{t('warehouseOrderHint')}</p>
      <div className="form-row">
        <Field label={t('warehouseName')}>
          <input required maxLength={64} value={name} onChange={(e) => setName(e.target.value)} />
        </Field>
        <Field label={t('warehouseAddress')}>
          <input required maxLength={256} value={address} onChange={(e) => setAddress(e.target.value)} />
        </Field>
      </div>
      {save.isError && <ErrorView error={save.error} />}
      <div className="form-actions">
        <button type="submit" className="btn" disabled={save.isPending}>
          {save.isPending ? t('saving') : t('saveWarehouse')}
        </button>
      </div>
    </form>
  );
}
