import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { type FormEvent, type ReactNode, useState } from 'react';
import { useDeveloper } from '../../api';
import { useFormat } from '../../ui/format';
import { Badge, Facts, Field, Table } from '../../ui/page';
import { ErrorView, Loading } from '../../ui/states';
import { useBuyingMessages } from './messages';
import { PayBadge, ProductCell, StatusBadge, Title } from './parts';
import type { Platform } from './search';

/** Query keys and refreshes every view of the order shares. */
export function useOrderKeys(platform: Platform, orderId: string) {
  const { devKey } = useDeveloper();
  const { language } = useBuyingMessages();
  const queryClient = useQueryClient();
  return {
    order: devKey('buying', 'order', platform, orderId, language),
    /** After a change: the order, the lists, and the balance (here and in the account pages). */
    refresh: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: devKey('buying', 'order', platform, orderId) }),
        queryClient.invalidateQueries({ queryKey: devKey('buying', 'orders') }),
        queryClient.invalidateQueries({ queryKey: devKey('buying', 'balance') }),
        queryClient.invalidateQueries({ queryKey: devKey('account') }),
      ]),
  };
}

export function OrderBadges({ status, payStatus }: { status: string; payStatus: string }) {
  const { t } = useBuyingMessages();
  return (
    <p style={{ display: 'flex', gap: '0.75rem', flexWrap: 'wrap', alignItems: 'center' }}>
      <span data-testid="order-status">
        <span className="visually-hidden">{t('status')}: </span>
        <StatusBadge status={status} />
      </span>
      <span>
        <span className="visually-hidden">{t('payment')}: </span>
        <PayBadge payStatus={payStatus} testId="pay-status" />
      </span>
    </p>
  );
}

export interface Step {
  key: 'created' | 'paid' | 'shipped' | 'received' | 'finished';
  time: number | null;
  done: boolean;
}

/**
 * The states the order went through, with their times, and those still ahead; a closed order shows where it stopped
 * and why instead of the steps it never reached.
 */
export function Timeline({
  steps,
  closed,
}: {
  steps: Step[];
  closed: { time: number | null; reason: string | null } | null;
}) {
  const { t } = useBuyingMessages();
  const { dateTime } = useFormat();
  const shown = closed ? steps.filter((s) => s.done) : steps;
  const item = (key: string, label: string, done: boolean, time: number | null, extra?: ReactNode) => (
    <li
      key={key}
      data-testid={`step-${key}`}
      data-done={done}
      style={{
        display: 'flex',
        gap: '0.6rem',
        alignItems: 'baseline',
        padding: '0.35rem 0',
        color: done ? 'var(--text)' : 'var(--muted)',
      }}
    >
      <span aria-hidden="true" style={{ color: done ? 'var(--good)' : 'var(--muted)', fontWeight: 700 }}>
        {done ? '●' : '○'}
      </span>
      <span>
        <strong>{label}</strong>{' '}
        <span>{done ? (time !== null ? dateTime(time) : t('stepDone')) : t('stepNotYet')}</span>
        {extra}
      </span>
    </li>
  );
  return (
    <ol style={{ listStyle: 'none', margin: 0, padding: 0 }}>
      {shown.map((s) => item(s.key, t(`step_${s.key}`), s.done, s.time))}
      {closed &&
        item(
          'closed',
          t('step_closed'),
          true,
          closed.time,
          closed.reason ? <span> · {t('closeReason', { reason: closed.reason })}</span> : null,
        )}
    </ol>
  );
}

export interface LineRow {
  key: string;
  pic: string | null;
  title: string;
  titleTrans: string;
  sku: string;
  quantity: number;
  unitPrice: number;
  amount: number;
  refunded: number;
  status: string;
  parcel: string | null;
}

