import { type ListedMessage, MESSAGE_TYPES, type MessageDeliveryStatus, type MessageListQuery } from '@ponte/sdk';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate, useSearch } from '@tanstack/react-router';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { useDeveloper } from '../../api';
import { useCommon } from '../../i18n/common';
import { useNav } from '../../i18n/nav';
import { useFormat } from '../../ui/format';
import { Badge, Facts, Field, PageHeader, Section, Table } from '../../ui/page';
import { Pager } from '../../ui/pager';
import { Empty, ErrorView, QueryView } from '../../ui/states';
import './account.css';
import { ConfirmAction } from '../../ui/actions';
import { useAccountMessages } from './messages';
import { JsonBlock, Lead } from './parts';
import { DELIVERY_STATUSES, localTime, type MessagesSearch, toDateTimeInput } from './search';

const PAGE_SIZE = 20;
const DAY_MS = 24 * 3_600_000;
/** The longest range the API redelivers at once, and how long messages are kept. */
const RANGE_MAX_MS = 30 * DAY_MS;

type Tone = 'neutral' | 'good' | 'warn' | 'bad';
const STATUS_TONE: Record<MessageDeliveryStatus, Tone> = {
  held: 'neutral',
  pending: 'warn',
  delivered: 'good',
  failed: 'bad',
};

function useStatusLabel() {
  const { t } = useAccountMessages();
  return (status: MessageDeliveryStatus) =>
    status === 'held'
      ? t('statusHeld')
      : status === 'pending'
        ? t('statusPending')
        : status === 'delivered'
          ? t('statusDelivered')
          : t('statusFailed');
}

/** The callback messages, filtered and paged; each opens its body and delivery attempts; redelivery on demand. */
export function MessagesPage() {
  const { t } = useAccountMessages();
  const { t: tn } = useNav();
  const search = useSearch({ from: '/dev/messages' });
  const startTime = localTime(search.from);
  const endTime = localTime(search.to);
  const badRange = startTime !== undefined && endTime !== undefined && endTime <= startTime;
  const filters: MessageListQuery = {
    ...(search.status ? { status: search.status } : {}),
    ...(search.type ? { messageType: search.type } : {}),
    ...(search.platform !== undefined ? { messagePlatform: search.platform } : {}),
    ...(search.objectId ? { objectId: search.objectId } : {}),
    ...(startTime !== undefined ? { startTime } : {}),
    ...(endTime !== undefined ? { endTime } : {}),
  };
  const [done, setDone] = useState<string | null>(null);

  return (
    <>
      <PageHeader title={tn('messages')}>
        <Lead>{t('messagesLead')}</Lead>
      </PageHeader>
      {done && (
        <p className="notice" role="status" data-testid="redeliver-notice">
          {done}
        </p>
      )}
      <Section title={t('filters')}>
        <MessageFilters key={JSON.stringify({ ...search, page: 1, message: undefined })} search={search} />
        {badRange && <p className="field-error">{t('rangeReversed')}</p>}
      </Section>
      {!badRange && <MessageList search={search} filters={filters} onDone={setDone} />}
      {search.message && <MessageDetail messageId={search.message} onDone={setDone} />}
      <RangeRedeliver search={search} onDone={setDone} />
    </>
  );
}

