import type { AccessKeyInfo, DeveloperWithKeys, PonteAdminClient } from '@ponte/sdk';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { getRouteApi, Link } from '@tanstack/react-router';
import { type FormEvent, useState } from 'react';
import { useOperator } from '../../api';
import { useCommon } from '../../i18n/common';
import { ConfirmAction } from '../../ui/actions';
import { useFormat } from '../../ui/format';
import { Badge, Facts, Field, PageHeader, Section, Table } from '../../ui/page';
import { Pager } from '../../ui/pager';
import { Empty, ErrorView, QueryView } from '../../ui/states';
import { useOperatorMessages } from './messages';
import { AccountStatusBadge, Notice, newIdempotencyKey, OrderLink, SecretOnce } from './parts';
import { LEDGER_KINDS, PAGE_SIZE } from './search';

const route = getRouteApi('/op/developers/$developId');

/** The most a top-up may credit, in fen (1,000,000 yuan). */
const MAX_TOPUP_FEN = 100_000_000;

/** Yuan as typed (`100`, `99.5`, `99,50`) in fen, or null when it is not an amount with at most 2 decimals. */
function yuanToFen(text: string): number | null {
  const clean = text.trim();
  if (!/^\d{1,9}([.,]\d{1,2})?$/.test(clean)) return null;
  const [whole = '0', cents = ''] = clean.split(/[.,]/);
  return Number(whole) * 100 + Number(cents.padEnd(2, '0'));
}

function useInvalidate() {
  const queryClient = useQueryClient();
  const { opKey } = useOperator();
  return (...parts: unknown[]) => void queryClient.invalidateQueries({ queryKey: opKey(...parts) });
}

function Header({ data }: { data: DeveloperWithKeys }) {
  const { t } = useOperatorMessages();
  const { client } = useOperator();
  const { dateTime } = useFormat();
  const invalidate = useInvalidate();
  const [notice, setNotice] = useState<string | null>(null);
  const d = data.developer;
  const change = useMutation({
    mutationFn: (status: 'active' | 'disabled') => client.developers.setStatus(d.developId, status),
    onSuccess: (next) => {
      invalidate('developer', d.developId);
      invalidate('developers');
      setNotice(t(next.status === 'active' ? 'developerEnabled' : 'developerDisabled', { name: next.name }));
    },
  });
  return (
    <>
      <PageHeader
        title={d.name}
        actions={
          <>
            <Link className="btn" to="/op/developers/$developId/messages" params={{ developId: d.developId }}>
              {t('messages')}
            </Link>
            {d.status === 'active' ? (
              <ConfirmAction
                label={t('disableDeveloper')}
                question={t('disableDeveloperQuestion', { name: d.name })}
                confirmLabel={t('disable')}
                danger
                pending={change.isPending}
                onConfirm={() => change.mutate('disabled')}
              />
            ) : (
              <button type="button" className="btn" disabled={change.isPending} onClick={() => change.mutate('active')}>
                {t('enableDeveloper')}
              </button>
            )}
          </>
        }
      />
      <div className="card">
        <Facts
          items={[
            [t('developId'), <code key="id">{d.developId}</code>],
            [t('status'), <AccountStatusBadge key="s" status={d.status} />],
            [t('email'), d.email ?? '—'],
            [t('created'), dateTime(d.createTime)],
          ]}
        />
      </div>
      <Notice text={notice} />
      {change.isError && <ErrorView error={change.error} />}
    </>
  );
}

