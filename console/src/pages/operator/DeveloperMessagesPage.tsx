import type { ListedMessage } from '@ponte/sdk';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { getRouteApi, Link } from '@tanstack/react-router';
import { type FormEvent, useState } from 'react';
import { useOperator } from '../../api';
import { useCommon } from '../../i18n/common';
import { useFormat } from '../../ui/format';
import { Badge, Field, PageHeader, Section, Table } from '../../ui/page';
import { Pager } from '../../ui/pager';
import { Empty, ErrorView, QueryView } from '../../ui/states';
import { useOperatorMessages } from './messages';
import { Notice, OrderLink } from './parts';
import { MESSAGE_STATUSES, PAGE_SIZE } from './search';

const route = getRouteApi('/op/developers/$developId/messages');
const DAY = 86_400_000;
const RANGES = [1, 7, 30] as const;

const STATUS_TONES = { held: 'warn', pending: 'neutral', delivered: 'good', failed: 'bad' } as const;

/** Every attempt to deliver one message, oldest first. */
function Attempts({ messageId }: { messageId: string }) {
  const { t } = useOperatorMessages();
  const { client, opKey } = useOperator();
  const { dateTime, number } = useFormat();
  const attempts = useQuery({
    queryKey: opKey('attempts', messageId),
    queryFn: () => client.messages.attempts(messageId),
  });
  return (
    <QueryView query={attempts}>
      {(data) =>
        data.attempts.length === 0 ? (
          <Empty>{t('noAttempts')}</Empty>
        ) : (
          <Table label={t('attemptsOf', { id: messageId })}>
            <thead>
              <tr>
                <th scope="col">#</th>
                <th scope="col">{t('time')}</th>
                <th scope="col">{t('outcome')}</th>
                <th scope="col">{t('httpStatus')}</th>
                <th scope="col" className="num">
                  {t('durationMs')}
                </th>
                <th scope="col">{t('error')}</th>
                <th scope="col">{t('callbackUrl')}</th>
              </tr>
            </thead>
            <tbody>
              {data.attempts.map((a) => (
                <tr key={a.attempt}>
                  <td>{a.attempt}</td>
                  <td>{dateTime(a.attemptTime)}</td>
                  <td>{t(`ao_${a.outcome}`)}</td>
                  <td>{a.httpStatus ?? '—'}</td>
                  <td className="num">{number(a.durationMs)}</td>
                  <td>{a.error ?? '—'}</td>
                  <td>
                    <code>{a.url}</code>
                  </td>
                </tr>
              ))}
            </tbody>
          </Table>
        )
      }
    </QueryView>
  );
}

function MessageRow({
  developId,
  message,
  onRedelivered,
}: {
  developId: string;
  message: ListedMessage;
  onRedelivered: (text: string) => void;
}) {
  const { t } = useOperatorMessages();
  const { client, opKey } = useOperator();
  const { dateTime, number } = useFormat();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const redeliver = useMutation({
    mutationFn: () => client.messages.redeliver(developId, { messageId: message.messageId }),
    onSuccess: (r) => {
      void queryClient.invalidateQueries({ queryKey: opKey('messages', developId) });
      void queryClient.invalidateQueries({ queryKey: opKey('attempts', message.messageId) });
      onRedelivered(t('redelivered', { count: r.redelivered }));
    },
  });
  const attemptsId = `attempts-${message.messageId}`;
  return (
    <>
      <tr>
        <td>
          <code>{message.messageId}</code>
        </td>
        <td>{dateTime(message.timestamp)}</td>
        <td>
          <code>{message.messageType}</code>
        </td>
        <td>
          {message.objectType === 'order' ? (
            <OrderLink orderId={message.objectId} />
          ) : message.objectType === 'refund' ? (
            <Link to="/op/refunds/$refundId" params={{ refundId: message.objectId }}>
              {message.objectId}
            </Link>
          ) : (
            message.objectId
          )}{' '}
          <span className="field-hint">v{message.version}</span>
        </td>
        <td>
          <Badge tone={STATUS_TONES[message.status]}>{t(`ms_${message.status}`)}</Badge>
          {message.nextAttemptTime && (
            <div className="field-hint">{t('nextAttempt', { time: dateTime(message.nextAttemptTime) })}</div>
          )}
        </td>
        <td className="num">{number(message.attemptCount)}</td>
        <td>
          <div className="form-actions" style={{ marginTop: 0 }}>
            <button
              type="button"
              className="btn btn-small"
              aria-expanded={open}
              aria-controls={attemptsId}
              onClick={() => setOpen((o) => !o)}
            >
              {t('attempts')}
            </button>
            <button
              type="button"
              className="btn btn-small"
              disabled={redeliver.isPending}
              onClick={() => redeliver.mutate()}
            >
              {t('redeliver')}
            </button>
          </div>
          {redeliver.isError && <ErrorView error={redeliver.error} />}
        </td>
      </tr>
      {open && (
        <tr id={attemptsId}>
          <td colSpan={7}>
            <Attempts messageId={message.messageId} />
          </td>
        </tr>
      )}
    </>
  );
}

