import { useMutation } from '@tanstack/react-query';
import { Link, useNavigate, useSearch } from '@tanstack/react-router';
import { type FormEvent, useState } from 'react';
import { useCommon } from '../../i18n/common';
import { developerClient, developerSession } from '../../session';
import { Field } from '../../ui/page';
import { LanguageSwitch } from '../../ui/shell';
import { ErrorView } from '../../ui/states';
import { useSignInMessages } from './messages';

/** Signs a developer in: the credentials are checked by a signed request before they are kept in the tab. */
export function DeveloperSignIn() {
  const { t } = useSignInMessages();
  const { t: tc } = useCommon();
  const navigate = useNavigate();
  const { next } = useSearch({ from: '/sign-in' });
  const [form, setForm] = useState({ accessKey: '', accessSecret: '', userId: '' });
  const signIn = useMutation({
    mutationFn: async (f: typeof form) => {
      const credentials = {
        accessKey: f.accessKey.trim(),
        accessSecret: f.accessSecret.trim(),
        userId: f.userId.trim(),
      };
      await developerClient(credentials).users.get(credentials.userId);
      return credentials;
    },
    onSuccess: (c) => {
      developerSession.set({ ...c, mainUserId: c.userId });
      void navigate({ to: next?.startsWith('/dev') ? next : '/dev' });
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    signIn.mutate(form);
  };
  const set = (name: keyof typeof form) => (e: { target: { value: string } }) =>
    setForm((f) => ({ ...f, [name]: e.target.value }));

  return (
    <main id="main" className="centered">
      <form className="card sign-in" onSubmit={submit}>
        <div className="welcome-head">
          <h1>{t('developerTitle')}</h1>
          <LanguageSwitch />
        </div>
        <p>{t('developerHint')}</p>
        <Field label={t('accessKey')}>
          <input required autoComplete="username" value={form.accessKey} onChange={set('accessKey')} name="accessKey" />
        </Field>
        <Field label={t('accessSecret')}>
          <input
            required
            type="password"
            autoComplete="current-password"
            value={form.accessSecret}
            onChange={set('accessSecret')}
            name="accessSecret"
          />
        </Field>
        <Field label={t('userId')}>
          <input required inputMode="numeric" value={form.userId} onChange={set('userId')} name="userId" />
        </Field>
        {signIn.isError && <ErrorView error={signIn.error} />}
        <div className="form-actions">
          <button type="submit" className="btn btn-primary" disabled={signIn.isPending}>
            {signIn.isPending ? t('signingIn') : tc('signIn')}
          </button>
          <Link to="/operator/sign-in">{tc('operator')}</Link>
        </div>
      </form>
    </main>
  );
}