/** The balance and the form that credits money received outside Ponte. */
function Balance({ developId }: { developId: string }) {
  const { t } = useOperatorMessages();
  const { client, opKey } = useOperator();
  const { money, dateTime } = useFormat();
  const invalidate = useInvalidate();
  const balance = useQuery({ queryKey: opKey('balance', developId), queryFn: () => client.balance(developId) });
  const [form, setForm] = useState({ amount: '', reference: '', note: '' });
  const [problems, setProblems] = useState<{ amount?: string; reference?: string }>({});
  const [key, setKey] = useState(newIdempotencyKey);
  const [notice, setNotice] = useState<string | null>(null);
  const topUp = useMutation({
    mutationFn: (input: { amount: number; reference: string; note?: string }) =>
      client.topups.create(developId, input, { idempotencyKey: key }),
    onSuccess: (r) => {
      setForm({ amount: '', reference: '', note: '' });
      setKey(newIdempotencyKey());
      invalidate('balance', developId);
      invalidate('ledger', developId);
      invalidate('stats');
      setNotice(t('toppedUp', { amount: money(r.topup.amount), balance: money(r.balance.balance) }));
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const fen = yuanToFen(form.amount);
    const next: typeof problems = {};
    if (fen === null || fen < 1 || fen > MAX_TOPUP_FEN) next.amount = t('amountInvalid');
    if (!form.reference.trim()) next.reference = t('referenceRequired');
    setProblems(next);
    setNotice(null);
    if (fen === null || next.amount || next.reference) return;
    topUp.mutate({
      amount: fen,
      reference: form.reference.trim(),
      ...(form.note.trim() ? { note: form.note.trim() } : {}),
    });
  };
  const set = (name: keyof typeof form) => (e: { target: { value: string } }) =>
    setForm((f) => ({ ...f, [name]: e.target.value }));

  return (
    <Section title={t('balance')}>
      <QueryView query={balance}>
        {(b) => (
          <p>
            <strong style={{ fontSize: '1.6rem' }} data-testid="balance">
              {money(b.balance)}
            </strong>{' '}
            <span className="field-hint">{t('balanceUpdated', { time: dateTime(b.updateTime) })}</span>
          </p>
        )}
      </QueryView>
      <h3>{t('topUp')}</h3>
      <form onSubmit={submit} noValidate>
        <div className="form-row">
          <Field label={t('amountYuan')} hint={t('amountHint')} error={problems.amount}>
            <input name="amount" inputMode="decimal" required value={form.amount} onChange={set('amount')} />
          </Field>
          <Field label={t('reference')} hint={t('referenceHint')} error={problems.reference}>
            <input name="reference" required maxLength={64} value={form.reference} onChange={set('reference')} />
          </Field>
          <Field label={t('note')} hint={t('optional')}>
            <input name="note" maxLength={200} value={form.note} onChange={set('note')} />
          </Field>
        </div>
        {topUp.isError && <ErrorView error={topUp.error} />}
        <div className="form-actions">
          <button type="submit" className="btn btn-primary" disabled={topUp.isPending}>
            {topUp.isPending ? t('crediting') : t('credit')}
          </button>
        </div>
      </form>
      <Notice text={notice} />
    </Section>
  );
}

function Ledger({ developId }: { developId: string }) {
  const { t } = useOperatorMessages();
  const { t: tc } = useCommon();
  const { client, opKey } = useOperator();
  const { money, dateTime } = useFormat();
  const { ledgerPage, kind } = route.useSearch();
  const navigate = route.useNavigate();
  const ledger = useQuery({
    queryKey: opKey('ledger', developId, ledgerPage, kind),
    queryFn: () => client.ledger(developId, { pageNo: ledgerPage, pageSize: PAGE_SIZE, ...(kind ? { kind } : {}) }),
    placeholderData: keepPreviousData,
  });
  return (
    <Section
      title={t('ledger')}
      actions={
        <Field label={t('kind')}>
          <select
            value={kind ?? ''}
            onChange={(e) =>
              void navigate({
                search: (s) => ({
                  ...s,
                  ledgerPage: 1,
                  kind: LEDGER_KINDS.find((k) => k === e.target.value),
                }),
                replace: true,
              })
            }
          >
            <option value="">{tc('all')}</option>
            {LEDGER_KINDS.map((k) => (
              <option key={k} value={k}>
                {t(`lk_${k}`)}
              </option>
            ))}
          </select>
        </Field>
      }
    >
      <QueryView query={ledger}>
        {(page) =>
          page.entries.length === 0 ? (
            <Empty>{t('noEntries')}</Empty>
          ) : (
            <>
              <Table label={t('ledger')}>
                <thead>
                  <tr>
                    <th scope="col">{t('time')}</th>
                    <th scope="col">{t('kind')}</th>
                    <th scope="col" className="num">
                      {t('amount')}
                    </th>
                    <th scope="col" className="num">
                      {t('balanceAfter')}
                    </th>
                    <th scope="col">{t('memo')}</th>
                    <th scope="col">{t('about')}</th>
                  </tr>
                </thead>
                <tbody>
                  {page.entries.map((e) => (
                    <tr key={e.entryId}>
                      <td>{dateTime(e.createTime)}</td>
                      <td>{t(`lk_${e.kind}`)}</td>
                      <td className="num">{money(e.amount)}</td>
                      <td className="num">{money(e.balanceAfter)}</td>
                      <td>{e.memo}</td>
                      <td>
                        {e.orderId ? (
                          <OrderLink orderId={e.orderId} />
                        ) : e.voucherId ? (
                          t('voucherRef', { id: e.voucherId })
                        ) : e.topupId ? (
                          t('topupRef', { id: e.topupId })
                        ) : (
                          '—'
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </Table>
              <Pager
                pageNo={ledgerPage}
                pageSize={PAGE_SIZE}
                total={page.total}
                onChange={(p) => void navigate({ search: (s) => ({ ...s, ledgerPage: p }) })}
              />
            </>
          )
        }
      </QueryView>
    </Section>
  );
}

type OperatorWord = Parameters<ReturnType<typeof useOperatorMessages>['t']>[0];

/**
 * A yes/no setting of one key that the operator switches from the key's row: the key's field holding it, how it is
 * set, and its words (the column, the cell when on and off, the button each way, the notice each way, naming `{{key}}`).
 */
interface KeySwitch {
  field: 'legacyMd5' | 'nonceless';
  set: (client: PonteAdminClient, accessKey: string, enabled: boolean) => Promise<AccessKeyInfo>;
  words: Record<'column' | 'on' | 'off' | 'allow' | 'forbid' | 'allowed' | 'forbidden', OperatorWord>;
}

/** The legacy MD5 signature (which does not cover the request). */
const LEGACY_MD5: KeySwitch = {
  field: 'legacyMd5',
  set: (client, accessKey, enabled) => client.keys.setLegacyMd5(accessKey, enabled),
  words: {
    column: 'legacyMd5',
    on: 'md5On',
    off: 'md5Off',
    allow: 'allowMd5',
    forbid: 'forbidMd5',
    allowed: 'md5Allowed',
    forbidden: 'md5Forbidden',
  },
};

/** v2 requests without `nonce-str` (PandaPon's v2 pages list none): each such signature is accepted once. */
const NONCELESS: KeySwitch = {
  field: 'nonceless',
  set: (client, accessKey, enabled) => client.keys.setNonceless(accessKey, enabled),
  words: {
    column: 'nonceless',
    on: 'noncelessOn',
    off: 'noncelessOff',
    allow: 'allowNonceless',
    forbid: 'forbidNonceless',
    allowed: 'noncelessAllowed',
    forbidden: 'noncelessForbidden',
  },
};

/** The switches, in the order of their columns and buttons. */
const KEY_SWITCHES = [LEGACY_MD5, NONCELESS] as const;

/** Switching `s` for key `k`; `done` gets the notice naming the key. */
function useKeySwitch(k: AccessKeyInfo, s: KeySwitch, done: (notice: string) => void) {
  const { t } = useOperatorMessages();
  const { client } = useOperator();
  const mutation = useMutation({
    mutationFn: (enabled: boolean) => s.set(client, k.accessKey, enabled),
    onSuccess: (r) => done(t(r[s.field] ? s.words.allowed : s.words.forbidden, { key: r.accessKey })),
  });
  return { s, mutation };
}

/** A switch's cell in the key's row: a warning badge when on (each switch relaxes a check), a word when off. */
function KeySwitchState({ k, s }: { k: AccessKeyInfo; s: KeySwitch }) {
  const { t } = useOperatorMessages();
  return k[s.field] ? <Badge tone="warn">{t(s.words.on)}</Badge> : t(s.words.off);
}

function KeyRow({
  k,
  onSecret,
}: {
  k: AccessKeyInfo;
  onSecret: (s: { accessKey: string; secret: string; previousExpire: number | null }) => void;
}) {
  const { t } = useOperatorMessages();
  const { client } = useOperator();
  const { dateTime } = useFormat();
  const invalidate = useInvalidate();
  const [notice, setNotice] = useState<string | null>(null);
  const done = (text: string) => {
    invalidate('developer');
    setNotice(text);
  };
  const rotate = useMutation({
    mutationFn: () => client.keys.rotate(k.accessKey),
    onSuccess: (r) => {
      invalidate('developer');
      onSecret({ accessKey: r.accessKey, secret: r.accessSecret, previousExpire: r.previousSecretExpireTime });
    },
  });
  const revoke = useMutation({
    mutationFn: () => client.keys.revoke(k.accessKey),
    onSuccess: () => done(t('keyRevoked', { key: k.accessKey })),
  });
  const md5 = useKeySwitch(k, LEGACY_MD5, done);
  const nonceless = useKeySwitch(k, NONCELESS, done);
  const switches = [md5, nonceless];
  const error = rotate.error ?? revoke.error ?? md5.mutation.error ?? nonceless.mutation.error;
  const active = k.status === 'active';
  return (
    <tr>
      <td>
        <code>{k.accessKey}</code>
        {k.label && <div className="field-hint">{k.label}</div>}
      </td>
      <td>
        <AccountStatusBadge status={k.status} />
      </td>
      {switches.map(({ s }) => (
        <td key={s.field}>
          <KeySwitchState k={k} s={s} />
        </td>
      ))}
      <td>{dateTime(k.createTime)}</td>
      <td>
        {k.rotateTime ? dateTime(k.rotateTime) : '—'}
        {k.previousSecretExpireTime && (
          <div className="field-hint">{t('previousUntil', { time: dateTime(k.previousSecretExpireTime) })}</div>
        )}
      </td>
      <td>
        {active ? (
          <div className="form-actions" style={{ marginTop: 0 }}>
            <ConfirmAction
              label={t('rotate')}
              question={t('rotateQuestion')}
              confirmLabel={t('rotate')}
              pending={rotate.isPending}
              onConfirm={() => rotate.mutate()}
            />
            {switches.map(({ s, mutation }) => (
              <button
                key={s.field}
                type="button"
                className="btn btn-small"
                disabled={mutation.isPending}
                onClick={() => mutation.mutate(!k[s.field])}
              >
                {t(k[s.field] ? s.words.forbid : s.words.allow)}
              </button>
            ))}
            <ConfirmAction
              label={t('revoke')}
              question={t('revokeQuestion', { key: k.accessKey })}
              confirmLabel={t('revoke')}
              danger
              pending={revoke.isPending}
              onConfirm={() => revoke.mutate()}
            />
          </div>
        ) : (
          k.revokeTime && t('revokedAt', { time: dateTime(k.revokeTime) })
        )}
        <Notice text={notice} />
        {error && <ErrorView error={error} />}
      </td>
    </tr>
  );
}

/**
 * The developer's access keys: issue, rotate (the new secret shown once), revoke, and the switches (legacy MD5, v2
 * without nonce).
 */
function Keys({ data }: { data: DeveloperWithKeys }) {
  const { t } = useOperatorMessages();
  const { client } = useOperator();
  const { dateTime } = useFormat();
  const invalidate = useInvalidate();
  const developId = data.developer.developId;
  const [label, setLabel] = useState('');
  const [secret, setSecret] = useState<{ accessKey: string; secret: string; previousExpire: number | null } | null>(
    null,
  );
  const issue = useMutation({
    mutationFn: () => client.keys.issue(developId, label.trim() ? { label: label.trim() } : {}),
    onSuccess: (r) => {
      setLabel('');
      invalidate('developer', developId);
      setSecret({ accessKey: r.accessKey, secret: r.accessSecret, previousExpire: null });
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    issue.mutate();
  };
  return (
    <Section title={t('keys')}>
      {secret && (
        <SecretOnce
          title={t('newSecretFor', { key: secret.accessKey })}
          secret={secret.secret}
          facts={[[t('accessKey'), <code key="k">{secret.accessKey}</code>]]}
          onDone={() => setSecret(null)}
        >
          {secret.previousExpire && <p>{t('previousUntil', { time: dateTime(secret.previousExpire) })}</p>}
        </SecretOnce>
      )}
      {data.keys.length === 0 ? (
        <Empty>{t('noKeys')}</Empty>
      ) : (
        <Table label={t('keys')}>
          <thead>
            <tr>
              <th scope="col">{t('accessKey')}</th>
              <th scope="col">{t('status')}</th>
              {KEY_SWITCHES.map((s) => (
                <th scope="col" key={s.field}>
                  {t(s.words.column)}
                </th>
              ))}
              <th scope="col">{t('issued')}</th>
              <th scope="col">{t('rotated')}</th>
              <th scope="col">{t('actions')}</th>
            </tr>
          </thead>
          <tbody>
            {data.keys.map((k) => (
              <KeyRow key={k.accessKey} k={k} onSecret={setSecret} />
            ))}
          </tbody>
        </Table>
      )}
      <form onSubmit={submit}>
        <h3>{t('issueKey')}</h3>
        <div className="form-row">
          <Field label={t('keyLabel')} hint={t('optional')}>
            <input name="label" maxLength={64} value={label} onChange={(e) => setLabel(e.target.value)} />
          </Field>
        </div>
        {issue.isError && <ErrorView error={issue.error} />}
        <div className="form-actions">
          <button type="submit" className="btn btn-primary" disabled={issue.isPending}>
            {issue.isPending ? t('issuing') : t('issueKey')}
          </button>
        </div>
      </form>
    </Section>
  );
}

/** The developer's sub-accounts, paged, with a form for a new one and enabling or disabling each. */
function SubAccounts({ developId }: { developId: string }) {
  const { t } = useOperatorMessages();
  const { client, opKey } = useOperator();
  const { dateTime } = useFormat();
  const invalidate = useInvalidate();
  const { usersPage } = route.useSearch();
  const navigate = route.useNavigate();
  const [form, setForm] = useState({ name: '', outMemberId: '' });
  const [problem, setProblem] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [key, setKey] = useState(newIdempotencyKey);
  const users = useQuery({
    queryKey: opKey('users', developId, usersPage),
    queryFn: () => client.users.list(developId, { pageNo: usersPage, pageSize: PAGE_SIZE }),
    placeholderData: keepPreviousData,
  });
  const create = useMutation({
    mutationFn: (f: typeof form) =>
      client.users.create(
        developId,
        { name: f.name.trim(), ...(f.outMemberId.trim() ? { outMemberId: f.outMemberId.trim() } : {}) },
        { idempotencyKey: key },
      ),
    onSuccess: (u) => {
      setForm({ name: '', outMemberId: '' });
      setKey(newIdempotencyKey());
      invalidate('users', developId);
      setNotice(t('userCreated', { name: u.name, userId: u.userId }));
    },
  });
  const status = useMutation({
    mutationFn: (v: { userId: string; status: 'active' | 'disabled' }) => client.users.setStatus(v.userId, v.status),
    onSuccess: (u) => {
      invalidate('users', developId);
      setNotice(t(u.status === 'active' ? 'userEnabled' : 'userDisabled', { name: u.name }));
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setNotice(null);
    if (!form.name.trim()) return setProblem(t('nameRequired'));
    setProblem(null);
    create.mutate(form);
  };
  return (
    <Section title={t('subAccounts')}>
      <Notice text={notice} />
      {status.isError && <ErrorView error={status.error} />}
      <QueryView query={users}>
        {(page) =>
          page.list.length === 0 ? (
            <Empty />
          ) : (
            <>
              <Table label={t('subAccounts')}>
                <thead>
                  <tr>
                    <th scope="col">{t('userName')}</th>
                    <th scope="col">{t('userId')}</th>
                    <th scope="col">{t('outMemberId')}</th>
                    <th scope="col">{t('status')}</th>
                    <th scope="col">{t('created')}</th>
                    <th scope="col">{t('actions')}</th>
                  </tr>
                </thead>
                <tbody>
                  {page.list.map((u) => (
                    <tr key={u.userId}>
                      <td>
                        {u.name} {u.mainAccount && <Badge>{t('mainAccount')}</Badge>}
                      </td>
                      <td>
                        <code>{u.userId}</code>
                      </td>
                      <td>{u.outMemberId ?? '—'}</td>
                      <td>
                        <AccountStatusBadge status={u.status} />
                      </td>
                      <td>{dateTime(u.createTime)}</td>
                      <td>
                        {u.mainAccount ? (
                          '—'
                        ) : u.status === 'active' ? (
                          <ConfirmAction
                            label={t('disable')}
                            question={t('disableUserQuestion', { name: u.name })}
                            confirmLabel={t('disable')}
                            danger
                            pending={status.isPending}
                            onConfirm={() => status.mutate({ userId: u.userId, status: 'disabled' })}
                          />
                        ) : (
                          <button
                            type="button"
                            className="btn btn-small"
                            disabled={status.isPending}
                            onClick={() => status.mutate({ userId: u.userId, status: 'active' })}
                          >
                            {t('enable')}
                          </button>
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </Table>
              <Pager
                pageNo={usersPage}
                pageSize={PAGE_SIZE}
                total={page.total}
                onChange={(p) => void navigate({ search: (s) => ({ ...s, usersPage: p }) })}
              />
            </>
          )
        }
      </QueryView>
      <form onSubmit={submit} noValidate>
        <h3>{t('newSubAccount')}</h3>
        <div className="form-row">
          <Field label={t('userName')} error={problem}>
            <input
              name="userName"
              required
              maxLength={64}
              value={form.name}
              onChange={(e) => setForm((f) => ({ ...f, name: e.target.value }))}
            />
          </Field>
          <Field label={t('outMemberIdOptional')}>
            <input
              name="outMemberId"
              maxLength={64}
              value={form.outMemberId}
              onChange={(e) => setForm((f) => ({ ...f, outMemberId: e.target.value }))}
            />
          </Field>
        </div>
        {create.isError && <ErrorView error={create.error} />}
        <div className="form-actions">
          <button type="submit" className="btn btn-primary" disabled={create.isPending}>
            {create.isPending ? t('creating') : t('createSubAccount')}
          </button>
        </div>
      </form>
    </Section>
  );
}

/** The callback URL's state, and re-enabling it when delivery disabled it. */
function Callback({ developId }: { developId: string }) {
  const { t } = useOperatorMessages();
  const { client, opKey } = useOperator();
  const { dateTime, number } = useFormat();
  const invalidate = useInvalidate();
  const [notice, setNotice] = useState<string | null>(null);
  const state = useQuery({ queryKey: opKey('callback', developId), queryFn: () => client.messages.state(developId) });
  const enable = useMutation({
    mutationFn: () => client.messages.enable(developId),
    onSuccess: (s) => {
      invalidate('callback', developId);
      invalidate('callbacks');
      setNotice(t('urlEnabled', { count: s.counts.held }));
    },
  });
  return (
    <Section
      title={t('callback')}
      actions={
        <Link to="/op/developers/$developId/messages" params={{ developId }}>
          {t('openMessages')}
        </Link>
      }
    >
      <QueryView query={state}>
        {(s) => (
          <>
            {s.settings === null ? (
              <Empty>{t('noCallbackUrl')}</Empty>
            ) : (
              <Facts
                items={[
                  [t('callbackUrl'), <code key="u">{s.settings.url}</code>],
                  [
                    t('delivery'),
                    s.settings.enabled ? (
                      <Badge key="e" tone="good">
                        {t('enabled')}
                      </Badge>
                    ) : (
                      <Badge key="e" tone="bad">
                        {t('disabledBecause', {
                          reason: t(s.settings.disabledReason === 'gone' ? 'reasonGone' : 'reasonFailing'),
                        })}
                      </Badge>
                    ),
                  ],
                  ...(s.settings.disabledTime
                    ? [[t('disabledAt'), dateTime(s.settings.disabledTime)] as [string, string]]
                    : []),
                  [t('verified'), dateTime(s.settings.verifiedTime)],
                  [t('failingSince'), s.failingSince ? dateTime(s.failingSince) : '—'],
                ]}
              />
            )}
            <h3>{t('messagesKept')}</h3>
            <Facts
              items={[
                [t('ms_pending'), number(s.counts.pending)],
                [t('ms_held'), number(s.counts.held)],
                [t('ms_delivered'), number(s.counts.delivered)],
                [t('ms_failed'), number(s.counts.failed)],
              ]}
            />
            {s.lastAttempt && (
              <>
                <h3>{t('lastAttempt')}</h3>
                <Facts
                  items={[
                    [t('time'), dateTime(s.lastAttempt.attemptTime)],
                    [t('outcome'), t(`ao_${s.lastAttempt.outcome}`)],
                    [t('httpStatus'), s.lastAttempt.httpStatus ?? '—'],
                    [t('error'), s.lastAttempt.error ?? '—'],
                  ]}
                />
              </>
            )}
            {s.settings && !s.settings.enabled && (
              <div className="form-actions">
                <button
                  type="button"
                  className="btn btn-primary"
                  disabled={enable.isPending}
                  onClick={() => enable.mutate()}
                >
                  {t('reenable')}
                </button>
              </div>
            )}
          </>
        )}
      </QueryView>
      {enable.isError && <ErrorView error={enable.error} />}
      <Notice text={notice} />
    </Section>
  );
}

/** One developer: keys, sub-accounts, balance and ledger, top-ups, callback state. */
export function DeveloperPage() {
  const { t } = useOperatorMessages();
  const { developId } = route.useParams();
  const { client, opKey } = useOperator();
  const developer = useQuery({
    queryKey: opKey('developer', developId),
    queryFn: () => client.developers.get(developId),
  });
  if (!developer.data) {
    return (
      <>
        <PageHeader title={t('developer')} />
        <QueryView query={developer}>{() => null}</QueryView>
      </>
    );
  }
  return (
    <QueryView query={developer}>
      {(data) => (
        <>
          <Header data={data} />
          <Balance developId={developId} />
          <Keys data={data} />
          <SubAccounts developId={developId} />
          <Callback developId={developId} />
          <Ledger developId={developId} />
        </>
      )}
    </QueryView>
  );
}