/** Queues again every message written in the last days (optionally only the failed ones). */
function RedeliverRange({ developId, onDone }: { developId: string; onDone: (text: string) => void }) {
  const { t } = useOperatorMessages();
  const { client, opKey } = useOperator();
  const queryClient = useQueryClient();
  const [days, setDays] = useState<(typeof RANGES)[number]>(1);
  const [onlyFailed, setOnlyFailed] = useState(true);
  const redeliver = useMutation({
    mutationFn: () => {
      const endTime = Date.now() + 60_000;
      return client.messages.redeliver(developId, { startTime: endTime - days * DAY, endTime, onlyFailed });
    },
    onSuccess: (r) => {
      void queryClient.invalidateQueries({ queryKey: opKey('messages', developId) });
      void queryClient.invalidateQueries({ queryKey: opKey('callback', developId) });
      onDone(t('redelivered', { count: r.redelivered }));
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    redeliver.mutate();
  };
  return (
    <form onSubmit={submit}>
      <div className="form-row">
        <Field label={t('writtenIn')}>
          <select
            value={days}
            onChange={(e) => setDays(RANGES.find((r) => String(r) === e.target.value) ?? 1)}
            name="days"
          >
            {RANGES.map((r) => (
              <option key={r} value={r}>
                {t('lastDays', { count: r })}
              </option>
            ))}
          </select>
        </Field>
        <label className="field" style={{ flexDirection: 'row', alignItems: 'center', gap: '0.5rem' }}>
          <input type="checkbox" checked={onlyFailed} onChange={(e) => setOnlyFailed(e.target.checked)} />
          <span>{t('onlyFailed')}</span>
        </label>
      </div>
      {redeliver.isError && <ErrorView error={redeliver.error} />}
      <div className="form-actions">
        <button type="submit" className="btn btn-primary" disabled={redeliver.isPending}>
          {t('redeliverRange')}
        </button>
      </div>
    </form>
  );
}

/** A developer's callback messages, newest first, with their attempts and redelivery. */
export function DeveloperMessagesPage() {
  const { t } = useOperatorMessages();
  const { t: tc } = useCommon();
  const { developId } = route.useParams();
  const { page, status, objectId } = route.useSearch();
  const navigate = route.useNavigate();
  const { client, opKey } = useOperator();
  const [notice, setNotice] = useState<string | null>(null);
  const [objectText, setObjectText] = useState(objectId ?? '');
  const [objectProblem, setObjectProblem] = useState<string | null>(null);
  const messages = useQuery({
    queryKey: opKey('messages', developId, page, status, objectId),
    queryFn: () =>
      client.messages.list(developId, {
        pageNo: page,
        pageSize: PAGE_SIZE,
        ...(status ? { status } : {}),
        ...(objectId ? { objectId } : {}),
      }),
    placeholderData: keepPreviousData,
  });
  const applyObject = (e: FormEvent) => {
    e.preventDefault();
    const value = objectText.trim();
    if (value && !/^[0-9A-Za-z]{1,32}$/.test(value)) return setObjectProblem(t('objectIdInvalid'));
    setObjectProblem(null);
    void navigate({ search: (s) => ({ ...s, page: 1, objectId: value || undefined }) });
  };

  return (
    <>
      <PageHeader
        title={t('messagesOf', { id: developId })}
        actions={
          <Link className="btn" to="/op/developers/$developId" params={{ developId }}>
            {t('backToDeveloper')}
          </Link>
        }
      />
      <Notice text={notice} />
      <Section title={t('redeliverTitle')}>
        <p>{t('redeliverHint')}</p>
        <RedeliverRange
          developId={developId}
          onDone={(text) => {
            setNotice(text);
          }}
        />
      </Section>
      <Section title={t('messages')}>
        <form className="form-row" onSubmit={applyObject}>
          <Field label={t('status')}>
            <select
              value={status ?? ''}
              onChange={(e) =>
                void navigate({
                  search: (s) => ({ ...s, page: 1, status: MESSAGE_STATUSES.find((v) => v === e.target.value) }),
                })
              }
            >
              <option value="">{tc('all')}</option>
              {MESSAGE_STATUSES.map((v) => (
                <option key={v} value={v}>
                  {t(`ms_${v}`)}
                </option>
              ))}
            </select>
          </Field>
          <Field label={t('objectId')} error={objectProblem}>
            <input name="objectId" value={objectText} onChange={(e) => setObjectText(e.target.value)} />
          </Field>
          <div style={{ marginBottom: '0.75rem' }}>
            <button type="submit" className="btn">
              {tc('apply')}
            </button>
          </div>
        </form>
        <QueryView query={messages}>
          {(data) =>
            data.messages.length === 0 ? (
              <Empty>{t('noMessages')}</Empty>
            ) : (
              <>
                <Table label={t('messages')}>
                  <thead>
                    <tr>
                      <th scope="col">{t('messageId')}</th>
                      <th scope="col">{t('time')}</th>
                      <th scope="col">{t('messageType')}</th>
                      <th scope="col">{t('about')}</th>
                      <th scope="col">{t('status')}</th>
                      <th scope="col" className="num">
                        {t('attempts')}
                      </th>
                      <th scope="col">{t('actions')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {data.messages.map((m) => (
                      <MessageRow key={m.messageId} developId={developId} message={m} onRedelivered={setNotice} />
                    ))}
                  </tbody>
                </Table>
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
      </Section>
    </>
  );
}
