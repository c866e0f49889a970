import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate, useSearch } from '@tanstack/react-router';
import { type FormEvent, useState } from 'react';
import { useDeveloper } from '../../api';
import { useNav } from '../../i18n/nav';
import { useFormat } from '../../ui/format';
import { Badge, Field, PageHeader, Section, Table } from '../../ui/page';
import { Pager } from '../../ui/pager';
import { Empty, ErrorView, QueryView } from '../../ui/states';
import './account.css';
import { useAccountMessages } from './messages';
import { Lead, useIsMainAccount } from './parts';

const PAGE_SIZE = 20;

/** The developer's sub-accounts: listed, created, and acted as. */
export function UsersPage() {
  const { t } = useAccountMessages();
  const { t: tn } = useNav();
  const isMain = useIsMainAccount();
  return (
    <>
      <PageHeader title={tn('users')}>
        <Lead>{t('usersLead')}</Lead>
      </PageHeader>
      {isMain ? (
        <CreateUser />
      ) : (
        <Section title={t('createTitle')}>
          <p>{t('createMainOnly')}</p>
        </Section>
      )}
      <UserList />
    </>
  );
}

function CreateUser() {
  const { t } = useAccountMessages();
  const { client, session, devKey } = useDeveloper();
  const queryClient = useQueryClient();
  const [form, setForm] = useState({ name: '', outMemberId: '' });
  const [problem, setProblem] = useState<string | null>(null);
  const create = useMutation({
    mutationFn: (input: { name: string; outMemberId?: string }) => client.users.create(input),
    onSuccess: () => {
      setForm({ name: '', outMemberId: '' });
      void queryClient.invalidateQueries({ queryKey: devKey('users') });
      // The header's switch lists them too.
      void queryClient.invalidateQueries({ queryKey: ['dev', session.accessKey, 'sub-accounts'] });
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const name = form.name.trim();
    if (!name) {
      setProblem(t('nameRequired'));
      return;
    }
    setProblem(null);
    const outMemberId = form.outMemberId.trim();
    create.mutate({ name, ...(outMemberId ? { outMemberId } : {}) });
  };
  return (
    <Section title={t('createTitle')}>
      <form onSubmit={submit} noValidate>
        <div className="form-row">
          <Field label={t('name')} error={problem}>
            <input
              name="name"
              maxLength={64}
              value={form.name}
              onChange={(e) => setForm((f) => ({ ...f, name: e.target.value }))}
              aria-invalid={problem ? true : undefined}
            />
          </Field>
          <Field label={t('outMemberId')} hint={t('outMemberIdHint')}>
            <input
              name="outMemberId"
              maxLength={64}
              value={form.outMemberId}
              onChange={(e) => setForm((f) => ({ ...f, outMemberId: e.target.value }))}
            />
          </Field>
        </div>
        <div className="form-actions">
          <button type="submit" className="btn btn-primary" disabled={create.isPending}>
            {create.isPending ? t('creating') : t('create')}
          </button>
        </div>
        {create.isError && <ErrorView error={create.error} />}
        {create.isSuccess && (
          <p className="notice" role="status">
            {t('created', { name: create.data.name, userId: create.data.userId })}
          </p>
        )}
      </form>
    </Section>
  );
}

function UserList() {
  const { t } = useAccountMessages();
  const { client, session, devKey, actAs } = useDeveloper();
  const { dateTime } = useFormat();
  const { page } = useSearch({ from: '/dev/users' });
  const navigate = useNavigate({ from: '/dev/users' });
  const query = useQuery({
    queryKey: devKey('users', page),
    queryFn: () => client.users.list({ pageNo: page, pageSize: PAGE_SIZE }),
  });
  return (
    <Section title={t('usersTitle')}>
      <QueryView query={query}>
        {(data) =>
          data.list.length === 0 ? (
            <Empty />
          ) : (
            <>
              <Table label={t('usersTable')}>
                <thead>
                  <tr>
                    <th scope="col">{t('name')}</th>
                    <th scope="col">{t('userId')}</th>
                    <th scope="col">{t('outMemberId')}</th>
                    <th scope="col">{t('accountType')}</th>
                    <th scope="col">{t('status')}</th>
                    <th scope="col">{t('createdTime')}</th>
                    <th scope="col">
                      <span className="visually-hidden">{t('actions')}</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {data.list.map((u) => {
                    const acting = u.userId === session.userId;
                    return (
                      <tr key={u.userId} data-testid="user-row" data-user-id={u.userId}>
                        <td>{u.name || '—'}</td>
                        <td>
                          <code>{u.userId}</code>
                        </td>
                        <td>{u.outMemberId ?? '—'}</td>
                        <td>{u.mainAccount ? <Badge tone="good">{t('mainAccount')}</Badge> : t('subAccount')}</td>
                        <td>
                          <Badge tone={u.status === 'active' ? 'good' : 'bad'}>
                            {u.status === 'active' ? t('active') : t('disabledAccount')}
                          </Badge>
                        </td>
                        <td>{dateTime(u.createTime)}</td>
                        <td>
                          {acting ? (
                            <Badge>{t('actingNow')}</Badge>
                          ) : (
                            <button
                              type="button"
                              className="btn btn-small"
                              disabled={u.status !== 'active'}
                              onClick={() => actAs(u.userId)}
                              aria-label={t('actAsNamed', { name: u.name || u.userId })}
                            >
                              {t('actAs')}
                            </button>
                          )}
                        </td>
                      </tr>
                    );
                  })}
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
  );
}
