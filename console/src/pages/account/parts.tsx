import type { ReactNode } from 'react';
import { useDeveloper } from '../../api';
import { useAccountMessages } from './messages';

/** Whether requests act as the main account (some resources are the main account's only: 40301 otherwise). */
export function useIsMainAccount(): boolean {
  const { session } = useDeveloper();
  return session.userId === session.mainUserId;
}

/** Says that what follows belongs to the main account, with a button to act as it. */
export function MainAccountOnly({ what }: { what: string }) {
  const { t } = useAccountMessages();
  const { session, actAs } = useDeveloper();
  return (
    <div className="card" data-testid="main-account-only">
      <p>{t('mainAccountOnly', { what })}</p>
      <button type="button" className="btn btn-primary" onClick={() => actAs(session.mainUserId)}>
        {t('actAsMain')}
      </button>
    </div>
  );
}

/** A value as indented JSON. */
export function JsonBlock({ value, testId }: { value: unknown; testId?: string }) {
  return <pre data-testid={testId}>{value === undefined ? '' : JSON.stringify(value, null, 2)}</pre>;
}

/** A short explanation under a heading. */
export function Lead({ children }: { children: ReactNode }) {
  return <p className="field-hint">{children}</p>;
}