export function LinesTable({ label, lines }: { label: string; lines: LineRow[] }) {
  const { t } = useBuyingMessages();
  const { money, number } = useFormat();
  return (
    <Table label={label}>
      <thead>
        <tr>
          <th scope="col">{t('product')}</th>
          <th scope="col" className="num">
            {t('quantity')}
          </th>
          <th scope="col" className="num">
            {t('unitPrice')}
          </th>
          <th scope="col" className="num">
            {t('amount')}
          </th>
          <th scope="col" className="num">
            {t('refunded')}
          </th>
          <th scope="col">{t('parcel')}</th>
        </tr>
      </thead>
      <tbody>
        {lines.map((l) => (
          <tr key={l.key}>
            <td>
              <ProductCell pic={l.pic}>
                <Title trans={l.titleTrans} original={l.title} />
                {l.sku && <small>{l.sku}</small>}
              </ProductCell>
            </td>
            <td className="num">{number(l.quantity)}</td>
            <td className="num">{money(l.unitPrice)}</td>
            <td className="num">{money(l.amount)}</td>
            <td className="num">{l.refunded > 0 ? money(l.refunded) : '—'}</td>
            <td>{l.parcel ?? '—'}</td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}

export interface TraceStep {
  key: string;
  time: number;
  action: string;
  text: string;
  place: string;
}

/** A domestic parcel: carrier, tracking number, and its steps, the latest first. */
export function Parcel({ carrier, trackingNo, steps }: { carrier: string; trackingNo: string; steps: TraceStep[] }) {
  const { t } = useBuyingMessages();
  const { dateTime } = useFormat();
  return (
    <div data-testid="parcel" style={{ marginBottom: '0.75rem' }}>
      <p>
        <strong>{carrier}</strong> · {t('trackingNo')} <code>{trackingNo}</code>
      </p>
      <Table label={t('traceOf', { trackingNo })}>
        <thead>
          <tr>
            <th scope="col">{t('when')}</th>
            <th scope="col">{t('step')}</th>
            <th scope="col">{t('what')}</th>
          </tr>
        </thead>
        <tbody>
          {[...steps].reverse().map((s) => (
            <tr key={s.key}>
              <td>{dateTime(s.time)}</td>
              <td>
                <Badge>{s.action}</Badge>
              </td>
              <td>
                {s.text}
                {s.place && (
                  <>
                    <br />
                    <small>{s.place}</small>
                  </>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </Table>
    </div>
  );
}

/** The developer's balance beside the order's total, and paying from it. */
export function PayFromBalance({
  total,
  pending,
  error,
  onPay,
  refuseShort = false,
}: {
  total: number;
  pending: boolean;
  error: unknown;
  onPay: () => void;
  /** The platform refuses a balance that does not cover the order (Taobao); 1688 answers a payment page instead. */
  refuseShort?: boolean;
}) {
  const { t } = useBuyingMessages();
  const { money } = useFormat();
  const { client, devKey } = useDeveloper();
  const balance = useQuery({ queryKey: devKey('buying', 'balance'), queryFn: () => client.account.balance() });
  const short = balance.data !== undefined && balance.data.balance < total;
  return (
    <section aria-labelledby="pay-title">
      <h3 id="pay-title">{t('payTitle')}</h3>
      {balance.isPending ? (
        <Loading />
      ) : balance.isError ? (
        <ErrorView error={balance.error} onRetry={() => void balance.refetch()} />
      ) : (
        <Facts
          items={[
            [
              t('balance'),
              <span key="balance" data-testid="balance">
                {money(balance.data.balance)}
              </span>,
            ],
            [t('toPay'), money(total)],
          ]}
        />
      )}
      {short && <p className="field-hint">{refuseShort ? t('balanceShort') : t('balanceShort1688')}</p>}
      {error !== null && <ErrorView error={error} />}
      <div className="form-actions">
        <button
          type="button"
          className="btn btn-primary"
          disabled={pending || !balance.data || (refuseShort && short)}
          onClick={onPay}
        >
          {pending ? t('paying') : t('payFromBalance', { amount: money(total) })}
        </button>
      </div>
    </section>
  );
}

const CANCEL_REASONS = ['buyerCancel', 'sellerGoodsLack', 'other'] as const;

export function CancelOrder({
  pending,
  error,
  onCancel,
  wait = false,
}: {
  pending: boolean;
  error: unknown;
  onCancel: (reason: string) => void;
  /** Not yet allowed (1688's first seconds). */
  wait?: boolean;
}) {
  const { t } = useBuyingMessages();
  const [reason, setReason] = useState<(typeof CANCEL_REASONS)[number]>('buyerCancel');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onCancel(reason);
  };
  return (
    <form onSubmit={submit} aria-labelledby="cancel-title" style={{ marginTop: '1rem' }}>
      <h3 id="cancel-title">{t('cancelTitle')}</h3>
      <div className="form-row">
        <Field label={t('cancelReason')}>
          <select value={reason} onChange={(e) => setReason(e.target.value as (typeof CANCEL_REASONS)[number])}>
            {CANCEL_REASONS.map((r) => (
              <option key={r} value={r}>
                {t(`reason_${r}`)}
              </option>
            ))}
          </select>
        </Field>
      </div>
      {wait && <p className="field-hint">{t('cancelWait')}</p>}
      {error !== null && <ErrorView error={error} />}
      <div className="form-actions">
        <button type="submit" className="btn btn-danger" disabled={pending || wait}>
          {pending ? t('cancelling') : t('cancelOrder')}
        </button>
      </div>
    </form>
  );
}

/** The after-sales pages open their request form for the order named in the URL. */
export function RefundLink({ platform, orderId }: { platform: Platform; orderId: string }) {
  const { t } = useBuyingMessages();
  return (
    <p style={{ marginTop: '1rem' }}>
      <Link to="/dev/refunds" search={{ platform, orderId }} className="btn">
        {t('requestRefund')}
      </Link>
    </p>
  );
}