function MessageFilters({ search }: { search: MessagesSearch }) {
  const { t } = useAccountMessages();
  const { t: tc } = useCommon();
  const status = useStatusLabel();
  const navigate = useNavigate({ from: '/dev/messages' });
  const [form, setForm] = useState({
    status: search.status ?? '',
    type: search.type ?? '',
    platform: search.platform === undefined ? '' : String(search.platform),
    objectId: search.objectId ?? '',
    from: search.from ?? '',
    to: search.to ?? '',
  });
  const set = (name: keyof typeof form) => (e: { target: { value: string } }) =>
    setForm((f) => ({ ...f, [name]: e.target.value }));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void navigate({
      search: {
        page: 1,
        status: DELIVERY_STATUSES.find((s) => s === form.status),
        type: form.type || undefined,
        platform: form.platform === '0' ? 0 : form.platform === '1' ? 1 : undefined,
        objectId: form.objectId.trim() || undefined,
        from: form.from || undefined,
        to: form.to || undefined,
      },
    });
  };
  return (
    <form onSubmit={submit} aria-label={t('filters')}>
      <div className="form-row filters">
        <Field label={t('status')}>
          <select value={form.status} onChange={set('status')} name="status">
            <option value="">{tc('all')}</option>
            {DELIVERY_STATUSES.map((s) => (
              <option key={s} value={s}>
                {status(s)}
              </option>
            ))}
          </select>
        </Field>
        <Field label={t('messageType')}>
          <select value={form.type} onChange={set('type')} name="messageType">
            <option value="">{tc('all')}</option>
            {MESSAGE_TYPES.map((type) => (
              <option key={type} value={type}>
                {type}
              </option>
            ))}
          </select>
        </Field>
        <Field label={t('platform')}>
          <select value={form.platform} onChange={set('platform')} name="messagePlatform">
            <option value="">{tc('all')}</option>
            <option value="0">Taobao</option>
            <option value="1">1688</option>
          </select>
        </Field>
        <Field label={t('objectId')}>
          <input value={form.objectId} onChange={set('objectId')} name="objectId" maxLength={64} />
        </Field>
        <Field label={t('writtenFrom')}>
          <input type="datetime-local" value={form.from} onChange={set('from')} name="from" />
        </Field>
        <Field label={t('writtenBefore')}>
          <input type="datetime-local" value={form.to} onChange={set('to')} name="to" />
        </Field>
      </div>
      <div className="form-actions">
        <button type="submit" className="btn btn-primary">
          {tc('apply')}
        </button>
        <Link to="/dev/messages" search={{}} className="btn">
          {t('clearFilters')}
        </Link>
      </div>
    </form>
  );
}

/** Queues messages again, one request per message, and says how many were queued. */
function useRedeliverMessages(onDone: (text: string) => void) {
  const { t } = useAccountMessages();
  const { client, devKey } = useDeveloper();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (messageIds: string[]) => {
      let redelivered = 0;
      for (const messageId of messageIds) redelivered += (await client.messages.redeliver({ messageId })).redelivered;
      return redelivered;
    },
    onSuccess: (count) => {
      onDone(t('redelivered', { count }));
      void queryClient.invalidateQueries({ queryKey: devKey('messages') });
    },
  });
}

