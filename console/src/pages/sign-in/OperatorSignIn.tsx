import { useMutation } from '@tanstack/react-query';
import { Link, useNavigate, useSearch } from '@tanstack/react-router';
import { type FormEvent, useState } from 'react';
import { useCommon } from '../../i18n/common';
import { operatorClient, operatorSession } from '../../session';
import { Field } from '../../ui/page';
import { LanguageSwitch } from '../../ui/shell';
import { ErrorView } from '../../ui/states';
import { useSignInMessages } from './messages';

/** Signs the operator in: the token is checked by one admin request before it is kept in the tab. */
export function OperatorSignIn() {
  const { t } = useSignInMessages();
  const { t: tc } = useCommon();
  const navigate = useNavigate();
  const { next } = useSearch({ from: '/operator/sign-in' });
  const [token, setToken] = useState('');
  const signIn = useMutation({
    mutationFn: async (value: string) => {
      const session = { token: value.trim() };
      await operatorClient(session).developers.list({ pageNo: 1, pageSize: 1 });
      return session;
    },
    onSuccess: (session) => {
      operatorSession.set(session);
      void navigate({ to: next?.startsWith('/op') ? next : '/op' });
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    signIn.mutate(token);
  };
  return (
    <main id="main" className="centered">
      <form className="card sign-in" onSubmit={submit}>
        <div className="welcome-head">
          <h1>{t('operatorTitle')}</h1>
          <LanguageSwitch />
        </div>
        <p>{t('operatorHint')}</p>
        <Field label={t('token')}>
          <input
            required
            type="password"
            autoComplete="current-password"
            value={token}
            onChange={(e) => setToken(e.target.value)}
            name="token"
          />
        </Field>
        {signIn.isError && <ErrorView error={signIn.error} />}
        <div className="form-actions">
          <button type="submit" className="btn btn-primary" disabled={signIn.isPending}>
            {signIn.isPending ? t('signingIn') : tc('signIn')}
          </button>
          <Link to="/sign-in">{tc('portal')}</Link>
        </div>
      </form>
    </main>
  );
}
