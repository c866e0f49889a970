import type { OperationData } from '@ponte/sdk';
import { Link } from '@tanstack/react-router';
import { type ReactNode, useEffect, useRef } from 'react';
import { CopyButton } from '../../ui/actions';
import { Badge, Facts, Section } from '../../ui/page';
import { useOperatorMessages } from './messages';

type Tone = 'neutral' | 'good' | 'warn' | 'bad';
export type OrderStatus = OperationData<'adminGetOrder'>['status'];
export type RefundStatus = OperationData<'adminGetRefund'>['status'];
export type PayState = OperationData<'adminGetOrder'>['payState'];

/** A fieldset that only groups (and names) its controls, without the browser's frame. */
export const RESET_FIELDSET = { border: 0, padding: 0, margin: 0, minInlineSize: 0 } as const;

/** A confirmation after a change, announced to screen readers. */
export function Notice({ text }: { text: string | null }) {
  return text ? (
    <p className="notice" role="status">
      {text}
    </p>
  ) : null;
}

/**
 * A new secret, shown this once: the API never answers it again. A warning, the values, a copy button, and a button
 * that puts it away once it is kept.
 */
export function SecretOnce({
  title,
  facts,
  secret,
  onDone,
  children,
}: {
  title: string;
  facts: [string, ReactNode][];
  secret: string;
  onDone: () => void;
  children?: ReactNode;
}) {
  const { t } = useOperatorMessages();
  const heading = useRef<HTMLDivElement>(null);
  useEffect(() => {
    heading.current?.scrollIntoView({ block: 'nearest' });
  }, []);
  return (
    <div ref={heading} data-testid="secret-once">
      <Section title={title}>
        <p>
          <Badge tone="warn">{t('shownOnce')}</Badge> {t('secretWarning')}
        </p>
        <Facts
          items={[
            ...facts,
            [
              t('accessSecret'),
              <code key="secret" data-testid="secret">
                {secret}
              </code>,
            ],
          ]}
        />
        {children}
        <div className="form-actions">
          <CopyButton text={secret} label={t('copySecret')} />
          <button type="button" className="btn btn-primary" onClick={onDone}>
            {t('secretKept')}
          </button>
        </div>
      </Section>
    </div>
  );
}

/** The marketplace's name. */
export function platformName(platform: string): string {
  return platform === 'taobao' ? 'Taobao' : platform;
}

const ORDER_TONES: Record<OrderStatus, Tone> = {
  wait_buyer_pay: 'warn',
  wait_seller_send: 'neutral',
  wait_buyer_receive: 'neutral',
  confirmed: 'good',
  finished: 'good',
  closed: 'bad',
};

export function OrderStatusBadge({ status }: { status: OrderStatus }) {
  const { t } = useOperatorMessages();
  return <Badge tone={ORDER_TONES[status]}>{t(`os_${status}`)}</Badge>;
}

const PAY_TONES: Record<PayState, Tone> = { unpaid: 'warn', paying: 'neutral', paid: 'good', reversed: 'bad' };

export function PayStateBadge({ state }: { state: PayState }) {
  const { t } = useOperatorMessages();
  return <Badge tone={PAY_TONES[state]}>{t(`ps_${state}`)}</Badge>;
}

const REFUND_TONES: Record<RefundStatus, Tone> = {
  wait_seller_agree: 'warn',
  seller_refused: 'bad',
  wait_buyer_return: 'warn',
  wait_seller_receive: 'neutral',
  success: 'good',
  closed: 'neutral',
};

export function RefundStatusBadge({ status }: { status: RefundStatus }) {
  const { t } = useOperatorMessages();
  return <Badge tone={REFUND_TONES[status]}>{t(`rs_${status}`)}</Badge>;
}

export function AccountStatusBadge({ status }: { status: 'active' | 'disabled' | 'revoked' }) {
  const { t } = useOperatorMessages();
  return <Badge tone={status === 'active' ? 'good' : 'bad'}>{t(`as_${status}`)}</Badge>;
}

/** A developer's id linking to its page. */
export function DeveloperLink({ developId, name }: { developId: string; name?: string | undefined }) {
  return (
    <Link to="/op/developers/$developId" params={{ developId }}>
      {name ?? developId}
    </Link>
  );
}

export function OrderLink({ orderId }: { orderId: string }) {
  return (
    <Link to="/op/orders/$orderId" params={{ orderId }}>
      {orderId}
    </Link>
  );
}

/** A picture of a list's row, or a grey box when there is none. */
export function Thumb({ src }: { src: string | null | undefined }) {
  return src ? (
    <img className="thumb" src={src} alt="" loading="lazy" />
  ) : (
    <span className="thumb" style={{ display: 'inline-block' }} aria-hidden="true" />
  );
}

/** A random `Idempotency-Key` kept by a form until its change is made, so that sending it again changes nothing. */
export function newIdempotencyKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