function MessageList({
  search,
  filters,
  onDone,
}: {
  search: MessagesSearch;
  filters: MessageListQuery;
  onDone: (text: string) => void;
}) {
  const { t } = useAccountMessages();
  const { client, devKey } = useDeveloper();
  const navigate = useNavigate({ from: '/dev/messages' });
  const query = useQuery({
    queryKey: devKey('messages', 'list', filters, search.page),
    queryFn: () => client.messages.list({ ...filters, pageNo: search.page, pageSize: PAGE_SIZE }),
    // While some are on their way, their state is read again.
    refetchInterval: (q) => (q.state.data?.messages.some((m) => m.status === 'pending') ? 3_000 : false),
  });
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const listKey = JSON.stringify([filters, search.page]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new page or filter starts a new selection
  useEffect(() => setSelected(new Set()), [listKey]);
  const redeliver = useRedeliverMessages((text) => {
    setSelected(new Set());
    onDone(text);
  });

  return (
    <Section title={t('messagesTitle')}>
      <QueryView query={query}>
        {(page) =>
          page.messages.length === 0 ? (
            <Empty>{t('messagesEmpty')}</Empty>
          ) : (
            <>
              <MessageTable
                messages={page.messages}
                openId={search.message}
                selected={selected}
                onSelect={(id, on) =>
                  setSelected((s) => {
                    const next = new Set(s);
                    if (on) next.add(id);
                    else next.delete(id);
                    return next;
                  })
                }
                onSelectAll={(on) => setSelected(on ? new Set(page.messages.map((m) => m.messageId)) : new Set())}
              />
              <div className="form-actions">
                <ConfirmAction
                  label={t('redeliverSelected', { count: selected.size })}
                  question={t('redeliverSelectedQuestion', { count: selected.size })}
                  confirmLabel={t('redeliverConfirm')}
                  disabled={selected.size === 0}
                  pending={redeliver.isPending}
                  onConfirm={() => redeliver.mutate([...selected])}
                />
              </div>
              {redeliver.isError && <ErrorView error={redeliver.error} />}
              <Pager
                pageNo={search.page}
                pageSize={PAGE_SIZE}
                total={page.total}
                onChange={(p) => void navigate({ search: (s) => ({ ...s, page: p }) })}
              />
            </>
          )
        }
      </QueryView>
    </Section>
  );
}

function MessageTable({
  messages,
  openId,
  selected,
  onSelect,
  onSelectAll,
}: {
  messages: ListedMessage[];
  openId: string | undefined;
  selected: Set<string>;
  onSelect: (id: string, on: boolean) => void;
  onSelectAll: (on: boolean) => void;
}) {
  const { t } = useAccountMessages();
  const { dateTime, number } = useFormat();
  const status = useStatusLabel();
  const all = messages.every((m) => selected.has(m.messageId));
  return (
    <Table label={t('messagesTable')}>
      <thead>
        <tr>
          <th scope="col">
            <input
              type="checkbox"
              checked={all}
              onChange={(e) => onSelectAll(e.target.checked)}
              aria-label={t('selectAll')}
            />
          </th>
          <th scope="col">{t('message')}</th>
          <th scope="col">{t('written')}</th>
          <th scope="col">{t('messageType')}</th>
          <th scope="col">{t('about')}</th>
          <th scope="col" className="num">
            {t('version')}
          </th>
          <th scope="col">{t('status')}</th>
          <th scope="col" className="num">
            {t('attempts')}
          </th>
          <th scope="col">{t('nextOrDelivered')}</th>
        </tr>
      </thead>
      <tbody>
        {messages.map((m) => (
          <tr
            key={m.messageId}
            data-testid="message-row"
            data-message-id={m.messageId}
            aria-current={m.messageId === openId ? 'true' : undefined}
          >
            <td>
              <input
                type="checkbox"
                checked={selected.has(m.messageId)}
                onChange={(e) => onSelect(m.messageId, e.target.checked)}
                aria-label={t('selectMessage', { id: m.messageId })}
              />
            </td>
            <td>
              <Link
                from="/dev/messages"
                to="/dev/messages"
                search={(s) => ({ ...s, message: m.messageId })}
                aria-label={t('openMessage', { id: m.messageId })}
              >
                <code>{m.messageId}</code>
              </Link>
            </td>
            <td>{dateTime(m.timestamp)}</td>
            <td className="wrap">
              <code>{m.messageType}</code>
              {m.messagePlatform !== null && (
                <span className="field-hint"> · {m.messagePlatform === 0 ? 'Taobao' : '1688'}</span>
              )}
            </td>
            <td>
              <ObjectLink message={m} />
            </td>
            <td className="num">{number(m.version)}</td>
            <td data-testid="message-status">
              <Badge tone={STATUS_TONE[m.status]}>{status(m.status)}</Badge>
            </td>
            <td className="num" data-testid="message-attempts">
              {number(m.attemptCount)}
            </td>
            <td>
              {m.deliveredTime
                ? t('deliveredAt', { time: dateTime(m.deliveredTime) })
                : m.nextAttemptTime
                  ? t('nextAt', { time: dateTime(m.nextAttemptTime) })
                  : '—'}
            </td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}

/** What a message is about, linked to its page when the console has one. */
function ObjectLink({ message: m }: { message: ListedMessage }) {
  const { t } = useAccountMessages();
  const platform = m.messagePlatform === 0 ? 'taobao' : m.messagePlatform === 1 ? '1688' : null;
  if (m.objectType === 'order' && platform) {
    return (
      <Link to="/dev/orders/$platform/$orderId" params={{ platform, orderId: m.objectId }}>
        {t('refOrder', { id: m.objectId })}
      </Link>
    );
  }
  if (m.objectType === 'refund' && platform) {
    return (
      <Link to="/dev/refunds/$platform/$refundId" params={{ platform, refundId: m.objectId }}>
        {t('refRefund', { id: m.objectId })}
      </Link>
    );
  }
  if (m.objectType === 'parcel') {
    return (
      <Link to="/dev/parcels/$parcelId" params={{ parcelId: m.objectId }}>
        {t('refParcel', { id: m.objectId })}
      </Link>
    );
  }
  return (
    <span>
      {m.objectType} <code>{m.objectId}</code>
    </span>
  );
}

/** One message: its delivery state, its body and every attempt to deliver it. */
function MessageDetail({ messageId, onDone }: { messageId: string; onDone: (text: string) => void }) {
  const { t } = useAccountMessages();
  const { t: tc } = useCommon();
  const { client, devKey } = useDeveloper();
  const { dateTime, number } = useFormat();
  const status = useStatusLabel();
  const heading = useRef<HTMLHeadingElement>(null);
  const query = useQuery({
    queryKey: devKey('messages', 'attempts', messageId),
    queryFn: () => client.messages.attempts(messageId),
    refetchInterval: (q) => (q.state.data?.message.status === 'pending' ? 2_000 : false),
  });
  const redeliver = useRedeliverMessages(onDone);
  // biome-ignore lint/correctness/useExhaustiveDependencies: focus moves to each message opened
  useEffect(() => {
    heading.current?.focus();
  }, [messageId]);

  return (
    <section className="card" aria-labelledby="message-detail-title" data-testid="message-detail">
      <div className="card-head">
        <h2 id="message-detail-title" ref={heading} tabIndex={-1}>
          {t('messageTitle', { id: messageId })}
        </h2>
        <Link
          from="/dev/messages"
          to="/dev/messages"
          search={(s) => ({ ...s, message: undefined })}
          className="btn btn-small"
        >
          {tc('close')}
        </Link>
      </div>
      <QueryView query={query}>
        {({ message: m, attempts }) => (
          <>
            <Facts
              items={[
                [t('messageType'), <code key="type">{m.messageType}</code>],
                [t('platform'), m.messagePlatform === 0 ? 'Taobao' : m.messagePlatform === 1 ? '1688' : '—'],
                [t('about'), <ObjectLink key="object" message={m} />],
                [t('version'), number(m.version)],
                [t('written'), dateTime(m.timestamp)],
                [
                  t('status'),
                  <span key="status" data-testid="detail-status">
                    <Badge tone={STATUS_TONE[m.status]}>{status(m.status)}</Badge>
                  </span>,
                ],
                [t('attempts'), number(m.attemptCount)],
                [t('nextAttempt'), dateTime(m.nextAttemptTime)],
                [t('deliveredTime'), dateTime(m.deliveredTime)],
              ]}
            />
            <div className="form-actions">
              <ConfirmAction
                label={t('redeliver')}
                question={t('redeliverQuestion', { id: m.messageId })}
                confirmLabel={t('redeliverConfirm')}
                pending={redeliver.isPending}
                onConfirm={() => redeliver.mutate([m.messageId])}
              />
            </div>
            {redeliver.isError && <ErrorView error={redeliver.error} />}
            <h3>{t('attemptsTitle')}</h3>
            {attempts.length === 0 ? (
              <Empty>{t('attemptsEmpty')}</Empty>
            ) : (
              <Table label={t('attemptsTable')}>
                <thead>
                  <tr>
                    <th scope="col" className="num">
                      #
                    </th>
                    <th scope="col">{t('time')}</th>
                    <th scope="col" className="num">
                      {t('httpStatus')}
                    </th>
                    <th scope="col" className="num">
                      {t('duration')}
                    </th>
                    <th scope="col">{t('outcome')}</th>
                    <th scope="col">{t('error')}</th>
                    <th scope="col">{t('url')}</th>
                    <th scope="col">{t('response')}</th>
                  </tr>
                </thead>
                <tbody>
                  {attempts.map((a) => (
                    <tr key={a.attempt} data-testid="attempt-row" data-outcome={a.outcome}>
                      <td className="num">{a.attempt}</td>
                      <td>{dateTime(a.attemptTime)}</td>
                      <td className="num" data-testid="attempt-status">
                        {a.httpStatus ?? '—'}
                      </td>
                      <td className="num">{t('milliseconds', { ms: number(a.durationMs) })}</td>
                      <td>
                        <Badge tone={a.outcome === 'delivered' ? 'good' : a.outcome === 'retry' ? 'warn' : 'bad'}>
                          {a.outcome === 'delivered'
                            ? t('outcomeDelivered')
                            : a.outcome === 'retry'
                              ? t('outcomeRetry')
                              : a.outcome === 'failed'
                                ? t('outcomeFailed')
                                : t('outcomeGone')}
                        </Badge>
                      </td>
                      <td>{a.error ?? '—'}</td>
                      <td className="memo">
                        <code>{a.url}</code>
                      </td>
                      <td className="memo">{a.response ? <code>{a.response}</code> : '—'}</td>
                    </tr>
                  ))}
                </tbody>
              </Table>
            )}
            <h3>{t('bodyTitle')}</h3>
            <JsonBlock value={m.messageBody} testId="message-body" />
          </>
        )}
      </QueryView>
    </section>
  );
}

/** Queues again every message written in a time range (of 30 days at most), or only the failed ones of it. */
function RangeRedeliver({ search, onDone }: { search: MessagesSearch; onDone: (text: string) => void }) {
  const { t } = useAccountMessages();
  const { client, devKey } = useDeveloper();
  const { dateTime } = useFormat();
  const queryClient = useQueryClient();
  const [form, setForm] = useState(() => {
    const now = Date.now();
    return {
      from: search.from ?? toDateTimeInput(now - DAY_MS),
      to: search.to ?? toDateTimeInput(now + 60_000),
      onlyFailed: true,
    };
  });
  const startTime = localTime(form.from);
  const endTime = localTime(form.to);
  const problem =
    startTime === undefined || endTime === undefined
      ? t('rangeRequired')
      : endTime <= startTime
        ? t('rangeReversed')
        : endTime - startTime > RANGE_MAX_MS
          ? t('rangeTooLong')
          : startTime < Date.now() - RANGE_MAX_MS
            ? t('rangeTooOld')
            : null;
  const redeliver = useMutation({
    mutationFn: (input: { startTime: number; endTime: number; onlyFailed: boolean }) =>
      client.messages.redeliver(input),
    onSuccess: (r) => {
      onDone(t('redelivered', { count: r.redelivered }));
      void queryClient.invalidateQueries({ queryKey: devKey('messages') });
    },
  });
  return (
    <Section title={t('rangeTitle')}>
      <p className="field-hint">{t('rangeHelp')}</p>
      <div className="form-row">
        <Field label={t('rangeFrom')}>
          <input
            type="datetime-local"
            value={form.from}
            onChange={(e) => setForm((f) => ({ ...f, from: e.target.value }))}
          />
        </Field>
        <Field label={t('rangeTo')}>
          <input
            type="datetime-local"
            value={form.to}
            onChange={(e) => setForm((f) => ({ ...f, to: e.target.value }))}
          />
        </Field>
      </div>
      <label className="check">
        <input
          type="checkbox"
          checked={form.onlyFailed}
          onChange={(e) => setForm((f) => ({ ...f, onlyFailed: e.target.checked }))}
        />{' '}
        {t('onlyFailed')}
      </label>
      {problem && <p className="field-error">{problem}</p>}
      <div className="form-actions">
        <ConfirmAction
          label={t('redeliverRange')}
          question={t(form.onlyFailed ? 'redeliverRangeFailedQuestion' : 'redeliverRangeQuestion', {
            from: dateTime(startTime),
            to: dateTime(endTime),
          })}
          confirmLabel={t('redeliverConfirm')}
          disabled={problem !== null}
          pending={redeliver.isPending}
          onConfirm={() => {
            if (startTime !== undefined && endTime !== undefined) {
              redeliver.mutate({ startTime, endTime, onlyFailed: form.onlyFailed });
            }
          }}
        />
      </div>
      {redeliver.isError && <ErrorView error={redeliver.error} />}
    </Section>
  );
}
