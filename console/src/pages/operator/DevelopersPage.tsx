import type { CreatedDeveloper, Developer } from '@ponte/sdk';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { getRouteApi, Link } from '@tanstack/react-router';
import { type FormEvent, useState } from 'react';
import { useOperator } from '../../api';
import { useNav } from '../../i18n/nav';
import { ConfirmAction } from '../../ui/actions';
import { useFormat } from '../../ui/format';
import { Field, PageHeader, Section, Table } from '../../ui/page';
import { Pager } from '../../ui/pager';
import { Empty, ErrorView, QueryView } from '../../ui/states';
import { useOperatorMessages } from './messages';
import { AccountStatusBadge, Notice, newIdempotencyKey, SecretOnce } from './parts';
import { PAGE_SIZE } from './search';

const route = getRouteApi('/op/developers');

/** A new developer: its name and e-mail; the answer's key secret is shown once. */
function CreateDeveloper({ onCreated }: { onCreated: (created: CreatedDeveloper) => void }) {
  const { t } = useOperatorMessages();
  const { client, opKey } = useOperator();
  const queryClient = useQueryClient();
  const [form, setForm] = useState({ name: '', email: '' });
  const [key, setKey] = useState(newIdempotencyKey);
  const [problem, setProblem] = useState<string | null>(null);
  const create = useMutation({
    mutationFn: (f: typeof form) =>
      client.developers.create(
        { name: f.name.trim(), ...(f.email.trim() ? { email: f.email.trim() } : {}) },
        { idempotencyKey: key },
      ),
    onSuccess: (created) => {
      setForm({ name: '', email: '' });
      setKey(newIdempotencyKey());
      void queryClient.invalidateQueries({ queryKey: opKey('developers') });
      onCreated(created);
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!form.name.trim()) return setProblem(t('nameRequired'));
    setProblem(null);
    create.mutate(form);
  };
  return (
    <Section title={t('newDeveloper')}>
      <form onSubmit={submit} noValidate>
        <div className="form-row">
          <Field label={t('developerName')} error={problem}>
            <input
              name="name"
              required
              maxLength={128}
              value={form.name}
              onChange={(e) => setForm((f) => ({ ...f, name: e.target.value }))}
            />
          </Field>
          <Field label={t('email')} hint={t('optional')}>
            <input
              name="email"
              type="email"
              maxLength={254}
              value={form.email}
              onChange={(e) => setForm((f) => ({ ...f, email: e.target.value }))}
            />
          </Field>
        </div>
        {create.isError && <ErrorView error={create.error} />}
        <div className="form-actions">
          <button type="submit" className="btn btn-primary" disabled={create.isPending}>
            {create.isPending ? t('creating') : t('createDeveloper')}
          </button>
        </div>
      </form>
    </Section>
  );
}

function StatusAction({ developer, onDone }: { developer: Developer; onDone: (text: string) => void }) {
  const { t } = useOperatorMessages();
  const { client, opKey } = useOperator();
  const queryClient = useQueryClient();
  const change = useMutation({
    mutationFn: (status: 'active' | 'disabled') => client.developers.setStatus(developer.developId, status),
    onSuccess: (d) => {
      void queryClient.invalidateQueries({ queryKey: opKey('developers') });
      void queryClient.invalidateQueries({ queryKey: opKey('developer', d.developId) });
      onDone(t(d.status === 'active' ? 'developerEnabled' : 'developerDisabled', { name: d.name }));
    },
  });
  return (
    <>
      {developer.status === 'active' ? (
        <ConfirmAction
          label={t('disable')}
          question={t('disableDeveloperQuestion', { name: developer.name })}
          confirmLabel={t('disable')}
          danger
          pending={change.isPending}
          onConfirm={() => change.mutate('disabled')}
        />
      ) : (
        <button
          type="button"
          className="btn btn-small"
          disabled={change.isPending}
          onClick={() => change.mutate('active')}
        >
          {t('enable')}
        </button>
      )}
      {change.isError && <ErrorView error={change.error} />}
    </>
  );
}

/** Every developer, newest first, paged; a new developer's key; enabling and disabling. */
export function DevelopersPage() {
  const { t } = useOperatorMessages();
  const { t: tn } = useNav();
  const { client, opKey } = useOperator();
  const { dateTime } = useFormat();
  const { page } = route.useSearch();
  const navigate = route.useNavigate();
  const [created, setCreated] = useState<CreatedDeveloper | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const list = useQuery({
    queryKey: opKey('developers', page),
    queryFn: () => client.developers.list({ pageNo: page, pageSize: PAGE_SIZE }),
    placeholderData: keepPreviousData,
  });

  return (
    <>
      <PageHeader title={tn('developers')}>
        <p>{t('developersIntro')}</p>
      </PageHeader>
      {created && (
        <SecretOnce
          title={t('developerCreated', { name: created.developer.name })}
          secret={created.key.accessSecret}
          facts={[
            [t('developId'), <code key="d">{created.developer.developId}</code>],
            [t('mainUserId'), <code key="u">{created.mainAccount.userId}</code>],
            [t('accessKey'), <code key="k">{created.key.accessKey}</code>],
          ]}
          onDone={() => setCreated(null)}
        >
          <p>
            <Link to="/op/developers/$developId" params={{ developId: created.developer.developId }}>
              {t('openDeveloper', { name: created.developer.name })}
            </Link>
          </p>
        </SecretOnce>
      )}
      <CreateDeveloper
        onCreated={(c) => {
          setNotice(null);
          setCreated(c);
        }}
      />
      <Section title={t('allDevelopers')}>
        <Notice text={notice} />
        <QueryView query={list}>
          {(data) =>
            data.list.length === 0 ? (
              <Empty>{t('noDevelopers')}</Empty>
            ) : (
              <>
                <Table label={t('allDevelopers')}>
                  <thead>
                    <tr>
                      <th scope="col">{t('developerName')}</th>
                      <th scope="col">{t('developId')}</th>
                      <th scope="col">{t('email')}</th>
                      <th scope="col">{t('status')}</th>
                      <th scope="col">{t('created')}</th>
                      <th scope="col">{t('actions')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {data.list.map((d) => (
                      <tr key={d.developId}>
                        <td>
                          <Link to="/op/developers/$developId" params={{ developId: d.developId }}>
                            {d.name}
                          </Link>
                        </td>
                        <td>
                          <code>{d.developId}</code>
                        </td>
                        <td>{d.email ?? '—'}</td>
                        <td>
                          <AccountStatusBadge status={d.status} />
                        </td>
                        <td>{dateTime(d.createTime)}</td>
                        <td>
                          <StatusAction developer={d} onDone={setNotice} />
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </Table>
                <Pager
                  pageNo={page}
                  pageSize={PAGE_SIZE}
                  total={data.total}
                  onChange={(p) => void navigate({ search: { page: p } })}
                />
              </>
            )
          }
        </QueryView>
      </Section>
    </>
  );
}
