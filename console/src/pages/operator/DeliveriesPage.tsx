import type { CallbackHealth, DeadLetter } from '@ponte/sdk';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { getRouteApi, Link } from '@tanstack/react-router';
import { useState } from 'react';
import { useOperator } from '../../api';
import { useCommon } from '../../i18n/common';
import { useNav } from '../../i18n/nav';
import { ConfirmAction } from '../../ui/actions';
import { useFormat } from '../../ui/format';
import { Badge, Field, PageHeader, Section, Table } from '../../ui/page';
import { Pager } from '../../ui/pager';
import { Empty, ErrorView, QueryView } from '../../ui/states';
import { useOperatorMessages } from './messages';
import { DeveloperLink, Notice } from './parts';
import { CALLBACK_STATES, PAGE_SIZE } from './search';

const route = getRouteApi('/op/callbacks');

const STATE_TONES = { healthy: 'good', failing: 'warn', disabled: 'bad' } as const;

/** A duration in minutes, hours or days. */
function useAge() {
  const { t } = useOperatorMessages();
  return (ms: number | null) => {
    if (ms === null) return '—';
    const minutes = Math.round(ms / 60_000);
    if (minutes < 60) return t('ageMinutes', { count: minutes });
    const hours = Math.round(minutes / 60);
    if (hours < 48) return t('ageHours', { count: hours });
    return t('ageDays', { count: Math.round(hours / 24) });
  };
}

function HealthRow({ row, onDone }: { row: CallbackHealth; onDone: (text: string) => void }) {
  const { t } = useOperatorMessages();
  const { client, opKey } = useOperator();
  const { dateTime, number } = useFormat();
  const age = useAge();
  const queryClient = useQueryClient();
  const enable = useMutation({
    mutationFn: () => client.messages.enable(row.developId),
    onSuccess: (s) => {
      void queryClient.invalidateQueries({ queryKey: opKey('callbacks') });
      void queryClient.invalidateQueries({ queryKey: opKey('callback', row.developId) });
      onDone(t('urlEnabledFor', { name: row.developerName, count: s.counts.held }));
    },
  });
  const failure = row.lastFailure;
  return (
    <tr data-testid="health-row" data-develop-id={row.developId}>
      <td style={{ minWidth: '15rem' }}>
        <DeveloperLink developId={row.developId} name={row.developerName} />
        <div className="field-hint" style={{ wordBreak: 'break-all' }}>
          <code>{row.url}</code>
        </div>
        <div className="form-actions" style={{ marginTop: '0.25rem' }}>
          {!row.enabled && (
            <button
              type="button"
              className="btn btn-small btn-primary"
              disabled={enable.isPending}
              onClick={() => enable.mutate()}
            >
              {t('reenable')}
            </button>
          )}
          <Link to="/op/developers/$developId/messages" params={{ developId: row.developId }}>
            {t('messages')}
          </Link>
        </div>
        {enable.isError && <ErrorView error={enable.error} />}
      </td>
      <td style={{ minWidth: '9rem' }}>
        <Badge tone={STATE_TONES[row.state]}>{t(`cbs_${row.state}`)}</Badge>
        {row.disabledReason && (
          <div className="field-hint">
            {t(row.disabledReason === 'gone' ? 'reasonGone' : 'reasonFailing')} · {dateTime(row.disabledTime)}
          </div>
        )}
        {row.failingSince && (
          <div className="field-hint">{t('failingSinceAt', { time: dateTime(row.failingSince) })}</div>
        )}
      </td>
      <td className="num">{number(row.pending)}</td>
      <td className="num">{number(row.held)}</td>
      <td className="num">{number(row.deadLetters)}</td>
      <td className="num">{number(row.delivered24h)}</td>
      <td className="num">{number(row.failed24h)}</td>
      <td>{dateTime(row.lastDeliveredTime)}</td>
      <td style={{ minWidth: '12rem' }}>
        {failure ? (
          <>
            {dateTime(failure.time)}
            <div className="field-hint">
              {failure.httpStatus ? `HTTP ${failure.httpStatus}` : t('noAnswer')} · {t(`ao_${failure.outcome}`)}
            </div>
            {failure.error && <div className="field-hint">{failure.error}</div>}
          </>
        ) : (
          '—'
        )}
      </td>
      <td>{age(row.oldestPendingAgeMs)}</td>
    </tr>
  );
}

function DeadLetterRow({ row, onDone }: { row: DeadLetter; onDone: (text: string) => void }) {
  const { t } = useOperatorMessages();
  const { client, opKey } = useOperator();
  const { dateTime, number } = useFormat();
  const queryClient = useQueryClient();
  const after = (text: string) => {
    void queryClient.invalidateQueries({ queryKey: opKey('dead-letters') });
    void queryClient.invalidateQueries({ queryKey: opKey('stats') });
    onDone(text);
  };
  const retry = useMutation({
    mutationFn: () => client.deadLetters.retry(row.id),
    onSuccess: () => after(t('deadRetried', { id: row.id })),
  });
  const discard = useMutation({
    mutationFn: () => client.deadLetters.discard(row.id),
    onSuccess: () => after(t('deadDiscarded', { id: row.id })),
  });
  const busy = retry.isPending || discard.isPending;
  return (
    <tr data-testid="dead-letter" data-id={row.id}>
      <td>
        <code>{row.id}</code>
      </td>
      <td>
        <code>{row.type}</code>
        {row.orderingKey && <div className="field-hint">{t('orderingKey', { key: row.orderingKey })}</div>}
      </td>
      <td className="num">{number(row.attempts)}</td>
      <td style={{ maxWidth: '28rem', wordBreak: 'break-word' }}>
        {row.lastError ?? '—'}
        <details>
          <summary>{t('payload')}</summary>
          <pre>{JSON.stringify(row.payload, null, 2)}</pre>
        </details>
      </td>
      <td>{dateTime(row.updatedAt)}</td>
      <td>
        <div className="form-actions" style={{ marginTop: 0 }}>
          <button type="button" className="btn btn-small btn-primary" disabled={busy} onClick={() => retry.mutate()}>
            {t('retry')}
          </button>
          <ConfirmAction
            label={t('discard')}
            question={t('discardQuestion', { id: row.id })}
            confirmLabel={t('discard')}
            danger
            pending={busy}
            onConfirm={() => discard.mutate()}
          />
        </div>
        {retry.isError && <ErrorView error={retry.error} />}
        {discard.isError && <ErrorView error={discard.error} />}
      </td>
    </tr>
  );
}

/** Background work that failed every attempt: retry from the first attempt, or give up on it. */
function DeadLetters() {
  const { t } = useOperatorMessages();
  const { client, opKey } = useOperator();
  const { deadPage } = route.useSearch();
  const navigate = route.useNavigate();
  const [notice, setNotice] = useState<string | null>(null);
  const list = useQuery({
    queryKey: opKey('dead-letters', deadPage),
    queryFn: () => client.deadLetters.list({ pageNo: deadPage, pageSize: PAGE_SIZE }),
    placeholderData: keepPreviousData,
  });
  return (
    <div id="dead-letters">
      <Section title={t('deadLetters')}>
        <p>{t('deadLettersIntro')}</p>
        <Notice text={notice} />
        <QueryView query={list}>
          {(data) =>
            data.list.length === 0 ? (
              <Empty>{t('noDeadLetters')}</Empty>
            ) : (
              <>
                <Table label={t('deadLetters')}>
                  <thead>
                    <tr>
                      <th scope="col">{t('rowId')}</th>
                      <th scope="col">{t('type')}</th>
                      <th scope="col" className="num">
                        {t('attempts')}
                      </th>
                      <th scope="col">{t('lastError')}</th>
                      <th scope="col">{t('updated')}</th>
                      <th scope="col">{t('actions')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {data.list.map((row) => (
                      <DeadLetterRow key={row.id} row={row} onDone={setNotice} />
                    ))}
                  </tbody>
                </Table>
                <Pager
                  pageNo={deadPage}
                  pageSize={PAGE_SIZE}
                  total={data.total}
                  onChange={(p) => void navigate({ search: (s) => ({ ...s, deadPage: p }) })}
                />
              </>
            )
          }
        </QueryView>
      </Section>
    </div>
  );
}

/** Callback delivery across developers (failing first when filtered), and the dead letters below. */
export function DeliveriesPage() {
  const { t } = useOperatorMessages();
  const { t: tc } = useCommon();
  const { t: tn } = useNav();
  const { client, opKey } = useOperator();
  const { state, page } = route.useSearch();
  const navigate = route.useNavigate();
  const [notice, setNotice] = useState<string | null>(null);
  const health = useQuery({
    queryKey: opKey('callbacks', state, page),
    queryFn: () => client.callbacks.health({ pageNo: page, pageSize: PAGE_SIZE, ...(state ? { state } : {}) }),
    placeholderData: keepPreviousData,
  });
  return (
    <>
      <PageHeader title={tn('deliveries')}>
        <p>{t('callbacksIntro')}</p>
      </PageHeader>
      <Section
        title={t('callbackUrls')}
        actions={
          <Field label={t('state')}>
            <select
              value={state ?? ''}
              onChange={(e) =>
                void navigate({
                  search: (s) => ({ ...s, page: 1, state: CALLBACK_STATES.find((v) => v === e.target.value) }),
                })
              }
            >
              <option value="">{tc('all')}</option>
              {CALLBACK_STATES.map((v) => (
                <option key={v} value={v}>
                  {t(`cbs_${v}`)}
                </option>
              ))}
            </select>
          </Field>
        }
      >
        <Notice text={notice} />
        <QueryView query={health}>
          {(data) =>
            data.list.length === 0 ? (
              <Empty>{t('noCallbackUrls')}</Empty>
            ) : (
              <>
                <Table label={t('callbackUrls')}>
                  <thead>
                    <tr>
                      <th scope="col">{t('developer')}</th>
                      <th scope="col">{t('state')}</th>
                      <th scope="col" className="num">
                        {t('ms_pending')}
                      </th>
                      <th scope="col" className="num">
                        {t('ms_held')}
                      </th>
                      <th scope="col" className="num">
                        {t('ms_failed')}
                      </th>
                      <th scope="col" className="num">
                        {t('delivered24h')}
                      </th>
                      <th scope="col" className="num">
                        {t('failed24h')}
                      </th>
                      <th scope="col">{t('lastDelivered')}</th>
                      <th scope="col">{t('lastFailure')}</th>
                      <th scope="col">{t('oldestPending')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {data.list.map((row) => (
                      <HealthRow key={row.developId} row={row} onDone={setNotice} />
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
      <DeadLetters />
    </>
  );
}
